//! SM2 signature decoding (DER and raw, strict and lenient): no panic, and strict acceptance
//! implies the value re-encodes to the same bytes.
#![no_main]

use gmseal_sm2::encoding::{SignatureFormat, Strictness, decode, encode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for format in [SignatureFormat::Der, SignatureFormat::Raw] {
        if let Ok(d) = decode(data, format, Strictness::Strict) {
            assert_eq!(
                encode(&d.signature, format),
                data,
                "strict decode is not canonical"
            );
        }
        if let Ok(d) = decode(data, format, Strictness::Lenient) {
            let again = encode(&d.signature, d.format);
            assert!(decode(&again, d.format, Strictness::Strict).is_ok());
        }
    }
});
