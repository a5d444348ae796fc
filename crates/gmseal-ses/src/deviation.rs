//! Deviations from the standards that real seal files show, accepted only in lenient mode.

use core::fmt;

use der::Tag;
use der::asn1::ObjectIdentifier;
use gmseal_sm2::Strictness;

use crate::cert_list::CertListKind;
use crate::error::{Error, Result};
use crate::string::StringKind;
use crate::time::{SesTime, TimeKind};
use crate::version::SesVersion;

/// Which of the two signatures of a seal signature something is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignatureRole {
    /// The seal maker's signature over the seal information (`SESeal.signedValue`, v1
    /// `SES_SignInfo.signData`).
    Maker,
    /// The signer's signature over `TBS_Sign` (`SES_Signature.signature`).
    Signer,
}

impl fmt::Display for SignatureRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SignatureRole::Maker => "seal maker's signature",
            SignatureRole::Signer => "signer's signature",
        })
    }
}

/// A departure from GM/T 0031-2014 / GB/T 38540-2020 seen in deployed files.
///
/// Strict mode (the default) refuses each of these with [`Error::Deviation`]; lenient mode
/// accepts it and lists it (in [`Seal::deviations`](crate::Seal::deviations),
/// [`SealSignature::deviations`](crate::SealSignature::deviations) and the verification
/// report).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Deviation {
    /// `SES_Header.ID` is not `"ES"`.
    HeaderId {
        /// The value found.
        found: String,
    },
    /// `SES_Header.version` does not match the layout (GOMAIN writes the v4 layout with
    /// version 3).
    HeaderVersion {
        /// The version the layout is read as.
        layout: SesVersion,
        /// The value found.
        found: i64,
    },
    /// `TBS_Sign.version` is not the version of the layout (GOMAIN: 3 in a v4 signature).
    TbsVersion {
        /// The version the signature is read as.
        layout: SesVersion,
        /// The value found.
        found: i64,
    },
    /// A string of another ASN.1 type than the standard's (a PrintableString seal name).
    StringType {
        /// The field, named as in the standard.
        field: &'static str,
        /// The standard's type.
        expected: StringKind,
        /// The type found.
        found: StringKind,
    },
    /// A date of the other time type (UTCTime in v4, GeneralizedTime in v1).
    TimeType {
        /// The field.
        field: &'static str,
        /// The standard's type.
        expected: TimeKind,
        /// The type found.
        found: TimeKind,
    },
    /// A time whose text is not DER (fractional seconds).
    TimeEncoding {
        /// The field.
        field: &'static str,
    },
    /// An OCTET STRING where v1 has a BIT STRING (`timeInfo`, `dataHash`).
    OctetStringForBitString {
        /// The field.
        field: &'static str,
    },
    /// A v1 `certList` entry that is not an OCTET STRING holding a certificate.
    CertListEntry {
        /// Position in the list.
        index: usize,
        /// The tag found.
        tag: Tag,
    },
    /// `certListType` does not name the alternative the list holds (or is neither 1 nor 2).
    CertListType {
        /// The `certListType` value.
        declared: i64,
        /// What the list holds.
        found: CertListKind,
    },
    /// A `SESeal.timeStamp` (a GM/T 0031-2025 field) in a seal whose header says version 4.
    SealTimestampBeforeV5,
    /// A v1 `timeInfo` text without a time zone; read as China Standard Time (UTC+08:00).
    TimeInfoWithoutZone,
    /// A signature value not in DER `SEQUENCE { r, s }` (raw `r‖s` and the like).
    SignatureEncoding {
        /// Which signature.
        role: SignatureRole,
        /// What `gmseal-sm2` tolerated.
        deviation: gmseal_sm2::Deviation,
    },
    /// An SM2 signature algorithm identifier other than `1.2.156.10197.1.501`
    /// (SM2-1 `1.2.156.10197.1.301.1` or the curve OID `1.2.156.10197.1.301`).
    SignatureAlgorithm {
        /// Which signature.
        role: SignatureRole,
        /// The identifier found.
        oid: ObjectIdentifier,
    },
    /// A deviation the chain verifier's options tolerated in a certificate path or a CRL (an
    /// empty-ID certificate signature with `ChainOptions::allow_empty_id`); decided by those
    /// options, not by this crate's strictness.
    CertificateChain {
        /// Whose path.
        role: crate::error::CertRole,
        /// What, and where in the path.
        deviation: gmseal_cert::chain::ToleratedDeviation,
    },
}

