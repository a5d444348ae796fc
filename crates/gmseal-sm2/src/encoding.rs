//! SM2 signature encodings: DER `SEQUENCE { r INTEGER, s INTEGER }` and raw 64-byte `r‖s`.
//!
//! The standards (GM/T 0009-2012 §7.3, GB/T 35276-2017) require DER. Deployed systems also
//! write raw `r‖s` (seal signatures of some OFD and PDF signers), raw values with a stray
//! leading zero byte, or BER-ish DER (redundant zero octets, missing sign octets, long-form
//! lengths). [`decode`] in [`Strictness::Strict`] mode accepts exactly DER (or exactly 64 raw
//! bytes when raw is asked for); [`Strictness::Lenient`] accepts those deviations and lists
//! every one it tolerated, so a verifier can report it.
//!
//! One parser serves both modes: it records each deviation it meets, and strict mode turns the
//! first one into an error. The range rule `1 <= r, s <= n - 1` holds in both modes.
//!
//! ```
//! use gmseal_sm2::encoding::{decode, encode, Deviation, SignatureFormat, Strictness};
//! # use gmseal_sm2::Sm2SignerExt;
//! # let sig = gmseal_sm2::SoftwareSigner::generate().sign_message(&Default::default(), b"x").unwrap();
//! let der = encode(&sig, SignatureFormat::Der);
//! let raw = encode(&sig, SignatureFormat::Raw);
//! assert_eq!(raw.len(), 64);
//!
//! // strict DER decoding refuses raw r||s ...
//! assert!(decode(&raw, SignatureFormat::Der, Strictness::Strict).is_err());
//! // ... lenient decoding takes it and says so.
//! let d = decode(&raw, SignatureFormat::Der, Strictness::Lenient).unwrap();
//! assert_eq!(d.signature, sig);
//! assert_eq!(d.deviations, vec![Deviation::RawInsteadOfDer]);
//! # let _ = der;
//! ```

use core::fmt;

use sm2::dsa::Signature;

use crate::error::{Component, SignatureFormatError};

/// The group order n of sm2p256v1, big-endian.
const ORDER: [u8; 32] = [
    0xFF, 0xFF, 0xFF, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0x72, 0x03, 0xDF, 0x6B, 0x21, 0xC6, 0x05, 0x2B, 0x53, 0xBB, 0xF4, 0x09, 0x39, 0xD5, 0x41, 0x23,
];

/// How a signature value is laid out in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SignatureFormat {
    /// DER `SEQUENCE { r INTEGER, s INTEGER }` (GM/T 0009 §7.3): what the standards require.
    #[default]
    Der,
    /// Raw `r‖s`, 32 bytes each, big-endian: what SKF devices return and some seal signers write.
    Raw,
}

impl fmt::Display for SignatureFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SignatureFormat::Der => "DER SEQUENCE{r,s}",
            SignatureFormat::Raw => "raw r||s",
        })
    }
}

/// Whether deviations from the exact encoding are refused or tolerated and reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Strictness {
    /// Exactly the encoding asked for; anything else is an error. The default.
    #[default]
    Strict,
    /// Accept the deviations seen in real files and report each one.
    Lenient,
}

/// A deviation from the exact encoding that lenient decoding tolerated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Deviation {
    /// DER was expected but the value is raw 64-byte `r‖s`.
    RawInsteadOfDer,
    /// Raw `r‖s` was expected but the value is DER.
    DerInsteadOfRaw,
    /// A 65-byte raw value whose first byte is 0x00 (a BIT STRING's unused-bits octet or a
    /// sign octet left in front of `r‖s`).
    RawWithLeadingZero,
    /// A stray 0x00 byte in front of the DER SEQUENCE.
    LeadingZeroBeforeDer,
    /// An INTEGER with redundant leading zero octets.
    NonMinimalInteger(Component),
    /// An INTEGER with its top bit set and no sign octet (read as unsigned).
    MissingSignOctet(Component),
    /// A length in non-minimal long form.
    NonMinimalLength,
    /// A BER indefinite length.
    IndefiniteLength,
    /// Zero bytes after the end of the signature (padding).
    TrailingZeros(usize),
}

