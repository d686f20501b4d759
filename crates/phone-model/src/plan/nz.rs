//! New Zealand (+64). National numbers are dialled with a trunk 0: `09 264 5555`.

use super::{Plan, Range};
use crate::NumberKind::{FixedLine, Mobile, PremiumRate, TollFree};

// One range a line reads as a table; rustfmt would spread each over seven lines.
#[rustfmt::skip]
pub(crate) static PLAN: Plan = Plan {
    country: "New Zealand",
    ranges: &[
        // Landlines: area 3, 4, 6, 7 or 9, then seven digits that do not start with 0 or 1.
        Range { prefix: "3[2-79]", lengths: (8, 8), kind: FixedLine, groups: &[1, 3], trunk_zero: true },
        Range { prefix: "[49][2-9]", lengths: (8, 8), kind: FixedLine, groups: &[1, 3], trunk_zero: true },
        Range { prefix: "6[235-9]", lengths: (8, 8), kind: FixedLine, groups: &[1, 3], trunk_zero: true },
        Range { prefix: "7[2-57-9]", lengths: (8, 8), kind: FixedLine, groups: &[1, 3], trunk_zero: true },
        // Mobiles: 020, 021, 022, 027, 028, 029, with six to eight more digits.
        Range { prefix: "2[0-27-9]", lengths: (8, 10), kind: Mobile, groups: &[2, 3], trunk_zero: true },
        // Freephone 0800 and 0508.
        Range { prefix: "80", lengths: (8, 10), kind: TollFree, groups: &[3, 3], trunk_zero: true },
        Range { prefix: "508", lengths: (9, 10), kind: TollFree, groups: &[3, 3], trunk_zero: true },
        // Premium 0900.
        Range { prefix: "900", lengths: (8, 9), kind: PremiumRate, groups: &[3], trunk_zero: true },
    ],
};
