//! Downloads against a real HTTP server on 127.0.0.1, started inside each test: good files
//! are cached and load; a wrong hash, a truncated body and a 404 fail clearly and leave
//! neither the file nor a temporary file behind; files published by the hash of their
//! gunzipped bytes (Fashion-MNIST's) are accepted however they were compressed.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use data::DataError;
use data::download::{Hashed, RemoteFile, download, fetch_missing};
use data::hash::sha256_hex;
use data::mnist::{Dataset, Mnist, Split};

/// What the server answers for one path.
#[derive(Clone)]
enum Reply {
    /// 200 with the whole body.
    Ok(Vec<u8>),
    /// 200 announcing `Content-Length: claimed`, then only `body` and a closed connection.
    Truncated { body: Vec<u8>, claimed: usize },
}

/// A one-thread HTTP/1.1 server on an ephemeral loopback port. It answers at most
/// `max_requests` requests (404 for unknown paths) and stops by itself after that or after
/// 20 seconds; joining it gives the paths requested.
struct Server {
    base: String,
    thread: JoinHandle<Vec<String>>,
}

impl Server {
    fn start(routes: Vec<(&str, Reply)>, max_requests: usize) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let base = format!("http://{}/", listener.local_addr().unwrap());
        let routes: Vec<(String, Reply)> = routes
            .into_iter()
            .map(|(p, r)| (format!("/{p}"), r))
            .collect();
        let thread = std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(20);
            let mut requested = Vec::new();
            while requested.len() < max_requests && Instant::now() < deadline {
                let Ok((mut stream, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(5));
                    continue;
                };
                stream.set_nonblocking(false).unwrap();
                stream
                    .set_read_timeout(Some(Duration::from_secs(5)))
                    .unwrap();
                let path = read_request_path(&mut stream);
                let reply = routes
                    .iter()
                    .find(|(p, _)| *p == path)
                    .map(|(_, r)| r.clone());
                let _ = match reply {
                    Some(Reply::Ok(body)) => respond(&mut stream, "200 OK", body.len(), &body),
                    Some(Reply::Truncated { body, claimed }) => {
                        respond(&mut stream, "200 OK", claimed, &body)
                    }
                    None => respond(&mut stream, "404 Not Found", 9, b"not found"),
                };
                requested.push(path);
            }
            requested
        });
        Server { base, thread }
    }

    fn requests(self) -> Vec<String> {
        self.thread.join().unwrap()
    }
}

fn read_request_path(stream: &mut impl Read) -> String {
    let mut request = Vec::new();
    let mut byte = [0u8; 1];
    while !request.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
        request.push(byte[0]);
    }
    let text = String::from_utf8_lossy(&request);
    text.split_whitespace().nth(1).unwrap_or("").to_string()
}

