//! Strict by default, lenient on request: each deviation real files contain is refused (the
//! signature is indeterminate) or tolerated and listed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

#[path = "support/zipedit.rs"]
mod zipedit;

use gmseal_ofd::signed_value::cms::SignVerifier;
use gmseal_ofd::signed_value::raw_sm2::RawSm2Signer;
use gmseal_ofd::{Deviation, Finding, Package, SignOptions, Signer, Verdict, Verifier};
use gmseal_sm2::encoding::SignatureFormat;
use gmseal_sm2::{DistId, Sm2SignerExt, SoftwareSigner};

const SIG: &str = "Doc_0/Signs/Sign_0/Signature.xml";
const VALUE: &str = "Doc_0/Signs/Sign_0/SignedValue.dat";

/// helloworld signed with a bare SM2 signature, Signature.xml then rewritten by `edit` and
/// signed again (as the deviating writer would have signed it).
fn deviating(edit: impl Fn(String) -> String) -> (Vec<u8>, SoftwareSigner) {
    let k = SoftwareSigner::from_bytes(&[3; 32]).unwrap();
    let signed = Signer::new(&RawSm2Signer::new(&k))
        .sign(
            &gmseal_testkit::corpus_bytes("ofd/unsigned-helloworld.ofd"),
            &SignOptions::default(),
        )
        .unwrap()
        .package;
    let xml = edit(String::from_utf8(zipedit::get(&signed, SIG)).unwrap()).into_bytes();
    let value = k
        .sign_message_encoded(&DistId::default(), &xml, SignatureFormat::Der)
        .unwrap();
    let out = zipedit::edit(
        &signed,
        |n, b| {
            Some(match n {
                SIG => xml.clone(),
                VALUE => value.clone(),
                _ => b.to_vec(),
            })
        },
        &[],
    );
    (out, k)
}

fn both(bytes: &[u8], k: &SoftwareSigner) -> (gmseal_ofd::Report, gmseal_ofd::Report) {
    let v = || Verifier::new().sign_verifier(SignVerifier::new().with_key(k.public_key()));
    let p = Package::from_bytes(bytes.to_vec()).unwrap();
    (v().verify(&p).unwrap(), v().lenient().verify(&p).unwrap())
}

fn expect(edit: impl Fn(String) -> String, deviation: Deviation) {
    let (bytes, k) = deviating(edit);
    let (strict, lenient) = both(&bytes, &k);
    let s = strict.signature("s001").unwrap();
    assert!(
        s.findings
            .contains(&Finding::NotTolerated(deviation.clone())),
        "strict: {strict}"
    );
    assert_eq!(s.verdict, Verdict::Indeterminate, "{strict}");
    let l = lenient.signature("s001").unwrap();
    assert!(l.tolerated.contains(&deviation), "lenient: {lenient}");
    assert_eq!(l.verdict, Verdict::Valid, "{lenient}");
    assert_eq!(lenient.verdict, Verdict::Valid, "{lenient}");
}

#[test]
fn file_ref_without_leading_slash() {
    expect(
        |x| {
            x.replace(
                "FileRef=\"/Doc_0/Document.xml\"",
                "FileRef=\"Doc_0/Document.xml\"",
            )
        },
        Deviation::FileRefNotAbsolute {
            file_ref: "Doc_0/Document.xml".into(),
        },
    );
}

#[test]
fn check_method_letter_case() {
    expect(
        |x| x.replace("CheckMethod=\"1.2.156.10197.1.401\"", "CheckMethod=\"sm3\""),
        Deviation::CheckMethodCase {
            found: "sm3".into(),
        },
    );
}

#[test]
fn check_method_dms360_oid() {
    expect(
        |x| {
            x.replace(
                "CheckMethod=\"1.2.156.10197.1.401\"",
                "CheckMethod=\"1.2.156.10197.1.401.2\"",
            )
        },
        Deviation::CheckMethodVendorOid {
            found: "1.2.156.10197.1.401.2".into(),
        },
    );
}

#[test]
fn check_method_missing() {
    expect(
        |x| x.replace(" CheckMethod=\"1.2.156.10197.1.401\"", ""),
        Deviation::CheckMethodMissing,
    );
}

#[test]
fn provider_as_child_elements() {
    expect(
        |x| {
            let start = x.find("<ofd:Provider").unwrap();
            let end = start + x[start..].find("/>").unwrap() + 2;
            format!(
                "{}<ofd:Provider><ofd:ProviderName>iOFD</ofd:ProviderName></ofd:Provider>{}",
                &x[..start],
                &x[end..]
            )
        },
        Deviation::ProviderChildElements,
    );
}

#[test]
fn path_in_another_letter_case() {
    expect(
        |x| {
            x.replace(
                "FileRef=\"/Doc_0/PublicRes.xml\"",
                "FileRef=\"/Doc_0/publicres.xml\"",
            )
        },
        Deviation::PathCase {
            written: "Doc_0/publicres.xml".into(),
            found: "Doc_0/PublicRes.xml".into(),
        },
    );
}

#[test]
fn raw_r_s_signature_value() {
    let k = SoftwareSigner::from_bytes(&[3; 32]).unwrap();
    let signed = Signer::new(&RawSm2Signer::new(&k))
        .sign(
            &gmseal_testkit::corpus_bytes("ofd/unsigned-helloworld.ofd"),
            &SignOptions::default(),
        )
        .unwrap()
        .package;
    let xml = zipedit::get(&signed, SIG);
    let raw = k
        .sign_message_encoded(&DistId::default(), &xml, SignatureFormat::Raw)
        .unwrap();
    let t = zipedit::edit(
        &signed,
        |n, b| Some(if n == VALUE { raw.clone() } else { b.to_vec() }),
        &[],
    );
    let (strict, lenient) = both(&t, &k);
    // Strict: the encoding is refused (indeterminate), the signature itself still checked.
    let s = strict.signature("s001").unwrap();
    assert_eq!(s.verdict, Verdict::Indeterminate, "{strict}");
    let checks = &s.signed_value.as_ref().unwrap().checks;
    assert!(
        checks
            .iter()
            .any(|c| c.kind == gmseal_ofd::CheckKind::SignatureValue
                && c.outcome == gmseal_ofd::Outcome::Pass)
    );
    let l = lenient.signature("s001").unwrap();
    assert_eq!(l.verdict, Verdict::Valid, "{lenient}");
    assert_eq!(
        l.tolerated,
        [Deviation::SignatureEncoding(
            gmseal_sm2::Deviation::RawInsteadOfDer
        )]
    );
}
