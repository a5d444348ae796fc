#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod appearance;
pub mod byte_range;
pub mod cms;
pub mod container;
mod error;
mod field;
pub mod image;
pub mod pdf_date;
pub mod placement;
mod reader;
pub mod report;
pub mod seal;
pub mod sigdict;
mod sign;
mod verify;

pub use byte_range::{ByteRange, ByteRangeError};
pub use container::{
    ContainerReport, ContentsRequest, ContentsSigner, ContentsVerifier, Format, FormatSource,
    SigFilter, VerifyRequest,
};
pub use error::{ContainerError, Error, Result};
pub use image::SealImage;
pub use placement::{Anchor, Edge, Placement, RidingSeal};
pub use report::{
    Change, ChangeKind, Check, CheckKind, Finding, ModificationLevel, Outcome, RevisionInfo,
    SealInfo, SignatureReport, Verdict, VerificationReport,
};
pub use sign::{SignOptions, Signed, sign, sign_to};
pub use verify::{VerifyOptions, verify, verify_bytes, verify_many};

/// lopdf, re-exported (object ids in reports are lopdf's).
pub use lopdf;
