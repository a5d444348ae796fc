//! Chain verification through gmseal-cert ([`CertChainVerifier`]) with real chains issued by
//! gmseal-cert's profiles: root → sub CA → organisation signing certificate, a TSA
//! certificate, CRLs issued by the sub CA.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, SystemTime};

use der::asn1::Any;
use der::{Decode, Encode};
use gmseal_cert::chain::DeviationSubject;
use gmseal_cert::profile::Role;
use gmseal_cert::{
    ChainOptions, PathRole, Problem, RevocationPolicy, Tolerated as CertTolerated,
    Verdict as CertVerdict,
};
use gmseal_cms::*;
use gmseal_testkit::pki::{CrlReason, KeyCert, TestPki, date};
use x509_cert::Certificate;

const DOC: &[u8] = b"contract text";

fn policy() -> der::asn1::ObjectIdentifier {
    "1.2.156.112562.1.1".parse().unwrap()
}

fn org_signer(pki: &TestPki) -> KeyCert {
    pki.leaf(Role::OrganisationSigning, "测试有限公司")
}

/// A SignedData over DOC by `signer`, timestamped by `tsa`.
fn sign_timestamped(signer: &KeyCert, tsa: &dyn Timestamper) -> Vec<u8> {
    SignedDataBuilder::new(OidFamily::Pkcs7)
        .attached(DOC.to_vec())
        .signer(CmsSigner::new(&signer.key, signer.certificate()).timestamper(tsa))
        .build()
        .unwrap()
}

/// A SignedData over DOC by `signer`, carrying `extra` certificates.
fn sign(signer: &KeyCert, extra: &[&KeyCert]) -> Vec<u8> {
    let mut b = SignedDataBuilder::new(OidFamily::Pkcs7)
        .attached(DOC.to_vec())
        .signer(CmsSigner::new(&signer.key, signer.certificate()));
    for c in extra {
        b = b.certificate(c.certificate());
    }
    b.build().unwrap()
}

fn verify_with(der: &[u8], chain: &dyn ChainVerifier) -> SignedDataReport {
    let opts = VerifyOptions {
        chain: Some(chain),
        ..VerifyOptions::default()
    };
    verify_signed_data(der, Content::Attached, &opts).unwrap()
}

fn chain_failure(s: &SignerReport) -> &ChainError {
    match s.check(CheckKind::CertificateChain).unwrap().failure() {
        Some(Failure::Chain(e)) => e,
        other => panic!("expected a chain failure, got {other:?}\n{s}"),
    }
}

fn cert_problem(s: &SignerReport) -> (usize, Problem) {
    match &s.chain.as_ref().expect("a chain report").verdict {
        CertVerdict::Untrusted { cert, problem } | CertVerdict::Indeterminate { cert, problem } => {
            (*cert, problem.clone())
        }
        CertVerdict::Trusted => panic!("trusted\n{s}"),
    }
}

#[test]
fn valid_with_the_right_anchor_path_in_the_report() {
    let pki = TestPki::shared();
    let signer = org_signer(pki);
    let store = pki.store();
    let chain = CertChainVerifier::new(&store, ChainOptions::default());
    let report = verify_with(&sign(&signer, &[]), &chain);
    assert_eq!(report.verdict(), Verdict::Valid, "{report}");
    let s = &report.signers[0];
    assert_eq!(
        s.check(CheckKind::CertificateChain).unwrap().outcome,
        Outcome::Passed
    );
    let c = s.chain.as_ref().unwrap();
    assert!(c.is_trusted());
    let roles: Vec<PathRole> = c.path.iter().map(|p| p.role).collect();
    assert_eq!(
        roles,
        [
            PathRole::Leaf,
            PathRole::Intermediate,
            PathRole::TrustAnchor
        ]
    );
    assert_eq!(c.path[0].summary.serial, signer.cert.serial_hex());
    assert_eq!(c.anchor().unwrap().subject, pki.root.cert.summary().subject);
    assert!(s.tolerated.is_empty());
    // The path is printed with the signer's report.
    let text = report.to_string();
    assert!(text.contains("certificate path"), "{text}");
    assert!(text.contains("trust anchor"), "{text}");

    // Only the root in the store: the sub CA carried in the message completes the path.
    let mut anchor_only = gmseal_cert::TrustStore::new();
    anchor_only.add_anchor(pki.root.cert.clone()).unwrap();
    let chain = CertChainVerifier::new(&anchor_only, ChainOptions::default());
    let report = verify_with(&sign(&signer, &[&pki.sub]), &chain);
    assert_eq!(report.verdict(), Verdict::Valid, "{report}");
    let c = report.signers[0].chain.as_ref().unwrap();
    assert_eq!(c.path[1].source, gmseal_cert::chain::CertSource::Extra);
    // ... and without it the issuer is missing: indeterminate, not untrusted.
    let report = verify_with(&sign(&signer, &[]), &chain);
    assert_eq!(report.verdict(), Verdict::Indeterminate, "{report}");
    let s = &report.signers[0];
    assert!(chain_failure(s).is_indeterminate());
    assert!(matches!(
        cert_problem(s),
        (0, Problem::IssuerNotFound { .. })
    ));
}

