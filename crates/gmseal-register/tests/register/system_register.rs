//! SystemRegister: build, sign, write, read, verify; openssl as the independent check.

use std::process::Command;

use gmseal_register::system_register::*;
use gmseal_register::{Error, Outcome, Strictness};
use gmseal_sm2::encoding::SignatureFormat;
use gmseal_testkit::{oracle, run};

use crate::support::*;

fn signed(options: &SignOptions) -> (gmseal_sm2::SoftwareSigner, SystemRegister) {
    let (key, cert) = key_and_cert();
    let sr = SystemRegister::sign(register_info(cert), &key, options).unwrap();
    (key, sr)
}

#[test]
fn round_trip_der_and_base64() {
    let (_, sr) = signed(&SignOptions::default());
    let der = sr.to_der().unwrap();
    let read = ReadSystemRegister::read(&der, &ReadOptions::default()).unwrap();
    assert_eq!(read.package, sr);
    assert_eq!(read.container, Container::Der);
    assert_eq!(read.encoded, der);
    let report = read.verify(&VerifyOptions::default()).unwrap();
    assert!(report.is_valid(), "{report}");
    assert_eq!(
        report.signing_input,
        Some(RegisterSigningInput::RegisterInfoDer)
    );
    assert_eq!(report.signature_format, Some(SignatureFormat::Der));

    let b64 = sr.to_base64().unwrap();
    let read = ReadSystemRegister::read(b64.as_bytes(), &ReadOptions::default()).unwrap();
    assert_eq!(read.container, Container::Base64 { line_breaks: false });
    assert!(read.verify(&VerifyOptions::default()).unwrap().is_valid());
    // MIME-wrapped base64 file
    let wrapped: String = b64
        .as_bytes()
        .chunks(76)
        .map(|c| format!("{}\r\n", std::str::from_utf8(c).unwrap()))
        .collect();
    let read = ReadSystemRegister::read(wrapped.as_bytes(), &ReadOptions::default()).unwrap();
    assert_eq!(read.container, Container::Base64 { line_breaks: true });
    assert_eq!(read.package, sr);
}

#[test]
fn every_signing_input_and_format_round_trips_and_is_reported() {
    for input in RegisterSigningInput::ALL {
        for format in [SignatureFormat::Der, SignatureFormat::Raw] {
            let (_, sr) = signed(&SignOptions {
                signing_input: input,
                signature_format: format,
                ..SignOptions::default()
            });
            let read =
                ReadSystemRegister::read(&sr.to_der().unwrap(), &ReadOptions::default()).unwrap();
            // the exact policy verifies in lenient mode (raw needs lenient)
            let opts = VerifyOptions {
                strictness: if format == SignatureFormat::Raw {
                    Strictness::Lenient
                } else {
                    Strictness::Strict
                },
                signing_input: InputPolicy::Exactly(input),
                ..VerifyOptions::default()
            };
            let report = read.verify(&opts).unwrap();
            assert!(report.is_valid(), "{input} {format}: {report}");
            assert_eq!(report.signature_format, Some(format));
            assert_eq!(
                report.report.deviations.is_empty(),
                format == SignatureFormat::Der
            );
            // probing finds it and warns when it is not the default
            let report = read
                .verify(&VerifyOptions {
                    signing_input: InputPolicy::Probe,
                    ..opts.clone()
                })
                .unwrap();
            assert_eq!(report.signing_input, Some(input));
            assert_eq!(
                report.report.check("signingInput").is_some(),
                input != RegisterSigningInput::RegisterInfoDer
            );
            // the default policy refuses a non-default input
            if input != RegisterSigningInput::RegisterInfoDer {
                let report = read
                    .verify(&VerifyOptions {
                        strictness: opts.strictness,
                        ..VerifyOptions::default()
                    })
                    .unwrap();
                assert!(!report.is_valid());
            }
            // strict mode refuses raw r||s
            if format == SignatureFormat::Raw {
                let report = read
                    .verify(&VerifyOptions {
                        signing_input: InputPolicy::Exactly(input),
                        ..VerifyOptions::default()
                    })
                    .unwrap();
                assert_eq!(
                    report.report.check("signature").unwrap().outcome,
                    Outcome::Fail
                );
            }
        }
    }
}

