#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

pub mod cache;
pub mod cert;
pub mod chain;
pub mod crl;
mod error;
pub mod gmt0015;
pub mod identity;
pub mod issue;
pub mod lint;
pub mod name;
pub mod oid;
pub mod profile;
pub mod signature;
pub mod store;
pub mod subject;

pub use cache::{CacheStats, VerifyCache};
pub use cert::{
    Cert, CertSummary, KeyUsageProblem, KeyUsageRequirement, ValidityStatus, parse_certificates,
};
pub use chain::{
    ChainLimits, ChainOptions, ChainReport, Check, CheckKind, Outcome, PathEntry, PathRole,
    Problem, RevocationPolicy, Verdict, verify_chain, verify_chain_certs,
    verify_chain_certs_with_crls,
};
pub use crl::{Crl, CrlProblem, Revocation, parse_crls};
pub use error::{Error, Result, Structure};
pub use issue::Issuer;
pub use profile::Role;
pub use signature::{
    AlgorithmParameters, IdUsed, SignatureFailure, SignatureOk, SignaturePolicy, Tolerated,
};
pub use store::TrustStore;

/// `der`, re-exported (for `DateTime` and decoding).
pub use der;
/// `x509-cert`, re-exported so callers use the same version.
pub use x509_cert;

/// Upper-case hex.
pub(crate) fn hex_upper(bytes: &[u8]) -> String {
    use core::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02X}");
    }
    s
}
