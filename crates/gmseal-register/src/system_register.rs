//! The system registration package `SystemRegister` (provincial seal-platform scheme, spec 001,
//! §"系统注册" and appendix 1).
//!
//! The provincial platform's administrator makes one package per second-level seal system. It
//! carries the *upper* system's certificate, service address and organisation (`systemInfo`) and
//! the registered sub-system's organisation (`subSystemInfo`), signed with the upper system's
//! key. The second-level system verifies calls from the platform with the certificate it carries.
//!
//! ```text
//! SystemRegister DEFINITIONS IMPLICIT TAGS ::= BEGIN
//! SystemRegister ::= SEQUENCE {
//!     registerInfo  BJCA_RegisterInfo,
//!     signInfo      BJCA_SignInfo }
//! BJCA_RegisterInfo ::= SEQUENCE {
//!     header         BJCA_Header,
//!     systemInfo     BJCA_SystemInfo,
//!     subSystemInfo  BJCA_SubSystemInfo }
//! BJCA_Header ::= SEQUENCE { id IA5String, version INTEGER, vid IA5String }
//! BJCA_SystemInfo ::= SEQUENCE {
//!     systemType      INTEGER,        -- 1 manage, 2 status publishing, 3 application
//!     systemCert      OCTET STRING,
//!     serviceAddress  OCTET STRING,
//!     orgCode         IA5String,
//!     orgName         UTF8String }
//! BJCA_SubSystemInfo ::= SEQUENCE { orgCode IA5String, orgName UTF8String }
//! BJCA_SignInfo ::= SEQUENCE {
//!     signatureAlgorithm  OBJECT IDENTIFIER,
//!     signValue           BIT STRING }
//! END
//! ```
//!
//! What the appendix leaves open, and what this module does (the recommendations R1–R11 of the
//! registration notes; every alternative is selectable and reported):
//!
//! | # | open point | default | alternatives |
//! |---|---|---|---|
//! | R1 | bytes signed | DER of the whole `registerInfo` TLV, as received | [`RegisterSigningInput`]: `SEQUENCE{registerInfo, signatureAlgorithm}` (GM/T 0031 style), content octets only; [`InputPolicy::Probe`] tries all and reports which one verified |
//! | R2 | `signValue` contents | DER `SM2Signature` (GB/T 35276), unused bits 0 | raw 64-byte `r‖s` (emit on request; accepted when lenient, reported) |
//! | R3 | SM2 ID | `1234567812345678` | any [`DistId`](gmseal_sm2::DistId) |
//! | R4 | `signatureAlgorithm` | 1.2.156.10197.1.501 | further OIDs accepted as SM3withSM2 only when listed |
//! | R5 | `systemCert` | DER X.509 | base64 or PEM text accepted when lenient, reported |
//! | R6 | `serviceAddress` | UTF-8 absolute URL, no NUL | — (checked, a warning) |
//! | R7 | `header` | caller-supplied; version 1 by convention (unverified) | — |
//! | R8 | `orgCode` | GB 32100 credit code, check character validated | a warning on read, an error on build unless allowed |
//! | R9 | key | the key of `systemCert`, keyUsage digitalSignature | — |
//! | R10 | file | raw DER | base64 text on request; the reader takes DER and base64 (PEM when lenient) |
//! | R11 | DER | strict DER | BER (indefinite and long-form lengths) when lenient: the signature is checked over `registerInfo` as received, then over its DER re-encoding; both reported |
//!
//! Two quirks of the appendix's text: the ASN.1 lacks the comma after `signatureAlgorithm
//! OBJECT IDENTIFIER` (read as a typo), and `subSystemInfo` is not marked `OPTIONAL` although a
//! package for a system without sub-system is conceivable. The type models it as an `Option`
//! so such packages can be read in lenient mode (reported); strict reading and building require
//! it. `IMPLICIT TAGS` has no effect: no field is tagged.
//!
//! ```
//! # use gmseal_register::system_register::*;
//! # use gmseal_sm2::SoftwareSigner;
//! # let ca = gmseal_register::testing::TestCa::new()?;
//! # let cert_for = |k: &SoftwareSigner| ca.system_certificate(k, "CN=test").unwrap();
//! let key = SoftwareSigner::generate();
//! let info = BjcaRegisterInfo::new(
//!     BjcaHeader::new("BJCARegisterInfo", 1, "BJCA")?,
//!     BjcaSystemInfo::new(SystemType::Manage, cert_for(&key), "https://seal.example.cn/ess", "91350100M000100Y43", "省公共资源交易中心")?,
//!     Some(BjcaSubSystemInfo::new("91110000600037341L", "某某电子印章系统")?),
//! );
//! let package = SystemRegister::sign(info, &key, &SignOptions::default())?;
//! let der = package.to_der()?;
//!
//! let read = ReadSystemRegister::read(&der, &ReadOptions::default())?;
//! let report = read.verify(&VerifyOptions::default())?;
//! assert!(report.is_valid(), "{report}");
//! # Ok::<(), gmseal_register::Error>(())
//! ```

