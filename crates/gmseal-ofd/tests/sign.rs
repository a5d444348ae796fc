//! Signing: new files only, MaxSignId, several signatures, stamps (fixed, riding, keyword).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

#[path = "support/gen.rs"]
mod generate;
#[path = "support/zipedit.rs"]
mod zipedit;

use std::io::Read;

use gmseal_ofd::signed_value::raw_sm2::{RawSm2Signer, RawSm2Verifier};
use gmseal_ofd::xml::signatures::SignaturesXml;
use gmseal_ofd::{
    Error, Limits, Occurrence, Package, Rect, Side, SignError, SignOptions, Signer, Stamp, Verdict,
    Verifier,
};
use gmseal_sm2::SoftwareSigner;

fn key(n: u8) -> SoftwareSigner {
    SoftwareSigner::from_bytes(&[n; 32]).unwrap()
}

fn verifier(keys: &[&SoftwareSigner]) -> Verifier {
    let mut v = RawSm2Verifier::new();
    for k in keys {
        v = v.with_key(k.public_key());
    }
    Verifier::new().sign_verifier(v)
}

fn helloworld() -> Vec<u8> {
    gmseal_testkit::corpus_bytes("ofd/unsigned-helloworld.ofd")
}

fn stamp() -> SignOptions {
    SignOptions::default().stamp(Stamp::at(0, Rect::new(100.0, 50.0, 40.0, 40.0)))
}

/// Raw (compressed) bytes, method and CRC of every entry.
fn raw_entries(bytes: &[u8]) -> Vec<(String, Vec<u8>, u32, zip::CompressionMethod)> {
    let mut a = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..a.len())
        .map(|i| {
            let mut f = a.by_index_raw(i).unwrap();
            let mut v = Vec::new();
            f.read_to_end(&mut v).unwrap();
            (f.name().to_owned(), v, f.crc32(), f.compression())
        })
        .collect()
}

#[test]
fn first_signature_adds_files_and_keeps_the_rest() {
    let k = key(1);
    let before = helloworld();
    let signed = Signer::new(&RawSm2Signer::new(&k))
        .sign(&before, &stamp())
        .unwrap();
    assert_eq!(signed.signature_id, "s001");
    assert_eq!(
        signed.signature_file.as_str(),
        "Doc_0/Signs/Sign_0/Signature.xml"
    );
    let old = raw_entries(&before);
    let new = raw_entries(&signed.package);
    // Every existing entry, in the same order, with identical compressed bytes, except OFD.xml.
    for (o, n) in old.iter().zip(&new) {
        assert_eq!(o.0, n.0);
        if o.0 != "OFD.xml" {
            assert_eq!(o, n, "{} changed", o.0);
        }
    }
    let added: Vec<&str> = new[old.len()..].iter().map(|e| e.0.as_str()).collect();
    assert_eq!(
        added,
        [
            "Doc_0/Signs/Signatures.xml",
            "Doc_0/Signs/Sign_0/Signature.xml",
            "Doc_0/Signs/Sign_0/SignedValue.dat"
        ]
    );
    // OFD.xml only gained the Signatures element.
    let o = String::from_utf8(zipedit::get(&before, "OFD.xml")).unwrap();
    let n = String::from_utf8(zipedit::get(&signed.package, "OFD.xml")).unwrap();
    let ins = "<ofd:Signatures>/Doc_0/Signs/Signatures.xml</ofd:Signatures>";
    assert_eq!(n.replacen(ins, "", 1), o);

    let r = verifier(&[&k])
        .verify(&Package::from_bytes(signed.package.clone()).unwrap())
        .unwrap();
    assert_eq!(r.verdict, Verdict::Valid, "{r}");
    let s = r.signature("s001").unwrap();
    assert_eq!(s.stamps.len(), 1);
    assert_eq!(s.stamps[0].visible, Some(true));
    assert_eq!(s.stamps[0].page_protected, Some(true));
    // Every file is covered: the content by the reference list, the signature files by the
    // signature itself; Signatures.xml is checked for consistency instead.
    for c in &r.coverage {
        assert!(
            c.is_covered() || c.file == "Doc_0/Signs/Signatures.xml",
            "{c:?}"
        );
    }
    // The references: OFD.xml as signed, every content file, not Signatures.xml.
    let refs: Vec<&str> = s.references.iter().map(|r| r.file_ref.as_str()).collect();
    assert_eq!(
        refs,
        [
            "/Doc_0/Document.xml",
            "/Doc_0/Pages/Page_0/Content.xml",
            "/Doc_0/PublicRes.xml",
            "/OFD.xml"
        ]
    );
    assert!(!s.protects_signature_list);
}

