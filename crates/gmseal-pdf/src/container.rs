//! The signature container: what goes into `/Contents`, behind two small traits.
//!
//! The PDF layer reserves `/Contents`, computes SM3 over the two `/ByteRange` runs and hands the
//! digest to a [`ContentsSigner`]; on verification it hands the `/Contents` bytes and the digest
//! it recomputed to a [`ContentsVerifier`]. Both formats deployed Chinese systems use plug in
//! here (see `shared/notes/pdf.md` §2):
//!
//! * **Format A**, digital signature: a detached SM2 CMS `SignedData` (GM/T 0010 / GB/T 35275)
//!   under `/Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached`;
//! * **Format B**, electronic seal: a GB/T 38540 `SES_Signature` directly in `/Contents`, its
//!   `dataHash` being the SM3 digest of the byte ranges, under one of the vendor names of
//!   [`SigFilter`].

use std::time::SystemTime;

use crate::error::ContainerError;
use crate::report::{Check, SealInfo};

/// The `/Filter` and `/SubFilter` names of a signature dictionary.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SigFilter {
    /// `/Filter`: the preferred signature handler.
    pub filter: Vec<u8>,
    /// `/SubFilter`: the encoding of `/Contents`.
    pub sub_filter: Vec<u8>,
}

impl SigFilter {
    /// Format A: `/Adobe.PPKLite` + `/adbe.pkcs7.detached` (ISO 32000-1 §12.8.3.3), what deployed
    /// SM2 CMS signers write and every reader parses.
    pub fn adobe_pkcs7_detached() -> Self {
        Self::new(b"Adobe.PPKLite", b"adbe.pkcs7.detached")
    }

    /// Format A with the PAdES name: `/Adobe.PPKLite` + `/ETSI.CAdES.detached`.
    pub fn etsi_cades_detached() -> Self {
        Self::new(b"Adobe.PPKLite", b"ETSI.CAdES.detached")
    }

    /// Format B default: `/GM.PKILite` + `/GM.sm2seal`.
    ///
    /// GM/T 0112-2021 §7.2 was not available to check the exact names; this pair follows the
    /// names seen in Chinese implementations (`GM.` handler prefix, `sm2seal` SubFilter) and is
    /// configurable. The verifier accepts all names of [`SigFilter::SEAL_NAMES`].
    pub fn gm_sm2seal() -> Self {
        Self::new(b"GM.PKILite", b"GM.sm2seal")
    }

    /// Format B as written by the GOMAIN layout code: `/Gomain.GMPkiLite` + `/GM.sm2seal`.
    pub fn gomain_sm2seal() -> Self {
        Self::new(b"Gomain.GMPkiLite", b"GM.sm2seal")
    }

    /// Format B as found in GOMAIN-produced files: `/Foxit.SM` + `/fxit.sm.detached`.
    pub fn foxit_sm() -> Self {
        Self::new(b"Foxit.SM", b"fxit.sm.detached")
    }

    /// `/GM.PKILite` + `/GM.SM2` (x-easypdf constants).
    pub fn gm_sm2() -> Self {
        Self::new(b"GM.PKILite", b"GM.SM2")
    }

    /// SubFilters that mean Format A (CMS).
    pub const CMS_NAMES: &'static [&'static [u8]] =
        &[b"adbe.pkcs7.detached", b"ETSI.CAdES.detached"];

    /// SubFilters that mean Format B (GB/T 38540 seal signature) in deployed systems.
    pub const SEAL_NAMES: &'static [&'static [u8]] =
        &[b"GM.sm2seal", b"fxit.sm.detached", b"GM.SM2"];

    /// Any pair of names.
    pub fn new(filter: &[u8], sub_filter: &[u8]) -> Self {
        SigFilter {
            filter: filter.to_vec(),
            sub_filter: sub_filter.to_vec(),
        }
    }

    /// The format the SubFilter names, if it is one of the known names.
    pub fn format(&self) -> Option<Format> {
        format_of_sub_filter(&self.sub_filter)
    }
}

/// The format a SubFilter name stands for.
pub(crate) fn format_of_sub_filter(sub_filter: &[u8]) -> Option<Format> {
    if SigFilter::CMS_NAMES.contains(&sub_filter) {
        Some(Format::Cms)
    } else if SigFilter::SEAL_NAMES.contains(&sub_filter) {
        Some(Format::Seal)
    } else {
        None
    }
}

