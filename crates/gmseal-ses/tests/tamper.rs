//! Negative tests: each tampering is caught by the step that should catch it, and only by the
//! steps that depend on what was changed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod pki {
    include!("common/pki.rs");
}

use der::asn1::{BitString, Ia5String, PrintableString, UtcTime};
use der::{DateTime, Decode, Encode};
use gmseal_ses::verify::{
    Finding, Outcome, SignedContent, Step, Verdict, VerifyOptions, verify, verify_der,
};
use gmseal_ses::{
    CertRole, Deviation, Error, Seal, SealSignature, SesString, SesVersion, SignatureBuilder,
    Strictness, time::SesTime, v1, v4,
};
use gmseal_sm2::{DistId, SignatureFormat, Sm2SignerExt};
use pki::{LeafSpec, holder, leaf_with, maker, sample_builder, sample_seal};

fn at() -> DateTime {
    DateTime::new(2026, 6, 1, 8, 30, 0).unwrap()
}

fn sign_at(seal: &Seal, data: &[u8], time: DateTime) -> SealSignature {
    let (key, cert) = holder();
    SignatureBuilder::new(seal, cert)
        .data(data)
        .time(time)
        .sign(&key)
        .unwrap()
}

fn failed(report: &gmseal_ses::verify::VerifyReport) -> Vec<Step> {
    report.failures().into_iter().map(|(s, _)| s).collect()
}

/// Re-sign a modified v4 seal structure as the maker (so only what we changed differs).
fn resign_v4(mut seal: v4::SesSeal) -> Vec<u8> {
    let info = seal.e_seal_info.to_der().unwrap();
    let sig = maker()
        .0
        .sign_message_encoded(&DistId::default(), &info, SignatureFormat::Der)
        .unwrap();
    seal.signed_value = BitString::from_bytes(&sig).unwrap();
    seal.to_der().unwrap()
}

fn v4_structure() -> v4::SesSeal {
    v4::SesSeal::from_der(sample_seal(SesVersion::V4).as_der()).unwrap()
}

#[test]
fn maker_signature_tampered() {
    for version in [SesVersion::V1, SesVersion::V4, SesVersion::V5] {
        let seal = sample_seal(version);
        // change one byte of the picture, then sign the changed seal legitimately as holder:
        // only the maker's signature is broken
        let mut der = seal.as_der().to_vec();
        let pos = der.windows(4).position(|w| w == b"IHDR").unwrap();
        der[pos] ^= 1;
        let changed = Seal::from_der(&der).unwrap();
        let sig = sign_at(&changed, b"d", at());
        let report = verify(&sig, SignedContent::Bytes(b"d"), &VerifyOptions::default());
        assert_eq!(
            failed(&report),
            vec![Step::MakerSignature],
            "{version} {report}"
        );
        assert_eq!(
            report.outcome(Step::MakerSignature),
            Some(&Outcome::Failed(Finding::SignatureInvalid))
        );
        assert_eq!(report.verdict, Verdict::Tampered);
    }
}

#[test]
fn signer_signature_tampered() {
    for version in [SesVersion::V1, SesVersion::V4] {
        let sig = sign_at(&sample_seal(version), b"d", at());
        // the last byte of the DER signature value is the last byte of s
        let mut der = sig.as_der().to_vec();
        let value = sig.signature_value();
        let pos = der.windows(value.len()).rposition(|w| w == value).unwrap() + value.len() - 1;
        der[pos] ^= 0x01;
        let report =
            verify_der(&der, SignedContent::Bytes(b"d"), &VerifyOptions::default()).unwrap();
        assert_eq!(failed(&report), vec![Step::SignerSignature], "{report}");
        assert_eq!(report.verdict, Verdict::Tampered);
        // and any change inside TBS_Sign (here: propertyInfo) breaks it too
        let (key, cert) = holder();
        let sig = SignatureBuilder::new(&sample_seal(version), cert)
            .data(b"d")
            .time(at())
            .property_info("/Doc_0/Signs/Sign_0/Signature.xml")
            .sign(&key)
            .unwrap();
        let mut der = sig.as_der().to_vec();
        let pos = der.windows(6).position(|w| w == b"Sign_0").unwrap();
        der[pos + 5] = b'1';
        let report =
            verify_der(&der, SignedContent::Bytes(b"d"), &VerifyOptions::default()).unwrap();
        assert_eq!(failed(&report), vec![Step::SignerSignature], "{report}");
    }
}

