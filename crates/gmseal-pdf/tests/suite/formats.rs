//! The two deployed formats end to end: format A (SM2 CMS, gmseal-cms) and format B
//! (GB/T 38540 SES_Signature, gmseal-ses), checked by our verifier, poppler and openssl.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, SystemTime};

use der::{DateTime, Encode};
use gmseal_pdf::cms::{CmsContents, CmsVerifier};
use gmseal_pdf::seal::{SealContents, SealVerifier, seal_picture};
use gmseal_pdf::{
    CheckKind, Format, Outcome, Placement, SignOptions, Verdict, VerifyOptions, sign, verify_bytes,
};

use crate::support::*;

/// `/Contents` of the newest signature dictionary, padding stripped, and its byte range.
fn last_contents(pdf: &[u8]) -> (Vec<u8>, [u64; 4]) {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let mut best = None;
    for (id, o) in &doc.objects {
        if let Ok(d) = o.as_dict() {
            if d.has_type(b"Sig") && best.as_ref().is_none_or(|(b, _): &(_, _)| *id > *b) {
                best = Some((*id, d.clone()));
            }
        }
    }
    let (_, d) = best.unwrap();
    let c = d.get(b"Contents").unwrap().as_str().unwrap();
    let n = gmseal_pdf::container::der_element_len(c).unwrap();
    let br: Vec<u64> = d
        .get(b"ByteRange")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_i64().unwrap() as u64)
        .collect();
    (c[..n].to_vec(), [br[0], br[1], br[2], br[3]])
}

fn openssl_verify(dir: &Path, cert_der: &[u8], message: &[u8], sig_der: &[u8]) {
    let Some(openssl) = gmseal_testkit::oracle("openssl") else {
        return;
    };
    let cert = write(dir, "cert.der", cert_der);
    let out = gmseal_testkit::run(
        Command::new(&openssl)
            .args(["x509", "-inform", "DER", "-noout", "-pubkey", "-in"])
            .arg(&cert),
    );
    let pubkey = write(dir, "pub.pem", &out.stdout);
    let msg = write(dir, "msg.der", message);
    let sig = write(dir, "sig.der", sig_der);
    let out = gmseal_testkit::run(
        Command::new(&openssl)
            .args(["pkeyutl", "-verify", "-pubin", "-inkey"])
            .arg(&pubkey)
            .args([
                "-rawin",
                "-digest",
                "sm3",
                "-pkeyopt",
                "distid:1234567812345678",
                "-in",
            ])
            .arg(&msg)
            .arg("-sigfile")
            .arg(&sig),
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Signature Verified Successfully"));
}

#[test]
fn format_a_cms_verifies_here_and_in_openssl_and_pdfsig() {
    let (key, cert) = gmseal_cms::test_support::self_signed("CN=PDF Signer,O=gmseal").unwrap();
    let (_keep, dir) = out_dir("format-a");
    let opts = SignOptions::new()
        .seal(
            SealImage::from_bytes(&seal_png(), 40.0, 40.0).unwrap(),
            Placement::new(1, 100.0, 100.0),
        )
        .reason("approval");
    let signed = sign(
        corpus_pdf("qpdf-11-pages.pdf"),
        &CmsContents::new(&key, cert.clone()),
        &opts,
    )
    .unwrap();
    let path = write(&dir, "format-a.pdf", &signed);
    qpdf_check(&path, None);

    // Our verifier with gmseal-cms: everything passes but the chain (no anchors given).
    let v = CmsVerifier::new(gmseal_cms::VerifyOptions::default());
    let r = verify_bytes(&signed, &VerifyOptions::new().verifier(&v)).unwrap();
    let s = &r.signatures[0];
    assert_eq!(s.format, Format::Cms, "{r}");
    assert!(s.failures().next().is_none(), "{r}");
    assert_eq!(
        s.check(CheckKind::Digest).unwrap().outcome,
        Outcome::Pass,
        "{r}"
    );
    assert_eq!(
        s.check(CheckKind::Signature).unwrap().outcome,
        Outcome::Pass,
        "{r}"
    );
    assert_eq!(s.verdict, Verdict::Indeterminate);
    assert!(s.signer.as_deref().unwrap().contains("PDF Signer"), "{r}");

    // A flipped byte in the first range: the digest fails.
    let mut bad = signed.clone();
    let p = 200;
    bad[p] ^= 0x20;
    let r = verify_bytes(&bad, &VerifyOptions::new().verifier(&v)).unwrap();
    assert_eq!(r.signatures[0].verdict, Verdict::Tampered, "{r}");
    assert_eq!(
        r.signatures[0].check(CheckKind::Digest).unwrap().outcome,
        Outcome::Fail,
        "{r}"
    );

    // openssl: the SM2 maths over the signed attributes, and the messageDigest is SM3 of the
    // byte ranges as openssl computes it.
    let (der, br) = last_contents(&signed);
    let parsed =
        gmseal_cms::ParsedSignedData::from_der(&der, false, &gmseal_cms::Limits::default())
            .unwrap();
    let signer = &parsed.signers[0];
    let attrs = signer.signed_attrs_der.clone().unwrap();
    openssl_verify(
        &dir,
        &cert.to_der().unwrap(),
        &attrs,
        signer.info.signature.as_bytes(),
    );
    if let Some(openssl) = gmseal_testkit::oracle("openssl") {
        let mut ranges = signed[..br[1] as usize].to_vec();
        ranges.extend_from_slice(&signed[br[2] as usize..(br[2] + br[3]) as usize]);
        let data = write(&dir, "ranges.bin", &ranges);
        let out = gmseal_testkit::run(
            Command::new(openssl)
                .args(["dgst", "-sm3", "-binary"])
                .arg(&data),
        );
        assert_eq!(out.stdout.len(), 32);
        assert!(
            attrs.windows(32).any(|w| w == out.stdout.as_slice()),
            "messageDigest is not openssl's SM3 of the ranges"
        );
    }

    // pdfsig parses the CMS and names the signer.
    if let Some(pdfsig) = gmseal_testkit::oracle("pdfsig") {
        let out = gmseal_testkit::run_any(Command::new(pdfsig).arg(&path));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("Signer Certificate Common Name: PDF Signer"),
            "{text}"
        );
        assert!(
            text.contains("Signature Type: adbe.pkcs7.detached"),
            "{text}"
        );
        assert!(text.contains("Total document signed"), "{text}");
    }
}

