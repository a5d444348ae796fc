//! Seals and seal signatures verified end to end against a gmseal-cert PKI (root CA → sub CA
//! → seal maker / organisation signing / TSA certificates, CRLs of the sub CA) through
//! [`CertChainVerifier`], with timestamps from gmseal-cms's `LocalTsa`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod pki {
    include!("common/pki.rs");
}

use std::time::Duration;

use der::DateTime;
use gmseal_cert::profile::Role;
use gmseal_cert::{ChainOptions, TrustStore};
use gmseal_cms::LocalTsa;
use gmseal_ses::verify::{
    CertChainVerifier, ChainVerifier, Finding, Outcome, SignedContent, Step,
    TimestampTokenVerifier, TrustStatus, Verdict, VerifyOptions, VerifyReport, verify, verify_seal,
};
use gmseal_ses::{
    BoxError, CertRole, Deviation, Error, Seal, SealSignature, SesVersion, SignatureBuilder,
    TsaTimestamper,
};
use pki::{CrlReason, KeyCert, TestPki, date};

const DOC: &[u8] = b"/Doc_0/Signs/Sign_0/Signature.xml bytes";

/// The claimed signing time of every signature here.
fn at() -> DateTime {
    DateTime::new(2026, 6, 1, 8, 30, 0).unwrap()
}

fn plus(t: DateTime, secs: u64) -> std::time::SystemTime {
    t.to_system_time() + Duration::from_secs(secs)
}

fn policy() -> der::asn1::ObjectIdentifier {
    "1.2.156.112562.1.1".parse().unwrap()
}

fn tsa_cert() -> &'static KeyCert {
    static TSA: std::sync::OnceLock<KeyCert> = std::sync::OnceLock::new();
    TSA.get_or_init(|| pki::pki().leaf(Role::TimeStamping, "gmseal 时间戳服务"))
}

fn sign(seal: &Seal, timestamper: Option<&dyn gmseal_ses::Timestamper>) -> SealSignature {
    let (key, cert) = pki::holder();
    let mut b = SignatureBuilder::new(seal, cert)
        .data(DOC)
        .time(at())
        .property_info("/Doc_0/Signs/Sign_0/Signature.xml");
    if let Some(t) = timestamper {
        b = b.timestamper(t);
    }
    b.sign(&key).unwrap()
}

fn check(store: &TrustStore, sig: &SealSignature) -> VerifyReport {
    let chain = CertChainVerifier::new(store, ChainOptions::default());
    let ts = TimestampTokenVerifier::new(&chain);
    let options = VerifyOptions::default()
        .with_chain_verifier(&chain)
        .with_timestamp_verifier(&ts);
    verify(sig, SignedContent::Bytes(DOC), &options)
}

fn finding(report: &VerifyReport, step: Step) -> &Finding {
    match report.outcome(step) {
        Some(Outcome::Failed(f)) => f,
        other => panic!("{step}: expected a failure, got {other:?}\n{report}"),
    }
}

#[test]
fn seal_and_signature_from_a_gmseal_cert_pki_are_valid() {
    for version in [SesVersion::V1, SesVersion::V4, SesVersion::V5] {
        let seal = pki::sample_seal(version);
        let sig = sign(&seal, None);
        let report = check(&pki::store(), &sig);
        assert_eq!(report.verdict, Verdict::Valid, "{version}: {report}");
        for (chain, subject) in [
            (&report.signer_chain, "gmseal 测试有限公司"),
            (&report.maker_chain, "gmseal 印章制作有限公司"),
        ] {
            let chain = chain.as_ref().unwrap();
            assert!(chain.is_trusted());
            assert_eq!(chain.path.len(), 3);
            assert!(chain.leaf().unwrap().subject.contains(subject), "{chain}");
        }
        // Without a timestamp the signer's chain is validated at the claimed time, the
        // maker's when the seal was made.
        assert_eq!(report.signer_chain.as_ref().unwrap().time, at());
        assert_eq!(
            report.maker_chain.as_ref().unwrap().time,
            seal.create_date()
        );
        assert_eq!(report.proof_of_existence(), None);
        let text = report.to_string();
        assert!(text.contains("signer's certificate path"), "{text}");
        assert!(text.contains("seal maker's certificate path"), "{text}");
    }
    // The seal alone.
    let seal = pki::sample_seal(SesVersion::V4);
    let store = pki::store();
    let chain = CertChainVerifier::new(&store, ChainOptions::default());
    let report = verify_seal(
        &seal,
        Some(at()),
        &VerifyOptions::default().with_chain_verifier(&chain),
    );
    assert_eq!(report.verdict, Verdict::Valid, "{report}");
}

