//! Byte-level helpers: the elements of a SEQUENCE as they were received, and SEQUENCEs built
//! from received elements. The signed bytes are always taken from the input, never re-encoded.

use core::ops::Range;

use der::{Decode, Encode, Header, Length, Reader, SliceReader, Tag};

use crate::error::{Error, Result, asn1};

/// The largest seal or seal signature accepted (pictures of real seals are a few KB to a few
/// hundred KB).
pub const MAX_INPUT_LEN: usize = 16 << 20;

pub(crate) fn check_size(what: &'static str, bytes: &[u8]) -> Result<()> {
    if bytes.len() > MAX_INPUT_LEN {
        return Err(Error::TooLarge {
            what,
            len: bytes.len(),
            max: MAX_INPUT_LEN,
        });
    }
    Ok(())
}

/// The complete encodings (tag, length, value) of the elements of the single SEQUENCE that is
/// `bytes`.
pub(crate) fn children<'a>(bytes: &'a [u8], structure: &'static str) -> Result<Vec<&'a [u8]>> {
    let inner = || -> der::Result<Vec<&'a [u8]>> {
        let mut outer = SliceReader::new(bytes)?;
        let header = Header::decode(&mut outer)?;
        header.tag().assert_eq(Tag::Sequence)?;
        let content = outer.read_slice(header.length())?;
        outer.finish()?;
        let mut reader = SliceReader::new(content)?;
        let mut out = Vec::new();
        while !reader.is_finished() {
            out.push(reader.tlv_bytes()?);
        }
        Ok(out)
    };
    inner().map_err(asn1(structure))
}

/// A SEQUENCE whose elements are `parts` (each a complete encoding).
pub(crate) fn sequence(parts: &[&[u8]]) -> Result<Vec<u8>> {
    let build = || -> der::Result<Vec<u8>> {
        let len = parts.iter().map(|p| p.len()).sum::<usize>();
        let header = Header::new(Tag::Sequence, Length::try_from(len)?);
        let mut out = Vec::with_capacity(len + 6);
        header.encode_to_vec(&mut out)?;
        for p in parts {
            out.extend_from_slice(p);
        }
        Ok(out)
    };
    build().map_err(asn1("SEQUENCE"))
}

/// Where `inner` (a sub-slice of `outer`) lies in `outer`.
pub(crate) fn range_in(outer: &[u8], inner: &[u8]) -> Range<usize> {
    let start = (inner.as_ptr() as usize).saturating_sub(outer.as_ptr() as usize);
    start..start + inner.len()
}

/// Encode a value, naming the structure on failure.
pub(crate) fn encode<T: Encode>(value: &T, structure: &'static str) -> Result<Vec<u8>> {
    value.to_der().map_err(asn1(structure))
}
