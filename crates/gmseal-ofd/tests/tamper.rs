//! Tampering: each change to a signed package is caught, with the right reason.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

#[path = "support/zipedit.rs"]
mod zipedit;

use gmseal_ofd::signed_value::raw_sm2::{RawSm2Signer, RawSm2Verifier};
use gmseal_ofd::{
    CheckKind, Finding, Outcome, Package, Rect, Report, SignOptions, Signer, Stamp, Verdict,
    Verifier,
};
use gmseal_sm2::SoftwareSigner;

struct Doc {
    bytes: Vec<u8>,
    k1: SoftwareSigner,
    k2: SoftwareSigner,
}

/// helloworld signed twice (s001 by k1, s003 by k2).
fn doc() -> Doc {
    let k1 = SoftwareSigner::from_bytes(&[1; 32]).unwrap();
    let k2 = SoftwareSigner::from_bytes(&[2; 32]).unwrap();
    let o = SignOptions::default().stamp(Stamp::at(0, Rect::new(100.0, 50.0, 40.0, 40.0)));
    let mut bytes = gmseal_testkit::corpus_bytes("ofd/unsigned-helloworld.ofd");
    for k in [&k1, &k2] {
        bytes = Signer::new(&RawSm2Signer::new(k))
            .sign(&bytes, &o)
            .unwrap()
            .package;
    }
    Doc { bytes, k1, k2 }
}

fn verify(d: &Doc, bytes: Vec<u8>) -> Report {
    Verifier::new()
        .sign_verifier(
            RawSm2Verifier::new()
                .with_key(d.k1.public_key())
                .with_key(d.k2.public_key()),
        )
        .verify(&Package::from_bytes(bytes).unwrap())
        .unwrap()
}

fn signature_value(r: &Report, id: &str) -> Outcome {
    r.signature(id)
        .unwrap()
        .signed_value
        .as_ref()
        .unwrap()
        .checks
        .iter()
        .find(|c| c.kind == CheckKind::SignatureValue)
        .unwrap()
        .outcome
}

#[test]
fn untouched_is_valid() {
    let d = doc();
    let r = verify(&d, d.bytes.clone());
    assert_eq!(r.verdict, Verdict::Valid, "{r}");
    assert!(r.findings.is_empty());
}

