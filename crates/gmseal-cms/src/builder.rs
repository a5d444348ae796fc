//! Making SM2 `SignedData` (GM/T 0010-2012 / GB/T 35275-2017 §8, RFC 5652 §5).
//!
//! The `cms` crate's builder hashes with SHA only and its `builder` feature does not compile
//! against `rsa` 0.10, so this module assembles the `cms` types itself: the message digest is
//! SM3 (computed streaming, over byte ranges if asked), the signature is SM2 through a
//! [`Sm2Signer`] (software key, SKF device, remote service) over
//! `SM3(Z ‖ DER(signedAttrs as SET))`, encoded as DER `SEQUENCE { r, s }`.

use std::io::{Read, Seek};
use std::ops::Range;
use std::time::SystemTime;

use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use der::asn1::{ObjectIdentifier, OctetString, SetOfVec};
use der::{Any, Encode};
use gmseal_sm2::encoding::{SignatureFormat, encode};
use gmseal_sm2::{DistId, Sm2Signer, Sm2SignerExt, Sm2VerifyingKey};
use x509_cert::Certificate;
use x509_cert::attr::Attribute;
use x509_cert::ext::pkix::SubjectKeyIdentifier;

use crate::algorithm::{AlgorithmParams, DigestAlgorithm, Sm2SignatureOid};
use crate::attr;
use crate::error::{Error, Result, malformed};
use crate::parse::OidFamily;
use crate::tsp::{MessageImprint, Timestamper};

/// The SM3 digest of content that is not carried in the message (detached signatures).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ContentDigest(pub [u8; 32]);

impl ContentDigest {
    /// SM3 of bytes in memory.
    pub fn of(data: &[u8]) -> Self {
        ContentDigest(gmseal_sm2::digest::sm3(data))
    }

    /// SM3 over byte ranges of a reader, streaming (the two `/ByteRange` runs of a PDF).
    ///
    /// # Errors
    /// [`Error::Sm2`] with `BadRange` or `Io` when a range cannot be read.
    pub fn of_ranges<R: Read + Seek>(reader: R, ranges: &[Range<u64>]) -> Result<Self> {
        Ok(ContentDigest(gmseal_sm2::digest::sm3_ranges(
            reader, ranges,
        )?))
    }

    /// SM3 of everything a reader yields.
    ///
    /// # Errors
    /// [`Error::Sm2`] with `Io` when reading fails.
    pub fn of_reader<R: Read>(reader: R) -> Result<Self> {
        Ok(ContentDigest(gmseal_sm2::digest::sm3_reader(reader)?))
    }
}

/// How the signer is identified in its `SignerInfo` (RFC 5652 §5.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum SignerIdKind {
    /// `issuerAndSerialNumber`, `SignerInfo` version 1: what PKCS#7 and GM/T 0010 know. The
    /// default.
    #[default]
    IssuerAndSerialNumber,
    /// `subjectKeyIdentifier`, `SignerInfo` version 3 (the certificate must carry the SKI
    /// extension).
    SubjectKeyIdentifier,
}

/// One signer of a [`SignedDataBuilder`]: a key, its certificate and per-signer options.
pub struct CmsSigner<'a> {
    signer: &'a dyn Sm2Signer,
    certificate: Certificate,
    sid: SignerIdKind,
    dist_id: DistId,
    signature_oid: Sm2SignatureOid,
    signature_params: AlgorithmParams,
    signing_time: Option<SystemTime>,
    signed_attributes: bool,
    extra_signed: Vec<Attribute>,
    unsigned: Vec<Attribute>,
    signature_format: SignatureFormat,
    timestamper: Option<&'a dyn Timestamper>,
    include_certificate: bool,
}

impl core::fmt::Debug for CmsSigner<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CmsSigner")
            .field("subject", &self.certificate.tbs_certificate().subject())
            .field("sid", &self.sid)
            .field("signature_oid", &self.signature_oid)
            .field("signed_attributes", &self.signed_attributes)
            .finish_non_exhaustive()
    }
}