fn respond(
    stream: &mut impl Write,
    status: &str,
    length: usize,
    body: &[u8],
) -> std::io::Result<()> {
    let head =
        format!("HTTP/1.1 {status}\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    stream.flush()
}

/// The names in `dir` (empty if it does not exist): no final file, no `.part` leftovers.
fn entries(dir: &Path) -> Vec<String> {
    match std::fs::read_dir(dir) {
        Ok(read) => read
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// The four MNIST file names with small gzip'd IDX contents (3 train and 2 test images).
fn tiny_mnist_files() -> Vec<(String, Vec<u8>)> {
    let source = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (split, n) in [(Split::Train, 3usize), (Split::Test, 2)] {
        let (images, labels) = split.file_stems();
        let set = Mnist::from_parts(vec![9; n * 784], (0..n as u8).collect(), 28, 28);
        let (ip, lp) = (
            source.path().join(format!("{images}.gz")),
            source.path().join(format!("{labels}.gz")),
        );
        set.write_idx(&ip, &lp, true).unwrap();
        for path in [ip, lp] {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            files.push((name, std::fs::read(&path).unwrap()));
        }
    }
    files
}

fn sha(bytes: &[u8]) -> String {
    sha256_hex(bytes).unwrap()
}

#[test]
fn good_files_are_downloaded_cached_and_loaded() {
    let files = tiny_mnist_files();
    let hashes: Vec<String> = files.iter().map(|(_, b)| sha(b)).collect();
    let table: Vec<RemoteFile> = files
        .iter()
        .zip(&hashes)
        .map(|((name, _), hash)| RemoteFile {
            name,
            sha256: hash,
            hashed: Hashed::Served,
        })
        .collect();
    let server = Server::start(
        files
            .iter()
            .map(|(n, b)| (n.as_str(), Reply::Ok(b.clone())))
            .collect(),
        4,
    );
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("mnist");

    let fetched = fetch_missing(&dir, &table, &[&server.base]).unwrap();
    assert_eq!(fetched.len(), 4);
    let mut names = entries(&dir);
    names.sort();
    let mut expected: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
    expected.sort();
    assert_eq!(
        names, expected,
        "exactly the four files, no temporary leftovers"
    );
    assert_eq!(server.requests().len(), 4);

    // Cached: a second call downloads nothing (no server is listening now).
    assert!(
        fetch_missing(&dir, &table, &["http://127.0.0.1:9/"])
            .unwrap()
            .is_empty()
    );
    let train = Mnist::load(root.path(), Dataset::Mnist, Split::Train).unwrap();
    assert_eq!((train.len(), train.labels()), (3, &[0, 1, 2][..]));
    assert_eq!(
        Mnist::load(root.path(), Dataset::Mnist, Split::Test)
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn a_wrong_hash_names_the_file_and_both_hashes_and_leaves_nothing() {
    let good = b"the published bytes".to_vec();
    let served = b"some corrupted bytes".to_vec();
    let expected = sha(&good);
    let server = Server::start(
        vec![("t10k-labels-idx1-ubyte.gz", Reply::Ok(served.clone()))],
        1,
    );
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("t10k-labels-idx1-ubyte.gz");
    let file = RemoteFile {
        name: "t10k-labels-idx1-ubyte.gz",
        sha256: &expected,
        hashed: Hashed::Served,
    };

    let error = download(&dest, &file, &[&server.base]).unwrap_err();
    let DataError::Download { attempts, .. } = &error else {
        panic!("{error:?}")
    };
    let DataError::Checksum {
        path,
        expected: e,
        actual,
    } = &attempts[0].1
    else {
        panic!("{error:?}")
    };
    assert_eq!((path, e, actual), (&dest, &expected, &sha(&served)));
    let message = error.to_string();
    assert!(
        message.contains("t10k-labels-idx1-ubyte.gz") && message.contains(&expected),
        "{message}"
    );
    assert!(message.contains(&sha(&served)), "{message}");
    assert_eq!(entries(dir.path()), Vec::<String>::new());
    assert_eq!(server.requests(), vec!["/t10k-labels-idx1-ubyte.gz"]);
}

#[test]
fn a_truncated_body_fails_and_leaves_nothing() {
    let body = vec![7u8; 1000];
    let server = Server::start(
        vec![(
            "file.gz",
            Reply::Truncated {
                body: body.clone(),
                claimed: 5000,
            },
        )],
        1,
    );
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("file.gz");
    let expected = sha(&body);
    let file = RemoteFile {
        name: "file.gz",
        sha256: &expected,
        hashed: Hashed::Served,
    };

    let error = download(&dest, &file, &[&server.base]).unwrap_err();
    let DataError::Download { attempts, .. } = &error else {
        panic!("{error:?}")
    };
    assert!(matches!(attempts[0].1, DataError::Http { .. }), "{error}");
    assert!(error.to_string().contains("file.gz"), "{error}");
    assert_eq!(entries(dir.path()), Vec::<String>::new());
    server.requests();
}

#[test]
fn a_404_fails_clearly_and_leaves_nothing() {
    let server = Server::start(vec![], 1);
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("train-labels-idx1-ubyte.gz");
    let file = RemoteFile {
        name: "train-labels-idx1-ubyte.gz",
        sha256: "00",
        hashed: Hashed::Served,
    };

    let error = download(&dest, &file, &[&server.base]).unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("404") && message.contains("train-labels-idx1-ubyte.gz"),
        "{message}"
    );
    assert_eq!(entries(dir.path()), Vec::<String>::new());
    server.requests();
}

#[test]
fn the_next_mirror_is_tried_when_one_fails() {
    let body = b"good bytes".to_vec();
    let server = Server::start(vec![("good/x.gz", Reply::Ok(body.clone()))], 2);
    let (bad, good) = (
        format!("{}bad/", server.base),
        format!("{}good/", server.base),
    );
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("x.gz");
    let expected = sha(&body);

    download(
        &dest,
        &RemoteFile {
            name: "x.gz",
            sha256: &expected,
            hashed: Hashed::Served,
        },
        &[&bad, &good],
    )
    .unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), body);
    assert_eq!(entries(dir.path()), vec!["x.gz"]);
    assert_eq!(server.requests(), vec!["/bad/x.gz", "/good/x.gz"]);
}

#[test]
fn local_copies_raw_or_recompressed_are_used_without_downloading() {
    // Raw (uncompressed) files under the standard names: nothing to fetch, and the mirror
    // given (a closed port) is never contacted. Their .gz hash is not checked either.
    let dir = tempfile::tempdir().unwrap();
    for split in [Split::Train, Split::Test] {
        let (images, labels) = split.file_stems();
        let set = Mnist::from_parts(vec![1; 2 * 784], vec![3, 4], 28, 28);
        set.write_idx(&dir.path().join(images), &dir.path().join(labels), false)
            .unwrap();
    }
    let fetched =
        data::mnist::download_set(Dataset::Mnist, dir.path(), &["http://127.0.0.1:9/"]).unwrap();
    assert!(fetched.is_empty());
    let test = Mnist::load_dir(dir.path(), Dataset::Mnist, Split::Test).unwrap();
    assert_eq!(test.labels(), &[3, 4]);
}

/// Gzip-compresses `bytes` at `level` (copies of one file compressed differently differ in
/// their `.gz` bytes, not in what is inside).
fn gzip(bytes: &[u8], level: u32) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(level));
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

#[test]
fn a_file_checked_by_its_gunzipped_bytes_is_accepted_however_compressed() {
    // Fashion-MNIST's mirrors serve differently compressed copies of the same data: the
    // published hash is of the data inside, so either copy must be accepted as it is.
    let inside = b"the same labels, compressed two ways".repeat(50);
    let expected = sha(&inside);
    for level in [1, 9] {
        let served = gzip(&inside, level);
        let server = Server::start(vec![("labels.gz", Reply::Ok(served.clone()))], 1);
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("labels.gz");
        let file = RemoteFile {
            name: "labels.gz",
            sha256: &expected,
            hashed: Hashed::Gunzipped,
        };
        download(&dest, &file, &[&server.base]).unwrap();
        // Kept as served (still compressed), and nothing else left in the folder.
        assert_eq!(std::fs::read(&dest).unwrap(), served);
        assert_eq!(entries(dir.path()), vec!["labels.gz"]);
        server.requests();
    }
}

#[test]
fn gunzipped_bytes_that_differ_or_a_body_that_is_not_gzip_leave_nothing() {
    let expected = sha(b"the published data");
    let wrong = gzip(b"other data", 6);
    let server = Server::start(
        vec![
            ("a/labels.gz", Reply::Ok(wrong.clone())),
            ("b/labels.gz", Reply::Ok(b"<html>not gzip</html>".to_vec())),
        ],
        2,
    );
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("labels.gz");
    let file = RemoteFile {
        name: "labels.gz",
        sha256: &expected,
        hashed: Hashed::Gunzipped,
    };
    let (a, b) = (format!("{}a/", server.base), format!("{}b/", server.base));
    let error = download(&dest, &file, &[&a, &b]).unwrap_err();
    let DataError::Download { attempts, .. } = &error else {
        panic!("{error:?}")
    };
    let DataError::Checksum { actual, .. } = &attempts[0].1 else {
        panic!("{error:?}")
    };
    assert_eq!(actual, &sha(b"other data"));
    assert!(
        attempts[1]
            .1
            .to_string()
            .contains("not a valid gzip stream"),
        "{error}"
    );
    assert_eq!(entries(dir.path()), Vec::<String>::new());
    server.requests();
}

#[test]
fn fashion_mnist_is_downloaded_and_checked_by_the_bytes_inside() {
    // The four files of a tiny stand-in set, served gzip-compressed; the table of hashes
    // is built the way FASHION_MNIST_FILES is: hashes of the decompressed bytes.
    let files = tiny_mnist_files();
    let table: Vec<(String, String)> = files
        .iter()
        .map(|(name, gz)| (name.clone(), sha(&decompressed(gz))))
        .collect();
    let remote: Vec<RemoteFile> = table
        .iter()
        .map(|(name, hash)| RemoteFile {
            name,
            sha256: hash,
            hashed: Hashed::Gunzipped,
        })
        .collect();
    let server = Server::start(
        files
            .iter()
            .map(|(n, b)| (n.as_str(), Reply::Ok(gzip(&decompressed(b), 1))))
            .collect(),
        4,
    );
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("fashion-mnist");
    assert_eq!(
        fetch_missing(&dir, &remote, &[&server.base]).unwrap().len(),
        4
    );
    let train = Mnist::load(root.path(), Dataset::FashionMnist, Split::Train).unwrap();
    assert_eq!(train.labels(), &[0, 1, 2]);
    server.requests();
    // The real table has the same form: no `.gz` hash, a raw one for every file.
    assert!(
        data::mnist::FASHION_MNIST_FILES
            .iter()
            .all(|f| f.gz_sha256.is_none() && f.raw_sha256.len() == 64)
    );
}

/// The bytes inside a gzip stream.
fn decompressed(gz: &[u8]) -> Vec<u8> {
    let mut inside = Vec::new();
    flate2::read::MultiGzDecoder::new(gz)
        .read_to_end(&mut inside)
        .unwrap();
    inside
}