#[test]
fn data_hash_mismatch() {
    let sig = sign_at(&sample_seal(SesVersion::V4), b"original", at());
    let report = verify(
        &sig,
        SignedContent::Bytes(b"changed"),
        &VerifyOptions::default(),
    );
    assert_eq!(failed(&report), vec![Step::DataHash]);
    assert_eq!(report.verdict, Verdict::Tampered);
    let report = verify(&sig, SignedContent::NotGiven, &VerifyOptions::default());
    assert!(matches!(
        report.outcome(Step::DataHash),
        Some(Outcome::NotPerformed(_))
    ));
}

#[test]
fn expired_seal() {
    let seal = sample_seal(SesVersion::V4); // valid 2025..2030
    for t in [
        DateTime::new(2031, 1, 1, 0, 0, 0).unwrap(),
        DateTime::new(2024, 12, 31, 23, 59, 59).unwrap(),
    ] {
        let sig = sign_at(&seal, b"d", t);
        let report = verify(&sig, SignedContent::Bytes(b"d"), &VerifyOptions::default());
        assert_eq!(failed(&report), vec![Step::SealValidity], "{report}");
        assert_eq!(report.verdict, Verdict::Invalid);
    }
}

#[test]
fn signer_certificate_expired_or_not_for_signing() {
    let seal = sample_seal(SesVersion::V4);
    let mut spec = LeafSpec::new(0x44); // the holder's key, so binding still fails separately
    spec.not_after = DateTime::new(2026, 1, 1, 0, 0, 0).unwrap();
    let (key, cert) = leaf_with("gmseal seal holder", spec);
    let sig = SignatureBuilder::new(&seal, cert)
        .data(b"d")
        .time(at())
        .sign(&key)
        .unwrap();
    let report = verify(&sig, SignedContent::Bytes(b"d"), &VerifyOptions::default());
    assert!(matches!(
        report.outcome(Step::SignerCertificate),
        Some(Outcome::Failed(Finding::CertificateNotValidAt { .. }))
    ));
    assert_eq!(
        failed(&report),
        vec![Step::SignerCertificate, Step::SignerBinding]
    );

    let mut spec = LeafSpec::new(0x44);
    spec.digital_signature = false;
    let (key, cert) = leaf_with("gmseal seal holder", spec);
    let seal = sample_builder(SesVersion::V4)
        .holder_certificate(cert.clone())
        .sign(&maker().0)
        .unwrap();
    let sig = SignatureBuilder::new(&seal, cert)
        .data(b"d")
        .time(at())
        .sign(&key)
        .unwrap();
    let report = verify(&sig, SignedContent::Bytes(b"d"), &VerifyOptions::default());
    assert_eq!(failed(&report), vec![Step::SignerCertificate]);
    assert_eq!(
        report.outcome(Step::SignerCertificate),
        Some(&Outcome::Failed(Finding::KeyUsage {
            role: CertRole::Signer
        }))
    );
}

#[test]
fn signer_not_bound_to_seal() {
    for version in [SesVersion::V1, SesVersion::V4] {
        let seal = sample_seal(version);
        let (key, cert) = leaf_with("someone else", LeafSpec::new(0x55));
        let sig = SignatureBuilder::new(&seal, cert)
            .data(b"d")
            .time(at())
            .sign(&key)
            .unwrap();
        let report = verify(&sig, SignedContent::Bytes(b"d"), &VerifyOptions::default());
        assert_eq!(failed(&report), vec![Step::SignerBinding], "{report}");
        assert_eq!(report.verdict, Verdict::Invalid);
    }
    // digest list with a wrong digest
    let seal = gmseal_ses::SealBuilder::new("E", "n", maker().1)
        .holder_certificate_digest("SM3", vec![0u8; 32])
        .validity(
            DateTime::new(2025, 1, 1, 0, 0, 0).unwrap(),
            DateTime::new(2030, 1, 1, 0, 0, 0).unwrap(),
        )
        .picture("PNG", pki::png(), 40, 40)
        .sign(&maker().0)
        .unwrap();
    let sig = sign_at(&seal, b"d", at());
    let report = verify(&sig, SignedContent::Bytes(b"d"), &VerifyOptions::default());
    assert_eq!(failed(&report), vec![Step::SignerBinding]);
}

#[test]
fn wrong_keys_are_refused_when_signing() {
    let seal = sample_seal(SesVersion::V4);
    let (_, cert) = holder();
    let other = leaf_with("x", LeafSpec::new(0x66)).0;
    let err = SignatureBuilder::new(&seal, cert)
        .data(b"d")
        .sign(&other)
        .unwrap_err();
    assert!(matches!(
        err,
        Error::KeyMismatch {
            role: CertRole::Signer
        }
    ));
    let err = sample_builder(SesVersion::V4).sign(&other).unwrap_err();
    assert!(matches!(
        err,
        Error::KeyMismatch {
            role: CertRole::Maker
        }
    ));
}

