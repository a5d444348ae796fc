//! SignedData parser and verifier (gmseal-cms): any input gives an `Err` or a report, never a
//! panic, in strict and lenient mode, attached and detached.
#![no_main]

use gmseal_cms::{Content, ContentDigest, VerifyOptions, verify_signed_data};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = verify_signed_data(data, Content::Attached, &VerifyOptions::default());
    let _ = verify_signed_data(
        data,
        Content::Digest(ContentDigest([0x5A; 32])),
        &VerifyOptions::lenient(),
    );
    let _ = gmseal_cms::der_len(data);
});
