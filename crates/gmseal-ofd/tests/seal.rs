//! Seal signatures (Type="Seal", SES v4 by default, v1 on request) and GB/T 35275 signatures
//! (Type="Sign") made and verified through gmseal-ses and gmseal-cms; sOFD verifies our seals.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

#[path = "support/pki.rs"]
mod pki;
#[path = "support/zipedit.rs"]
mod zipedit;

use gmseal_ofd::signed_value::cms::{SignVerifier, SignedDataSigner, SignedDataVerifier};
use gmseal_ofd::signed_value::ses::{SesSigner, SesVerifier};
use gmseal_ofd::{
    CheckKind, Finding, Outcome, Package, Rect, Report, Side, SignOptions, SignatureType, Signer,
    Stamp, Verdict, Verifier,
};
use gmseal_ses::SesVersion;
use sofd_sign::VerifyStatus;

fn helloworld() -> Vec<u8> {
    gmseal_testkit::corpus_bytes("ofd/unsigned-helloworld.ofd")
}

fn stamp() -> SignOptions {
    SignOptions::default().stamp(Stamp::at(0, Rect::new(100.0, 50.0, 40.0, 40.0)))
}

/// The default verifier plus chain verifiers that trust our test PKI.
fn trusting(p: &pki::Pki) -> Verifier {
    Verifier::new()
        .seal_verifier(SesVerifier::new().with_chain_verifier(pki::Pinned(vec![
            p.maker_cert.clone(),
            p.holder_cert.clone(),
        ])))
        .sign_verifier(
            SignVerifier::new().signed_data(
                SignedDataVerifier::new()
                    .with_chain_verifier(pki::PinnedCms(vec![p.holder_cert.clone()])),
            ),
        )
}

fn verify(v: &Verifier, bytes: &[u8]) -> Report {
    v.verify(&Package::from_bytes(bytes.to_vec()).unwrap())
        .unwrap()
}

fn check(r: &Report, id: &str, kind: CheckKind) -> Outcome {
    r.signature(id)
        .unwrap()
        .signed_value
        .as_ref()
        .unwrap()
        .checks
        .iter()
        .find(|c| c.kind == kind)
        .unwrap_or_else(|| panic!("no {kind}"))
        .outcome
}

fn sofd(bytes: &[u8]) -> Vec<Result<VerifyStatus, String>> {
    let mut p = sofd_package::Package::from_bytes(bytes).unwrap();
    let refs = sofd_sign::read_sign_list(&mut p, "Doc_0/Signs/Signatures.xml").unwrap();
    refs.iter()
        .map(|r| {
            let sig = sofd_sign::read_signature(&mut p, &r.base_loc).unwrap();
            sofd_sign::verify_signature(&mut p, &sig).map_err(|e| e.to_string())
        })
        .collect()
}

#[test]
fn v4_seal_signature_by_default() {
    let p = pki::pki();
    let seal = p.seal(SesVersion::V4);
    let ses = SesSigner::new(&seal, p.holder_cert.clone(), &p.holder_key);
    let signed = Signer::new(&ses).sign(&helloworld(), &stamp()).unwrap();
    let names: Vec<String> = zipedit::entries(&signed.package)
        .into_iter()
        .map(|e| e.0)
        .collect();
    assert!(names.contains(&"Doc_0/Signs/Sign_0/Seal.esl".to_owned()));

    // Default verifier: everything but the chains (no trust anchors).
    let r = verify(&Verifier::new(), &signed.package);
    let s = r.signature("s001").unwrap();
    assert_eq!(s.kind, SignatureType::Seal);
    assert_eq!(s.verdict, Verdict::Indeterminate, "{r}");
    let v = s.signed_value.as_ref().unwrap();
    assert_eq!(v.format, "SES_Signature v4 (GB/T 38540-2020)");
    assert_eq!(v.seal_name.as_deref(), Some("某某有限公司合同专用章"));
    assert_eq!(v.picture.as_ref().unwrap().data, pki::picture());
    assert_eq!(v.picture.as_ref().unwrap().width_mm, 40.0);
    // The references include the seal file.
    assert!(
        s.references
            .iter()
            .any(|r| r.file_ref == "/Doc_0/Signs/Sign_0/Seal.esl")
    );

    // Trusting our PKI: valid.
    let r = verify(&trusting(&p), &signed.package);
    assert_eq!(r.verdict, Verdict::Valid, "{r}");
    for k in [
        CheckKind::SignatureValue,
        CheckKind::DataHash,
        CheckKind::PropertyInfo,
        CheckKind::SealFile,
        CheckKind::SealMakerSignature,
        CheckKind::SealValidity,
        CheckKind::CertificateChain,
    ] {
        assert_eq!(check(&r, "s001", k.clone()), Outcome::Pass, "{k}");
    }

    // sOFD (an independent implementation) verifies our seal.
    assert_eq!(sofd(&signed.package), [Ok(VerifyStatus::Valid)]);
}

