//! The interoperability platform's document verification report (spec 002 §6.4, tables 25–28)
//! from gmseal-pdf's and gmseal-ofd's verification reports (features `pdf` and `ofd`): a PDF
//! and an OFD sealed here with a GB/T 38540 seal and a timestamp, verified against a test PKI,
//! the JSON checked member by member; tampered copies fail as table 26/28 say.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::io::{Read, Write};
use std::time::{Duration, SystemTime};

use gmseal_cert::profile::Role;
use gmseal_cms::{CertChainVerifier, LocalTsa};
use gmseal_register::interop::verification::{DocumentVerification, DocumentVerifyResponse};
use gmseal_ses::der::DateTime;
use gmseal_ses::{Seal, SealBuilder, TsaTimestamper};
use gmseal_testkit::pki::{KeyCert, Leaf, TestPki};
use serde_json::Value;

/// 2026-06-01T08:00:00Z: the seals' signing time; the TSA answers 10 s later.
const SIGNED: u64 = 1_780_300_800;

fn at(secs: u64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
}

struct Fixture {
    pki: &'static TestPki,
    holder: KeyCert,
    tsa: KeyCert,
    seal: Seal,
}

fn fixture() -> Fixture {
    let pki = TestPki::shared();
    let maker = pki.leaf(Role::SealMaker, "示例印章制作有限公司");
    let holder =
        pki.issue(Leaf::new(Role::OrganisationSigning, "示例有限公司").serial(0x1234_ABCD));
    let tsa = pki.leaf(Role::TimeStamping, "gmseal test TSA");
    let seal = SealBuilder::new("3301020000001", "示例有限公司合同专用章", maker.der())
        .vendor_id("TESTVID")
        .holder_certificate(holder.der())
        .validity(
            DateTime::new(2026, 1, 1, 0, 0, 0).unwrap(),
            DateTime::new(2028, 1, 1, 0, 0, 0).unwrap(),
        )
        .created(DateTime::new(2026, 1, 1, 0, 0, 0).unwrap())
        .picture("PNG", gmseal_pdf::image::test_png(120, 120), 40, 40)
        .sign(&maker.key)
        .unwrap();
    Fixture {
        pki,
        holder,
        tsa,
        seal,
    }
}

fn local_tsa<'a>(f: &'a Fixture, der: &'a [u8]) -> LocalTsa<'a> {
    LocalTsa::new(&f.tsa.key, der, "1.2.156.112562.1.1".parse().unwrap())
        .unwrap()
        .with_time(at(SIGNED + 10))
}