impl<'a> CmsSigner<'a> {
    /// A signer with the defaults: `issuerAndSerialNumber`, default SM2 ID, signature OID
    /// `1.2.156.10197.1.501` with absent parameters, signed attributes with `signingTime` =
    /// now, DER signature, certificate included.
    pub fn new(signer: &'a dyn Sm2Signer, certificate: Certificate) -> Self {
        CmsSigner {
            signer,
            certificate,
            sid: SignerIdKind::default(),
            dist_id: DistId::default(),
            signature_oid: Sm2SignatureOid::default(),
            signature_params: AlgorithmParams::default(),
            signing_time: Some(SystemTime::now()),
            signed_attributes: true,
            extra_signed: Vec::new(),
            unsigned: Vec::new(),
            signature_format: SignatureFormat::Der,
            timestamper: None,
            include_certificate: true,
        }
    }

    /// Identify the signer by issuer and serial (default) or by SKI.
    #[must_use]
    pub fn signer_id(mut self, sid: SignerIdKind) -> Self {
        self.sid = sid;
        self
    }

    /// The SM2 distinguishing ID (default `1234567812345678`, GM/T 0009 §10).
    #[must_use]
    pub fn dist_id(mut self, id: DistId) -> Self {
        self.dist_id = id;
        self
    }

    /// The signature algorithm OID and how its parameters are written.
    #[must_use]
    pub fn signature_algorithm(mut self, oid: Sm2SignatureOid, params: AlgorithmParams) -> Self {
        self.signature_oid = oid;
        self.signature_params = params;
        self
    }

    /// The `signingTime` attribute: `Some(t)`, or `None` to leave it out.
    #[must_use]
    pub fn signing_time(mut self, at: Option<SystemTime>) -> Self {
        self.signing_time = at;
        self
    }

    /// Leave out all signed attributes: the signature then covers the content itself
    /// (RFC 5652 §5.4), the shape of OFD "Sign" signatures that carry `SM3(Signature.xml)`
    /// as attached content. Needs attached content.
    #[must_use]
    pub fn without_signed_attributes(mut self) -> Self {
        self.signed_attributes = false;
        self
    }

    /// Add a signed attribute (e.g. ESS `signingCertificateV2` for CAdES).
    #[must_use]
    pub fn signed_attribute(mut self, attribute: Attribute) -> Self {
        self.extra_signed.push(attribute);
        self
    }

    /// Add an unsigned attribute.
    #[must_use]
    pub fn unsigned_attribute(mut self, attribute: Attribute) -> Self {
        self.unsigned.push(attribute);
        self
    }

    /// Encode the signature value as DER (default, what GM/T 0010 requires) or raw `r‖s`
    /// (only to reproduce deployed signers in tests).
    #[must_use]
    pub fn signature_format(mut self, format: SignatureFormat) -> Self {
        self.signature_format = format;
        self
    }

    /// Timestamp the signature value (RFC 3161 Appendix A): the token is added as the
    /// unsigned attribute `id-aa-timeStampToken`.
    #[must_use]
    pub fn timestamper(mut self, tsa: &'a dyn Timestamper) -> Self {
        self.timestamper = Some(tsa);
        self
    }

    /// Whether to put the signer certificate into `certificates` (default yes).
    #[must_use]
    pub fn include_certificate(mut self, include: bool) -> Self {
        self.include_certificate = include;
        self
    }
}

enum Content {
    Attached(Vec<u8>),
    Detached(ContentDigest),
}

/// Builds a DER `ContentInfo(SignedData)` signed with SM2.
///
/// ```
/// # use gmseal_cms::*;
/// # use std::io::Cursor;
/// # let (key, cert) = gmseal_cms::test_support::self_signed("CN=doc").unwrap();
/// // A PDF-style detached signature over two byte ranges of a file.
/// let file = Cursor::new(b"%PDF-1.7 ... <placeholder> ... %%EOF".to_vec());
/// let digest = ContentDigest::of_ranges(file, &[0..9, 25..35])?;
/// let der = SignedDataBuilder::new(OidFamily::Pkcs7)
///     .detached(digest)
///     .signer(CmsSigner::new(&key, cert))
///     .build()?;
///
/// let report = verify_signed_data(&der, Content::Digest(digest), &VerifyOptions::default())?;
/// assert!(report.integrity_ok());
/// # Ok::<(), gmseal_cms::Error>(())
/// ```
pub struct SignedDataBuilder<'a> {
    family: OidFamily,
    econtent_type: Option<ObjectIdentifier>,
    content: Option<Content>,
    signers: Vec<CmsSigner<'a>>,
    certificates: Vec<Certificate>,
    digest_params: AlgorithmParams,
}