/// What a signature's `/Contents` holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// Format A: detached CMS / PKCS#7 `SignedData` (GM/T 0010, RFC 5652).
    Cms,
    /// Format B: GB/T 38540 (or GM/T 0031) `SES_Signature`.
    Seal,
    /// Neither could be recognised.
    Unknown,
}

impl core::fmt::Display for Format {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Format::Cms => "CMS SignedData (format A)",
            Format::Seal => "SES_Signature electronic seal (format B)",
            Format::Unknown => "unknown",
        })
    }
}

/// How the format of a signature was determined.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FormatSource {
    /// From a known `/SubFilter` name, and the DER agrees (or could not be sniffed).
    SubFilter,
    /// The SubFilter is missing or unknown; the DER was recognised.
    Sniffed,
    /// The SubFilter names one format but the DER looks like the other; the DER wins.
    SniffedAgainstSubFilter,
    /// Neither.
    None,
}

/// Guess the format from the DER: `SEQUENCE { OID signedData, ... }` is CMS,
/// `SEQUENCE { SEQUENCE { INTEGER version, SEQUENCE (SESeal) ...` or the GM/T 0031 layout is a
/// seal signature (GB/T 38540-2020 §8.2, GM/T 0031-2014 §7.2).
pub fn sniff_format(der: &[u8]) -> Format {
    const SIGNED_DATA_PKCS7: &[u8] = &[
        0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02,
    ];
    // 1.2.156.10197.6.1.4.2.2 (GM/T 0010 signedData)
    const SIGNED_DATA_GM: &[u8] = &[
        0x06, 0x0a, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x06, 0x01, 0x04, 0x02, 0x02,
    ];
    let Some(inner) = der_contents(der, 0x30) else {
        return Format::Unknown;
    };
    if inner.starts_with(SIGNED_DATA_PKCS7) || inner.starts_with(SIGNED_DATA_GM) {
        return Format::Cms;
    }
    // SES_Signature ::= SEQUENCE { toSign TBS_Sign (SEQUENCE { version INTEGER, eseal SESeal
    // (SEQUENCE) ...}) ...}
    if let Some(tbs) = der_contents(inner, 0x30) {
        if let Some((0x02, rest)) = skip_tlv(tbs) {
            if rest.first() == Some(&0x30) {
                return Format::Seal;
            }
        }
    }
    Format::Unknown
}

/// The contents of a DER TLV with tag `tag` at the start of `der` (definite lengths only).
fn der_contents(der: &[u8], tag: u8) -> Option<&[u8]> {
    let (&t, rest) = der.split_first()?;
    if t != tag {
        return None;
    }
    let (len, rest) = der_len(rest)?;
    rest.get(..len)
}

/// Skip one TLV; returns its tag and what follows.
fn skip_tlv(der: &[u8]) -> Option<(u8, &[u8])> {
    let (&t, rest) = der.split_first()?;
    let (len, rest) = der_len(rest)?;
    Some((t, rest.get(len..)?))
}

fn der_len(bytes: &[u8]) -> Option<(usize, &[u8])> {
    let (&first, rest) = bytes.split_first()?;
    if first < 0x80 {
        return Some((usize::from(first), rest));
    }
    let n = usize::from(first & 0x7f);
    if n == 0 || n > 4 {
        return None;
    }
    let (len_bytes, rest) = (rest.get(..n)?, rest.get(n..)?);
    let len = len_bytes
        .iter()
        .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
    Some((len, rest))
}

/// The length of the DER element at the start of `bytes` (tag, length and contents), if it has
/// a definite length that fits: how `/Contents` padding is stripped.
pub fn der_element_len(bytes: &[u8]) -> Option<usize> {
    let (_, rest) = bytes.split_first()?;
    let (len, after) = der_len(rest)?;
    let header = bytes.len() - after.len();
    let total = header.checked_add(len)?;
    (total <= bytes.len()).then_some(total)
}

/// What the PDF layer gives a [`ContentsSigner`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ContentsRequest<'a> {
    /// SM3 over the two `/ByteRange` runs: a CMS `messageDigest` or a seal's `dataHash`.
    pub digest: [u8; 32],
    /// The signing time written to `/M` (also a CMS `signingTime` or a seal's `timeInfo`).
    pub signing_time: SystemTime,
    /// The fully qualified name of the signature field.
    pub field_name: &'a str,
}

