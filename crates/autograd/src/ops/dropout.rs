//! Inverted dropout: during training each element is zeroed with probability `p` and the
//! survivors are scaled by `1/(1 − p)`, so the expected value is unchanged and evaluation
//! needs no rescaling.
//!
//! `y = x ⊙ m` with `m_i = 1/(1 − p)` with probability `1 − p`, else 0. The mask `m` is
//! recorded, and `∂L/∂x = ∂L/∂y ⊙ m`.

use rand::Rng;
use tensor::Tensor;

use crate::var::Var;

impl Var {
    // ANCHOR: dropout
    /// Dropout with drop probability `p`, active only when `train` is true (in evaluation it
    /// returns its input). The random mask comes from the caller's `rng`.
    pub fn dropout(&self, p: f32, train: bool, rng: &mut impl Rng) -> Var {
        assert!(
            (0.0..1.0).contains(&p),
            "dropout: p must be in [0, 1), got {p}"
        );
        if !train || p == 0.0 {
            return self.clone();
        }
        let scale = 1.0 / (1.0 - p);
        let shape = self.shape();
        let mask_values = (0..self.value().numel())
            .map(|_| if rng.random::<f32>() < p { 0.0 } else { scale })
            .collect();
        let mask = Tensor::from_parts("dropout", mask_values, &shape);
        let y = self.value().mul(&mask);
        Var::from_op("dropout", y, &[self], move |g, _y, _x| {
            vec![Some(g.mul(&mask))]
        })
    }
    // ANCHOR_END: dropout
}