#[test]
fn signer_must_hold_the_certificate_key() {
    let (_, cert) = key_and_cert();
    let other = gmseal_sm2::SoftwareSigner::generate();
    let err =
        SystemRegister::sign(register_info(cert), &other, &SignOptions::default()).unwrap_err();
    assert!(matches!(err, Error::SignerKeyMismatch { .. }), "{err}");
}

#[test]
fn build_refuses_bad_org_code_and_missing_sub_system() {
    let (key, cert) = key_and_cert();
    let mut info = register_info(cert.clone());
    info.system_info.org_code = der::asn1::Ia5String::new("91350100M000100Y44").unwrap();
    let err = SystemRegister::sign(info.clone(), &key, &SignOptions::default()).unwrap_err();
    assert_eq!(err.field(), Some("registerInfo.systemInfo.orgCode"));
    let sr = SystemRegister::sign(
        info,
        &key,
        &SignOptions {
            allow_invalid_org_code: true,
            ..SignOptions::default()
        },
    )
    .unwrap();
    let report = ReadSystemRegister::read(&sr.to_der().unwrap(), &ReadOptions::default())
        .unwrap()
        .verify(&VerifyOptions::default())
        .unwrap();
    assert!(report.is_valid(), "a bad org code is a warning (R8)");
    assert_eq!(
        report.report.check("systemInfo.orgCode").unwrap().outcome,
        Outcome::Warn
    );

    let mut info = register_info(cert);
    info.sub_system_info = None;
    let err = SystemRegister::sign(info.clone(), &key, &SignOptions::default()).unwrap_err();
    assert_eq!(err.field(), Some("registerInfo.subSystemInfo"));
    let sr = SystemRegister::sign(
        info,
        &key,
        &SignOptions {
            allow_missing_sub_system_info: true,
            ..SignOptions::default()
        },
    )
    .unwrap();
    let der = sr.to_der().unwrap();
    let err = ReadSystemRegister::read(&der, &ReadOptions::default()).unwrap_err();
    assert_eq!(err.field(), Some("registerInfo.subSystemInfo"));
    let read = ReadSystemRegister::read(
        &der,
        &ReadOptions {
            strictness: Strictness::Lenient,
            ..ReadOptions::default()
        },
    )
    .unwrap();
    assert_eq!(read.deviations.len(), 1);
}

#[test]
fn key_usage_without_digital_signature_is_refused() {
    // An organisation's encryption certificate (gmseal-cert profile): keyEncipherment,
    // dataEncipherment, keyAgreement, no digitalSignature.
    let enc = gmseal_testkit::pki::TestPki::shared().leaf(
        gmseal_cert::profile::Role::OrganisationEncryption,
        "enc only",
    );
    let err = SystemRegister::sign(register_info(enc.der()), &enc.key, &SignOptions::default())
        .unwrap_err();
    assert!(matches!(err, Error::Certificate { .. }), "{err}");
}

/// Flip one bit in each byte of registerInfo and signInfo (one at a time): every change either
/// fails to parse or fails verification.
#[test]
fn tampering_any_byte_breaks_verification() {
    let (_, sr) = signed(&SignOptions::default());
    let der = sr.to_der().unwrap();
    let mut parsed_but_invalid = 0;
    for i in 0..der.len() {
        let mut t = der.clone();
        t[i] ^= 0x01;
        let Ok(read) = ReadSystemRegister::read(&t, &ReadOptions::default()) else {
            continue;
        };
        if let Ok(report) = read.verify(&VerifyOptions::default()) {
            {
                assert!(
                    !report.is_valid(),
                    "byte {i} flipped still verifies: {report}"
                );
                parsed_but_invalid += 1;
            }
        }
    }
    assert!(parsed_but_invalid > der.len() / 2, "{parsed_but_invalid}");
}

