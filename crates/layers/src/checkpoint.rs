//! Saving and loading parameters (and buffers, such as batch normalisation's running
//! statistics) in the safetensors format, the format PyTorch and Hugging
//! Face use for weights: an 8-byte header length, a JSON header giving each tensor's name,
//! type, shape and byte range, then the raw little-endian numbers.
//!
//! A file saved from a [`crate::Sequential`] has the keys PyTorch's `nn.Sequential` would
//! write (`"0.weight"`, …), so `model.load_state_dict(safetensors.torch.load_file(path))`
//! reads it on the Python side.
//!
//! Saving never leaves a half-written file: the bytes go through the workspace's atomic
//! writer, [`atomic_file::write`] (a temporary file in the same folder, synced to disk, then
//! renamed over the destination), so the destination holds either the old file or the
//! whole new one, whatever happens in between.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::path::Path;

use autograd::Var;
use safetensors::{Dtype, SafeTensors, tensor::TensorView};
use tensor::Tensor;

use crate::error::LayerError;
use crate::module::Module;

/// Writes every parameter and buffer of `module`, under its name, to the safetensors file
/// `path`, replacing it atomically. The directory must exist.
///
/// ```
/// use layers::{Linear, Module, load, save};
/// use rand::{SeedableRng, rngs::StdRng};
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("linear.safetensors");
/// let a = Linear::new(3, 2, &mut StdRng::seed_from_u64(1));
/// save(&a, &path).unwrap();
/// let b = Linear::new(3, 2, &mut StdRng::seed_from_u64(2));
/// load(&b, &path).unwrap();
/// assert_eq!(*a.weight().value(), *b.weight().value());
/// ```
pub fn save(module: &dyn Module, path: impl AsRef<Path>) -> Result<(), LayerError> {
    save_with_metadata(module, path, &[])
}

/// [`save`], and string pairs in the file's header (safetensors' `__metadata__`), for
/// example which network the weights belong to, so that a reader can build it before
/// [`load`]ing. [`read_metadata`] gives them back.
///
/// ```
/// use layers::{Linear, save_with_metadata, read_metadata};
/// use rand::{SeedableRng, rngs::StdRng};
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("linear.safetensors");
/// let a = Linear::new(3, 2, &mut StdRng::seed_from_u64(1));
/// save_with_metadata(&a, &path, &[("network", "linear-3-2")]).unwrap();
/// assert_eq!(read_metadata(&path).unwrap()["network"], "linear-3-2");
/// ```
pub fn save_with_metadata(
    module: &dyn Module,
    path: impl AsRef<Path>,
    metadata: &[(&str, &str)],
) -> Result<(), LayerError> {
    let entries = state(module)
        .into_iter()
        .map(|(name, v)| {
            let value = v.value();
            (name, value.shape().to_vec(), le_bytes(value.data()))
        })
        .collect();
    write_entries(path.as_ref(), entries, metadata)
}

