//! TEST ONLY: a stand-in for the SES verifier until gmseal-ses is wired in. It does not parse
//! the SES DER; it only scans the signed value for `BIT STRING { 0 unused bits, SM3(Signature.xml) }`
//! (the `dataHash`) and for the Seal.esl bytes (the seal inside the value).
#![allow(dead_code)]

use gmseal_ofd::{
    CheckKind, Outcome, SignedValueError, SignedValueReport, SignedValueVerifier, VerifyInput,
};

#[derive(Debug, Default)]
pub(crate) struct ScanSes;

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

impl SignedValueVerifier for ScanSes {
    fn verify(&self, input: &VerifyInput<'_>) -> Result<SignedValueReport, SignedValueError> {
        let mut r = SignedValueReport::new("SES_Signature (test scan only)");
        let mut needle = vec![0x03, 0x21, 0x00];
        needle.extend_from_slice(&gmseal_sm2::digest::sm3(input.signature_xml));
        r.push(
            CheckKind::DataHash,
            if contains(input.signed_value, &needle) {
                Outcome::Pass
            } else {
                Outcome::Fail
            },
            "scan",
        );
        if let Some(seal) = input.seal_file {
            r.push(
                CheckKind::SealFile,
                if contains(input.signed_value, seal) {
                    Outcome::Pass
                } else {
                    Outcome::Fail
                },
                "scan",
            );
        }
        Ok(r)
    }
}
