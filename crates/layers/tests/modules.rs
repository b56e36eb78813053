//! The `Module` trait's bookkeeping (names, counts, zeroing), each layer's initialisation
//! and shapes, the summary table, and invalid hyperparameters.

use autograd::Var;
use layers::{
    ClassTokenPool, Conv2d, Dropout, Flatten, LayerNorm, Linear, MaxPool2d, Mode, Module,
    MultiHeadAttention, PReLU, PatchEmbed, PosEmbed, ReLU, Sequential, Sigmoid, Tanh,
    TransformerBlock, VisionTransformer, VitConfig, summary, summary_of_layers,
};
use rand::{SeedableRng, rngs::StdRng};
use tensor::{Padding, Tensor, Window2d};

fn rng() -> StdRng {
    StdRng::seed_from_u64(0)
}

/// The lesson-6 CNN: Conv2d(1, 32, 3, pad 1) → ReLU → MaxPool(2) → Flatten →
/// Linear(6272, 128) → ReLU → Linear(128, 10).
fn lesson6_cnn(rng: &mut StdRng) -> Sequential {
    Sequential::new()
        .push(Conv2d::new(1, 32, 3, 1, Padding::Explicit(1, 1), rng))
        .push(ReLU)
        .push(MaxPool2d::new(Window2d::square(2, 2, 0)))
        .push(Flatten)
        .push(Linear::new(6272, 128, rng))
        .push(ReLU)
        .push(Linear::new(128, 10, rng))
}

#[test]
fn the_784_256_1_network_has_201_217_parameters() {
    // Linear(784, 256): 784·256 + 256 = 200,960; Linear(256, 1): 256 + 1 = 257.
    let mut rng = rng();
    let model = Sequential::new()
        .push(Linear::new(784, 256, &mut rng))
        .push(Tanh)
        .push(Linear::new(256, 1, &mut rng))
        .push(Sigmoid);
    assert_eq!(model.num_params(), 201_217);

    let s = summary(&model, &[784]);
    let params: Vec<usize> = s.rows.iter().map(|r| r.params).collect();
    assert_eq!(params, [200_960, 0, 257, 0]);
    assert_eq!(s.total_params, 201_217);
    assert_eq!(s.rows[2].output_shape, [1, 1]);
    assert_eq!(s.rows[0].layer, "Linear(784 → 256)");
    let table = s.to_string();
    assert!(
        table.contains("(None, 256)") && table.contains("Total params: 201,217"),
        "{table}"
    );
    // The summary's forward pass ran under no_grad: the parameters still want gradients.
    assert!(model.parameters().iter().all(Var::requires_grad));
}

#[test]
fn cnn_summary_has_the_shapes_of_lesson_6() {
    let model = lesson6_cnn(&mut rng());
    let s = summary(&model, &[1, 28, 28]);
    let shapes: Vec<Vec<usize>> = s.rows.iter().map(|r| r.output_shape.clone()).collect();
    assert_eq!(
        shapes,
        [
            vec![1, 32, 28, 28],
            vec![1, 32, 28, 28],
            vec![1, 32, 14, 14],
            vec![1, 6272],
            vec![1, 128],
            vec![1, 128],
            vec![1, 10]
        ]
    );
    // 32·9 + 32 = 320; 6272·128 + 128 = 802,944; 128·10 + 10 = 1,290.
    assert_eq!(s.total_params, 320 + 802_944 + 1_290);
}

#[test]
fn sequential_names_match_pytorch_state_dict_keys() {
    let model = lesson6_cnn(&mut rng());
    let names: Vec<String> = model
        .named_parameters()
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(
        names,
        [
            "0.weight", "0.bias", "4.weight", "4.bias", "6.weight", "6.bias"
        ]
    );
    // Nested Sequentials nest the prefixes, as in PyTorch.
    let outer = Sequential::new()
        .push(PReLU::new())
        .push(Sequential::new().push(ReLU).push(PReLU::new()));
    let names: Vec<String> = outer
        .named_parameters()
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(names, ["0.weight", "1.1.weight"]);
}

#[test]
fn parameters_share_nodes_with_the_module_and_zero_grad_clears_them() {
    let layer = Linear::new(3, 2, &mut rng());
    let params = layer.parameters();
    assert!(params[0].same_node(layer.weight()) && params[1].same_node(layer.bias()));

    let x = Var::constant(Tensor::ones(&[4, 3]));
    layer.forward(&x, Mode::Train).sum().backward();
    // z = x·Wᵀ + b summed over 4 rows of ones: ∂/∂b_j = 4, ∂/∂W_jk = Σ_n x_nk = 4.
    assert_eq!(layer.bias().grad().unwrap().data(), &[4.0, 4.0]);
    assert!(
        layer
            .weight()
            .grad()
            .unwrap()
            .data()
            .iter()
            .all(|&g| g == 4.0)
    );
    layer.zero_grad();
    assert!(layer.weight().grad().is_none() && layer.bias().grad().is_none());
}