/// Change each field through the typed structure and re-encode, keeping the old signature.
#[test]
fn tampering_each_field_breaks_verification() {
    let (_, sr) = signed(&SignOptions::default());
    let (_, other_cert) = key_and_cert();
    type Mutation = Box<dyn Fn(&mut SystemRegister)>;
    let mutations: Vec<(&str, Mutation)> = vec![
        (
            "header.id",
            Box::new(|s| {
                s.register_info.header.id = der::asn1::Ia5String::new("BJCARegisterInfX").unwrap()
            }),
        ),
        (
            "header.version",
            Box::new(|s| s.register_info.header.version = 2),
        ),
        (
            "header.vid",
            Box::new(|s| s.register_info.header.vid = der::asn1::Ia5String::new("BJCB").unwrap()),
        ),
        (
            "systemType",
            Box::new(|s| s.register_info.system_info.system_type = 2),
        ),
        (
            "serviceAddress",
            Box::new(|s| {
                s.register_info.system_info.service_address =
                    der::asn1::OctetString::new(b"https://evil.example/".to_vec()).unwrap()
            }),
        ),
        (
            "orgCode",
            Box::new(|s| {
                s.register_info.system_info.org_code = der::asn1::Ia5String::new(SUB_ORG).unwrap()
            }),
        ),
        (
            "orgName",
            Box::new(|s| s.register_info.system_info.org_name.push('x')),
        ),
        (
            "sub.orgCode",
            Box::new(|s| {
                s.register_info.sub_system_info.as_mut().unwrap().org_code =
                    der::asn1::Ia5String::new(UPPER_ORG).unwrap()
            }),
        ),
        (
            "sub.orgName",
            Box::new(|s| {
                s.register_info.sub_system_info.as_mut().unwrap().org_name = "另一个".into()
            }),
        ),
        (
            "sub removed",
            Box::new(|s| s.register_info.sub_system_info = None),
        ),
        (
            "systemCert",
            Box::new(move |s| {
                s.register_info.system_info.system_cert =
                    der::asn1::OctetString::new(other_cert.clone()).unwrap()
            }),
        ),
        (
            "signatureAlgorithm",
            Box::new(|s| s.sign_info.signature_algorithm = gmseal_sm2::oid::SM2_WITH_SHA256),
        ),
        (
            "signValue",
            Box::new(|s| {
                let mut b = s.sign_info.sign_value.raw_bytes().to_vec();
                let n = b.len();
                b[n - 1] ^= 1;
                s.sign_info.sign_value = der::asn1::BitString::from_bytes(&b).unwrap();
            }),
        ),
    ];
    for (name, mutate) in mutations {
        let mut t = sr.clone();
        mutate(&mut t);
        let read = ReadSystemRegister::read(
            &t.to_der().unwrap(),
            &ReadOptions {
                strictness: Strictness::Lenient,
                ..ReadOptions::default()
            },
        )
        .unwrap();
        let report = read.verify(&VerifyOptions::default()).unwrap();
        assert!(!report.is_valid(), "{name}: still valid\n{report}");
    }
}

#[test]
fn malformed_input_names_the_part() {
    let (_, sr) = signed(&SignOptions::default());
    let der = sr.to_der().unwrap();
    // truncation
    let err = ReadSystemRegister::read(&der[..der.len() - 3], &ReadOptions::default()).unwrap_err();
    assert!(matches!(err, Error::Asn1 { .. }), "{err}");
    // trailing byte
    let mut t = der.clone();
    t.push(0);
    assert!(ReadSystemRegister::read(&t, &ReadOptions::default()).is_err());
    // not DER, not base64
    let err = ReadSystemRegister::read(b"hello world!", &ReadOptions::default()).unwrap_err();
    assert_eq!(err.field(), Some("SystemRegister"));
    // header.version as a non-minimal INTEGER (02 02 00 01): names the header
    let mut info = sr.register_info.clone();
    info.header.version = 1;
    let mut bad = der.clone();
    let pos = bad
        .windows(3)
        .position(|w| w == [0x02, 0x01, 0x01])
        .unwrap();
    bad.splice(pos..pos + 3, [0x02, 0x02, 0x00, 0x01]);
    // lengths of enclosing structures are now off by one: still an error naming a part
    assert!(ReadSystemRegister::read(&bad, &ReadOptions::default()).is_err());
    // too large
    let err = ReadSystemRegister::read(&vec![0x30; 2 << 20], &ReadOptions::default()).unwrap_err();
    assert!(matches!(err, Error::TooLarge { .. }));
}

