//! Errors of this crate.

use core::fmt;

use der::asn1::ObjectIdentifier;

/// Errors of gmseal-cms: malformed or unsupported input, refused builder parameters, failing
/// signers and failing transports.
///
/// A signature that does not verify is *not* an error: verification returns a report whose
/// checks say what failed. An `Err` means the input could not be examined at all.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// DER that does not decode; `what` names the structure being read.
    Malformed {
        /// The structure being decoded (e.g. `"SignerInfo"`).
        what: &'static str,
        /// The decoder's error.
        source: der::Error,
    },
    /// The outer `ContentInfo` is not `signedData` (of either OID family); carries the OID.
    NotSignedData(ObjectIdentifier),
    /// Bytes after the end of the DER structure that are not zero padding (or zero padding in
    /// strict mode); carries their count.
    TrailingData {
        /// Number of bytes after the structure.
        len: usize,
    },
    /// A structure holds more elements than this crate accepts (denial-of-service bound).
    TooMany {
        /// What was counted.
        what: &'static str,
        /// How many were found (at least).
        found: usize,
        /// The limit.
        limit: usize,
    },
    /// A `SignedData` without any `SignerInfo`.
    NoSigners,
    /// A digest algorithm this crate does not implement; carries its OID.
    UnsupportedDigest(ObjectIdentifier),
    /// A signature algorithm this crate does not implement; carries its OID.
    UnsupportedSignatureAlgorithm(ObjectIdentifier),
    /// The signer's certificate is unusable for the requested construction (e.g. the
    /// `subjectKeyIdentifier` signer identifier was asked for but the certificate has none).
    Certificate(&'static str),
    /// The certificate's public key does not belong to the signer.
    SignerKeyMismatch,
    /// Builder misuse (no content, no signer, ...); says what is missing.
    InvalidInput(&'static str),
    /// An error of the SM2 layer (the signer failed, a range could not be read, ...).
    Sm2(gmseal_sm2::Error),
    /// The TSA answered with a status other than granted (RFC 3161 §2.4.2).
    TimestampRefused {
        /// `PKIStatus` value (2 = rejection, 3 = waiting, 4/5 = revocation).
        status: u8,
        /// `PKIFailureInfo` bits, if given.
        fail_info: Option<u32>,
        /// The TSA's free text, if any.
        text: Option<String>,
    },
    /// The TSA's answer does not match the request (nonce, imprint or policy differ).
    TimestampMismatch(&'static str),
    /// A transport failure talking to a TSA (feature `http`).
    Transport(String),
    /// The operating system's random generator failed (nonces, serial numbers).
    Random(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Malformed { what, source } => write!(f, "malformed {what}: {source}"),
            Error::NotSignedData(oid) => write!(
                f,
                "ContentInfo holds {oid}, not signedData (1.2.840.113549.1.7.2 or 1.2.156.10197.6.1.4.2.2)"
            ),
            Error::TrailingData { len } => write!(f, "{len} byte(s) after the end of the DER"),
            Error::TooMany { what, found, limit } => {
                write!(f, "too many {what}: {found} (limit {limit})")
            }
            Error::NoSigners => f.write_str("SignedData has no SignerInfo"),
            Error::UnsupportedDigest(oid) => write!(f, "unsupported digest algorithm {oid}"),
            Error::UnsupportedSignatureAlgorithm(oid) => {
                write!(f, "unsupported signature algorithm {oid}")
            }
            Error::Certificate(why) => write!(f, "unusable certificate: {why}"),
            Error::SignerKeyMismatch => {
                f.write_str("the certificate's public key is not the signer's public key")
            }
            Error::InvalidInput(why) => write!(f, "invalid input: {why}"),
            Error::Sm2(e) => write!(f, "{e}"),
            Error::TimestampRefused {
                status,
                fail_info,
                text,
            } => {
                write!(f, "TSA refused the request (PKIStatus {status}")?;
                if let Some(bits) = fail_info {
                    write!(f, ", failInfo 0x{bits:X}")?;
                }
                if let Some(t) = text {
                    write!(f, ", \"{t}\"")?;
                }
                f.write_str(")")
            }
            Error::TimestampMismatch(what) => {
                write!(f, "timestamp response does not match the request: {what}")
            }
            Error::Transport(msg) => write!(f, "TSA transport: {msg}"),
            Error::Random(msg) => write!(f, "random generator: {msg}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Malformed { source, .. } => Some(source),
            Error::Sm2(e) => Some(e),
            _ => None,
        }
    }
}

impl From<gmseal_sm2::Error> for Error {
    fn from(e: gmseal_sm2::Error) -> Self {
        Error::Sm2(e)
    }
}

/// Attach the structure name to a `der` error.
pub(crate) fn malformed(what: &'static str) -> impl Fn(der::Error) -> Error {
    move |source| Error::Malformed { what, source }
}

/// Result type of this crate.
pub type Result<T, E = Error> = core::result::Result<T, E>;