impl fmt::Display for Deviation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Deviation::RawInsteadOfDer => f.write_str("raw r||s where DER was expected"),
            Deviation::DerInsteadOfRaw => f.write_str("DER where raw r||s was expected"),
            Deviation::RawWithLeadingZero => f.write_str("raw r||s with a leading 0x00 byte"),
            Deviation::LeadingZeroBeforeDer => {
                f.write_str("stray 0x00 byte before the DER signature")
            }
            Deviation::NonMinimalInteger(c) => write!(f, "non-minimal INTEGER {c}"),
            Deviation::MissingSignOctet(c) => write!(f, "INTEGER {c} without its 0x00 sign octet"),
            Deviation::NonMinimalLength => f.write_str("non-minimal DER length"),
            Deviation::IndefiniteLength => f.write_str("BER indefinite length"),
            Deviation::TrailingZeros(n) => write!(f, "{n} zero byte(s) after the signature"),
        }
    }
}

/// The result of decoding: the signature, the layout actually found, and what was tolerated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedSignature {
    /// The signature.
    pub signature: Signature,
    /// The layout found in the bytes.
    pub format: SignatureFormat,
    /// Deviations tolerated (always empty in strict mode).
    pub deviations: Vec<Deviation>,
}

/// Encode a signature.
pub fn encode(signature: &Signature, format: SignatureFormat) -> Vec<u8> {
    match format {
        SignatureFormat::Raw => signature.to_vec(),
        SignatureFormat::Der => {
            encode_der(&signature.r_bytes().into(), &signature.s_bytes().into())
        }
    }
}

fn encode_der(r: &[u8; 32], s: &[u8; 32]) -> Vec<u8> {
    fn integer(out: &mut Vec<u8>, v: &[u8; 32]) {
        let start = v.iter().position(|b| *b != 0).unwrap_or(31);
        let mag = &v[start..];
        let pad = mag[0] & 0x80 != 0;
        out.push(0x02);
        out.push((mag.len() + usize::from(pad)) as u8);
        if pad {
            out.push(0);
        }
        out.extend_from_slice(mag);
    }
    let mut body = Vec::with_capacity(70);
    integer(&mut body, r);
    integer(&mut body, s);
    let mut out = Vec::with_capacity(body.len() + 2);
    out.push(0x30);
    out.push(body.len() as u8); // at most 2 * (2 + 33) = 70 < 128
    out.extend_from_slice(&body);
    out
}

/// Decode strict DER (the standard encoding).
///
/// # Errors
/// The [`SignatureFormatError`] naming the first rule broken.
pub fn decode_der(bytes: &[u8]) -> Result<Signature, SignatureFormatError> {
    decode(bytes, SignatureFormat::Der, Strictness::Strict).map(|d| d.signature)
}

/// Decode exactly 64 raw bytes `r‖s`.
///
/// # Errors
/// [`SignatureFormatError::WrongRawLength`] or a range error.
pub fn decode_raw(bytes: &[u8]) -> Result<Signature, SignatureFormatError> {
    decode(bytes, SignatureFormat::Raw, Strictness::Strict).map(|d| d.signature)
}

/// Decode a signature expected in `format`.
///
/// In lenient mode the other layout is accepted too (reported as
/// [`Deviation::RawInsteadOfDer`] or [`Deviation::DerInsteadOfRaw`]).
///
/// # Errors
/// The [`SignatureFormatError`] naming what is wrong. In lenient mode, the error of the
/// expected layout is returned when no layout fits.
pub fn decode(
    bytes: &[u8],
    format: SignatureFormat,
    strictness: Strictness,
) -> Result<DecodedSignature, SignatureFormatError> {
    if bytes.is_empty() {
        return Err(SignatureFormatError::Empty);
    }
    let lenient = strictness == Strictness::Lenient;
    match format {
        SignatureFormat::Der => match parse_der(bytes, lenient) {
            Ok(d) => Ok(d),
            Err(e) if lenient => parse_raw(bytes, true)
                .map(|mut d| {
                    d.deviations.insert(0, Deviation::RawInsteadOfDer);
                    d
                })
                .map_err(|_| e),
            Err(e) => Err(e),
        },
        SignatureFormat::Raw => match parse_raw(bytes, lenient) {
            Ok(d) => Ok(d),
            Err(e) if lenient => parse_der(bytes, true)
                .map(|mut d| {
                    d.deviations.insert(0, Deviation::DerInsteadOfRaw);
                    d
                })
                .map_err(|_| e),
            Err(e) => Err(e),
        },
    }
}

