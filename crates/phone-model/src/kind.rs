//! What kind of line a number reaches.

use core::fmt;

/// The kind of a number, as its country's numbering plan says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NumberKind {
    /// A landline (a fixed line in a geographic area).
    FixedLine,
    /// A mobile phone.
    Mobile,
    /// Free to call (0800, 1800).
    TollFree,
    /// Charged at a premium (0900, 190x).
    PremiumRate,
    /// Charged at a local rate wherever the caller is (13, 1300).
    SharedCost,
    /// A landline or a mobile: the plan cannot tell (the United States, Canada).
    FixedLineOrMobile,
    /// Voice over IP.
    Voip,
    /// A personal number that follows its owner to other phones.
    PersonalNumber,
    /// A pager.
    Pager,
    /// A universal access number: one number for a company's many lines.
    Uan,
    /// Straight to voicemail.
    Voicemail,
    /// Not known: the country has no plan here, or the number fits none of its types.
    Unknown,
}

impl NumberKind {
    /// A stable name for programs (`"landline"`, `"tollFree"`).
    ///
    /// ```
    /// assert_eq!(phone_model::NumberKind::TollFree.as_str(), "tollFree");
    /// ```
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::FixedLine => "landline",
            Self::Mobile => "mobile",
            Self::TollFree => "tollFree",
            Self::PremiumRate => "premiumRate",
            Self::SharedCost => "sharedCost",
            Self::FixedLineOrMobile => "landlineOrMobile",
            Self::Voip => "voip",
            Self::PersonalNumber => "personalNumber",
            Self::Pager => "pager",
            Self::Uan => "uan",
            Self::Voicemail => "voicemail",
            Self::Unknown => "unknown",
        }
    }

    /// The kind as a person says it, after "a" (`a landline`, `a toll-free number`).
    #[must_use]
    pub const fn description(self) -> &'static str {
        match self {
            Self::FixedLine => "landline",
            Self::Mobile => "mobile number",
            Self::TollFree => "toll-free number",
            Self::PremiumRate => "premium-rate number",
            Self::SharedCost => "local-rate number",
            Self::FixedLineOrMobile => "landline or mobile number",
            Self::Voip => "VoIP number",
            Self::PersonalNumber => "personal number",
            Self::Pager => "pager number",
            Self::Uan => "universal access number",
            Self::Voicemail => "voicemail number",
            Self::Unknown => "number of unknown kind",
        }
    }
}

impl fmt::Display for NumberKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
