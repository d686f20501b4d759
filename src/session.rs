//! Who is signed in, for the whole app: the pages show only to a signed-in person, and only
//! an editor is offered changes.

use leptos::prelude::*;

use phone_model::{BusinessResource, StaffSession};

/// The app's idea of who is signed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignedIn {
    /// Not known yet: the app is asking the server.
    Checking,
    /// Nobody: the sign-in page shows.
    Nobody,
    /// Someone.
    As(StaffSession),
}

/// The shared state, through context.
#[derive(Debug, Clone, Copy)]
pub struct Session(pub RwSignal<SignedIn>);

impl Session {
    pub fn provide(initial: SignedIn) -> Self {
        let session = Self(RwSignal::new(initial));
        provide_context(session);
        session
    }

    /// The app's session.
    ///
    /// # Panics
    /// Outside the app, or a test that provides it.
    pub fn get() -> Self {
        expect_context()
    }

    /// The businesses the person signed in sees, when there is more than one to choose from.
    pub fn businesses_to_choose(self) -> Vec<BusinessResource> {
        match self.0.get() {
            SignedIn::As(me) if me.businesses.len() > 1 => me.businesses,
            _ => Vec::new(),
        }
    }

    /// Whether the app is still asking the server who is signed in.
    pub fn is_checking(self) -> bool {
        self.0.get() == SignedIn::Checking
    }

    /// Whether the server is a gateway to the provider's API.
    pub fn is_gateway(self) -> bool {
        matches!(self.0.get(), SignedIn::As(me) if me.gateway)
    }

    /// Whether the person signed in may change numbers.
    pub fn can_edit(self) -> bool {
        matches!(self.0.get(), SignedIn::As(me) if me.role.can_edit())
    }
}
