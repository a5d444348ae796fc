//! The error type of this crate.

use core::fmt;

use crate::deviation::Deviation;
use crate::version::SesVersion;

/// Boxed error of a plug-in (timestamp source, seal-number rule).
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Which certificate an error or finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CertRole {
    /// The seal maker's certificate (`SESeal.cert`, v1 `SES_SignInfo.cert`).
    Maker,
    /// The signer's certificate (v4 `SES_Signature.cert`, v1 `TBS_Sign.cert`).
    Signer,
    /// A holder certificate of the seal's certificate list.
    Holder,
}

impl fmt::Display for CertRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CertRole::Maker => "seal maker",
            CertRole::Signer => "signer",
            CertRole::Holder => "seal holder",
        })
    }
}

/// Errors of `gmseal-ses`.
///
/// Malformed input is an error; a signature that does not verify is not (it is a finding of the
/// [`VerifyReport`](crate::verify::VerifyReport)).
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The DER of a structure does not decode.
    Asn1 {
        /// The structure being decoded (`"SES_Signature"`, `"SESeal"`, ...).
        structure: &'static str,
        /// What `der` reported (it carries the position).
        source: der::Error,
    },
    /// A SEQUENCE has a number of elements that matches no known version of the structure.
    UnknownLayout {
        /// The structure.
        structure: &'static str,
        /// Number of elements found.
        elements: usize,
    },
    /// A version number this crate does not implement.
    UnsupportedVersion {
        /// Where the number was found (`"SES_Header.version"`).
        field: &'static str,
        /// The value found.
        version: i64,
    },
    /// A deviation from the standard that strict mode refuses (lenient mode accepts and reports
    /// it).
    Deviation(Deviation),
    /// The input is larger than this crate accepts.
    TooLarge {
        /// What is too large.
        what: &'static str,
        /// Its size in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A certificate does not decode.
    Certificate {
        /// Which certificate.
        role: CertRole,
        /// What `der` reported.
        source: der::Error,
    },
    /// A certificate's key is not a usable SM2 key.
    CertificateKey {
        /// Which certificate.
        role: CertRole,
        /// Why.
        source: gmseal_sm2::KeyError,
    },
    /// The signing key does not belong to the certificate given with it.
    KeyMismatch {
        /// Which certificate.
        role: CertRole,
    },
    /// A builder input is missing or invalid.
    InvalidInput {
        /// The field (named as in the standard).
        field: &'static str,
        /// What is wrong.
        reason: &'static str,
    },
    /// The version does not support what was asked (a digest certificate list in v1, a
    /// timestamp in a v1 signature, ...).
    NotInVersion {
        /// The feature.
        feature: &'static str,
        /// The version.
        version: SesVersion,
    },
    /// The seal-number rule given to the builder rejected the esID.
    EsIdRejected {
        /// The esID.
        es_id: String,
        /// The rule's reason.
        reason: String,
    },
    /// The SM2 layer failed (signer failure, bad signature encoding, I/O while hashing).
    Sm2(gmseal_sm2::Error),
    /// The timestamp source failed.
    Timestamp(BoxError),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Asn1 { structure, source } => write!(f, "malformed {structure}: {source}"),
            Error::UnknownLayout {
                structure,
                elements,
            } => write!(
                f,
                "{structure} has {elements} elements, which matches no known version (v1: 2; v4/v5: 4 or 5)"
            ),
            Error::UnsupportedVersion { field, version } => write!(
                f,
                "unsupported version {version} in {field} (supported: 1 = GM/T 0031-2014, 4 = GB/T 38540-2020, 5 = GM/T 0031-2025)"
            ),
            Error::Deviation(d) => write!(
                f,
                "deviation from the standard refused in strict mode: {d} (lenient mode accepts it)"
            ),
            Error::TooLarge { what, len, max } => {
                write!(f, "{what} is {len} bytes, more than the limit of {max}")
            }
            Error::Certificate { role, source } => {
                write!(f, "malformed {role} certificate: {source}")
            }
            Error::CertificateKey { role, source } => {
                write!(f, "{role} certificate key: {source}")
            }
            Error::KeyMismatch { role } => write!(
                f,
                "the signing key does not match the {role} certificate's public key"
            ),
            Error::InvalidInput { field, reason } => write!(f, "invalid {field}: {reason}"),
            Error::NotInVersion { feature, version } => {
                write!(f, "{feature} does not exist in {version}")
            }
            Error::EsIdRejected { es_id, reason } => {
                write!(
                    f,
                    "esID \"{es_id}\" rejected by the seal-number rule: {reason}"
                )
            }
            Error::Sm2(e) => write!(f, "{e}"),
            Error::Timestamp(e) => write!(f, "timestamp source failed: {e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Asn1 { source, .. } | Error::Certificate { source, .. } => Some(source),
            Error::CertificateKey { source, .. } => Some(source),
            Error::Sm2(e) => Some(e),
            Error::Timestamp(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}

impl From<gmseal_sm2::Error> for Error {
    fn from(e: gmseal_sm2::Error) -> Self {
        Error::Sm2(e)
    }
}

impl From<Deviation> for Error {
    fn from(d: Deviation) -> Self {
        Error::Deviation(d)
    }
}

/// Result type of this crate.
pub type Result<T, E = Error> = core::result::Result<T, E>;

/// Attach the structure name to a `der` error.
pub(crate) fn asn1(structure: &'static str) -> impl FnOnce(der::Error) -> Error {
    move |source| Error::Asn1 { structure, source }
}
