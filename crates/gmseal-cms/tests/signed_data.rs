//! Round trips, real-world shapes and tampering of SM2 SignedData.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/cms.rs"]
mod support;

use std::io::Cursor;
use std::time::{Duration, SystemTime};

use der::asn1::{OctetString, SetOfVec};
use der::{Decode, Encode};
use gmseal_cms::test_support::{CertSpec, Role, issue, self_signed};
use gmseal_cms::*;
use gmseal_sm2::encoding::SignatureFormat;
use gmseal_sm2::{Deviation, DistId, Sm2SignerExt, SoftwareSigner, Strictness};
use x509_cert::Certificate;

const DOC: &[u8] = b"%PDF-1.7 first part <SIGNATURE PLACEHOLDER> second part %%EOF";

fn signer() -> (SoftwareSigner, Certificate) {
    self_signed("CN=Test Signer,O=gmseal,C=CN").unwrap()
}

fn verify(der: &[u8], content: Content<'_>) -> SignedDataReport {
    verify_signed_data(der, content, &VerifyOptions::default()).unwrap()
}

fn outcome(report: &SignerReport, kind: CheckKind) -> Outcome {
    report.check(kind).unwrap().outcome.clone()
}

fn assert_intact(report: &SignedDataReport) {
    assert!(report.integrity_ok(), "{report}");
    assert_eq!(report.verdict(), Verdict::Indeterminate, "{report}");
    for s in &report.signers {
        assert_eq!(
            outcome(s, CheckKind::CertificateChain),
            Outcome::NotPerformed(NotPerformed::NoTrustAnchors)
        );
        assert_eq!(outcome(s, CheckKind::CertificateValidity), Outcome::Passed);
        assert_eq!(outcome(s, CheckKind::KeyUsage), Outcome::Passed);
    }
}

#[test]
fn attached_round_trip_both_families_all_signature_oids() {
    let (key, cert) = signer();
    for family in [OidFamily::Pkcs7, OidFamily::Gmt0010] {
        for oid in [
            Sm2SignatureOid::Sm2WithSm3,
            Sm2SignatureOid::Sm2Sign,
            Sm2SignatureOid::Sm2Curve,
        ] {
            for params in [AlgorithmParams::Absent, AlgorithmParams::Null] {
                let der = SignedDataBuilder::new(family)
                    .attached(DOC.to_vec())
                    .digest_params(params)
                    .signer(CmsSigner::new(&key, cert.clone()).signature_algorithm(oid, params))
                    .build()
                    .unwrap();
                let report = verify(&der, Content::Attached);
                assert_intact(&report);
                assert_eq!(report.family, family);
                assert_eq!(report.econtent_type, family.data());
                assert!(report.attached);
                let s = &report.signers[0];
                assert_eq!(s.signature_algorithm, oid.oid());
                assert_eq!(
                    s.message_digest.as_deref(),
                    Some(&gmseal_sm2::digest::sm3(DOC)[..])
                );
                assert!(s.signing_time.is_some());
                assert_eq!(outcome(s, CheckKind::SigningTime), Outcome::Passed);
                assert!(s.tolerated.is_empty());
                // Decodes with the cms crate and re-encodes byte for byte.
                let (ci, sd) = support::split(&der);
                assert_eq!(support::join(&ci, &sd), der);
                assert_eq!(ci.content_type, family.signed_data());
            }
        }
    }
}

