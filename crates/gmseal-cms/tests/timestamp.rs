//! RFC 3161 / GB/T 20520 timestamps: requests, the local TSA, token verification, timestamps
//! on CMS signatures, tampering.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/cms.rs"]
mod support;

use std::time::{Duration, SystemTime};

use der::asn1::{Int, OctetString};
use der::{Decode, Encode};
use gmseal_cms::test_support::{CertSpec, Role, issue, self_signed, tsa_certificate};
use gmseal_cms::tsp::{GenTime, PkiStatus};
use gmseal_cms::*;
use gmseal_sm2::{SoftwareSigner, Strictness};

fn policy() -> der::asn1::ObjectIdentifier {
    "1.2.156.1.2.3".parse().unwrap()
}

#[test]
fn request_response_token_round_trip() {
    let (key, cert) = tsa_certificate("CN=Test TSA,O=gmseal").unwrap();
    let tsa = LocalTsa::new(&key, &cert, policy()).unwrap();
    for alg in [
        DigestAlgorithm::Sm3,
        DigestAlgorithm::Sha256,
        DigestAlgorithm::Sha384,
        DigestAlgorithm::Sha512,
    ] {
        let req = TimeStampReq::new(MessageImprint::of(alg, b"data").unwrap()).unwrap();
        let req_der = req.to_der().unwrap();
        assert_eq!(TimeStampReq::from_der(&req_der).unwrap(), req);
        let resp = TimeStampResp::from_der(&tsa.respond(&req_der).unwrap()).unwrap();
        assert_eq!(resp.status.status, PkiStatus::Granted);
        let token = resp.clone().into_token(&req).unwrap();
        let tst = TstInfo::from_token(&token).unwrap();
        assert_eq!(tst.nonce, req.nonce);
        assert_eq!(tst.policy, policy());
        let report = verify_timestamp_token(
            &token,
            TimestampedData::Bytes(b"data"),
            &VerifyOptions::default(),
        )
        .unwrap();
        assert!(report.integrity_ok(), "{report}");
        // The TSA certificate rules and the ESS binding pass; the chain is not configured.
        assert!(report.checks.iter().all(Check::passed), "{report}");
        assert_eq!(report.verdict(), Verdict::Indeterminate);
        assert_eq!(report.signer.validation_time.1, TimeSource::Timestamp);
        let report = verify_timestamp_token(
            &token,
            TimestampedData::Imprint(&req.message_imprint),
            &VerifyOptions::default(),
        )
        .unwrap();
        assert!(report.integrity_ok());
        // Other data: imprint mismatch, tampered.
        let report = verify_timestamp_token(
            &token,
            TimestampedData::Bytes(b"other"),
            &VerifyOptions::default(),
        )
        .unwrap();
        assert!(!report.integrity_ok());
        assert_eq!(report.verdict(), Verdict::Tampered);
        assert!(
            report
                .checks
                .iter()
                .any(|c| matches!(c.failure(), Some(Failure::ImprintMismatch { .. })))
        );
    }
}

#[test]
fn response_must_answer_the_request() {
    let (key, cert) = tsa_certificate("CN=Test TSA").unwrap();
    let tsa = LocalTsa::new(&key, &cert, policy()).unwrap();
    let req = TimeStampReq::new(MessageImprint::of(DigestAlgorithm::Sm3, b"a").unwrap()).unwrap();
    let resp = TimeStampResp::from_der(&tsa.respond(&req.to_der().unwrap()).unwrap()).unwrap();
    // Another request (other nonce): refused.
    let other = TimeStampReq::new(req.message_imprint.clone()).unwrap();
    assert!(matches!(
        resp.clone().into_token(&other),
        Err(Error::TimestampMismatch("nonce differs"))
    ));
    let other = TimeStampReq::new(MessageImprint::of(DigestAlgorithm::Sm3, b"b").unwrap()).unwrap();
    assert!(matches!(
        resp.into_token(&other),
        Err(Error::TimestampMismatch("message imprint differs"))
    ));

    // Rejections: unknown policy, bad request, unsupported algorithm.
    let mut wrong_policy = req.clone();
    wrong_policy.req_policy = Some("1.2.3.99".parse().unwrap());
    let resp =
        TimeStampResp::from_der(&tsa.respond(&wrong_policy.to_der().unwrap()).unwrap()).unwrap();
    match resp.into_token(&wrong_policy) {
        Err(Error::TimestampRefused {
            status: 2,
            fail_info: Some(bits),
            ..
        }) => assert_eq!(bits, 1 << 15),
        other => panic!("{other:?}"),
    }
    let resp = TimeStampResp::from_der(&tsa.respond(b"\x30\x00").unwrap()).unwrap();
    assert_eq!(resp.status.status, PkiStatus::Rejection);
    let mut md5 = req.clone();
    md5.message_imprint.hash_algorithm.oid = "1.2.840.113549.2.5".parse().unwrap();
    md5.message_imprint.hashed_message = OctetString::new(vec![0u8; 16]).unwrap();
    let err = TimeStampResp::from_der(&tsa.respond(&md5.to_der().unwrap()).unwrap())
        .unwrap()
        .into_token(&md5)
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::TimestampRefused {
                status: 2,
                fail_info: Some(1),
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("unsupported hash algorithm"));
}

