//! `SES_Signature`, any version: decoding with version detection, the conformance check, and
//! read access, keeping the exact bytes the signer signed.

use core::ops::Range;

use der::asn1::ObjectIdentifier;
use der::{DateTime, Decode};
use gmseal_sm2::Strictness;

use crate::deviation::{Conformance, Deviation};
use crate::error::{Error, Result, asn1};
use crate::ext::ExtData;
use crate::seal::Seal;
use crate::time::{TimeInfoForm, TimeKind, parse_time_info};
use crate::tlv::{check_size, children, range_in};
use crate::v1::BitOrOctetString;
use crate::version::SesVersion;
use crate::{v1, v4};

/// The decoded structure of a seal signature, by layout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignatureStructure {
    /// GM/T 0031-2014.
    V1(v1::SesSignature),
    /// GB/T 38540-2020 and GM/T 0031-2025.
    V4(v4::SesSignature),
}

/// A seal signature (`SES_Signature`) of any version, with the exact bytes the signer signed
/// and the seal it carries.
///
/// ```
/// # let der = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../test-vectors/ses/ofdrw-v4-SignedValue.dat")).unwrap();
/// use gmseal_ses::{SealSignature, SesVersion};
/// let sig = SealSignature::from_der(&der)?;
/// assert_eq!(sig.version(), SesVersion::V4);
/// assert_eq!(sig.property_info(), "/Doc_0/Signs/Sign_0/Signature.xml");
/// assert_eq!(sig.data_hash().len(), 32);
/// assert_eq!(sig.seal().es_id(), "51f044b76510434e9bc67a1185c2fba5");
/// # Ok::<(), gmseal_ses::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SealSignature {
    der: Vec<u8>,
    version: SesVersion,
    structure: SignatureStructure,
    tbs: Range<usize>,
    seal: Seal,
    signing_time: Option<(DateTime, TimeInfoForm)>,
    deviations: Vec<Deviation>,
}

impl SealSignature {
    /// Decode a seal signature in strict mode: any [`Deviation`] is an error.
    ///
    /// # Errors
    /// [`Error::Asn1`] for malformed DER, [`Error::UnknownLayout`],
    /// [`Error::UnsupportedVersion`], [`Error::Deviation`].
    pub fn from_der(bytes: &[u8]) -> Result<Self> {
        Self::from_der_with(bytes, Strictness::Strict)
    }

    /// Decode a seal signature; in lenient mode the deviations are accepted and listed in
    /// [`deviations`](Self::deviations) (those of the seal included).
    ///
    /// # Errors
    /// As [`from_der`](Self::from_der), without the deviations in lenient mode.
    pub fn from_der_with(bytes: &[u8], strictness: Strictness) -> Result<Self> {
        check_size("SES_Signature", bytes)?;
        let kids = children(bytes, "SES_Signature")?;
        let tbs_bytes = *kids.first().ok_or(Error::UnknownLayout {
            structure: "SES_Signature",
            elements: 0,
        })?;
        let tbs_kids = children(tbs_bytes, "TBS_Sign")?;
        let seal_bytes = *tbs_kids.get(1).ok_or(Error::UnknownLayout {
            structure: "TBS_Sign",
            elements: tbs_kids.len(),
        })?;
        let seal = Seal::from_der_with(seal_bytes, strictness)?;
        let mut conf = Conformance::new(strictness);
        let version = seal.version();
        let (structure, signing_time) = match (kids.len(), seal.version()) {
            (2, SesVersion::V1) => {
                let sig = v1::SesSignature::from_der(bytes).map_err(asn1("SES_Signature"))?;
                let tbs = &sig.to_sign;
                if tbs.version != 1 {
                    conf.deviate(Deviation::TbsVersion {
                        layout: version,
                        found: tbs.version,
                    })?;
                }
                for (field, v) in [("timeInfo", &tbs.time_info), ("dataHash", &tbs.data_hash)] {
                    if matches!(v, BitOrOctetString::OctetString(_)) {
                        conf.deviate(Deviation::OctetStringForBitString { field })?;
                    }
                }
                let time = tbs.time_info.as_bytes().and_then(parse_time_info);
                if let Some((_, TimeInfoForm::TextLocal)) = time {
                    conf.deviate(Deviation::TimeInfoWithoutZone)?;
                }
                (SignatureStructure::V1(sig), time)
            }
            (4 | 5, SesVersion::V4 | SesVersion::V5) => {
                let sig = v4::SesSignature::from_der(bytes).map_err(asn1("SES_Signature"))?;
                let tbs = &sig.to_sign;
                let ok = match version {
                    SesVersion::V5 => matches!(tbs.version, 4 | 5),
                    _ => tbs.version == 4,
                };
                if !ok {
                    conf.deviate(Deviation::TbsVersion {
                        layout: version,
                        found: tbs.version,
                    })?;
                }
                conf.time(
                    "TBS_Sign.timeInfo",
                    TimeKind::GeneralizedTime,
                    &tbs.time_info,
                )?;
                let time = Some((tbs.time_info.to_date_time(), TimeInfoForm::Der));
                (SignatureStructure::V4(sig), time)
            }
            (n, _) => {
                return Err(Error::UnknownLayout {
                    structure: "SES_Signature",
                    elements: n,
                });
            }
        };
        let mut deviations = seal.deviations().to_vec();
        for d in conf.found {
            if !deviations.contains(&d) {
                deviations.push(d);
            }
        }
        Ok(SealSignature {
            tbs: range_in(bytes, tbs_bytes),
            der: bytes.to_vec(),
            version,
            structure,
            seal,
            signing_time,
            deviations,
        })
    }

