#![doc = include_str!("../README.md")]
#![warn(missing_docs)]
// `unsafe` is allowed in this crate only (and in gmseal-skf); every block says why it is
// sound in a `// SAFETY:` comment.
#![deny(clippy::undocumented_unsafe_blocks)]

pub mod admin;
pub mod config;
mod ffi;
pub mod fixture;
mod runtime;
mod sar;
pub mod store;

pub use admin::{AdminError, AppSpec, Store};
pub use config::{AlgIds, Faults, SoftQuirks, TokenConfig};
pub use fixture::{TestToken, TestTokenSpec};
pub use runtime::sidecar_path;
