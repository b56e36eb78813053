//! Reading a vision transformer's attention: where the class token looks in one block and
//! head, and the attention rollout through all the blocks. Lesson 9's `attention.png` and
//! the studio's inside view both draw these.
//!
//! Each block's attention probabilities come from
//! [`VisionTransformer::forward_with_attention`](layers::VisionTransformer::forward_with_attention)
//! as `a[n, h, i, j]`, `[N, H, T + 1, T + 1]`: row `i` of head `h` says how much token `i`
//! takes from token `j`, and sums to 1. Token 0 is the class token, tokens `1..=T` the
//! patches, row by row.
//!
//! ```
//! use tensor::Tensor;
//! // One block, one head, two patches; every token attends only to itself.
//! let a = Tensor::from_vec(vec![1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0], &[1, 1, 3, 3]).unwrap();
//! assert_eq!(models::attention::class_attention(&a, 0, 0), [0.0, 0.0]);
//! assert_eq!(models::attention::rollout(&[a], 0), [0.0, 0.0]);
//! ```

use tensor::Tensor;

/// The class token's row of attention probabilities over the patches, `a[n, h, 0, 1..]`,
/// of image `n` and head `h` of one block's attention.
///
/// # Shapes
/// `attention: [N, H, T + 1, T + 1]` → `T` values (a `g × g` map when the patches tile a
/// square, row by row).
pub fn class_attention(attention: &Tensor, n: usize, h: usize) -> Vec<f32> {
    let s = attention.shape();
    assert!(
        s.len() == 4 && s[2] == s[3] && n < s[0] && h < s[1],
        "class_attention: expected [N, H, T + 1, T + 1] with image {n} and head {h}, got {s:?}"
    );
    let t = s[2];
    let start = ((n * s[1] + h) * t) * t;
    attention.data()[start + 1..start + t].to_vec()
}

/// Attention rollout (Abnar and Zuidema, 2020) for image `n`: each block's attention
/// averaged over its heads, mixed half and half with the identity (the residual path), and
/// multiplied through the blocks,
///
/// `Â_l = ½·(1/H)·Σ_h A_l,h + ½·I`, `R = Â_L · … · Â_1`;
///
/// the class token's row of `R` over the patches, `R[0, 1..]`, says how much each patch's
/// embedding reached it. Every `Â_l` has rows summing to 1, so `R` does too.
///
/// # Shapes
/// `attention`: `L` tensors `[N, H, T + 1, T + 1]` in block order → `T` values.
pub fn rollout(attention: &[Tensor], n: usize) -> Vec<f32> {
    let t = attention.first().expect("rollout: no blocks").shape()[2];
    let mut r = vec![0.0f64; t * t];
    (0..t).for_each(|i| r[i * t + i] = 1.0);
    for a in attention {
        assert_eq!(
            a.shape()[2..],
            [t, t],
            "rollout: blocks of different lengths"
        );
        let heads = a.shape()[1];
        let mut mixed = vec![0.0f64; t * t];
        for h in 0..heads {
            let start = (n * heads + h) * t * t;
            for (m, &v) in mixed.iter_mut().zip(&a.data()[start..start + t * t]) {
                *m += f64::from(v) / (2.0 * heads as f64);
            }
        }
        (0..t).for_each(|i| mixed[i * t + i] += 0.5);
        let mut next = vec![0.0f64; t * t];
        for i in 0..t {
            for k in 0..t {
                let m = mixed[i * t + k];
                for j in 0..t {
                    next[i * t + j] += m * r[k * t + j];
                }
            }
        }
        r = next;
    }
    r[1..t].iter().map(|&v| v as f32).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Uniform attention over `t` tokens for `heads` heads of one image.
    fn uniform(heads: usize, t: usize) -> Tensor {
        Tensor::from_vec(vec![1.0 / t as f32; heads * t * t], &[1, heads, t, t]).unwrap()
    }

    #[test]
    fn one_uniform_block_gives_each_patch_half_of_a_share() {
        // Â = ½·U + ½·I with U = 1/T everywhere: the class token's row is ½·(1/T) on each
        // patch (and ½ + ½·(1/T) on itself).
        let t = 5;
        let r = rollout(&[uniform(2, t)], 0);
        for v in r {
            assert!((v - 0.5 / t as f32).abs() < 1e-7, "{v}");
        }
    }

    #[test]
    fn two_uniform_blocks_multiply() {
        // Â² = (½U + ½I)² = ¼U² + ½U + ¼I = ¾U + ¼I, since U² = U: ¾·(1/T) off the diagonal.
        let t = 4;
        let r = rollout(&[uniform(3, t), uniform(3, t)], 0);
        for v in r {
            assert!((v - 0.75 / t as f32).abs() < 1e-7, "{v}");
        }
    }

    #[test]
    fn the_class_row_is_token_zeros_row_without_itself() {
        // Image 1, head 1 of [2, 2, 3, 3] filled with 0, 1, 2, …: row 0 of that head starts
        // at ((1·2 + 1)·3)·3 = 27, so the patches' values are 28 and 29.
        let a = Tensor::from_vec((0..36).map(|v| v as f32).collect(), &[2, 2, 3, 3]).unwrap();
        assert_eq!(class_attention(&a, 1, 1), [28.0, 29.0]);
    }
}
