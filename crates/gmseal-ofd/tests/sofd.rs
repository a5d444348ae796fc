//! sOFD (`sofd-sign` 0.6) as an independent oracle.
//!
//! sOFD verifies GB/T 38540 seals through the SES signature and its dataHash, but does not
//! recompute the per-file CheckValues of a seal signature; for a bare (non-SES) signature value
//! it recomputes every CheckValue, then checks the SM2 signature its own way (over
//! SM3 of the concatenated digests) against an embedded certificate. So:
//! * on seals, our reference checks are stricter than sOFD's, and the tests show a stale
//!   reference sOFD accepts and we reject;
//! * on our Type="Sign" documents, sOFD confirms every reference digest we wrote (it answers
//!   `Unchecked`, not `Tampered`, since the value carries no certificate) and catches a changed
//!   page as we do.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

#[path = "support/zipedit.rs"]
mod zipedit;

use gmseal_ofd::signed_value::raw_sm2::RawSm2Signer;
use gmseal_ofd::{Finding, Package, Rect, SignOptions, Signer, Stamp, Verdict, Verifier};
use sofd_sign::VerifyStatus;

/// sOFD's verdict for each signature of the list at `list`: `Err` carries its error text.
fn sofd(bytes: &[u8], list: &str) -> Vec<(Option<String>, Result<VerifyStatus, String>)> {
    let mut p = sofd_package::Package::from_bytes(bytes).unwrap();
    let refs = sofd_sign::read_sign_list(&mut p, list).unwrap();
    refs.iter()
        .map(|r| {
            let sig = sofd_sign::read_signature(&mut p, &r.base_loc).unwrap();
            (
                r.id.clone(),
                sofd_sign::verify_signature(&mut p, &sig).map_err(|e| e.to_string()),
            )
        })
        .collect()
}

fn ours(bytes: Vec<u8>) -> gmseal_ofd::Report {
    Verifier::new()
        .verify(&Package::from_bytes(bytes).unwrap())
        .unwrap()
}

/// The only findings are the certificate chains gmseal does not check without trust anchors.
fn only_chains_unchecked(s: &gmseal_ofd::SignatureReport) -> bool {
    s.findings.iter().all(|f| {
        matches!(f, Finding::SignedValue(c) if c.kind == gmseal_ofd::CheckKind::CertificateChain)
    })
}

/// h.ofd: s001's reference to Signatures.xml is stale. sOFD says Valid, we say Tampered.
#[test]
fn stale_reference_sofd_accepts_and_we_reject() {
    let bytes = gmseal_testkit::corpus_bytes("ofd/seal-v4-two-sigs-first-broken-h.ofd");
    let theirs = sofd(&bytes, "Doc_0/Signs/Signatures.xml");
    assert_eq!(theirs.len(), 2);
    assert_eq!(theirs[0], (Some("s001".into()), Ok(VerifyStatus::Valid)));
    assert_eq!(theirs[1], (Some("s007".into()), Ok(VerifyStatus::Valid)));
    let r = ours(bytes);
    let s001 = r.signature("s001").unwrap();
    assert_eq!(s001.verdict, Verdict::Tampered);
    assert!(
        matches!(&s001.findings[0], Finding::DigestMismatch { file, .. }
        if file == "Doc_0/Signs/Signatures.xml")
    );
}

/// A page of an ofdrw seal sample rewritten after signing: sOFD still says Valid (its seal path
/// never re-hashes the page), we report the page.
#[test]
fn changed_page_under_a_seal() {
    let bytes = gmseal_testkit::corpus_bytes("ofd/seal-v4-wholeprotected-allprotected.ofd");
    assert_eq!(
        sofd(&bytes, "Doc_0/Signs/Signatures.xml")[0].1,
        Ok(VerifyStatus::Valid)
    );
    let page = "Doc_0/Pages/Page_0/Content.xml";
    let t = zipedit::edit(
        &bytes,
        |n, b| {
            Some(if n == page {
                String::from_utf8(b.to_vec())
                    .unwrap()
                    .replace("你好呀", "再见了")
                    .into_bytes()
            } else {
                b.to_vec()
            })
        },
        &[],
    );
    assert_eq!(
        sofd(&t, "Doc_0/Signs/Signatures.xml")[0].1,
        Ok(VerifyStatus::Valid),
        "sOFD does not re-hash references of a seal signature"
    );
    let r = ours(t);
    let s = r.signature("001").unwrap();
    assert_eq!(s.verdict, Verdict::Tampered);
    assert!(matches!(&s.findings[0], Finding::DigestMismatch { file, .. } if file == page));
}

