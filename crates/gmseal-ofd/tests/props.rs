//! Property tests: no panic on arbitrary or mutated input; round trips of the writers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use gmseal_ofd::path::{PackagePath, resolve};
use gmseal_ofd::xml::document::DocumentXml;
use gmseal_ofd::xml::ofd::OfdXml;
use gmseal_ofd::xml::page::PageXml;
use gmseal_ofd::xml::signature::SignatureXml;
use gmseal_ofd::xml::signatures::SignaturesXml;
use gmseal_ofd::{Limits, Package, Rect, Verifier};
use proptest::prelude::*;

fn corpus_files() -> Vec<Vec<u8>> {
    [
        "sign-sm2-raw-DigitalSign",
        "seal-v4-two-sigs-first-broken-h",
        "seal-v1-tampered-n",
    ]
    .iter()
    .map(|n| gmseal_testkit::corpus_bytes(&format!("ofd/{n}.ofd")))
    .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(b in proptest::collection::vec(any::<u8>(), 0..2048)) {
        if let Ok(p) = Package::from_bytes(b) {
            let _ = Verifier::new().verify(&p);
        }
    }

    #[test]
    fn mutated_packages_never_panic(
        which in 0usize..3,
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
    ) {
        let mut b = corpus_files().swap_remove(which);
        for (i, v) in flips {
            let at = i.index(b.len());
            b[at] = v;
        }
        if let Ok(p) = Package::from_bytes(b) {
            let _ = Verifier::new().verify(&p);
            let _ = Verifier::new().lenient().verify(&p);
        }
    }

    #[test]
    fn xml_parsers_never_panic(s in "(<[/a-zA-Z:]{0,12}( [a-zA-Z]{1,6}=\"[^\"<]{0,12}\")?/?>|[^<]{0,10}|&[a-z#0-9x]{0,6};){0,40}") {
        let l = Limits::default();
        let b = s.as_bytes();
        let _ = SignatureXml::parse(b, &l);
        let _ = SignaturesXml::parse(b, &l);
        let _ = OfdXml::parse(b, &l);
        let _ = DocumentXml::parse(b, &l);
        let _ = PageXml::parse(b, &l);
        let _ = gmseal_ofd::xml::parse(b, &l);
    }

    #[test]
    fn locations_stay_inside(base in "[a-zA-Z_0-9/.]{0,20}", loc in "[a-zA-Z_0-9/.:\\\\]{0,30}") {
        let dir = PackagePath::new(&base).map(|p| p.parent()).unwrap_or_else(|_| PackagePath::root());
        if let Ok(r) = resolve(&dir, &loc) {
            let p = r.path.as_str();
            prop_assert!(!p.starts_with('/'));
            prop_assert!(!p.split('/').any(|s| s == ".." || s == "." || s.is_empty()));
            prop_assert!(PackagePath::from_entry_name(p.as_bytes()).is_ok());
        }
    }

    #[test]
    fn boxes_round_trip(x in -1000i32..1000, y in -1000i32..1000, w in 0u32..100_000, h in 0u32..100_000) {
        let r = Rect::new(f64::from(x) / 8.0, f64::from(y) / 8.0, f64::from(w) / 1000.0, f64::from(h) / 1000.0);
        prop_assert_eq!(Rect::parse(&r.to_string()), Some(r));
    }
}

/// Extending a signature list keeps every earlier entry and adds exactly one, whatever the IDs.
#[test]
fn signature_list_extension() {
    use gmseal_ofd::signed_value::raw_sm2::RawSm2Signer;
    use gmseal_ofd::{SignOptions, Signer};
    let k = gmseal_sm2::SoftwareSigner::from_bytes(&[9; 32]).unwrap();
    let mut doc = gmseal_testkit::corpus_bytes("ofd/seal-v1-tampered-n.ofd");
    for round in 0..5 {
        let before = Package::from_bytes(doc.clone()).unwrap();
        let list_before = SignaturesXml::parse(
            &before.read("Doc_0/Signatures.xml").unwrap(),
            &Limits::default(),
        )
        .unwrap();
        doc = Signer::new(&RawSm2Signer::new(&k))
            .sign(&doc, &SignOptions::default())
            .unwrap()
            .package;
        let after = Package::from_bytes(doc.clone()).unwrap();
        let list = SignaturesXml::parse(
            &after.read("Doc_0/Signatures.xml").unwrap(),
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(list.entries.len(), round + 2);
        assert_eq!(list.entries[..round + 1], list_before.entries[..]);
        // dms360's numeric IDs ("0", MaxSignId "1") continue as 2, 3, ...
        assert_eq!(list.entries[round + 1].id, (round + 2).to_string());
        assert_eq!(list.max_sign_id(), Some((round + 2).to_string().as_str()));
    }
}
