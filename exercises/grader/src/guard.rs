//! Running the learner's code so that a panic becomes a message, not a trace.
//!
//! Every call into an exercise goes through [`guard`]. A panic inside it is caught, its
//! message and location are kept, and nothing is printed: the check reports it in its own
//! words. A panic whose message is `todo!()`'s ("not yet implemented") means the exercise is
//! not written yet.
//!
//! The standard panic hook prints every panic to stderr. [`guard`] installs, once, a hook
//! that stays silent on a thread while that thread is inside a guard and otherwise hands the
//! panic to the hook that was there before (so a test's failing `assert!` still prints).

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe, PanicHookInfo};
use std::sync::Once;

use crate::Outcome;

/// What a panic in the learner's code said, and where.
#[derive(Clone, Debug, PartialEq)]
pub struct Panic {
    /// The panic's message.
    pub message: String,
    /// `file:line:column` of the panic, or `"an unknown place"`.
    pub location: String,
}

impl Panic {
    /// Whether this is a `todo!()` (or `unimplemented!()`) left in place.
    pub fn is_todo(&self) -> bool {
        self.message.starts_with("not yet implemented")
            || self.message.starts_with("not implemented")
    }

    /// The outcome this panic means: not written yet for a `todo!()`, else a failure that
    /// quotes the panic and says what the check was doing.
    pub fn outcome(&self, doing: &str) -> Outcome {
        if self.is_todo() {
            Outcome::NotWritten(format!(
                "the `todo!()` at {} is still there: replace it with your code (the task is \
                 in the file's doc comment)",
                self.location
            ))
        } else {
            Outcome::Failing(format!(
                "your code panicked ({doing}):\n    {}\n    at {}",
                self.message.replace('\n', "\n    "),
                self.location
            ))
        }
    }
}

thread_local! {
    /// Whether this thread is inside a [`guard`].
    static QUIET: Cell<bool> = const { Cell::new(false) };
    /// The last panic caught on this thread while quiet.
    static CAUGHT: RefCell<Option<Panic>> = const { RefCell::new(None) };
}

/// The text of a panic payload (`panic!` gives a `&str` or a `String`).
fn payload_text(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(a panic without a message)".to_string()
    }
}

/// `file:line:column` with the file shown from the repository's root
/// (`exercises/04_sigmoid_backward.rs:33:5`) when it lies inside the repository.
fn from_repository(location: &std::panic::Location<'_>) -> String {
    let grader = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let file = std::path::Path::new(location.file());
    let shown = grader
        .ancestors()
        .nth(2)
        .and_then(|root| file.strip_prefix(root).ok())
        .unwrap_or(file);
    format!(
        "{}:{}:{}",
        shown.display(),
        location.line(),
        location.column()
    )
}

/// Records a panic instead of printing it, on threads inside a guard.
fn install_quiet_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info: &PanicHookInfo<'_>| {
            if QUIET.with(Cell::get) {
                let caught = Panic {
                    message: payload_text(info.payload()),
                    location: info
                        .location()
                        .map_or("an unknown place".to_string(), from_repository),
                };
                CAUGHT.with(|c| *c.borrow_mut() = Some(caught));
            } else {
                previous(info);
            }
        }));
    });
}

/// Runs `f`, the learner's code or a check that calls it. A panic inside is caught silently
/// and returned as a [`Panic`].
///
/// ```
/// use grader::guard::guard;
/// assert_eq!(guard(|| 2 + 2), Ok(4));
/// let caught = guard(|| -> i32 { todo!() }).unwrap_err();
/// assert!(caught.is_todo());
/// ```
pub fn guard<T>(f: impl FnOnce() -> T) -> Result<T, Panic> {
    install_quiet_hook();
    let was_quiet = QUIET.with(|q| q.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was_quiet));
    result.map_err(|payload| {
        // A panic on another thread (a parallel kernel) reaches us only as its payload.
        CAUGHT
            .with(|c| c.borrow_mut().take())
            .unwrap_or_else(|| Panic {
                message: payload_text(payload.as_ref()),
                location: "an unknown place".to_string(),
            })
    })
}

/// [`guard`] for a check step: a panic becomes the outcome it means ([`Panic::outcome`]).
pub fn run<T>(doing: &str, f: impl FnOnce() -> T) -> Result<T, Outcome> {
    guard(f).map_err(|p| p.outcome(doing))
}