use der::asn1::{BitString, Ia5String, ObjectIdentifier, OctetString};
use der::{Decode, Encode, Sequence};

use crate::error::{Error, Result};

mod ber;
mod read;
mod sign;
mod verify;

pub use read::{Container, ReadOptions, ReadSystemRegister};
pub use sign::{RegisterSigningInput, SignOptions};
pub use verify::{InputPolicy, RegisterReport, SystemCertChain, VerifyOptions};

/// `SystemRegister`: the signed registration package (spec 001, appendix 1).
///
/// ```text
/// SystemRegister ::= SEQUENCE {
///     registerInfo  BJCA_RegisterInfo,
///     signInfo      BJCA_SignInfo }
/// ```
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct SystemRegister {
    /// The registration information (what is signed).
    pub register_info: BjcaRegisterInfo,
    /// The signature.
    pub sign_info: BjcaSignInfo,
}

/// `BJCA_RegisterInfo` (spec 001, appendix 1).
///
/// ```text
/// BJCA_RegisterInfo ::= SEQUENCE {
///     header         BJCA_Header,
///     systemInfo     BJCA_SystemInfo,
///     subSystemInfo  BJCA_SubSystemInfo }
/// ```
///
/// `subSystemInfo` is not `OPTIONAL` in the appendix; see the [module docs](self).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct BjcaRegisterInfo {
    /// Data identifier, version and vendor.
    pub header: BjcaHeader,
    /// The upper (registering) system.
    pub system_info: BjcaSystemInfo,
    /// The registered sub-system.
    #[asn1(optional = "true")]
    pub sub_system_info: Option<BjcaSubSystemInfo>,
}

impl BjcaRegisterInfo {
    /// Put the parts together.
    pub fn new(
        header: BjcaHeader,
        system_info: BjcaSystemInfo,
        sub_system_info: Option<BjcaSubSystemInfo>,
    ) -> Self {
        BjcaRegisterInfo {
            header,
            system_info,
            sub_system_info,
        }
    }
}

/// `BJCA_Header` (spec 001, appendix 1): `id` e.g. `BJCARegisterInfo`, `version` e.g. 1, `vid`
/// (vendor) e.g. `BJCA`.
///
/// ```text
/// BJCA_Header ::= SEQUENCE { id IA5String, version INTEGER, vid IA5String }
/// ```
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct BjcaHeader {
    /// Data identifier.
    pub id: Ia5String,
    /// Data version.
    pub version: i64,
    /// Vendor identifier.
    pub vid: Ia5String,
}

impl BjcaHeader {
    /// A header.
    ///
    /// # Errors
    /// [`Error::InvalidField`] when `id` or `vid` is not IA5 (7-bit ASCII).
    pub fn new(id: &str, version: i64, vid: &str) -> Result<Self> {
        Ok(BjcaHeader {
            id: ia5("registerInfo.header.id", id)?,
            version,
            vid: ia5("registerInfo.header.vid", vid)?,
        })
    }
}

/// `BJCA_SystemInfo` (spec 001, appendix 1).
///
/// ```text
/// BJCA_SystemInfo ::= SEQUENCE {
///     systemType      INTEGER,       -- 1 manage, 2 status publishing, 3 application
///     systemCert      OCTET STRING,  -- the upper system's certificate
///     serviceAddress  OCTET STRING,  -- its service address
///     orgCode         IA5String,     -- its organisation code
///     orgName         UTF8String }   -- its organisation name
/// ```
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct BjcaSystemInfo {
    /// [`SystemType`] as an INTEGER.
    pub system_type: i64,
    /// The system certificate (DER X.509 by default, R5).
    pub system_cert: OctetString,
    /// The service address (UTF-8 URL, R6).
    pub service_address: OctetString,
    /// The organisation code (a GB 32100 credit code, R8).
    pub org_code: Ia5String,
    /// The organisation name (`String` is a UTF8String in `der`).
    pub org_name: String,
}