fn parse_raw(bytes: &[u8], lenient: bool) -> Result<DecodedSignature, SignatureFormatError> {
    let (body, deviations) = match bytes.len() {
        64 => (bytes, vec![]),
        65 if lenient && bytes[0] == 0 => (&bytes[1..], vec![Deviation::RawWithLeadingZero]),
        len => return Err(SignatureFormatError::WrongRawLength { len }),
    };
    let mut r = [0u8; 32];
    let mut s = [0u8; 32];
    r.copy_from_slice(&body[..32]);
    s.copy_from_slice(&body[32..]);
    Ok(DecodedSignature {
        signature: to_signature(&r, &s)?,
        format: SignatureFormat::Raw,
        deviations,
    })
}

/// A cursor over DER bytes that records deviations instead of failing when lenient.
struct Parser<'a> {
    bytes: &'a [u8],
    pos: usize,
    lenient: bool,
    deviations: Vec<Deviation>,
}

impl<'a> Parser<'a> {
    fn deviate(
        &mut self,
        d: Deviation,
        err: SignatureFormatError,
    ) -> Result<(), SignatureFormatError> {
        if self.lenient {
            if !self.deviations.contains(&d) {
                self.deviations.push(d);
            }
            Ok(())
        } else {
            Err(err)
        }
    }

    fn byte(&mut self) -> Result<u8, SignatureFormatError> {
        let b = *self
            .bytes
            .get(self.pos)
            .ok_or(SignatureFormatError::Truncated)?;
        self.pos += 1;
        Ok(b)
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], SignatureFormatError> {
        let end = self
            .pos
            .checked_add(n)
            .ok_or(SignatureFormatError::Truncated)?;
        let s = self
            .bytes
            .get(self.pos..end)
            .ok_or(SignatureFormatError::Truncated)?;
        self.pos = end;
        Ok(s)
    }

    /// A length; `None` for the indefinite form.
    fn length(&mut self) -> Result<Option<usize>, SignatureFormatError> {
        let first = self.byte()?;
        if first < 0x80 {
            return Ok(Some(first as usize));
        }
        if first == 0x80 {
            self.deviate(
                Deviation::IndefiniteLength,
                SignatureFormatError::IndefiniteLength,
            )?;
            return Ok(None);
        }
        let n = (first & 0x7F) as usize;
        if n > 4 {
            // No signature is anywhere near 4 GiB; such a length is garbage.
            return Err(SignatureFormatError::Truncated);
        }
        let octets = self.take(n)?;
        let mut len = 0usize;
        for b in octets {
            len = (len << 8) | *b as usize;
        }
        if octets[0] == 0 || len < 0x80 {
            self.deviate(
                Deviation::NonMinimalLength,
                SignatureFormatError::NonMinimalLength,
            )?;
        }
        Ok(Some(len))
    }

    fn integer(&mut self, component: Component) -> Result<[u8; 32], SignatureFormatError> {
        let tag = self.byte()?;
        if tag != 0x02 {
            return Err(SignatureFormatError::NotAnInteger { component, tag });
        }
        let len = self
            .length()?
            .ok_or(SignatureFormatError::IndefiniteLength)?; // never for primitives
        let content = self.take(len)?;
        if content.is_empty() {
            return Err(SignatureFormatError::EmptyInteger { component });
        }
        if content[0] & 0x80 != 0 {
            self.deviate(
                Deviation::MissingSignOctet(component),
                SignatureFormatError::NegativeInteger { component },
            )?;
        } else if content.len() > 1 && content[0] == 0 && content[1] & 0x80 == 0 {
            self.deviate(
                Deviation::NonMinimalInteger(component),
                SignatureFormatError::NonMinimalInteger { component },
            )?;
        }
        let first_nonzero = content.iter().position(|b| *b != 0);
        let magnitude = match first_nonzero {
            None => return Err(SignatureFormatError::Zero { component }),
            Some(i) => &content[i..],
        };
        if magnitude.len() > 32 {
            return Err(SignatureFormatError::NotBelowOrder { component });
        }
        let mut out = [0u8; 32];
        out[32 - magnitude.len()..].copy_from_slice(magnitude);
        Ok(out)
    }
}

