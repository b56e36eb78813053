//! The element types IDX defines and the array the reader returns.

use tensor::Tensor;

/// The element types IDX defines, with their type codes (byte 2 of the magic).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdxType {
    /// Unsigned byte, code `0x08` (MNIST's pixels and labels).
    U8,
    /// Signed byte, code `0x09`.
    I8,
    /// Big-endian 16-bit integer, code `0x0B`.
    I16,
    /// Big-endian 32-bit integer, code `0x0C`.
    I32,
    /// Big-endian 32-bit float, code `0x0D`.
    F32,
    /// Big-endian 64-bit float, code `0x0E`.
    F64,
}

impl IdxType {
    /// The type for a type code, or `None` if IDX defines no such code.
    pub fn from_code(code: u8) -> Option<IdxType> {
        match code {
            0x08 => Some(IdxType::U8),
            0x09 => Some(IdxType::I8),
            0x0B => Some(IdxType::I16),
            0x0C => Some(IdxType::I32),
            0x0D => Some(IdxType::F32),
            0x0E => Some(IdxType::F64),
            _ => None,
        }
    }

    /// The type code written in byte 2 of the magic.
    pub fn code(self) -> u8 {
        match self {
            IdxType::U8 => 0x08,
            IdxType::I8 => 0x09,
            IdxType::I16 => 0x0B,
            IdxType::I32 => 0x0C,
            IdxType::F32 => 0x0D,
            IdxType::F64 => 0x0E,
        }
    }

    /// Bytes per element.
    pub fn size(self) -> usize {
        match self {
            IdxType::U8 | IdxType::I8 => 1,
            IdxType::I16 => 2,
            IdxType::I32 | IdxType::F32 => 4,
            IdxType::F64 => 8,
        }
    }

    /// Decodes one big-endian element (`bytes.len() == self.size()`) as `f32`.
    fn decode(self, bytes: &[u8]) -> f32 {
        match self {
            IdxType::U8 => bytes[0] as f32,
            IdxType::I8 => bytes[0] as i8 as f32,
            IdxType::I16 => i16::from_be_bytes([bytes[0], bytes[1]]) as f32,
            IdxType::I32 => i32::from_be_bytes(bytes.try_into().expect("4 bytes")) as f32,
            IdxType::F32 => f32::from_be_bytes(bytes.try_into().expect("4 bytes")),
            IdxType::F64 => f64::from_be_bytes(bytes.try_into().expect("8 bytes")) as f32,
        }
    }
}

/// An n-dimensional array read from (or to be written to) an IDX file.
///
/// The elements stay in their file encoding (big-endian bytes) until asked for, so
/// MNIST's 47 MB of pixels are held once, as bytes.
#[derive(Clone, Debug, PartialEq)]
pub struct IdxArray {
    pub(super) dtype: IdxType,
    pub(super) dims: Vec<usize>,
    pub(super) body: Vec<u8>,
}

impl IdxArray {
    /// An array of `dtype` with the given dimensions and big-endian body bytes.
    ///
    /// Panics if `body.len()` is not `dims.iter().product() * dtype.size()`.
    pub fn new(dtype: IdxType, dims: &[usize], body: Vec<u8>) -> IdxArray {
        let expected = dims.iter().product::<usize>() * dtype.size();
        assert_eq!(
            body.len(),
            expected,
            "IdxArray::new: {} body bytes do not fill dims {dims:?} of {dtype:?}",
            body.len()
        );
        IdxArray {
            dtype,
            dims: dims.to_vec(),
            body,
        }
    }

    /// A `u8` array (MNIST's type). Panics if `values` does not fill `dims`.
    pub fn from_u8(dims: &[usize], values: Vec<u8>) -> IdxArray {
        IdxArray::new(IdxType::U8, dims, values)
    }

    /// An `f32` array, stored big-endian. Panics if `values` does not fill `dims`.
    pub fn from_f32(dims: &[usize], values: &[f32]) -> IdxArray {
        let body = values.iter().flat_map(|v| v.to_be_bytes()).collect();
        IdxArray::new(IdxType::F32, dims, body)
    }

    /// The element type.
    pub fn dtype(&self) -> IdxType {
        self.dtype
    }

    /// The dimensions, outermost first.
    pub fn dims(&self) -> &[usize] {
        &self.dims
    }

    /// The number of elements.
    pub fn len(&self) -> usize {
        self.dims.iter().product()
    }

    /// Whether the array has no elements.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The body as stored: big-endian elements, row-major.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The elements of a `u8` array, or `None` for any other type.
    pub fn as_u8(&self) -> Option<&[u8]> {
        (self.dtype == IdxType::U8).then_some(&self.body[..])
    }

    /// The elements of a `u8` array by value, or `None` for any other type.
    pub fn into_u8(self) -> Option<Vec<u8>> {
        (self.dtype == IdxType::U8).then_some(self.body)
    }

    /// Every element converted to `f32` (64-bit floats are rounded).
    pub fn to_f32_vec(&self) -> Vec<f32> {
        let size = self.dtype.size();
        self.body
            .chunks_exact(size)
            .map(|e| self.dtype.decode(e))
            .collect()
    }

    /// The array as a tensor of the same shape.
    ///
    /// # Shapes
    /// `dims → dims`.
    pub fn to_tensor(&self) -> Tensor {
        Tensor::from_parts("IdxArray::to_tensor", self.to_f32_vec(), &self.dims)
    }
}