#[test]
fn untrusted_root() {
    let other = TestPki::named("other");
    let sig = sign(&pki::sample_seal(SesVersion::V4), None);
    // The store knows our root and sub CA but trusts only another root.
    let mut store = other.store();
    store.add_intermediate(pki::pki().sub.cert.clone()).unwrap();
    store
        .add_intermediate(pki::pki().root.cert.clone())
        .unwrap();
    let report = check(&store, &sig);
    assert_eq!(report.verdict, Verdict::Untrusted, "{report}");
    for step in [Step::SignerChain, Step::MakerChain] {
        match finding(&report, step) {
            Finding::ChainRejected { reason } => {
                assert!(reason.contains("not a trust anchor"), "{reason}")
            }
            f => panic!("{f:?}"),
        }
    }
    // The signatures themselves are intact.
    assert_eq!(
        report.outcome(Step::SignerSignature),
        Some(&Outcome::Passed)
    );
    // A store that does not even know the sub CA cannot decide.
    let report = check(&other.store(), &sig);
    assert_eq!(report.verdict, Verdict::Indeterminate, "{report}");
    assert!(matches!(
        finding(&report, Step::SignerChain),
        Finding::ChainIndeterminate { .. }
    ));
}

#[test]
fn revoked_signer() {
    let seal = pki::sample_seal(SesVersion::V4);
    let sig = sign(&seal, None);
    let holder = gmseal_cert::Cert::from_der(&pki::holder().1).unwrap();
    let pki = pki::pki();

    // Revoked before the claimed signing time: untrusted, with the date and reason.
    let store = pki.store_with_crl(&[(&holder, date(2026, 3, 1), Some(CrlReason::KeyCompromise))]);
    let report = check(&store, &sig);
    assert_eq!(report.verdict, Verdict::Untrusted, "{report}");
    match finding(&report, Step::SignerChain) {
        Finding::ChainRejected { reason } => {
            assert!(reason.contains("revoked on 2026-03-01"), "{reason}");
            assert!(reason.contains("KeyCompromise"), "{reason}");
        }
        f => panic!("{f:?}"),
    }
    assert_eq!(report.outcome(Step::MakerChain), Some(&Outcome::Passed));

    // Revoked after the claimed time, no timestamp: the signature may be back-dated.
    let store = pki.store_with_crl(&[(&holder, date(2026, 9, 1), Some(CrlReason::KeyCompromise))]);
    let report = check(&store, &sig);
    assert_eq!(report.verdict, Verdict::Indeterminate, "{report}");
    match finding(&report, Step::SignerChain) {
        Finding::RevokedAfterClaimedTime {
            subject,
            revocation,
        } => {
            assert!(subject.contains("gmseal 测试有限公司"));
            assert_eq!(revocation.date, date(2026, 9, 1));
        }
        f => panic!("{f:?}"),
    }

    // ... with a trusted timestamp from before the revocation: valid, the chain was checked
    // at genTime.
    let made = plus(at(), 30);
    let tsa_cert = tsa_cert();
    let tsa_der = tsa_cert.der();
    let tsa = LocalTsa::new(&tsa_cert.key, &tsa_der, policy())
        .unwrap()
        .with_time(made);
    let sig = sign(&seal, Some(&TsaTimestamper::new(&tsa)));
    let report = check(&store, &sig);
    assert_eq!(report.verdict, Verdict::Valid, "{report}");
    let gen_time = DateTime::from_system_time(made).unwrap();
    assert_eq!(report.proof_of_existence(), Some(gen_time));
    assert_eq!(report.signer_chain.as_ref().unwrap().time, gen_time);
}

