//! Integration tests of gmseal-register (one binary; the parts are in `tests/register/`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "register/interop.rs"]
mod interop;
#[path = "register/lifecycle.rs"]
mod lifecycle;
#[path = "register/properties.rs"]
mod properties;
#[path = "register/provincial.rs"]
mod provincial;
#[path = "register/seal_data.rs"]
mod seal_data;
#[path = "register/spec_samples.rs"]
mod spec_samples;
#[path = "register/support.rs"]
mod support;
#[path = "register/system_register.rs"]
mod system_register;