/// Our Type="Sign" output read by sOFD: it finds our list and descriptor, re-hashes every
/// reference and finds them all equal (so it answers Unchecked, for want of a certificate,
/// rather than Tampered); after a page is changed it reports tampering, as we do.
#[test]
fn sofd_confirms_our_reference_digests() {
    let k = gmseal_sm2::SoftwareSigner::from_bytes(&[5; 32]).unwrap();
    let mut doc = gmseal_testkit::corpus_bytes("ofd/unsigned-helloworld.ofd");
    let o = SignOptions::default().stamp(Stamp::at(0, Rect::new(100.0, 50.0, 40.0, 40.0)));
    for _ in 0..2 {
        doc = Signer::new(&RawSm2Signer::new(&k))
            .sign(&doc, &o)
            .unwrap()
            .package;
    }
    let theirs = sofd(&doc, "Doc_0/Signs/Signatures.xml");
    assert_eq!(
        theirs,
        [
            (Some("s001".into()), Ok(VerifyStatus::Unchecked)),
            (Some("s003".into()), Ok(VerifyStatus::Unchecked))
        ]
    );
    let page = "Doc_0/Pages/Page_0/Content.xml";
    let t = zipedit::edit(
        &doc,
        |n, b| {
            let mut b = b.to_vec();
            if n == page {
                b.extend_from_slice(b"<!-- appended -->");
            }
            Some(b)
        },
        &[],
    );
    for (_, v) in sofd(&t, "Doc_0/Signs/Signatures.xml") {
        let e = v.unwrap_err();
        assert!(e.contains("tamper"), "{e}");
    }
    assert_eq!(ours(t).verdict, Verdict::Tampered);
}

/// sOFD and gmseal on every seal sample of the corpus (sOFD's verdict recorded for the
/// comparison; the differences are the ones described above).
#[test]
fn corpus_verdicts_side_by_side() {
    let cases = [
        (
            "seal-v4-wholeprotected-allprotected",
            "Doc_0/Signs/Signatures.xml",
        ),
        ("seal-v4-riding-V4RideRight", "Doc_0/Signs/Signatures.xml"),
        (
            "seal-v4-continue-SESV4SignDoc",
            "Doc_0/Signs/Signatures.xml",
        ),
        ("seal-v1-tampered-n", "Doc_0/Signatures.xml"),
    ];
    for (name, list) in cases {
        let bytes = gmseal_testkit::corpus_bytes(&format!("ofd/{name}.ofd"));
        let theirs = sofd(&bytes, list);
        let r = ours(bytes);
        eprintln!("{name}: sOFD {theirs:?}; gmseal {}", r.verdict);
        match name {
            // Fully valid seals: sOFD agrees.
            "seal-v4-wholeprotected-allprotected" | "seal-v4-riding-V4RideRight" => {
                assert_eq!(theirs[0].1, Ok(VerifyStatus::Valid));
                assert!(r.signatures().all(only_chains_unchecked), "{r}");
            }
            // The signer certificate had expired before the claimed signing time (sOFD's only
            // certificate check); the reference and seal checks pass on both sides.
            "seal-v4-continue-SESV4SignDoc" => {
                assert_eq!(theirs[0].1, Ok(VerifyStatus::Unchecked));
                assert_eq!(r.verdict, Verdict::Untrusted);
            }
            // v1: sOFD does not accept it; we find everything changed.
            _ => {
                assert_ne!(theirs[0].1, Ok(VerifyStatus::Valid));
                assert_eq!(r.verdict, Verdict::Tampered);
            }
        }
    }
}