#[test]
fn detached_over_byte_ranges_streaming() {
    let (key, cert) = signer();
    let ranges = [0..19u64, 44..DOC.len() as u64];
    let digest = ContentDigest::of_ranges(Cursor::new(DOC), &ranges).unwrap();
    let mut covered = DOC[..19].to_vec();
    covered.extend_from_slice(&DOC[44..]);
    assert_eq!(digest, ContentDigest::of(&covered));

    let der = SignedDataBuilder::new(OidFamily::Pkcs7)
        .detached(digest)
        .signer(CmsSigner::new(&key, cert))
        .build()
        .unwrap();
    assert_intact(&verify(&der, Content::Digest(digest)));
    assert_intact(&verify(&der, Content::Bytes(&covered)));
    let by_ranges =
        verify_detached_ranges(&der, Cursor::new(DOC), &ranges, &VerifyOptions::default()).unwrap();
    assert_intact(&by_ranges);
    assert!(!by_ranges.attached);

    // The placeholder part is not covered: changing it changes nothing.
    let mut doc2 = DOC.to_vec();
    doc2[25] ^= 1;
    assert_intact(
        &verify_detached_ranges(&der, Cursor::new(&doc2), &ranges, &VerifyOptions::default())
            .unwrap(),
    );
    // A covered byte changed: messageDigest mismatch, tampered.
    doc2[3] ^= 1;
    let report =
        verify_detached_ranges(&der, Cursor::new(&doc2), &ranges, &VerifyOptions::default())
            .unwrap();
    assert_eq!(report.verdict(), Verdict::Tampered);
    assert!(matches!(
        outcome(&report.signers[0], CheckKind::MessageDigest),
        Outcome::Failed(Failure::MessageDigestMismatch { .. })
    ));
    // Still a correct signature over the attributes.
    assert_eq!(
        outcome(&report.signers[0], CheckKind::Signature),
        Outcome::Passed
    );

    // Detached without content: the digest check cannot run.
    let report = verify(&der, Content::Attached);
    assert_eq!(
        outcome(&report.signers[0], CheckKind::MessageDigest),
        Outcome::Failed(Failure::NoContent)
    );
}

#[test]
fn several_signers_and_ski_identification() {
    let (k1, c1) = signer();
    let (k2, c2) = self_signed("CN=Second Signer").unwrap();
    let (k3, c3) = self_signed("CN=Third Signer").unwrap();
    let der = SignedDataBuilder::new(OidFamily::Gmt0010)
        .attached(DOC.to_vec())
        .signer(CmsSigner::new(&k1, c1.clone()))
        .signer(CmsSigner::new(&k2, c2.clone()).signer_id(SignerIdKind::SubjectKeyIdentifier))
        .signer(CmsSigner::new(&k3, c3).signing_time(None))
        .build()
        .unwrap();
    let report = verify(&der, Content::Attached);
    assert_eq!(report.signers.len(), 3);
    assert_intact(&report);
    let ski = report
        .signers
        .iter()
        .filter(|s| matches!(s.signer_id, SignerId::SubjectKeyIdentifier(_)))
        .count();
    assert_eq!(ski, 1);
    let no_time = report
        .signers
        .iter()
        .find(|s| s.signing_time.is_none())
        .unwrap();
    assert_eq!(
        outcome(no_time, CheckKind::SigningTime),
        Outcome::NotPerformed(NotPerformed::NoSigningTime)
    );
    // RFC 5652 §5.1: version 3 with an SKI signer.
    let (_, sd) = support::split(&der);
    assert_eq!(sd.version as u8, 3);
    assert_eq!(sd.certificates.unwrap().0.len(), 3);

    // SKI without the extension is refused when building.
    let mut spec = CertSpec::new("CN=No SKI", Role::Signer);
    spec.with_ski = false;
    let k4 = SoftwareSigner::generate();
    let c4 = issue(&spec, &k4.public_key(), None, &k4).unwrap();
    let err = SignedDataBuilder::new(OidFamily::Pkcs7)
        .attached(DOC.to_vec())
        .signer(CmsSigner::new(&k4, c4).signer_id(SignerIdKind::SubjectKeyIdentifier))
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Certificate(_)), "{err}");
}

#[test]
fn certificate_of_another_key_is_refused() {
    let (k1, _) = signer();
    let (_, c2) = signer();
    let err = SignedDataBuilder::new(OidFamily::Pkcs7)
        .attached(DOC.to_vec())
        .signer(CmsSigner::new(&k1, c2))
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::SignerKeyMismatch));
}

#[test]
fn builder_misuse_is_an_error() {
    let (k, c) = signer();
    assert!(matches!(
        SignedDataBuilder::new(OidFamily::Pkcs7)
            .signer(CmsSigner::new(&k, c.clone()))
            .build(),
        Err(Error::InvalidInput(_))
    ));
    assert!(matches!(
        SignedDataBuilder::new(OidFamily::Pkcs7)
            .attached(DOC.to_vec())
            .build(),
        Err(Error::InvalidInput(_))
    ));
    assert!(matches!(
        SignedDataBuilder::new(OidFamily::Pkcs7)
            .detached(ContentDigest::of(DOC))
            .signer(CmsSigner::new(&k, c).without_signed_attributes())
            .build(),
        Err(Error::InvalidInput(_))
    ));
}