#[test]
fn v1_seal_signature_on_request() {
    let p = pki::pki();
    let seal = p.seal(SesVersion::V1);
    let ses = SesSigner::new(&seal, p.holder_cert.clone(), &p.holder_key);
    let signed = Signer::new(&ses).sign(&helloworld(), &stamp()).unwrap();
    let r = verify(&trusting(&p), &signed.package);
    let s = r.signature("s001").unwrap();
    assert_eq!(
        s.signed_value.as_ref().unwrap().format,
        "SES_Signature v1 (GM/T 0031-2014)"
    );
    assert_eq!(check(&r, "s001", CheckKind::SignatureValue), Outcome::Pass);
    assert_eq!(check(&r, "s001", CheckKind::DataHash), Outcome::Pass);
    assert_eq!(
        check(&r, "s001", CheckKind::SealMakerSignature),
        Outcome::Pass
    );
    assert_eq!(r.verdict, Verdict::Valid, "{r}");
}

#[test]
fn several_seals_and_a_riding_seal_verify_in_sofd_too() {
    let p = pki::pki();
    let seal = p.seal(SesVersion::V4);
    let ses = SesSigner::new(&seal, p.holder_cert.clone(), &p.holder_key);
    let mut doc = gmseal_testkit::corpus_bytes("ofd/unsigned-helloworld.ofd");
    doc = Signer::new(&ses).sign(&doc, &stamp()).unwrap().package;
    doc = Signer::new(&ses).sign(&doc, &stamp()).unwrap().package;
    let r = verify(&trusting(&p), &doc);
    assert_eq!(r.verdict, Verdict::Valid, "{r}");
    assert_eq!(
        sofd(&doc),
        [Ok(VerifyStatus::Valid), Ok(VerifyStatus::Valid)]
    );

    // A riding seal on a generated 4-page document.
    #[path = "support/gen.rs"]
    mod generate;
    let four = generate::generate(4, 500, None);
    let signed = Signer::new(&ses)
        .sign(
            &four,
            &SignOptions::default().stamp(Stamp::riding(Side::Right, 40.0, 40.0, 60.0)),
        )
        .unwrap();
    let r = verify(&trusting(&p), &signed.package);
    assert_eq!(r.verdict, Verdict::Valid, "{r}");
    assert_eq!(r.signature("s001").unwrap().stamps.len(), 4);
    assert_eq!(sofd(&signed.package), [Ok(VerifyStatus::Valid)]);

    // Where sOFD's reader draws the seal (sofd-render does not composite seals into its page
    // raster; a viewer draws each placement sofd_sign::read_seals resolves): the same pages,
    // boxes and clips as we wrote, and the picture from inside the signed value.
    let mut pkg = sofd_package::Package::from_bytes(&signed.package).unwrap();
    let list = sofd_sign::read_sign_list(&mut pkg, "Doc_0/Signs/Signatures.xml").unwrap();
    let sig = sofd_sign::read_signature(&mut pkg, &list[0].base_loc).unwrap();
    let placements = sofd_sign::read_seals(&mut pkg, &list[0].base_loc, &sig).unwrap();
    assert_eq!(placements.len(), 4);
    for (theirs, ours) in placements.iter().zip(&signed.stamps) {
        assert_eq!(theirs.page_ref, ours.page_ref);
        let b = theirs.boundary;
        assert_eq!(
            (b.x, b.y, b.w, b.h),
            (
                ours.boundary.x,
                ours.boundary.y,
                ours.boundary.w,
                ours.boundary.h
            )
        );
        let c = theirs.clip.unwrap();
        let oc = ours.clip.unwrap();
        assert_eq!((c.x, c.y, c.w, c.h), (oc.x, oc.y, oc.w, oc.h));
        let pic = theirs.sealed.as_ref().unwrap();
        assert_eq!(pic.data, pki::picture());
        assert_eq!((pic.width, pic.height), (40, 40));
        // Seal.esl, named by Seal/BaseLoc, is the image sOFD falls back on.
        assert_eq!(theirs.image, seal.as_der());
    }
}

#[test]
fn signed_data_sign_signature() {
    let p = pki::pki();
    let cms = SignedDataSigner::new(&p.holder_key, p.holder.clone());
    let signed = Signer::new(&cms)
        .sign(&helloworld(), &SignOptions::default())
        .unwrap();
    let r = verify(&trusting(&p), &signed.package);
    let s = r.signature("s001").unwrap();
    assert_eq!(s.kind, SignatureType::Sign);
    assert!(
        s.signed_value
            .as_ref()
            .unwrap()
            .format
            .starts_with("GB/T 35275 SignedData (attached")
    );
    assert_eq!(check(&r, "s001", CheckKind::DataHash), Outcome::Pass);
    assert_eq!(check(&r, "s001", CheckKind::SignatureValue), Outcome::Pass);
    assert_eq!(r.verdict, Verdict::Valid, "{r}");
    // Without trust anchors: indeterminate.
    assert_eq!(
        verify(&Verifier::new(), &signed.package).verdict,
        Verdict::Indeterminate
    );

    // Signature.xml edited: the attached digest no longer matches.
    let t = zipedit::edit(
        &signed.package,
        |n, b| {
            let mut b = b.to_vec();
            if n == "Doc_0/Signs/Sign_0/Signature.xml" {
                b.extend_from_slice(b"\n");
            }
            Some(b)
        },
        &[],
    );
    let r = verify(&trusting(&p), &t);
    assert_eq!(check(&r, "s001", CheckKind::DataHash), Outcome::Fail);
    assert_eq!(r.verdict, Verdict::Tampered);
}

