//! Whole minutes for the parts of a total that add up to the total shown.
//!
//! A page shows each resource's time and the self-study total, and the
//! self-study, workshop and total of the credit panel, each in whole
//! minutes. Rounding every figure on its own makes three 14:30 videos
//! "15 min" each under a total of "44 min". Credit is computed from the
//! exact times and rounded once, so the total stays as it is and the parts
//! give way: each is its exact time rounded down, and the minutes still
//! missing from the total go to the parts that were rounded down the most
//! (largest remainder). No part moves by a minute or more.

use crate::credit::Duration;

/// Whole minutes for each of `parts`, in order, that add up to `total`
/// minutes: normally the parts' sum rounded, or a share of a larger total
/// handed down the same way. A total the parts cannot reach with a minute
/// more each (or that is below their whole minutes) is met as far as it can be.
pub fn shares(parts: &[Duration], total: u64) -> Vec<u64> {
    const MINUTE: u64 = 60_000;
    let mut shares: Vec<u64> = parts.iter().map(|d| d.as_millis() / MINUTE).collect();
    let mut missing = total.saturating_sub(shares.iter().sum());
    let mut order: Vec<usize> = (0..parts.len()).collect();
    // Largest remainder first; among equals, the earlier part.
    order.sort_by_key(|&i| std::cmp::Reverse(parts[i].as_millis() % MINUTE));
    for i in order {
        if missing == 0 {
            break;
        }
        if parts[i].as_millis() % MINUTE > 0 {
            shares[i] += 1;
            missing -= 1;
        }
    }
    shares
}

/// The label of a part's share: the share in whole minutes, or, for a part
/// under a minute, its own seconds ("45 s") as before.
pub fn share_label(part: Duration, share: u64) -> String {
    if part < Duration::from_minutes(1) {
        part.label()
    } else {
        Duration::from_minutes(share).label()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Duration {
        crate::credit::parse_duration(text).unwrap()
    }

    #[test]
    fn parts_add_up_to_the_total() {
        let three = [d("14:30"), d("14:30"), d("14:30")];
        assert_eq!(shares(&three, 44), [15, 15, 14]);
        assert_eq!(shares(&[d("43:30"), d("20:30")], 64), [44, 20]);
        assert_eq!(shares(&[d("10m"), d("20m")], 30), [10, 20]);
        assert_eq!(shares(&[d("10:10"), d("10:50")], 21), [10, 11]);
        assert_eq!(shares(&[], 0), Vec::<u64>::new());
    }

    #[test]
    fn no_part_moves_a_whole_minute() {
        // Whole minutes are never changed, even for a total out of reach.
        assert_eq!(shares(&[d("10m"), d("20m")], 31), [10, 20]);
        assert_eq!(shares(&[d("10:01"), d("20m")], 31), [11, 20]);
    }

    #[test]
    fn labels() {
        assert_eq!(share_label(d("14:30"), 14), "14 min");
        assert_eq!(share_label(d("1:15:30"), 76), "1 h 16 min");
        assert_eq!(share_label(d("0:45"), 1), "45 s");
    }
}
