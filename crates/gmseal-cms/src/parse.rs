//! Decoding `ContentInfo(SignedData)` while keeping the bytes each signature covers.
//!
//! The structures are those of RFC 5652 §5 (PKCS#7 v1.5, RFC 2315 §9, is DER-identical for
//! version-1 signers), with either OID family of GM/T 0010-2012 / GB/T 35275-2017 §7.
//! Each element is decoded with the `cms` and `x509-cert` types; the walker of `der_walk` keeps
//! the received bytes of the signed attributes, the encapsulated content info and every
//! certificate, so signatures are checked over exactly what was signed.

use cms::signed_data::SignerInfo;
use der::asn1::ObjectIdentifier;
use der::{Decode, Tag, TagNumber};
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;

use crate::der_walk::{self, Limit, Tlv};
use crate::error::{Error, Result, malformed};

/// Bounds on what a parsed `SignedData` may hold (denial of service).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Maximum number of `SignerInfo`s.
    pub max_signers: usize,
    /// Maximum number of certificates (and of CRLs).
    pub max_certificates: usize,
    /// Maximum number of digest algorithms and of attributes in one `SignerInfo`.
    pub max_attributes: usize,
    /// Maximum number of timestamp tokens verified per signer (each costs a signature check).
    pub max_timestamps: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_signers: 16,
            max_certificates: 64,
            max_attributes: 64,
            max_timestamps: 4,
        }
    }
}

/// Which OID family a `SignedData` uses for its content types (GM/T 0010 §7 / RFC 2315 §14).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum OidFamily {
    /// PKCS#7 `1.2.840.113549.1.7.x`: what PDF signers (and CFCA) write. The default.
    #[default]
    Pkcs7,
    /// GM/T 0010 / GB/T 35275 `1.2.156.10197.6.1.4.2.x`: what OFD "Sign" signatures use.
    Gmt0010,
}

impl OidFamily {
    /// The `data` content type of this family.
    pub fn data(self) -> ObjectIdentifier {
        match self {
            OidFamily::Pkcs7 => crate::oid::PKCS7_DATA,
            OidFamily::Gmt0010 => crate::oid::gmt0010::DATA,
        }
    }

    /// The `signedData` content type of this family.
    pub fn signed_data(self) -> ObjectIdentifier {
        match self {
            OidFamily::Pkcs7 => crate::oid::PKCS7_SIGNED_DATA,
            OidFamily::Gmt0010 => crate::oid::gmt0010::SIGNED_DATA,
        }
    }

    /// The family of a `signedData` OID.
    pub fn of_signed_data(oid: &ObjectIdentifier) -> Option<Self> {
        if *oid == crate::oid::PKCS7_SIGNED_DATA {
            Some(OidFamily::Pkcs7)
        } else if *oid == crate::oid::gmt0010::SIGNED_DATA {
            Some(OidFamily::Gmt0010)
        } else {
            None
        }
    }
}

/// The encapsulated content of a `SignedData`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EContent<'a> {
    /// An OCTET STRING (the normal case, RFC 5652 §5.2): its octets.
    Octets(&'a [u8]),
    /// Any other element (PKCS#7 v1.5 allowed content of any type): its whole DER.
    Other(&'a [u8]),
}

impl<'a> EContent<'a> {
    /// The bytes the message digest covers: the OCTET STRING's octets, or the value octets of
    /// another element (RFC 5652 §5.4; RFC 2315 §9.3 for PKCS#7 content of another type).
    pub fn digested_bytes(&self) -> &'a [u8] {
        match self {
            EContent::Octets(b) => b,
            EContent::Other(tlv) => {
                let mut rest = *tlv;
                der_walk::next(&mut rest).map(|t| t.value).unwrap_or(tlv)
            }
        }
    }
}

/// One certificate of the `certificates` field, with its received bytes.
#[derive(Clone, Debug)]
pub struct ParsedCertificate<'a> {
    /// The certificate's DER as received.
    pub der: &'a [u8],
    /// The decoded certificate, or why it did not decode (an unusable certificate does not
    /// make the whole `SignedData` unreadable).
    pub certificate: core::result::Result<Certificate, der::Error>,
}

/// One `SignerInfo`, decoded, with the bytes its signature covers.
#[derive(Clone, Debug)]
pub struct ParsedSignerInfo<'a> {
    /// The whole `SignerInfo` as received.
    pub der: &'a [u8],
    /// The decoded `SignerInfo` (its attribute sets sorted by the decoder).
    pub info: SignerInfo,
    /// The signed attributes exactly as received, with the `[0] IMPLICIT` tag replaced by
    /// the `SET OF` tag 0x31: the input of the signature (RFC 5652 §5.4).
    pub signed_attrs_der: Option<Vec<u8>>,
}

