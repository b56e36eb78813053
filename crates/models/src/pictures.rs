//! Turning weights and activations into images: each map is stretched to `[0, 1]` and
//! enlarged so a 3×3 filter is visible, then laid out with `data::grid`.

use tensor::Tensor;

/// Rescales each `[H, W]` plane of `x: [N, C, H, W]` to `[0, 1]` (min → 0, max → 1) and
/// enlarges it `scale` times by repeating pixels.
///
/// # Shapes
/// `[N, C, H, W] → [N·C, 1, H·scale, W·scale]`.
pub fn planes_as_images(x: &Tensor, scale: usize) -> Tensor {
    let s = x.shape();
    let (planes, h, w) = (s[0] * s[1], s[2], s[3]);
    let (bh, bw) = (h * scale, w * scale);
    let mut out = Vec::with_capacity(planes * bh * bw);
    for plane in x.data().chunks(h * w) {
        let (lo, hi) = plane
            .iter()
            .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &v| {
                (lo.min(v), hi.max(v))
            });
        let range = (hi - lo).max(1e-12);
        for y in 0..bh {
            for x in 0..bw {
                out.push((plane[(y / scale) * w + x / scale] - lo) / range);
            }
        }
    }
    Tensor::from_parts("planes_as_images", out, &[planes, 1, bh, bw])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn planes_are_stretched_and_enlarged() {
        // One 1×2 plane [2, 4] → [0, 1], each pixel repeated into a 2×2 block.
        let x = Tensor::from_vec(vec![2.0, 4.0], &[1, 1, 1, 2]).unwrap();
        let y = planes_as_images(&x, 2);
        assert_eq!(y.shape(), &[1, 1, 2, 4]);
        assert_eq!(y.data(), &[0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0]);
    }
}