#[test]
fn linear_init_follows_pytorch_and_keras() {
    // PyTorch: weight and bias in U(±1/√in) = U(±0.05) for in = 400.
    let layer = Linear::new(400, 30, &mut rng());
    let bound = 1.0 / 400f32.sqrt();
    assert!(
        layer
            .weight()
            .value()
            .data()
            .iter()
            .all(|w| w.abs() <= bound)
    );
    assert!(layer.bias().value().data().iter().all(|b| b.abs() <= bound));
    // The bound is reached: the largest |w| of 12,000 draws is within 1% of it.
    assert!(layer.weight().value().abs().max_all() > 0.99 * bound);
    assert_eq!(layer.weight().shape(), [30, 400]);

    // Keras: Glorot-uniform weight in U(±√(6/(400 + 30))), zero bias.
    let layer = Linear::glorot(400, 30, &mut rng());
    let bound = (6.0f32 / 430.0).sqrt();
    assert!(
        layer
            .weight()
            .value()
            .data()
            .iter()
            .all(|w| w.abs() <= bound)
    );
    assert!(layer.weight().value().abs().max_all() > 0.99 * bound);
    assert!(layer.bias().value().data().iter().all(|&b| b == 0.0));
}

#[test]
fn conv_init_uses_fan_in_of_channels_times_kernel() {
    // fan_in = 3·5·5 = 75: weight and bias in U(±1/√75).
    let conv = Conv2d::new(3, 16, 5, 1, Padding::Same, &mut rng());
    let bound = 1.0 / 75f32.sqrt();
    assert_eq!(conv.weight().shape(), [16, 3, 5, 5]);
    assert!(conv.weight().value().abs().max_all() <= bound);
    assert!(conv.weight().value().abs().max_all() > 0.99 * bound);
    assert!(conv.bias().unwrap().value().abs().max_all() <= bound);
    assert_eq!(
        conv.describe(),
        "Conv2d(3 → 16, 5×5, stride 1, padding same)"
    );
    // Same padding keeps 28×28 at stride 1 and gives ⌈28/2⌉ = 14 at stride 2.
    let x = Var::constant(Tensor::zeros(&[2, 3, 28, 28]));
    assert_eq!(conv.forward(&x, Mode::Eval).shape(), [2, 16, 28, 28]);
    let conv2 = Conv2d::glorot(3, 8, 3, 2, Padding::Same, &mut rng());
    assert_eq!(conv2.forward(&x, Mode::Eval).shape(), [2, 8, 14, 14]);
}

#[test]
fn same_padding_pooling_keeps_the_last_partial_window() {
    // Keras "same": 7 → ⌈7/2⌉ = 4; PyTorch's default: ⌊(7 − 2)/2⌋ + 1 = 3.
    let x = Var::constant(Tensor::zeros(&[1, 1, 7, 7]));
    let keras = MaxPool2d::new(Window2d::same(2, 2)).forward(&x, Mode::Eval);
    let pytorch = MaxPool2d::new(Window2d::square(2, 2, 0)).forward(&x, Mode::Eval);
    assert_eq!(
        (keras.shape(), pytorch.shape()),
        (vec![1, 1, 4, 4], vec![1, 1, 3, 3])
    );
}

#[test]
fn dropout_drops_only_in_training_and_keeps_the_mean() {
    let dropout = Dropout::new(0.25, 3);
    let x = Var::constant(Tensor::ones(&[100, 100]));
    let a = dropout.forward(&x, Mode::Train);
    let a = a.value();
    // Survivors are scaled by 1/(1 − 0.25) = 4/3; about a quarter are dropped.
    assert!(
        a.data()
            .iter()
            .all(|&v| v == 0.0 || (v - 4.0 / 3.0).abs() < 1e-6)
    );
    let dropped = a.data().iter().filter(|&&v| v == 0.0).count() as f32 / 10_000.0;
    assert!((dropped - 0.25).abs() < 0.02, "dropped {dropped}");
    assert!((a.mean_all().item() - 1.0).abs() < 0.03);
    // Two training passes draw different masks; evaluation is the identity.
    assert_ne!(*dropout.forward(&x, Mode::Train).value(), *a);
    assert_eq!(*dropout.forward(&x, Mode::Eval).value(), *x.value());
}

