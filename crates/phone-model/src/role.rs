//! Staff roles: what a staff member signed in to the app may do. The server keeps each user's,
//! and the session answer tells the app, which offers changes only to an editor.

/// A staff member's role: a viewer reads; an editor also writes. On the wire, lower-case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(rename_all = "lowercase"))]
pub enum Role {
    /// Reads customers and their numbers.
    Viewer,
    /// Reads, and changes numbers.
    Editor,
}

impl Role {
    /// The spelling on the wire and in the database (`editor`).
    ///
    /// ```
    /// assert_eq!(phone_model::Role::Editor.as_str(), "editor");
    /// ```
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Viewer => "viewer",
            Self::Editor => "editor",
        }
    }

    /// The role spelled `text`, exactly as [`as_str`](Self::as_str) writes it; `None` for
    /// anything else (`"Editor"`, `"admin"`).
    ///
    /// ```
    /// use phone_model::Role;
    /// assert_eq!(Role::parse("viewer"), Some(Role::Viewer));
    /// assert_eq!(Role::parse("Editor"), None);
    /// ```
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "viewer" => Some(Self::Viewer),
            "editor" => Some(Self::Editor),
            _ => None,
        }
    }

    /// Whether the role may change numbers (an editor), not only read them.
    ///
    /// ```
    /// use phone_model::Role;
    /// assert!(Role::Editor.can_edit() && !Role::Viewer.can_edit());
    /// ```
    #[must_use]
    pub const fn can_edit(self) -> bool {
        matches!(self, Self::Editor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_reads_back_from_its_spelling() {
        for role in [Role::Viewer, Role::Editor] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
    }

    #[cfg(feature = "serde")]
    #[test]
    fn every_role_travels_in_its_spelling() {
        for role in [Role::Viewer, Role::Editor] {
            let json = serde_json::to_string(&role).expect("a role serialises");
            assert_eq!(json, format!("\"{}\"", role.as_str()));
            assert_eq!(serde_json::from_str::<Role>(&json).ok(), Some(role));
        }
        assert_eq!(serde_json::from_str::<Role>("\"admin\"").ok(), None);
    }
}
