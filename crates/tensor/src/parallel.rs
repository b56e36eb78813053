//! Element-wise work on both cores: [`Tensor::par_map`] and [`Tensor::par_zip_map`].
//!
//! They compute exactly what [`Tensor::map`] and [`Tensor::zip_map`] compute, element by
//! element, so the result is the same bit for bit however the work is split. Small tensors
//! (below [`PAR_MIN_LEN`] elements) stay on the calling thread, where handing work to
//! another core would cost more than it saves; large ones are cut into fixed chunks of
//! [`PAR_CHUNK`] elements that rayon's threads share.

use rayon::prelude::*;

use crate::tensor::Tensor;

/// Tensors with fewer elements than this are mapped on the calling thread.
pub const PAR_MIN_LEN: usize = 1 << 15;

/// The number of elements one parallel task maps.
pub const PAR_CHUNK: usize = 1 << 13;

impl Tensor {
    /// [`Tensor::map`] on both cores for large tensors: `y_i = f(x_i)`.
    ///
    /// # Shapes
    /// `x → y` of the same shape.
    pub fn par_map(&self, f: impl Fn(f32) -> f32 + Sync) -> Tensor {
        if self.numel() < PAR_MIN_LEN {
            return self.map(f);
        }
        let mut out = vec![0.0; self.numel()];
        out.par_chunks_mut(PAR_CHUNK)
            .zip(self.data().par_chunks(PAR_CHUNK))
            .for_each(|(y, x)| y.iter_mut().zip(x).for_each(|(y, &x)| *y = f(x)));
        Tensor::from_parts("par_map", out, self.shape())
    }

    /// [`Tensor::zip_map`] on both cores for large tensors: `z_i = f(x_i, y_i)` for two
    /// tensors of the same shape; panics naming `op` and both shapes if they differ.
    ///
    /// # Shapes
    /// `x, y → z`, all of the same shape.
    pub fn par_zip_map(
        &self,
        other: &Tensor,
        op: &str,
        f: impl Fn(f32, f32) -> f32 + Sync,
    ) -> Tensor {
        if self.numel() < PAR_MIN_LEN || self.shape() != other.shape() {
            return self.zip_map(other, op, f);
        }
        let mut out = vec![0.0; self.numel()];
        out.par_chunks_mut(PAR_CHUNK)
            .zip(self.data().par_chunks(PAR_CHUNK))
            .zip(other.data().par_chunks(PAR_CHUNK))
            .for_each(|((z, x), y)| {
                for ((z, &x), &y) in z.iter_mut().zip(x).zip(y) {
                    *z = f(x, y);
                }
            });
        Tensor::from_parts(op, out, self.shape())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parallel_maps_equal_the_sequential_ones() {
        // Sizes below, at and past the threshold, and one that leaves a ragged last chunk.
        for n in [10, PAR_MIN_LEN, PAR_MIN_LEN + 3 * PAR_CHUNK + 17] {
            let x = Tensor::arange(0.0, n as f32, 1.0).map(|v| (v * 0.001).sin());
            let y = x.map(|v| v * 3.0 - 1.0);
            assert_eq!(x.par_map(f32::tanh), x.map(f32::tanh));
            let f = |a: f32, b: f32| a * (1.0 - b * b);
            assert_eq!(x.par_zip_map(&y, "t", f), x.zip_map(&y, "t", f));
        }
    }

    #[test]
    #[should_panic(expected = "mul: shapes [2] and [3] must be equal")]
    fn par_zip_map_checks_shapes() {
        Tensor::zeros(&[2]).par_zip_map(&Tensor::zeros(&[3]), "mul", |a, b| a * b);
    }
}
