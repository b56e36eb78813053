//! # grader — how the workbook grades an exercise
//!
//! Each public function in the check modules grades one exercise: it takes the learner's
//! function(s), runs them through one of the course's own checks, and returns an
//! [`Outcome`].
//!
//! - A **backward rule** is plugged into an op of its own with `Var::from_op` and
//!   run through the course's gradient check, `autograd::gradcheck::check_gradients`, on
//!   random shapes and values drawn by proptest ([`gradient`]). A failure names the input,
//!   the element, the analytic and numeric derivatives, the shapes, and the smallest failing
//!   case that proptest shrank the random one to.
//! - A **forward pass, loss or optimizer step** is compared with the course's reference code on
//!   random cases ([`cases`]) and with PyTorch's values in the repository's `golden/`
//!   ([`golden`]).
//! - A **milestone** trains the learner's network and checks its accuracy against a bar of the
//!   lessons' kind, [`models::registry::Bar`] ([`milestones`]).
//!
//! The learner's code always runs inside [`guard::guard`], which turns a panic into a
//! message instead of a trace; a `todo!()` still in place means "not written yet".
//!
//! Read `outcome.rs`, `guard.rs`, `cases.rs`, `show.rs`, `gradient.rs`, `golden.rs`, then the
//! checks in course order: `tensor.rs`, `autograd.rs`, `layers.rs`, `optim.rs`, `data.rs`,
//! `milestones.rs`, lesson 8's `resnet.rs` and `residual.rs`, and lesson 9's `transformer.rs`
//! and `vit.rs`.

pub mod autograd;
pub mod cases;
pub mod data;
pub mod golden;
pub mod gradient;
pub mod guard;
pub mod layers;
pub mod milestones;
pub mod optim;
mod outcome;
pub mod residual;
pub mod resnet;
pub mod show;
pub mod tensor;
pub mod transformer;
pub mod vit;

pub use outcome::{Outcome, Step, steps};