/// OFD "Sign" (ofd-ses notes §2): GB/T 35275 OIDs, attached content = SM3(Signature.xml), no
/// signed attributes, signature over the 32 content bytes.
#[test]
fn ofd_shape_attached_hash_without_signed_attributes() {
    let (key, cert) = signer();
    let hash = gmseal_sm2::digest::sm3(b"<ofd:Signature>...</ofd:Signature>");
    for format in [SignatureFormat::Der, SignatureFormat::Raw] {
        let der = SignedDataBuilder::new(OidFamily::Gmt0010)
            .attached(hash.to_vec())
            .signer(
                CmsSigner::new(&key, cert.clone())
                    .without_signed_attributes()
                    .signature_algorithm(Sm2SignatureOid::Sm2Sign, AlgorithmParams::Absent)
                    .signature_format(format),
            )
            .build()
            .unwrap();
        // Independent of our verifier: the signature is SM2 with Z over the 32 bytes.
        let sig = support::signature_value(&der);
        let vk = gmseal_sm2::Sm2VerifyingKey::new(key.public_key(), DistId::default());
        let lenient = vk
            .verify_encoded(&hash, &sig, SignatureFormat::Der, Strictness::Lenient)
            .unwrap();

        let strict = verify(&der, Content::Attached);
        let s = &strict.signers[0];
        assert!(!s.has_signed_attributes);
        assert_eq!(
            outcome(s, CheckKind::ContentType),
            Outcome::NotPerformed(NotPerformed::NoSignedAttributes)
        );
        let lenient_report =
            verify_signed_data(&der, Content::Attached, &VerifyOptions::lenient()).unwrap();
        assert!(lenient_report.integrity_ok(), "{lenient_report}");
        match format {
            SignatureFormat::Der => {
                assert!(lenient.is_empty());
                assert_intact(&strict);
                assert!(lenient_report.signers[0].tolerated.is_empty());
            }
            SignatureFormat::Raw => {
                // tongz writes raw r||s: refused when strict, reported when lenient.
                assert_eq!(lenient, vec![Deviation::RawInsteadOfDer]);
                assert_eq!(strict.verdict(), Verdict::Tampered);
                assert!(matches!(
                    outcome(s, CheckKind::Signature),
                    Outcome::Failed(Failure::SignatureMalformed(_))
                ));
                assert_eq!(
                    lenient_report.signers[0].tolerated,
                    vec![Tolerated::SignatureEncoding(Deviation::RawInsteadOfDer)]
                );
            }
        }
    }
}

/// GOMAIN OFD shape: outer GM/T 0010 OID, inner PKCS#7 data type, detached, signed attributes,
/// signer algorithm 301.1.
#[test]
fn mixed_oid_families_gomain_shape() {
    let (key, cert) = signer();
    let xml = b"<ofd:Signature/>";
    let der = SignedDataBuilder::new(OidFamily::Gmt0010)
        .econtent_type(oid::PKCS7_DATA)
        .detached(ContentDigest::of(xml))
        .signer(
            CmsSigner::new(&key, cert)
                .signature_algorithm(Sm2SignatureOid::Sm2Sign, AlgorithmParams::Absent),
        )
        .build()
        .unwrap();
    let report = verify(&der, Content::Bytes(xml));
    assert_intact(&report);
    assert_eq!(report.family, OidFamily::Gmt0010);
    assert_eq!(report.econtent_type, oid::PKCS7_DATA);
}

/// GmSSL 3 `cms_signed_data_sign_to_der` (read in its source, src/cms.c): attached data, no
/// signed attributes, e = SM3(DER of encapContentInfo) with no Z, sm2sign-with-sm3. Reproduced
/// here by signing that prehash directly.
#[test]
fn gmssl3_style_no_z_is_refused_unless_allowed() {
    let (key, cert) = signer();
    let der = SignedDataBuilder::new(OidFamily::Gmt0010)
        .attached(DOC.to_vec())
        .signer(CmsSigner::new(&key, cert).without_signed_attributes())
        .build()
        .unwrap();
    let parsed = ParsedSignedData::from_der(&der, false, &Limits::default()).unwrap();
    let e = gmseal_sm2::digest::sm3(parsed.encap_content_info_der);
    let sig = key.sign_digest(&e).unwrap();
    let gmssl = support::set_signature(
        &der,
        gmseal_sm2::encoding::encode(&sig, SignatureFormat::Der),
    );

    let report = verify(&gmssl, Content::Attached);
    assert_eq!(report.verdict(), Verdict::Tampered);
    assert_eq!(
        outcome(&report.signers[0], CheckKind::Signature),
        Outcome::Failed(Failure::SignedWithoutZ(NoZVariant::GmSsl3EncapContentInfo))
    );
    let msg = report.signers[0].failures().next().unwrap().1.to_string();
    assert!(msg.contains("without Z"), "{msg}");

    let allowed = VerifyOptions {
        allow_no_z: true,
        ..VerifyOptions::default()
    };
    let report = verify_signed_data(&gmssl, Content::Attached, &allowed).unwrap();
    assert!(report.integrity_ok(), "{report}");
    assert_eq!(
        report.signers[0].tolerated,
        vec![Tolerated::SignedWithoutZ(
            NoZVariant::GmSsl3EncapContentInfo
        )]
    );
}