#[test]
fn dropout_rejects_p_outside_0_to_1_naming_the_range() {
    // A rate in code is a programmer error: a panic naming the layer, the value and the
    // range, the same rule as `Var::dropout`.
    for p in [-0.1, 1.0, 1.5, f32::NAN] {
        let panic = std::panic::catch_unwind(|| Dropout::new(p, 0)).unwrap_err();
        let message = panic.downcast_ref::<String>().expect("a formatted message");
        assert!(
            message.starts_with("Dropout::new: p must be in [0, 1), got "),
            "{message}"
        );
    }
    assert_eq!(Dropout::new(0.0, 0).p(), 0.0);
}

#[test]
#[should_panic(expected = "Linear(3 → 2): input shape [4, 5] does not match [N, 3]")]
fn a_wrong_input_shape_names_the_layer_and_both_shapes() {
    let layer = Linear::new(3, 2, &mut rng());
    layer.forward(&Var::constant(Tensor::zeros(&[4, 5])), Mode::Eval);
}

#[test]
fn describe_names_each_layer_with_its_sizes() {
    let model = lesson6_cnn(&mut rng());
    let names: Vec<String> = model.layers().iter().map(|l| l.describe()).collect();
    assert_eq!(
        names,
        [
            "Conv2d(1 → 32, 3×3, stride 1, padding 1)",
            "ReLU",
            "MaxPool2d(2×2, stride 2)",
            "Flatten",
            "Linear(6272 → 128)",
            "ReLU",
            "Linear(128 → 10)"
        ]
    );
}

/// Lesson 9's kind of vision transformer: 28×28 digits in 4×4 patches (49 tokens and the
/// class token), width 64, 4 heads, MLP ×2, two blocks.
fn small_vit() -> VitConfig {
    VitConfig {
        image: [1, 28, 28],
        patch: 4,
        dim: 64,
        depth: 2,
        heads: 4,
        mlp: 128,
        classes: 10,
    }
}

#[test]
fn a_transformer_block_counts_its_parameters_like_pytorch() {
    // Attention: in_proj 3·64·64 + 3·64 = 12,480, out_proj 64·64 + 64 = 4,160.
    // MLP: linear1 64·128 + 128 = 8,320, linear2 128·64 + 64 = 8,256. Norms: 2·(64 + 64).
    let block = TransformerBlock::new(64, 4, 128, &mut rng());
    assert_eq!(block.num_params(), 12_480 + 4_160 + 8_320 + 8_256 + 256);
    assert_eq!(block.num_params(), 33_472);
    // PyTorch's nn.TransformerEncoderLayer(64, 4, 128, norm_first=True).state_dict() keys,
    // in its order.
    let names: Vec<String> = block
        .named_parameters()
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    let torch = [
        "self_attn.in_proj_weight",
        "self_attn.in_proj_bias",
        "self_attn.out_proj.weight",
        "self_attn.out_proj.bias",
        "linear1.weight",
        "linear1.bias",
        "linear2.weight",
        "linear2.bias",
        "norm1.weight",
        "norm1.bias",
        "norm2.weight",
        "norm2.bias",
    ];
    assert_eq!(names, torch);
}

#[test]
fn the_vision_transformer_summary_lists_each_piece() {
    let vit = VisionTransformer::new(small_vit(), &mut rng());
    let s = summary_of_layers(&vit.layers(), &[1, 28, 28]);
    println!("{s}");
    let rows: Vec<(String, Vec<usize>, usize)> = s
        .rows
        .iter()
        .map(|r| (r.layer.clone(), r.output_shape.clone(), r.params))
        .collect();
    let block = "TransformerBlock(64, 4 heads, MLP 128, pre-norm)".to_string();
    let expected = [
        // The patch projection: 64 filters of 1·4·4 and 64 biases.
        (
            "PatchEmbed(1 → 64, 4×4 patches)".to_string(),
            vec![1, 49, 64],
            64 * 16 + 64,
        ),
        // The class token (64) and 50 positions of 64.
        (
            "PosEmbed(class token + 50 positions × 64)".to_string(),
            vec![1, 50, 64],
            64 + 50 * 64,
        ),
        (block.clone(), vec![1, 50, 64], 33_472),
        (block, vec![1, 50, 64], 33_472),
        ("LayerNorm(64)".to_string(), vec![1, 50, 64], 128),
        ("ClassTokenPool".to_string(), vec![1, 64], 0),
        ("Linear(64 → 10)".to_string(), vec![1, 10], 64 * 10 + 10),
    ];
    assert_eq!(rows, expected);
    assert_eq!(s.total_params, vit.num_params());
    assert_eq!(s.total_params, 1_088 + 3_264 + 2 * 33_472 + 128 + 650);

    // The same pieces in a Sequential give the same table.
    let mut r = rng();
    let chain = Sequential::new()
        .push(PatchEmbed::new(1, 4, 64, &mut r))
        .push(PosEmbed::new(49, 64, &mut r))
        .push(TransformerBlock::new(64, 4, 128, &mut r))
        .push(TransformerBlock::new(64, 4, 128, &mut r))
        .push(LayerNorm::new(64))
        .push(ClassTokenPool)
        .push(Linear::new(64, 10, &mut r));
    assert_eq!(summary(&chain, &[1, 28, 28]).rows, s.rows);
}

