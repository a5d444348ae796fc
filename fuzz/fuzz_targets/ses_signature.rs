//! Seal signatures (`SES_Signature`, v1/v4/v5, strict and lenient) and their verification over
//! the fixed content with the trust store and timestamp verifier of `gmseal_fuzz` (so a
//! signature that verifies goes on through the seal, both chains, the CRL and the timestamp
//! steps): no panic; a strict decode re-encodes to the input bytes.
#![no_main]

use gmseal_fuzz::{CONTENT, ses_options};
use gmseal_ses::der::Encode;
use gmseal_ses::verify::{SignedContent, verify};
use gmseal_ses::{SealSignature, SignatureStructure, Strictness};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(sig) = SealSignature::from_der_with(data, Strictness::Strict) {
        let again = match sig.structure() {
            SignatureStructure::V1(s) => s.to_der(),
            SignatureStructure::V4(s) => s.to_der(),
        };
        assert_eq!(
            again.ok().as_deref(),
            Some(data),
            "strict decode is not canonical"
        );
        let report = verify(
            &sig,
            SignedContent::Bytes(CONTENT),
            &ses_options(Strictness::Strict),
        );
        let _ = report.to_string();
    }
    if let Ok(sig) = SealSignature::from_der_with(data, Strictness::Lenient) {
        let report = verify(
            &sig,
            SignedContent::Bytes(CONTENT),
            &ses_options(Strictness::Lenient),
        );
        let _ = report.to_string();
        let _ = sig.seal().picture();
    }
});