use gmseal_pdf::SealImage;

fn seal_and_holder() -> (gmseal_ses::Seal, gmseal_sm2::SoftwareSigner, Vec<u8>) {
    let (maker_key, maker_cert) = gmseal_cms::test_support::self_signed("CN=Seal Maker").unwrap();
    let (holder_key, holder_cert) =
        gmseal_cms::test_support::self_signed("CN=Seal Holder").unwrap();
    let holder_cert = holder_cert.to_der().unwrap();
    let now = SystemTime::now();
    let seal = gmseal_ses::SealBuilder::new(
        "3301020000001",
        "某某有限公司合同专用章",
        maker_cert.to_der().unwrap(),
    )
    .holder_certificate(holder_cert.clone())
    .validity(
        DateTime::from_system_time(now).unwrap(),
        DateTime::from_system_time(now + Duration::from_secs(300 * 86400)).unwrap(),
    )
    .picture("PNG", seal_png(), 42, 42)
    .sign(&maker_key)
    .unwrap();
    (seal, holder_key, holder_cert)
}

#[test]
fn format_b_seal_verifies_here_and_in_openssl_with_every_vendor_name() {
    let (seal, holder_key, holder_cert) = seal_and_holder();
    let (_keep, dir) = out_dir("format-b");
    let pic = seal_picture(&seal).unwrap();
    assert!((pic.width_mm() - 42.0).abs() < 1e-9);
    let v = SealVerifier::new(gmseal_ses::verify::VerifyOptions::default());
    for filter in [
        gmseal_pdf::SigFilter::gm_sm2seal(),
        gmseal_pdf::SigFilter::gomain_sm2seal(),
        gmseal_pdf::SigFilter::foxit_sm(),
        gmseal_pdf::SigFilter::gm_sm2(),
    ] {
        let opts = SignOptions::new().seal(pic.clone(), Placement::new(1, 100.0, 100.0));
        let container =
            SealContents::new(&seal, &holder_key, holder_cert.clone()).sig_filter(filter.clone());
        let signed = sign(corpus_pdf("qpdf-11-pages.pdf"), &container, &opts).unwrap();
        let r = verify_bytes(&signed, &VerifyOptions::new().verifier(&v)).unwrap();
        let s = &r.signatures[0];
        assert_eq!(s.format, Format::Seal, "{r}");
        assert!(s.failures().next().is_none(), "{r}");
        assert_eq!(
            s.check(CheckKind::Digest).unwrap().outcome,
            Outcome::Pass,
            "{r}"
        );
        assert!(
            s.checks
                .iter()
                .any(|c| c.kind == CheckKind::Seal && c.outcome == Outcome::Pass),
            "{r}"
        );
        let path = write(&dir, "format-b.pdf", &signed);
        qpdf_check(&path, None);
        if let Some(pdfsig) = gmseal_testkit::oracle("pdfsig") {
            let out = gmseal_testkit::run_any(Command::new(pdfsig).arg(&path));
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(text.contains("Total document signed"), "{text}");
        }
        // openssl verifies the holder's SM2 signature over TBS_Sign.
        let (der, _) = last_contents(&signed);
        let sig = gmseal_ses::SealSignature::from_der(&der).unwrap();
        let value = sig.signature_value();
        let value = if value.len() == 64 {
            gmseal_sm2::encoding::encode(
                &gmseal_sm2::encoding::decode(
                    value,
                    gmseal_sm2::SignatureFormat::Raw,
                    gmseal_sm2::Strictness::Strict,
                )
                .unwrap()
                .signature,
                gmseal_sm2::SignatureFormat::Der,
            )
        } else {
            value.to_vec()
        };
        openssl_verify(&dir, &holder_cert, sig.tbs_der(), &value);
    }
}

#[test]
fn formats_are_sniffed_when_the_sub_filter_is_unknown() {
    let (seal, holder_key, holder_cert) = seal_and_holder();
    let container = SealContents::new(&seal, &holder_key, holder_cert)
        .sig_filter(gmseal_pdf::SigFilter::new(b"Vendor.X", b"vendor.unknown"));
    let signed = sign(
        corpus_pdf("pdf20-simple.pdf"),
        &container,
        &SignOptions::new(),
    )
    .unwrap();
    let v = SealVerifier::new(gmseal_ses::verify::VerifyOptions::default());
    let r = verify_bytes(&signed, &VerifyOptions::new().verifier(&v)).unwrap();
    let s = &r.signatures[0];
    assert_eq!(s.format, Format::Seal);
    assert_eq!(s.format_source, gmseal_pdf::FormatSource::Sniffed, "{r}");
    assert!(s.failures().next().is_none(), "{r}");
}
