//! Every OFD sample of the shared corpus gives the outcome its SOURCES.md documents.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use gmseal_ofd::signed_value::cms::SignVerifier;
use gmseal_ofd::{
    CheckKind, Deviation, Finding, Outcome, Package, ReferenceOutcome, Report, SignatureReport,
    SignatureType, Verdict, Verifier,
};

fn corpus(name: &str) -> Package {
    Package::from_bytes(gmseal_testkit::corpus_bytes(&format!("ofd/{name}.ofd"))).unwrap()
}

fn ofdrw_key() -> gmseal_sm2::PublicKey {
    // include_bytes!, not gmseal_testkit::test_vectors: with a target directory shared between
    // worktrees, testkit's compiled-in repository root may be another worktree's.
    let pem = include_bytes!("../../../test-vectors/ofd/ofdrw-USER-cert.pem");
    let der = &gmseal_sm2::key::pem_blocks(pem).unwrap()[0].1;
    gmseal_sm2::key::public_key_from_certificate_der(der)
        .unwrap()
        .key
}

/// The default verifier (gmseal-ses for seals, no trust anchors), with the ofdrw test key for
/// the bare signature of DigitalSign.ofd.
fn verifier() -> Verifier {
    Verifier::new().sign_verifier(SignVerifier::new().with_key(ofdrw_key()))
}

/// Every check of the signed value passes except the certificate chains, which are not checked
/// without trust anchors (gmseal-cert's chain verifier plugs in there).
fn all_but_chains_pass(s: &SignatureReport) {
    let v = s.signed_value.as_ref().unwrap();
    for c in &v.checks {
        match c.kind {
            CheckKind::CertificateChain => assert_eq!(c.outcome, Outcome::Indeterminate, "{c}"),
            _ => assert_eq!(c.outcome, Outcome::Pass, "{c}"),
        }
    }
    for k in [
        CheckKind::SignatureValue,
        CheckKind::DataHash,
        CheckKind::SealMakerSignature,
        CheckKind::SealValidity,
        CheckKind::PropertyInfo,
    ] {
        assert!(v.checks.iter().any(|c| c.kind == k), "no {k} check");
    }
}

fn check(s: &SignatureReport, kind: CheckKind) -> Outcome {
    s.signed_value
        .as_ref()
        .unwrap()
        .checks
        .iter()
        .find(|c| c.kind == kind)
        .unwrap_or_else(|| panic!("no {kind} check"))
        .outcome
}

fn matches(s: &SignatureReport) -> usize {
    s.references
        .iter()
        .filter(|r| r.outcome == ReferenceOutcome::Match)
        .count()
}

fn only_signature(r: &Report) -> &SignatureReport {
    assert_eq!(r.documents.len(), 1);
    assert_eq!(r.documents[0].signatures.len(), 1);
    &r.documents[0].signatures[0]
}

#[test]
fn unsigned_helloworld() {
    let r = verifier().verify(&corpus("unsigned-helloworld")).unwrap();
    assert_eq!(r.verdict, Verdict::Indeterminate);
    assert_eq!(r.documents[0].findings, [Finding::NoSignatures]);
    assert!(r.documents[0].signatures.is_empty());
}

#[test]
fn sign_sm2_raw_digital_sign() {
    let p = corpus("sign-sm2-raw-DigitalSign");
    let r = verifier().verify(&p).unwrap();
    let s = only_signature(&r);
    assert_eq!(s.kind, SignatureType::Sign);
    assert_eq!((matches(s), s.references.len()), (4, 4));
    assert_eq!(check(s, CheckKind::SignatureValue), Outcome::Pass);
    assert_eq!(s.verdict, Verdict::Valid, "{r}");
    // Signatures.xml is not protected (continue mode) and is not reported; nothing else is
    // uncovered.
    assert_eq!(r.uncovered().count(), 0, "{r}");
    assert_eq!(r.verdict, Verdict::Valid, "{r}");

    // No key: indeterminate. Another key: tampered.
    let r = Verifier::new().verify(&p).unwrap();
    assert_eq!(only_signature(&r).verdict, Verdict::Indeterminate);
    let other = gmseal_sm2::SoftwareSigner::generate().public_key();
    let r = Verifier::new()
        .sign_verifier(SignVerifier::new().with_key(other))
        .verify(&p)
        .unwrap();
    assert_eq!(only_signature(&r).verdict, Verdict::Tampered);
}

