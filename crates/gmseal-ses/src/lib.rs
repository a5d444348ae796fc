#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod cert_list;
mod deviation;
mod error;
pub mod ext;
pub mod header;
mod make;
pub mod manual;
pub mod picture;
mod seal;
mod sign;
mod signature;
mod string;
pub mod time;
mod tlv;
pub mod v1;
pub mod v4;
pub mod verify;
mod version;

pub use deviation::{Deviation, SignatureRole};
pub use error::{BoxError, CertRole, Error, Result};
pub use make::{EsIdRule, SealBuilder};
pub use seal::{HolderCertificates, Seal, SealStructure};
pub use sign::{SignatureBuilder, Timestamper, V1TimeInfo};
pub use signature::{SealSignature, SignatureStructure};
pub use string::{SesString, StringKind};
pub use tlv::MAX_INPUT_LEN;
pub use verify::TsaTimestamper;
pub use version::SesVersion;

/// `der`, re-exported so callers use the same version.
pub use der;
/// `gmseal-cert` (trust stores, chain options and reports), re-exported.
pub use gmseal_cert;
/// `gmseal-cms` (the chain verifier, timestamp authorities and token reports), re-exported.
pub use gmseal_cms;
/// `gmseal-sm2`, re-exported for its signer abstraction and strictness switch.
pub use gmseal_sm2;
pub use gmseal_sm2::Strictness;
