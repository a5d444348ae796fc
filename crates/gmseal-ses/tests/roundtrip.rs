//! Make seals and seal signatures of every version, decode them again, re-encode them, and
//! verify them: each step passes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod pki {
    include!("common/pki.rs");
}

use der::{DateTime, Decode, Encode};
use gmseal_ses::verify::{
    CertChainVerifier, NotPerformed, Outcome, SignedContent, Step, Verdict, VerifyOptions, verify,
    verify_seal,
};
use gmseal_ses::{
    BoxError, Deviation, Seal, SealSignature, SealStructure, SesVersion, SignatureBuilder,
    SignatureStructure, Strictness, v1, v4,
};
use gmseal_sm2::SignatureFormat;

const VERSIONS: [SesVersion; 3] = [SesVersion::V1, SesVersion::V4, SesVersion::V5];

fn at() -> DateTime {
    DateTime::new(2026, 6, 1, 8, 30, 0).unwrap()
}

fn sign(seal: &Seal, data: &[u8]) -> SealSignature {
    let (key, cert) = pki::holder();
    SignatureBuilder::new(seal, cert)
        .data(data)
        .time(at())
        .property_info("/Doc_0/Signs/Sign_0/Signature.xml")
        .sign(&key)
        .unwrap()
}

#[test]
fn seals_round_trip_and_verify() {
    for version in VERSIONS {
        let seal = pki::sample_seal(version);
        assert_eq!(seal.version(), version);
        assert_eq!(seal.header().version, version.header_version());
        // decode again: same structure; re-encode: same bytes
        let again = Seal::from_der(seal.as_der()).unwrap();
        assert_eq!(again, seal);
        let reencoded = match seal.structure() {
            SealStructure::V1(s) => s.to_der().unwrap(),
            SealStructure::V4(s) => s.to_der().unwrap(),
        };
        assert_eq!(reencoded, seal.as_der(), "{version}");
        assert_eq!(seal.name(), "gmseal 测试专用章");
        assert_eq!(seal.es_id(), "3301020000001");
        let report = verify_seal(&seal, Some(at()), &VerifyOptions::default());
        assert_eq!(
            report.outcome(Step::MakerSignature),
            Some(&Outcome::Passed),
            "{report}"
        );
        assert_eq!(
            report.outcome(Step::MakerCertificate),
            Some(&Outcome::Passed),
            "{report}"
        );
        assert_eq!(
            report.outcome(Step::SealValidity),
            Some(&Outcome::Passed),
            "{report}"
        );
    }
}

#[test]
fn signatures_round_trip_and_verify() {
    let data = b"document bytes";
    for version in VERSIONS {
        let seal = pki::sample_seal(version);
        let sig = sign(&seal, data);
        assert_eq!(sig.version(), version);
        let again = SealSignature::from_der(sig.as_der()).unwrap();
        assert_eq!(again, sig);
        let reencoded = match sig.structure() {
            SignatureStructure::V1(s) => s.to_der().unwrap(),
            SignatureStructure::V4(s) => s.to_der().unwrap(),
        };
        assert_eq!(reencoded, sig.as_der(), "{version}");
        assert_eq!(sig.seal().as_der(), seal.as_der());
        assert_eq!(sig.signing_time().unwrap().0, at());

        let report = verify(&sig, SignedContent::Bytes(data), &VerifyOptions::default());
        for c in &report.checks {
            match c.step {
                Step::SignerChain | Step::MakerChain => assert_eq!(
                    c.outcome,
                    Outcome::NotPerformed(NotPerformed::NoTrustAnchors)
                ),
                Step::Timestamp | Step::SealTimestamp => {
                    assert_eq!(c.outcome, Outcome::NotApplicable)
                }
                _ => assert_eq!(c.outcome, Outcome::Passed, "{version} {report}"),
            }
        }
        assert_eq!(report.verdict, Verdict::Indeterminate);
        assert!(report.deviations.is_empty());

        let store = pki::store();
        let chain = CertChainVerifier::new(&store, gmseal_cert::ChainOptions::default());
        let options = VerifyOptions::default().with_chain_verifier(&chain);
        let report = verify(&sig, SignedContent::Bytes(data), &options);
        assert_eq!(report.verdict, Verdict::Valid, "{report}");
        assert_eq!(report.signer_chain.as_ref().unwrap().path.len(), 3);
        assert_eq!(report.maker_chain.as_ref().unwrap().path.len(), 3);
    }
}

