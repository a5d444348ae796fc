#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod digest;
mod error;
pub mod geometry;
pub mod package;
pub mod path;
pub mod report;
pub mod sign;
pub mod signed_value;
pub mod time;
pub mod trust;
pub mod verify;
pub mod xml;

pub use error::{Error, Limit, PackageError, Result, SignError, SignedValueError, XmlError};
pub use geometry::Rect;
/// Strict or lenient, shared with gmseal-sm2.
pub use gmseal_sm2::Strictness;
pub use package::{Entry, Limits, Package, PackageAnomaly};
pub use report::{
    Check, CheckKind, Deviation, DocumentReport, FileCoverage, Finding, Outcome, ReferenceCheck,
    ReferenceOutcome, Report, SealPicture, SignatureReport, SignedValueReport, StampCheck, Verdict,
};
pub use sign::placement::{Occurrence, Side, Stamp};
pub use sign::{ProtectMode, SignOptions, Signed, Signer};
pub use signed_value::{SignInput, SignedValueSigner, SignedValueVerifier, VerifyInput};
pub use verify::Verifier;
pub use xml::signatures::SignatureType;