/// The string pairs of a safetensors file's header (`__metadata__`), with safetensors' own
/// `"format"` entry among them; empty when the file has none. Reads only the header.
pub fn read_metadata(path: impl AsRef<Path>) -> Result<BTreeMap<String, String>, LayerError> {
    let path = path.as_ref();
    let bytes = read_file(path)?;
    let (_, header) = SafeTensors::read_metadata(&bytes).map_err(|source| LayerError::Format {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(header
        .metadata()
        .iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect())
}

/// What a checkpoint holds: every parameter, then every buffer, by name (PyTorch's
/// `state_dict`).
fn state(module: &dyn Module) -> Vec<(String, Var)> {
    let mut state = module.named_parameters();
    state.extend(module.named_buffers());
    state
}

/// Copies the tensors of the safetensors file `path` into the parameters and buffers of
/// `module` of the same names, in place (the optimizer's handles stay valid).
///
/// Every parameter and buffer must be in the file with the same shape, and every tensor of
/// the file must be one of them (PyTorch's `strict=True`); otherwise this returns an error
/// naming the file and the tensor and leaves the module unchanged.
pub fn load(module: &dyn Module, path: impl AsRef<Path>) -> Result<(), LayerError> {
    let path = path.as_ref();
    let bytes = read_file(path)?;
    let file = parse(path, &bytes)?;
    let params = state(module);

    // Check everything first, so that a bad file changes nothing.
    for (name, p) in &params {
        let view = file.tensor(name).map_err(|_| LayerError::MissingTensor {
            path: path.to_path_buf(),
            name: name.clone(),
        })?;
        check_f32(path, name, &view)?;
        if view.shape() != p.value().shape() {
            return Err(LayerError::ShapeMismatch {
                path: path.to_path_buf(),
                name: name.clone(),
                expected: p.shape(),
                found: view.shape().to_vec(),
            });
        }
    }
    let known: HashSet<&str> = params.iter().map(|(n, _)| n.as_str()).collect();
    if let Some(extra) = file.names().into_iter().find(|n| !known.contains(n)) {
        return Err(LayerError::UnexpectedTensor {
            path: path.to_path_buf(),
            name: extra.to_string(),
        });
    }

    for (name, p) in &params {
        let view = file.tensor(name).expect("checked above");
        let mut value = p.value_mut();
        for (x, chunk) in value.data_mut().iter_mut().zip(view.data().chunks_exact(4)) {
            *x = f32::from_le_bytes(chunk.try_into().expect("chunks of 4 bytes"));
        }
    }
    Ok(())
}

/// Every tensor of the safetensors file `path`, by name. All must be `F32`.
/// (The tests use this to read PyTorch's reference values.)
pub fn read_tensors(path: impl AsRef<Path>) -> Result<BTreeMap<String, Tensor>, LayerError> {
    let path = path.as_ref();
    let bytes = read_file(path)?;
    let file = parse(path, &bytes)?;
    let mut tensors = BTreeMap::new();
    for (name, view) in file.iter() {
        check_f32(path, name, &view)?;
        let data = view
            .data()
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes(c.try_into().expect("chunks of 4 bytes")))
            .collect();
        tensors.insert(
            name.to_string(),
            Tensor::from_parts("read_tensors", data, view.shape()),
        );
    }
    Ok(tensors)
}

/// Writes named tensors to the safetensors file `path`, replacing it atomically.
pub fn write_tensors<'a>(
    path: impl AsRef<Path>,
    tensors: impl IntoIterator<Item = (&'a str, &'a Tensor)>,
) -> Result<(), LayerError> {
    let entries = tensors
        .into_iter()
        .map(|(name, t)| (name.to_string(), t.shape().to_vec(), le_bytes(t.data())))
        .collect();
    write_entries(path.as_ref(), entries, &[])
}

/// The numbers as little-endian bytes, safetensors' layout.
fn le_bytes(data: &[f32]) -> Vec<u8> {
    data.iter().flat_map(|x| x.to_le_bytes()).collect()
}

/// Serialises `(name, shape, bytes)` entries, with the header's string pairs, and writes them atomically to `path`.
fn write_entries(
    path: &Path,
    entries: Vec<(String, Vec<usize>, Vec<u8>)>,
    extra_metadata: &[(&str, &str)],
) -> Result<(), LayerError> {
    let mut seen = HashSet::new();
    for (name, _, _) in &entries {
        assert!(
            seen.insert(name.as_str()),
            "save: two parameters are named `{name}`"
        );
    }
    let format_error = |source| LayerError::Format {
        path: path.to_path_buf(),
        source,
    };
    let mut views = Vec::with_capacity(entries.len());
    for (name, shape, bytes) in &entries {
        views.push((
            name.as_str(),
            TensorView::new(Dtype::F32, shape.clone(), bytes).map_err(format_error)?,
        ));
    }
    // "format": "pt" lets Hugging Face tools read the file as PyTorch weights.
    let mut metadata = HashMap::from([("format".to_string(), "pt".to_string())]);
    for (key, value) in extra_metadata {
        metadata.insert(key.to_string(), value.to_string());
    }
    let bytes = safetensors::serialize(views, Some(metadata)).map_err(format_error)?;
    atomic_file::write(path, |file| file.write_all(&bytes))?;
    Ok(())
}

fn read_file(path: &Path) -> Result<Vec<u8>, LayerError> {
    std::fs::read(path).map_err(|source| LayerError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn parse<'a>(path: &Path, bytes: &'a [u8]) -> Result<SafeTensors<'a>, LayerError> {
    SafeTensors::deserialize(bytes).map_err(|source| LayerError::Format {
        path: path.to_path_buf(),
        source,
    })
}

fn check_f32(path: &Path, name: &str, view: &TensorView<'_>) -> Result<(), LayerError> {
    if view.dtype() == Dtype::F32 {
        return Ok(());
    }
    Err(LayerError::WrongDtype {
        path: path.to_path_buf(),
        name: name.to_string(),
        dtype: format!("{:?}", view.dtype()),
    })
}