    /// The DER as received.
    pub fn as_der(&self) -> &[u8] {
        &self.der
    }

    /// The version (that of the seal it carries).
    pub fn version(&self) -> SesVersion {
        self.version
    }

    /// The decoded structure.
    pub fn structure(&self) -> &SignatureStructure {
        &self.structure
    }

    /// The seal (`TBS_Sign.eseal`).
    pub fn seal(&self) -> &Seal {
        &self.seal
    }

    /// Deviations accepted in lenient mode, the seal's included (empty in strict mode).
    pub fn deviations(&self) -> &[Deviation] {
        &self.deviations
    }

    /// The exact bytes the signer signed: `TBS_Sign` as received.
    pub fn tbs_der(&self) -> &[u8] {
        self.der.get(self.tbs.clone()).unwrap_or_default()
    }

    /// The signing time `TBS_Sign.timeInfo` states, when it can be read (v1 `timeInfo` is free
    /// text), and how it was read.
    pub fn signing_time(&self) -> Option<(DateTime, TimeInfoForm)> {
        self.signing_time
    }

    /// `TBS_Sign.dataHash` (the BIT STRING's or OCTET STRING's bytes).
    pub fn data_hash(&self) -> &[u8] {
        match &self.structure {
            SignatureStructure::V1(s) => match &s.to_sign.data_hash {
                BitOrOctetString::BitString(b) => b.raw_bytes(),
                BitOrOctetString::OctetString(o) => o.as_bytes(),
            },
            SignatureStructure::V4(s) => s.to_sign.data_hash.raw_bytes(),
        }
    }

    /// `TBS_Sign.propertyInfo`.
    pub fn property_info(&self) -> &str {
        match &self.structure {
            SignatureStructure::V1(s) => s.to_sign.property_info.as_str(),
            SignatureStructure::V4(s) => s.to_sign.property_info.as_str(),
        }
    }

    /// The signer's certificate (DER).
    pub fn signer_certificate(&self) -> &[u8] {
        match &self.structure {
            SignatureStructure::V1(s) => s.to_sign.cert.as_bytes(),
            SignatureStructure::V4(s) => s.cert.as_bytes(),
        }
    }

    /// The signer's signature algorithm.
    pub fn signature_algorithm(&self) -> &ObjectIdentifier {
        match &self.structure {
            SignatureStructure::V1(s) => &s.to_sign.signature_algorithm,
            SignatureStructure::V4(s) => &s.signature_alg_id,
        }
    }

    /// The signer's signature value (the BIT STRING's bytes).
    pub fn signature_value(&self) -> &[u8] {
        match &self.structure {
            SignatureStructure::V1(s) => s.signature.raw_bytes(),
            SignatureStructure::V4(s) => s.signature.raw_bytes(),
        }
    }

    /// `SES_Signature.timeStamp` (v4/v5): the timestamp token over the signature value, as bytes.
    pub fn time_stamp(&self) -> Option<&[u8]> {
        match &self.structure {
            SignatureStructure::V1(_) => None,
            SignatureStructure::V4(s) => s.time_stamp.as_ref().map(|b| b.raw_bytes()),
        }
    }

    /// `TBS_Sign.extDatas` (v4/v5).
    pub fn ext_datas(&self) -> &[ExtData] {
        match &self.structure {
            SignatureStructure::V1(_) => &[],
            SignatureStructure::V4(s) => s.to_sign.ext_datas.as_deref().unwrap_or_default(),
        }
    }
}
