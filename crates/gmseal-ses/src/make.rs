//! Making a seal: [`SealBuilder`] collects the seal information, and the seal maker signs it
//! through any [`Sm2Signer`] (software key, SKF device, remote service).

use core::fmt;

use der::asn1::{BitString, OctetString};
use der::{DateTime, Encode, Header, Length, Tag, TagNumber};
use gmseal_sm2::encoding::{SignatureFormat, encode};
use gmseal_sm2::oid::SM2_WITH_SM3;
use gmseal_sm2::{DistId, Sm2Signer, Sm2SignerExt};

use crate::error::{Error, Result, asn1};
use crate::ext::ExtData;
use crate::seal::Seal;
use crate::sign::{Timestamper, signer_key_matches};
use crate::tlv::{encode as encode_der, sequence};
use crate::version::SesVersion;

mod info;

/// A check of the seal code (`esID`), such as a seal platform's numbering rule
/// (`gmseal-register` has the platform's rule; nothing is enforced here unless given).
pub type EsIdRule = dyn Fn(&str) -> core::result::Result<(), String> + Send + Sync;

/// Builds and signs a seal (`SESeal`) as the seal maker. v4 (GB/T 38540-2020) by default.
///
/// ```
/// # mod pki { include!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/common/pki.rs")); }
/// # let (maker, maker_cert) = pki::leaf("Seal Maker");
/// # let (_holder, holder_cert) = pki::leaf("Holder");
/// use gmseal_ses::{SealBuilder, SesVersion};
/// use der::DateTime;
///
/// let png = b"\x89PNG\r\n\x1a\n...".to_vec();
/// let seal = SealBuilder::new("3301000000001", "测试公司合同专用章", maker_cert)
///     .holder_certificate(holder_cert)
///     .validity(DateTime::new(2026, 1, 1, 0, 0, 0)?, DateTime::new(2028, 1, 1, 0, 0, 0)?)
///     .picture("PNG", png, 40, 40)
///     .sign(&maker)?;
/// assert_eq!(seal.version(), SesVersion::V4);
/// assert_eq!(seal.name(), "测试公司合同专用章");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct SealBuilder {
    version: SesVersion,
    vendor_id: String,
    es_id: String,
    seal_type: i64,
    name: String,
    certificates: Vec<Vec<u8>>,
    digests: Vec<(String, Vec<u8>)>,
    create_date: Option<DateTime>,
    validity: Option<(DateTime, DateTime)>,
    picture: Option<(String, Vec<u8>, i64, i64)>,
    ext_datas: Vec<ExtData>,
    maker_certificate: Vec<u8>,
    signature_format: SignatureFormat,
    dist_id: DistId,
    es_id_rule: Option<Box<EsIdRule>>,
}

impl fmt::Debug for SealBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SealBuilder")
            .field("version", &self.version)
            .field("vendor_id", &self.vendor_id)
            .field("es_id", &self.es_id)
            .field("seal_type", &self.seal_type)
            .field("name", &self.name)
            .field("certificates", &self.certificates.len())
            .field("digests", &self.digests.len())
            .field("validity", &self.validity)
            .finish_non_exhaustive()
    }
}

impl SealBuilder {
    /// Start a seal with its code (`esID`), name and the maker's certificate (DER).
    pub fn new(
        es_id: impl Into<String>,
        name: impl Into<String>,
        maker_certificate: impl Into<Vec<u8>>,
    ) -> Self {
        SealBuilder {
            version: SesVersion::V4,
            vendor_id: "gmseal".to_owned(),
            es_id: es_id.into(),
            seal_type: 1,
            name: name.into(),
            certificates: Vec::new(),
            digests: Vec::new(),
            create_date: None,
            validity: None,
            picture: None,
            ext_datas: Vec::new(),
            maker_certificate: maker_certificate.into(),
            signature_format: SignatureFormat::Der,
            dist_id: DistId::default(),
            es_id_rule: None,
        }
    }

    /// The format version (v4 by default; v1 for GM/T 0031-2014 systems, v5 for GM/T 0031-2025).
    #[must_use]
    pub fn version(mut self, version: SesVersion) -> Self {
        self.version = version;
        self
    }