#[test]
fn plain_sm3_without_z_and_empty_id_are_recognised() {
    let (key, cert) = signer();
    let der = SignedDataBuilder::new(OidFamily::Pkcs7)
        .attached(DOC.to_vec())
        .signer(CmsSigner::new(&key, cert))
        .build()
        .unwrap();
    let noz = support::resign_without_z(&der, &key);
    let report = verify(&noz, Content::Attached);
    assert_eq!(
        outcome(&report.signers[0], CheckKind::Signature),
        Outcome::Failed(Failure::SignedWithoutZ(NoZVariant::PlainSm3))
    );
    let empty = support::resign_with_id(&der, &key, &DistId::EMPTY);
    let report = verify(&empty, Content::Attached);
    assert_eq!(
        outcome(&report.signers[0], CheckKind::Signature),
        Outcome::Failed(Failure::SignedWithEmptyId)
    );
    // ... and verifies when the verifier is told to use the empty ID.
    let opts = VerifyOptions {
        dist_id: DistId::EMPTY,
        ..VerifyOptions::default()
    };
    assert!(
        verify_signed_data(&empty, Content::Attached, &opts)
            .unwrap()
            .integrity_ok()
    );
    // Another signer's ID entirely: just invalid.
    let other = support::resign_with_id(&der, &key, &DistId::new(*b"ALICE123@YAHOO.COM").unwrap());
    assert_eq!(
        outcome(
            &verify(&other, Content::Attached).signers[0],
            CheckKind::Signature
        ),
        Outcome::Failed(Failure::SignatureInvalid)
    );
}

fn attached() -> (SoftwareSigner, Certificate, Vec<u8>) {
    let (key, cert) = signer();
    let der = SignedDataBuilder::new(OidFamily::Pkcs7)
        .attached(DOC.to_vec())
        .signer(CmsSigner::new(&key, cert.clone()))
        .build()
        .unwrap();
    (key, cert, der)
}

#[test]
fn tampered_content() {
    let (_, _, der) = attached();
    let (ci, mut sd) = support::split(&der);
    let mut doc = DOC.to_vec();
    doc[0] = b'#';
    sd.encap_content_info.econtent =
        Some(der::Any::encode_from(&OctetString::new(doc).unwrap()).unwrap());
    let report = verify(&support::join(&ci, &sd), Content::Attached);
    assert_eq!(report.verdict(), Verdict::Tampered);
    assert!(matches!(
        outcome(&report.signers[0], CheckKind::MessageDigest),
        Outcome::Failed(Failure::MessageDigestMismatch { .. })
    ));
}

