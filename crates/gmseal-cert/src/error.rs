//! The crate's error type.

use core::fmt;
use std::path::PathBuf;

use der::asn1::ObjectIdentifier;

use crate::identity::IdentityError;

/// Which structure a decoding error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Structure {
    /// An X.509 certificate.
    Certificate,
    /// A certificate revocation list.
    Crl,
    /// A distinguished name.
    Name,
    /// A signature algorithm identifier.
    AlgorithmIdentifier,
}

impl fmt::Display for Structure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Structure::Certificate => "certificate",
            Structure::Crl => "CRL",
            Structure::Name => "name",
            Structure::AlgorithmIdentifier => "algorithm identifier",
        })
    }
}

/// Errors of gmseal-cert.
///
/// Malformed input is an error; a certificate that parses but does not verify is not: chain
/// verification reports it as a finding in its [`ChainReport`](crate::ChainReport).
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The DER of a structure is malformed (truncated, wrong tag, trailing data, ...).
    Der {
        /// The structure being decoded.
        what: Structure,
        /// What `der` found wrong.
        source: der::Error,
    },
    /// The PEM armour is malformed or holds no block of the expected kind.
    Pem(gmseal_sm2::KeyError),
    /// The input holds no certificate (or CRL) at all.
    NothingFound {
        /// What was looked for.
        what: Structure,
    },
    /// A known extension whose value does not decode; carries its OID.
    MalformedExtension {
        /// The extension.
        oid: ObjectIdentifier,
        /// What `der` found wrong.
        source: der::Error,
    },
    /// The same extension appears twice (RFC 5280 §4.2); carries its OID.
    DuplicateExtension {
        /// The extension.
        oid: ObjectIdentifier,
    },
    /// A certificate's public key is not an SM2 key (or is not a valid point).
    PublicKey(gmseal_sm2::KeyError),
    /// A signature algorithm other than SM3withSM2 (1.2.156.10197.1.501); carries the OID.
    UnsupportedSignatureAlgorithm {
        /// The algorithm found.
        oid: ObjectIdentifier,
    },
    /// An input is larger than the limit for its kind.
    TooLarge {
        /// What the input is.
        what: Structure,
        /// Its size in bytes.
        len: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// More items than the limit allows (certificates in a store or a chain, CRL entries...).
    TooMany {
        /// What is counted.
        what: &'static str,
        /// The limit.
        limit: usize,
    },
    /// Reading a file failed.
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A file of a directory could not be loaded.
    File {
        /// The file.
        path: PathBuf,
        /// Why.
        source: Box<Error>,
    },
    /// One of the extra (untrusted) certificates given to chain verification is malformed.
    ExtraCertificate {
        /// Its position in the list given.
        index: usize,
        /// Why.
        source: Box<Error>,
    },
    /// The SM2 layer failed (the signer, a key).
    Sm2(gmseal_sm2::Error),
    /// `x509-cert`'s builder failed.
    Builder(x509_cert::builder::Error),
    /// An identity number (credit code, resident ID) given to a subject builder is invalid.
    Identity {
        /// The field.
        field: &'static str,
        /// Why.
        source: IdentityError,
    },
    /// A value cannot be encoded as the string type the profile requires (e.g. a non-printable
    /// character for a PrintableString).
    InvalidString {
        /// The attribute or field.
        field: &'static str,
    },
    /// A required input of a certificate profile is missing or inconsistent.
    InvalidProfileInput {
        /// What is wrong.
        what: &'static str,
    },
    /// The signer's public key is not the key of the CA certificate it is meant to sign for.
    SignerKeyMismatch,
    /// The issuing CA certificate cannot issue: not a CA, or no keyCertSign (cRLSign for CRLs).
    IssuerNotAuthorised {
        /// What is missing.
        what: &'static str,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Der { what, source } => write!(f, "malformed {what}: {source}"),
            Error::Pem(e) => write!(f, "PEM: {e}"),
            Error::NothingFound { what } => write!(f, "input holds no {what}"),
            Error::MalformedExtension { oid, source } => {
                write!(f, "extension {oid} does not decode: {source}")
            }
            Error::DuplicateExtension { oid } => write!(f, "extension {oid} appears twice"),
            Error::PublicKey(e) => write!(f, "subject public key: {e}"),
            Error::UnsupportedSignatureAlgorithm { oid } => write!(
                f,
                "signature algorithm {oid} is not SM3withSM2 (1.2.156.10197.1.501)"
            ),
            Error::TooLarge { what, len, limit } => {
                write!(
                    f,
                    "{what} of {len} bytes exceeds the limit of {limit} bytes"
                )
            }
            Error::TooMany { what, limit } => write!(f, "more than {limit} {what}"),
            Error::Io { path, source } => write!(f, "reading {}: {source}", path.display()),
            Error::File { path, source } => write!(f, "{}: {source}", path.display()),
            Error::ExtraCertificate { index, source } => {
                write!(f, "extra certificate #{index}: {source}")
            }
            Error::Sm2(e) => write!(f, "{e}"),
            Error::Builder(e) => write!(f, "certificate builder: {e}"),
            Error::Identity { field, source } => write!(f, "{field}: {source}"),
            Error::InvalidString { field } => {
                write!(f, "{field} cannot be encoded as the required string type")
            }
            Error::InvalidProfileInput { what } => write!(f, "invalid profile input: {what}"),
            Error::SignerKeyMismatch => f.write_str(
                "the signer's public key is not the subject key of the issuing CA certificate",
            ),
            Error::IssuerNotAuthorised { what } => {
                write!(f, "issuing certificate cannot sign: {what}")
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Der { source, .. } | Error::MalformedExtension { source, .. } => Some(source),
            Error::Pem(e) | Error::PublicKey(e) => Some(e),
            Error::Io { source, .. } => Some(source),
            Error::File { source, .. } | Error::ExtraCertificate { source, .. } => Some(source),
            Error::Sm2(e) => Some(e),
            Error::Builder(e) => Some(e),
            Error::Identity { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl From<gmseal_sm2::Error> for Error {
    fn from(e: gmseal_sm2::Error) -> Self {
        Error::Sm2(e)
    }
}

impl From<x509_cert::builder::Error> for Error {
    fn from(e: x509_cert::builder::Error) -> Self {
        Error::Builder(e)
    }
}

impl Error {
    pub(crate) fn der(what: Structure) -> impl FnOnce(der::Error) -> Error {
        move |source| Error::Der { what, source }
    }
}

/// Result type of this crate.
pub type Result<T, E = Error> = core::result::Result<T, E>;