#[test]
fn changed_page_content() {
    let d = doc();
    let page = "Doc_0/Pages/Page_0/Content.xml";
    let t = zipedit::edit(
        &d.bytes,
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
    let r = verify(&d, t);
    assert_eq!(r.verdict, Verdict::Tampered);
    for id in ["s001", "s003"] {
        let s = r.signature(id).unwrap();
        assert_eq!(s.verdict, Verdict::Tampered);
        assert!(matches!(&s.findings[0], Finding::DigestMismatch { file, .. } if file == page));
        // The signature values themselves still hold: only the page changed.
        assert_eq!(signature_value(&r, id), Outcome::Pass);
        // The stamp's page is the changed one.
        assert_eq!(s.stamps[0].page_protected, Some(false));
    }
    let cov = r.coverage.iter().find(|c| c.file == page).unwrap();
    assert_eq!(cov.changed_for, ["s001", "s003"]);
}

#[test]
fn added_file() {
    let d = doc();
    let t = zipedit::edit(
        &d.bytes,
        |_, b| Some(b.to_vec()),
        &[("Doc_0/Res/added.png", b"\x89PNG...")],
    );
    let r = verify(&d, t);
    // Both signatures still hold, but the package holds a file no signature protects.
    assert!(r.signatures().all(|s| s.verdict == Verdict::Valid));
    assert_eq!(r.uncovered().collect::<Vec<_>>(), ["Doc_0/Res/added.png"]);
    assert_eq!(r.verdict, Verdict::Indeterminate);
}

#[test]
fn removed_file() {
    let d = doc();
    let t = zipedit::edit(
        &d.bytes,
        |n, b| (n != "Doc_0/PublicRes.xml").then(|| b.to_vec()),
        &[],
    );
    let r = verify(&d, t);
    assert!(
        r.signatures()
            .all(|s| s.findings.contains(&Finding::ReferencedFileMissing {
                file_ref: "/Doc_0/PublicRes.xml".into()
            }))
    );
    assert_eq!(r.verdict, Verdict::Tampered);
}

fn drop_entry(bytes: &[u8], id: &str) -> Vec<u8> {
    zipedit::edit(
        bytes,
        |n, b| {
            Some(if n == "Doc_0/Signs/Signatures.xml" {
                let s = String::from_utf8(b.to_vec()).unwrap();
                let start = s.find(&format!("<ofd:Signature ID=\"{id}\"")).unwrap();
                let end = start + s[start..].find("/>").unwrap() + 2;
                format!("{}{}", &s[..start], &s[end..]).into_bytes()
            } else {
                b.to_vec()
            })
        },
        &[],
    )
}

#[test]
fn signature_dropped_from_the_list() {
    let d = doc();
    // Drop the last signature: its files stay in the package, unlisted.
    let r = verify(&d, drop_entry(&d.bytes, "s003"));
    assert_eq!(r.signatures().count(), 1);
    assert!(r.findings.contains(&Finding::UnlistedSignature {
        file: "Doc_0/Signs/Sign_1/Signature.xml".into()
    }));
    assert_eq!(r.verdict, Verdict::Tampered, "{r}");
    // Drop the first: s003 still verifies (it protects s001's files, which are unchanged), but
    // s001 is no longer listed.
    let r = verify(&d, drop_entry(&d.bytes, "s001"));
    assert_eq!(r.signature("s003").unwrap().verdict, Verdict::Valid);
    assert!(r.findings.contains(&Finding::UnlistedSignature {
        file: "Doc_0/Signs/Sign_0/Signature.xml".into()
    }));
    assert_eq!(r.verdict, Verdict::Tampered);
    // Dropping the last signature entirely (entry and files) leaves a document signed once,
    // which is what it was before: the first signature is intact.
    let gone = zipedit::edit(
        &drop_entry(&d.bytes, "s003"),
        |n, b| (!n.starts_with("Doc_0/Signs/Sign_1/")).then(|| b.to_vec()),
        &[],
    );
    let r = verify(&d, gone);
    assert_eq!(r.verdict, Verdict::Valid);
    // ... whereas dropping the first one's files breaks the second.
    let gone = zipedit::edit(
        &drop_entry(&d.bytes, "s001"),
        |n, b| (!n.starts_with("Doc_0/Signs/Sign_0/")).then(|| b.to_vec()),
        &[],
    );
    let r = verify(&d, gone);
    assert!(
        r.signature("s003")
            .unwrap()
            .findings
            .contains(&Finding::ReferencedFileMissing {
                file_ref: "/Doc_0/Signs/Sign_0/SignedValue.dat".into()
            })
    );
}

#[test]
fn swapped_signed_values() {
    let d = doc();
    let v0 = zipedit::get(&d.bytes, "Doc_0/Signs/Sign_0/SignedValue.dat");
    let v1 = zipedit::get(&d.bytes, "Doc_0/Signs/Sign_1/SignedValue.dat");
    let t = zipedit::edit(
        &d.bytes,
        |n, b| {
            Some(match n {
                "Doc_0/Signs/Sign_0/SignedValue.dat" => v1.clone(),
                "Doc_0/Signs/Sign_1/SignedValue.dat" => v0.clone(),
                _ => b.to_vec(),
            })
        },
        &[],
    );
    let r = verify(&d, t);
    assert_eq!(signature_value(&r, "s001"), Outcome::Fail);
    assert_eq!(signature_value(&r, "s003"), Outcome::Fail);
    // s003 also protects s001's value, which changed.
    assert!(
        r.signature("s003")
            .unwrap()
            .findings
            .iter()
            .any(|f| matches!(f,
        Finding::DigestMismatch { file, .. } if file == "Doc_0/Signs/Sign_0/SignedValue.dat"))
    );
    assert!(r.signatures().all(|s| s.verdict == Verdict::Tampered));
}

#[test]
fn edited_signature_description() {
    let d = doc();
    // Point the last signature's stamp elsewhere: Signature.xml is what the value signs.
    let t = zipedit::edit(
        &d.bytes,
        |n, b| {
            Some(if n == "Doc_0/Signs/Sign_1/Signature.xml" {
                String::from_utf8(b.to_vec())
                    .unwrap()
                    .replace("Boundary=\"100 50 40 40\"", "Boundary=\"10 50 40 40\"")
                    .into_bytes()
            } else {
                b.to_vec()
            })
        },
        &[],
    );
    let r = verify(&d, t);
    assert_eq!(signature_value(&r, "s003"), Outcome::Fail);
    assert_eq!(r.signature("s001").unwrap().verdict, Verdict::Valid);
}

/// The seal picture lives in the seal (Seal.esl and, inside the signed value, the SESeal).
/// Replacing it in Seal.esl breaks the Seal.esl reference and the seal-file check.
#[test]
fn replaced_seal_picture() {
    let bytes = gmseal_testkit::corpus_bytes("ofd/seal-v4-continue-SESV4SignDoc.ofd");
    let esl = "Doc_0/Signs/Sign_0/Seal.esl";
    let seal = zipedit::get(&bytes, esl);
    // The picture is a PNG inside the seal: change one byte of its IDAT data.
    let idat = seal.windows(4).position(|w| w == b"IDAT").unwrap();
    let mut forged = seal.clone();
    forged[idat + 20] ^= 0xFF;
    let t = zipedit::edit(
        &bytes,
        |n, b| Some(if n == esl { forged.clone() } else { b.to_vec() }),
        &[],
    );
    let r = Verifier::new()
        .verify(&Package::from_bytes(t).unwrap())
        .unwrap();
    let s = r.signature("1").unwrap();
    assert!(matches!(&s.findings[0], Finding::DigestMismatch { file, .. } if file == esl));
    assert!(s.findings.iter().any(|f| matches!(f,
        Finding::SignedValue(c) if c.kind == CheckKind::SealFile && c.outcome == Outcome::Fail)));
    assert_eq!(s.verdict, Verdict::Tampered);
}

#[test]
fn one_signature_listed_twice() {
    let d = doc();
    let t = zipedit::edit(
        &d.bytes,
        |n, b| {
            Some(if n == "Doc_0/Signs/Signatures.xml" {
                String::from_utf8(b.to_vec())
                    .unwrap()
                    .replace("Sign_1/Signature.xml", "Sign_0/Signature.xml")
                    .into_bytes()
            } else {
                b.to_vec()
            })
        },
        &[],
    );
    let r = verify(&d, t);
    let doc = &r.documents[0];
    assert!(doc.findings.contains(&Finding::DuplicateSignatureFile {
        file: "Doc_0/Signs/Sign_0/Signature.xml".into()
    }));
    assert!(r.signatures().all(|s| {
        s.findings
            .iter()
            .any(|f| matches!(f, Finding::SharedSignedValue { .. }))
    }));
    // Sign_1's files are now listed by nobody.
    assert!(r.findings.contains(&Finding::UnlistedSignature {
        file: "Doc_0/Signs/Sign_1/Signature.xml".into()
    }));
    assert_eq!(r.verdict, Verdict::Tampered);
}