#[test]
fn typed_structures_decode_separately() {
    let seal = pki::sample_seal(SesVersion::V4);
    let sig = sign(&seal, b"x");
    let typed = v4::SesSignature::from_der(sig.as_der()).unwrap();
    assert_eq!(typed.to_sign.to_der().unwrap(), sig.tbs_der());
    assert_eq!(
        typed.to_sign.eseal.e_seal_info.to_der().unwrap(),
        seal.maker_signed_bytes()
    );
    let seal1 = pki::sample_seal(SesVersion::V1);
    let typed = v1::SesSeal::from_der(seal1.as_der()).unwrap();
    assert_eq!(typed.eseal_info.header.version, 1);
}

#[test]
fn raw_signature_values() {
    let data = b"raw";
    let seal = pki::sample_builder(SesVersion::V4)
        .signature_format(SignatureFormat::Raw)
        .sign(&pki::maker().0)
        .unwrap();
    assert_eq!(seal.maker_signature().len(), 64);
    let (key, cert) = pki::holder();
    let sig = SignatureBuilder::new(&seal, cert)
        .data(data)
        .time(at())
        .signature_format(SignatureFormat::Raw)
        .sign(&key)
        .unwrap();
    assert_eq!(sig.signature_value().len(), 64);
    // strict: refused, as a finding (the signature is well-formed ASN.1 but not DER SEQUENCE{r,s})
    let strict = verify(&sig, SignedContent::Bytes(data), &VerifyOptions::strict());
    assert!(matches!(
        strict.outcome(Step::SignerSignature),
        Some(Outcome::Failed(
            gmseal_ses::verify::Finding::SignatureEncoding(_)
        ))
    ));
    assert_eq!(strict.verdict, Verdict::Invalid);
    // lenient: accepted and reported, for both signatures
    let lenient = verify(&sig, SignedContent::Bytes(data), &VerifyOptions::lenient());
    assert_eq!(
        lenient.outcome(Step::SignerSignature),
        Some(&Outcome::Passed)
    );
    assert_eq!(
        lenient.outcome(Step::MakerSignature),
        Some(&Outcome::Passed)
    );
    assert_eq!(lenient.deviations.len(), 2, "{lenient}");
    assert!(
        lenient
            .deviations
            .iter()
            .all(|d| matches!(d, Deviation::SignatureEncoding { .. }))
    );
}

#[test]
fn timestamp_is_kept_and_reported() {
    let seal = pki::sample_seal(SesVersion::V4);
    let (key, cert) = pki::holder();
    let token = b"\x30\x03\x02\x01\x01".to_vec();
    let expected = token.clone();
    let source = move |value: &[u8]| -> Result<Vec<u8>, BoxError> {
        assert!(value.len() >= 70);
        Ok(token.clone())
    };
    let sig = SignatureBuilder::new(&seal, cert)
        .data(b"d")
        .time(at())
        .timestamper(&source)
        .sign(&key)
        .unwrap();
    assert_eq!(sig.time_stamp(), Some(expected.as_slice()));
    let report = verify(&sig, SignedContent::Bytes(b"d"), &VerifyOptions::default());
    assert_eq!(
        report.outcome(Step::Timestamp),
        Some(&Outcome::NotPerformed(NotPerformed::TimestampNotVerified))
    );
    assert_eq!(
        report.outcome(Step::Timestamp).unwrap().to_string(),
        "not performed: present, not verified"
    );
    // v1 has no timestamp field
    let seal1 = pki::sample_seal(SesVersion::V1);
    let (key, cert) = pki::holder();
    let err = SignatureBuilder::new(&seal1, cert)
        .data(b"d")
        .timestamper(&source)
        .sign(&key);
    assert!(matches!(err, Err(gmseal_ses::Error::NotInVersion { .. })));
}

