//! `SESeal`, any version: decoding with version detection and the conformance check, and
//! read access to what every version has.

use core::ops::Range;

use der::asn1::ObjectIdentifier;
use der::{DateTime, Decode, Tagged};
use gmseal_sm2::Strictness;

use crate::cert_list::{CertDigestObj, CertEntry, SesCertList};
use crate::deviation::{Conformance, Deviation};
use crate::error::{Error, Result, asn1};
use crate::ext::ExtData;
use crate::header::{HEADER_ID, SesHeader};
use crate::picture::Picture;
use crate::string::StringKind;
use crate::time::{SesTime, TimeKind};
use crate::tlv::{check_size, children, range_in, sequence};
use crate::version::SesVersion;
use crate::{v1, v4};

/// The decoded structure of a seal, by layout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SealStructure {
    /// GM/T 0031-2014.
    V1(v1::SesSeal),
    /// GB/T 38540-2020 and GM/T 0031-2025.
    V4(v4::SesSeal),
}

/// The holder certificate list, either form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HolderCertificates<'a> {
    /// Certificates (v1 `certList`; v4 `certListType = 1`). Entries that are not certificates
    /// (lenient v1) are left out.
    Certificates(Vec<&'a [u8]>),
    /// Certificate digests (v4 `certListType = 2`).
    Digests(&'a [CertDigestObj]),
}

/// An electronic seal (`SESeal`) of any version, with the exact bytes its maker signed.
///
/// ```
/// # let der = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../test-vectors/ses/ofdrw-v4-seal.esl")).unwrap();
/// use gmseal_ses::{Seal, SesVersion};
/// let seal = Seal::from_der(&der)?;
/// assert_eq!(seal.version(), SesVersion::V4);
/// assert_eq!(seal.name(), "OFD R&W 测试用印章");
/// let picture = seal.picture();
/// assert_eq!((picture.declared_type.as_str(), picture.width_mm), ("PNG", 40));
/// # Ok::<(), gmseal_ses::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seal {
    der: Vec<u8>,
    version: SesVersion,
    structure: SealStructure,
    maker_tbs: MakerTbs,
    deviations: Vec<Deviation>,
}

/// Where the maker-signed bytes are.
#[derive(Clone, Debug, PartialEq, Eq)]
enum MakerTbs {
    /// v4: a slice of the input (`eSealInfo`).
    Range(Range<usize>),
    /// v1: `SEQUENCE { esealInfo, cert, signatureAlgorithm }` built from the received elements.
    Built(Vec<u8>),
}

impl Seal {
    /// Decode a seal in strict mode: any [`Deviation`] is an error.
    ///
    /// # Errors
    /// [`Error::Asn1`] for malformed DER, [`Error::UnknownLayout`],
    /// [`Error::UnsupportedVersion`], [`Error::Deviation`].
    pub fn from_der(bytes: &[u8]) -> Result<Self> {
        Self::from_der_with(bytes, Strictness::Strict)
    }

    /// Decode a seal; in lenient mode the deviations are accepted and listed in
    /// [`deviations`](Self::deviations).
    ///
    /// # Errors
    /// As [`from_der`](Self::from_der), without the deviations in lenient mode.
    pub fn from_der_with(bytes: &[u8], strictness: Strictness) -> Result<Self> {
        check_size("SESeal", bytes)?;
        let kids = children(bytes, "SESeal")?;
        let mut conf = Conformance::new(strictness);
        let (version, structure, maker_tbs) = match kids.as_slice() {
            [info, sign_info] => {
                let seal = v1::SesSeal::from_der(bytes).map_err(asn1("SESeal"))?;
                let si = children(sign_info, "SES_SignInfo")?;
                let (cert, alg) = match si.as_slice() {
                    [cert, alg, _] => (*cert, *alg),
                    _ => {
                        return Err(Error::UnknownLayout {
                            structure: "SES_SignInfo",
                            elements: si.len(),
                        });
                    }
                };
                check_v1(&seal, &mut conf)?;
                let tbs = sequence(&[info, cert, alg])?;
                (
                    SesVersion::V1,
                    SealStructure::V1(seal),
                    MakerTbs::Built(tbs),
                )
            }
            [info, _, _, _] | [info, _, _, _, _] => {
                let seal = v4::SesSeal::from_der(bytes).map_err(asn1("SESeal"))?;
                let version = check_v4(&seal, &mut conf)?;
                (
                    version,
                    SealStructure::V4(seal),
                    MakerTbs::Range(range_in(bytes, info)),
                )
            }
            other => {
                return Err(Error::UnknownLayout {
                    structure: "SESeal",
                    elements: other.len(),
                });
            }
        };
        Ok(Seal {
            der: bytes.to_vec(),
            version,
            structure,
            maker_tbs,
            deviations: conf.found,
        })
    }