#[test]
fn the_vision_transformer_names_its_parameters_as_timm_does_around_pytorch_blocks() {
    let vit = VisionTransformer::new(small_vit(), &mut rng());
    let names: Vec<String> = vit.named_parameters().into_iter().map(|(n, _)| n).collect();
    assert_eq!(names.len(), 4 + 2 * 12 + 2 + 2);
    assert_eq!(
        names[..4],
        [
            "patch_embed.proj.weight",
            "patch_embed.proj.bias",
            "cls_token",
            "pos_embed"
        ]
    );
    assert_eq!(names[4], "blocks.0.self_attn.in_proj_weight");
    assert_eq!(names[27], "blocks.1.norm2.bias");
    assert_eq!(
        names[28..],
        ["norm.weight", "norm.bias", "head.weight", "head.bias"]
    );
}

#[test]
fn position_embeddings_and_class_token_start_as_timm_does() {
    // pos_embed ~ N(0, 0.02²) (cut at ±2, which never happens), cls_token ~ N(0, 10⁻¹²).
    let pos = PosEmbed::new(999, 100, &mut rng());
    let params = pos.named_parameters();
    let (cls, pos) = (params[0].1.value().clone(), params[1].1.value().clone());
    assert_eq!(
        (cls.shape(), pos.shape()),
        (&[1, 1, 100][..], &[1, 1000, 100][..])
    );
    let std = pos.reshape(&[100_000]).std_axis(0, false, false).item();
    assert!((std - 0.02).abs() < 0.0005, "pos_embed std {std}");
    assert!(cls.data().iter().all(|v| v.abs() < 1e-5) && cls.data().iter().any(|&v| v != 0.0));
}

#[test]
fn attention_rows_are_probabilities_and_dropout_acts_only_in_training() {
    let attn = MultiHeadAttention::new(8, 2, &mut rng()).with_dropout(0.5, 3);
    let x = Var::constant(Tensor::rand_uniform(&[2, 5, 8], -1.0, 1.0, &mut rng()));
    let (y_eval, a) = attn.forward_with_attention(&x, Mode::Eval);
    // Each of the 2·2·5 rows of A sums to 1.
    assert_eq!(a.shape(), vec![2, 2, 5, 5]);
    for row in a.value().data().chunks(5) {
        assert!((row.iter().sum::<f32>() - 1.0).abs() < 1e-6);
    }
    // Evaluation is deterministic; training drops (a different output, here).
    assert_eq!(*attn.forward(&x, Mode::Eval).value(), *y_eval.value());
    assert_ne!(*attn.forward(&x, Mode::Train).value(), *y_eval.value());
    assert_eq!(
        attn.describe(),
        "MultiHeadAttention(8, 2 heads, dropout 0.5)"
    );
}

#[test]
fn a_transformer_block_does_not_mix_the_images_of_a_batch() {
    // Image 1 of a batch gives the same output alone as beside image 0: attention runs within
    // each sequence, layer normalisation within each token.
    let block = TransformerBlock::new(8, 2, 16, &mut rng());
    let x = Tensor::rand_uniform(&[2, 5, 8], -1.0, 1.0, &mut rng());
    let both = block.forward(&Var::constant(x.clone()), Mode::Eval);
    let alone = block.forward(&Var::constant(x.narrow(0, 1, 1)), Mode::Eval);
    let diff = both.value().narrow(0, 1, 1).max_abs_diff(&alone.value());
    assert!(diff < 1e-6, "{diff}");
}

#[test]
#[should_panic(
    expected = "PatchEmbed(1 → 8, 4×4 patches): input shape [2, 1, 28, 30] is not [N, C, H, W] with H and W multiples of 4"
)]
fn patches_must_tile_the_image() {
    let embed = PatchEmbed::new(1, 4, 8, &mut rng());
    embed.forward(&Var::constant(Tensor::zeros(&[2, 1, 28, 30])), Mode::Eval);
}
