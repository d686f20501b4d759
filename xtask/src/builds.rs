//! The embeddable module's three builds and the folder each is written to: what `embed` builds
//! and measures, `package` packs and `bench` weighs.

use std::path::PathBuf;

use crate::root;

/// The three builds of the module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Build {
    /// Every region of the provider's table.
    All,
    /// New Zealand and Australia only (`--features nz-au-only`).
    NzAu,
    /// No plan of its own: a pack per calling code in `plans/` (`--features on-demand`).
    OnDemand,
}

impl Build {
    /// Where the build is written.
    pub(crate) fn out_dir(self) -> PathBuf {
        match self {
            Self::All => root().join("target/embed"),
            Self::NzAu => root().join("target/embed/nz-au"),
            Self::OnDemand => root().join("target/embed/on-demand"),
        }
    }

    /// How its sizes are headed.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Self::All => "every region: module and element, wasm + js + css",
            Self::NzAu => "NZ + AU: module and element, wasm + js + css",
            Self::OnDemand => "on demand, no plans: module and element, wasm + js + css",
        }
    }

    /// The cargo features that make it.
    pub(crate) fn features(self) -> &'static str {
        match self {
            Self::All => "module",
            Self::NzAu => "module,nz-au-only",
            Self::OnDemand => "module,on-demand",
        }
    }
}

/// Every build, the one at the package's root first.
pub(crate) const BUILDS: [Build; 3] = [Build::All, Build::NzAu, Build::OnDemand];