/// A decoded `ContentInfo` holding a `SignedData`.
#[derive(Clone, Debug)]
pub struct ParsedSignedData<'a> {
    /// The `ContentInfo` DER (without any padding that followed it).
    pub der: &'a [u8],
    /// The OID family of the outer content type.
    pub family: OidFamily,
    /// `SignedData.version`.
    pub version: u8,
    /// `digestAlgorithms`.
    pub digest_algorithms: Vec<AlgorithmIdentifierOwned>,
    /// `encapContentInfo.eContentType`.
    pub econtent_type: ObjectIdentifier,
    /// The encapsulated content, if attached.
    pub econtent: Option<EContent<'a>>,
    /// The whole `encapContentInfo` as received (GmSSL 3 signs it; see the verifier).
    pub encap_content_info_der: &'a [u8],
    /// `certificates`, each with its received bytes (non-certificate choices are skipped).
    pub certificates: Vec<ParsedCertificate<'a>>,
    /// The raw `crls` field, if present.
    pub crls_der: Option<&'a [u8]>,
    /// `signerInfos`, in the order received.
    pub signers: Vec<ParsedSignerInfo<'a>>,
    /// Zero bytes that followed the DER (the padding of a PDF `/Contents` string).
    pub trailing_zeros: usize,
}

fn count(what: &'static str, limit: usize) -> impl Fn(Limit) -> Error {
    move |l| match l {
        Limit::Der(source) => Error::Malformed { what, source },
        Limit::Exceeded(found) => Error::TooMany { what, found, limit },
    }
}

/// For a structure with a fixed number of fields: more elements than fields is malformed.
fn fixed_fields(what: &'static str) -> impl Fn(Limit) -> Error {
    move |l| match l {
        Limit::Der(source) => Error::Malformed { what, source },
        Limit::Exceeded(_) => length_error(what),
    }
}

fn ctx(n: u32) -> Tag {
    Tag::ContextSpecific {
        constructed: true,
        number: TagNumber(n),
    }
}

impl<'a> ParsedSignedData<'a> {
    /// Decode a DER `ContentInfo(SignedData)`.
    ///
    /// Zero bytes after the DER (PDF `/Contents` padding) are allowed when
    /// `allow_zero_padding` is set and counted in [`trailing_zeros`](Self::trailing_zeros);
    /// any other trailing byte is an error.
    ///
    /// # Errors
    /// [`Error::Malformed`] naming the structure that does not decode,
    /// [`Error::NotSignedData`], [`Error::TrailingData`], [`Error::TooMany`],
    /// [`Error::NoSigners`].
    pub fn from_der(input: &'a [u8], allow_zero_padding: bool, limits: &Limits) -> Result<Self> {
        let mut rest = input;
        let outer = der_walk::next(&mut rest).map_err(malformed("ContentInfo"))?;
        let trailing_zeros = rest.len();
        if !rest.is_empty() && (!allow_zero_padding || rest.iter().any(|b| *b != 0)) {
            return Err(Error::TrailingData { len: rest.len() });
        }
        if outer.tag != Tag::Sequence {
            return Err(tag_error("ContentInfo", outer.tag, Tag::Sequence));
        }
        let fields = der_walk::elements(outer.value, 2).map_err(fixed_fields("ContentInfo"))?;
        let [content_type, content] = fields.as_slice() else {
            return Err(length_error("ContentInfo"));
        };
        let content_type =
            ObjectIdentifier::from_der(content_type.tlv).map_err(malformed("ContentInfo"))?;
        let family =
            OidFamily::of_signed_data(&content_type).ok_or(Error::NotSignedData(content_type))?;
        if content.tag != ctx(0) {
            return Err(tag_error("ContentInfo.content", content.tag, ctx(0)));
        }
        let mut inner = content.value;
        let sd = der_walk::next(&mut inner).map_err(malformed("SignedData"))?;
        if !inner.is_empty() {
            return Err(length_error("ContentInfo.content"));
        }
        if sd.tag != Tag::Sequence {
            return Err(tag_error("SignedData", sd.tag, Tag::Sequence));
        }
        let mut parsed = Self::signed_data(sd, family, limits)?;
        parsed.der = outer.tlv;
        parsed.trailing_zeros = trailing_zeros;
        Ok(parsed)
    }

