//! SystemRegister reading (DER, base64, PEM; strict and lenient) and verification, with the
//! chain of `systemCert` checked against the fixed trust store of `gmseal_fuzz`: no panic; a
//! package read strictly from DER re-encodes to the input bytes.
#![no_main]

use gmseal_fuzz::{Fixture, chain_options};
use gmseal_register::Strictness;
use gmseal_register::system_register::{
    Container, InputPolicy, ReadOptions, ReadSystemRegister, VerifyOptions,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for strictness in [Strictness::Strict, Strictness::Lenient] {
        let options = ReadOptions {
            strictness,
            ..ReadOptions::default()
        };
        if let Ok(read) = ReadSystemRegister::read(data, &options) {
            if strictness == Strictness::Strict && read.container == Container::Der {
                assert_eq!(
                    read.package.to_der().ok().as_deref(),
                    Some(data),
                    "strict DER read is not canonical"
                );
            }
            let verify = VerifyOptions {
                strictness,
                signing_input: InputPolicy::Probe,
                ..VerifyOptions::default()
            }
            .with_chain(&Fixture::get().store, chain_options());
            if let Ok(report) = read.verify(&verify) {
                let _ = report.to_string();
            }
        }
    }
});
