//! Timestamps end to end (issue #7): format A with an RFC 3161 / GB/T 20520 token in the
//! SignerInfo's unsigned attribute `id-aa-timeStampToken`, format B with the token in
//! `SES_Signature.timeStamp`; both from gmseal-cms's `LocalTsa`, verified against a trust store
//! of gmseal-cert-issued certificates, tampered, and judged by qpdf and pdfsig.

use std::process::Command;
use std::time::{Duration, SystemTime};

use der::{DateTime, Encode};
use gmseal_cms::gmseal_cert::ChainOptions;
use gmseal_cms::gmseal_cert::profile::Role;
use gmseal_cms::{CertChainVerifier, LocalTsa, TimestampedData, Timestamper};
use gmseal_pdf::cms::{CmsContents, CmsVerifier};
use gmseal_pdf::seal::{SealContents, SealVerifier, seal_picture};
use gmseal_pdf::{
    CheckKind, ContentsSigner, Outcome, Placement, SignOptions, Verdict, VerifyOptions, sign_to,
    verify_bytes,
};
use gmseal_ses::TsaTimestamper;
use gmseal_ses::verify::TimestampTokenVerifier;
use gmseal_testkit::pki::{KeyCert, TestPki};

use crate::support::*;

/// Whole seconds (GeneralizedTime and the PDF date keep seconds).
fn at(secs: u64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
}

/// 2026-06-01T08:00:00Z, the signing time of these tests.
const SIGNED: u64 = 1_780_300_800;

fn policy() -> der::asn1::ObjectIdentifier {
    "1.2.156.112562.1.1".parse().unwrap()
}

fn tsa_leaf(pki: &TestPki) -> KeyCert {
    pki.leaf(Role::TimeStamping, "gmseal test TSA")
}

/// The token in `/Contents` of the last signature, and the signature value it covers.
fn cms_token(pdf: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let (der, _) = last_contents(pdf);
    let parsed =
        gmseal_cms::ParsedSignedData::from_der(&der, false, &gmseal_cms::Limits::default())
            .unwrap();
    let info = &parsed.signers[0].info;
    let unsigned = info.unsigned_attrs.as_ref().expect("unsigned attributes");
    let attr = unsigned
        .iter()
        .find(|a| a.oid == gmseal_cms::oid::TIME_STAMP_TOKEN)
        .expect("id-aa-timeStampToken");
    assert_eq!(attr.values.len(), 1);
    let token = attr.values.iter().next().unwrap().to_der().unwrap();
    (token, info.signature.as_bytes().to_vec())
}