#[test]
fn tampered_attributes() {
    let (_, _, der) = attached();
    // Another signing time: the signature no longer covers the attributes.
    let later = attr::signing_time(SystemTime::now() + Duration::from_secs(3600)).unwrap();
    let tampered = support::edit_signer(&der, |si| {
        let mut attrs: Vec<_> = si.signed_attrs.take().unwrap().into_vec();
        for a in &mut attrs {
            if a.oid == oid::SIGNING_TIME {
                *a = later.clone();
            }
        }
        si.signed_attrs = Some(SetOfVec::try_from(attrs).unwrap());
    });
    let report = verify(&tampered, Content::Attached);
    assert_eq!(report.verdict(), Verdict::Tampered);
    assert_eq!(
        outcome(&report.signers[0], CheckKind::Signature),
        Outcome::Failed(Failure::SignatureInvalid)
    );
    assert_eq!(
        outcome(&report.signers[0], CheckKind::MessageDigest),
        Outcome::Passed
    );

    // A contentType that does not match eContentType.
    let ct = attr::content_type(oid::gmt0010::DATA).unwrap();
    let tampered = support::edit_signer(&der, |si| {
        let mut attrs: Vec<_> = si.signed_attrs.take().unwrap().into_vec();
        for a in &mut attrs {
            if a.oid == oid::CONTENT_TYPE {
                *a = ct.clone();
            }
        }
        si.signed_attrs = Some(SetOfVec::try_from(attrs).unwrap());
    });
    let report = verify(&tampered, Content::Attached);
    assert!(matches!(
        outcome(&report.signers[0], CheckKind::ContentType),
        Outcome::Failed(Failure::ContentTypeMismatch { .. })
    ));

    // messageDigest removed.
    let tampered = support::edit_signer(&der, |si| {
        let attrs: Vec<_> = si
            .signed_attrs
            .take()
            .unwrap()
            .into_vec()
            .into_iter()
            .filter(|a| a.oid != oid::MESSAGE_DIGEST)
            .collect();
        si.signed_attrs = Some(SetOfVec::try_from(attrs).unwrap());
    });
    let report = verify(&tampered, Content::Attached);
    assert_eq!(
        outcome(&report.signers[0], CheckKind::MessageDigest),
        Outcome::Failed(Failure::MessageDigestMissing)
    );
}

#[test]
fn tampered_signature() {
    let (_, _, der) = attached();
    let mut sig = support::signature_value(&der);
    let last = sig.len() - 1;
    sig[last] ^= 0x01;
    let report = verify(&support::set_signature(&der, sig), Content::Attached);
    assert_eq!(report.verdict(), Verdict::Tampered);
    assert_eq!(
        outcome(&report.signers[0], CheckKind::Signature),
        Outcome::Failed(Failure::SignatureInvalid)
    );
    // Not DER at all.
    let report = verify(
        &support::set_signature(&der, vec![0x30, 0x03, 1, 2]),
        Content::Attached,
    );
    assert!(matches!(
        outcome(&report.signers[0], CheckKind::Signature),
        Outcome::Failed(Failure::SignatureMalformed(_))
    ));
}

#[test]
fn tampered_or_substituted_certificate() {
    let (_, cert, der) = attached();
    // Substitute a certificate with the same issuer and serial but another key.
    let k2 = SoftwareSigner::generate();
    let spec = CertSpec::new("CN=Test Signer,O=gmseal,C=CN", Role::Signer);
    let impostor = issue(&spec, &k2.public_key(), None, &k2).unwrap();
    assert_eq!(
        impostor.tbs_certificate().serial_number(),
        cert.tbs_certificate().serial_number()
    );
    let (ci, mut sd) = support::split(&der);
    sd.certificates = Some(
        cms::signed_data::CertificateSet::try_from(vec![
            cms::cert::CertificateChoices::Certificate(impostor),
        ])
        .unwrap(),
    );
    let report = verify(&support::join(&ci, &sd), Content::Attached);
    assert_eq!(report.verdict(), Verdict::Tampered);
    assert_eq!(
        outcome(&report.signers[0], CheckKind::Signature),
        Outcome::Failed(Failure::SignatureInvalid)
    );

    // Certificate removed: the signer cannot be found.
    sd.certificates = None;
    let report = verify(&support::join(&ci, &sd), Content::Attached);
    assert_eq!(report.verdict(), Verdict::Indeterminate);
    assert!(!report.integrity_ok());
    assert_eq!(
        outcome(&report.signers[0], CheckKind::SignerCertificate),
        Outcome::Failed(Failure::SignerCertificateNotFound)
    );
    assert_eq!(
        outcome(&report.signers[0], CheckKind::Signature),
        Outcome::NotPerformed(NotPerformed::NoSignerCertificate)
    );

    // A byte of the certificate's DER flipped (inside its signature): still parses; ours is
    // the only certificate, the key is intact, so the CMS signature still verifies; a chain
    // verifier would reject the certificate.
    let (ci, mut sd) = support::split(&der);
    let mut cert_der = cert.to_der().unwrap();
    let n = cert_der.len() - 2;
    cert_der[n] ^= 0x01;
    let bad = Certificate::from_der(&cert_der).unwrap();
    sd.certificates = Some(
        cms::signed_data::CertificateSet::try_from(vec![
            cms::cert::CertificateChoices::Certificate(bad),
        ])
        .unwrap(),
    );
    struct SelfSignedOnly;
    impl ChainVerifier for SelfSignedOnly {
        fn verify_chain(
            &self,
            signer: &Certificate,
            _: &[Certificate],
            _: &[&[u8]],
            _: SystemTime,
        ) -> Result<ChainSummary, ChainError> {
            let der = signer.tbs_certificate().to_der().unwrap();
            let pk = gmseal_sm2::key::public_key_from_certificate_der(&signer.to_der().unwrap())
                .unwrap()
                .key;
            let vk = gmseal_sm2::Sm2VerifyingKey::new(pk, DistId::default());
            vk.verify_encoded(
                &der,
                signer.signature().raw_bytes(),
                SignatureFormat::Der,
                Strictness::Strict,
            )
            .map(|_| ChainSummary::new(1, false))
            .map_err(|e| ChainError::Other(e.to_string()))
        }
    }
    let opts = VerifyOptions {
        chain: Some(&SelfSignedOnly),
        ..VerifyOptions::default()
    };
    let report = verify_signed_data(&support::join(&ci, &sd), Content::Attached, &opts).unwrap();
    assert!(report.integrity_ok());
    assert_eq!(report.verdict(), Verdict::Untrusted);
    assert!(matches!(
        outcome(&report.signers[0], CheckKind::CertificateChain),
        Outcome::Failed(Failure::Chain(_))
    ));
    // The untouched message with the same verifier: fully valid.
    let report = verify_signed_data(&der, Content::Attached, &opts).unwrap();
    assert_eq!(report.verdict(), Verdict::Valid, "{report}");
}