#[test]
fn gen_time_with_fractions() {
    for (text, nanos) in [
        ("20260101120000Z", 0),
        ("20260101120000.5Z", 500_000_000),
        ("20260101120000.123Z", 123_000_000),
        ("20260101120000.000001Z", 1_000),
    ] {
        let mut der = vec![0x18, text.len() as u8];
        der.extend_from_slice(text.as_bytes());
        let t = GenTime::from_der(&der).unwrap();
        assert_eq!(t.nanos, nanos, "{text}");
        assert_eq!(t.to_der().unwrap(), der, "{text}");
    }
    for bad in [
        "20260101120000.Z",
        "20260101120000.10Z",
        "20260101120000",
        "2026010112000Z",
        "20261301120000Z",
        "2026010112000aZ",
    ] {
        let mut der = vec![0x18, bad.len() as u8];
        der.extend_from_slice(bad.as_bytes());
        assert!(GenTime::from_der(&der).is_err(), "{bad}");
    }
}

#[test]
fn timestamp_on_a_cms_signature() {
    let (key, cert) = self_signed("CN=Signer").unwrap();
    let (tkey, tcert) = tsa_certificate("CN=Test TSA").unwrap();
    let tsa = LocalTsa::new(&tkey, &tcert, policy()).unwrap();
    let der = SignedDataBuilder::new(OidFamily::Pkcs7)
        .detached(ContentDigest::of(b"doc"))
        .signer(CmsSigner::new(&key, cert).timestamper(&tsa))
        .build()
        .unwrap();
    let report =
        verify_signed_data(&der, Content::Bytes(b"doc"), &VerifyOptions::default()).unwrap();
    let s = &report.signers[0];
    assert!(report.integrity_ok(), "{report}");
    assert_eq!(s.timestamps.len(), 1);
    assert_eq!(
        s.check(CheckKind::Timestamp).unwrap().outcome,
        Outcome::Passed
    );
    assert_eq!(s.validation_time.1, TimeSource::Timestamp);
    // The token covers the signature value: the imprint is SM3(signature octets).
    let sig = support::signature_value(&der);
    let tst = &s.timestamps[0].tst_info;
    assert_eq!(
        tst.message_imprint.hashed_message.as_bytes(),
        &gmseal_sm2::digest::sm3(&sig)[..]
    );

    // Tampering with the signature value invalidates both the signature and the timestamp.
    let mut bad = sig.clone();
    let n = bad.len() - 1;
    bad[n] ^= 1;
    let report = verify_signed_data(
        &support::set_signature(&der, bad),
        Content::Bytes(b"doc"),
        &VerifyOptions::default(),
    )
    .unwrap();
    let s = &report.signers[0];
    assert!(matches!(
        s.check(CheckKind::Timestamp).unwrap().outcome,
        Outcome::Failed(Failure::TimestampInvalid(Verdict::Tampered))
    ));
    assert_eq!(s.validation_time.1, TimeSource::Now);
}

