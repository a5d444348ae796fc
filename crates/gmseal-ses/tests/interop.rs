//! Cross-implementation checks with independent Rust crates, both directions.
//!
//! * `sofd-crypto` 0.6 (the SES-reading half of sOFD's `sofd-sign`, which itself needs a whole
//!   OFD package): how it finds the signed content, signature, certificate, data hash and
//!   picture in a `SES_Signature`, its SM2 verification, its certificate parser and path
//!   validation, and its SM2 signer.
//! * `easyofd-gm` 0.1.4 (a Rust port of ofdrw-gm): its v1 and v4 encoders and decoders.
//!
//! Where they disagree with us, the test pins the disagreement and says who is right per the
//! standard (see the crate's manual, "Other implementations").
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod pki {
    include!("common/pki.rs");
}

use der::DateTime;
use gmseal_ses::verify::{
    Finding, Outcome, SignedContent, Step, Verdict, VerifyOptions, verify, verify_seal,
};
use gmseal_ses::{
    Deviation, Error, Seal, SealSignature, SesVersion, SignatureBuilder, Strictness, StringKind,
};
use gmseal_sm2::{DistId, SignatureFormat, Sm2SignerExt};
use gmseal_testkit::test_vectors;

fn at() -> DateTime {
    DateTime::new(2026, 6, 1, 8, 0, 0).unwrap()
}

fn our_signature(version: SesVersion, format: SignatureFormat) -> SealSignature {
    let (key, cert) = pki::holder();
    SignatureBuilder::new(&pki::sample_seal(version), cert)
        .data(b"Signature.xml bytes")
        .time(at())
        .property_info("/Doc_0/Signs/Sign_0/Signature.xml")
        .signature_format(format)
        .sign(&key)
        .unwrap()
}

// ---------------------------------------------------------------- sofd-crypto

#[test]
fn sofd_reads_our_v4_signatures() {
    for version in [SesVersion::V4, SesVersion::V5] {
        let sig = our_signature(version, SignatureFormat::Der);
        let der = sig.as_der();
        // the bytes it verifies are exactly our TBS_Sign
        assert_eq!(
            sofd_crypto::cert::signed_value_content(der).unwrap(),
            sig.tbs_der()
        );
        let (value, cert) = sofd_crypto::split_signed_value(der).unwrap();
        assert_eq!(value, sig.signature_value());
        assert_eq!(cert.as_deref(), Some(sig.signer_certificate()));
        assert_eq!(
            sofd_crypto::cert::signed_value_digest(der).unwrap(),
            sig.data_hash()
        );
        let picture = sofd_crypto::cert::sealed_picture(der).unwrap();
        let ours = sig.seal().picture();
        assert_eq!(picture.kind, ours.declared_type);
        assert_eq!(picture.data, ours.data);
        assert_eq!(
            (picture.width as i64, picture.height as i64),
            (ours.width_mm, ours.height_mm)
        );
        // its SM2 verification (default ID) accepts our signature
        let parsed = sofd_crypto::Certificate::parse_der(sig.signer_certificate()).unwrap();
        assert!(sofd_crypto::sm2_verify(parsed.public_key(), sig.tbs_der(), &value).unwrap());
        // ... and can say no
        assert!(!sofd_crypto::sm2_verify(parsed.public_key(), b"other", &value).unwrap());
        assert!(parsed.key_usage().unwrap().may_sign());
    }
}