#[test]
fn another_root_is_untrusted() {
    let pki = TestPki::shared();
    let other = TestPki::named("other");
    let signer = org_signer(pki);
    let store = other.store();
    let chain = CertChainVerifier::new(&store, ChainOptions::default());
    // The signer sends its whole chain; it ends at a root the store does not trust.
    let report = verify_with(&sign(&signer, &[&pki.sub, &pki.root]), &chain);
    assert!(report.integrity_ok());
    assert_eq!(report.verdict(), Verdict::Untrusted, "{report}");
    let s = &report.signers[0];
    assert!(!chain_failure(s).is_indeterminate());
    assert!(matches!(
        cert_problem(s),
        (2, Problem::UntrustedRoot { .. })
    ));
    // The message says why.
    assert!(chain_failure(s).to_string().contains("not a trust anchor"));
}

#[test]
fn revoked_signer_is_untrusted_with_reason_and_date() {
    let pki = TestPki::shared();
    let signer = org_signer(pki);
    let revoked_on = date(2026, 3, 1);
    let store = pki.store_with_crl(&[(&signer.cert, revoked_on, Some(CrlReason::KeyCompromise))]);
    let chain = CertChainVerifier::new(&store, ChainOptions::default());
    let der = sign(&signer, &[]);
    let report = verify_with(&der, &chain);
    assert!(report.integrity_ok());
    assert_eq!(report.verdict(), Verdict::Untrusted, "{report}");
    let s = &report.signers[0];
    match cert_problem(s) {
        (0, Problem::Revoked(r)) => {
            assert_eq!(r.date, revoked_on);
            assert_eq!(r.reason, Some(CrlReason::KeyCompromise));
        }
        p => panic!("{p:?}"),
    }
    let text = chain_failure(s).to_string();
    assert!(text.contains("revoked on 2026-03-01"), "{text}");
    assert!(text.contains("KeyCompromise"), "{text}");

    // Checked at a time before the revocation (the caller's validation time): valid, and the
    // later revocation is in the chain report.
    let opts = VerifyOptions {
        chain: Some(&chain),
        time: Some(date(2026, 1, 1).to_system_time()),
        ..VerifyOptions::default()
    };
    let report = verify_signed_data(&der, Content::Attached, &opts).unwrap();
    assert_eq!(report.verdict(), Verdict::Valid, "{report}");
    let c = report.signers[0].chain.as_ref().unwrap();
    assert!(c.checks.iter().any(|c| matches!(
        c.outcome,
        gmseal_cert::Outcome::RevokedAfterValidationTime(_)
    )));

    // A CRL of the sub CA that does not list the signer: revocation checked and good.
    let other = org_signer(pki);
    let store = pki.store_with_crl(&[(&other.cert, revoked_on, None)]);
    let chain = CertChainVerifier::new(&store, ChainOptions::default());
    let report = verify_with(&der, &chain);
    assert_eq!(report.verdict(), Verdict::Valid, "{report}");

    // Revocation required but no CRL at all: indeterminate.
    let store = pki.store();
    let chain = CertChainVerifier::new(
        &store,
        ChainOptions::default().with_revocation(RevocationPolicy::Require),
    );
    let report = verify_with(&der, &chain);
    assert_eq!(report.verdict(), Verdict::Indeterminate, "{report}");
    assert!(matches!(
        cert_problem(&report.signers[0]).1,
        Problem::RevocationUnknown(_)
    ));
}

#[test]
fn expired_intermediate_is_untrusted() {
    let pki = TestPki::with_sub_ca_validity("expired", date(2020, 1, 1), date(2025, 1, 1));
    let signer = org_signer(&pki);
    let store = pki.store();
    let chain = CertChainVerifier::new(&store, ChainOptions::default());
    let report = verify_with(&sign(&signer, &[]), &chain);
    assert_eq!(report.verdict(), Verdict::Untrusted, "{report}");
    match cert_problem(&report.signers[0]) {
        (1, Problem::Expired { not_after, .. }) => assert_eq!(not_after, date(2025, 1, 1)),
        p => panic!("{p:?}"),
    }
    // The signer's own validity check passes: only the chain knows about the intermediate.
    assert_eq!(
        report.signers[0]
            .check(CheckKind::CertificateValidity)
            .unwrap()
            .outcome,
        Outcome::Passed
    );
}