/// The seal picture replaced by a forger, in Seal.esl and inside the signed value alike: the
/// references, the seal maker's signature (over the seal information, which holds the
/// picture) and the signer's signature (over TBS_Sign, which holds the seal) all fail.
#[test]
fn replaced_seal_picture_everywhere() {
    let p = pki::pki();
    let seal = p.seal(SesVersion::V4);
    let ses = SesSigner::new(&seal, p.holder_cert.clone(), &p.holder_key);
    let signed = Signer::new(&ses).sign(&helloworld(), &stamp()).unwrap();
    let picture = pki::picture();
    let mut forged = picture.clone();
    let idat = forged.windows(4).position(|w| w == b"IDAT").unwrap();
    forged[idat + 20] ^= 0xFF;
    let swap = |b: &[u8]| -> Vec<u8> {
        let at = b
            .windows(picture.len())
            .position(|w| w == picture.as_slice())
            .unwrap();
        let mut out = b.to_vec();
        out[at..at + picture.len()].copy_from_slice(&forged);
        out
    };
    let t = zipedit::edit(
        &signed.package,
        |n, b| {
            Some(match n {
                "Doc_0/Signs/Sign_0/Seal.esl" | "Doc_0/Signs/Sign_0/SignedValue.dat" => swap(b),
                _ => b.to_vec(),
            })
        },
        &[],
    );
    let r = verify(&trusting(&p), &t);
    let s = r.signature("s001").unwrap();
    assert!(
        matches!(&s.findings[0], Finding::DigestMismatch { file, .. }
        if file == "Doc_0/Signs/Sign_0/Seal.esl")
    );
    assert_eq!(
        check(&r, "s001", CheckKind::SealMakerSignature),
        Outcome::Fail
    );
    assert_eq!(check(&r, "s001", CheckKind::SignatureValue), Outcome::Fail);
    // The forged seal file equals the forged seal inside the value: that check alone passes.
    assert_eq!(check(&r, "s001", CheckKind::SealFile), Outcome::Pass);
    assert_eq!(s.verdict, Verdict::Tampered);
    // The report hands back the picture it found (the forged one), for display.
    assert_eq!(
        s.signed_value
            .as_ref()
            .unwrap()
            .picture
            .as_ref()
            .unwrap()
            .data,
        forged
    );
}

/// GOMAIN's form of Type="Sign": detached SignedData whose signed attributes carry
/// messageDigest = SM3(Signature.xml).
struct Detached<'a> {
    key: &'a gmseal_sm2::SoftwareSigner,
    cert: gmseal_cms::x509_cert::Certificate,
}

impl gmseal_ofd::SignedValueSigner for Detached<'_> {
    fn kind(&self) -> SignatureType {
        SignatureType::Sign
    }
    fn signature_method(&self) -> Option<String> {
        Some("1.2.156.10197.1.501".into())
    }
    fn sign(
        &self,
        input: &gmseal_ofd::SignInput<'_>,
    ) -> Result<Vec<u8>, gmseal_ofd::SignedValueError> {
        gmseal_cms::SignedDataBuilder::new(gmseal_cms::OidFamily::Gmt0010)
            .detached(gmseal_cms::ContentDigest::of(input.signature_xml))
            .signer(gmseal_cms::CmsSigner::new(self.key, self.cert.clone()))
            .build()
            .map_err(|e| gmseal_ofd::SignedValueError::Other(Box::new(e)))
    }
}

#[test]
fn detached_signed_data_with_message_digest() {
    let p = pki::pki();
    let signer = Detached {
        key: &p.holder_key,
        cert: p.holder.clone(),
    };
    let signed = Signer::new(&signer)
        .sign(&helloworld(), &SignOptions::default())
        .unwrap();
    let r = verify(&trusting(&p), &signed.package);
    let s = r.signature("s001").unwrap();
    assert!(
        s.signed_value
            .as_ref()
            .unwrap()
            .format
            .starts_with("GB/T 35275 SignedData (detached")
    );
    assert_eq!(check(&r, "s001", CheckKind::DataHash), Outcome::Pass);
    assert_eq!(r.verdict, Verdict::Valid, "{r}");
    // Signature.xml changed: the messageDigest no longer matches.
    let t = zipedit::edit(
        &signed.package,
        |n, b| {
            let mut b = b.to_vec();
            if n == "Doc_0/Signs/Sign_0/Signature.xml" {
                b.push(b'\n');
            }
            Some(b)
        },
        &[],
    );
    let r = verify(&trusting(&p), &t);
    assert_eq!(check(&r, "s001", CheckKind::DataHash), Outcome::Fail);
    assert_eq!(r.verdict, Verdict::Tampered);
}