    /// `SES_Header.Vid`, the seal-making system's identifier (default `"gmseal"`).
    #[must_use]
    pub fn vendor_id(mut self, vid: impl Into<String>) -> Self {
        self.vendor_id = vid.into();
        self
    }

    /// The seal `type` (default 1; GM/T 0031-2014: 1 organisation, 2 personal; deployed v4
    /// seals use other values too).
    #[must_use]
    pub fn seal_type(mut self, seal_type: i64) -> Self {
        self.seal_type = seal_type;
        self
    }

    /// Add a holder's certificate (DER) to the certificate list (`certListType = 1`).
    #[must_use]
    pub fn holder_certificate(mut self, der: impl Into<Vec<u8>>) -> Self {
        self.certificates.push(der.into());
        self
    }

    /// Add a holder certificate digest (`certListType = 2`, v4/v5 only): the digest algorithm's
    /// name (e.g. `"SM3"`) and the digest of the certificate's DER.
    #[must_use]
    pub fn holder_certificate_digest(
        mut self,
        algorithm: impl Into<String>,
        digest: impl Into<Vec<u8>>,
    ) -> Self {
        self.digests.push((algorithm.into(), digest.into()));
        self
    }

    /// Add the SM3 digest of a holder's certificate (`certListType = 2`).
    #[must_use]
    pub fn holder_certificate_sm3(self, certificate: &[u8]) -> Self {
        let digest = gmseal_sm2::digest::sm3(certificate).to_vec();
        self.holder_certificate_digest("SM3", digest)
    }

    /// `validStart` and `validEnd`.
    #[must_use]
    pub fn validity(mut self, start: DateTime, end: DateTime) -> Self {
        self.validity = Some((start, end));
        self
    }

    /// `createDate` (default: `validStart`).
    #[must_use]
    pub fn created(mut self, date: DateTime) -> Self {
        self.create_date = Some(date);
        self
    }

    /// The picture: its type (`"PNG"`, `"JPG"`, `"BMP"`, `"GIF"`, `"SVG"`, `"OFD"`), the file,
    /// and its size in millimetres.
    #[must_use]
    pub fn picture(
        mut self,
        picture_type: impl Into<String>,
        data: impl Into<Vec<u8>>,
        width_mm: i64,
        height_mm: i64,
    ) -> Self {
        self.picture = Some((picture_type.into(), data.into(), width_mm, height_mm));
        self
    }

    /// Add a vendor extension to `extDatas`.
    #[must_use]
    pub fn extension(mut self, ext: ExtData) -> Self {
        self.ext_datas.push(ext);
        self
    }

    /// The encoding of the maker's signature value (DER by default, as the standards intend).
    #[must_use]
    pub fn signature_format(mut self, format: SignatureFormat) -> Self {
        self.signature_format = format;
        self
    }

    /// The SM2 distinguishing ID of the maker's signature (default `1234567812345678`).
    #[must_use]
    pub fn dist_id(mut self, id: DistId) -> Self {
        self.dist_id = id;
        self
    }

    /// Check the seal code with `rule` (e.g. the seal platform's numbering rule from
    /// `gmseal-register`) before signing.
    #[must_use]
    pub fn es_id_rule(
        mut self,
        rule: impl Fn(&str) -> core::result::Result<(), String> + Send + Sync + 'static,
    ) -> Self {
        self.es_id_rule = Some(Box::new(rule));
        self
    }

    /// The exact bytes the maker signs: DER `SES_SealInfo` (v4/v5), or
    /// `SEQUENCE { esealInfo, cert, signatureAlgorithm }` (v1). For signing outside this
    /// crate; then [`assemble`](Self::assemble).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for missing or invalid fields, [`Error::NotInVersion`],
    /// [`Error::EsIdRejected`].
    pub fn to_be_signed(&self) -> Result<Vec<u8>> {
        let info = self.seal_info_der()?;
        if self.version == SesVersion::V1 {
            let cert = encode_der(&self.maker_cert_octets()?, "cert")?;
            let alg = encode_der(&SM2_WITH_SM3, "signatureAlgorithm")?;
            sequence(&[&info, &cert, &alg])
        } else {
            Ok(info)
        }
    }