/// The signature was made while the certificate was valid; it has expired since. A
/// timestamp from that time keeps the signature checkable (validation at genTime).
#[test]
fn timestamp_gives_the_validation_time() {
    let key = SoftwareSigner::generate();
    let now = SystemTime::now();
    let mut spec = CertSpec::new("CN=Short lived", Role::Signer);
    spec.not_before = now - Duration::from_secs(30 * 86_400);
    spec.not_after = now - Duration::from_secs(86_400);
    let cert = issue(&spec, &key.public_key(), None, &key).unwrap();
    let (tkey, tcert) = tsa_certificate("CN=Test TSA").unwrap();
    let mut tspec = CertSpec::new("CN=Old TSA", Role::Tsa);
    tspec.not_before = now - Duration::from_secs(60 * 86_400);
    let tcert = {
        let c = issue(&tspec, &tkey.public_key(), None, &tkey).unwrap();
        let _ = tcert;
        c.to_der().unwrap()
    };
    let past = now - Duration::from_secs(10 * 86_400);
    let tsa = LocalTsa::new(&tkey, &tcert, policy())
        .unwrap()
        .with_time(past);
    let der = SignedDataBuilder::new(OidFamily::Pkcs7)
        .attached(b"doc".to_vec())
        .signer(
            CmsSigner::new(&key, cert)
                .signing_time(Some(past))
                .timestamper(&tsa),
        )
        .build()
        .unwrap();
    let report = verify_signed_data(&der, Content::Attached, &VerifyOptions::default()).unwrap();
    let s = &report.signers[0];
    assert_eq!(s.validation_time.1, TimeSource::Timestamp);
    assert_eq!(
        s.check(CheckKind::CertificateValidity).unwrap().outcome,
        Outcome::Passed
    );
    assert_eq!(report.verdict(), Verdict::Indeterminate, "{report}");
    // Without timestamp verification the certificate is checked now: expired.
    let opts = VerifyOptions {
        verify_timestamps: false,
        ..VerifyOptions::default()
    };
    let report = verify_signed_data(&der, Content::Attached, &opts).unwrap();
    assert_eq!(report.verdict(), Verdict::Untrusted);
}

#[test]
fn tsa_certificate_rules() {
    // A signer certificate without the timeStamping EKU used as TSA.
    let (key, cert) = self_signed("CN=Not a TSA").unwrap();
    let tsa = LocalTsa::new(&key, &cert.to_der().unwrap(), policy()).unwrap();
    let imprint = MessageImprint::of(DigestAlgorithm::Sm3, b"x").unwrap();
    let token = tsa.issue(&imprint, None, true).unwrap();
    let report = verify_timestamp_token(
        &token,
        TimestampedData::Imprint(&imprint),
        &VerifyOptions::default(),
    )
    .unwrap();
    assert!(report.integrity_ok());
    assert_eq!(report.verdict(), Verdict::Untrusted);
    assert!(
        report
            .checks
            .iter()
            .any(|c| c.failure() == Some(&Failure::NotATsaCertificate))
    );

    // Token without the certificate: the signer cannot be found.
    let (tkey, tcert) = tsa_certificate("CN=TSA").unwrap();
    let tsa = LocalTsa::new(&tkey, &tcert, policy()).unwrap();
    let token = tsa.issue(&imprint, None, false).unwrap();
    let report = verify_timestamp_token(
        &token,
        TimestampedData::Imprint(&imprint),
        &VerifyOptions::default(),
    )
    .unwrap();
    assert!(!report.integrity_ok());
    assert_eq!(
        report
            .signer
            .check(CheckKind::SignerCertificate)
            .unwrap()
            .outcome,
        Outcome::Failed(Failure::SignerCertificateNotFound)
    );

    // The TSA key does not match the certificate.
    assert!(matches!(
        LocalTsa::new(&key, &tcert, policy()),
        Err(Error::SignerKeyMismatch)
    ));

    // Tampered TSTInfo (serial number changed): signature fails via messageDigest.
    let token = tsa
        .issue(&imprint, Some(Int::new(&[7]).unwrap()), true)
        .unwrap();
    let (ci, mut sd) = support::split(&token);
    let mut tst = TstInfo::from_token(&token).unwrap();
    tst.serial_number = Int::new(&[1, 2, 3]).unwrap();
    sd.encap_content_info.econtent =
        Some(der::Any::encode_from(&OctetString::new(tst.to_der().unwrap()).unwrap()).unwrap());
    let report = verify_timestamp_token(
        &support::join(&ci, &sd),
        TimestampedData::Imprint(&imprint),
        &VerifyOptions::default(),
    )
    .unwrap();
    assert_eq!(report.verdict(), Verdict::Tampered);

    // Substituted TSA certificate (same key, same issuer and serial, another validity): the
    // ESS binding catches it.
    let mut spec = CertSpec::new("CN=TSA", Role::Tsa);
    spec.not_after += Duration::from_secs(86_400);
    let other = issue(&spec, &tkey.public_key(), None, &tkey).unwrap();
    assert_ne!(other.to_der().unwrap(), tcert);
    let (ci, mut sd) = support::split(&token);
    sd.certificates = Some(
        cms::signed_data::CertificateSet::try_from(vec![
            cms::cert::CertificateChoices::Certificate(other),
        ])
        .unwrap(),
    );
    let report = verify_timestamp_token(
        &support::join(&ci, &sd),
        TimestampedData::Imprint(&imprint),
        &VerifyOptions::default(),
    )
    .unwrap();
    assert!(report.integrity_ok());
    assert!(
        report
            .checks
            .iter()
            .any(|c| c.failure() == Some(&Failure::EssSigningCertificateMismatch)),
        "{report}"
    );
    let _ = Strictness::Lenient;
}