/// A seal whose references, SES checks, seal file and stamps all check out.
fn assert_seal_valid(r: &Report, refs: usize) {
    for s in r.signatures() {
        assert_eq!(s.kind, SignatureType::Seal);
        assert_eq!((matches(s), s.references.len()), (refs, refs), "{r}");
        assert_eq!(check(s, CheckKind::SealFile), Outcome::Pass);
        all_but_chains_pass(s);
        let v = s.signed_value.as_ref().unwrap();
        assert_eq!(v.format, "SES_Signature v4 (GB/T 38540-2020)");
        let pic = v.picture.as_ref().unwrap();
        assert_eq!(pic.kind.to_ascii_uppercase(), "PNG");
        assert!(pic.data.starts_with(b"\x89PNG"));
        assert!(
            s.stamps
                .iter()
                .all(|st| st.visible == Some(true) && st.page_protected == Some(true))
        );
        // Only the chains are unchecked (no trust anchors configured).
        assert_eq!(s.verdict, Verdict::Indeterminate, "{r}");
    }
    assert_eq!(r.uncovered().count(), 0, "{r}");
}

/// References, dataHash, signer and maker signatures all valid; but the document claims to be
/// signed in 2026 with a certificate and a seal that expired in 2022.
#[test]
fn seal_v4_continue() {
    let r = verifier()
        .verify(&corpus("seal-v4-continue-SESV4SignDoc"))
        .unwrap();
    let s = only_signature(&r);
    assert_eq!((matches(s), s.references.len()), (5, 5));
    for k in [
        CheckKind::SignatureValue,
        CheckKind::DataHash,
        CheckKind::SealMakerSignature,
        CheckKind::SealFile,
        CheckKind::PropertyInfo,
    ] {
        assert_eq!(check(s, k.clone()), Outcome::Pass, "{k}");
    }
    assert_eq!(check(s, CheckKind::SignerCertificate), Outcome::Untrusted);
    assert_eq!(check(s, CheckKind::SealValidity), Outcome::Untrusted);
    assert_eq!(s.verdict, Verdict::Untrusted);
    assert!(!s.protects_signature_list);
    assert_eq!(s.stamps[0].page_index, Some(0));
    assert_eq!(r.uncovered().count(), 0);
}

#[test]
fn seal_v4_whole_protected() {
    let r = verifier()
        .verify(&corpus("seal-v4-wholeprotected-allprotected"))
        .unwrap();
    assert_seal_valid(&r, 6);
    assert!(only_signature(&r).protects_signature_list);
    assert_eq!(r.verdict, Verdict::Indeterminate);
}

#[test]
fn seal_v4_riding() {
    let r = verifier()
        .verify(&corpus("seal-v4-riding-V4RideRight"))
        .unwrap();
    assert_seal_valid(&r, 9);
    let s = only_signature(&r);
    assert_eq!(s.stamps.len(), 5);
    for (k, st) in s.stamps.iter().enumerate() {
        assert_eq!(st.page_index, Some(k));
        let clip = st.clip.unwrap();
        assert_eq!((clip.x, clip.w), (8.0 * k as f64, 8.0));
        // The visible slice ends at the right edge of the 210 mm page.
        assert!((st.boundary.x + clip.x + clip.w - 210.0).abs() < 1e-9);
    }
}