/// Makes the `/Contents` of a signature: a CMS `SignedData` (format A), a GB/T 38540
/// `SES_Signature` (format B), or anything else.
///
/// Implementations sign through a `&dyn gmseal_sm2::Sm2Signer`, so a software key, an SKF device
/// or a remote service work alike.
pub trait ContentsSigner {
    /// `/Filter` and `/SubFilter` to write.
    fn sig_filter(&self) -> SigFilter;

    /// The most bytes [`sign`](Self::sign) can return; this many are reserved in `/Contents`
    /// (twice as many hex digits). Include room for certificates and a timestamp token.
    fn max_contents_len(&self) -> usize;

    /// Produce the `/Contents` bytes for the document digest.
    ///
    /// # Errors
    /// Whatever the container or the key behind it reports.
    fn sign(&self, request: &ContentsRequest<'_>) -> Result<Vec<u8>, ContainerError>;
}

/// What the PDF layer gives a [`ContentsVerifier`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct VerifyRequest<'a> {
    /// The `/Contents` bytes, padding stripped (the DER element when it parses, else all bytes
    /// up to the trailing zeros).
    pub contents: &'a [u8],
    /// SM3 over the two `/ByteRange` runs, as recomputed from the file.
    pub digest: [u8; 32],
    /// The format detected from SubFilter and DER.
    pub format: Format,
    /// `/SubFilter`, if present.
    pub sub_filter: Option<&'a [u8]>,
    /// `/M`, if present and readable.
    pub claimed_time: Option<SystemTime>,
}

/// What a [`ContentsVerifier`] found.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct ContainerReport {
    /// Every check made: digest binding, signature, certificate, chain, seal, timestamp.
    pub checks: Vec<Check>,
    /// A short description of the signer (certificate subject), when known.
    pub signer: Option<String>,
    /// The signing time the container claims (CMS `signingTime`, seal `timeInfo`).
    pub signing_time: Option<SystemTime>,
    /// The `genTime` of a timestamp over the signature value that verified (with a trusted
    /// TSA when trust anchors were configured): the time the signature is proven to have
    /// existed at.
    pub timestamp: Option<SystemTime>,
    /// The signer's certificate (DER), when the container carries one.
    pub signer_certificate: Option<Vec<u8>>,
    /// The seal the signature was made with (format B).
    pub seal: Option<SealInfo>,
}

impl ContainerReport {
    /// A report holding `checks`.
    pub fn new(checks: Vec<Check>) -> Self {
        ContainerReport {
            checks,
            ..Default::default()
        }
    }
}

/// Checks the `/Contents` of one signature format. `Send + Sync`, so that one set of
/// [`VerifyOptions`](crate::VerifyOptions) serves documents verified in parallel
/// ([`verify_many`](crate::verify_many)).
pub trait ContentsVerifier: Send + Sync {
    /// Whether this verifier handles a signature of `format` with this `/SubFilter`.
    fn accepts(&self, format: Format, sub_filter: Option<&[u8]>) -> bool;

    /// Verify `/Contents` against the digest. Never fails: everything found goes into the
    /// report (malformed containers as failed checks).
    fn verify(&self, request: &VerifyRequest<'_>) -> ContainerReport;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs() {
        // ContentInfo { signedData ... }
        let cms = [
            0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02, 0xa0,
            0x00,
        ];
        assert_eq!(sniff_format(&cms), Format::Cms);
        // SES_Signature { TBS_Sign { INTEGER 4, SEQUENCE {} } }
        let ses = [0x30, 0x07, 0x30, 0x05, 0x02, 0x01, 0x04, 0x30, 0x00];
        assert_eq!(sniff_format(&ses), Format::Seal);
        // SEQUENCE { INTEGER, INTEGER } (a bare SM2 signature)
        let sig = [0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01];
        assert_eq!(sniff_format(&sig), Format::Unknown);
        assert_eq!(sniff_format(&[]), Format::Unknown);
        assert_eq!(
            sniff_format(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]),
            Format::Unknown
        );
    }

    #[test]
    fn element_len() {
        assert_eq!(der_element_len(&[0x30, 0x02, 1, 2, 0, 0]), Some(4));
        assert_eq!(der_element_len(&[0x30, 0x81, 0x02, 1, 2, 0]), Some(5));
        assert_eq!(der_element_len(&[0x30, 0x05, 1]), None);
        assert_eq!(der_element_len(&[]), None);
    }
}
