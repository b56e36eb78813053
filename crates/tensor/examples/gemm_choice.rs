//! Compares the three GEMMs considered for `tensor::kernels::gemm` on square f32 products:
//! nalgebra's `DMatrix` product, `matrixmultiply::sgemm` and the `gemm` crate at 1 and 2
//! threads. Run with `cargo run --release -p tensor --example gemm_choice`; matrixmultiply's
//! thread count can only be set with `MATMUL_NUM_THREADS` before the first call, so run it
//! once with `MATMUL_NUM_THREADS=1` and once with `=2` to see both.

use std::time::Instant;

use gemm::Parallelism;

/// GFLOP/s of `f` (one n×n×n product) as the median of 7 timed runs after 2 warm-ups.
fn gflops(n: usize, mut f: impl FnMut()) -> f64 {
    let reps = (1usize << 30) / (n * n * n) + 1;
    let mut times: Vec<f64> = (0..9)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..reps {
                f();
            }
            t.elapsed().as_secs_f64() / reps as f64
        })
        .skip(2)
        .collect();
    times.sort_by(f64::total_cmp);
    2.0 * (n * n * n) as f64 / times[times.len() / 2] / 1e9
}

#[allow(unsafe_code)]
fn main() {
    for n in [256, 512, 1024] {
        let a: Vec<f32> = (0..n * n).map(|i| (i % 7) as f32 * 0.1).collect();
        let b: Vec<f32> = (0..n * n).map(|i| (i % 5) as f32 * 0.1).collect();
        let mut c = vec![0.0f32; n * n];
        let (am, bm) = (
            nalgebra::DMatrix::from_row_slice(n, n, &a),
            nalgebra::DMatrix::from_row_slice(n, n, &b),
        );
        let mut cm = nalgebra::DMatrix::<f32>::zeros(n, n);
        let nalg = gflops(n, || am.mul_to(&bm, &mut cm));
        let mm = gflops(n, || {
            // SAFETY: a, b and c hold n·n values, row-major with row stride n.
            unsafe {
                matrixmultiply::sgemm(
                    n,
                    n,
                    n,
                    1.0,
                    a.as_ptr(),
                    n as isize,
                    1,
                    b.as_ptr(),
                    n as isize,
                    1,
                    0.0,
                    c.as_mut_ptr(),
                    n as isize,
                    1,
                )
            }
        });
        let mut gemm_at = |par: Parallelism| {
            gflops(n, || {
                // SAFETY: as above; `gemm` computes dst = beta·lhs·rhs when read_dst is false.
                unsafe {
                    gemm::gemm(
                        n,
                        n,
                        n,
                        c.as_mut_ptr(),
                        1,
                        n as isize,
                        false,
                        a.as_ptr(),
                        1,
                        n as isize,
                        b.as_ptr(),
                        1,
                        n as isize,
                        0.0,
                        1.0,
                        false,
                        false,
                        false,
                        par,
                    )
                }
            })
        };
        let (g1, g2) = (gemm_at(Parallelism::None), gemm_at(Parallelism::Rayon(2)));
        println!(
            "n = {n:4}: nalgebra {nalg:6.1}  matrixmultiply {mm:6.1}  gemm t1 {g1:6.1}  gemm t2 {g2:6.1} GFLOP/s"
        );
    }
}