impl fmt::Display for Deviation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Deviation::HeaderId { found } => {
                write!(f, "SES_Header.ID is \"{found}\", not \"ES\"")
            }
            Deviation::HeaderVersion { layout, found } => write!(
                f,
                "SES_Header.version is {found} but the structure has the {layout} layout"
            ),
            Deviation::TbsVersion { layout, found } => write!(
                f,
                "TBS_Sign.version is {found}, expected {} for {layout}",
                layout.header_version()
            ),
            Deviation::StringType {
                field,
                expected,
                found,
            } => write!(f, "{field} is a {found}, the standard says {expected}"),
            Deviation::TimeType {
                field,
                expected,
                found,
            } => write!(f, "{field} is a {found}, the standard says {expected}"),
            Deviation::TimeEncoding { field } => {
                write!(
                    f,
                    "{field} is not a DER time (fractional seconds or the like)"
                )
            }
            Deviation::OctetStringForBitString { field } => {
                write!(
                    f,
                    "{field} is an OCTET STRING, the standard says BIT STRING"
                )
            }
            Deviation::CertListEntry { index, tag } => write!(
                f,
                "certList entry {index} is a {tag}, not an OCTET STRING holding a certificate"
            ),
            Deviation::CertListType { declared, found } => {
                write!(f, "certListType is {declared} but the list holds {found}")
            }
            Deviation::SealTimestampBeforeV5 => f.write_str(
                "SESeal carries a timeStamp (a GM/T 0031-2025 field) but its header says version 4",
            ),
            Deviation::TimeInfoWithoutZone => f.write_str(
                "timeInfo is text without a time zone; read as China Standard Time (UTC+08:00)",
            ),
            Deviation::SignatureEncoding { role, deviation } => {
                write!(f, "{role}: {deviation}")
            }
            Deviation::SignatureAlgorithm { role, oid } => write!(
                f,
                "{role}: algorithm {oid}, the standard uses sm2sign-with-sm3 (1.2.156.10197.1.501)"
            ),
            Deviation::CertificateChain { role, deviation } => write!(
                f,
                "{role} certificate path [{}]: {}",
                deviation.cert, deviation.what
            ),
        }
    }
}

/// Collects deviations, refusing the first one in strict mode.
#[derive(Debug)]
pub(crate) struct Conformance {
    strictness: Strictness,
    pub(crate) found: Vec<Deviation>,
}

impl Conformance {
    pub(crate) fn new(strictness: Strictness) -> Self {
        Conformance {
            strictness,
            found: Vec::new(),
        }
    }

    /// Record `d`; an error in strict mode.
    pub(crate) fn deviate(&mut self, d: Deviation) -> Result<()> {
        match self.strictness {
            Strictness::Strict => Err(Error::Deviation(d)),
            _ => {
                if !self.found.contains(&d) {
                    self.found.push(d);
                }
                Ok(())
            }
        }
    }

    /// `deviate` when `expected != found`.
    pub(crate) fn string(
        &mut self,
        field: &'static str,
        expected: StringKind,
        found: StringKind,
    ) -> Result<()> {
        if expected != found {
            self.deviate(Deviation::StringType {
                field,
                expected,
                found,
            })?;
        }
        Ok(())
    }

    /// `deviate` when the time is not DER or not of the `expected` type.
    pub(crate) fn time(
        &mut self,
        field: &'static str,
        expected: TimeKind,
        time: &SesTime,
    ) -> Result<()> {
        if let SesTime::NonDer { .. } = time {
            self.deviate(Deviation::TimeEncoding { field })?;
        }
        let found = time.kind();
        if expected != found {
            self.deviate(Deviation::TimeType {
                field,
                expected,
                found,
            })?;
        }
        Ok(())
    }
}
