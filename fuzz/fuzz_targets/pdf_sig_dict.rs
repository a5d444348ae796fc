//! The signature-dictionary parser on arbitrary bytes: an error or a value, never a panic.
#![no_main]

use gmseal_pdf::sigdict::SignatureDictionary;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(d) = SignatureDictionary::parse(data) {
        if let Some(span) = d.contents_span {
            assert!(span.start < span.end && span.end <= data.len());
        }
    }
});