#[test]
fn sofd_validates_our_test_pki() {
    // root CA → sub CA (pathLenConstraint 0) → holder, issued with gmseal-cert's profiles.
    let (_, root) = pki::root();
    let (_, sub) = pki::sub_ca();
    let (_, leaf) = pki::holder();
    let anchors = sofd_crypto::TrustAnchors::from_der([root.clone()]).unwrap();
    let leaf = sofd_crypto::Certificate::parse_der(&leaf).unwrap();
    let sub = sofd_crypto::Certificate::parse_der(&sub).unwrap();
    let root = sofd_crypto::Certificate::parse_der(&root).unwrap();
    // sOFD's SM2 code verifies every link, and only under the right issuer ...
    assert!(leaf.verify_signature(sub.public_key()).unwrap());
    assert!(sub.verify_signature(root.public_key()).unwrap());
    assert!(!leaf.verify_signature(root.public_key()).unwrap());
    assert!(sub.is_ca());
    assert!(!leaf.is_ca());
    // ... without the sub CA it finds no path ...
    assert!(matches!(
        sofd_crypto::validate_path(&leaf, &anchors, &[]),
        Err(sofd_crypto::PathError::IssuerMissing { .. })
    ));
    // ... and with it, it stops at the sub CA's pathLenConstraint 0: sOFD counts the
    // end-entity certificate against it, RFC 5280 §4.2.1.9 counts only intermediate CA
    // certificates (a pathLen 0 CA issues end entities), and so does gmseal-cert. Pinned.
    assert!(matches!(
        sofd_crypto::validate_path(&leaf, &anchors, std::slice::from_ref(&sub)),
        Err(sofd_crypto::PathError::PathTooLong { limit: 0, .. })
    ));
    let report = gmseal_cert::verify_chain_certs(
        &gmseal_cert::Cert::from_der(&pki::holder().1).unwrap(),
        &[],
        &pki::store(),
        &gmseal_cert::ChainOptions::at(at()),
    );
    assert!(report.is_trusted(), "{report}");
}

/// Disagreements, pinned. In each, sOFD departs from the standard and we follow it.
#[test]
fn sofd_disagreements() {
    // 1. raw r||s (tongz, GOMAIN): sofd's verifier takes DER only; we accept it in lenient mode.
    let sig = our_signature(SesVersion::V4, SignatureFormat::Raw);
    let parsed = sofd_crypto::Certificate::parse_der(sig.signer_certificate()).unwrap();
    assert!(
        sofd_crypto::sm2_verify(parsed.public_key(), sig.tbs_der(), sig.signature_value()).is_err()
    );
    let report = verify(
        &sig,
        SignedContent::Bytes(b"Signature.xml bytes"),
        &VerifyOptions::lenient(),
    );
    assert_eq!(
        report.outcome(Step::SignerSignature),
        Some(&Outcome::Passed)
    );

    // 2. a v4 timeStamp [0]: sofd takes the last element of SES_Signature as the signature, so
    //    with a timestamp present it returns the token, not the signature (GB/T 38540 puts the
    //    signature in the 4th element, the optional timeStamp after it).
    let (key, cert) = pki::holder();
    let ts = |_: &[u8]| -> Result<Vec<u8>, gmseal_ses::BoxError> { Ok(vec![0x30, 0x00]) };
    let sig = SignatureBuilder::new(&pki::sample_seal(SesVersion::V4), cert)
        .data(b"d")
        .time(at())
        .timestamper(&ts)
        .sign(&key)
        .unwrap();
    let (value, _) = sofd_crypto::split_signed_value(sig.as_der()).unwrap();
    assert_ne!(value, sig.signature_value());

    // 3. v1 (GM/T 0031-2014): sofd reads the v4 layout only; the v1 signer certificate sits in
    //    TBS_Sign, so it finds none.
    let sig = our_signature(SesVersion::V1, SignatureFormat::Der);
    let (value, cert) = sofd_crypto::split_signed_value(sig.as_der()).unwrap();
    assert_eq!(value, sig.signature_value());
    assert_eq!(cert, None);
}

#[test]
fn we_verify_what_sofd_signs() {
    // sofd's SM2 signer (RustCrypto, default ID) signs the TBS_Sign we build
    let (key, cert) = pki::holder();
    let theirs = sofd_crypto::Sm2KeyPair::from_secret_bytes(&key.secret_key().to_bytes()).unwrap();
    for version in [SesVersion::V1, SesVersion::V4] {
        let seal = pki::sample_seal(version);
        let builder = SignatureBuilder::new(&seal, cert.clone())
            .data(b"d")
            .time(at());
        let tbs = builder.to_be_signed().unwrap();
        let value = theirs.sign(&tbs);
        let sig = builder.assemble(&tbs, &value, None).unwrap();
        let report = verify(&sig, SignedContent::Bytes(b"d"), &VerifyOptions::default());
        assert_eq!(
            report.outcome(Step::SignerSignature),
            Some(&Outcome::Passed),
            "{report}"
        );
    }
}

#[test]
fn sofd_reads_the_corpus_sample_as_we_do() {
    let der = std::fs::read(test_vectors("ses/ofdrw-v4-SignedValue.dat")).unwrap();
    let sig = SealSignature::from_der(&der).unwrap();
    assert_eq!(
        sofd_crypto::cert::signed_value_content(&der).unwrap(),
        sig.tbs_der()
    );
    assert_eq!(
        sofd_crypto::cert::signed_value_digest(&der).unwrap(),
        sig.data_hash()
    );
}

