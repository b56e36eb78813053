//! Counting what a classifier gets right.

/// The fraction of positions where `predicted` equals `truth`.
pub fn accuracy(predicted: &[usize], truth: &[usize]) -> f64 {
    assert_eq!(
        predicted.len(),
        truth.len(),
        "accuracy: {} predictions for {} labels",
        predicted.len(),
        truth.len()
    );
    if truth.is_empty() {
        return 0.0;
    }
    let right = predicted.iter().zip(truth).filter(|(p, t)| p == t).count();
    right as f64 / truth.len() as f64
}

/// The `k × k` confusion matrix: `counts[t][p]` is how many examples of true class `t`
/// were predicted as `p`.
pub fn confusion(predicted: &[usize], truth: &[usize], k: usize) -> Vec<Vec<usize>> {
    let mut counts = vec![vec![0; k]; k];
    for (&p, &t) in predicted.iter().zip(truth) {
        counts[t][p] += 1;
    }
    counts
}

/// Class indices stored as `f32` (how the data crate keeps labels) as `usize`.
pub fn classes(labels: &tensor::Tensor) -> Vec<usize> {
    labels.data().iter().map(|&v| v as usize).collect()
}

/// Prints a confusion matrix as a table, rows = true class.
pub fn print_confusion(counts: &[Vec<usize>], names: &[String]) {
    print!("  {:>10}", "true\\pred");
    for n in names {
        print!(" {n:>8}");
    }
    println!();
    for (row, name) in counts.iter().zip(names) {
        print!("  {name:>10}");
        for c in row {
            print!(" {c:>8}");
        }
        println!();
    }
}

/// Adds the right answers of a batch of logits (its largest logit is the class in `y`) and
/// the batch's size to running counts, for a training accuracy measured on the way.
///
/// # Shapes
/// `logits: [B, classes]`, `y: [B]` class indices.
pub fn count_right(
    logits: &tensor::Tensor,
    y: &tensor::Tensor,
    (correct, seen): (&std::cell::Cell<usize>, &std::cell::Cell<usize>),
) {
    let right = logits
        .argmax_rows()
        .iter()
        .zip(y.data())
        .filter(|(p, t)| **p == **t as usize)
        .count();
    correct.set(correct.get() + right);
    seen.set(seen.get() + y.numel());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accuracy_and_confusion_count_agreements() {
        // 3 of 4 right.
        assert_eq!(accuracy(&[0, 1, 1, 2], &[0, 1, 2, 2]), 0.75);
        // The one mistake: a true 2 predicted as 1.
        let m = confusion(&[0, 1, 1, 2], &[0, 1, 2, 2], 3);
        assert_eq!(m, vec![vec![1, 0, 0], vec![0, 1, 0], vec![0, 1, 1]]);
    }
}
