#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod algorithm;
pub mod attr;
mod builder;
mod chain;
mod der_walk;
mod error;
pub mod oid;
mod parse;
mod report;
pub mod tsp;
mod verify;

#[doc(hidden)]
pub mod test_support;

pub use algorithm::{AlgorithmParams, DigestAlgorithm, Hasher, NoZVariant, Sm2SignatureOid};
pub use builder::{CmsSigner, ContentDigest, SignedDataBuilder, SignerIdKind};
pub use chain::{CertChainVerifier, ChainError, ChainSummary, ChainVerifier};
pub use error::{Error, Result};
pub use parse::{
    EContent, Limits, OidFamily, ParsedCertificate, ParsedSignedData, ParsedSignerInfo, der_len,
};
pub use report::{
    Check, CheckKind, Failure, NotPerformed, Outcome, SignedDataReport, SignerId, SignerReport,
    TimeSource, Tolerated, Verdict,
};
pub use tsp::{
    LocalTsa, MessageImprint, TimeStampReq, TimeStampResp, TimestampReport, TimestampedData,
    Timestamper, TstInfo, verify_timestamp_token,
};
pub use verify::{
    Content, VerifyOptions, verify_detached_ranges, verify_parsed, verify_signed_data,
};

/// `cms`, `der`, `x509-cert` and `gmseal-cert` (trust stores, chain options and reports),
/// re-exported so callers use the same versions.
pub use {cms, der, gmseal_cert, x509_cert};
