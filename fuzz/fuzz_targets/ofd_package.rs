//! The OFD package reader and the whole verifier on arbitrary archives: no panic, bounded work
//! (small limits), and every file the reader accepts can be read without panicking. The
//! verifier checks seals and SignedData against the fixed trust store of `gmseal_fuzz` (and bare
//! SM2 signatures with its signer's key), so signed seeds reach every check.
#![no_main]

use gmseal_fuzz::ofd_verifier;
use gmseal_ofd::{Limits, Package, Strictness, Verifier};
use libfuzzer_sys::fuzz_target;

fn limits() -> Limits {
    Limits::default()
        .entries(200)
        .entry_size(1 << 20)
        .total_size(4 << 20)
        .xml_size(1 << 20)
}

thread_local! {
    static VERIFIERS: [Verifier; 2] = [
        ofd_verifier(limits(), Strictness::Strict),
        ofd_verifier(limits(), Strictness::Lenient),
    ];
}

fuzz_target!(|data: &[u8]| {
    let Ok(package) = Package::from_bytes_with_limits(data.to_vec(), limits()) else {
        return;
    };
    for e in package.files() {
        let _ = package.read(e.path.as_str());
    }
    VERIFIERS.with(|verifiers| {
        for v in verifiers {
            if let Ok(report) = v.verify(&package) {
                let _ = report.to_string();
            }
        }
    });
});