#[test]
fn empty_id_certificate_signature_strict_vs_tolerated() {
    let pki = TestPki::shared();
    let signer = org_signer(pki);
    let cert = Certificate::from_der(&pki.resign_with_empty_id(&signer.cert)).unwrap();
    let der = SignedDataBuilder::new(OidFamily::Pkcs7)
        .attached(DOC.to_vec())
        .signer(CmsSigner::new(&signer.key, cert))
        .build()
        .unwrap();
    let store = pki.store();
    let strict = CertChainVerifier::new(&store, ChainOptions::default());
    let report = verify_with(&der, &strict);
    assert_eq!(report.verdict(), Verdict::Untrusted, "{report}");
    assert!(matches!(
        cert_problem(&report.signers[0]),
        (
            0,
            Problem::Signature(gmseal_cert::SignatureFailure::EmptyId)
        )
    ));

    let lenient = CertChainVerifier::new(&store, ChainOptions::default().allow_empty_id(true));
    let report = verify_with(&der, &lenient);
    assert_eq!(report.verdict(), Verdict::Valid, "{report}");
    let s = &report.signers[0];
    let chain_deviations: Vec<_> = s
        .tolerated
        .iter()
        .filter_map(|t| match t {
            Tolerated::CertificateChain(d) => Some(d),
            _ => None,
        })
        .collect();
    assert_eq!(chain_deviations.len(), 1, "{report}");
    assert_eq!(chain_deviations[0].cert, 0);
    assert_eq!(chain_deviations[0].about, DeviationSubject::Certificate);
    assert_eq!(chain_deviations[0].what, CertTolerated::EmptyIdSignature);
    assert!(report.to_string().contains("empty SM2 ID"), "{report}");
}

#[test]
fn tsa_token_chain_is_verified_too() {
    let pki = TestPki::shared();
    let signer = org_signer(pki);
    let tsa_cert = pki.leaf(Role::TimeStamping, "gmseal 时间戳服务");
    let tsa_der = tsa_cert.der();
    let tsa = LocalTsa::new(&tsa_cert.key, &tsa_der, policy()).unwrap();
    let der = sign_timestamped(&signer, &tsa);
    let store = pki.store();
    let chain = CertChainVerifier::new(&store, ChainOptions::default());
    let report = verify_with(&der, &chain);
    assert_eq!(report.verdict(), Verdict::Valid, "{report}");
    let s = &report.signers[0];
    assert_eq!(s.validation_time.1, TimeSource::Timestamp);
    let ts = &s.timestamps[0];
    assert_eq!(ts.verdict(), Verdict::Valid);
    let tsa_chain = ts.signer.chain.as_ref().expect("the TSA's chain report");
    assert!(tsa_chain.is_trusted());
    assert_eq!(tsa_chain.path.len(), 3);
    assert_eq!(tsa_chain.leaf().unwrap().serial, tsa_cert.cert.serial_hex());
    // The TSA's chain was checked at genTime.
    assert_eq!(
        tsa_chain.time,
        der::DateTime::from_system_time(ts.gen_time).unwrap()
    );

    // A TSA of another PKI: its chain does not reach the anchors (issuer missing), so the
    // token does not give the validation time and the verdict cannot be Valid.
    let other = TestPki::named("other TSA");
    let foreign = other.leaf(Role::TimeStamping, "foreign TSA");
    let foreign_der = foreign.der();
    let foreign_tsa = LocalTsa::new(&foreign.key, &foreign_der, policy()).unwrap();
    let der = sign_timestamped(&signer, &foreign_tsa);
    let report = verify_with(&der, &chain);
    assert!(report.integrity_ok());
    assert_eq!(report.verdict(), Verdict::Indeterminate, "{report}");
    let s = &report.signers[0];
    assert_eq!(s.validation_time.1, TimeSource::Now);
    assert_eq!(
        s.check(CheckKind::Timestamp).unwrap().outcome,
        Outcome::Failed(Failure::TimestampInvalid(Verdict::Indeterminate))
    );
    assert_eq!(
        s.check(CheckKind::CertificateChain).unwrap().outcome,
        Outcome::Passed
    );

    // A revoked TSA (revoked before the token was made): the timestamp is untrusted.
    let store = pki.store_with_crl(&[(
        &tsa_cert.cert,
        date(2026, 1, 1),
        Some(CrlReason::KeyCompromise),
    )]);
    let chain = CertChainVerifier::new(&store, ChainOptions::default());
    let der = sign_timestamped(&signer, &tsa);
    let report = verify_with(&der, &chain);
    assert_eq!(report.verdict(), Verdict::Untrusted, "{report}");
    assert_eq!(
        report.signers[0]
            .check(CheckKind::Timestamp)
            .unwrap()
            .outcome,
        Outcome::Failed(Failure::TimestampInvalid(Verdict::Untrusted))
    );
}

