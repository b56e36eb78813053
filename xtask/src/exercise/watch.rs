//! `--watch`: checking an exercise again on every save of its file.

use std::path::Path;
use std::process::ExitCode;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::{Event, EventKind, RecursiveMode, Watcher};

use super::runner::check;
use super::{Exercise, State, introduce, next, shown};

/// Saves of files in one folder, as the operating system reports them (inotify, FSEvents,
/// ReadDirectoryChangesW through `notify`).
pub struct Saves {
    events: Receiver<notify::Result<Event>>,
    _watcher: notify::RecommendedWatcher,
}

impl Saves {
    /// Starts watching the folder `dir`.
    pub fn watch(dir: &Path) -> Result<Saves, String> {
        let (tx, events) = channel();
        let mut watcher = notify::recommended_watcher(tx).map_err(|e| e.to_string())?;
        watcher
            .watch(dir, RecursiveMode::NonRecursive)
            .map_err(|e| e.to_string())?;
        Ok(Saves {
            events,
            _watcher: watcher,
        })
    }

    /// Waits until `file` is written (modified, or created by an editor's rename), then lets
    /// the burst of events of one save settle for 100 ms. `false` if `timeout` passes first.
    pub fn next_save(&self, file: &Path, timeout: Duration) -> bool {
        let is_save = |event: &notify::Result<Event>| {
            event.as_ref().is_ok_and(|e| {
                matches!(e.kind, EventKind::Create(_) | EventKind::Modify(_))
                    && e.paths.iter().any(|p| p.file_name() == file.file_name())
            })
        };
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.events.recv_timeout(left) {
                Ok(event) if is_save(&event) => break,
                Ok(_) => {}
                Err(_) => return false,
            }
        }
        while !matches!(
            self.events.recv_timeout(Duration::from_millis(100)),
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected)
        ) {}
        true
    }
}

/// Checks `target` (or the next exercise) and again after every save of its file.
pub fn watch(root: &Path, exercises: &[Exercise], target: Option<usize>) -> ExitCode {
    let saves = match Saves::watch(&root.join("exercises")) {
        Ok(saves) => saves,
        Err(e) => {
            eprintln!("error: cannot watch exercises/: {e}");
            return ExitCode::FAILURE;
        }
    };
    loop {
        let Some(i) = target.or_else(|| next(root, exercises).map(|(i, _)| i)) else {
            println!("every exercise is done: well done!");
            return ExitCode::SUCCESS;
        };
        let ex = &exercises[i];
        let state = check(root, ex);
        if state == State::Done && target.is_none() {
            continue; // on to the next one
        }
        if state == State::NotStarted {
            introduce(root, ex);
        }
        println!(
            "\nwatching {}: save it to check again (Ctrl-C stops)",
            shown(root, &ex.file)
        );
        while !saves.next_save(&ex.file, Duration::from_secs(3600)) {}
        println!(
            "\n──── {} saved: checking again ────\n",
            shown(root, &ex.file)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_save_is_seen_within_two_seconds() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let file = dir.path().join("04_sigmoid_backward.rs");
        std::fs::write(&file, "todo!()").expect("write the file");
        let saves = Saves::watch(dir.path()).expect("watch the folder");
        let other = dir.path().join("05_tanh_backward.rs");
        let (writer_file, writer_other) = (file.clone(), other.clone());
        let writer = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            std::fs::write(writer_other, "another file").expect("write");
            std::thread::sleep(Duration::from_millis(300));
            std::fs::write(writer_file, "fn solved() {}").expect("write");
            Instant::now()
        });
        assert!(
            saves.next_save(&file, Duration::from_secs(10)),
            "the save was not seen"
        );
        let seen = Instant::now();
        let saved = writer.join().expect("the writer thread");
        let delay = seen.saturating_duration_since(saved);
        println!(
            "the save was seen {} ms after it happened",
            delay.as_millis()
        );
        assert!(
            delay < Duration::from_secs(2),
            "seen {delay:?} after the save"
        );
        // Nothing more happens: no second save is reported.
        assert!(!saves.next_save(&file, Duration::from_millis(300)));
    }
}