#[test]
fn timestamp_from_local_tsa_verified_and_tampering_rejected() {
    let seal = pki::sample_seal(SesVersion::V4);
    let tsa_cert = tsa_cert();
    let tsa_der = tsa_cert.der();
    let made = plus(at(), 10);
    let tsa = LocalTsa::new(&tsa_cert.key, &tsa_der, policy())
        .unwrap()
        .with_time(made);
    let timestamper = TsaTimestamper::new(&tsa);
    let sig = sign(&seal, Some(&timestamper));
    let token = sig.time_stamp().unwrap().to_vec();
    // The size the timestamper announces (the local TSA's bound) covers the token.
    let bound = gmseal_ses::Timestamper::max_token_len(&timestamper).unwrap();
    assert!(token.len() <= bound, "{} > {bound}", token.len());
    let report = check(&pki::store(), &sig);
    assert_eq!(report.verdict, Verdict::Valid, "{report}");
    assert_eq!(report.outcome(Step::Timestamp), Some(&Outcome::Passed));
    let ts = report.timestamp.as_ref().unwrap();
    assert_eq!(ts.status, TrustStatus::Trusted);
    let ts_report = ts.report.as_ref().unwrap();
    assert!(ts_report.signer.chain.as_ref().unwrap().is_trusted());
    assert!(report.to_string().contains("proof of existence"));

    // A byte of the TSA's signature flipped: rejected, the seal signature still intact.
    let mut der = sig.as_der().to_vec();
    let n = der.len() - 4;
    der[n] ^= 0x01;
    let tampered = SealSignature::from_der(&der).unwrap();
    assert_ne!(tampered.time_stamp().unwrap(), token.as_slice());
    let report = check(&pki::store(), &tampered);
    assert_eq!(report.verdict, Verdict::Untrusted, "{report}");
    assert!(matches!(
        finding(&report, Step::Timestamp),
        Finding::TimestampRejected { .. }
    ));
    assert_eq!(report.proof_of_existence(), None);
    assert_eq!(
        report.outcome(Step::SignerSignature),
        Some(&Outcome::Passed)
    );

    // A valid token over something else (another signature's value): rejected on the imprint.
    let other = SignatureBuilder::new(&seal, pki::holder().1)
        .data(b"another document")
        .time(at())
        .sign(&pki::holder().0)
        .unwrap();
    assert_ne!(other.signature_value(), sig.signature_value());
    let replaced = SignatureBuilder::new(&seal, pki::holder().1)
        .data(DOC)
        .time(at())
        .property_info("/Doc_0/Signs/Sign_0/Signature.xml")
        .assemble(other.tbs_der(), other.signature_value(), Some(&token))
        .unwrap();
    let report = check(&pki::store(), &replaced);
    match finding(&report, Step::Timestamp) {
        Finding::TimestampRejected { reason } => {
            assert!(reason.contains("imprint"), "{reason}")
        }
        f => panic!("{f:?}"),
    }

    // Garbage instead of a token: rejected, not an error.
    let garbage = SignatureBuilder::new(&seal, pki::holder().1)
        .assemble(
            other.tbs_der(),
            other.signature_value(),
            Some(b"\x30\x03\x02\x01\x01"),
        )
        .unwrap();
    let report = check(&pki::store(), &garbage);
    assert!(matches!(
        finding(&report, Step::Timestamp),
        Finding::TimestampRejected { .. }
    ));

    // A TSA from another PKI: cannot be decided, and its time is not used.
    let other_pki = TestPki::named("other TSA");
    let foreign = other_pki.leaf(Role::TimeStamping, "foreign TSA");
    let foreign_der = foreign.der();
    let foreign_tsa = LocalTsa::new(&foreign.key, &foreign_der, policy()).unwrap();
    let sig = sign(&seal, Some(&TsaTimestamper::new(&foreign_tsa)));
    let report = check(&pki::store(), &sig);
    assert_eq!(report.verdict, Verdict::Indeterminate, "{report}");
    assert!(matches!(
        finding(&report, Step::Timestamp),
        Finding::TimestampIndeterminate { .. }
    ));
    assert_eq!(report.proof_of_existence(), None);
    assert_eq!(report.signer_chain.as_ref().unwrap().time, at());
}

