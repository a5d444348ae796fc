#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod digest;
pub mod distid;
pub mod encoding;
mod error;
pub mod key;
pub mod oid;
mod signer;
mod verify;

pub use digest::{MessageHasher, message_digest};
pub use distid::{DistId, z_value};
pub use encoding::{Deviation, SignatureFormat, Strictness};
pub use error::{Component, Error, KeyError, Result, SignatureFormatError};
pub use signer::{Sm2Signer, Sm2SignerExt, SoftwareSigner};
pub use verify::Sm2VerifyingKey;

/// The `signature` crate, re-exported for implementing [`Sm2Signer`].
pub use signature;
/// The `sm2` crate, re-exported so callers use the same version.
pub use sm2;
/// SM2 public key (a point of sm2p256v1).
pub use sm2::PublicKey;
/// SM2 private key.
pub use sm2::SecretKey;
/// SM2 signature value (`r`, `s`).
pub use sm2::dsa::Signature;