impl BjcaSystemInfo {
    /// System information with a DER certificate and a UTF-8 service address.
    ///
    /// # Errors
    /// [`Error::InvalidField`] when `org_code` is not IA5, [`Error::Asn1`] for sizes `der`
    /// cannot encode.
    pub fn new(
        system_type: SystemType,
        system_cert_der: Vec<u8>,
        service_address: &str,
        org_code: &str,
        org_name: &str,
    ) -> Result<Self> {
        Ok(BjcaSystemInfo {
            system_type: system_type.code(),
            system_cert: OctetString::new(system_cert_der)
                .map_err(|e| Error::asn1("registerInfo.systemInfo.systemCert", e))?,
            service_address: OctetString::new(service_address.as_bytes().to_vec())
                .map_err(|e| Error::asn1("registerInfo.systemInfo.serviceAddress", e))?,
            org_code: ia5("registerInfo.systemInfo.orgCode", org_code)?,
            org_name: org_name.to_owned(),
        })
    }

    /// The system type, when it is one of the three the appendix defines.
    pub fn system_type(&self) -> Option<SystemType> {
        SystemType::from_code(self.system_type)
    }
}

/// `BJCA_SubSystemInfo` (spec 001, appendix 1).
///
/// ```text
/// BJCA_SubSystemInfo ::= SEQUENCE { orgCode IA5String, orgName UTF8String }
/// ```
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct BjcaSubSystemInfo {
    /// The sub-system's organisation code (a GB 32100 credit code).
    pub org_code: Ia5String,
    /// The sub-system's organisation name (UTF8String).
    pub org_name: String,
}

impl BjcaSubSystemInfo {
    /// Sub-system information.
    ///
    /// # Errors
    /// [`Error::InvalidField`] when `org_code` is not IA5.
    pub fn new(org_code: &str, org_name: &str) -> Result<Self> {
        Ok(BjcaSubSystemInfo {
            org_code: ia5("registerInfo.subSystemInfo.orgCode", org_code)?,
            org_name: org_name.to_owned(),
        })
    }
}

/// `BJCA_SignInfo` (spec 001, appendix 1). Unlike X.509, the algorithm is a bare OBJECT
/// IDENTIFIER, not an `AlgorithmIdentifier`.
///
/// ```text
/// BJCA_SignInfo ::= SEQUENCE {
///     signatureAlgorithm  OBJECT IDENTIFIER,
///     signValue           BIT STRING }
/// ```
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct BjcaSignInfo {
    /// The signature algorithm: SM3withSM2, 1.2.156.10197.1.501 (R4).
    pub signature_algorithm: ObjectIdentifier,
    /// The signature (DER `SM2Signature` by default, R2).
    pub sign_value: BitString,
}

/// `systemType` of `BJCA_SystemInfo`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SystemType {
    /// 1: management system (管理系统).
    Manage,
    /// 2: status publishing system (状态发布系统).
    StatusPublishing,
    /// 3: application system (应用系统).
    Application,
}

impl SystemType {
    /// The INTEGER value.
    pub fn code(self) -> i64 {
        match self {
            SystemType::Manage => 1,
            SystemType::StatusPublishing => 2,
            SystemType::Application => 3,
        }
    }

    /// From the INTEGER value.
    pub fn from_code(code: i64) -> Option<Self> {
        match code {
            1 => Some(SystemType::Manage),
            2 => Some(SystemType::StatusPublishing),
            3 => Some(SystemType::Application),
            _ => None,
        }
    }
}

impl SystemRegister {
    /// DER encoding (R10: the file format).
    ///
    /// # Errors
    /// [`Error::Asn1`] (only for values `der` cannot encode).
    pub fn to_der(&self) -> Result<Vec<u8>> {
        Encode::to_der(self).map_err(|e| Error::asn1("SystemRegister", e))
    }

    /// Base64 of the DER, one line (R10: on request).
    ///
    /// # Errors
    /// As [`to_der`](Self::to_der).
    pub fn to_base64(&self) -> Result<String> {
        Ok(crate::b64::encode(&self.to_der()?))
    }

    /// Decode strict DER (no container detection; see [`ReadSystemRegister::read`]).
    ///
    /// # Errors
    /// [`Error::Asn1`].
    pub fn from_der(bytes: &[u8]) -> Result<Self> {
        <Self as Decode>::from_der(bytes).map_err(|e| Error::asn1("SystemRegister", e))
    }
}

fn ia5(field: &str, s: &str) -> Result<Ia5String> {
    Ia5String::new(s).map_err(|_| Error::invalid(field, "IA5String: 7-bit ASCII only", s))
}