/// openssl asn1parse shows the structure; openssl pkeyutl verifies the signature over the bytes
/// of registerInfo that asn1parse locates (not our parser).
#[test]
fn openssl_parses_and_verifies() {
    let Some(_) = oracle("openssl") else { return };
    let (key, sr) = signed(&SignOptions::default());
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let der = sr.to_der().unwrap();
    std::fs::write(d.join("sr.der"), &der).unwrap();
    std::fs::write(
        d.join("pub.pem"),
        gmseal_sm2::key::public_key_to_pem(&key.public_key()),
    )
    .unwrap();
    let out = run(Command::new("openssl").current_dir(d).args([
        "asn1parse",
        "-inform",
        "DER",
        "-in",
        "sr.der",
    ]));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<Element> = text.lines().map(parse_asn1parse_line).collect();
    let kinds: Vec<(u32, &str)> = lines.iter().map(|e| (e.depth, e.kind.as_str())).collect();
    assert_eq!(
        kinds,
        vec![
            (0, "SEQUENCE"),
            (1, "SEQUENCE"),
            (2, "SEQUENCE"),
            (3, "IA5STRING"),
            (3, "INTEGER"),
            (3, "IA5STRING"),
            (2, "SEQUENCE"),
            (3, "INTEGER"),
            (3, "OCTET STRING"),
            (3, "OCTET STRING"),
            (3, "IA5STRING"),
            (3, "UTF8STRING"),
            (2, "SEQUENCE"),
            (3, "IA5STRING"),
            (3, "UTF8STRING"),
            (1, "SEQUENCE"),
            (2, "OBJECT"),
            (2, "BIT STRING"),
        ],
        "{text}"
    );
    assert!(text.contains(":BJCARegisterInfo"), "{text}");
    assert!(
        text.contains(":1.2.156.10197.1.501") || text.contains(":SM2-with-SM3"),
        "{text}"
    );
    // registerInfo = element 1; signature = last element minus the unused-bits octet
    let ri = &lines[1];
    std::fs::write(
        d.join("ri.der"),
        &der[ri.offset..ri.offset + ri.header + ri.len],
    )
    .unwrap();
    let bs = lines.last().unwrap();
    let bits = &der[bs.offset + bs.header..bs.offset + bs.header + bs.len];
    assert_eq!(bits[0], 0, "unused-bits octet");
    std::fs::write(d.join("sig.der"), &bits[1..]).unwrap();
    let out = run(Command::new("openssl").current_dir(d).args([
        "pkeyutl",
        "-verify",
        "-pubin",
        "-inkey",
        "pub.pem",
        "-rawin",
        "-digest",
        "sm3",
        "-pkeyopt",
        "distid:1234567812345678",
        "-in",
        "ri.der",
        "-sigfile",
        "sig.der",
    ]));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Signature Verified Successfully"));
    // and a tampered registerInfo does not verify in openssl either
    let mut ri_bad = std::fs::read(d.join("ri.der")).unwrap();
    let n = ri_bad.len();
    ri_bad[n - 1] ^= 1;
    std::fs::write(d.join("ri_bad.der"), ri_bad).unwrap();
    let out = gmseal_testkit::run_any(Command::new("openssl").current_dir(d).args([
        "pkeyutl",
        "-verify",
        "-pubin",
        "-inkey",
        "pub.pem",
        "-rawin",
        "-digest",
        "sm3",
        "-pkeyopt",
        "distid:1234567812345678",
        "-in",
        "ri_bad.der",
        "-sigfile",
        "sig.der",
    ]));
    assert!(!out.status.success());
}

