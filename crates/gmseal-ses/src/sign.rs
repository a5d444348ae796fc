//! Signing with a seal: [`SignatureBuilder`] makes a `SES_Signature` over a data hash with the
//! seal, the signer's certificate and any [`Sm2Signer`].

use std::io::Read;

use der::asn1::{BitString, GeneralizedTime, Ia5String, OctetString};
use der::{DateTime, Decode};
use gmseal_sm2::encoding::{SignatureFormat, encode};
use gmseal_sm2::oid::SM2_WITH_SM3;
use gmseal_sm2::{DistId, Sm2Signer, Sm2SignerExt, Strictness};

use crate::error::{BoxError, CertRole, Error, Result, asn1};
use crate::ext::ExtData;
use crate::make::explicit0;
use crate::seal::Seal;
use crate::signature::SealSignature;
use crate::time::{time_info_text, time_info_utc_text};
use crate::tlv::{encode as encode_der, sequence};
use crate::version::SesVersion;

/// A source of timestamp tokens (an RFC 3161 / GB/T 20520 TSA client, e.g. from
/// `gmseal-cms`): given the signature value, return the DER token over it.
///
/// Implemented for closures `Fn(&[u8]) -> Result<Vec<u8>, BoxError>`.
pub trait Timestamper {
    /// A timestamp token over `signature_value`.
    ///
    /// # Errors
    /// Whatever the source reports.
    fn timestamp(&self, signature_value: &[u8]) -> core::result::Result<Vec<u8>, BoxError>;

    /// An upper bound on the size of the tokens it returns, when known (a local TSA knows its
    /// certificate); used by containers that reserve room for the signature ahead of time (a
    /// PDF's `/Contents`). `None` by default.
    fn max_token_len(&self) -> Option<usize> {
        None
    }
}

impl<F> Timestamper for F
where
    F: Fn(&[u8]) -> core::result::Result<Vec<u8>, BoxError>,
{
    fn timestamp(&self, signature_value: &[u8]) -> core::result::Result<Vec<u8>, BoxError> {
        self(signature_value)
    }
}

/// How a v1 `timeInfo` is written (GM/T 0031-2014 leaves the content open).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum V1TimeInfo {
    /// `2026-11-25T08:00:00Z`: UTC, unambiguous. The default.
    #[default]
    TextUtc,
    /// `2026-11-25 16:00:00`: China Standard Time without a zone, as ofdrw writes it (some
    /// readers expect this form; strict verification reports it as a deviation).
    TextLocal,
}

/// Builds a seal signature (`SES_Signature`) of the seal's version.
///
/// ```
/// # mod pki { include!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/common/pki.rs")); }
/// # let seal = pki::sample_seal(gmseal_ses::SesVersion::V4);
/// # let (signer, signer_cert) = pki::holder();
/// use gmseal_ses::SignatureBuilder;
/// use gmseal_ses::verify::{verify, Outcome, SignedContent, Step, VerifyOptions};
///
/// let document = b"the bytes being sealed";
/// let sig = SignatureBuilder::new(&seal, signer_cert)
///     .data(document)
///     .property_info("/Doc_0/Signs/Sign_0/Signature.xml")
///     .time(der::DateTime::new(2026, 6, 1, 8, 0, 0)?)
///     .sign(&signer)?;
/// let report = verify(&sig, SignedContent::Bytes(document), &VerifyOptions::default());
/// assert_eq!(report.outcome(Step::SignerSignature), Some(&Outcome::Passed));
/// assert_eq!(report.outcome(Step::DataHash), Some(&Outcome::Passed));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct SignatureBuilder<'a> {
    seal: &'a Seal,
    signer_certificate: Vec<u8>,
    data_hash: Option<[u8; 32]>,
    time: Option<DateTime>,
    property_info: String,
    signature_format: SignatureFormat,
    ext_datas: Vec<ExtData>,
    dist_id: DistId,
    timestamper: Option<&'a dyn Timestamper>,
    v1_time_info: V1TimeInfo,
}

impl core::fmt::Debug for SignatureBuilder<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SignatureBuilder")
            .field("version", &self.seal.version())
            .field("es_id", &self.seal.es_id())
            .field("time", &self.time)
            .field("property_info", &self.property_info)
            .field("signature_format", &self.signature_format)
            .field("timestamper", &self.timestamper.is_some())
            .finish_non_exhaustive()
    }
}