// ---------------------------------------------------------------- easyofd-gm

use easyofd_gm::ses::{v1 as e1, v4 as e4};

const SM2_SM3: [u32; 6] = [1, 2, 156, 10197, 1, 501];

fn e_header(version: u64) -> e1::SESHeader {
    e1::SESHeader {
        id: "ES".into(),
        version,
        vid: "easyofd".into(),
    }
}

/// A v1 seal and signature written by easyofd-gm, signed with our keys (easyofd has the
/// structures, not the signing).
fn easyofd_v1(name: &str) -> Vec<u8> {
    let (maker, maker_cert) = pki::maker();
    let (holder, holder_cert) = pki::holder();
    let info = e1::SealInfo {
        header: e_header(1),
        es_id: "E-1".into(),
        property: e1::SESPropertyInfo {
            seal_type: 1,
            name: name.into(),
            cert_list: vec![holder_cert.clone()],
            create_date: "250101000000Z".into(),
            valid_start: "250101000000Z".into(),
            valid_end: "300101000000Z".into(),
        },
        picture: e1::SESPictureInfo {
            pic_type: "PNG".into(),
            data: pki::png(),
            width: 40,
            height: 40,
        },
    };
    // GM/T 0031-2014: the maker signs SEQUENCE { esealInfo, cert, signatureAlgorithm }
    let mut body = info.encode_der();
    easyofd_gm::ses::encode_octet_string(&maker_cert, &mut body);
    easyofd_gm::ses::encode_oid(&SM2_SM3, &mut body);
    let mut tbs = Vec::new();
    easyofd_gm::ses::encode_sequence(&body, &mut tbs);
    let sign_data = maker
        .sign_message_encoded(&DistId::default(), &tbs, SignatureFormat::Der)
        .unwrap();
    let seal = e1::SESeal {
        eseal_info: info,
        sign_info: e1::SignInfo {
            cert: maker_cert,
            signature_algorithm: SM2_SM3.to_vec(),
            sign_data,
        },
    };
    let to_sign = e1::TBSSign {
        version: 1,
        seal,
        time_info: b"2026-06-01T08:00:00Z".to_vec(),
        data_hash: gmseal_sm2::digest::sm3(b"d").to_vec(),
        property_info: "/Doc_0/Signs/Sign_0/Signature.xml".into(),
        cert: holder_cert,
        signature_algorithm: SM2_SM3.to_vec(),
    };
    let sign_data = holder
        .sign_message_encoded(
            &DistId::default(),
            &to_sign.encode_der(),
            SignatureFormat::Der,
        )
        .unwrap();
    e1::SESSignature { to_sign, sign_data }.encode_der()
}

#[test]
fn we_read_and_verify_easyofd_v1() {
    let der = easyofd_v1("Test Seal");
    // easyofd writes the name and picture type as PrintableString; GM/T 0031-2014 says
    // UTF8String and IA5String: strict mode refuses, lenient mode reports both.
    match SealSignature::from_der(&der) {
        Err(Error::Deviation(Deviation::StringType {
            found: StringKind::PrintableString,
            ..
        })) => {}
        other => panic!("{other:?}"),
    }
    let sig = SealSignature::from_der_with(&der, Strictness::Lenient).unwrap();
    assert_eq!(sig.version(), SesVersion::V1);
    assert_eq!(sig.deviations().len(), 2, "{:?}", sig.deviations());
    let report = verify(&sig, SignedContent::Bytes(b"d"), &VerifyOptions::lenient());
    assert!(report.failures().is_empty(), "{report}");
    assert_eq!(report.verdict, Verdict::Indeterminate);
}

#[test]
fn easyofd_v1_with_a_chinese_name_is_malformed() {
    // easyofd puts UTF-8 bytes under the PrintableString tag; PrintableString cannot hold
    // them (X.680 §41), so the DER is invalid. We refuse it as malformed in both modes.
    let der = easyofd_v1("测试专用章");
    let err = SealSignature::from_der_with(&der, Strictness::Lenient).unwrap_err();
    assert!(matches!(err, Error::Asn1 { .. }), "{err}");
}

