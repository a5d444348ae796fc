#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod b64;
pub mod certificate;
pub mod deviation;
mod error;
pub mod interop;
pub mod json;
pub mod lifecycle;
pub mod message;
pub mod provincial;
pub mod random;
pub mod report;
pub mod seal_data;
pub mod system_register;
pub mod testing;
pub mod time;

pub use deviation::{Deviation, DeviationKind, Strictness, Tolerance};
pub use error::{Base64Problem, Error, Result};
pub use report::{Check, Outcome, Report};

/// Base64 as the specifications use it (standard alphabet, padded, one line).
pub mod base64 {
    pub use crate::b64::{decode_strict, encode};
}