#[test]
fn wrong_versions() {
    // header version 6: unknown, refused in both modes
    let mut s = v4_structure();
    s.e_seal_info.header.version = 6;
    let der = resign_v4(s);
    for mode in [Strictness::Strict, Strictness::Lenient] {
        assert!(matches!(
            Seal::from_der_with(&der, mode),
            Err(Error::UnsupportedVersion { version: 6, .. })
        ));
    }
    // v4 layout labelled version 3 (GOMAIN): strict refuses, lenient reports
    let mut s = v4_structure();
    s.e_seal_info.header.version = 3;
    let der = resign_v4(s);
    assert!(matches!(
        Seal::from_der(&der),
        Err(Error::Deviation(Deviation::HeaderVersion { found: 3, .. }))
    ));
    let seal = Seal::from_der_with(&der, Strictness::Lenient).unwrap();
    assert_eq!(seal.version(), SesVersion::V4);
    let sig = sign_at(&seal, b"d", at());
    let report = verify(&sig, SignedContent::Bytes(b"d"), &VerifyOptions::lenient());
    assert!(failed(&report).is_empty(), "{report}");
    assert_eq!(
        report.deviations,
        vec![Deviation::HeaderVersion {
            layout: SesVersion::V4,
            found: 3
        }]
    );
    // TBS_Sign version 3 in a v4 signature
    let good = sign_at(&sample_seal(SesVersion::V4), b"d", at());
    let mut typed = v4::SesSignature::from_der(good.as_der()).unwrap();
    typed.to_sign.version = 3;
    let tbs = typed.to_sign.to_der().unwrap();
    let value = holder()
        .0
        .sign_message_encoded(&DistId::default(), &tbs, SignatureFormat::Der)
        .unwrap();
    typed.signature = BitString::from_bytes(&value).unwrap();
    let der = typed.to_der().unwrap();
    assert!(matches!(
        SealSignature::from_der(&der),
        Err(Error::Deviation(Deviation::TbsVersion { found: 3, .. }))
    ));
    let report = verify_der(&der, SignedContent::Bytes(b"d"), &VerifyOptions::lenient()).unwrap();
    assert!(failed(&report).is_empty(), "{report}");
    // a SEQUENCE with 3 elements
    assert!(matches!(
        Seal::from_der(&[
            0x30, 0x09, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01
        ]),
        Err(Error::UnknownLayout { elements: 3, .. })
    ));
}

#[test]
fn lenient_string_and_time_types() {
    // a PrintableString name and picture type (easyofd) and a UTCTime date in v4
    let mut s = v4_structure();
    s.e_seal_info.property.name =
        SesString::PrintableString(PrintableString::new("Test Seal").unwrap());
    s.e_seal_info.picture.r#type = SesString::PrintableString(PrintableString::new("PNG").unwrap());
    s.e_seal_info.property.valid_end = SesTime::UtcTime(
        UtcTime::from_date_time(DateTime::new(2030, 1, 1, 0, 0, 0).unwrap()).unwrap(),
    );
    let der = resign_v4(s);
    assert!(matches!(
        Seal::from_der(&der),
        Err(Error::Deviation(Deviation::StringType { .. }))
    ));
    let seal = Seal::from_der_with(&der, Strictness::Lenient).unwrap();
    assert_eq!(seal.deviations().len(), 3, "{:?}", seal.deviations());
    assert_eq!(seal.name(), "Test Seal");
    let sig = sign_at(&seal, b"d", at());
    assert_eq!(sig.deviations().len(), 3);
    let report = verify(&sig, SignedContent::Bytes(b"d"), &VerifyOptions::lenient());
    assert!(failed(&report).is_empty(), "{report}");
    assert_eq!(report.deviations.len(), 3);
}