#[test]
fn easyofd_reads_our_v1() {
    let sig = our_signature(SesVersion::V1, SignatureFormat::Der);
    let theirs = e1::SESSignature::decode_der(sig.as_der()).unwrap();
    assert_eq!(theirs.to_sign.seal.eseal_info.es_id, sig.seal().es_id());
    assert_eq!(
        theirs.to_sign.seal.eseal_info.property.name,
        sig.seal().name()
    );
    assert_eq!(theirs.to_sign.data_hash, sig.data_hash());
    assert_eq!(theirs.to_sign.cert, sig.signer_certificate());
    assert_eq!(theirs.sign_data, sig.signature_value());
    assert_eq!(theirs.to_sign.property_info, sig.property_info());
    // but it does not re-encode it to the same bytes: it writes the UTF8String name and the
    // IA5String picture type back as PrintableString (GM/T 0031-2014 says UTF8String and
    // IA5String, so easyofd is wrong); with a Chinese name that is not even valid DER, and in
    // any case it breaks the maker's signature
    let again = theirs.encode_der();
    assert_eq!(again.len(), sig.as_der().len());
    let differing: Vec<usize> = (0..again.len())
        .filter(|&i| again[i] != sig.as_der()[i])
        .collect();
    assert_eq!(differing.len(), 2);
    assert!(differing.iter().all(|&i| again[i] == 0x13));
    assert!(matches!(
        SealSignature::from_der_with(&again, Strictness::Lenient),
        Err(Error::Asn1 { .. })
    ));
}

/// easyofd-gm 0.1.4's "v4" is not GB/T 38540's: it has no `certListType` (and writes
/// PrintableString names). ofdrw, every v4 seal in the corpus and the standard have it. So
/// neither side reads the other's v4; we report easyofd's v4 as malformed, and easyofd fails
/// on ours and on ofdrw's.
#[test]
fn easyofd_v4_disagreement() {
    let ours = pki::sample_seal(SesVersion::V4);
    assert!(e4::SESeal::decode_der(ours.as_der()).is_err());
    let ofdrw = std::fs::read(test_vectors("ses/ofdrw-v4-seal.esl")).unwrap();
    assert!(e4::SESeal::decode_der(&ofdrw).is_err());

    let (maker, maker_cert) = pki::maker();
    let (_, holder_cert) = pki::holder();
    let info = e4::SealInfo {
        header: e4::SESHeader {
            id: "ES".into(),
            version: 4,
            vid: "easyofd".into(),
        },
        es_id: "E-4".into(),
        property: e4::SESPropertyInfo {
            seal_type: 1,
            name: "Test".into(),
            cert_list: vec![e4::CertChoice::FullCert(holder_cert)],
            create_date: "20250101000000Z".into(),
            valid_start: "20250101000000Z".into(),
            valid_end: "20300101000000Z".into(),
        },
        picture: e4::SESPictureInfo {
            pic_type: "PNG".into(),
            data: pki::png(),
            width: 40,
            height: 40,
        },
    };
    let sign_data = maker
        .sign_message_encoded(&DistId::default(), &info.encode_der(), SignatureFormat::Der)
        .unwrap();
    let theirs = e4::SESeal {
        eseal_info: info,
        cert: maker_cert,
        signature_algorithm: SM2_SM3.to_vec(),
        sign_data,
    }
    .encode_der();
    let err = Seal::from_der_with(&theirs, Strictness::Lenient).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Asn1 {
                structure: "SESeal",
                ..
            }
        ),
        "{err}"
    );
    // easyofd's v4 round-trips its own layout, so the disagreement is in the layout itself
    assert_eq!(
        e4::SESeal::decode_der(&theirs).unwrap().encode_der(),
        theirs
    );
}

#[test]
fn easyofd_and_we_agree_on_the_v1_corpus_sample() {
    let der = std::fs::read(test_vectors("ses/dms360-v1-seal.esl")).unwrap();
    let ours = Seal::from_der_with(&der, Strictness::Lenient).unwrap();
    // easyofd's v1 reader requires OCTET STRING certList entries; the dms360 seal has an
    // IA5String: it refuses what we accept leniently (and refuse strictly)
    assert!(e1::SESeal::decode_der(&der).is_err());
    let report = verify_seal(&ours, None, &VerifyOptions::lenient());
    assert_eq!(report.outcome(Step::MakerSignature), Some(&Outcome::Passed));
    assert!(matches!(
        report.outcome(Step::MakerCertificate),
        Some(Outcome::Failed(Finding::KeyUsage { .. }))
    ));
}
