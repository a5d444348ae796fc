//! The token as the signer of gmseal-ofd: OFD seal signatures (GB/T 38540 `SES_Signature`) and
//! GB/T 35275 SignedData signatures made with a key that never leaves the software SKF token
//! (loaded by path, like a vendor library), their certificate read from the token, verified by
//! gmseal-ofd's verifier against a gmseal-cert trust store; two tokens side by side.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::io::{Read, Write};

use gmseal_cert::Role;
use gmseal_cert::issue::{Issuer, validity};
use gmseal_cert::profile::OrganisationSigning;
use gmseal_cert::subject::OrganisationSubject;
use gmseal_ofd::report::{CheckKind, Outcome};
use gmseal_ofd::signed_value::cms::SignedDataSigner;
use gmseal_ofd::signed_value::raw_sm2::{RawSm2Signer, RawSm2Verifier};
use gmseal_ofd::signed_value::ses::SesSigner;
use gmseal_ofd::trust::CertChain;
use gmseal_ofd::{Package, Rect, Report, SignOptions, Signer, Stamp, Verdict, Verifier};
use gmseal_ses::der::DateTime;
use gmseal_ses::{Seal, SealBuilder};
use gmseal_skf::{SignerConfig, SkfSigner};
use gmseal_skf_soft::{TestToken, TestTokenSpec};
use gmseal_sm2::Sm2SignerExt;
use gmseal_testkit::pki::{TestPki, USCC, date};

/// A token with a key generated on it and, stored beside it in its container, a certificate
/// for that key issued by the shared test PKI to `holder`.
fn token_with_certificate(holder: &str) -> (tempfile::TempDir, TestToken, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let t = TestToken::create(dir.path(), &TestTokenSpec::default()).unwrap();
    let pki = TestPki::shared();
    let subject = OrganisationSubject::new(holder, USCC).unwrap();
    let cert = Issuer::new(&pki.sub.key)
        .issue(
            OrganisationSigning::new(&subject, &pki.sub.cert).unwrap(),
            &t.public_key,
            validity(date(2020, 1, 1), date(2040, 1, 1)).unwrap(),
        )
        .unwrap();
    t.admin()
        .unwrap()
        .set_certificate(&t.device, &t.application, &t.container, true, cert.der())
        .unwrap();
    (dir, t, cert.der().to_vec())
}

fn open(t: &TestToken) -> SkfSigner {
    SkfSigner::open(
        &SignerConfig::new(&t.library, &t.application, &t.container, &t.user_pin).device(&t.device),
    )
    .unwrap()
}

/// A seal naming `holder_cert`, made by a seal maker of the test PKI.
fn seal(holder_cert: &[u8], es_id: &str) -> Seal {
    let maker = TestPki::shared().leaf(Role::SealMaker, "示例印章制作有限公司");
    let now = std::time::SystemTime::now();
    let year = std::time::Duration::from_secs(365 * 86_400);
    SealBuilder::new(es_id, "示例有限公司合同专用章", maker.der())
        .holder_certificate(holder_cert.to_vec())
        .validity(
            DateTime::from_system_time(now - year).unwrap(),
            DateTime::from_system_time(now + year).unwrap(),
        )
        .created(DateTime::from_system_time(now - year).unwrap())
        .picture("PNG", png(), 40, 40)
        .sign(&maker.key)
        .unwrap()
}

/// The seal picture of a corpus OFD's seal.
fn png() -> Vec<u8> {
    let p = Package::from_bytes(gmseal_testkit::corpus_bytes(
        "ofd/seal-v4-continue-SESV4SignDoc.ofd",
    ))
    .unwrap();
    let esl = p.read("Doc_0/Signs/Sign_0/Seal.esl").unwrap();
    Seal::from_der(&esl).unwrap().picture().data.to_vec()
}

fn stamp(x: f64) -> SignOptions {
    SignOptions::default().stamp(Stamp::at(0, Rect::new(x, 50.0, 40.0, 40.0)))
}

fn trusting() -> Verifier {
    Verifier::trusting(CertChain::new(TestPki::shared().store()))
}

fn verify(v: &Verifier, package: &[u8]) -> Report {
    v.verify(&Package::from_bytes(package.to_vec()).unwrap())
        .unwrap()
}

fn outcomes(r: &Report, id: &str, kind: CheckKind) -> Vec<Outcome> {
    r.signature(id)
        .unwrap()
        .signed_value
        .as_ref()
        .unwrap()
        .checks
        .iter()
        .filter(|c| c.kind == kind)
        .map(|c| c.outcome)
        .collect()
}

/// `package` with the first page's content changed after signing.
fn change_page(package: &[u8]) -> Vec<u8> {
    let mut a = zip::ZipArchive::new(std::io::Cursor::new(package)).unwrap();
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut changed = false;
    for i in 0..a.len() {
        let mut f = a.by_index(i).unwrap();
        let name = f.name().to_owned();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        if name.ends_with("Pages/Page_0/Content.xml") {
            let at = data.windows(2).position(|x| x == b"</").unwrap();
            data.splice(at..at, b"<!-- changed -->".iter().copied());
            changed = true;
        }
        if name.ends_with('/') {
            w.add_directory(
                name.trim_end_matches('/'),
                zip::write::SimpleFileOptions::default(),
            )
            .unwrap();
        } else {
            w.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(&data).unwrap();
        }
    }
    assert!(changed);
    w.finish().unwrap().into_inner()
}

