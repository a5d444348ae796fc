//! A small BER reader for lenient mode (R11): definite lengths in non-minimal long form and
//! indefinite lengths, single-octet tags. It finds element spans as received and re-encodes to
//! DER so that the typed `der` decoders (strict DER) can read the value.
//!
//! `der` 0.8's own BER mode does not read nested indefinite lengths reliably (its `tlv_bytes`
//! mis-measures an indefinite element inside a SEQUENCE), hence this walker.

use core::ops::Range;

use crate::error::{Error, Result};

const MAX_DEPTH: usize = 32;

/// One element: its tag byte, where its contents are, and where it ends.
#[derive(Debug, Clone)]
pub(super) struct Tlv {
    pub(super) tag: u8,
    /// Contents (without end-of-contents octets).
    pub(super) contents: Range<usize>,
    /// The whole element, header to end (end-of-contents octets included).
    pub(super) whole: Range<usize>,
}

fn err(msg: &'static str, at: usize) -> Error {
    Error::InvalidField {
        field: "SystemRegister".into(),
        rule: "BER (X.690 §8.1)",
        found: format!("{msg} at offset {at}"),
    }
}

/// Read the element starting at `pos`.
pub(super) fn read(buf: &[u8], pos: usize, depth: usize) -> Result<Tlv> {
    if depth > MAX_DEPTH {
        return Err(err("nesting too deep", pos));
    }
    let tag = *buf.get(pos).ok_or_else(|| err("truncated tag", pos))?;
    if tag & 0x1F == 0x1F {
        return Err(err("multi-octet tag not supported", pos));
    }
    let l0 = *buf
        .get(pos + 1)
        .ok_or_else(|| err("truncated length", pos + 1))?;
    let start = pos + 2;
    if l0 == 0x80 {
        if tag & 0x20 == 0 {
            return Err(err("indefinite length on a primitive element", pos));
        }
        let mut p = start;
        loop {
            if buf.get(p..p + 2) == Some(&[0, 0]) {
                return Ok(Tlv {
                    tag,
                    contents: start..p,
                    whole: pos..p + 2,
                });
            }
            let child = read(buf, p, depth + 1)?;
            p = child.whole.end;
        }
    }
    let (len, start) = if l0 < 0x80 {
        (usize::from(l0), start)
    } else {
        let n = usize::from(l0 & 0x7F);
        if n > 4 {
            return Err(err("length of more than 4 octets", pos + 1));
        }
        let bytes = buf
            .get(start..start + n)
            .ok_or_else(|| err("truncated length", start))?;
        (
            bytes.iter().fold(0usize, |a, b| (a << 8) | usize::from(*b)),
            start + n,
        )
    };
    let end = start
        .checked_add(len)
        .filter(|e| *e <= buf.len())
        .ok_or_else(|| err("element longer than the input", pos))?;
    Ok(Tlv {
        tag,
        contents: start..end,
        whole: pos..end,
    })
}

/// The children of a constructed element.
pub(super) fn children(buf: &[u8], tlv: &Tlv, depth: usize) -> Result<Vec<Tlv>> {
    let mut out = Vec::new();
    let mut p = tlv.contents.start;
    while p < tlv.contents.end {
        let c = read(buf, p, depth + 1)?;
        if c.whole.end > tlv.contents.end {
            return Err(err("element overruns its parent", p));
        }
        p = c.whole.end;
        out.push(c);
    }
    Ok(out)
}

/// DER re-encoding of an element (lengths made definite and minimal).
pub(super) fn to_der(buf: &[u8], tlv: &Tlv, depth: usize) -> Result<Vec<u8>> {
    let contents = if tlv.tag & 0x20 != 0 {
        let mut c = Vec::new();
        for child in children(buf, tlv, depth)? {
            c.extend(to_der(buf, &child, depth + 1)?);
        }
        c
    } else {
        buf.get(tlv.contents.clone())
            .ok_or_else(|| err("truncated", tlv.contents.start))?
            .to_vec()
    };
    let mut out = vec![tlv.tag];
    let n = contents.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let bytes: Vec<u8> = n
            .to_be_bytes()
            .iter()
            .copied()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend(contents);
    Ok(out)
}
