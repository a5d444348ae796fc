//! Names of devices, applications, containers and files: the library's raw bytes, kept as the
//! identity of the object, and their text in the library's [`NameEncoding`].

use core::fmt;

use crate::error::ArgumentError;
use crate::quirks::NameEncoding;

/// The longest name passed to a library (GM/T 0016 limits are 32 to 64 bytes; this bound only
/// keeps absurd values out).
pub(crate) const MAX_NAME_LEN: usize = 1024;

/// A name as returned by the library.
///
/// Pass a `Name` back to the library (e.g. to open what was enumerated) and its raw bytes are
/// used unchanged, whatever their encoding.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Name {
    raw: Vec<u8>,
    text: String,
    lossless: bool,
}

impl Name {
    /// Decode raw bytes.
    pub fn decode(raw: &[u8], encoding: NameEncoding) -> Name {
        let (text, lossless) = encoding.decode(raw);
        Name {
            raw: raw.to_vec(),
            text,
            lossless,
        }
    }

    /// The raw bytes (without the terminating NUL).
    pub fn raw(&self) -> &[u8] {
        &self.raw
    }

    /// The text; invalid sequences are replaced by U+FFFD (see [`Name::is_lossless`]).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Did the raw bytes decode without replacement?
    pub fn is_lossless(&self) -> bool {
        self.lossless
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.lossless {
            write!(f, "{:?}", self.text)
        } else {
            write!(f, "{:?} (raw ", self.text)?;
            for b in &self.raw {
                write!(f, "{b:02X}")?;
            }
            f.write_str(")")
        }
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        self.text == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        self.text == *other
    }
}

/// Raw name bytes passed unchanged, for names that are not text in the library's encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawName<'a>(pub &'a [u8]);

/// Something that can be passed to the library as a name: `&str` (encoded in the library's
/// encoding), [`Name`] (its raw bytes) or [`RawName`].
pub trait AsName {
    /// The bytes to pass, without the terminating NUL.
    ///
    /// # Errors
    /// When the text cannot be encoded.
    fn name_bytes(&self, encoding: NameEncoding) -> Result<Vec<u8>, ArgumentError>;
}

impl AsName for str {
    fn name_bytes(&self, encoding: NameEncoding) -> Result<Vec<u8>, ArgumentError> {
        encoding.encode(self)
    }
}

impl AsName for String {
    fn name_bytes(&self, encoding: NameEncoding) -> Result<Vec<u8>, ArgumentError> {
        encoding.encode(self)
    }
}

impl AsName for Name {
    fn name_bytes(&self, _: NameEncoding) -> Result<Vec<u8>, ArgumentError> {
        Ok(self.raw.clone())
    }
}

impl AsName for RawName<'_> {
    fn name_bytes(&self, _: NameEncoding) -> Result<Vec<u8>, ArgumentError> {
        Ok(self.0.to_vec())
    }
}

impl<T: AsName + ?Sized> AsName for &T {
    fn name_bytes(&self, encoding: NameEncoding) -> Result<Vec<u8>, ArgumentError> {
        (**self).name_bytes(encoding)
    }
}

/// A NUL-terminated copy of a name, checked.
pub(crate) fn c_name(
    name: &(impl AsName + ?Sized),
    encoding: NameEncoding,
) -> Result<Vec<u8>, ArgumentError> {
    let mut bytes = name.name_bytes(encoding)?;
    check_c_string(&bytes, "name", MAX_NAME_LEN)?;
    bytes.push(0);
    Ok(bytes)
}

/// Check that `bytes` has no NUL and is at most `limit` long.
pub(crate) fn check_c_string(
    bytes: &[u8],
    what: &'static str,
    limit: usize,
) -> Result<(), ArgumentError> {
    if bytes.contains(&0) {
        return Err(ArgumentError::NulInName);
    }
    if bytes.len() > limit {
        return Err(ArgumentError::TooLong {
            what,
            len: bytes.len(),
            limit,
        });
    }
    Ok(())
}