#[test]
fn certificate_validity_and_key_usage() {
    let key = SoftwareSigner::generate();
    let now = SystemTime::now();
    let mut spec = CertSpec::new("CN=Expired", Role::Signer);
    spec.not_before = now - Duration::from_secs(10 * 86_400);
    spec.not_after = now - Duration::from_secs(86_400);
    let expired = issue(&spec, &key.public_key(), None, &key).unwrap();
    let der = SignedDataBuilder::new(OidFamily::Pkcs7)
        .attached(DOC.to_vec())
        .signer(CmsSigner::new(&key, expired))
        .build()
        .unwrap();
    let report = verify(&der, Content::Attached);
    assert!(report.integrity_ok());
    assert_eq!(report.verdict(), Verdict::Untrusted);
    let s = &report.signers[0];
    assert!(matches!(
        outcome(s, CheckKind::CertificateValidity),
        Outcome::Failed(Failure::CertificateExpired { .. })
    ));
    assert!(matches!(
        outcome(s, CheckKind::SigningTime),
        Outcome::Failed(Failure::SigningTimeOutsideValidity { .. })
    ));
    // Checked at a time inside the validity (the caller's validation time): passes.
    let opts = VerifyOptions {
        time: Some(now - Duration::from_secs(5 * 86_400)),
        ..VerifyOptions::default()
    };
    let report = verify_signed_data(&der, Content::Attached, &opts).unwrap();
    assert_eq!(report.signers[0].validation_time.1, TimeSource::Caller);
    assert_eq!(
        outcome(&report.signers[0], CheckKind::CertificateValidity),
        Outcome::Passed
    );

    let spec = CertSpec::new("CN=Encryption only", Role::EncryptionOnly);
    let enc = issue(&spec, &key.public_key(), None, &key).unwrap();
    let der = SignedDataBuilder::new(OidFamily::Pkcs7)
        .attached(DOC.to_vec())
        .signer(CmsSigner::new(&key, enc))
        .build()
        .unwrap();
    let report = verify(&der, Content::Attached);
    assert_eq!(report.verdict(), Verdict::Untrusted);
    assert_eq!(
        outcome(&report.signers[0], CheckKind::KeyUsage),
        Outcome::Failed(Failure::KeyUsageForbidsSigning)
    );
}