/// openssl makes the system key and certificate; we sign with its key; openssl checks.
#[test]
fn openssl_certificate_and_key() {
    let Some(_) = oracle("openssl") else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    run(Command::new("openssl").current_dir(d).args([
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:SM2",
        "-out",
        "key.pem",
    ]));
    run(Command::new("openssl").current_dir(d).args([
        "req",
        "-new",
        "-x509",
        "-key",
        "key.pem",
        "-sm3",
        "-sigopt",
        "distid:1234567812345678",
        "-subj",
        "/CN=Platform/O=gmseal",
        "-days",
        "30",
        "-addext",
        "keyUsage=critical,digitalSignature,nonRepudiation",
        "-outform",
        "DER",
        "-out",
        "cert.der",
    ]));
    let key = gmseal_sm2::SoftwareSigner::from_pem_or_der(
        &std::fs::read(d.join("key.pem")).unwrap(),
        None,
    )
    .unwrap();
    let cert = std::fs::read(d.join("cert.der")).unwrap();
    let sr = SystemRegister::sign(register_info(cert), &key, &SignOptions::default()).unwrap();
    let read = ReadSystemRegister::read(&sr.to_der().unwrap(), &ReadOptions::default()).unwrap();
    let report = read.verify(&VerifyOptions::default()).unwrap();
    assert!(report.is_valid(), "{report}");
    assert_eq!(
        report.report.check("systemCert.keyUsage").unwrap().outcome,
        Outcome::Pass
    );
    std::fs::write(d.join("ri.der"), &read.register_info_tlv).unwrap();
    std::fs::write(
        d.join("sig.der"),
        sr.sign_info.sign_value.as_bytes().unwrap(),
    )
    .unwrap();
    run(Command::new("openssl").current_dir(d).args([
        "pkeyutl",
        "-verify",
        "-certin",
        "-inkey",
        "cert.der",
        "-keyform",
        "DER",
        "-rawin",
        "-digest",
        "sm3",
        "-pkeyopt",
        "distid:1234567812345678",
        "-in",
        "ri.der",
        "-sigfile",
        "sig.der",
    ]));
}

struct Element {
    offset: usize,
    depth: u32,
    header: usize,
    len: usize,
    kind: String,
}

/// `    4:d=1  hl=4 l= 700 cons: SEQUENCE`
fn parse_asn1parse_line(line: &str) -> Element {
    let (off, rest) = line.split_once(":d=").unwrap();
    let (depth, rest) = rest.split_once("hl=").unwrap();
    let (hl, rest) = rest.split_once("l=").unwrap();
    let (l, rest) = rest.trim_start().split_once(' ').unwrap();
    // "cons: SEQUENCE", "prim: OCTET STRING      [HEX DUMP]:...", "prim: IA5STRING   :text"
    let after = rest.split_once(':').unwrap().1.trim_start();
    let kind = after
        .split("  ")
        .next()
        .unwrap()
        .split(" :")
        .next()
        .unwrap()
        .trim()
        .to_string();
    Element {
        offset: off.trim().parse().unwrap(),
        depth: depth.trim().parse().unwrap(),
        header: hl.trim().parse().unwrap(),
        len: l.trim().parse().unwrap(),
        kind,
    }
}

/// R11: BER (an indefinite length on the outer SEQUENCE and on registerInfo) is refused in
/// strict mode and read in lenient mode, reported; the signature is checked over registerInfo
/// as received.
#[test]
fn ber_is_lenient_only() {
    let (_, sr) = signed(&SignOptions::default());
    let der = sr.to_der().unwrap();
    // re-encode: 30 80 <registerInfo as 30 80 ... 00 00> <signInfo> 00 00
    let read = ReadSystemRegister::read(&der, &ReadOptions::default()).unwrap();
    let ri = &read.register_info_tlv;
    let ri_hl = if ri[1] & 0x80 != 0 {
        2 + (ri[1] & 0x7F) as usize
    } else {
        2
    };
    let mut ber_ri = vec![0x30, 0x80];
    ber_ri.extend_from_slice(&ri[ri_hl..]);
    ber_ri.extend_from_slice(&[0, 0]);
    let sign_info = der::Encode::to_der(&sr.sign_info).unwrap();
    let mut ber = vec![0x30, 0x80];
    ber.extend_from_slice(&ber_ri);
    ber.extend_from_slice(&sign_info);
    ber.extend_from_slice(&[0, 0]);
    assert!(ReadSystemRegister::read(&ber, &ReadOptions::default()).is_err());
    let lenient = ReadOptions {
        strictness: Strictness::Lenient,
        ..ReadOptions::default()
    };
    let read = ReadSystemRegister::read(&ber, &lenient).unwrap();
    assert_eq!(read.package, sr);
    assert!(
        read.deviations
            .iter()
            .any(|d| d.kind == gmseal_register::DeviationKind::BerEncoding)
    );
    // signed over the DER of registerInfo: verified over the DER re-encoding, reported
    let report = read
        .verify(&VerifyOptions {
            strictness: Strictness::Lenient,
            ..VerifyOptions::default()
        })
        .unwrap();
    assert!(report.is_valid(), "{report}");
    assert_eq!(
        report
            .report
            .check("signingInput.encoding")
            .unwrap()
            .outcome,
        Outcome::Warn
    );
    assert_ne!(
        read.register_info_tlv,
        read.register_info_der.clone().unwrap()
    );
    // the contents-only input does not verify (the signature covers the whole TLV)
    let report = read
        .verify(&VerifyOptions {
            strictness: Strictness::Lenient,
            signing_input: InputPolicy::Exactly(RegisterSigningInput::RegisterInfoContents),
            ..VerifyOptions::default()
        })
        .unwrap();
    assert_eq!(
        report.report.check("signature").unwrap().outcome,
        Outcome::Fail
    );
}

