//! `cargo xtask bench`: the benchmarks, printed and written to `BENCHMARKS.md`. Not part of
//! `cargo xtask test`: it takes minutes and loads the machine.

use std::{fs, process::Stdio};

use crate::{
    Result,
    builds::Build,
    embed,
    process::{command, run},
    root, sizes, tools, trunk,
};

/// Builds everything for release, runs the API benchmarks (on SQLite, then on a throwaway
/// PostgreSQL cluster) and measures the sizes.
///
/// # Errors
/// When a build or a benchmark fails.
pub(crate) fn run_bench() -> Result {
    tools::ensure_web_tools()?;
    tools::ensure_postgres()?;
    trunk::build()?;
    embed::build()?;
    run(command(
        "cargo",
        &["build", "--release", "--package", "phone-server", "--package", "phone-bench"],
    ))?;
    // libphonenumber-js, for the browser comparison, served beside the app like the module.
    let bench = root().join("dist/bench");
    fs::create_dir_all(&bench)?;
    for bundle in ["libphonenumber-min.js", "libphonenumber-max.js"] {
        fs::copy(
            root().join("node_modules/libphonenumber-js/bundle").join(bundle),
            bench.join(bundle),
        )?;
    }
    // Stoplight Prism, for the comparison with a mock: into target/, not the project's packages.
    let prism = root().join("target/prism/node_modules/.bin/prism");
    if !prism.exists() {
        let mut install =
            command("npm", &["install", "--no-audit", "--no-fund", "--prefix", "target/prism"]);
        install.arg("@stoplight/prism-cli@5.16.0");
        run(install)?;
    }
    // Lighthouse, for the app's load on a simulated phone: into target/ as well.
    let lighthouse = root().join("target/lighthouse/node_modules/.bin/lighthouse");
    if !lighthouse.exists() {
        let mut install = command(
            "npm",
            &["install", "--no-audit", "--no-fund", "--prefix", "target/lighthouse"],
        );
        install.arg("lighthouse@13.5.0");
        run(install)?;
    }
    eprintln!("\nAPI benchmarks (a few minutes; progress below)\n");
    let server = root().join("target/release/phone-server");
    let output = phone_bench().arg(&server).arg(&prism).stderr(Stdio::inherit()).output()?;
    if !output.status.success() {
        return Err("phone-bench failed".into());
    }
    let api = String::from_utf8_lossy(&output.stdout);
    eprintln!("\nLighthouse (default simulated mobile; about a minute)\n");
    let pages = phone_bench()
        .arg("--lighthouse")
        .arg(&server)
        .arg(&lighthouse)
        .arg(root().join("dist"))
        .stderr(Stdio::inherit())
        .output()?;
    if !pages.status.success() {
        return Err("phone-bench --lighthouse failed".into());
    }
    let pages = String::from_utf8_lossy(&pages.stdout);
    let app = sizes::first_load()?;
    let sign_in = sizes::measure(&root().join("dist"), &sizes::sign_in_files()?)?;
    let plans = sizes::plans()?;
    let all = Build::All;
    let module = sizes::measure(&all.out_dir(), &embed::module_files(all)?)?;
    let slim = Build::NzAu;
    let slim_module = sizes::measure(&slim.out_dir(), &embed::module_files(slim)?)?;
    let on_demand = Build::OnDemand;
    let on_demand_module = sizes::measure(&on_demand.out_dir(), &embed::module_files(on_demand)?)?;
    let report = format!(
        "# Benchmarks\n\nWritten by `cargo xtask bench` (release builds). Goals are in the issues; \
         the closing notes say which are met.\n\n{api}\n\n## The app's load in Lighthouse\n\n\
         Lighthouse 13.5.0, default simulated mobile, performance only, on the app as \
         `phone-server` serves it (compressed, cached):\n\n{pages}\n\n## Sizes\n\n\
         The staff app's first load (the brotli column is what goes on the wire):\n\n{}\n\n\
         Of which the sign-in page needs, before a person can read it and type (the app's \
         code is still downloading):\n\n{}\n\nAfter the app has started, it fetches every \
         region's numbering plans (cached for a year):\n\n{}\n\n\
         The embeddable validator with `<phone-number-input>`, every region:\n\n{}\n\nThe \
         same, New Zealand and Australia only (`target/embed/nz-au/`):\n\n{}\n\nThe same, \
         on demand (`target/embed/on-demand/`: no plans; a pack per calling code in `plans/`, \
         fetched when first needed):\n\n{}\n\nAgainst issue 33's goals:\n\n{}\n",
        sizes::markdown(&app, "first load"),
        sizes::markdown(&sign_in, "before a person can type"),
        sizes::markdown(&plans, "the plans, after the app has started"),
        sizes::markdown(&module, "module + element"),
        sizes::markdown(&slim_module, "module + element"),
        sizes::markdown(&on_demand_module, "module + element"),
        embed::goals()?.join("\n"),
    );
    fs::write(root().join("BENCHMARKS.md"), &report)?;
    println!("{report}");
    Ok(())
}

/// The release benchmark binary, to be given its arguments. Its browser measurements go
/// through the end-to-end harness: point that at the release server too, not a debug build
/// that may be stale or absent.
fn phone_bench() -> std::process::Command {
    let mut bench =
        command(root().join("target/release/phone-bench").to_str().unwrap_or("phone-bench"), &[]);
    bench.env("PHONEDESK_SERVER", root().join("target/release/phone-server"));
    bench
}
