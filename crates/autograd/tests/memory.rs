//! Training must not leak: each step's graph is freed when its loss is dropped, so 10,000
//! forward/backward steps of a small MLP keep resident memory flat.
//!
//! This test lives alone in its binary so no other test allocates while it measures.

/// Resident memory of this process in KiB, from the `VmRSS:` line of `/proc/self/status`.
#[cfg(target_os = "linux")]
fn resident_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("read /proc/self/status");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("/proc/self/status has a `VmRSS: N kB` line")
}

#[cfg(target_os = "linux")]
#[test]
fn memory_stays_flat() {
    use autograd::Var;
    use rand::{SeedableRng, rngs::StdRng};
    use tensor::Tensor;

    /// The largest growth allowed between step 1,000 and step 10,000. One step's graph
    /// holds a few KiB; keeping every graph would take tens of MiB.
    const ALLOWED_GROWTH_KIB: u64 = 2 * 1024;

    // A 4-16-1 MLP on a batch of 8: ŷ = tanh(x·W₁ᵀ + b₁)·W₂ᵀ + b₂, L = mean((ŷ − y)²).
    let mut rng = StdRng::seed_from_u64(0);
    let x = Var::constant(Tensor::rand_uniform(&[8, 4], -1.0, 1.0, &mut rng));
    let y = Var::constant(Tensor::rand_uniform(&[8, 1], -1.0, 1.0, &mut rng));
    let w1 = Var::param(Tensor::rand_uniform(&[16, 4], -0.5, 0.5, &mut rng));
    let b1 = Var::param(Tensor::zeros(&[16]));
    let w2 = Var::param(Tensor::rand_uniform(&[1, 16], -0.5, 0.5, &mut rng));
    let b2 = Var::param(Tensor::zeros(&[1]));
    let params = [&w1, &b1, &w2, &b2];
    let lr = 0.05;

    let mut first_loss = None;
    let mut last_loss = 0.0;
    let mut rss_at_1000 = 0;
    for step in 1..=10_000 {
        // Forward, loss.
        let y_hat = x.matmul_bt(&w1).add(&b1).tanh().matmul_bt(&w2).add(&b2);
        let loss = y_hat.sub(&y).square().mean();
        // Zero grads, backward.
        for p in params {
            p.zero_grad();
        }
        loss.backward();
        // Step: p ← p − lr·∂L/∂p, in place.
        for p in params {
            let update = p
                .grad()
                .expect("every weight reaches the loss")
                .mul_scalar(-lr);
            p.value_mut().add_assign(&update);
        }
        last_loss = loss.item();
        first_loss.get_or_insert(last_loss);
        if step == 1_000 {
            rss_at_1000 = resident_kib();
        }
    }
    let rss_at_10000 = resident_kib();
    let growth = rss_at_10000.saturating_sub(rss_at_1000);
    println!(
        "VmRSS after step 1,000: {rss_at_1000} KiB, after step 10,000: {rss_at_10000} KiB \
         (growth {growth} KiB); loss {:.4} → {last_loss:.4}",
        first_loss.unwrap()
    );
    assert!(
        last_loss < first_loss.unwrap(),
        "the loop must actually train"
    );
    assert!(
        growth < ALLOWED_GROWTH_KIB,
        "resident memory grew by {growth} KiB over 9,000 steps (allowed {ALLOWED_GROWTH_KIB})"
    );
}