fn parse_der(bytes: &[u8], lenient: bool) -> Result<DecodedSignature, SignatureFormatError> {
    let mut p = Parser {
        bytes,
        pos: 0,
        lenient,
        deviations: Vec::new(),
    };
    if lenient && bytes.len() > 1 && bytes[0] == 0 && bytes[1] == 0x30 {
        p.pos = 1;
        p.deviations.push(Deviation::LeadingZeroBeforeDer);
    }
    let tag = p.byte()?;
    if tag != 0x30 {
        return Err(SignatureFormatError::NotASequence { tag });
    }
    let len = p.length()?;
    let body_start = p.pos;
    let r = p.integer(Component::R)?;
    let s = p.integer(Component::S)?;
    match len {
        Some(len) => {
            let body_end = body_start
                .checked_add(len)
                .ok_or(SignatureFormatError::Truncated)?;
            if body_end > bytes.len() {
                return Err(SignatureFormatError::Truncated);
            }
            if p.pos < body_end {
                return Err(SignatureFormatError::ExtraElements);
            }
            if p.pos > body_end {
                // The INTEGERs run past the announced SEQUENCE length.
                return Err(SignatureFormatError::Truncated);
            }
        }
        None => {
            // Indefinite length (lenient only): the end-of-contents octets must follow.
            let eoc = p.take(2).map_err(|_| SignatureFormatError::Truncated)?;
            if eoc != [0, 0] {
                return Err(SignatureFormatError::ExtraElements);
            }
        }
    }
    let rest = &bytes[p.pos..];
    if !rest.is_empty() {
        let err = SignatureFormatError::TrailingData { len: rest.len() };
        if rest.iter().all(|b| *b == 0) {
            p.deviate(Deviation::TrailingZeros(rest.len()), err)?;
        } else {
            return Err(err);
        }
    }
    Ok(DecodedSignature {
        signature: to_signature(&r, &s)?,
        format: SignatureFormat::Der,
        deviations: p.deviations,
    })
}

/// Check `1 <= r, s <= n - 1` and build the signature.
fn to_signature(r: &[u8; 32], s: &[u8; 32]) -> Result<Signature, SignatureFormatError> {
    for (v, component) in [(r, Component::R), (s, Component::S)] {
        if v.iter().all(|b| *b == 0) {
            return Err(SignatureFormatError::Zero { component });
        }
        if *v >= ORDER {
            return Err(SignatureFormatError::NotBelowOrder { component });
        }
    }
    // Both values are in range, which is all `from_scalars` checks.
    Signature::from_scalars(*r, *s).map_err(|_| SignatureFormatError::Zero {
        component: Component::R,
    })
}

/// Build a signature from `r` and `s` given as big-endian integers of any length (leading zeros
/// allowed), enforcing `1 <= r, s <= n - 1`.
///
/// # Errors
/// [`SignatureFormatError::Zero`] or [`SignatureFormatError::NotBelowOrder`].
pub fn from_components(r: &[u8], s: &[u8]) -> Result<Signature, SignatureFormatError> {
    fn fixed(v: &[u8], component: Component) -> Result<[u8; 32], SignatureFormatError> {
        let start = v.iter().position(|b| *b != 0).unwrap_or(v.len());
        let mag = &v[start..];
        if mag.len() > 32 {
            return Err(SignatureFormatError::NotBelowOrder { component });
        }
        let mut out = [0u8; 32];
        out[32 - mag.len()..].copy_from_slice(mag);
        Ok(out)
    }
    to_signature(&fixed(r, Component::R)?, &fixed(s, Component::S)?)
}