#[test]
fn several_signatures_protect_the_earlier_ones() {
    let (k1, k2, k3) = (key(1), key(2), key(3));
    let mut doc = helloworld();
    for k in [&k1, &k2, &k3] {
        let before = doc.clone();
        doc = Signer::new(&RawSm2Signer::new(k))
            .sign(&before, &stamp())
            .unwrap()
            .package;
        // From the second signature on, OFD.xml is untouched too.
        let old = raw_entries(&before);
        let new = raw_entries(&doc);
        for (o, n) in old.iter().zip(&new) {
            if o.0 != "Doc_0/Signs/Signatures.xml"
                && !(o.0 == "OFD.xml" && k.public_key() == k1.public_key())
            {
                assert_eq!(o, n, "{} changed", o.0);
            }
        }
    }
    let list = SignaturesXml::parse(
        &zipedit::get(&doc, "Doc_0/Signs/Signatures.xml"),
        &Limits::default(),
    )
    .unwrap();
    let ids: Vec<&str> = list.entries.iter().map(|e| e.id.as_str()).collect();
    // Each signature takes one ID and one per stamp; MaxSignId is the last one used.
    assert_eq!(ids, ["s001", "s003", "s005"]);
    assert_eq!(list.max_sign_ids, ["s006"]);

    let r = verifier(&[&k1, &k2, &k3])
        .verify(&Package::from_bytes(doc).unwrap())
        .unwrap();
    assert_eq!(r.verdict, Verdict::Valid, "{r}");
    let third = r.signature("s005").unwrap();
    for earlier in ["Sign_0", "Sign_1"] {
        for f in ["Signature.xml", "SignedValue.dat"] {
            let want = format!("/Doc_0/Signs/{earlier}/{f}");
            assert!(
                third.references.iter().any(|r| r.file_ref == want),
                "{want} not protected"
            );
        }
    }
    let stamp_ids: Vec<&str> = r
        .signatures()
        .flat_map(|s| s.stamps.iter().map(|st| st.id.as_str()))
        .collect();
    assert_eq!(stamp_ids, ["s002", "s004", "s006"]);
}

#[test]
fn whole_protected_locks_the_document() {
    let k = key(1);
    let signed = Signer::new(&RawSm2Signer::new(&k))
        .sign(&helloworld(), &stamp().whole_protected())
        .unwrap();
    let r = verifier(&[&k])
        .verify(&Package::from_bytes(signed.package.clone()).unwrap())
        .unwrap();
    assert_eq!(r.verdict, Verdict::Valid, "{r}");
    assert!(r.signature("s001").unwrap().protects_signature_list);
    let again = Signer::new(&RawSm2Signer::new(&k)).sign(&signed.package, &stamp());
    assert!(matches!(
        again,
        Err(Error::Sign(SignError::DocumentLocked { signature_id })) if signature_id == "s001"
    ));
    // ofdrw's whole-protected sample is refused the same way.
    let all = gmseal_testkit::corpus_bytes("ofd/seal-v4-wholeprotected-allprotected.ofd");
    assert!(matches!(
        Signer::new(&RawSm2Signer::new(&k)).sign(&all, &stamp()),
        Err(Error::Sign(SignError::DocumentLocked { .. }))
    ));
}

#[test]
fn countersigning_an_ofdrw_seal_keeps_it_valid() {
    let k = key(7);
    let doc = gmseal_testkit::corpus_bytes("ofd/seal-v4-continue-SESV4SignDoc.ofd");
    let signed = Signer::new(&RawSm2Signer::new(&k))
        .sign(&doc, &stamp())
        .unwrap();
    // ofdrw's list has MaxSignId "2" (signature 1, stamp 2): ours is 3, its stamp 4.
    assert_eq!(signed.signature_id, "3");
    assert_eq!(signed.stamps[0].id, "4");
    assert_eq!(
        signed.signature_file.as_str(),
        "Doc_0/Signs/Sign_1/Signature.xml"
    );
    let r = verifier(&[&k])
        .verify(&Package::from_bytes(signed.package).unwrap())
        .unwrap();
    let ofdrw = r.signature("1").unwrap();
    assert!(
        ofdrw
            .references
            .iter()
            .all(|x| x.outcome == gmseal_ofd::ReferenceOutcome::Match)
    );
    let ours = r.signature("3").unwrap();
    assert_eq!(ours.verdict, Verdict::Valid, "{r}");
    for f in ["Signature.xml", "SignedValue.dat", "Seal.esl"] {
        let want = format!("/Doc_0/Signs/Sign_0/{f}");
        assert!(ours.references.iter().any(|r| r.file_ref == want), "{want}");
    }
    assert_eq!(r.uncovered().count(), 0, "{r}");
}