#[test]
fn signer_issued_by_a_ca_with_chain_in_the_message() {
    let ca_key = SoftwareSigner::generate();
    let ca = issue(
        &CertSpec::new("CN=Test CA", Role::Ca),
        &ca_key.public_key(),
        None,
        &ca_key,
    )
    .unwrap();
    let key = SoftwareSigner::generate();
    let mut spec = CertSpec::new("CN=Issued Signer", Role::Signer);
    spec.serial = 7;
    let cert = issue(&spec, &key.public_key(), Some((&ca, &ca_key)), &key).unwrap();
    let der = SignedDataBuilder::new(OidFamily::Pkcs7)
        .attached(DOC.to_vec())
        .signer(CmsSigner::new(&key, cert.clone()))
        .certificate(ca.clone())
        .build()
        .unwrap();
    struct Expect(Certificate);
    impl ChainVerifier for Expect {
        fn verify_chain(
            &self,
            _signer: &Certificate,
            intermediates: &[Certificate],
            _: &[&[u8]],
            _: SystemTime,
        ) -> Result<ChainSummary, ChainError> {
            if intermediates.contains(&self.0) {
                Ok(ChainSummary::new(2, false))
            } else {
                Err(ChainError::NoPath("CA not offered".into()))
            }
        }
    }
    let chain = Expect(ca);
    let opts = VerifyOptions {
        chain: Some(&chain),
        ..VerifyOptions::default()
    };
    let report = verify_signed_data(&der, Content::Attached, &opts).unwrap();
    assert_eq!(report.verdict(), Verdict::Valid, "{report}");
    assert_eq!(report.signers[0].certificate.as_ref(), Some(&cert));
}

#[test]
fn zero_padding_is_lenient_only() {
    let (_, _, der) = attached();
    let mut padded = der.clone();
    padded.extend_from_slice(&[0u8; 100]);
    assert!(matches!(
        verify_signed_data(&padded, Content::Attached, &VerifyOptions::default()),
        Err(Error::TrailingData { len: 100 })
    ));
    let report = verify_signed_data(&padded, Content::Attached, &VerifyOptions::lenient()).unwrap();
    assert!(report.integrity_ok());
    assert_eq!(report.tolerated, vec![Tolerated::ZeroPadding(100)]);
    assert_eq!(der_len(&padded).unwrap(), der.len());
    padded.push(1);
    assert!(matches!(
        verify_signed_data(&padded, Content::Attached, &VerifyOptions::lenient()),
        Err(Error::TrailingData { .. })
    ));
}

#[test]
fn unsorted_signed_attributes_strict_vs_lenient() {
    // A signer that wrote its attribute SET unsorted (not DER) and signed those bytes. The
    // SET is spliced in by hand, so retry with fresh keys until the new DER signature has the
    // length of the old one (lengths vary between 70 and 72 bytes).
    let mut ran = false;
    for _ in 0..40 {
        let (key, _, der) = attached();
        let parsed = ParsedSignedData::from_der(&der, false, &Limits::default()).unwrap();
        let signer = &parsed.signers[0];
        let attrs: Vec<_> = signer.info.signed_attrs.clone().unwrap().into_vec();
        let mut elems: Vec<Vec<u8>> = attrs.iter().map(|a| a.to_der().unwrap()).collect();
        elems.reverse();
        let mut set = signer.signed_attrs_der.clone().unwrap();
        let header = set.len() - elems.iter().map(Vec::len).sum::<usize>();
        set.truncate(header);
        set.extend(elems.concat());
        assert_ne!(Some(&set), signer.signed_attrs_der.as_ref());
        let new_sig = gmseal_sm2::encoding::encode(
            &key.sign_message(&DistId::default(), &set).unwrap(),
            SignatureFormat::Der,
        );
        let old_sig = support::signature_value(&der);
        if old_sig.len() != new_sig.len() {
            continue;
        }
        let mut old_a = signer.signed_attrs_der.clone().unwrap();
        old_a[0] = 0xA0;
        let mut new_a = set.clone();
        new_a[0] = 0xA0;
        let bytes = replace(&replace(&der, &old_a, &new_a), &old_sig, &new_sig);
        let report = verify(&bytes, Content::Attached);
        assert_eq!(
            outcome(&report.signers[0], CheckKind::Signature),
            Outcome::Failed(Failure::SignedAttributesNotDer)
        );
        let report =
            verify_signed_data(&bytes, Content::Attached, &VerifyOptions::lenient()).unwrap();
        assert!(report.integrity_ok(), "{report}");
        assert_eq!(
            report.signers[0].tolerated,
            vec![Tolerated::SignedAttributesNotDer]
        );
        ran = true;
        break;
    }
    assert!(ran, "no key gave equal signature lengths in 40 tries");
}

fn replace(hay: &[u8], old: &[u8], new: &[u8]) -> Vec<u8> {
    assert_eq!(old.len(), new.len());
    let pos = hay.windows(old.len()).position(|w| w == old).unwrap();
    let mut out = hay.to_vec();
    out[pos..pos + old.len()].copy_from_slice(new);
    out
}

