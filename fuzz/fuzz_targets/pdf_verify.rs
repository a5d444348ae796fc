//! PDF verification on arbitrary bytes: an error or a report, never a panic, bounded work.
//! Twice: without container verifiers (structure, byte ranges, digests, modifications; then no
//! signature may be Valid), and with the CMS (format A) and seal (format B) verifiers over the
//! fixed trust store of `gmseal_fuzz`, so signed seeds reach the signature, certificate, chain
//! and seal checks. Encrypted seeds (pyHanko's) open with the user password `usersecret`.
#![no_main]

use gmseal_fuzz::{cms_options, ses_options};
use gmseal_pdf::cms::CmsVerifier;
use gmseal_pdf::seal::SealVerifier;
use gmseal_pdf::{Verdict, VerifyOptions, verify_bytes};
use gmseal_sm2::Strictness;
use libfuzzer_sys::fuzz_target;

const PASSWORD: &str = "usersecret";

fuzz_target!(|data: &[u8]| {
    let (report, password) = match verify_bytes(data, &VerifyOptions::new()) {
        Ok(r) => (r, None),
        Err(gmseal_pdf::Error::PasswordRequired) => {
            match verify_bytes(data, &VerifyOptions::new().password(PASSWORD)) {
                Ok(r) => (r, Some(PASSWORD)),
                Err(_) => return,
            }
        }
        Err(_) => return,
    };
    // Reports render, and no signature is valid without a verifier.
    let _ = report.to_string();
    assert!(
        report
            .signatures
            .iter()
            .all(|s| s.verdict != Verdict::Valid)
    );
    if report.signatures.is_empty() {
        return;
    }
    let cms = CmsVerifier::new(cms_options(Strictness::Strict));
    let seal = SealVerifier::new(ses_options(Strictness::Strict));
    let mut options = VerifyOptions::new().verifier(&cms).verifier(&seal);
    if let Some(p) = password {
        options = options.password(p);
    }
    if let Ok(report) = verify_bytes(data, &options) {
        let _ = report.to_string();
    }
});