    /// The DER as received.
    pub fn as_der(&self) -> &[u8] {
        &self.der
    }

    /// The version.
    pub fn version(&self) -> SesVersion {
        self.version
    }

    /// The decoded structure.
    pub fn structure(&self) -> &SealStructure {
        &self.structure
    }

    /// Deviations accepted in lenient mode (empty in strict mode).
    pub fn deviations(&self) -> &[Deviation] {
        &self.deviations
    }

    /// The exact bytes the maker signed: the received `eSealInfo` (v4/v5), or
    /// `SEQUENCE { esealInfo, cert, signatureAlgorithm }` of the received elements (v1).
    pub fn maker_signed_bytes(&self) -> &[u8] {
        match &self.maker_tbs {
            MakerTbs::Range(r) => self.der.get(r.clone()).unwrap_or_default(),
            MakerTbs::Built(v) => v,
        }
    }

    /// `SES_Header`.
    pub fn header(&self) -> &SesHeader {
        match &self.structure {
            SealStructure::V1(s) => &s.eseal_info.header,
            SealStructure::V4(s) => &s.e_seal_info.header,
        }
    }

    /// `esID`, the seal's code.
    pub fn es_id(&self) -> &str {
        match &self.structure {
            SealStructure::V1(s) => s.eseal_info.es_id.as_str(),
            SealStructure::V4(s) => s.e_seal_info.es_id.as_str(),
        }
    }

    /// The seal's name.
    pub fn name(&self) -> String {
        match &self.structure {
            SealStructure::V1(s) => s.eseal_info.property.name.to_text(),
            SealStructure::V4(s) => s.e_seal_info.property.name.to_text(),
        }
    }

    /// The seal's `type`.
    pub fn seal_type(&self) -> i64 {
        match &self.structure {
            SealStructure::V1(s) => s.eseal_info.property.r#type,
            SealStructure::V4(s) => s.e_seal_info.property.r#type,
        }
    }

    fn dates(&self) -> [&SesTime; 3] {
        match &self.structure {
            SealStructure::V1(s) => {
                let p = &s.eseal_info.property;
                [&p.create_date, &p.valid_start, &p.valid_end]
            }
            SealStructure::V4(s) => {
                let p = &s.e_seal_info.property;
                [&p.create_date, &p.valid_start, &p.valid_end]
            }
        }
    }

    /// `createDate`.
    pub fn create_date(&self) -> DateTime {
        self.dates()[0].to_date_time()
    }

    /// `validStart`.
    pub fn valid_start(&self) -> DateTime {
        self.dates()[1].to_date_time()
    }

    /// `validEnd`.
    pub fn valid_end(&self) -> DateTime {
        self.dates()[2].to_date_time()
    }

    /// The holder certificate list.
    pub fn holder_certificates(&self) -> HolderCertificates<'_> {
        match &self.structure {
            SealStructure::V1(s) => HolderCertificates::Certificates(
                s.eseal_info
                    .property
                    .cert_list
                    .iter()
                    .filter_map(CertEntry::certificate)
                    .collect(),
            ),
            SealStructure::V4(s) => match &s.e_seal_info.property.cert_list {
                SesCertList::Certs(v) => {
                    HolderCertificates::Certificates(v.iter().map(|o| o.as_bytes()).collect())
                }
                SesCertList::CertDigestList(v) => HolderCertificates::Digests(v),
            },
        }
    }

    /// The picture, with its declared and sniffed format.
    pub fn picture(&self) -> Picture<'_> {
        match &self.structure {
            SealStructure::V1(s) => Picture::new(&s.eseal_info.picture),
            SealStructure::V4(s) => Picture::new(&s.e_seal_info.picture),
        }
    }

    /// `extDatas` of the seal information.
    pub fn ext_datas(&self) -> &[ExtData] {
        let e = match &self.structure {
            SealStructure::V1(s) => &s.eseal_info.ext_datas,
            SealStructure::V4(s) => &s.e_seal_info.ext_datas,
        };
        e.as_deref().unwrap_or_default()
    }

    /// The maker's certificate (DER).
    pub fn maker_certificate(&self) -> &[u8] {
        match &self.structure {
            SealStructure::V1(s) => s.sign_info.cert.as_bytes(),
            SealStructure::V4(s) => s.cert.as_bytes(),
        }
    }

    /// The maker's signature algorithm.
    pub fn maker_signature_algorithm(&self) -> &ObjectIdentifier {
        match &self.structure {
            SealStructure::V1(s) => &s.sign_info.signature_algorithm,
            SealStructure::V4(s) => &s.sign_alg_id,
        }
    }

    /// The maker's signature value (the BIT STRING's bytes).
    pub fn maker_signature(&self) -> &[u8] {
        match &self.structure {
            SealStructure::V1(s) => s.sign_info.sign_data.raw_bytes(),
            SealStructure::V4(s) => s.signed_value.raw_bytes(),
        }
    }

    /// The v5 `timeStamp` (a timestamp token over the maker's signature), as bytes.
    pub fn time_stamp(&self) -> Option<&[u8]> {
        match &self.structure {
            SealStructure::V1(_) => None,
            SealStructure::V4(s) => s.time_stamp.as_ref().map(|b| b.raw_bytes()),
        }
    }
}