/// R5 and R10: PEM armour around the package and a base64 certificate are lenient-only.
#[test]
fn pem_container_and_text_certificate_are_lenient_only() {
    let (key, cert) = key_and_cert();
    let sr =
        SystemRegister::sign(register_info(cert.clone()), &key, &SignOptions::default()).unwrap();
    let pem = gmseal_sm2::key::pem_encode("SYSTEM REGISTER", &sr.to_der().unwrap());
    let err = ReadSystemRegister::read(pem.as_bytes(), &ReadOptions::default()).unwrap_err();
    assert_eq!(err.field(), Some("SystemRegister"));
    let lenient = ReadOptions {
        strictness: Strictness::Lenient,
        ..ReadOptions::default()
    };
    let read = ReadSystemRegister::read(pem.as_bytes(), &lenient).unwrap();
    assert_eq!(read.container, Container::Pem);
    assert!(read.verify(&VerifyOptions::default()).unwrap().is_valid());

    // a package whose systemCert holds base64 text (signed as such)
    let mut info = register_info(cert.clone());
    info.system_info.system_cert =
        der::asn1::OctetString::new(gmseal_register::base64::encode(&cert).into_bytes()).unwrap();
    let tlv = der::Encode::to_der(&info).unwrap();
    let sig = gmseal_sm2::Sm2SignerExt::sign_message_encoded(
        &key,
        &gmseal_sm2::DistId::default(),
        &tlv,
        SignatureFormat::Der,
    )
    .unwrap();
    let sr = SystemRegister {
        register_info: info,
        sign_info: BjcaSignInfo {
            signature_algorithm: gmseal_sm2::oid::SM2_WITH_SM3,
            sign_value: der::asn1::BitString::from_bytes(&sig).unwrap(),
        },
    };
    let read = ReadSystemRegister::read(&sr.to_der().unwrap(), &ReadOptions::default()).unwrap();
    let err = read.verify(&VerifyOptions::default()).unwrap_err();
    assert_eq!(err.field(), Some("registerInfo.systemInfo.systemCert"));
    let report = read
        .verify(&VerifyOptions {
            strictness: Strictness::Lenient,
            ..VerifyOptions::default()
        })
        .unwrap();
    assert!(report.is_valid(), "{report}");
    assert_eq!(report.report.deviations.len(), 1);
}

/// R3 and R4: another SM2 ID must be configured to verify; an unknown algorithm OID is a
/// failure unless listed.
#[test]
fn distinguishing_id_and_algorithm_aliases() {
    let id = gmseal_sm2::DistId::new(b"registration".to_vec()).unwrap();
    let (_, sr) = signed(&SignOptions {
        dist_id: id.clone(),
        ..SignOptions::default()
    });
    let read = ReadSystemRegister::read(&sr.to_der().unwrap(), &ReadOptions::default()).unwrap();
    assert!(!read.verify(&VerifyOptions::default()).unwrap().is_valid());
    assert!(
        read.verify(&VerifyOptions {
            dist_id: id,
            ..VerifyOptions::default()
        })
        .unwrap()
        .is_valid()
    );

    let (_, mut sr) = signed(&SignOptions::default());
    sr.sign_info.signature_algorithm = gmseal_sm2::oid::SM2_SIGN;
    let read = ReadSystemRegister::read(&sr.to_der().unwrap(), &ReadOptions::default()).unwrap();
    let report = read.verify(&VerifyOptions::default()).unwrap();
    assert_eq!(
        report.report.check("signatureAlgorithm").unwrap().outcome,
        Outcome::Fail
    );
    let report = read
        .verify(&VerifyOptions {
            extra_algorithms: vec![gmseal_sm2::oid::SM2_SIGN],
            ..VerifyOptions::default()
        })
        .unwrap();
    assert!(report.is_valid(), "{report}");
    assert_eq!(
        report.report.check("signatureAlgorithm").unwrap().outcome,
        Outcome::Warn
    );
}

