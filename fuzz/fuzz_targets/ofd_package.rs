//! The OFD package reader and the whole verifier on arbitrary archives: no panic, bounded work
//! (small limits), and every file the reader accepts can be read without panicking.
#![no_main]

use gmseal_ofd::{Limits, Package, Verifier};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default()
        .entries(200)
        .entry_size(1 << 20)
        .total_size(4 << 20)
        .xml_size(1 << 20);
    let Ok(package) = Package::from_bytes_with_limits(data.to_vec(), limits) else {
        return;
    };
    for e in package.files() {
        let _ = package.read(e.path.as_str());
    }
    let _ = Verifier::new().limits(limits).verify(&package);
    let _ = Verifier::new().limits(limits).lenient().verify(&package);
});