fn check_header(h: &SesHeader, conf: &mut Conformance) -> Result<()> {
    if h.id.as_str() != HEADER_ID {
        conf.deviate(Deviation::HeaderId {
            found: h.id.as_str().to_owned(),
        })?;
    }
    Ok(())
}

fn check_v1(seal: &v1::SesSeal, conf: &mut Conformance) -> Result<()> {
    let info = &seal.eseal_info;
    check_header(&info.header, conf)?;
    if info.header.version != 1 {
        conf.deviate(Deviation::HeaderVersion {
            layout: SesVersion::V1,
            found: info.header.version,
        })?;
    }
    let p = &info.property;
    check_property_types(
        conf,
        p.name.kind(),
        info.picture.r#type.kind(),
        [&p.create_date, &p.valid_start, &p.valid_end],
        TimeKind::UtcTime,
    )?;
    for (index, entry) in p.cert_list.iter().enumerate() {
        if let CertEntry::Other(any) = entry {
            conf.deviate(Deviation::CertListEntry {
                index,
                tag: any.tag(),
            })?;
        }
    }
    Ok(())
}

/// The string and time types of the property and picture fields, the same in both versions but
/// for the time type (UTCTime in v1, GeneralizedTime in v4).
fn check_property_types(
    conf: &mut Conformance,
    name: StringKind,
    picture_type: StringKind,
    [create_date, valid_start, valid_end]: [&SesTime; 3],
    times: TimeKind,
) -> Result<()> {
    conf.string("SES_ESPropertyInfo.name", StringKind::Utf8String, name)?;
    conf.string(
        "SES_ESPictrueInfo.type",
        StringKind::Ia5String,
        picture_type,
    )?;
    conf.time("createDate", times, create_date)?;
    conf.time("validStart", times, valid_start)?;
    conf.time("validEnd", times, valid_end)
}

fn check_v4(seal: &v4::SesSeal, conf: &mut Conformance) -> Result<SesVersion> {
    let info = &seal.e_seal_info;
    check_header(&info.header, conf)?;
    let version = match info.header.version {
        4 => SesVersion::V4,
        5 => SesVersion::V5,
        found @ 1..=3 => {
            conf.deviate(Deviation::HeaderVersion {
                layout: SesVersion::V4,
                found,
            })?;
            SesVersion::V4
        }
        version => {
            return Err(Error::UnsupportedVersion {
                field: "SES_Header.version",
                version,
            });
        }
    };
    if seal.time_stamp.is_some() && version == SesVersion::V4 {
        conf.deviate(Deviation::SealTimestampBeforeV5)?;
    }
    let p = &info.property;
    check_property_types(
        conf,
        p.name.kind(),
        info.picture.r#type.kind(),
        [&p.create_date, &p.valid_start, &p.valid_end],
        TimeKind::GeneralizedTime,
    )?;
    let found = p.cert_list.kind();
    let consistent = if p.cert_list.is_empty() {
        matches!(p.cert_list_type, 1 | 2)
    } else {
        p.cert_list_type == found.type_value()
    };
    if !consistent {
        conf.deviate(Deviation::CertListType {
            declared: p.cert_list_type,
            found,
        })?;
    }
    Ok(version)
}