    fn signed_data(sd: Tlv<'a>, family: OidFamily, limits: &Limits) -> Result<Self> {
        let fields = der_walk::elements(sd.value, 6).map_err(fixed_fields("SignedData"))?;
        let mut it = fields.into_iter().peekable();
        let version = it.next().ok_or_else(|| length_error("SignedData"))?;
        let version = u8::from_der(version.tlv).map_err(malformed("SignedData.version"))?;

        let digests = it.next().ok_or_else(|| length_error("SignedData"))?;
        if digests.tag != Tag::Set {
            return Err(tag_error(
                "SignedData.digestAlgorithms",
                digests.tag,
                Tag::Set,
            ));
        }
        let digest_algorithms = der_walk::elements(digests.value, limits.max_attributes)
            .map_err(count("digest algorithms", limits.max_attributes))?
            .iter()
            .map(|t| AlgorithmIdentifierOwned::from_der(t.tlv))
            .collect::<der::Result<Vec<_>>>()
            .map_err(malformed("SignedData.digestAlgorithms"))?;

        let eci = it.next().ok_or_else(|| length_error("SignedData"))?;
        if eci.tag != Tag::Sequence {
            return Err(tag_error("EncapsulatedContentInfo", eci.tag, Tag::Sequence));
        }
        let eci_fields =
            der_walk::elements(eci.value, 2).map_err(fixed_fields("EncapsulatedContentInfo"))?;
        let econtent_type = eci_fields
            .first()
            .ok_or_else(|| length_error("EncapsulatedContentInfo"))?;
        let econtent_type = ObjectIdentifier::from_der(econtent_type.tlv)
            .map_err(malformed("EncapsulatedContentInfo.eContentType"))?;
        let econtent = match eci_fields.get(1) {
            None => None,
            Some(t) if t.tag == ctx(0) => {
                let mut v = t.value;
                let c = der_walk::next(&mut v).map_err(malformed("eContent"))?;
                if !v.is_empty() {
                    return Err(length_error("eContent"));
                }
                if c.tag == Tag::OctetString {
                    Some(EContent::Octets(c.value))
                } else {
                    Some(EContent::Other(c.tlv))
                }
            }
            Some(t) => return Err(tag_error("eContent", t.tag, ctx(0))),
        };

        let mut certificates = Vec::new();
        let mut crls_der = None;
        if it.peek().is_some_and(|t| t.tag == ctx(0)) {
            if let Some(certs) = it.next() {
                for t in der_walk::elements(certs.value, limits.max_certificates)
                    .map_err(count("certificates", limits.max_certificates))?
                {
                    // Only the plain Certificate choice (a SEQUENCE) is used; attribute
                    // certificates and other formats are skipped.
                    if t.tag == Tag::Sequence {
                        certificates.push(ParsedCertificate {
                            der: t.tlv,
                            certificate: Certificate::from_der(t.tlv),
                        });
                    }
                }
            }
        }
        if it.peek().is_some_and(|t| t.tag == ctx(1)) {
            crls_der = it.next().map(|t| t.tlv);
        }
        let signer_infos = it.next().ok_or_else(|| length_error("SignedData"))?;
        if signer_infos.tag != Tag::Set {
            return Err(tag_error(
                "SignedData.signerInfos",
                signer_infos.tag,
                Tag::Set,
            ));
        }
        if it.next().is_some() {
            return Err(length_error("SignedData"));
        }
        let mut signers = Vec::new();
        for t in der_walk::elements(signer_infos.value, limits.max_signers)
            .map_err(count("signer infos", limits.max_signers))?
        {
            signers.push(Self::signer_info(t, limits)?);
        }
        if signers.is_empty() {
            return Err(Error::NoSigners);
        }
        Ok(ParsedSignedData {
            der: &[],
            family,
            version,
            digest_algorithms,
            econtent_type,
            econtent,
            encap_content_info_der: eci.tlv,
            certificates,
            crls_der,
            signers,
            trailing_zeros: 0,
        })
    }

    fn signer_info(t: Tlv<'a>, limits: &Limits) -> Result<ParsedSignerInfo<'a>> {
        if t.tag != Tag::Sequence {
            return Err(tag_error("SignerInfo", t.tag, Tag::Sequence));
        }
        let fields = der_walk::elements(t.value, 7).map_err(fixed_fields("SignerInfo"))?;
        let mut signed_attrs_der = None;
        if let Some(attrs) = fields.iter().find(|f| f.tag == ctx(0)) {
            der_walk::elements(attrs.value, limits.max_attributes)
                .map_err(count("signed attributes", limits.max_attributes))?;
            // [0] IMPLICIT SET OF: same length and value, tag 0x31 (RFC 5652 §5.4).
            let mut der = attrs.tlv.to_vec();
            if let Some(first) = der.first_mut() {
                *first = 0x31;
            }
            signed_attrs_der = Some(der);
        }
        if let Some(attrs) = fields.iter().find(|f| f.tag == ctx(1)) {
            der_walk::elements(attrs.value, limits.max_attributes)
                .map_err(count("unsigned attributes", limits.max_attributes))?;
        }
        let info = SignerInfo::from_der(t.tlv).map_err(malformed("SignerInfo"))?;
        Ok(ParsedSignerInfo {
            der: t.tlv,
            info,
            signed_attrs_der,
        })
    }

    /// The decoded certificates (those that decoded).
    pub fn decoded_certificates(&self) -> impl Iterator<Item = &Certificate> {
        self.certificates
            .iter()
            .filter_map(|c| c.certificate.as_ref().ok())
    }
}

fn tag_error(what: &'static str, actual: Tag, expected: Tag) -> Error {
    Error::Malformed {
        what,
        source: der::ErrorKind::TagUnexpected {
            expected: Some(expected),
            actual,
        }
        .into(),
    }
}

fn length_error(what: &'static str) -> Error {
    Error::Malformed {
        what,
        source: der::ErrorKind::Length { tag: Tag::Sequence }.into(),
    }
}

/// The length of the DER element at the start of `bytes` (a PDF `/Contents` string is padded
/// with zeros after it).
///
/// # Errors
/// [`Error::Malformed`] when no DER header can be read.
pub fn der_len(bytes: &[u8]) -> Result<usize> {
    der_walk::element_len(bytes).map_err(malformed("DER element"))
}
