//! The plug point for certificate-path validation.
//!
//! Building and validating a path to a trust anchor, with CRLs, is `gmseal-cert`'s job
//! (GM/T 0015 profiles, RFC 5280 §6). This crate checks what it can see inside the message
//! (the signer certificate is present, valid at the validation time, has a suitable key
//! usage) and hands path validation to a [`ChainVerifier`] given in
//! [`VerifyOptions::chain`](crate::VerifyOptions::chain). Without one the report says
//! "not performed: no trust anchors configured" for every signer.

use std::time::SystemTime;

use x509_cert::Certificate;

/// Validates the certification path of a signer certificate.
///
/// `gmseal-cert`'s chain verifier implements this; a test or an application with its own
/// trust store may implement it too.
pub trait ChainVerifier {
    /// Validate a path from `signer` to a configured trust anchor at time `at`, using
    /// `intermediates` (the other certificates of the message) and `crls` (DER
    /// `CertificateList`s carried in the message) as candidates.
    ///
    /// # Errors
    /// A [`ChainError`] saying why no valid path was found.
    fn verify_chain(
        &self,
        signer: &Certificate,
        intermediates: &[Certificate],
        crls: &[&[u8]],
        at: SystemTime,
    ) -> Result<ChainSummary, ChainError>;
}

/// What a successful path validation found.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ChainSummary {
    /// Number of certificates in the path, signer and anchor included.
    pub path_len: usize,
    /// Was revocation checked for every certificate of the path?
    pub revocation_checked: bool,
}

impl ChainSummary {
    /// A summary.
    pub fn new(path_len: usize, revocation_checked: bool) -> Self {
        ChainSummary {
            path_len,
            revocation_checked,
        }
    }
}

/// Why path validation failed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChainError {
    /// No path to a trust anchor.
    NoPath(String),
    /// A certificate of the path is revoked.
    Revoked {
        /// The revoked certificate's subject.
        subject: String,
    },
    /// Another reason, in the verifier's words.
    Other(String),
}

impl core::fmt::Display for ChainError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            ChainError::NoPath(why) => write!(f, "no path to a trust anchor: {why}"),
            ChainError::Revoked { subject } => write!(f, "certificate {subject} is revoked"),
            ChainError::Other(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for ChainError {}
