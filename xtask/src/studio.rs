//! `cargo xtask studio [--port 8000] [--host 127.0.0.1] [--model FILE]`: the course's
//! interactive pages in the browser (see the `studio` crate), until Ctrl-C.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc;

use crate::args::workspace_root;

/// The text of `cargo xtask studio --help`.
const HELP: &str = "\
cargo xtask studio — the course's pages in the browser, computed by our crates

USAGE:
    cargo xtask studio [--port P] [--host ADDRESS] [--model FILE] [--data-dir DIR]

    --port P         the port (default 8000; 0 picks a free one)
    --host ADDRESS   the address to listen on (default 127.0.0.1, this machine only)
    --model FILE     a model saved by lesson 6, 7, 8 or 9 (default: each of lessons 7's,
                     6's, 9's and 8's under target/lessons/ that exists, chosen in the page)
    --data-dir DIR   the folder holding mnist/ (default: GRADSCHOOL_DATA, then the cache)
";

/// Parses the flags into a studio configuration; `Ok(None)` for `--help`.
fn parse(raw: &[String]) -> Result<Option<studio::Config>, String> {
    let mut data_dir = None;
    let mut host = None;
    let mut port = None;
    let mut model = None;
    let mut it = raw.iter();
    while let Some(arg) = it.next() {
        let mut value = |flag: &str| it.next().cloned().ok_or(format!("{flag} needs a value"));
        match arg.as_str() {
            "--help" | "-h" => return Ok(None),
            "--host" => host = Some(value("--host")?),
            "--port" => {
                let text = value("--port")?;
                let p = text.parse::<u16>().map_err(|_| {
                    format!("--port: expected a port from 0 to 65535, got {text:?}")
                })?;
                port = Some(p);
            }
            "--model" => model = Some(PathBuf::from(value("--model")?)),
            "--data-dir" => data_dir = Some(PathBuf::from(value("--data-dir")?)),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let mut config = studio::Config::new(&workspace_root(), data::data_root(data_dir.as_deref()));
    config.host = host.unwrap_or(config.host);
    config.port = port.unwrap_or(config.port);
    if let Some(model) = model {
        config.models = vec![model];
    }
    Ok(Some(config))
}

/// Serves the studio until Ctrl-C, then stops it cleanly.
pub fn run(raw: &[String]) -> ExitCode {
    let config = match parse(raw) {
        Ok(Some(c)) => c,
        Ok(None) => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("error: {e}\n\n{HELP}");
            return ExitCode::from(2);
        }
    };
    let (stop, stopped) = mpsc::channel();
    if let Err(e) = ctrlc::set_handler(move || {
        let _ = stop.send(());
    }) {
        eprintln!("error: cannot catch Ctrl-C: {e}");
        return ExitCode::FAILURE;
    }
    let local = config.host == "127.0.0.1" || config.host == "localhost";
    let server = match studio::start(config) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e} (another program may use the port: try --port 0)");
            return ExitCode::FAILURE;
        }
    };
    println!("the studio is at {}  (Ctrl-C stops it)", server.url());
    if !local {
        println!("  it listens beyond this machine: anyone who can reach the address can use it");
    }
    let _ = stopped.recv();
    println!("stopping the studio…");
    server.stop();
    println!("stopped");
    ExitCode::SUCCESS
}
