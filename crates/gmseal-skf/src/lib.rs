#![doc = include_str!("../README.md")]
#![warn(missing_docs)]
// `unsafe` is allowed in this crate only (and in gmseal-skf-soft); every block says why it is
// sound in a `// SAFETY:` comment.
#![deny(clippy::undocumented_unsafe_blocks)]

mod app;
mod container;
mod crypto;
pub mod decode;
mod device;
mod error;
mod library;
mod name;
mod quirks;
mod signer;
pub mod sys;

pub use app::{Application, PinInfo, PinType, Rights};
pub use container::{Container, ContainerType, KeyUsage};
pub use crypto::{BlockCipherParam, Hash, HashAlg, Padding, SessionKey, SymAlg};
pub use decode::{DevInfo, FileInfo, Version};
pub use device::Device;
pub use error::{ArgumentError, Error, Malformed, Result, SarCode};
pub use library::{DeviceEvent, DeviceState, EventKind, Skf};
pub use name::{AsName, Name, RawName};
pub use quirks::{AlgIdVariant, BoolWidth, DevInfoLayout, LibraryConfig, NameEncoding, Quirks};
pub use signer::{SignerConfig, SkfSigner};