#[test]
fn an_ofd_sealed_with_the_token_verifies_and_tampering_is_reported() {
    let (_dir, t, cert) = token_with_certificate("示例有限公司");
    let token = open(&t);
    // The holder's certificate as the token holds it.
    assert_eq!(token.certificate(), Some(cert.as_slice()));
    assert_eq!(token.public_key(), t.public_key);
    let seal = seal(&cert, "3301020000001");
    let doc = gmseal_testkit::corpus_bytes("ofd/unsigned-helloworld.ofd");

    // A seal signature by the token ...
    let sealed = Signer::new(&SesSigner::new(&seal, cert.clone(), &token))
        .sign(&doc, &stamp(100.0))
        .unwrap();
    // ... and a GB/T 35275 signature by the token over the sealed document.
    let x509 = gmseal_cert::Cert::from_der(&cert)
        .unwrap()
        .certificate()
        .clone();
    let both = Signer::new(&SignedDataSigner::new(&token, x509))
        .sign(&sealed.package, &SignOptions::default())
        .unwrap();

    let r = verify(&trusting(), &both.package);
    assert_eq!(r.verdict, Verdict::Valid, "{r}");
    for id in [&sealed.signature_id, &both.signature_id] {
        assert_eq!(r.signature(id).unwrap().verdict, Verdict::Valid, "{r}");
        assert_eq!(
            outcomes(&r, id, CheckKind::SignatureValue),
            vec![Outcome::Pass],
            "{r}"
        );
        assert_eq!(
            outcomes(&r, id, CheckKind::CertificateChain)[0],
            Outcome::Pass,
            "{r}"
        );
        let v = r.signature(id).unwrap().signed_value.as_ref().unwrap();
        assert_eq!(v.signer_certificate.as_deref(), Some(cert.as_slice()));
    }
    let v = r
        .signature(&sealed.signature_id)
        .unwrap()
        .signed_value
        .as_ref()
        .unwrap();
    assert_eq!(v.seal_id.as_deref(), Some("3301020000001"));

    // The page changed after signing: both signatures' references fail.
    let bad = change_page(&both.package);
    let r = verify(&trusting(), &bad);
    assert_eq!(r.verdict, Verdict::Tampered, "{r}");
    for id in [&sealed.signature_id, &both.signature_id] {
        assert_eq!(r.signature(id).unwrap().verdict, Verdict::Tampered, "{r}");
    }

    // Without the PKI's root the token's signatures are intact but not trusted.
    let other = TestPki::named("other");
    let r = verify(
        &Verifier::trusting(CertChain::new(other.store())),
        &both.package,
    );
    assert_ne!(r.verdict, Verdict::Valid, "{r}");
    assert_eq!(
        outcomes(&r, &sealed.signature_id, CheckKind::SignatureValue),
        vec![Outcome::Pass],
        "{r}"
    );
}

#[test]
fn two_tokens_side_by_side_each_signature_verifies_with_its_own_certificate_only() {
    let (_d1, t1, cert1) = token_with_certificate("甲有限公司");
    let (_d2, t2, cert2) = token_with_certificate("乙有限公司");
    // Two copies of the token library, under different file names, loaded at once.
    assert_ne!(t1.library, t2.library);
    let (k1, k2) = (open(&t1), open(&t2));
    assert_ne!(k1.public_key(), k2.public_key());
    assert_eq!(k1.certificate(), Some(cert1.as_slice()));
    assert_eq!(k2.certificate(), Some(cert2.as_slice()));
    let doc = gmseal_testkit::corpus_bytes("ofd/unsigned-helloworld.ofd");

    // Each token seals the document with its own seal; the second seals over the first.
    let (seal1, seal2) = (seal(&cert1, "3301020000011"), seal(&cert2, "3301020000012"));
    let first = Signer::new(&SesSigner::new(&seal1, cert1.clone(), &k1))
        .sign(&doc, &stamp(20.0))
        .unwrap();
    let second = Signer::new(&SesSigner::new(&seal2, cert2.clone(), &k2))
        .sign(&first.package, &stamp(120.0))
        .unwrap();
    let r = verify(&trusting(), &second.package);
    assert_eq!(r.verdict, Verdict::Valid, "{r}");
    for (id, cert) in [
        (&first.signature_id, &cert1),
        (&second.signature_id, &cert2),
    ] {
        let v = r.signature(id).unwrap().signed_value.as_ref().unwrap();
        assert_eq!(
            v.signer_certificate.as_deref(),
            Some(cert.as_slice()),
            "{r}"
        );
    }

    // A bare SM2 signature by each token (the value names no certificate): it verifies with
    // the key of its own token's certificate and not with the other's.
    let pk = |der: &[u8]| {
        gmseal_sm2::key::public_key_from_certificate_der(der)
            .unwrap()
            .key
    };
    for (token, own, other) in [(&k1, &cert1, &cert2), (&k2, &cert2, &cert1)] {
        let signed = Signer::new(&RawSm2Signer::new(token))
            .sign(&doc, &SignOptions::default())
            .unwrap();
        let with = |key| Verifier::new().sign_verifier(RawSm2Verifier::new().with_key(key));
        let r = verify(&with(pk(own)), &signed.package);
        assert_eq!(r.verdict, Verdict::Valid, "{r}");
        let r = verify(&with(pk(other)), &signed.package);
        assert_eq!(
            outcomes(&r, &signed.signature_id, CheckKind::SignatureValue),
            vec![Outcome::Fail],
            "{r}"
        );
        assert_eq!(r.verdict, Verdict::Tampered, "{r}");
    }

    // A seal signature by token 2 claiming token 1's certificate (and seal) is refused
    // before anything is written.
    let e = Signer::new(&SesSigner::new(&seal1, cert1.clone(), &k2))
        .sign(&doc, &stamp(20.0))
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("signing key does not match the signer certificate"),
        "{e}"
    );
}
