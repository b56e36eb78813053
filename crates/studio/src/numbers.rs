//! Numbers for the browser: a list's range, its index of the largest, and values rounded
//! to what a picture can show, so that a page's JSON stays small.

/// The index of the largest value (the first, on a tie).
pub(crate) fn argmax(values: &[f32]) -> usize {
    values
        .iter()
        .enumerate()
        .fold((0, f32::NEG_INFINITY), |best, (i, &v)| {
            if v > best.1 { (i, v) } else { best }
        })
        .0
}

/// The smallest and largest values (`(0, 0)` for none).
pub(crate) fn range(values: &[f32]) -> (f32, f32) {
    if values.is_empty() {
        return (0.0, 0.0);
    }
    values
        .iter()
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        })
}

/// `values` rounded to four significant digits of `largest` (the largest magnitude among
/// them): steps of a ten-thousandth of it or finer — far below what a colour shows —
/// in about half the bytes of every digit of an `f32`.
pub(crate) fn rounded(values: &[f32], largest: f32) -> Vec<f64> {
    if !(largest.is_finite() && largest > 0.0) {
        return values.iter().map(|&v| f64::from(v)).collect();
    }
    // The step is 10^e; an integer count of steps divided by 10^(−e) is the closest f64
    // to the decimal, so it prints with no more digits than the count has.
    let e = f64::from(largest).log10().floor() as i32 - 3;
    let scale = 10f64.powi(e.abs());
    values
        .iter()
        .map(|&v| {
            let v = f64::from(v);
            if e < 0 {
                (v * scale).round() / scale
            } else {
                (v / scale).round() * scale
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_keeps_four_significant_digits_of_the_largest() {
        // largest 3.2: steps of 0.001.
        assert_eq!(
            rounded(&[3.2, 0.123_456, -1.000_49, 0.0], 3.2),
            [3.2, 0.123, -1.0, 0.0]
        );
        // largest 2500: steps of 1.
        assert_eq!(rounded(&[2500.4, 12.6], 2500.4), [2500.0, 13.0]);
        assert_eq!(
            serde_json::to_string(&rounded(&[0.123_456_7], 0.5)).unwrap(),
            "[0.1235]"
        );
        assert_eq!(rounded(&[0.0, 0.0], 0.0), [0.0, 0.0]);
    }

    #[test]
    fn argmax_and_range() {
        assert_eq!(argmax(&[0.1, 0.7, 0.7, 0.2]), 1);
        assert_eq!(range(&[2.0, -1.0, 5.0]), (-1.0, 5.0));
        assert_eq!(range(&[]), (0.0, 0.0));
    }
}
