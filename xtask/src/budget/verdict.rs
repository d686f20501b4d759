//! The budget's rule, on figures alone: an artifact's measure against its budget, and the
//! sentence a failure prints. No file is read here, so the tests need no build.

use super::{BUDGET_FILE, Budget};

/// What the check says of one artifact.
#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    /// At most its budget, and at most 1% under it.
    Within,
    /// Over its budget by `over` bytes.
    Over { over: usize },
    /// More than 1% under its budget, which should be `lower_to`.
    Slack { lower_to: usize },
}

/// The rule: `measured` bytes against the budget.
fn judge(budget: &Budget, measured: usize) -> Verdict {
    if measured > budget.budget {
        Verdict::Over { over: measured - budget.budget }
    } else if too_slack(measured, budget.budget) {
        Verdict::Slack { lower_to: budget_for(measured) }
    } else {
        Verdict::Within
    }
}

/// What the check reports of an artifact that fails its budget, as a sentence.
pub(super) fn failure(budget: &Budget, measured: usize) -> Option<String> {
    let name = budget.name.name();
    let is = |bytes| format!("{name} is {} bytes {}", thousands(bytes), budget.compression.word());
    let limit = thousands(budget.budget);
    match judge(budget, measured) {
        Verdict::Over { over } => Some(format!(
            "{}, {} over its budget of {limit} in {BUDGET_FILE}",
            is(measured),
            thousands(over)
        )),
        Verdict::Slack { lower_to } => Some(format!(
            "{}, more than 1% under its budget of {limit} in {BUDGET_FILE}: lower its budget to \
             {}, so that no later change can spend what this one saved",
            is(measured),
            thousands(lower_to)
        )),
        Verdict::Within => None,
    }
}

/// Whether `budget` leaves more than 1% of itself unused by an artifact of `measured` bytes.
fn too_slack(measured: usize, budget: usize) -> bool {
    budget > measured && (budget - measured) * 100 > budget
}

/// The budget to set for an artifact of `measured` bytes: rounded up to the coarsest of 1,000,
/// 100, 10 or 1 bytes that stays within 1% of it.
fn budget_for(measured: usize) -> usize {
    [1000, 100, 10, 1]
        .into_iter()
        .map(|step| measured.div_ceil(step) * step)
        .find(|&budget| !too_slack(measured, budget))
        .expect("a budget equal to the artifact leaves nothing unused")
}

/// `bytes` with a comma between thousands: 201,234.
pub(super) fn thousands(bytes: usize) -> String {
    let digits = bytes.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// What is left of `budget` after `measured`, signed: "+766", "-1,234".
pub(super) fn signed(budget: usize, measured: usize) -> String {
    if measured > budget {
        format!("-{}", thousands(measured - budget))
    } else {
        format!("+{}", thousands(budget - measured))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::Artifact;

    fn budget(name: Artifact, bytes: usize) -> Budget {
        Budget {
            name,
            compression: name.compression(),
            budget: bytes,
            why: vec!["a test".to_owned()],
        }
    }

    #[test]
    fn an_artifact_one_byte_over_its_budget_fails_and_one_at_it_passes() {
        let first_load = budget(Artifact::FirstLoad, 200_000);
        assert_eq!(judge(&first_load, 200_000), Verdict::Within);
        assert_eq!(failure(&first_load, 200_000), None);
        assert_eq!(judge(&first_load, 200_001), Verdict::Over { over: 1 });
        assert_eq!(
            failure(&first_load, 201_234).as_deref(),
            Some(
                "the staff app's first load is 201,234 bytes brotli, 1,234 over its budget of \
                 200,000 in xtask/sizes.toml"
            )
        );
    }

    #[test]
    fn an_artifact_more_than_1_percent_under_its_budget_fails_with_the_budget_to_set() {
        let element = budget(Artifact::Element, 50_000);
        // 1% of 50,000 is 500 bytes: 49,500 is as low as the budget lets it go.
        assert_eq!(judge(&element, 49_500), Verdict::Within);
        assert_eq!(judge(&element, 49_499), Verdict::Slack { lower_to: 49_500 });
        let message = failure(&element, 47_123).expect("2,877 bytes under fails");
        assert!(
            message.starts_with(
                "the element is 47,123 bytes gzip, more than 1% under its budget of 50,000 in \
                 xtask/sizes.toml: lower its budget to 47,200"
            ),
            "{message}"
        );
    }

    #[test]
    fn the_budget_to_set_is_rounded_up_as_far_as_the_1_percent_rule_allows() {
        for (measured, expected) in [
            (248_321, 249_000),
            (40_123, 40_200),
            (4_567, 4_600),
            (1_234, 1_240),
            (99, 100),
            (0, 0),
        ] {
            assert_eq!(budget_for(measured), expected, "{measured}");
        }
        // Whatever it suggests passes the check.
        for measured in (0..20_000).chain([1_000_000, 123_456_789]) {
            let suggested = budget(Artifact::NzAu, budget_for(measured));
            assert_eq!(judge(&suggested, measured), Verdict::Within, "{measured}");
        }
    }

    #[test]
    fn thousands_are_separated_by_commas() {
        for (bytes, shown) in [(0, "0"), (999, "999"), (1_000, "1,000"), (201_234, "201,234")] {
            assert_eq!(thousands(bytes), shown);
        }
        assert_eq!(signed(200_000, 201_234), "-1,234");
        assert_eq!(signed(200_000, 199_234), "+766");
    }
}