#[test]
fn fractional_seconds_are_a_deviation() {
    let mut s = v4_structure();
    let encoding =
        der::asn1::Any::new(der::Tag::GeneralizedTime, b"20291231235959.123Z".to_vec()).unwrap();
    s.e_seal_info.property.valid_end = SesTime::NonDer {
        kind: gmseal_ses::time::TimeKind::GeneralizedTime,
        encoding,
        time: DateTime::new(2029, 12, 31, 23, 59, 59).unwrap(),
    };
    let der = resign_v4(s);
    assert!(der.windows(19).any(|w| w == b"20291231235959.123Z"));
    assert!(matches!(
        Seal::from_der(&der),
        Err(Error::Deviation(Deviation::TimeEncoding {
            field: "validEnd"
        }))
    ));
    let seal = Seal::from_der_with(&der, Strictness::Lenient).unwrap();
    assert_eq!(
        seal.valid_end(),
        DateTime::new(2029, 12, 31, 23, 59, 59).unwrap()
    );
    // re-encoded unchanged, so the maker's signature still verifies
    let report = gmseal_ses::verify::verify_seal(&seal, Some(at()), &VerifyOptions::lenient());
    assert!(failed(&report).is_empty(), "{report}");
    assert_eq!(
        report.deviations,
        vec![Deviation::TimeEncoding { field: "validEnd" }]
    );
    // garbage time text is malformed, not a deviation
    let mut s = v4_structure();
    s.e_seal_info.property.valid_end = SesTime::NonDer {
        kind: gmseal_ses::time::TimeKind::GeneralizedTime,
        encoding: der::asn1::Any::new(der::Tag::GeneralizedTime, b"2029-12-31".to_vec()).unwrap(),
        time: DateTime::new(2029, 12, 31, 0, 0, 0).unwrap(),
    };
    let der = resign_v4(s);
    assert!(matches!(
        Seal::from_der_with(&der, Strictness::Lenient),
        Err(Error::Asn1 { .. })
    ));
}

#[test]
fn other_sm2_algorithm_identifier() {
    let mut s = v4_structure();
    s.sign_alg_id = gmseal_sm2::oid::SM2_SIGN;
    let der = s.to_der().unwrap(); // signedValue is over eSealInfo only: still valid
    let seal = Seal::from_der(&der).unwrap();
    let sig = sign_at(&seal, b"d", at());
    let strict = verify(&sig, SignedContent::Bytes(b"d"), &VerifyOptions::strict());
    assert_eq!(
        strict.outcome(Step::MakerSignature),
        Some(&Outcome::Failed(Finding::SignatureAlgorithm(
            gmseal_sm2::oid::SM2_SIGN
        )))
    );
    let lenient = verify(&sig, SignedContent::Bytes(b"d"), &VerifyOptions::lenient());
    assert!(failed(&lenient).is_empty());
    assert!(matches!(
        lenient.deviations.as_slice(),
        [Deviation::SignatureAlgorithm { .. }]
    ));
    // RSA: not performed
    let mut s = v4_structure();
    s.sign_alg_id = der::asn1::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
    let seal = Seal::from_der(&s.to_der().unwrap()).unwrap();
    let sig = sign_at(&seal, b"d", at());
    let report = verify(&sig, SignedContent::Bytes(b"d"), &VerifyOptions::lenient());
    assert!(matches!(
        report.outcome(Step::MakerSignature),
        Some(Outcome::NotPerformed(_))
    ));
    assert_eq!(report.verdict, Verdict::Indeterminate);
}

#[test]
fn v1_time_info_forms() {
    let seal = sample_seal(SesVersion::V1);
    let (key, cert) = holder();
    let sig = SignatureBuilder::new(&seal, cert)
        .data(b"d")
        .time(at())
        .v1_time_info(gmseal_ses::V1TimeInfo::TextLocal)
        .sign(&key);
    // our strict decoder refuses our own zone-less output: build it, then decode leniently
    assert!(matches!(
        sig,
        Err(Error::Deviation(Deviation::TimeInfoWithoutZone))
    ));
    let typed = v1::SesSignature::from_der(sign_at(&seal, b"d", at()).as_der()).unwrap();
    assert_eq!(
        typed.to_sign.time_info.as_bytes().unwrap(),
        b"2026-06-01T08:30:00Z"
    );
    assert_eq!(
        gmseal_ses::time::parse_time_info(b"2026-06-01 16:30:00")
            .unwrap()
            .0,
        at()
    );
    let _ = Ia5String::new("x").unwrap();
}

#[test]
fn truncated_and_garbage_inputs_are_errors() {
    let sig = sign_at(&sample_seal(SesVersion::V4), b"d", at());
    let der = sig.as_der();
    for cut in [0, 1, 2, 10, der.len() / 2, der.len() - 1] {
        assert!(SealSignature::from_der_with(&der[..cut], Strictness::Lenient).is_err());
    }
    let mut extra = der.to_vec();
    extra.push(0);
    assert!(SealSignature::from_der_with(&extra, Strictness::Lenient).is_err());
}
