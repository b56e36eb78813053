//! Mini-batches: the course's `DataLoader`.
//!
//! An epoch is a permutation of the row indices `0..N` (shuffled with the caller's RNG, or
//! in order for evaluation) cut into chunks of `batch_size`; each chunk becomes an
//! `(x, y)` pair by gathering those rows with [`Tensor::select_rows`]. Only one batch is
//! copied at a time, never the whole data set. The last chunk may be shorter; with
//! `drop_last` it is skipped, so every batch has exactly `batch_size` rows.
//!
//! Targets are whatever tensor the caller passes: class indices `[N]` for cross-entropy,
//! binary or regression targets `[N, 1]`.
//!
//! ```
//! use rand::{SeedableRng, rngs::StdRng};
//! use tensor::Tensor;
//! use data::DataLoader;
//! let x = Tensor::arange(0.0, 10.0, 1.0).reshape(&[5, 2]);
//! let y = Tensor::arange(0.0, 5.0, 1.0);
//! let loader = DataLoader::new(&x, &y, 2);
//! let mut rng = StdRng::seed_from_u64(0);
//! let sizes: Vec<usize> = loader.shuffled(&mut rng).map(|(xb, _yb)| xb.dim(0)).collect();
//! assert_eq!(sizes, vec![2, 2, 1]);
//! assert_eq!(loader.drop_last(true).in_order().count(), 2);
//! ```

use rand::Rng;
use rand::seq::SliceRandom;
use tensor::Tensor;

/// Cuts `(x, y)` into mini-batches; borrows the data, so making one is free.
#[derive(Clone, Copy, Debug)]
pub struct DataLoader<'a> {
    x: &'a Tensor,
    y: &'a Tensor,
    batch_size: usize,
    drop_last: bool,
}

impl<'a> DataLoader<'a> {
    /// A loader over inputs `x: [N, ...]` and targets `y: [N, ...]`, keeping the last
    /// partial batch. Panics if `batch_size` is 0 or `x` and `y` have different `N`.
    pub fn new(x: &'a Tensor, y: &'a Tensor, batch_size: usize) -> DataLoader<'a> {
        assert!(batch_size > 0, "DataLoader: batch_size must be positive");
        assert!(
            x.ndim() >= 1 && y.ndim() >= 1 && x.dim(0) == y.dim(0),
            "DataLoader: x {:?} and y {:?} must have the same number of rows",
            x.shape(),
            y.shape()
        );
        DataLoader {
            x,
            y,
            batch_size,
            drop_last: false,
        }
    }

    /// The same loader, skipping (`true`) or keeping (`false`) a last partial batch.
    pub fn drop_last(self, drop_last: bool) -> DataLoader<'a> {
        DataLoader { drop_last, ..self }
    }

    /// The number of rows `N`.
    pub fn len(&self) -> usize {
        self.x.dim(0)
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The number of batches in one epoch.
    pub fn num_batches(&self) -> usize {
        if self.drop_last {
            self.len() / self.batch_size
        } else {
            self.len().div_ceil(self.batch_size)
        }
    }

    /// One training epoch: the rows in a fresh random order drawn from `rng`.
    pub fn shuffled(&self, rng: &mut impl Rng) -> Batches<'a> {
        let mut order: Vec<usize> = (0..self.len()).collect();
        order.shuffle(rng);
        self.batches(order)
    }

    /// One pass in row order (for evaluation).
    pub fn in_order(&self) -> Batches<'a> {
        self.batches((0..self.len()).collect())
    }

    fn batches(&self, order: Vec<usize>) -> Batches<'a> {
        Batches {
            x: self.x,
            y: self.y,
            order,
            batch_size: self.batch_size,
            drop_last: self.drop_last,
            next: 0,
        }
    }
}

/// The batches of one epoch, as `(x_batch, y_batch)`.
///
/// # Shapes
/// `x_batch: [B, ...]`, `y_batch: [B, ...]` with `B = batch_size` (the last may be smaller
/// unless `drop_last`).
#[derive(Clone, Debug)]
pub struct Batches<'a> {
    x: &'a Tensor,
    y: &'a Tensor,
    order: Vec<usize>,
    batch_size: usize,
    drop_last: bool,
    next: usize,
}

impl Batches<'_> {
    /// The row indices of this epoch, in the order batches take them.
    pub fn order(&self) -> &[usize] {
        &self.order
    }
}

impl Iterator for Batches<'_> {
    type Item = (Tensor, Tensor);

    fn next(&mut self) -> Option<(Tensor, Tensor)> {
        let remaining = self.order.len() - self.next;
        if remaining == 0 || (self.drop_last && remaining < self.batch_size) {
            return None;
        }
        let end = self.next + remaining.min(self.batch_size);
        let rows = &self.order[self.next..end];
        self.next = end;
        Some((self.x.select_rows(rows), self.y.select_rows(rows)))
    }
}