#[test]
fn seal_v4_two_signatures_first_broken() {
    let p = corpus("seal-v4-two-sigs-first-broken-h");
    for v in [verifier(), verifier().lenient()] {
        let r = v.verify(&p).unwrap();
        let s001 = r.signature("s001").unwrap();
        let s007 = r.signature("s007").unwrap();
        // s001: exactly one failing reference, Signatures.xml; its SES value is fine.
        let failing: Vec<_> = s001
            .references
            .iter()
            .filter(|r| r.outcome != ReferenceOutcome::Match)
            .collect();
        assert_eq!(failing.len(), 1);
        assert_eq!(failing[0].file_ref, "/Doc_0/Signs/Signatures.xml");
        assert!(matches!(
            failing[0].outcome,
            ReferenceOutcome::Mismatch { .. }
        ));
        all_but_chains_pass(s001);
        assert_eq!(s001.verdict, Verdict::Tampered);
        // s007: fully valid (but for the unchecked chains), and protects s001's files.
        assert_eq!((matches(s007), s007.references.len()), (11, 11));
        all_but_chains_pass(s007);
        assert_eq!(s007.verdict, Verdict::Indeterminate, "{r}");
        assert!(
            s007.references
                .iter()
                .any(|r| r.file_ref == "/Doc_0/Signs/Sign_0/SignedValue.dat")
        );
        assert_eq!(r.verdict, Verdict::Tampered);
    }
    // Two MaxSignId elements: refused by strict mode at document level, tolerated by lenient.
    let strict = verifier().verify(&p).unwrap();
    assert!(
        strict.documents[0]
            .findings
            .contains(&Finding::NotTolerated(Deviation::MultipleMaxSignId {
                count: 2
            }))
    );
    let lenient = verifier().lenient().verify(&p).unwrap();
    assert_eq!(
        lenient.documents[0].tolerated,
        [Deviation::MultipleMaxSignId { count: 2 }]
    );
}

#[test]
fn seal_v1_tampered() {
    let p = corpus("seal-v1-tampered-n");
    // Lenient: dms360's CheckMethod is taken as SM3; all six references fail, and so do the
    // dataHash and the signer's signature; the v1 maker signature (over SEQ{sealInfo, cert,
    // alg}) verifies.
    let r = verifier().lenient().verify(&p).unwrap();
    let s = only_signature(&r);
    assert_eq!(s.id, "0");
    assert_eq!(
        s.kind,
        SignatureType::Seal,
        "no Type attribute: Seal is the default"
    );
    assert_eq!(s.references.len(), 6);
    assert!(
        s.references
            .iter()
            .all(|r| matches!(r.outcome, ReferenceOutcome::Mismatch { .. }))
    );
    assert_eq!(check(s, CheckKind::DataHash), Outcome::Fail);
    assert_eq!(check(s, CheckKind::SignatureValue), Outcome::Fail);
    assert_eq!(check(s, CheckKind::SealMakerSignature), Outcome::Pass);
    assert_eq!(
        s.signed_value.as_ref().unwrap().format,
        "SES_Signature v1 (GM/T 0031-2014)"
    );
    assert_eq!(s.verdict, Verdict::Tampered);
    assert!(s.tolerated.contains(&Deviation::ProviderChildElements));
    assert!(s.tolerated.contains(&Deviation::CheckMethodVendorOid {
        found: "1.2.156.10197.1.401.2".into()
    }));
    // The stamp is on page ID 1021, the second page.
    assert_eq!(s.stamps[0].page_index, Some(1));
    assert_eq!(
        r.documents[0].signatures_file.as_deref(),
        Some("Doc_0/Signatures.xml")
    );

    // Strict: the vendor CheckMethod is not accepted, so the digests are not computed; the
    // dataHash still fails.
    let r = verifier().verify(&p).unwrap();
    let s = only_signature(&r);
    assert!(
        s.references
            .iter()
            .all(|r| r.outcome == ReferenceOutcome::NotChecked)
    );
    assert!(
        s.findings
            .contains(&Finding::NotTolerated(Deviation::ProviderChildElements))
    );
    assert_eq!(s.verdict, Verdict::Tampered);
    assert_eq!(r.uncovered().count(), 0, "{r}");
}

/// Every corpus file opens, and verifies without error in both modes.
#[test]
fn every_corpus_file_verifies_without_error() {
    let dir = gmseal_testkit::corpus("ofd");
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_some_and(|x| x == "ofd") {
            let p = Package::open(&path).unwrap();
            verifier().verify(&p).unwrap();
            verifier().lenient().verify(&p).unwrap();
            n += 1;
        }
    }
    assert_eq!(n, 7);
}
