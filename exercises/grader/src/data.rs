//! Checks of the data exercises: standardising with the training split's statistics, and a
//! seeded 70/15/15 split.

use data::Standardizer;
use proptest::prelude::*;
use rand::{SeedableRng, rngs::StdRng};
use tensor::Tensor;

use crate::cases::{self, tensor_of, values};
use crate::golden::close;
use crate::guard::run;
use crate::{Outcome, show, steps};

/// Exercise 19's function: `(train, test)` standardised with the training set's statistics.
pub type Standardize = fn(&Tensor, &Tensor) -> (Tensor, Tensor);

/// Whether `got` is, element by element, what `want` is (loosely: for telling mistakes apart).
fn looks_like(got: &Tensor, want: &Tensor) -> bool {
    got.shape() == want.shape() && got.allclose(want, 1e-3, 1e-4)
}

/// Exercise 19: both outputs against `data::Standardizer` fitted on the training set, with
/// test data drawn from another range than the training data (so using the test set's own
/// statistics shows), and a constant column.
pub fn standardize(f: Standardize) -> Outcome {
    let strategy = (2usize..=8, 1usize..=5, 1usize..=4)
        .prop_flat_map(|(n, m, d)| (values(vec![n, d], -3.0, 7.0), values(vec![m, d], 5.0, 20.0)));
    let property = |(train, test): &(Tensor, Tensor)| {
        let (got_train, got_test) = run("calling your standardize", || f(train, test))?;
        let scaler = Standardizer::fit(train);
        let (want_train, want_test) = (scaler.apply(train), scaler.apply(test));
        let case = format!(
            "\n{}",
            show::inputs(&["train", "test"], &[train.clone(), test.clone()])
        );
        let sample_std = train.sub(&scaler.mean).div(&train.std_axis(0, true, true));
        if !looks_like(&got_train, &want_train) && looks_like(&got_train, &sample_std) {
            return Err(Outcome::Failing(format!(
                "your σ divides by N − 1; the course (like scikit-learn's StandardScaler) uses \
                 the population σ = √((1/N) Σ (x − μ)²){case}"
            )));
        }
        close(
            "the standardised training set",
            "data::Standardizer",
            &got_train,
            &want_train,
            1e-4,
            1e-5,
        )
        .map_err(|o| Outcome::Failing(format!("{}{case}", o.text())))?;
        let own = Standardizer::fit(test).apply(test);
        if !looks_like(&got_test, &want_test) && test.dim(0) > 1 && looks_like(&got_test, &own) {
            return Err(Outcome::Failing(format!(
                "your test set was standardised with its own mean and σ; it must use the \
                 training set's, as new data would be{case}"
            )));
        }
        close(
            "the standardised test set",
            "data::Standardizer fitted on train",
            &got_test,
            &want_test,
            1e-4,
            1e-5,
        )
        .map_err(|o| Outcome::Failing(format!("{}{case}", o.text())))
    };
    steps(|| {
        let random = cases::check("train and test", 128, &strategy, property)?;
        let constant = tensor_of(vec![1.0, 5.0, 2.0, 5.0, 3.0, 5.0], &[3, 2]);
        let test = tensor_of(vec![4.0, 6.0], &[1, 2]);
        property(&(constant, test)).map_err(|o| {
            Outcome::Failing(format!(
                "{}\na constant column has σ = 0: the course takes σ = 1 there, so the column \
                 maps to x − μ instead of NaN",
                o.text()
            ))
        })?;
        Ok(vec![
            random,
            "a constant column maps to x − μ, not NaN".to_string(),
        ])
    })
}

/// Exercise 20's function: `(train, valid, test)` indices of `0..n`, shuffled with `rng`.
pub type SplitFn = fn(usize, &mut StdRng) -> (Vec<usize>, Vec<usize>, Vec<usize>);

/// The learner's split of `n` rows with the generator seeded by `seed`.
fn split_of(f: SplitFn, n: usize, seed: u64) -> Result<[Vec<usize>; 3], Outcome> {
    let (train, valid, test) = run(&format!("calling your train_valid_test({n}, …)"), || {
        f(n, &mut StdRng::seed_from_u64(seed))
    })?;
    Ok([train, valid, test])
}

/// Exercise 20: the sizes of `data::split::train_valid_test(n, 0.15, 0.15)`, disjoint parts
/// that cover `0..n`, the same split for the same seed and another for another seed,
/// shuffled, and every row as likely as any other to land in the test set.
pub fn split(f: SplitFn) -> Outcome {
    steps(|| {
        for n in [150, 100, 20, 7, 1, 0] {
            let parts = split_of(f, n, 0)?;
            let reference =
                data::split::train_valid_test(n, 0.15, 0.15, &mut StdRng::seed_from_u64(0));
            let sizes = parts.clone().map(|p| p.len());
            let want = [
                reference.train.len(),
                reference.valid.len(),
                reference.test.len(),
            ];
            if sizes != want {
                return Err(Outcome::Failing(format!(
                    "for n = {n} your split has {sizes:?} rows (train, valid, test); it should \
                     have {want:?}: valid and test get round(0.15·n) rows each, train the rest"
                )));
            }
            let mut all: Vec<usize> = parts.concat();
            all.sort_unstable();
            if all != (0..n).collect::<Vec<_>>() {
                return Err(Outcome::Failing(format!(
                    "for n = {n} the three parts together must hold every index 0..{n} exactly \
                     once; sorted, they hold {all:?}"
                )));
            }
        }
        if split_of(f, 150, 1)? != split_of(f, 150, 1)? {
            return Err(Outcome::Failing(
                "the same seed gave two different splits: draw every random number from `rng`"
                    .to_string(),
            ));
        }
        if split_of(f, 150, 1)? == split_of(f, 150, 2)? {
            return Err(Outcome::Failing(
                "seeds 1 and 2 gave the same split: shuffle with `rng`".to_string(),
            ));
        }
        let [train, ..] = split_of(f, 150, 3)?;
        if train == (0..train.len()).collect::<Vec<_>>() {
            return Err(Outcome::Failing(
                "the training part is the first rows in order: shuffle 0..n before cutting it"
                    .to_string(),
            ));
        }
        let mut in_test = [0usize; 20];
        for seed in 0..400 {
            for &i in &split_of(f, 20, seed)?[2] {
                in_test[i] += 1;
            }
        }
        if let Some((i, &count)) = in_test
            .iter()
            .enumerate()
            .find(|&(_, &c)| !(20..=100).contains(&c))
        {
            return Err(Outcome::Failing(format!(
                "over 400 seeds, row {i} of 20 landed in the test set {count} times; each row \
                 should land there about 60 times (3 of 20 rows, 400 times): is the shuffle fair?"
            )));
        }
        Ok(vec![
            "sizes round(0.15·n) for validation and test, the rest for training".to_string(),
            "the parts are disjoint and cover 0..n".to_string(),
            "one split per seed, a new one for a new seed, shuffled fairly".to_string(),
        ])
    })
}