/// A timestamp proves the signature existed before the revocation: the signer's chain is
/// checked at genTime, the later revocation is reported, the verdict is Valid.
#[test]
fn timestamp_before_revocation_keeps_the_signature_valid() {
    let pki = TestPki::shared();
    let signer = org_signer(pki);
    let tsa_cert = pki.leaf(Role::TimeStamping, "gmseal TSA");
    let tsa_der = tsa_cert.der();
    let made = date(2026, 2, 1).to_system_time();
    let tsa = LocalTsa::new(&tsa_cert.key, &tsa_der, policy())
        .unwrap()
        .with_time(made);
    let der = SignedDataBuilder::new(OidFamily::Pkcs7)
        .attached(DOC.to_vec())
        .signer(
            CmsSigner::new(&signer.key, signer.certificate())
                .signing_time(Some(made - Duration::from_secs(60)))
                .timestamper(&tsa),
        )
        .build()
        .unwrap();
    let store = pki.store_with_crl(&[(
        &signer.cert,
        date(2026, 3, 1),
        Some(CrlReason::KeyCompromise),
    )]);
    let chain = CertChainVerifier::new(&store, ChainOptions::default());
    let report = verify_with(&der, &chain);
    assert_eq!(report.verdict(), Verdict::Valid, "{report}");
    let s = &report.signers[0];
    assert_eq!(s.validation_time, (made, TimeSource::Timestamp));
    assert!(s.chain.as_ref().unwrap().checks.iter().any(|c| matches!(
        c.outcome,
        gmseal_cert::Outcome::RevokedAfterValidationTime(_)
    )));
    // Without the timestamp (not verified), the chain is checked now: revoked.
    let opts = VerifyOptions {
        chain: Some(&chain),
        verify_timestamps: false,
        ..VerifyOptions::default()
    };
    let report = verify_signed_data(&der, Content::Attached, &opts).unwrap();
    assert_eq!(report.verdict(), Verdict::Untrusted, "{report}");
    assert!(SystemTime::now() > date(2026, 3, 1).to_system_time());
}

#[test]
fn crls_carried_in_the_message_are_used() {
    // gmseal-cms does not write `crls`; put the CRL into the SignedData with the cms types.
    let pki = TestPki::shared();
    let signer = org_signer(pki);
    let crl = pki.crl(&[(
        &signer.cert,
        date(2026, 3, 1),
        Some(CrlReason::CessationOfOperation),
    )]);
    let der = sign(&signer, &[]);
    let ci = cms::content_info::ContentInfo::from_der(&der).unwrap();
    let mut sd: cms::signed_data::SignedData = ci.content.decode_as().unwrap();
    let list = x509_cert::crl::CertificateList::from_der(crl.der()).unwrap();
    sd.crls = Some(
        cms::revocation::RevocationInfoChoices::try_from(vec![
            cms::revocation::RevocationInfoChoice::Crl(list),
        ])
        .unwrap(),
    );
    let ci = cms::content_info::ContentInfo {
        content_type: ci.content_type,
        content: Any::encode_from(&sd).unwrap(),
    };
    let der = ci.to_der().unwrap();
    // The store has no CRL: the one in the message revokes.
    let store = pki.store();
    let chain = CertChainVerifier::new(&store, ChainOptions::default());
    let report = verify_with(&der, &chain);
    assert_eq!(report.verdict(), Verdict::Untrusted, "{report}");
    match cert_problem(&report.signers[0]) {
        (0, Problem::Revoked(r)) => assert_eq!(r.reason, Some(CrlReason::CessationOfOperation)),
        p => panic!("{p:?}"),
    }
}

#[test]
fn chain_summary_of_a_gmseal_cert_report() {
    let pki = TestPki::shared();
    let signer = org_signer(pki);
    let store = pki.store_with_crl(&[]);
    let chain = CertChainVerifier::new(&store, ChainOptions::default());
    let summary = chain
        .verify_chain(&signer.certificate(), &[], &[], SystemTime::now())
        .unwrap();
    assert_eq!(summary.path_len, 3);
    // The sub CA's CRL covers the leaf; nothing covers the sub CA (the root issued no CRL).
    assert!(!summary.revocation_checked);
    assert!(summary.report.is_some());
}
