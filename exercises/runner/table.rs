//! Which check grades which exercise, in course order: the one place that joins the
//! learner's functions to the grader.
//!
//! Shared by the runner (`main.rs`, where an exercise's module exists only when its cargo
//! feature is on) and the tests (`cfg(test)`: every exercise's module, solved or skeleton).
//! Each arm calls the grader with the function(s) of the module of that name at the crate
//! root.

use grader::Outcome;

/// Grades exercise `name`, or `None` if this build does not hold it.
// With no exercise's feature on (a plain `cargo build`), every arm is compiled out.
#[allow(unreachable_code)]
pub fn check(name: &str) -> Option<Outcome> {
    Some(match name {
        #[cfg(any(test, feature = "broadcast_shape"))]
        "broadcast_shape" => {
            grader::tensor::broadcast_shape(crate::broadcast_shape::broadcast_shape)
        }
        #[cfg(any(test, feature = "matmul"))]
        "matmul" => grader::tensor::matmul(crate::matmul::matmul),
        #[cfg(any(test, feature = "sum_to"))]
        "sum_to" => grader::tensor::sum_to(crate::sum_to::sum_to),
        #[cfg(any(test, feature = "sigmoid_backward"))]
        "sigmoid_backward" => {
            grader::autograd::sigmoid_backward(crate::sigmoid_backward::sigmoid_backward)
        }
        #[cfg(any(test, feature = "tanh_backward"))]
        "tanh_backward" => grader::autograd::tanh_backward(crate::tanh_backward::tanh_backward),
        #[cfg(any(test, feature = "mul_backward"))]
        "mul_backward" => grader::autograd::mul_backward(crate::mul_backward::mul_backward),
        #[cfg(any(test, feature = "div_backward"))]
        "div_backward" => grader::autograd::div_backward(crate::div_backward::div_backward),
        #[cfg(any(test, feature = "matmul_backward"))]
        "matmul_backward" => {
            grader::autograd::matmul_backward(crate::matmul_backward::matmul_backward)
        }
        #[cfg(any(test, feature = "log_softmax_backward"))]
        "log_softmax_backward" => grader::autograd::log_softmax_backward(
            crate::log_softmax_backward::log_softmax_backward,
        ),
        #[cfg(any(test, feature = "max_pool_backward"))]
        "max_pool_backward" => {
            grader::autograd::max_pool_backward(crate::max_pool_backward::max_pool2d_backward)
        }
        #[cfg(any(test, feature = "conv2d_input_grad"))]
        "conv2d_input_grad" => {
            grader::autograd::conv2d_input_grad(crate::conv2d_input_grad::conv2d_input_grad)
        }
        #[cfg(any(test, feature = "linear_forward"))]
        "linear_forward" => grader::layers::linear_forward(crate::linear_forward::linear_forward),
        #[cfg(any(test, feature = "init_bound"))]
        "init_bound" => grader::layers::init_bound(crate::init_bound::kaiming_uniform_bound),
        #[cfg(any(test, feature = "dropout"))]
        "dropout" => grader::layers::dropout(crate::dropout::dropout),
        #[cfg(any(test, feature = "bce"))]
        "bce" => grader::optim::bce(crate::bce::bce),
        #[cfg(any(test, feature = "cross_entropy"))]
        "cross_entropy" => grader::optim::cross_entropy(crate::cross_entropy::cross_entropy),
        #[cfg(any(test, feature = "sgd_momentum"))]
        "sgd_momentum" => grader::optim::sgd_momentum(crate::sgd_momentum::sgd_momentum_step),
        #[cfg(any(test, feature = "adam"))]
        "adam" => grader::optim::adam(crate::adam::adam_step),
        #[cfg(any(test, feature = "standardize"))]
        "standardize" => grader::data::standardize(crate::standardize::standardize),
        #[cfg(any(test, feature = "split"))]
        "split" => grader::data::split(crate::split::train_valid_test),
        #[cfg(any(test, feature = "xor_milestone"))]
        "xor_milestone" => grader::milestones::xor_milestone(
            crate::xor_milestone::build,
            crate::xor_milestone::train,
        ),
        #[cfg(any(test, feature = "mnist_milestone"))]
        "mnist_milestone" => grader::milestones::mnist_milestone(
            crate::mnist_milestone::build,
            crate::mnist_milestone::train,
        ),
        #[cfg(any(test, feature = "batch_norm_backward"))]
        "batch_norm_backward" => {
            grader::resnet::batch_norm_backward(crate::batch_norm_backward::batch_norm_backward)
        }
        #[cfg(any(test, feature = "warmup_cosine"))]
        "warmup_cosine" => grader::resnet::warmup_cosine(crate::warmup_cosine::warmup_cosine),
        #[cfg(any(test, feature = "residual_milestone"))]
        "residual_milestone" => {
            grader::residual::residual_milestone(crate::residual_milestone::ResidualBlock::new)
        }
        #[cfg(any(test, feature = "softmax_backward"))]
        "softmax_backward" => {
            grader::transformer::softmax_backward(crate::softmax_backward::softmax_backward)
        }
        #[cfg(any(test, feature = "attention"))]
        "attention" => grader::transformer::attention(crate::attention::attention),
        #[cfg(any(test, feature = "layer_norm_backward"))]
        "layer_norm_backward" => grader::transformer::layer_norm_backward(
            crate::layer_norm_backward::layer_norm_backward,
        ),
        #[cfg(any(test, feature = "attention_milestone"))]
        "attention_milestone" => {
            grader::vit::attention_milestone(crate::attention_milestone::SelfAttention::new)
        }
        _ => return None,
    })
}