/// The response as JSON, as written by `serde_json` and read back untyped.
fn json(report: DocumentVerification) -> Value {
    let text = serde_json::to_string(&DocumentVerifyResponse::ok(report)).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn steps(detail: &Value) -> Vec<(String, u64)> {
    detail["flowVoList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["step"].as_str().unwrap().to_owned(),
                s["status"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn status_of(detail: &Value, step: &str) -> Vec<u64> {
    steps(detail)
        .into_iter()
        .filter(|(s, _)| s == step)
        .map(|(_, st)| st)
        .collect()
}

/// The members of table 27 every detail of these documents has, from the fixture itself.
fn check_detail(f: &Fixture, d: &Value, provider: &str) {
    let cert = f.holder.certificate();
    let tbs = cert.tbs_certificate();
    let members: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
    let mut expected = vec![
        "sealType",
        "signTime",
        "provider",
        "certIssuer",
        "certOwner",
        "certSn",
        "certValidStart",
        "certValidEnd",
        "sealPicBase64",
        "sealCode",
        "flowVoList",
    ];
    expected.sort_unstable();
    let mut members = members;
    members.sort_unstable();
    assert_eq!(members, expected, "{d:#}");
    assert_eq!(d["sealType"], "", "{d:#}");
    // The TSA's genTime, 2026-06-01T08:00:10Z, in Beijing time.
    assert_eq!(d["signTime"], "2026-06-01 16:00:10", "{d:#}");
    assert_eq!(d["provider"], provider, "{d:#}");
    assert_eq!(
        d["certIssuer"],
        gmseal_cert::name::display_name(tbs.issuer()),
        "{d:#}"
    );
    assert_eq!(
        d["certOwner"],
        gmseal_cert::name::display_name(tbs.subject()),
        "{d:#}"
    );
    // Certificate order with the short names spec 001 uses (T, G), not RFC 4514's reversed
    // order with unknown attribute names spelled out.
    let owner = d["certOwner"].as_str().unwrap();
    assert!(owner.contains(",T=") && owner.contains(",G="), "{owner}");
    assert!(owner.ends_with("CN=示例有限公司"), "{owner}");
    assert!(d["certOwner"].as_str().unwrap().contains("示例有限公司"));
    assert_eq!(d["certSn"], "1234ABCD", "{d:#}");
    // TestPki's validity, 2020-01-01 to 2040-01-01 midnight UTC, in Beijing time.
    assert_eq!(d["certValidStart"], "2020-01-01 08:00:00", "{d:#}");
    assert_eq!(d["certValidEnd"], "2040-01-01 08:00:00", "{d:#}");
    use base64::Engine as _;
    let picture = base64::engine::general_purpose::STANDARD
        .decode(d["sealPicBase64"].as_str().unwrap())
        .unwrap();
    assert_eq!(picture, f.seal.picture().data, "sealPicBase64");
    assert_eq!(d["sealCode"], "3301020000001", "{d:#}");
}

fn pdf_report(f: &Fixture, pdf: &[u8]) -> DocumentVerification {
    let store = f.pki.store();
    let chain = CertChainVerifier::new(&store, gmseal_cert::ChainOptions::default());
    let timestamps = gmseal_ses::verify::TimestampTokenVerifier::new(&chain);
    let seal = gmseal_pdf::seal::SealVerifier::new(
        gmseal_ses::verify::VerifyOptions::default()
            .with_chain_verifier(&chain)
            .with_timestamp_verifier(&timestamps),
    );
    let report =
        gmseal_pdf::verify_bytes(pdf, &gmseal_pdf::VerifyOptions::new().verifier(&seal)).unwrap();
    DocumentVerification::from_pdf("合同.pdf", &report)
}

#[test]
fn a_sealed_pdf_as_the_platform_reports_it() {
    let f = fixture();
    let tsa_der = f.tsa.der();
    let local = local_tsa(&f, &tsa_der);
    let timestamper = TsaTimestamper::new(&local);
    let contents = gmseal_pdf::seal::SealContents::new(&f.seal, &f.holder.key, f.holder.der())
        .timestamper(&timestamper);
    let options = gmseal_pdf::SignOptions::new()
        .seal(
            gmseal_pdf::seal::seal_picture(&f.seal).unwrap(),
            gmseal_pdf::Placement::new(1, 60.0, 60.0),
        )
        .signing_time(at(SIGNED));
    let input = gmseal_testkit::corpus_bytes("pdf/pdf20-simple.pdf");
    let pdf = gmseal_pdf::sign(input, &contents, &options).unwrap();

    let v = json(pdf_report(&f, &pdf));
    assert_eq!(v["code"], "0");
    assert_eq!(v["message"], "success");
    let data = &v["data"];
    assert_eq!(data["fileName"], "合同.pdf");
    assert_eq!(data["fileSize"], pdf.len() as u64);
    assert_eq!(data["signCount"], 1);
    assert_eq!(data["verifyResult"], true, "{v:#}");
    let details = data["details"].as_array().unwrap();
    assert_eq!(details.len(), 1);
    let d = &details[0];
    check_detail(&f, d, "TESTVID");
    // The seal's name first, then every check passed, the ones that matter among them.
    let s = steps(d);
    assert_eq!(s[0], ("印章信息".to_owned(), 1), "{d:#}");
    assert!(
        d["flowVoList"][0]["hint"]
            .as_str()
            .unwrap()
            .contains("示例有限公司合同专用章")
    );
    assert!(s.iter().all(|(_, st)| *st == 1), "{d:#}");
    for step in [
        "文档完整性",
        "签名值",
        "签名证书",
        "证书链",
        "电子印章",
        "时间戳",
    ] {
        assert!(!status_of(d, step).is_empty(), "{step}: {d:#}");
    }

    // A byte of the page content changed: the digest fails, so do the result and the detail.
    let pos = pdf.windows(2).position(|w| w == b"BT").unwrap();
    let mut bad = pdf.clone();
    bad[pos + 1] = b'X';
    let v = json(pdf_report(&f, &bad));
    let data = &v["data"];
    assert_eq!(data["verifyResult"], false, "{v:#}");
    assert_eq!(data["signCount"], 1);
    let d = &data["details"][0];
    assert_eq!(status_of(d, "文档完整性"), vec![0], "{d:#}");
    // (The seal signature is over TBS_Sign, which holds the digest: it still verifies.)
    assert_eq!(status_of(d, "签名值"), vec![1], "{d:#}");
    // The rest of the detail is still filled in.
    check_detail(&f, d, "TESTVID");

    // Data appended after the signed revision: a problem of the whole file, on every detail.
    let mut appended = pdf.clone();
    appended.extend_from_slice(b"\n% appended after signing\n");
    let v = json(pdf_report(&f, &appended));
    let d = &v["data"]["details"][0];
    assert_eq!(v["data"]["verifyResult"], false, "{v:#}");
    assert!(
        steps(d).iter().any(|(_, st)| *st == 0),
        "a failed step says why: {d:#}"
    );
}

// --- OFD --------------------------------------------------------------------------------

fn zip_entries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut a = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..a.len())
        .map(|i| {
            let mut f = a.by_index(i).unwrap();
            let mut v = Vec::new();
            f.read_to_end(&mut v).unwrap();
            (f.name().to_owned(), v)
        })
        .collect()
}

fn zip_build(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default();
    for (n, d) in entries {
        if n.ends_with('/') {
            w.add_directory(n.trim_end_matches('/'), o).unwrap();
        } else {
            w.start_file(n.as_str(), o).unwrap();
            w.write_all(d).unwrap();
        }
    }
    w.finish().unwrap().into_inner()
}

fn ofd_report(f: &Fixture, package: &[u8]) -> DocumentVerification {
    let verifier = gmseal_ofd::Verifier::trusting(gmseal_ofd::trust::CertChain::new(f.pki.store()));
    let report = verifier.verify_bytes(package.to_vec()).unwrap();
    DocumentVerification::from_ofd("合同.ofd", package.len() as u64, &report)
}

#[test]
fn a_sealed_ofd_as_the_platform_reports_it() {
    let f = fixture();
    let tsa_der = f.tsa.der();
    let local = local_tsa(&f, &tsa_der);
    let timestamper = TsaTimestamper::new(&local);
    let doc = gmseal_testkit::corpus_bytes("ofd/unsigned-helloworld.ofd");
    let value =
        gmseal_ofd::signed_value::ses::SesSigner::new(&f.seal, f.holder.der(), &f.holder.key)
            .timestamper(&timestamper);
    let stamp = gmseal_ofd::SignOptions::default()
        .time(at(SIGNED))
        .stamp(gmseal_ofd::Stamp::at(
            0,
            gmseal_ofd::Rect::new(100.0, 50.0, 40.0, 40.0),
        ));
    let ofd = gmseal_ofd::Signer::new(&value)
        .sign(&doc, &stamp)
        .unwrap()
        .package;

    let v = json(ofd_report(&f, &ofd));
    assert_eq!(v["code"], "0");
    let data = &v["data"];
    assert_eq!(data["fileName"], "合同.ofd");
    assert_eq!(data["fileSize"], ofd.len() as u64);
    assert_eq!(data["signCount"], 1);
    assert_eq!(data["verifyResult"], true, "{v:#}");
    let d = &data["details"][0];
    check_detail(&f, d, "gmseal-ofd");
    let s = steps(d);
    assert_eq!(s[0], ("印章信息".to_owned(), 1), "{d:#}");
    assert!(s.iter().all(|(_, st)| *st == 1), "{d:#}");
    for step in [
        "文档完整性",
        "签名值",
        "签名原文摘要",
        "签名证书",
        "证书链",
        "制章者签名",
        "印章有效期",
        "时间戳",
    ] {
        assert!(!status_of(d, step).is_empty(), "{step}: {d:#}");
    }
    let hint = |d: &Value, step: &str| -> String {
        d["flowVoList"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["step"] == step)
            .unwrap()["hint"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert!(hint(d, "文档完整性").starts_with("5/5 "), "{d:#}");

    // The page content changed after signing: 文档完整性 fails, naming the file.
    let page = zip_entries(&ofd)
        .into_iter()
        .find(|(n, _)| n.ends_with("Pages/Page_0/Content.xml"))
        .unwrap()
        .0;
    let tampered: Vec<(String, Vec<u8>)> = zip_entries(&ofd)
        .into_iter()
        .map(|(n, mut d)| {
            if n == page {
                let i = d.windows(2).position(|w| w == b"</").unwrap();
                d.splice(i..i, b"<!-- changed -->".iter().copied());
            }
            (n, d)
        })
        .collect();
    let bad = zip_build(&tampered);
    let v = json(ofd_report(&f, &bad));
    let data = &v["data"];
    assert_eq!(data["verifyResult"], false, "{v:#}");
    let d = &data["details"][0];
    assert_eq!(status_of(d, "文档完整性"), vec![0], "{d:#}");
    assert!(hint(d, "文档完整性").contains("Content.xml"), "{d:#}");
    // The signature value itself still verifies; only what it protects changed.
    assert_eq!(status_of(d, "签名值"), vec![1], "{d:#}");
    check_detail(&f, d, "gmseal-ofd");

    // A file added after signing: a problem of the package, on every detail.
    let mut added = zip_entries(&ofd);
    added.push(("Doc_0/Res/added.txt".into(), b"added later".to_vec()));
    let v = json(ofd_report(&f, &zip_build(&added)));
    assert_eq!(v["data"]["verifyResult"], false, "{v:#}");
    let d = &v["data"]["details"][0];
    assert_eq!(status_of(d, "文档检查"), vec![0], "{d:#}");
    assert!(hint(d, "文档检查").contains("added.txt"), "{d:#}");
}
