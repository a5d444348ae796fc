//! The JSON message parsers of the provincial and interoperability platforms, the signature
//! verifiers and the seal-making data validation: no panic on any input.
#![no_main]

use gmseal_register::message::{ParseOptions, Schema, parse};
use gmseal_register::{interop, provincial};
use libfuzzer_sys::fuzz_target;

fn both<T: Schema>(s: &str) {
    let _ = parse::<T>(s, &ParseOptions::default());
    let _ = parse::<T>(s, &ParseOptions::lenient());
}

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    both::<provincial::SealMakingRequest>(s);
    both::<provincial::SealMakingResponse>(s);
    both::<provincial::SealDownloadRequest>(s);
    both::<provincial::SealDownloadResponse>(s);
    both::<provincial::RevocationRequest>(s);
    both::<provincial::RevocationResponse>(s);
    both::<interop::SealFilingRequest>(s);
    both::<interop::GetSealsResponse>(s);
    both::<interop::CloudSignRequest>(s);
    both::<interop::UKeyInfoResponse>(s);
    both::<interop::verification::DocumentVerifyResponse>(s);
    if let Ok(r) = parse::<provincial::SealMakingRequest>(s, &ParseOptions::lenient()) {
        let _ = r
            .message
            .data
            .validate(&gmseal_register::seal_data::SealDataProfile::new());
    }
    let key = gmseal_sm2::SoftwareSigner::from_bytes(&[7u8; 32]);
    if let Ok(key) = key {
        let pk = key.public_key();
        for input in [
            provincial::SigningInput::SortedKeyValue,
            provincial::SigningInput::DataExact,
            provincial::SigningInput::DataJcs,
        ] {
            let _ = provincial::verify_json(
                s,
                &pk,
                &provincial::VerifyOptions {
                    signing_input: input,
                    strictness: gmseal_register::Strictness::Lenient,
                    ..Default::default()
                },
            );
        }
        let _ = interop::RequestVerifier::Sm2 { public_key: &pk }
            .verify_json(s, &gmseal_register::json::Limits::default());
    }
});
