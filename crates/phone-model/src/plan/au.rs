//! Australia (+61). Geographic and mobile numbers are dialled with a trunk 0 (`02 1234 5678`,
//! `0412 345 678`); the 13, 1300, 1800 and 190 numbers are not.

use super::{Plan, Range};
use crate::NumberKind::{FixedLine, Mobile, PremiumRate, SharedCost, TollFree};

// One range a line reads as a table; rustfmt would spread each over seven lines.
#[rustfmt::skip]
pub(crate) static PLAN: Plan = Plan {
    country: "Australia",
    ranges: &[
        // Landlines: areas 2, 3, 7 and 8, then eight digits.
        Range { prefix: "[2378]", lengths: (9, 9), kind: FixedLine, groups: &[1, 4], trunk_zero: true },
        // Mobiles: 04, then eight digits.
        Range { prefix: "4", lengths: (9, 9), kind: Mobile, groups: &[3, 3], trunk_zero: true },
        // Freecall 1800 (ten digits) and the older 180 (seven).
        Range { prefix: "180", lengths: (10, 10), kind: TollFree, groups: &[4, 3], trunk_zero: false },
        Range { prefix: "180", lengths: (7, 7), kind: TollFree, groups: &[3], trunk_zero: false },
        // Local-rate 1300 (ten digits) and 13 (six).
        Range { prefix: "13", lengths: (10, 10), kind: SharedCost, groups: &[4, 3], trunk_zero: false },
        Range { prefix: "13", lengths: (6, 6), kind: SharedCost, groups: &[2, 2], trunk_zero: false },
        // Premium 190x.
        Range { prefix: "19", lengths: (10, 10), kind: PremiumRate, groups: &[4, 3], trunk_zero: false },
    ],
};