/// `/Contents` of the newest signature dictionary, padding stripped, and its byte range.
fn last_contents(pdf: &[u8]) -> (Vec<u8>, [u64; 4]) {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let (_, d) = doc
        .objects
        .iter()
        .filter_map(|(id, o)| o.as_dict().ok().map(|d| (*id, d)))
        .filter(|(_, d)| d.has_type(b"Sig"))
        .max_by_key(|(id, _)| *id)
        .unwrap();
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

/// `pdf` with `token` (somewhere in a `/Contents`, as upper-case hex) replaced by `altered`.
fn replace_token(pdf: &[u8], token: &[u8], altered: &[u8]) -> Vec<u8> {
    assert_eq!(token.len(), altered.len());
    let (from, to) = (
        hex::encode_upper(token).into_bytes(),
        hex::encode_upper(altered).into_bytes(),
    );
    let at = pdf
        .windows(from.len())
        .position(|w| w == from.as_slice())
        .expect("the token's hex in /Contents");
    let mut out = pdf.to_vec();
    out[at..at + to.len()].copy_from_slice(&to);
    out
}

/// The token with the last seconds digit of its TSTInfo `genTime` changed (the first
/// GeneralizedTime of the token: TSTInfo precedes the signer's attributes).
fn altered_gen_time(token: &[u8]) -> Vec<u8> {
    let i = token
        .windows(2)
        .position(|w| w == [0x18, 0x0f])
        .expect("a GeneralizedTime");
    let mut t = token.to_vec();
    let last_digit = i + 2 + 13;
    assert!(t[last_digit].is_ascii_digit());
    t[last_digit] = if t[last_digit] == b'9' {
        b'8'
    } else {
        t[last_digit] + 1
    };
    t
}

fn check_outcome(s: &gmseal_pdf::SignatureReport, kind: CheckKind) -> Vec<Outcome> {
    s.checks
        .iter()
        .filter(|c| c.kind == kind)
        .map(|c| c.outcome)
        .collect()
}

#[test]
fn format_a_with_a_timestamp_verifies_and_a_tampered_token_is_reported() {
    let pki = TestPki::shared();
    let signer = pki.leaf(Role::OrganisationSigning, "用章单位");
    let tsa_cert = tsa_leaf(pki);
    let tsa_der = tsa_cert.der();
    let tsa = LocalTsa::new(&tsa_cert.key, &tsa_der, policy())
        .unwrap()
        .with_time(at(SIGNED + 10));
    let (_keep, dir) = out_dir("timestamp-a");

    // The room reserved accounts for the token: the TSA's bound plus the attribute around it.
    let plain = CmsContents::new(&signer.key, signer.certificate());
    let stamped = CmsContents::new(&signer.key, signer.certificate()).timestamper(&tsa);
    let bound = tsa.max_token_len().unwrap();
    assert!(stamped.max_contents_len() >= plain.max_contents_len() + bound);
    let options = SignOptions::new()
        .seal(
            SealImage::from_bytes(&seal_png(), 40.0, 40.0).unwrap(),
            Placement::new(1, 100.0, 100.0),
        )
        .signing_time(at(SIGNED));
    let mut pdf = Vec::new();
    let signed = sign_to(
        corpus_pdf("qpdf-11-pages.pdf"),
        &stamped,
        &options,
        &mut pdf,
    )
    .unwrap();
    assert!(signed.contents_len <= stamped.max_contents_len());
    let (token, signature) = cms_token(&pdf);
    assert!(token.len() <= bound, "{} > {bound}", token.len());
    let mut unstamped = Vec::new();
    let plain_signed = sign_to(
        corpus_pdf("qpdf-11-pages.pdf"),
        &plain,
        &options,
        &mut unstamped,
    )
    .unwrap();
    assert!(signed.contents_len >= plain_signed.contents_len + token.len());
    // The token is over the SignerInfo's signature value (RFC 3161 Appendix A).
    let r = gmseal_cms::verify_timestamp_token(
        &token,
        TimestampedData::Bytes(&signature),
        &gmseal_cms::VerifyOptions::default(),
    )
    .unwrap();
    assert!(r.integrity_ok(), "{r:?}");
    let path = write(&dir, "timestamped-a.pdf", &pdf);
    qpdf_check(&path, None);

    // Verified with the trust store: the signer's and the TSA's chains, the token.
    let store = pki.store();
    let chain = CertChainVerifier::new(&store, ChainOptions::default());
    let cms = CmsVerifier::new(gmseal_cms::VerifyOptions {
        chain: Some(&chain),
        ..gmseal_cms::VerifyOptions::default()
    });
    let options = VerifyOptions::new().verifier(&cms);
    let report = verify_bytes(&pdf, &options).unwrap();
    let s = &report.signatures[0];
    assert_eq!(s.verdict, Verdict::Valid, "{report}");
    assert_eq!(
        check_outcome(s, CheckKind::Timestamp),
        vec![Outcome::Pass],
        "{report}"
    );
    assert_eq!(s.timestamp, Some(at(SIGNED + 10)), "{report}");
    assert_eq!(s.signing_time, Some(at(SIGNED)));
    assert_eq!(
        s.signer_certificate.as_deref(),
        Some(signer.der().as_slice())
    );
    assert!(
        report
            .to_string()
            .contains("timestamp: 2026-06-01T08:00:10Z"),
        "{report}"
    );

    // Without trust anchors the intact token still gives the time; nothing is trusted.
    let untrusted = CmsVerifier::new(gmseal_cms::VerifyOptions::default());
    let r = verify_bytes(&pdf, &VerifyOptions::new().verifier(&untrusted)).unwrap();
    assert_eq!(r.signatures[0].verdict, Verdict::Indeterminate, "{r}");
    assert_eq!(r.signatures[0].timestamp, Some(at(SIGNED + 10)));

    // A token altered inside /Contents (the signed ranges untouched): the digest and the
    // signature still verify, the timestamp does not, and the report says so.
    let bad = replace_token(&pdf, &token, &altered_gen_time(&token));
    let r = verify_bytes(&bad, &options).unwrap();
    let s = &r.signatures[0];
    assert_eq!(
        check_outcome(s, CheckKind::Digest),
        vec![Outcome::Pass],
        "{r}"
    );
    assert!(
        check_outcome(s, CheckKind::Timestamp).contains(&Outcome::Fail),
        "{r}"
    );
    assert!(
        s.failures()
            .any(|c| c.kind == CheckKind::Timestamp && c.why.contains("Timestamp")),
        "{r}"
    );
    assert_eq!(s.verdict, Verdict::Untrusted, "{r}");
    assert_eq!(s.timestamp, None);
    let bad_path = write(&dir, "timestamped-a-tampered-token.pdf", &bad);
    qpdf_check(&bad_path, None);

    // A token from a TSA of another PKI: intact, but its chain reaches no anchor (the issuer
    // is missing), so the time is not proven and the signature is indeterminate, not Valid.
    let other = TestPki::named("foreign");
    let foreign = tsa_leaf(&other);
    let foreign_der = foreign.der();
    let foreign_tsa = LocalTsa::new(&foreign.key, &foreign_der, policy()).unwrap();
    let c = CmsContents::new(&signer.key, signer.certificate()).timestamper(&foreign_tsa);
    let pdf2 = gmseal_pdf::sign(corpus_pdf("qpdf-11-pages.pdf"), &c, &SignOptions::new()).unwrap();
    let r = verify_bytes(&pdf2, &options).unwrap();
    let s = &r.signatures[0];
    assert_eq!(
        check_outcome(s, CheckKind::Timestamp),
        vec![Outcome::NotChecked],
        "{r}"
    );
    assert_eq!(s.verdict, Verdict::Indeterminate, "{r}");
    assert_eq!(s.timestamp, None);

    // pdfsig lists the signature and its signing time; what it says of the token is pinned
    // in pdfsig_on_a_timestamped_signature.
    pdfsig_on_a_timestamped_signature(&path);
}

/// What poppler's pdfsig shows for a format A signature with a timestamp token. Poppler 22.12
/// parses the CMS with the token in it, lists the signature and shows the `signingTime`
/// attribute as "Signing Time" (08:00:00, not the token's 08:00:10); it prints nothing about
/// timestamp tokens, and cannot validate SM3 ("Unrecognized Hash ID"). Should a later pdfsig
/// show the token, it must show the TSA's time.
fn pdfsig_on_a_timestamped_signature(path: &std::path::Path) {
    let Some(pdfsig) = gmseal_testkit::oracle("pdfsig") else {
        return;
    };
    // pdfsig prints local time.
    let out = gmseal_testkit::run_any(Command::new(pdfsig).arg(path).env("TZ", "UTC"));
    let text = String::from_utf8_lossy(&out.stdout);
    let blocks: Vec<&str> = text.split("Signature #").skip(1).collect();
    assert_eq!(blocks.len(), 1, "{text}");
    for line in [
        "Signature Field Name: Seal1",
        "Signer Certificate Common Name: 用章单位",
        "Signing Time: Jun 01 2026 08:00:00",
        "Signature Type: adbe.pkcs7.detached",
        "Total document signed",
    ] {
        assert!(text.contains(line), "pdfsig lacks {line:?}:\n{text}");
    }
    for line in text.lines().filter(|l| l.trim_start().starts_with("- ")) {
        if line.to_ascii_lowercase().contains("timestamp")
            || line.to_ascii_lowercase().contains("time stamp")
        {
            assert!(line.contains("08:00:10"), "pdfsig: {line}");
        }
    }
}

#[test]
fn format_b_with_a_timestamp_verifies_and_a_tampered_token_is_reported() {
    let pki = TestPki::shared();
    let maker = pki.leaf(Role::SealMaker, "制章单位");
    let holder = pki.leaf(Role::OrganisationSigning, "用章单位");
    let tsa_cert = tsa_leaf(pki);
    let tsa_der = tsa_cert.der();
    let tsa = LocalTsa::new(&tsa_cert.key, &tsa_der, policy())
        .unwrap()
        .with_time(at(SIGNED + 10));
    let timestamper = TsaTimestamper::new(&tsa);
    let seal = gmseal_ses::SealBuilder::new("3301020000001", "合同专用章", maker.der())
        .holder_certificate(holder.der())
        .validity(
            DateTime::new(2026, 1, 1, 0, 0, 0).unwrap(),
            DateTime::new(2028, 1, 1, 0, 0, 0).unwrap(),
        )
        .created(DateTime::new(2026, 1, 1, 0, 0, 0).unwrap())
        .picture("PNG", seal_png(), 40, 40)
        .sign(&maker.key)
        .unwrap();
    let (_keep, dir) = out_dir("timestamp-b");

    let plain = SealContents::new(&seal, &holder.key, holder.der());
    let stamped = SealContents::new(&seal, &holder.key, holder.der()).timestamper(&timestamper);
    assert!(stamped.max_contents_len() >= plain.max_contents_len() + tsa.max_token_len().unwrap());
    let options = SignOptions::new()
        .seal(seal_picture(&seal).unwrap(), Placement::new(1, 60.0, 60.0))
        .signing_time(at(SIGNED));
    let mut pdf = Vec::new();
    let signed = sign_to(
        corpus_pdf("qpdf-11-pages.pdf"),
        &stamped,
        &options,
        &mut pdf,
    )
    .unwrap();
    assert!(signed.contents_len <= stamped.max_contents_len());
    let (der, _) = last_contents(&pdf);
    let sig = gmseal_ses::SealSignature::from_der(&der).unwrap();
    let token = sig.time_stamp().expect("SES_Signature.timeStamp").to_vec();
    assert!(token.len() <= tsa.max_token_len().unwrap());
    let path = write(&dir, "timestamped-b.pdf", &pdf);
    qpdf_check(&path, None);

    // The seal verifier with the shared adapters: chains and the token's TSA.
    let store = pki.store();
    let chain = CertChainVerifier::new(&store, ChainOptions::default());
    let timestamps = TimestampTokenVerifier::new(&chain);
    let seal_verifier = SealVerifier::new(
        gmseal_ses::verify::VerifyOptions::default()
            .with_chain_verifier(&chain)
            .with_timestamp_verifier(&timestamps),
    );
    let options = VerifyOptions::new().verifier(&seal_verifier);
    let report = verify_bytes(&pdf, &options).unwrap();
    let s = &report.signatures[0];
    assert_eq!(s.verdict, Verdict::Valid, "{report}");
    assert_eq!(
        check_outcome(s, CheckKind::Timestamp),
        vec![Outcome::Pass],
        "{report}"
    );
    assert_eq!(s.timestamp, Some(at(SIGNED + 10)));
    let info = s.seal.as_ref().unwrap();
    assert_eq!(
        (info.es_id.as_str(), info.name.as_str()),
        ("3301020000001", "合同专用章")
    );
    assert_eq!(info.picture, seal_png());
    assert_eq!(
        s.signer_certificate.as_deref(),
        Some(holder.der().as_slice())
    );

    // Chains checked but no timestamp verifier: the token is present, not verified, so the
    // signature is not Valid.
    let chain_only =
        SealVerifier::new(gmseal_ses::verify::VerifyOptions::default().with_chain_verifier(&chain));
    let r = verify_bytes(&pdf, &VerifyOptions::new().verifier(&chain_only)).unwrap();
    let s = &r.signatures[0];
    assert_eq!(
        check_outcome(s, CheckKind::Timestamp),
        vec![Outcome::NotChecked],
        "{r}"
    );
    assert_eq!(s.verdict, Verdict::Indeterminate, "{r}");
    assert_eq!(s.timestamp, None);

    // The TSA's signature inside the token altered: the seal signature is intact (timeStamp
    // lies outside TBS_Sign), the timestamp is rejected.
    let mut altered = token.clone();
    let n = altered.len();
    altered[n - 5] ^= 0x01;
    let bad = replace_token(&pdf, &token, &altered);
    let r = verify_bytes(&bad, &options).unwrap();
    let s = &r.signatures[0];
    assert_eq!(
        check_outcome(s, CheckKind::Digest),
        vec![Outcome::Pass],
        "{r}"
    );
    assert_eq!(
        check_outcome(s, CheckKind::Timestamp),
        vec![Outcome::Fail],
        "{r}"
    );
    assert!(
        s.failures()
            .any(|c| c.kind == CheckKind::Timestamp && c.why.contains("timestamp rejected")),
        "{r}"
    );
    assert_eq!(s.verdict, Verdict::Untrusted, "{r}");
    assert_eq!(s.timestamp, None);
    qpdf_check(&write(&dir, "timestamped-b-tampered-token.pdf", &bad), None);
}

#[test]
fn a_token_larger_than_the_room_reserved_is_an_error_not_a_broken_file() {
    let pki = TestPki::shared();
    let signer = pki.leaf(Role::OrganisationSigning, "用章单位");
    let tsa_cert = tsa_leaf(pki);
    let tsa_der = tsa_cert.der();
    let tsa = LocalTsa::new(&tsa_cert.key, &tsa_der, policy()).unwrap();
    // Room for the signature without the token (as measured).
    let plain = CmsContents::new(&signer.key, signer.certificate());
    let mut out = Vec::new();
    let plain = sign_to(
        corpus_pdf("qpdf-11-pages.pdf"),
        &plain,
        &SignOptions::new(),
        &mut out,
    )
    .unwrap()
    .contents_len
        + 16;
    let c = CmsContents::new(&signer.key, signer.certificate())
        .timestamper(&tsa)
        .reserve(plain);
    match gmseal_pdf::sign(corpus_pdf("qpdf-11-pages.pdf"), &c, &SignOptions::new()) {
        Err(gmseal_pdf::Error::ContentsTooLarge { reserved, needed }) => {
            assert_eq!(reserved, plain);
            assert!(needed > plain);
        }
        other => panic!("{:?}", other.map(|v| v.len())),
    }
}

use gmseal_pdf::SealImage;
