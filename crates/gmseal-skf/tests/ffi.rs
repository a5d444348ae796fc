//! The binding against the software token, which is loaded by path (dlopen) like a vendor
//! library and never linked into this test binary. `valgrind.sh` runs this binary under
//! valgrind.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "ffi/concurrency.rs"]
mod concurrency;
#[path = "ffi/faults.rs"]
mod faults;
#[path = "ffi/files.rs"]
mod files;
#[path = "ffi/pin.rs"]
mod pin;
#[path = "ffi/quirks.rs"]
mod quirks;
#[path = "ffi/signing.rs"]
mod signing;
#[path = "ffi/support.rs"]
mod support;
