//! A minimal DER element walker that keeps the received bytes.
//!
//! `der` decodes `SET OF` by sorting the elements (der 0.8 `SetOfVec::decode_value`), so the
//! re-encoding of a decoded `SignerInfo` may differ from what was signed when a signer wrote
//! unsorted attributes. Signatures must be checked over the bytes as received, so the
//! structures whose bytes matter (signed attributes, the encapsulated content info, each
//! certificate, each `SignerInfo`) are located with this walker and only then decoded with the
//! `cms` / `x509-cert` types.

use der::{Decode, Header, Reader, SliceReader, Tag};

/// One DER element: its tag, its whole encoding and its value octets.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tlv<'a> {
    pub(crate) tag: Tag,
    pub(crate) tlv: &'a [u8],
    pub(crate) value: &'a [u8],
}

/// Split the first element off `input`.
pub(crate) fn next<'a>(input: &mut &'a [u8]) -> der::Result<Tlv<'a>> {
    let mut reader = SliceReader::new(input)?;
    let header = Header::decode(&mut reader)?;
    let value = reader.read_slice(header.length())?;
    let consumed = usize::try_from(reader.position())?;
    let (tlv, rest) = input.split_at_checked(consumed).ok_or_else(|| {
        der::Error::from(der::ErrorKind::Incomplete {
            expected_len: reader.position(),
            actual_len: der::Length::ZERO,
        })
    })?;
    *input = rest;
    Ok(Tlv {
        tag: header.tag(),
        tlv,
        value,
    })
}

/// The elements of a constructed value, in order, at most `limit` of them.
pub(crate) fn elements<'a>(mut value: &'a [u8], limit: usize) -> Result<Vec<Tlv<'a>>, Limit> {
    let mut out = Vec::new();
    while !value.is_empty() {
        if out.len() >= limit {
            return Err(Limit::Exceeded(out.len() + 1));
        }
        out.push(next(&mut value).map_err(Limit::Der)?);
    }
    Ok(out)
}

/// Why [`elements`] stopped.
#[derive(Debug)]
pub(crate) enum Limit {
    Der(der::Error),
    Exceeded(usize),
}

/// The length of the DER element at the start of `input` (for stripping padding).
pub(crate) fn element_len(input: &[u8]) -> der::Result<usize> {
    let mut rest = input;
    let tlv = next(&mut rest)?;
    Ok(tlv.tlv.len())
}
