//! Signature fields: filling empty ones, names, JPEG pictures, invisible signatures.

use gmseal_pdf::{
    ChangeKind, Error, ModificationLevel, Placement, SealImage, SignOptions, Verdict,
    VerifyOptions, sign, verify_bytes,
};

use crate::support::*;

fn picture() -> SealImage {
    SealImage::from_bytes(&seal_png(), 30.0, 30.0).unwrap()
}

#[test]
fn fills_both_empty_fields_in_turn() {
    let key = key();
    let v = RawSm2Verifier::new(&key);
    let input = corpus_pdf("pyhanko-minimal-two-fields.pdf");
    let one = sign(
        input,
        &RawSm2::new(&key),
        &SignOptions::new().existing_field("Sig1").picture(picture()),
    )
    .unwrap();
    let two = sign(
        one.clone(),
        &RawSm2::new(&key),
        &SignOptions::new().existing_field("Sig2").picture(picture()),
    )
    .unwrap();
    let r = verify_bytes(&two, &VerifyOptions::new().verifier(&v)).unwrap();
    let names: Vec<&str> = r.signatures.iter().map(|s| s.field_name.as_str()).collect();
    assert_eq!(names, ["Sig1", "Sig2"], "{r}");
    assert!(
        r.signatures.iter().all(|s| s.verdict == Verdict::Valid),
        "{r}"
    );
    let first = &r.signatures[0];
    assert_eq!(first.modification, ModificationLevel::FormFilling);
    assert!(
        first
            .changes_after
            .iter()
            .any(|c| c.kind == ChangeKind::SignatureFieldFilled),
        "{r}"
    );
    // No new field was created: the form still has exactly two.
    let doc = lopdf::Document::load_mem(&two).unwrap();
    let form = doc.catalog().unwrap().get(b"AcroForm").unwrap();
    let form = doc.dereference(form).unwrap().1.as_dict().unwrap().clone();
    let fields = doc
        .dereference(form.get(b"Fields").unwrap())
        .unwrap()
        .1
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(fields.len(), 2);

    let (_keep, dir) = out_dir("fields");
    let path = write(&dir, "two-fields.pdf", &two);
    qpdf_check(&path, None);
    // pyHanko: from the first seal's revision, the second is form filling of Sig2.
    const REVIEW: &str = r#"
import sys
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY
with open(sys.argv[1], 'rb') as f:
    r = PdfFileReader(f, strict=True)
    print('FILLED ' + ','.join(n for n, v, ref in enumerate_sig_fields(r, filled_status=True)))
    base = r.xrefs.total_revisions - 2
    res = DEFAULT_DIFF_POLICY.review_file(r, base, field_mdp_spec=None, doc_mdp=None)
    print('REVIEW %s %s' % (res.modification_level.name, ','.join(sorted(res.changed_form_fields))))
"#;
    if let Some(out) = crate::oracles::pyhanko(REVIEW, &path) {
        assert!(out.contains("FILLED Sig1,Sig2"), "{out}");
        assert!(out.contains("REVIEW FORM_FILLING Sig2"), "{out}");
    }
}

#[test]
fn fills_an_empty_field_of_an_encrypted_document() {
    let key = key();
    let v = RawSm2Verifier::new(&key);
    let signed = sign(
        corpus_pdf("pyhanko-minimal-with-field-aes256.pdf"),
        &RawSm2::new(&key),
        &SignOptions::new()
            .existing_field("Sig1")
            .password("usersecret"),
    )
    .unwrap();
    let r = verify_bytes(
        &signed,
        &VerifyOptions::new().verifier(&v).password("usersecret"),
    )
    .unwrap();
    assert_eq!(r.signatures.len(), 1, "{r}");
    assert_eq!(r.signatures[0].field_name, "Sig1");
    assert_eq!(r.signatures[0].verdict, Verdict::Valid, "{r}");
}

#[test]
fn field_errors() {
    let key = key();
    let c = RawSm2::new(&key);
    let input = corpus_pdf("pyhanko-minimal-two-fields.pdf");
    let e = sign(
        input.clone(),
        &c,
        &SignOptions::new().existing_field("Nope"),
    )
    .unwrap_err();
    assert!(matches!(e, Error::FieldNotFound { .. }), "{e}");
    let e = sign(input.clone(), &c, &SignOptions::new().field_name("Sig1")).unwrap_err();
    assert!(matches!(e, Error::DuplicateFieldName { .. }), "{e}");
    let e = sign(input.clone(), &c, &SignOptions::new().field_name("a.b")).unwrap_err();
    assert!(matches!(e, Error::InvalidOption { .. }), "{e}");
    let once = sign(input, &c, &SignOptions::new().existing_field("Sig1")).unwrap();
    let e = sign(once, &c, &SignOptions::new().existing_field("Sig1")).unwrap_err();
    assert!(matches!(e, Error::FieldAlreadySigned { .. }), "{e}");
    let e = sign(
        corpus_pdf("pdf20-simple.pdf"),
        &c,
        &SignOptions::new().seal(picture(), Placement::new(9, 10.0, 10.0)),
    )
    .unwrap_err();
    assert!(
        matches!(e, Error::PageOutOfRange { page: 9, pages: 1 }),
        "{e}"
    );
    let e = sign(
        corpus_pdf("pdf20-simple.pdf"),
        &c,
        &SignOptions::new().seal(picture(), Placement::new(1, 1000.0, 10.0)),
    )
    .unwrap_err();
    assert!(matches!(e, Error::PlacementOutsidePage { page: 1 }), "{e}");
    let e = sign(b"hello".to_vec(), &c, &SignOptions::new()).unwrap_err();
    assert!(matches!(e, Error::NotAPdf), "{e}");
    let mut small = RawSm2::new(&key);
    small.reserve = 16;
    let e = sign(corpus_pdf("pdf20-simple.pdf"), &small, &SignOptions::new()).unwrap_err();
    assert!(
        matches!(e, Error::ContentsTooLarge { reserved: 16, .. }),
        "{e}"
    );
}

#[test]
fn jpeg_seal_and_invisible_signature() {
    let key = key();
    let v = RawSm2Verifier::new(&key);
    let jpeg = std::fs::read(vectors_dir().join("seal-red.jpg")).unwrap();
    let pic = SealImage::from_bytes(&jpeg, 40.0, 40.0).unwrap();
    assert!(!pic.has_alpha());
    let signed = sign(
        corpus_pdf("qpdf-11-pages.pdf"),
        &RawSm2::new(&key),
        &SignOptions::new().seal(pic, Placement::new(1, 100.0, 100.0)),
    )
    .unwrap();
    let signed = sign(
        signed,
        &RawSm2::new(&key),
        &SignOptions::new().invisible_on_page(2),
    )
    .unwrap();
    let r = verify_bytes(&signed, &VerifyOptions::new().verifier(&v)).unwrap();
    assert_eq!(r.signatures.len(), 2);
    assert!(
        r.signatures.iter().all(|s| s.verdict == Verdict::Valid),
        "{r}"
    );
    let (_keep, dir) = out_dir("jpeg");
    let path = write(&dir, "jpeg.pdf", &signed);
    qpdf_check(&path, None);
}