/// `systemCert`'s chain through gmseal-cert: trusted with the right anchor, untrusted with
/// another root or when revoked, indeterminate without the intermediate; skipped unless asked.
#[test]
fn system_certificate_chain() {
    use gmseal_cert::profile::Role;
    use gmseal_cert::{ChainOptions, Problem, Verdict};
    use gmseal_testkit::pki::{CrlReason, TestPki, date};

    let pki = TestPki::shared();
    let system = pki.leaf(Role::System, "Provincial seal platform");
    let sr = SystemRegister::sign(
        register_info(system.der()),
        &system.key,
        &SignOptions::default(),
    )
    .unwrap();
    let read = ReadSystemRegister::read(&sr.to_der().unwrap(), &ReadOptions::default()).unwrap();
    let at = ChainOptions::at(date(2026, 6, 1));
    let chain_check = |r: &RegisterReport| {
        r.report
            .checks
            .iter()
            .find(|c| c.what == "systemCert.chain")
            .cloned()
            .unwrap()
    };

    // Not asked: skipped, and the package is still valid.
    let report = read.verify(&VerifyOptions::default()).unwrap();
    assert!(report.is_valid(), "{report}");
    assert_eq!(chain_check(&report).outcome, Outcome::Skipped);
    assert!(report.chain.is_none());

    // The right anchor: trusted, the path in the report.
    let store = pki.store();
    let report = read
        .verify(&VerifyOptions::default().with_chain(&store, at.clone()))
        .unwrap();
    assert!(report.is_valid(), "{report}");
    assert_eq!(chain_check(&report).outcome, Outcome::Pass);
    let chain = report.chain.as_ref().unwrap();
    assert!(chain.is_trusted());
    assert_eq!(chain.path.len(), 3);
    assert!(
        report.to_string().contains("gmseal test sub CA"),
        "{report}"
    );

    // Another root (which also holds our chain as untrusted intermediates): untrusted, and the
    // package no longer valid although its signature verifies.
    let other = TestPki::named("other");
    let mut store = other.store();
    store.add_intermediate(pki.sub.cert.clone()).unwrap();
    store.add_intermediate(pki.root.cert.clone()).unwrap();
    let report = read
        .verify(&VerifyOptions::default().with_chain(&store, at.clone()))
        .unwrap();
    assert!(!report.is_valid());
    assert_eq!(chain_check(&report).outcome, Outcome::Fail);
    assert!(matches!(
        report.chain.as_ref().unwrap().verdict,
        Verdict::Untrusted {
            problem: Problem::UntrustedRoot { .. },
            ..
        }
    ));
    assert!(
        report
            .report
            .checks
            .iter()
            .any(|c| c.what == "signature" && c.outcome == Outcome::Pass)
    );

    // Without the intermediate: indeterminate, a failed check too.
    let mut store = gmseal_cert::TrustStore::new();
    store.add_anchor(pki.root.cert.clone()).unwrap();
    let report = read
        .verify(&VerifyOptions::default().with_chain(&store, at.clone()))
        .unwrap();
    assert!(!report.is_valid());
    assert!(chain_check(&report).why.starts_with("indeterminate"));

    // Revoked before the validation time: untrusted, with the date and reason.
    let store = pki.store_with_crl(&[(
        &system.cert,
        date(2026, 3, 1),
        Some(CrlReason::PrivilegeWithdrawn),
    )]);
    let report = read
        .verify(&VerifyOptions::default().with_chain(&store, at.clone()))
        .unwrap();
    assert!(!report.is_valid());
    let why = chain_check(&report).why;
    assert!(why.contains("revoked on 2026-03-01"), "{why}");
    assert!(why.contains("PrivilegeWithdrawn"), "{why}");
    // ... revoked after it: trusted at that time.
    let report = read
        .verify(&VerifyOptions::default().with_chain(&store, ChainOptions::at(date(2026, 2, 1))))
        .unwrap();
    assert!(report.is_valid(), "{report}");
}
