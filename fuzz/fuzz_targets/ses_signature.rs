//! Seal signatures (`SES_Signature`, v1/v4/v5, strict and lenient) and their verification: no
//! panic; a strict decode re-encodes to the input bytes.
#![no_main]

use gmseal_ses::der::Encode;
use gmseal_ses::verify::{SignedContent, VerifyOptions, verify};
use gmseal_ses::{SealSignature, SignatureStructure, Strictness};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(sig) = SealSignature::from_der_with(data, Strictness::Strict) {
        let again = match sig.structure() {
            SignatureStructure::V1(s) => s.to_der(),
            SignatureStructure::V4(s) => s.to_der(),
        };
        assert_eq!(again.ok().as_deref(), Some(data), "strict decode is not canonical");
    }
    if let Ok(sig) = SealSignature::from_der_with(data, Strictness::Lenient) {
        let report = verify(&sig, SignedContent::Bytes(b"x"), &VerifyOptions::lenient());
        let _ = report.to_string();
        let _ = sig.seal().picture();
    }
});