impl core::fmt::Debug for SignedDataBuilder<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SignedDataBuilder")
            .field("family", &self.family)
            .field("signers", &self.signers)
            .finish_non_exhaustive()
    }
}

impl<'a> SignedDataBuilder<'a> {
    /// A builder for the given OID family (PKCS#7 for PDF, GM/T 0010 for OFD).
    pub fn new(family: OidFamily) -> Self {
        SignedDataBuilder {
            family,
            econtent_type: None,
            content: None,
            signers: Vec::new(),
            certificates: Vec::new(),
            digest_params: AlgorithmParams::default(),
        }
    }

    /// Carry `content` inside the message.
    #[must_use]
    pub fn attached(mut self, content: impl Into<Vec<u8>>) -> Self {
        self.content = Some(Content::Attached(content.into()));
        self
    }

    /// Sign content that is not carried in the message, given its SM3 digest.
    #[must_use]
    pub fn detached(mut self, digest: ContentDigest) -> Self {
        self.content = Some(Content::Detached(digest));
        self
    }

    /// The `eContentType` (default: the family's `data`).
    #[must_use]
    pub fn econtent_type(mut self, oid: ObjectIdentifier) -> Self {
        self.econtent_type = Some(oid);
        self
    }

    /// How the SM3 `AlgorithmIdentifier` parameters are written (default absent).
    #[must_use]
    pub fn digest_params(mut self, params: AlgorithmParams) -> Self {
        self.digest_params = params;
        self
    }

    /// Add a signer.
    #[must_use]
    pub fn signer(mut self, signer: CmsSigner<'a>) -> Self {
        self.signers.push(signer);
        self
    }

    /// Add a certificate (an intermediate CA) to `certificates`.
    #[must_use]
    pub fn certificate(mut self, cert: Certificate) -> Self {
        self.certificates.push(cert);
        self
    }

    /// Sign and encode.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] without content or signers, or for a detached signature without
    /// signed attributes; [`Error::SignerKeyMismatch`] when a certificate does not hold its
    /// signer's key; [`Error::Certificate`] when SKI identification is asked for and the
    /// certificate has none; [`Error::Sm2`] when a signer fails or returns a signature that
    /// does not verify; timestamp errors from a [`Timestamper`].
    pub fn build(self) -> Result<Vec<u8>> {
        let content = self
            .content
            .as_ref()
            .ok_or(Error::InvalidInput("no content or content digest given"))?;
        if self.signers.is_empty() {
            return Err(Error::InvalidInput("no signer given"));
        }
        let econtent_type = self.econtent_type.unwrap_or(self.family.data());
        let digest = match content {
            Content::Attached(data) => ContentDigest::of(data),
            Content::Detached(d) => *d,
        };
        let digest_alg = self.digest_params.identifier(DigestAlgorithm::Sm3.oid());

        let mut signer_infos = Vec::with_capacity(self.signers.len());
        let mut certs: Vec<Certificate> = Vec::new();
        let mut any_ski = false;
        for s in &self.signers {
            any_ski |= s.sid == SignerIdKind::SubjectKeyIdentifier;
            signer_infos.push(sign_one(s, content, digest, econtent_type, &digest_alg)?);
            if s.include_certificate && !certs.contains(&s.certificate) {
                certs.push(s.certificate.clone());
            }
        }
        for c in self.certificates {
            if !certs.contains(&c) {
                certs.push(c);
            }
        }

        let econtent = match content {
            Content::Attached(data) => Some(
                Any::encode_from(&OctetString::new(data.clone()).map_err(malformed("eContent"))?)
                    .map_err(malformed("eContent"))?,
            ),
            Content::Detached(_) => None,
        };
        let certificates = if certs.is_empty() {
            None
        } else {
            Some(
                CertificateSet::try_from(
                    certs
                        .into_iter()
                        .map(CertificateChoices::Certificate)
                        .collect::<Vec<_>>(),
                )
                .map_err(malformed("certificates"))?,
            )
        };
        let signed_data = SignedData {
            // GM/T 0010 and PKCS#7 v1.5 know version 1 only; RFC 5652 §5.1 asks for 3 when a
            // signer is identified by SKI.
            version: if any_ski {
                CmsVersion::V3
            } else {
                CmsVersion::V1
            },
            digest_algorithms: SetOfVec::try_from(vec![digest_alg])
                .map_err(malformed("digestAlgorithms"))?,
            encap_content_info: EncapsulatedContentInfo {
                econtent_type,
                econtent,
            },
            certificates,
            crls: None,
            signer_infos: SignerInfos::try_from(signer_infos).map_err(malformed("signerInfos"))?,
        };
        let content_info = ContentInfo {
            content_type: self.family.signed_data(),
            content: Any::encode_from(&signed_data).map_err(malformed("SignedData"))?,
        };
        content_info.to_der().map_err(malformed("ContentInfo"))
    }
}