#[test]
fn v5_seal_timestamp() {
    let token = b"\x30\x03\x02\x01\x05".to_vec();
    let t = token.clone();
    let source = move |_: &[u8]| -> Result<Vec<u8>, BoxError> { Ok(t.clone()) };
    let seal = pki::sample_builder(SesVersion::V5)
        .sign_with_timestamp(&pki::maker().0, Some(&source))
        .unwrap();
    assert_eq!(seal.time_stamp(), Some(token.as_slice()));
    let sig = sign(&seal, b"x");
    let report = verify(&sig, SignedContent::Bytes(b"x"), &VerifyOptions::default());
    assert_eq!(
        report.outcome(Step::SealTimestamp),
        Some(&Outcome::NotPerformed(NotPerformed::TimestampNotVerified))
    );
    assert_eq!(report.outcome(Step::MakerSignature), Some(&Outcome::Passed));
    // not in v4
    let err =
        pki::sample_builder(SesVersion::V4).sign_with_timestamp(&pki::maker().0, Some(&source));
    assert!(matches!(err, Err(gmseal_ses::Error::NotInVersion { .. })));
}

#[test]
fn streaming_data_and_digest_cert_list() {
    let (_, holder_cert) = pki::holder();
    let seal = gmseal_ses::SealBuilder::new("E1", "digest seal", pki::maker().1)
        .holder_certificate_sm3(&holder_cert)
        .validity(
            DateTime::new(2025, 1, 1, 0, 0, 0).unwrap(),
            DateTime::new(2030, 1, 1, 0, 0, 0).unwrap(),
        )
        .picture(
            "svg",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>".to_vec(),
            30,
            30,
        )
        .sign(&pki::maker().0)
        .unwrap();
    assert!(
        matches!(seal.holder_certificates(), gmseal_ses::HolderCertificates::Digests(d) if d.len() == 1)
    );
    let data = vec![7u8; 300_000];
    let (key, cert) = pki::holder();
    let sig = SignatureBuilder::new(&seal, cert)
        .data_reader(std::io::Cursor::new(&data))
        .unwrap()
        .time(at())
        .sign(&key)
        .unwrap();
    let content = SignedContent::sm3_reader(std::io::Cursor::new(&data)).unwrap();
    let report = verify(&sig, content, &VerifyOptions::default());
    assert_eq!(
        report.outcome(Step::SignerBinding),
        Some(&Outcome::Passed),
        "{report}"
    );
    assert_eq!(report.outcome(Step::DataHash), Some(&Outcome::Passed));
    assert_eq!(
        seal.picture().sniffed,
        gmseal_ses::picture::PictureFormat::Svg
    );
    // v1 has no digest list
    let err = gmseal_ses::SealBuilder::new("E1", "d", pki::maker().1)
        .version(SesVersion::V1)
        .holder_certificate_sm3(&holder_cert)
        .validity(
            DateTime::new(2025, 1, 1, 0, 0, 0).unwrap(),
            DateTime::new(2030, 1, 1, 0, 0, 0).unwrap(),
        )
        .picture("PNG", pki::png(), 30, 30)
        .sign(&pki::maker().0);
    assert!(matches!(err, Err(gmseal_ses::Error::NotInVersion { .. })));
}

#[test]
fn lenient_decode_is_not_needed_for_our_output() {
    for version in VERSIONS {
        let sig = sign(&pki::sample_seal(version), b"q");
        let lenient = SealSignature::from_der_with(sig.as_der(), Strictness::Lenient).unwrap();
        assert!(lenient.deviations().is_empty());
    }
}

#[test]
fn public_types_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<gmseal_ses::Error>();
    check::<Seal>();
    check::<SealSignature>();
    check::<gmseal_ses::verify::VerifyReport>();
    check::<gmseal_ses::SealBuilder>();
}