#[test]
fn signing_time_after_the_timestamp_is_invalid() {
    let seal = pki::sample_seal(SesVersion::V4);
    let tsa_cert = tsa_cert();
    let tsa_der = tsa_cert.der();
    // genTime an hour before the claimed time.
    let early = at().to_system_time() - Duration::from_secs(3600);
    let tsa = LocalTsa::new(&tsa_cert.key, &tsa_der, policy())
        .unwrap()
        .with_time(early);
    let sig = sign(&seal, Some(&TsaTimestamper::new(&tsa)));
    let report = check(&pki::store(), &sig);
    assert_eq!(report.verdict, Verdict::Invalid, "{report}");
    assert!(matches!(
        finding(&report, Step::Timestamp),
        Finding::TimeAfterTimestamp { .. }
    ));
    // Within the clock skew: fine.
    let tsa = LocalTsa::new(&tsa_cert.key, &tsa_der, policy())
        .unwrap()
        .with_time(at().to_system_time() - Duration::from_secs(120));
    let report = check(
        &pki::store(),
        &sign(&seal, Some(&TsaTimestamper::new(&tsa))),
    );
    assert_eq!(report.verdict, Verdict::Valid, "{report}");
}

#[test]
fn v5_seal_timestamp_from_local_tsa() {
    let tsa_cert = tsa_cert();
    let tsa_der = tsa_cert.der();
    let tsa = LocalTsa::new(&tsa_cert.key, &tsa_der, policy()).unwrap();
    let seal = pki::sample_builder(SesVersion::V5)
        .created(date(2026, 5, 1))
        .sign_with_timestamp(&pki::maker().0, Some(&TsaTimestamper::new(&tsa)))
        .unwrap();
    let sig = sign(&seal, None);
    let report = check(&pki::store(), &sig);
    // The seal's timestamp was made now, after the claimed createDate; it verifies.
    assert_eq!(report.outcome(Step::SealTimestamp), Some(&Outcome::Passed));
    assert!(
        report
            .seal_timestamp
            .as_ref()
            .unwrap()
            .proof_of_existence()
            .is_some()
    );
    // The maker's chain is validated at the seal timestamp's genTime.
    assert_eq!(
        report.maker_chain.as_ref().unwrap().time,
        report.seal_timestamp.as_ref().unwrap().gen_time.unwrap()
    );
    assert_eq!(report.verdict, Verdict::Valid, "{report}");
}

#[test]
fn tsa_timestamper_checks_the_token() {
    // A TSA that answers with a token over other data.
    struct Wrong<'a>(LocalTsa<'a>);
    impl gmseal_cms::Timestamper for Wrong<'_> {
        fn timestamp(&self, _: &gmseal_cms::MessageImprint) -> gmseal_cms::Result<Vec<u8>> {
            let other = gmseal_cms::MessageImprint::of(gmseal_cms::DigestAlgorithm::Sm3, b"other")?;
            self.0.timestamp(&other)
        }
    }
    let tsa_cert = tsa_cert();
    let tsa_der = tsa_cert.der();
    let wrong = Wrong(LocalTsa::new(&tsa_cert.key, &tsa_der, policy()).unwrap());
    let seal = pki::sample_seal(SesVersion::V4);
    let (key, cert) = pki::holder();
    let err = SignatureBuilder::new(&seal, cert)
        .data(DOC)
        .timestamper(&TsaTimestamper::new(&wrong))
        .sign(&key)
        .unwrap_err();
    match err {
        Error::Timestamp(e) => assert!(e.to_string().contains("imprint"), "{e}"),
        e => panic!("{e}"),
    }
}