#[test]
fn riding_seal_across_pages() {
    let k = key(1);
    let doc = generate::generate(5, 1000, None);
    let signed = Signer::new(&RawSm2Signer::new(&k))
        .sign(
            &doc,
            &SignOptions::default().stamp(Stamp::riding(Side::Right, 40.0, 40.0, 100.0)),
        )
        .unwrap();
    assert_eq!(signed.stamps.len(), 5);
    for (i, s) in signed.stamps.iter().enumerate() {
        assert_eq!(s.page_ref, (1 + i * 100).to_string());
        let c = s.clip.unwrap();
        assert_eq!(c, Rect::new(8.0 * i as f64, 0.0, 8.0, 40.0));
        assert!((s.boundary.x + c.x + c.w - 210.0).abs() < 1e-9);
        assert_eq!(s.boundary.y, 100.0);
    }
    let r = verifier(&[&k])
        .verify(&Package::from_bytes(signed.package).unwrap())
        .unwrap();
    assert_eq!(r.verdict, Verdict::Valid, "{r}");
    assert!(
        r.signatures()
            .next()
            .unwrap()
            .stamps
            .iter()
            .all(|s| s.visible == Some(true))
    );

    // Pages 2..=3 only, on the bottom edge.
    let signed = Signer::new(&RawSm2Signer::new(&k))
        .sign(
            &doc,
            &SignOptions::default()
                .stamp(Stamp::riding(Side::Bottom, 40.0, 40.0, 80.0).pages(1, 2)),
        )
        .unwrap();
    assert_eq!(signed.stamps.len(), 2);
    assert_eq!(
        signed.stamps[0].boundary,
        Rect::new(80.0, 277.0, 40.0, 40.0)
    );
    assert_eq!(
        signed.stamps[1].clip,
        Some(Rect::new(0.0, 20.0, 40.0, 20.0))
    );
    // One page is not a riding seal.
    assert!(matches!(
        Signer::new(&RawSm2Signer::new(&k)).sign(
            &doc,
            &SignOptions::default().stamp(Stamp::riding(Side::Right, 40.0, 40.0, 0.0).pages(3, 3))
        ),
        Err(Error::Sign(SignError::RidingNeedsPages { pages: 1 }))
    ));
}

#[test]
fn seal_over_a_keyword() {
    let k = key(1);
    let doc = generate::generate(3, 1000, Some((1, "某某有限公司")));
    let signed = Signer::new(&RawSm2Signer::new(&k))
        .sign(
            &doc,
            &SignOptions::default().stamp(Stamp::keyword("某某有限公司", 40.0, 40.0)),
        )
        .unwrap();
    assert_eq!(signed.stamps.len(), 1);
    let s = &signed.stamps[0];
    assert_eq!(s.page_ref, "101", "second page");
    // "甲方：" then the keyword: 6 characters from x = 20 + 3*4 mm, 4 mm each, on the line
    // from y = 30 to 34 (baseline 34, size 4).
    let (cx, cy) = (s.boundary.x + 20.0, s.boundary.y + 20.0);
    assert!((cx - (20.0 + 12.0 + 12.0)).abs() < 1e-9, "{s:?}");
    assert!((cy - 32.0).abs() < 1e-9, "{s:?}");
    let r = verifier(&[&k])
        .verify(&Package::from_bytes(signed.package).unwrap())
        .unwrap();
    assert_eq!(r.verdict, Verdict::Valid, "{r}");

    assert!(matches!(
        Signer::new(&RawSm2Signer::new(&k)).sign(
            &doc,
            &SignOptions::default().stamp(Stamp::keyword("不存在", 40.0, 40.0))
        ),
        Err(Error::Sign(SignError::KeywordNotFound { .. }))
    ));
    // Every line of every page says "OFD": Occurrence::All puts one stamp on each.
    let all = Signer::new(&RawSm2Signer::new(&k))
        .sign(
            &doc,
            &SignOptions::default()
                .stamp(Stamp::keyword("电子签章", 20.0, 20.0).occurrence(Occurrence::All)),
        )
        .unwrap();
    assert_eq!(all.stamps.len(), 3 * 29 - 1);
}