impl<'a> SignatureBuilder<'a> {
    /// Sign with `seal`, as the holder of `signer_certificate` (DER).
    pub fn new(seal: &'a Seal, signer_certificate: impl Into<Vec<u8>>) -> Self {
        SignatureBuilder {
            seal,
            signer_certificate: signer_certificate.into(),
            data_hash: None,
            time: None,
            property_info: String::new(),
            signature_format: SignatureFormat::Der,
            ext_datas: Vec::new(),
            dist_id: DistId::default(),
            timestamper: None,
            v1_time_info: V1TimeInfo::default(),
        }
    }

    /// The data to sign (hashed here with SM3).
    #[must_use]
    pub fn data(mut self, data: &[u8]) -> Self {
        self.data_hash = Some(gmseal_sm2::digest::sm3(data));
        self
    }

    /// The data to sign, read from a stream (hashed with SM3 in chunks, never held in memory).
    ///
    /// # Errors
    /// [`Error::Sm2`] when reading fails.
    pub fn data_reader<R: Read>(mut self, reader: R) -> Result<Self> {
        self.data_hash = Some(gmseal_sm2::digest::sm3_reader(reader)?);
        Ok(self)
    }

    /// The SM3 digest of the data, computed by the caller (e.g. over PDF byte ranges with
    /// `gmseal_sm2::digest::sm3_ranges`).
    #[must_use]
    pub fn data_hash(mut self, sm3: [u8; 32]) -> Self {
        self.data_hash = Some(sm3);
        self
    }

    /// The signing time (default: now).
    #[must_use]
    pub fn time(mut self, time: DateTime) -> Self {
        self.time = Some(time);
        self
    }

    /// `propertyInfo` (for OFD: the path of this signature's `Signature.xml`).
    #[must_use]
    pub fn property_info(mut self, property_info: impl Into<String>) -> Self {
        self.property_info = property_info.into();
        self
    }

    /// The signature value's encoding: DER (the default, as the standards intend) or raw
    /// `r‖s` (what some deployed systems emit).
    #[must_use]
    pub fn signature_format(mut self, format: SignatureFormat) -> Self {
        self.signature_format = format;
        self
    }

    /// Add an extension to `TBS_Sign.extDatas` (v4/v5).
    #[must_use]
    pub fn extension(mut self, ext: ExtData) -> Self {
        self.ext_datas.push(ext);
        self
    }

    /// The SM2 distinguishing ID (default `1234567812345678`).
    #[must_use]
    pub fn dist_id(mut self, id: DistId) -> Self {
        self.dist_id = id;
        self
    }

    /// Obtain a timestamp token over the signature value (v4/v5 `timeStamp`).
    #[must_use]
    pub fn timestamper(mut self, timestamper: &'a dyn Timestamper) -> Self {
        self.timestamper = Some(timestamper);
        self
    }

    /// How a v1 `timeInfo` is written.
    #[must_use]
    pub fn v1_time_info(mut self, form: V1TimeInfo) -> Self {
        self.v1_time_info = form;
        self
    }

    /// The exact bytes the signer signs: DER `TBS_Sign`, with the seal exactly as received.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the data or certificate is missing or a field is not
    /// encodable.
    pub fn to_be_signed(&self) -> Result<Vec<u8>> {
        let invalid = |field, reason| Error::InvalidInput { field, reason };
        let hash = self
            .data_hash
            .ok_or_else(|| invalid("dataHash", "no data given"))?;
        if self.signer_certificate.is_empty() {
            return Err(invalid("cert", "the signer's certificate is empty"));
        }
        let time = match self.time {
            Some(t) => t,
            None => DateTime::from_system_time(std::time::SystemTime::now())
                .map_err(|_| invalid("timeInfo", "the system clock is out of range"))?,
        };
        let property = encode_der(
            &Ia5String::new(&self.property_info)
                .map_err(|_| invalid("propertyInfo", "not IA5 (ASCII)"))?,
            "propertyInfo",
        )?;
        let data_hash = bits(&hash, "dataHash")?;
        let seal = self.seal.as_der();
        match self.seal.version() {
            SesVersion::V1 => {
                if !self.ext_datas.is_empty() {
                    return Err(Error::NotInVersion {
                        feature: "TBS_Sign extensions",
                        version: SesVersion::V1,
                    });
                }
                let text = match self.v1_time_info {
                    V1TimeInfo::TextUtc => time_info_utc_text(time),
                    V1TimeInfo::TextLocal => time_info_text(time),
                };
                sequence(&[
                    &encode_der(&1i64, "version")?,
                    seal,
                    &bits(text.as_bytes(), "timeInfo")?,
                    &data_hash,
                    &property,
                    &self.signer_cert_octets()?,
                    &encode_der(&SM2_WITH_SM3, "signatureAlgorithm")?,
                ])
            }
            version @ (SesVersion::V4 | SesVersion::V5) => {
                let time = encode_der(&GeneralizedTime::from_date_time(time), "timeInfo")?;
                let ext = if self.ext_datas.is_empty() {
                    Vec::new()
                } else {
                    explicit0(&self.ext_datas)?
                };
                sequence(&[
                    &encode_der(&version.header_version(), "version")?,
                    seal,
                    &time,
                    &data_hash,
                    &property,
                    &ext,
                ])
            }
        }
    }