#[test]
fn bad_input_gives_typed_errors() {
    let (_, _, der) = attached();
    let opts = VerifyOptions::default();
    assert!(matches!(
        verify_signed_data(&[], Content::Attached, &opts),
        Err(Error::Malformed { .. })
    ));
    assert!(matches!(
        verify_signed_data(&der[..der.len() - 1], Content::Attached, &opts),
        Err(Error::Malformed { .. })
    ));
    // A ContentInfo of another type.
    let ci = cms::content_info::ContentInfo {
        content_type: oid::PKCS7_DATA,
        content: der::Any::encode_from(&OctetString::new(vec![1, 2, 3]).unwrap()).unwrap(),
    };
    assert!(matches!(
        verify_signed_data(&ci.to_der().unwrap(), Content::Attached, &opts),
        Err(Error::NotSignedData(o)) if o == oid::PKCS7_DATA
    ));
    // Limits.
    let (k2, c2) = signer();
    let two = SignedDataBuilder::new(OidFamily::Pkcs7)
        .attached(DOC.to_vec())
        .signer(CmsSigner::new(&k2, c2.clone()))
        .signer(CmsSigner::new(&k2, c2))
        .build()
        .unwrap();
    let tight = VerifyOptions {
        limits: Limits {
            max_signers: 1,
            ..Limits::default()
        },
        ..VerifyOptions::default()
    };
    assert!(matches!(
        verify_signed_data(&two, Content::Attached, &tight),
        Err(Error::TooMany { limit: 1, .. })
    ));
    // Every truncation and every single-byte flip: an Err or a report, never a panic.
    for i in 0..der.len() {
        let _ = verify_signed_data(&der[..i], Content::Attached, &opts);
        let mut m = der.clone();
        m[i] ^= 0xFF;
        let _ = verify_signed_data(&m, Content::Attached, &VerifyOptions::lenient());
    }
}

#[test]
fn report_display_lists_every_check() {
    let (_, _, der) = attached();
    let text = verify(&der, Content::Attached).to_string();
    for needle in [
        "signer certificate: passed",
        "message digest: passed",
        "signature: passed",
        "certificate chain: not performed: no trust anchors configured",
    ] {
        assert!(text.contains(needle), "{needle} missing from\n{text}");
    }
}

#[test]
fn issuer_name_encoded_differently_is_lenient_only() {
    use der::asn1::PrintableStringRef;
    let (_, cert, der) = attached();
    // Re-encode the issuer of the signer identifier, swapping PrintableString and UTF8String.
    let issuer = cert.tbs_certificate().issuer().clone();
    let rdns: Vec<SetOfVec<x509_cert::attr::AttributeTypeAndValue>> = issuer
        .iter_rdn()
        .map(|rdn| {
            let atvs: Vec<_> = rdn
                .iter()
                .map(|atv| {
                    let mut atv = atv.clone();
                    let text = String::from_utf8(atv.value.value().to_vec()).unwrap();
                    atv.value = if der::Tagged::tag(&atv.value) == der::Tag::PrintableString {
                        der::Any::encode_from(&text).unwrap()
                    } else {
                        der::Any::encode_from(&PrintableStringRef::new(&text).unwrap()).unwrap()
                    };
                    atv
                })
                .collect();
            SetOfVec::try_from(atvs).unwrap()
        })
        .collect();
    let printable = x509_cert::name::Name::from_der(&rdns.to_der().unwrap()).unwrap();
    assert_ne!(printable, issuer);
    assert_eq!(printable.to_string(), issuer.to_string());
    let edited = support::edit_signer(&der, |si| {
        if let cms::signed_data::SignerIdentifier::IssuerAndSerialNumber(isn) = &mut si.sid {
            isn.issuer = printable.clone();
        }
    });
    let report = verify(&edited, Content::Attached);
    assert_eq!(
        outcome(&report.signers[0], CheckKind::SignerCertificate),
        Outcome::Failed(Failure::SignerCertificateNotFound)
    );
    let report = verify_signed_data(&edited, Content::Attached, &VerifyOptions::lenient()).unwrap();
    assert!(report.integrity_ok(), "{report}");
    assert_eq!(
        report.signers[0].tolerated,
        vec![Tolerated::IssuerNameEncodingDiffers]
    );
}