#[test]
fn bad_requests() {
    let k = key(1);
    let doc = helloworld();
    let raw = RawSm2Signer::new(&k);
    let s = Signer::new(&raw);
    assert!(matches!(
        s.sign(
            &doc,
            &SignOptions::default().stamp(Stamp::at(3, Rect::new(0.0, 0.0, 1.0, 1.0)))
        ),
        Err(Error::Sign(SignError::NoSuchPage { index: 3, count: 1 }))
    ));
    assert!(matches!(
        s.sign(
            &doc,
            &SignOptions::default().stamp(Stamp::at(0, Rect::new(0.0, 0.0, 0.0, 1.0)))
        ),
        Err(Error::Sign(SignError::InvalidGeometry { .. }))
    ));
    assert!(matches!(
        s.sign(&doc, &SignOptions::default().document(1)),
        Err(Error::Sign(SignError::NoSuchDocument {
            index: 1,
            count: 1
        }))
    ));
    // A Type="Sign" signature needs no stamp.
    let signed = s.sign(&doc, &SignOptions::default()).unwrap();
    let r = verifier(&[&k])
        .verify(&Package::from_bytes(signed.package).unwrap())
        .unwrap();
    assert_eq!(r.verdict, Verdict::Valid, "{r}");
}

#[test]
fn signing_a_signed_sample_continues_its_ids() {
    // DigitalSign.ofd: MaxSignId s001.
    let k = key(1);
    let doc = gmseal_testkit::corpus_bytes("ofd/sign-sm2-raw-DigitalSign.ofd");
    let signed = Signer::new(&RawSm2Signer::new(&k))
        .sign(&doc, &stamp())
        .unwrap();
    assert_eq!(signed.signature_id, "s002");
    let list = SignaturesXml::parse(
        &zipedit::get(&signed.package, "Doc_0/Signs/Signatures.xml"),
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(list.max_sign_ids, ["s003"]);
    // The list was extended textually: the original entry is byte-identical.
    let old = String::from_utf8(zipedit::get(&doc, "Doc_0/Signs/Signatures.xml")).unwrap();
    let new =
        String::from_utf8(zipedit::get(&signed.package, "Doc_0/Signs/Signatures.xml")).unwrap();
    let first =
        r#"<ofd:Signature ID="s001" Type="Sign" BaseLoc="/Doc_0/Signs/Sign_0/Signature.xml"/>"#;
    assert!(old.contains(first) && new.contains(first));
}

/// Found by the `ofd_sign_verify` fuzzer (docs/fuzzing.md): the signer placed a stamp wholly
/// outside the page, which its own verifier then reported as not visible (Indeterminate).
#[test]
fn stamp_outside_the_page_is_refused() {
    let k = key(1);
    let doc = helloworld();
    let raw = RawSm2Signer::new(&k);
    let s = Signer::new(&raw);
    // The fuzzer's case: helloworld's page is [0 0 210 297].
    let outside = SignOptions::default().stamp(Stamp::at(0, Rect::new(249.0, 255.0, 256.0, 256.0)));
    match s.sign(&doc, &outside) {
        Err(Error::Sign(SignError::StampNotVisible {
            page: 0,
            visible,
            page_box,
        })) => {
            assert_eq!(visible, Rect::new(249.0, 255.0, 256.0, 256.0));
            assert_eq!(page_box, Rect::new(0.0, 0.0, 210.0, 297.0));
        }
        other => panic!("{other:?}"),
    }
    // A boundary on the page whose clip lies off it shows nothing either.
    let clipped_off = SignOptions::default().stamp(
        Stamp::at(0, Rect::new(100.0, 100.0, 40.0, 40.0)).clip(Rect::new(200.0, 0.0, 10.0, 10.0)),
    );
    assert!(matches!(
        s.sign(&doc, &clipped_off),
        Err(Error::Sign(SignError::StampNotVisible { page: 0, .. }))
    ));
    // Partly on the page: signed, and verifies without a visibility finding.
    let partly = SignOptions::default().stamp(Stamp::at(0, Rect::new(190.0, 280.0, 40.0, 40.0)));
    let signed = s.sign(&doc, &partly).unwrap();
    let r = verifier(&[&k])
        .verify(&Package::from_bytes(signed.package).unwrap())
        .unwrap();
    assert_eq!(r.verdict, Verdict::Valid, "{r}");
}