    /// Put the signature together from [`to_be_signed`](Self::to_be_signed)'s bytes and the
    /// signer's signature value over them (already encoded), with an optional timestamp token.
    ///
    /// # Errors
    /// [`Error::NotInVersion`] for a timestamp in v1; decoding errors of the result.
    pub fn assemble(
        &self,
        tbs: &[u8],
        signature_value: &[u8],
        time_stamp: Option<&[u8]>,
    ) -> Result<SealSignature> {
        let sig = bits(signature_value, "signature")?;
        let der = match self.seal.version() {
            SesVersion::V1 => {
                if time_stamp.is_some() {
                    return Err(Error::NotInVersion {
                        feature: "a signature timestamp",
                        version: SesVersion::V1,
                    });
                }
                sequence(&[tbs, &sig])?
            }
            SesVersion::V4 | SesVersion::V5 => {
                let ts = match time_stamp {
                    Some(token) => {
                        explicit0(&BitString::from_bytes(token).map_err(asn1("timeStamp"))?)?
                    }
                    None => Vec::new(),
                };
                sequence(&[
                    tbs,
                    &self.signer_cert_octets()?,
                    &encode_der(&SM2_WITH_SM3, "signatureAlgID")?,
                    &sig,
                    &ts,
                ])?
            }
        };
        // A seal read leniently keeps its deviations inside the new signature.
        let strictness = if self.seal.deviations().is_empty() {
            Strictness::Strict
        } else {
            Strictness::Lenient
        };
        SealSignature::from_der_with(&der, strictness)
    }

    /// Sign and assemble.
    ///
    /// The signature is checked under the signer's key before it is used.
    ///
    /// # Errors
    /// As [`to_be_signed`](Self::to_be_signed); [`Error::KeyMismatch`] when `signer` is not the
    /// key of the signer's certificate; [`Error::Sm2`] when the signer fails;
    /// [`Error::Timestamp`] when the timestamp source fails.
    pub fn sign(&self, signer: &dyn Sm2Signer) -> Result<SealSignature> {
        signer_key_matches(signer, &self.signer_certificate, CertRole::Signer)?;
        let tbs = self.to_be_signed()?;
        let sig = signer.sign_message_checked(&self.dist_id, &tbs)?;
        let value = encode(&sig, self.signature_format);
        let token = match self.timestamper {
            Some(_) if self.seal.version() == SesVersion::V1 => {
                return Err(Error::NotInVersion {
                    feature: "a signature timestamp",
                    version: SesVersion::V1,
                });
            }
            Some(t) => Some(t.timestamp(&value).map_err(Error::Timestamp)?),
            None => None,
        };
        self.assemble(&tbs, &value, token.as_deref())
    }

    fn signer_cert_octets(&self) -> Result<Vec<u8>> {
        encode_der(
            &OctetString::new(self.signer_certificate.clone()).map_err(asn1("cert"))?,
            "cert",
        )
    }
}

fn bits(bytes: &[u8], field: &'static str) -> Result<Vec<u8>> {
    encode_der(&BitString::from_bytes(bytes).map_err(asn1(field))?, field)
}

/// Is `signer` the key of `certificate`?
pub(crate) fn signer_key_matches(
    signer: &dyn Sm2Signer,
    certificate: &[u8],
    role: CertRole,
) -> Result<()> {
    let cert = x509_cert::Certificate::from_der(certificate)
        .map_err(|source| Error::Certificate { role, source })?;
    let spki =
        der::referenced::OwnedToRef::owned_to_ref(cert.tbs_certificate().subject_public_key_info());
    let key = gmseal_sm2::key::public_key_from_spki(&spki)
        .map_err(|source| Error::CertificateKey { role, source })?
        .key;
    if key != signer.public_key() {
        return Err(Error::KeyMismatch { role });
    }
    Ok(())
}