#[test]
fn empty_id_certificate_signature_is_reported_when_tolerated() {
    // The holder's certificate re-signed by the sub CA with the empty SM2 ID.
    let pki = pki::pki();
    let holder = pki.leaf(Role::OrganisationSigning, "空ID单位");
    let cert = pki.resign_with_empty_id(&holder.cert);

    let seal = pki::sample_builder(SesVersion::V4)
        .holder_certificate(cert.clone())
        .sign(&pki::maker().0)
        .unwrap();
    let sig = SignatureBuilder::new(&seal, cert)
        .data(DOC)
        .time(at())
        .sign(&holder.key)
        .unwrap();
    let store = pki.store();
    let strict = CertChainVerifier::new(&store, ChainOptions::default());
    let report = verify(
        &sig,
        SignedContent::Bytes(DOC),
        &VerifyOptions::default().with_chain_verifier(&strict),
    );
    assert_eq!(report.verdict, Verdict::Untrusted, "{report}");
    let lenient = CertChainVerifier::new(&store, ChainOptions::default().allow_empty_id(true));
    let report = verify(
        &sig,
        SignedContent::Bytes(DOC),
        &VerifyOptions::default().with_chain_verifier(&lenient),
    );
    assert_eq!(report.verdict, Verdict::Valid, "{report}");
    let d = report
        .deviations
        .iter()
        .find_map(|d| match d {
            Deviation::CertificateChain { role, deviation } => Some((*role, deviation)),
            _ => None,
        })
        .expect("the tolerated empty-ID signature is reported");
    assert_eq!(d.0, CertRole::Signer);
    assert_eq!(d.1.what, gmseal_cert::Tolerated::EmptyIdSignature);
    assert!(report.to_string().contains("empty SM2 ID"), "{report}");
}

#[test]
fn maker_certificate_without_digital_signature_fails_the_chain_too() {
    let pki = pki::pki();
    let enc = pki.leaf(Role::OrganisationEncryption, "加密证书单位");
    let store = pki.store();
    let chain = CertChainVerifier::new(&store, ChainOptions::default());
    let r = ChainVerifier::verify_chain(&chain, &enc.der(), CertRole::Maker, at()).unwrap();
    match r.status {
        TrustStatus::Untrusted { reason } => assert!(
            reason.contains("keyUsage") || reason.contains("digitalSignature"),
            "{reason}"
        ),
        s => panic!("{s:?}"),
    }
    // A chain verifier that cannot run (not a certificate) is an error, not a panic.
    assert!(ChainVerifier::verify_chain(&chain, b"not DER", CertRole::Signer, at()).is_err());
}

/// A custom chain verifier (no gmseal-cert report) still plugs in.
#[test]
fn custom_chain_verifier() {
    struct Decide(TrustStatus);
    impl ChainVerifier for Decide {
        fn verify_chain(
            &self,
            _: &[u8],
            _: CertRole,
            _: DateTime,
        ) -> Result<gmseal_ses::verify::ChainResult, BoxError> {
            Ok(match &self.0 {
                TrustStatus::Trusted => gmseal_ses::verify::ChainResult::trusted(),
                TrustStatus::Untrusted { reason } => {
                    gmseal_ses::verify::ChainResult::untrusted(reason.clone())
                }
                TrustStatus::Indeterminate { reason } => {
                    gmseal_ses::verify::ChainResult::indeterminate(reason.clone())
                }
            })
        }
    }
    let sig = sign(&pki::sample_seal(SesVersion::V4), None);
    for (status, verdict) in [
        (TrustStatus::Trusted, Verdict::Valid),
        (
            TrustStatus::Untrusted {
                reason: "no".into(),
            },
            Verdict::Untrusted,
        ),
        (
            TrustStatus::Indeterminate {
                reason: "maybe".into(),
            },
            Verdict::Indeterminate,
        ),
    ] {
        let d = Decide(status);
        let report = verify(
            &sig,
            SignedContent::Bytes(DOC),
            &VerifyOptions::default().with_chain_verifier(&d),
        );
        assert_eq!(report.verdict, verdict, "{report}");
        assert!(report.signer_chain.is_none());
    }
}