fn sign_one(
    s: &CmsSigner<'_>,
    content: &Content,
    digest: ContentDigest,
    econtent_type: ObjectIdentifier,
    digest_alg: &spki::AlgorithmIdentifierOwned,
) -> Result<SignerInfo> {
    let public = s.signer.public_key();
    let cert_key = gmseal_sm2::key::public_key_from_certificate_der(
        &s.certificate.to_der().map_err(malformed("certificate"))?,
    )
    .map_err(|e| Error::Sm2(e.into()))?;
    if cert_key.key != public {
        return Err(Error::SignerKeyMismatch);
    }
    let tbs = s.certificate.tbs_certificate();
    let sid = match s.sid {
        SignerIdKind::IssuerAndSerialNumber => {
            SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
                issuer: tbs.issuer().clone(),
                serial_number: tbs.serial_number().clone(),
            })
        }
        SignerIdKind::SubjectKeyIdentifier => match tbs.get_extension::<SubjectKeyIdentifier>() {
            Ok(Some((_, ski))) => SignerIdentifier::SubjectKeyIdentifier(ski),
            _ => return Err(Error::Certificate("no subjectKeyIdentifier extension")),
        },
    };

    let (signed_attrs, to_sign) = if s.signed_attributes {
        let mut attrs = vec![
            attr::content_type(econtent_type)?,
            attr::message_digest(&digest.0)?,
        ];
        if let Some(t) = s.signing_time {
            attrs.push(attr::signing_time(t)?);
        }
        attrs.extend(s.extra_signed.iter().cloned());
        let set = attr::attribute_set(attrs)?;
        let der = set.to_der().map_err(malformed("signed attributes"))?;
        (Some(set), der)
    } else {
        match content {
            Content::Attached(data) => (None, data.clone()),
            Content::Detached(_) => {
                return Err(Error::InvalidInput(
                    "a detached signature needs signed attributes",
                ));
            }
        }
    };

    let vk = Sm2VerifyingKey::new(public, s.dist_id.clone());
    let e = vk.digest(&to_sign);
    let sig = s.signer.sign_digest(&e)?;
    vk.verify_digest(&e, &sig)
        .map_err(|_| Error::Sm2(gmseal_sm2::Error::SignerMisbehaved))?;
    let signature_value = encode(&sig, s.signature_format);

    let mut unsigned = s.unsigned.clone();
    if let Some(tsa) = s.timestamper {
        let alg = tsa.digest_algorithm();
        let imprint = MessageImprint::new(alg, &alg.digest(&signature_value))?;
        let token = tsa.timestamp(&imprint)?;
        let token = Any::from_der_bytes(&token)?;
        unsigned.push(Attribute {
            oid: crate::oid::TIME_STAMP_TOKEN,
            values: SetOfVec::try_from(vec![token]).map_err(malformed("timeStampToken"))?,
        });
    }

    Ok(SignerInfo {
        version: match s.sid {
            SignerIdKind::IssuerAndSerialNumber => CmsVersion::V1,
            SignerIdKind::SubjectKeyIdentifier => CmsVersion::V3,
        },
        sid,
        digest_alg: digest_alg.clone(),
        signed_attrs,
        signature_algorithm: s.signature_params.identifier(s.signature_oid.oid()),
        signature: OctetString::new(signature_value).map_err(malformed("signature"))?,
        unsigned_attrs: if unsigned.is_empty() {
            None
        } else {
            Some(attr::attribute_set(unsigned)?)
        },
    })
}

/// Decode one DER element into an [`Any`].
trait AnyFromDer: Sized {
    fn from_der_bytes(bytes: &[u8]) -> Result<Self>;
}

impl AnyFromDer for Any {
    fn from_der_bytes(bytes: &[u8]) -> Result<Self> {
        <Any as der::Decode>::from_der(bytes).map_err(malformed("timeStampToken"))
    }
}
