//! Times the convolutions of lessons 6 and 7, layer by layer, at the lessons' batch sizes:
//! forward and backward, in ms per batch and GFLOP/s, on rayon's threads (set
//! `RAYON_NUM_THREADS=1` for one), for each kernel this CPU can run: the direct AVX2 kernel
//! (`direct`), channels-last rows and the `gemm` crate (`rows`), and `im2col` with the `gemm`
//! crate (`im2col`), timed in turn so that they share the machine's conditions.
//! `cargo run --release -p tensor --example conv_layers`.

use std::time::Instant;

use rand::{SeedableRng, rngs::StdRng};
use tensor::kernels::{conv, conv_direct, conv_rows};
use tensor::{Tensor, Window2d};

/// The fastest of `runs` calls of `f` after one warm-up call, in seconds.
fn best_secs(runs: usize, mut f: impl FnMut()) -> f64 {
    f();
    (0..runs)
        .map(|_| {
            let s = Instant::now();
            f();
            s.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

type Forward =
    fn(&[f32], &[f32], Option<&[f32]>, (usize, usize, usize), &tensor::Geometry) -> Vec<f32>;
type Backward = fn(
    &[f32],
    &[f32],
    &[f32],
    (usize, usize, usize),
    &tensor::Geometry,
    bool,
) -> (Option<Vec<f32>>, Vec<f32>, Vec<f32>);

fn main() {
    // As every training process of the workspace does (see alloc_tuning).
    alloc_tuning::keep_freed_memory();
    let mut rng = StdRng::seed_from_u64(0);
    let mut kernels: Vec<(&str, Forward, Backward)> = Vec::new();
    if conv_direct::available() {
        kernels.push(("direct", conv_direct::forward, conv_direct::backward));
    }
    kernels.push(("rows", conv_rows::forward, conv_rows::backward));
    kernels.push(("im2col", conv::im2col_forward, conv::im2col_backward));
    // (name, batch, C, O, H, kernel, pad, needs dx)
    let layers = [
        ("l6 conv 1→32 3×3 28²", 32, 1, 32, 28, 3, 1, false),
        ("l7 conv1 1→16 5×5 28²", 128, 1, 16, 28, 5, 2, false),
        ("l7 conv2 16→32 5×5 14²", 128, 16, 32, 14, 5, 2, true),
        ("l7 conv3 32→64 5×5 7²", 128, 32, 64, 7, 5, 2, true),
        ("l7 conv4 64→128 5×5 4²", 128, 64, 128, 4, 5, 2, true),
    ];
    println!(
        "{:<24} {:<7} {:>8} {:>8} {:>8} {:>8} {:>8}",
        "layer", "kernel", "fwd ms", "GFLOP/s", "bwd ms", "GFLOP/s", "dW ms"
    );
    let mut totals = vec![(0.0, 0.0); kernels.len()];
    for (name, n, c, o, h, k, pad, need_dx) in layers {
        let x = Tensor::rand_uniform(&[n, c, h, h], -1.0, 1.0, &mut rng);
        let w = Tensor::rand_uniform(&[o, c, k, k], -0.1, 0.1, &mut rng);
        let b = Tensor::rand_uniform(&[o], -0.1, 0.1, &mut rng);
        let g = Window2d::square(k, 1, pad).geometry("conv2d", h, h);
        let dy = Tensor::rand_uniform(&[n, o, h, h], -1.0, 1.0, &mut rng);
        let macs = (n * o * h * h * c * k * k) as f64;
        let bwd_macs = if need_dx { 2.0 * macs } else { macs };
        for (i, &(kernel, fwd, bwd)) in kernels.iter().enumerate() {
            if kernel != "im2col" && !conv_rows::applies(c, &g) {
                continue;
            }
            let (xd, wd, bd, dyd) = (x.data(), w.data(), Some(b.data()), dy.data());
            let f = best_secs(15, || {
                std::hint::black_box(fwd(xd, wd, bd, (n, c, o), &g));
            });
            let bw = best_secs(15, || {
                std::hint::black_box(bwd(xd, wd, dyd, (n, c, o), &g, need_dx));
            });
            let dw_only = best_secs(15, || {
                std::hint::black_box(bwd(xd, wd, dyd, (n, c, o), &g, false));
            });
            totals[i].0 += f;
            totals[i].1 += bw;
            println!(
                "{name:<24} {kernel:<7} {:>8.3} {:>8.1} {:>8.3} {:>8.1} {:>8.3}",
                f * 1e3,
                2.0 * macs / f / 1e9,
                bw * 1e3,
                2.0 * bwd_macs / bw / 1e9,
                dw_only * 1e3
            );
        }
    }
    for (i, (kernel, _, _)) in kernels.iter().enumerate() {
        println!(
            "{kernel:<7}: the layers it takes, forward {:.2} ms, backward {:.2} ms",
            totals[i].0 * 1e3,
            totals[i].1 * 1e3
        );
    }
}