#[test]
fn bad_tokens_give_typed_errors() {
    let (key, cert) = self_signed("CN=Signer").unwrap();
    // A SignedData that is not a TSTInfo token.
    let der = SignedDataBuilder::new(OidFamily::Pkcs7)
        .attached(b"x".to_vec())
        .signer(CmsSigner::new(&key, cert))
        .build()
        .unwrap();
    assert!(matches!(
        verify_timestamp_token(
            &der,
            TimestampedData::Bytes(b"x"),
            &VerifyOptions::default()
        ),
        Err(Error::TimestampMismatch(_))
    ));
    assert!(TimeStampResp::from_der(&[0x30, 0x03, 0x02, 0x01, 0x09]).is_err());
    let (tkey, tcert) = tsa_certificate("CN=TSA").unwrap();
    let tsa = LocalTsa::new(&tkey, &tcert, policy()).unwrap();
    let imprint = MessageImprint::of(DigestAlgorithm::Sm3, b"x").unwrap();
    let token = tsa.issue(&imprint, None, true).unwrap();
    for i in 0..token.len() {
        let _ = verify_timestamp_token(
            &token[..i],
            TimestampedData::Imprint(&imprint),
            &VerifyOptions::default(),
        );
        let mut m = token.clone();
        m[i] ^= 0x55;
        let _ = verify_timestamp_token(
            &m,
            TimestampedData::Imprint(&imprint),
            &VerifyOptions::lenient(),
        );
        let _ = TimeStampResp::from_der(&m);
    }
}

#[test]
fn token_without_ess_attribute_is_lenient_only() {
    let (tkey, tcert) = tsa_certificate("CN=TSA").unwrap();
    let tsa = LocalTsa::new(&tkey, &tcert, policy()).unwrap();
    let imprint = MessageImprint::of(DigestAlgorithm::Sm3, b"x").unwrap();
    let token = tsa.issue(&imprint, None, true).unwrap();
    let stripped = support::edit_signer(&token, |si| {
        let attrs: Vec<_> = si
            .signed_attrs
            .take()
            .unwrap()
            .into_vec()
            .into_iter()
            .filter(|a| a.oid != oid::SIGNING_CERTIFICATE_V2)
            .collect();
        si.signed_attrs = Some(der::asn1::SetOfVec::try_from(attrs).unwrap());
    });
    let stripped = support::resign_with_id(&stripped, &tkey, &gmseal_sm2::DistId::default());
    let strict = verify_timestamp_token(
        &stripped,
        TimestampedData::Imprint(&imprint),
        &VerifyOptions::default(),
    )
    .unwrap();
    assert!(strict.integrity_ok(), "{strict}");
    assert_eq!(strict.verdict(), Verdict::Untrusted);
    assert!(
        strict
            .checks
            .iter()
            .any(|c| c.failure() == Some(&Failure::EssSigningCertificateMissing))
    );
    let lenient = verify_timestamp_token(
        &stripped,
        TimestampedData::Imprint(&imprint),
        &VerifyOptions::lenient(),
    )
    .unwrap();
    assert_eq!(lenient.verdict(), Verdict::Indeterminate, "{lenient}");
    assert_eq!(
        lenient.tolerated,
        vec![Tolerated::EssSigningCertificateMissing]
    );
}

#[test]
fn local_tsa_announces_a_bound_on_its_tokens() {
    // A long TSA name makes a long certificate and a long signer issuer: the bound must still
    // hold, for every imprint algorithm (SHA-512's is the longest).
    let long = format!("CN={},O=gmseal timestamping unit", "时间戳".repeat(40));
    for (key, cert) in [
        tsa_certificate("CN=TSA").unwrap(),
        tsa_certificate(&long).unwrap(),
    ] {
        let tsa = LocalTsa::new(&key, &cert, policy()).unwrap();
        let bound = Timestamper::max_token_len(&tsa).unwrap();
        assert!(bound >= 2 * cert.len(), "{bound}");
        for alg in [DigestAlgorithm::Sm3, DigestAlgorithm::Sha512] {
            let imprint = MessageImprint::of(alg, b"signature value").unwrap();
            let token = Timestamper::timestamp(&tsa, &imprint).unwrap();
            assert!(
                token.len() <= bound && bound - token.len() < 2048,
                "token {} bytes, bound {bound}",
                token.len()
            );
        }
    }
}
