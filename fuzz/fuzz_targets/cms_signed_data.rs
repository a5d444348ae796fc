//! SignedData parser and verifier (gmseal-cms), strict and lenient, attached and detached, with
//! the fixed trust store of `gmseal_fuzz` (so inputs whose signatures verify go on through the
//! certificate, chain, CRL and timestamp checks): any input gives an `Err` or a report, never a
//! panic.
#![no_main]

use gmseal_cms::{Content, ContentDigest, verify_signed_data};
use gmseal_fuzz::{CONTENT, cms_options};
use gmseal_sm2::Strictness;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for strictness in [Strictness::Strict, Strictness::Lenient] {
        let options = cms_options(strictness);
        for content in [
            Content::Attached,
            Content::Digest(ContentDigest::of(CONTENT)),
        ] {
            if let Ok(report) = verify_signed_data(data, content, &options) {
                let _ = report.to_string();
            }
        }
    }
    let _ = gmseal_cms::der_len(data);
});
