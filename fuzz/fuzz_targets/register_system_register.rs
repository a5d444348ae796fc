//! SystemRegister reading (DER, base64, PEM; strict and lenient) and verification: no panic on
//! any input.
#![no_main]

use gmseal_register::Strictness;
use gmseal_register::system_register::{InputPolicy, ReadOptions, ReadSystemRegister, VerifyOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for strictness in [Strictness::Strict, Strictness::Lenient] {
        let options = ReadOptions {
            strictness,
            ..ReadOptions::default()
        };
        if let Ok(read) = ReadSystemRegister::read(data, &options) {
            let _ = read.verify(&VerifyOptions {
                strictness,
                signing_input: InputPolicy::Probe,
                ..VerifyOptions::default()
            });
        }
    }
});
