//! The integration tests of gmseal-pdf, in one binary (one link step).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "suite/support.rs"]
mod support;

#[path = "suite/sign.rs"]
mod sign;

#[path = "suite/verify.rs"]
mod verify;

#[path = "suite/attacks.rs"]
mod attacks;

#[path = "suite/oracles.rs"]
mod oracles;

#[path = "suite/fields.rs"]
mod fields;

#[path = "suite/formats.rs"]
mod formats;

#[path = "suite/timestamps.rs"]
mod timestamps;
