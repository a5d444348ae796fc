//! PDF verification on arbitrary bytes: an error or a report, never a panic, bounded work.
#![no_main]

use gmseal_pdf::{VerifyOptions, verify_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(report) = verify_bytes(data, &VerifyOptions::new()) {
        // Reports render, and no signature is valid without a verifier.
        let _ = report.to_string();
        assert!(report.signatures.iter().all(|s| s.verdict != gmseal_pdf::Verdict::Valid));
    }
});
