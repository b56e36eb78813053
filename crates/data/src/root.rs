//! Where the data files live: one data root holding `mnist/` and `fashion-mnist/`.
//!
//! The root is a setting, never a fixed path. In order of precedence:
//! 1. the `--data-dir DIR` flag of a lesson or `cargo xtask data`;
//! 2. the environment variable `GRADSCHOOL_DATA`;
//! 3. a per-user cache: `$XDG_CACHE_HOME/gradschool`, else `$HOME/.cache/gradschool`
//!    (downloads land there when nothing else is set).

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The environment variable that names the data root.
pub const DATA_ENV: &str = "GRADSCHOOL_DATA";

/// The data root: the flag if given, else `$GRADSCHOOL_DATA`, else the per-user cache
/// directory (see the module docs). Falls back to `./gradschool-data` if even `$HOME` is
/// unset.
///
/// ```
/// use std::path::Path;
/// let root = data::data_root(Some(Path::new("/tmp/my-data")));
/// assert_eq!(root, Path::new("/tmp/my-data"));
/// ```
pub fn data_root(flag: Option<&Path>) -> PathBuf {
    resolve_data_root(
        flag,
        std::env::var_os(DATA_ENV),
        std::env::var_os("XDG_CACHE_HOME"),
        std::env::var_os("HOME"),
    )
}

/// The rule behind [`data_root`] with the environment passed in, so it can be tested
/// without touching the process environment. Empty values count as unset.
///
/// ```
/// use std::path::Path;
/// let root = data::resolve_data_root(None, None, None, Some("/home/ada".into()));
/// assert_eq!(root, Path::new("/home/ada/.cache/gradschool"));
/// ```
pub fn resolve_data_root(
    flag: Option<&Path>,
    env_data: Option<OsString>,
    xdg_cache_home: Option<OsString>,
    home: Option<OsString>,
) -> PathBuf {
    let set = |v: Option<OsString>| v.filter(|s| !s.is_empty()).map(PathBuf::from);
    if let Some(flag) = flag {
        return flag.to_path_buf();
    }
    if let Some(dir) = set(env_data) {
        return dir;
    }
    if let Some(cache) = set(xdg_cache_home) {
        return cache.join("gradschool");
    }
    match set(home) {
        Some(home) => home.join(".cache").join("gradschool"),
        None => PathBuf::from("gradschool-data"),
    }
}

/// Reads `--data-dir DIR` (or `--data-dir=DIR`) from command-line arguments.
///
/// ```
/// let args = vec!["--seed".to_string(), "3".into(), "--data-dir".into(), "/data".into()];
/// assert_eq!(data::data_dir_flag(&args), Some("/data".into()));
/// ```
pub fn data_dir_flag(args: &[String]) -> Option<PathBuf> {
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        if arg == "--data-dir" {
            return it.next().map(PathBuf::from);
        }
        if let Some(dir) = arg.strip_prefix("--data-dir=") {
            return Some(PathBuf::from(dir));
        }
    }
    None
}