    /// Put the seal together from the maker's signature value (already encoded) over
    /// [`to_be_signed`](Self::to_be_signed), and an optional v5 seal timestamp token.
    ///
    /// # Errors
    /// As [`to_be_signed`](Self::to_be_signed); the result is decoded again in strict mode.
    pub fn assemble(&self, signature_value: &[u8], time_stamp: Option<&[u8]>) -> Result<Seal> {
        let info = self.seal_info_der()?;
        let cert = encode_der(&self.maker_cert_octets()?, "cert")?;
        let alg = encode_der(&SM2_WITH_SM3, "signAlgID")?;
        let sig = encode_der(
            &BitString::from_bytes(signature_value).map_err(asn1("signedValue"))?,
            "signedValue",
        )?;
        let der = match self.version {
            SesVersion::V1 => {
                if time_stamp.is_some() {
                    return Err(Error::NotInVersion {
                        feature: "a seal timestamp",
                        version: self.version,
                    });
                }
                let sign_info = sequence(&[&cert, &alg, &sig])?;
                sequence(&[&info, &sign_info])?
            }
            SesVersion::V4 | SesVersion::V5 => match time_stamp {
                None => sequence(&[&info, &cert, &alg, &sig])?,
                Some(token) => {
                    if self.version == SesVersion::V4 {
                        return Err(Error::NotInVersion {
                            feature: "a seal timestamp",
                            version: self.version,
                        });
                    }
                    let ts = explicit0(&BitString::from_bytes(token).map_err(asn1("timeStamp"))?)?;
                    sequence(&[&info, &cert, &alg, &sig, &ts])?
                }
            },
        };
        Seal::from_der(&der)
    }

    /// Sign as the seal maker and assemble the seal.
    ///
    /// The signature is checked under the maker's key before it is used (devices and remote
    /// services are not trusted blindly).
    ///
    /// # Errors
    /// As [`to_be_signed`](Self::to_be_signed); [`Error::KeyMismatch`] when `maker` is not the
    /// key of the maker's certificate; [`Error::Sm2`] when the signer fails.
    pub fn sign(&self, maker: &dyn Sm2Signer) -> Result<Seal> {
        self.sign_with_timestamp(maker, None)
    }

    /// As [`sign`](Self::sign), adding a v5 seal timestamp from `timestamper` (over the
    /// maker's signature value).
    ///
    /// # Errors
    /// As [`sign`](Self::sign); [`Error::NotInVersion`] for a timestamp before v5,
    /// [`Error::Timestamp`] when the source fails.
    pub fn sign_with_timestamp(
        &self,
        maker: &dyn Sm2Signer,
        timestamper: Option<&dyn Timestamper>,
    ) -> Result<Seal> {
        signer_key_matches(maker, &self.maker_certificate, crate::CertRole::Maker)?;
        let tbs = self.to_be_signed()?;
        let sig = maker.sign_message_checked(&self.dist_id, &tbs)?;
        let value = encode(&sig, self.signature_format);
        let token = match timestamper {
            Some(t) => Some(t.timestamp(&value).map_err(Error::Timestamp)?),
            None => None,
        };
        self.assemble(&value, token.as_deref())
    }

    fn maker_cert_octets(&self) -> Result<OctetString> {
        if self.maker_certificate.is_empty() {
            return Err(Error::InvalidInput {
                field: "cert",
                reason: "the seal maker's certificate is empty",
            });
        }
        OctetString::new(self.maker_certificate.clone()).map_err(asn1("cert"))
    }
}

/// `[0] EXPLICIT value`.
pub(crate) fn explicit0<T: Encode>(value: &T) -> Result<Vec<u8>> {
    let inner = value.to_der().map_err(asn1("[0]"))?;
    let tag = Tag::ContextSpecific {
        constructed: true,
        number: TagNumber(0),
    };
    let len = Length::try_from(inner.len()).map_err(asn1("[0]"))?;
    let mut out = Vec::with_capacity(inner.len() + 6);
    Header::new(tag, len)
        .encode_to_vec(&mut out)
        .map_err(asn1("[0]"))?;
    out.extend_from_slice(&inner);
    Ok(out)
}
