//! Structure-aware: a SystemRegister package signed by gmseal-register from values the fuzzer
//! chooses (header, system type, service address, organisation codes and names, optional
//! `subSystemInfo`, signing input, DER or raw signature, DER / base64 / PEM container), read back
//! and verified with the fixed trust store of `gmseal_fuzz` (the chain of `systemCert`).
//!
//! Invariants: the strict reader takes the package exactly when it has `subSystemInfo` and comes
//! as DER or base64, and gives back the same value; verification with the signing input used is
//! valid exactly when the system type is one of the three defined and the signature is DER (or
//! the reading lenient); probing finds the signing input used. Then one mutation of the
//! encoded package: no panic.
#![no_main]

use arbitrary::Arbitrary;
use gmseal_fuzz::{Fixture, Mutation, chain_options};
use gmseal_register::Strictness;
use gmseal_register::system_register::{
    BjcaHeader, BjcaRegisterInfo, BjcaSubSystemInfo, BjcaSystemInfo, InputPolicy, ReadOptions,
    ReadSystemRegister, RegisterSigningInput, SignOptions, SystemRegister, SystemType,
    VerifyOptions,
};
use gmseal_sm2::SignatureFormat;
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
enum Wrapping {
    Der,
    Base64,
    Base64Lines,
    Pem,
}

#[derive(Debug, Arbitrary)]
struct Input {
    id: String,
    version: i64,
    vid: String,
    system_type: i8,
    service_address: Vec<u8>,
    org_code: String,
    org_name: String,
    sub: Option<(String, String)>,
    signing_input: u8,
    raw: bool,
    wrapping: Wrapping,
    mutation: Mutation,
}

fn wrap(der: &[u8], w: &Wrapping) -> Vec<u8> {
    use gmseal_register::base64::encode;
    match w {
        Wrapping::Der => der.to_vec(),
        Wrapping::Base64 => encode(der).into_bytes(),
        Wrapping::Base64Lines => encode(der)
            .as_bytes()
            .chunks(64)
            .collect::<Vec<_>>()
            .join(&b"\r\n"[..]),
        Wrapping::Pem => gmseal_sm2::key::pem_encode("SYSTEM REGISTER", der).into_bytes(),
    }
}

fuzz_target!(|input: Input| {
    let f = Fixture::get();
    let (Ok(header), Ok(mut system)) = (
        BjcaHeader::new(&input.id, input.version, &input.vid),
        BjcaSystemInfo::new(
            SystemType::Manage,
            f.system.der(),
            "",
            &input.org_code,
            &input.org_name,
        ),
    ) else {
        return;
    };
    system.system_type = i64::from(input.system_type);
    let Ok(address) = gmseal_cms::der::asn1::OctetString::new(input.service_address.clone()) else {
        return;
    };
    system.service_address = address;
    let sub = match &input.sub {
        Some((code, name)) => match BjcaSubSystemInfo::new(code, name) {
            Ok(s) => Some(s),
            Err(_) => return,
        },
        None => None,
    };
    let has_sub = sub.is_some();
    let info = BjcaRegisterInfo::new(header, system, sub);
    let signing_input = RegisterSigningInput::ALL[usize::from(input.signing_input) % 3];
    let options = SignOptions {
        signing_input,
        signature_format: if input.raw {
            SignatureFormat::Raw
        } else {
            SignatureFormat::Der
        },
        allow_missing_sub_system_info: true,
        allow_invalid_org_code: true,
        ..SignOptions::default()
    };
    let Ok(package) = SystemRegister::sign(info, &f.system.key, &options) else {
        return;
    };
    let der = package.to_der().expect("our own package encodes");
    let bytes = wrap(&der, &input.wrapping);

    let strict_read = ReadSystemRegister::read(&bytes, &ReadOptions::default());
    let strict_container = !matches!(input.wrapping, Wrapping::Pem);
    assert_eq!(
        strict_read.is_ok(),
        has_sub && strict_container,
        "{strict_read:?}"
    );
    let lenient_read = ReadSystemRegister::read(
        &bytes,
        &ReadOptions {
            strictness: Strictness::Lenient,
            ..ReadOptions::default()
        },
    )
    .expect("our own package reads leniently");
    assert_eq!(lenient_read.package, package);
    assert_eq!(lenient_read.encoded, der);

    let defined_type = (1..=3).contains(&input.system_type);
    for (read, strictness) in [
        (strict_read.as_ref().ok(), Strictness::Strict),
        (Some(&lenient_read), Strictness::Lenient),
    ] {
        let Some(read) = read else { continue };
        assert_eq!(read.package, package);
        let exactly = VerifyOptions {
            strictness,
            signing_input: InputPolicy::Exactly(signing_input),
            ..VerifyOptions::default()
        }
        .with_chain(&f.store, chain_options());
        let report = read.verify(&exactly).expect("our own package verifies");
        let format_ok = !input.raw || strictness == Strictness::Lenient;
        assert_eq!(report.is_valid(), defined_type && format_ok, "{report}");
        let probe = VerifyOptions {
            signing_input: InputPolicy::Probe,
            ..exactly
        };
        let report = read.verify(&probe).expect("our own package verifies");
        if format_ok {
            assert_eq!(report.signing_input, Some(signing_input), "{report}");
        }
    }

    let mut mutated = bytes;
    input.mutation.apply(&mut mutated);
    for strictness in [Strictness::Strict, Strictness::Lenient] {
        let read_options = ReadOptions {
            strictness,
            ..ReadOptions::default()
        };
        if let Ok(read) = ReadSystemRegister::read(&mutated, &read_options) {
            let verify = VerifyOptions {
                strictness,
                signing_input: InputPolicy::Probe,
                ..VerifyOptions::default()
            }
            .with_chain(&f.store, chain_options());
            if let Ok(report) = read.verify(&verify) {
                let _ = report.to_string();
            }
        }
    }
});
