//! The published PDF signature attack classes, built from our own signed files:
//! universal signature forgery (USF), incremental saving attack (ISA), signature wrapping
//! (SWA) and shadow attacks (hide, replace, hide-and-replace). Each must be reported, never
//! crash, and never come out valid.
//!
//! `GMSEAL_WRITE_ATTACKS=1` rewrites the committed samples in `test-vectors/pdf/attacks/`;
//! `committed_attack_samples_are_detected` checks them as regression vectors.

use gmseal_pdf::lopdf::{self, IncrementalDocument, Object, Stream};
use gmseal_pdf::{
    ChangeKind, CheckKind, Finding, Outcome, Placement, SealImage, SignOptions, Signed, Verdict,
    VerificationReport, VerifyOptions, sign_to, verify_bytes,
};

use crate::support::*;

/// A signed one-page document and what signing reported.
fn signed_base(input: Vec<u8>) -> (Vec<u8>, Signed) {
    let key = key();
    let mut out = Vec::new();
    let opts = SignOptions::new()
        .field_name("Seal1")
        .seal(
            SealImage::from_bytes(&seal_png(), 30.0, 30.0).unwrap(),
            Placement::new(1, 40.0, 30.0),
        )
        .signing_time(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_795_000_000));
    let s = sign_to(input, &RawSm2::new(&key), &opts, &mut out).unwrap();
    (out, s)
}

fn check(bytes: &[u8]) -> VerificationReport {
    let key = key();
    let v = RawSm2Verifier::new(&key);
    verify_bytes(bytes, &VerifyOptions::new().verifier(&v)).unwrap()
}

/// Replace `len(new)` bytes at `at`, padding `new` with spaces to `width`.
fn overwrite(bytes: &mut [u8], at: usize, width: usize, new: &[u8]) {
    assert!(new.len() <= width, "replacement too long");
    let mut v = new.to_vec();
    v.resize(width, b' ');
    bytes[at..at + width].copy_from_slice(&v);
}

fn find_last(hay: &[u8], needle: &[u8], before: usize) -> usize {
    hay[..before]
        .windows(needle.len())
        .rposition(|w| w == needle)
        .unwrap()
}

/// Where `/ByteRange[...]` of the (only) signature is: key start, array start, array end.
fn byte_range_text(bytes: &[u8], s: &Signed) -> (usize, usize, usize) {
    let a = s.byte_range.first().end as usize;
    let key = find_last(bytes, b"/ByteRange", a);
    let open = key + b"/ByteRange".len();
    let close = open + bytes[open..].iter().position(|&c| c == b']').unwrap() + 1;
    (key, open, close)
}

// ---------------------------------------------------------------- attack builders

/// USF: the signature dictionary without `/ByteRange`.
pub(crate) fn usf_no_byte_range(f: &[u8], s: &Signed) -> Vec<u8> {
    let mut g = f.to_vec();
    let (key, _, close) = byte_range_text(f, s);
    overwrite(&mut g, key, close - key, b"");
    g
}

/// USF: `/ByteRange [0 0 0 0]`.
pub(crate) fn usf_zero_byte_range(f: &[u8], s: &Signed) -> Vec<u8> {
    let mut g = f.to_vec();
    let (_, open, close) = byte_range_text(f, s);
    overwrite(&mut g, open, close - open, b"[0 0 0 0]");
    g
}

/// USF: `/ByteRange null`.
pub(crate) fn usf_null_byte_range(f: &[u8], s: &Signed) -> Vec<u8> {
    let mut g = f.to_vec();
    let (_, open, close) = byte_range_text(f, s);
    overwrite(&mut g, open, close - open, b" null");
    g
}

/// USF: a byte range past the end of the file.
pub(crate) fn usf_range_past_eof(f: &[u8], s: &Signed) -> Vec<u8> {
    let mut g = f.to_vec();
    let (_, open, close) = byte_range_text(f, s);
    let [_, b, c, d] = s.byte_range.values();
    overwrite(
        &mut g,
        open,
        close - open,
        format!("[0 {b} {c} {}]", d + 1000).as_bytes(),
    );
    g
}

/// USF: `/Contents` all zeros (no signature at all).
pub(crate) fn usf_zero_contents(f: &[u8], s: &Signed) -> Vec<u8> {
    let mut g = f.to_vec();
    let gap = s.byte_range.gap();
    for c in &mut g[gap.start as usize + 1..gap.end as usize - 1] {
        *c = b'0';
    }
    g
}

/// USF: `/Contents <>` (empty), the rest of the string blanked.
pub(crate) fn usf_empty_contents(f: &[u8], s: &Signed) -> Vec<u8> {
    let mut g = f.to_vec();
    let gap = s.byte_range.gap();
    let (a, b) = (gap.start as usize, gap.end as usize);
    overwrite(&mut g, a, b - a, b"<>");
    g
}

/// SWA: the signed bytes moved so that the gap holds a new byte range, the signature and
/// anything the attacker likes; the digest and signature still verify.
pub(crate) fn swa_relocated(f: &[u8], s: &Signed) -> Vec<u8> {
    let (key, _, _) = byte_range_text(f, s);
    let gap = s.byte_range.gap();
    let (a, b) = (gap.start as usize, gap.end as usize);
    let hex = &f[a + 1..b - 1];
    let sig_hex_len = hex.len() - hex.iter().rev().take_while(|&&c| c == b'0').count();
    let sig_hex = &hex[..sig_hex_len + sig_hex_len % 2];
    let width = b - a;
    let x = key + width;
    let d = (a - key) + (f.len() - b);
    let mut new = format!("/ByteRange[0 {key} {x} {d}]/Contents<").into_bytes();
    new.extend_from_slice(sig_hex);
    new.extend_from_slice(b">>>\nendobj\n% injected by the attacker ");
    assert!(
        new.len() <= width,
        "signature too long for this construction"
    );
    new.resize(width, b'%');
    let mut g = Vec::with_capacity(f.len());
    g.extend_from_slice(&f[..key]);
    g.extend_from_slice(&new);
    g.extend_from_slice(&f[key..a]);
    g.extend_from_slice(&f[b..]);
    assert_eq!(g.len(), f.len());
    g
}

/// ISA: a new revision that replaces the first page's content.
pub(crate) fn isa_new_page_content(f: &[u8]) -> Vec<u8> {
    let doc = lopdf::Document::load_mem(f).unwrap();
    let page = doc.get_pages()[&1];
    let mut inc = IncrementalDocument::create_from(f.to_vec(), doc);
    let content = inc.new_document.add_object(Stream::new(
        lopdf::Dictionary::new(),
        b"BT /F1 24 Tf 72 300 Td (PAY 1,000,000 TO MALLORY) Tj ET".to_vec(),
    ));
    inc.opt_clone_object_to_new_document(page).unwrap();
    inc.new_document
        .get_object_mut(page)
        .unwrap()
        .as_dict_mut()
        .unwrap()
        .set("Contents", Object::Reference(content));
    let mut out = Vec::new();
    inc.save_to(&mut out).unwrap();
    out
}

/// ISA: objects appended after `%%EOF` without a cross-reference section (for readers that
/// rebuild the table).
pub(crate) fn isa_unstructured(f: &[u8]) -> Vec<u8> {
    let mut g = f.to_vec();
    g.extend_from_slice(b"4 0 obj\n<</Length 44>>\nstream\nBT /F1 24 Tf 72 300 Td (PAY MALLORY) Tj ET\nendstream\nendobj\n");
    g
}

/// Shadow (hide): a new revision removes the seal's widget from the page.
pub(crate) fn shadow_hide_annotation(f: &[u8]) -> Vec<u8> {
    let doc = lopdf::Document::load_mem(f).unwrap();
    let page = doc.get_pages()[&1];
    let mut inc = IncrementalDocument::create_from(f.to_vec(), doc);
    inc.opt_clone_object_to_new_document(page).unwrap();
    inc.new_document
        .get_object_mut(page)
        .unwrap()
        .as_dict_mut()
        .unwrap()
        .set("Annots", Object::Array(Vec::new()));
    let mut out = Vec::new();
    inc.save_to(&mut out).unwrap();
    out
}

/// Shadow (replace): a new revision rewrites an existing object (the font).
pub(crate) fn shadow_replace_font(f: &[u8]) -> Vec<u8> {
    let doc = lopdf::Document::load_mem(f).unwrap();
    let font = doc
        .objects
        .iter()
        .find(|(_, o)| o.as_dict().is_ok_and(|d| d.has_type(b"Font")))
        .map(|(id, _)| *id)
        .unwrap();
    let mut inc = IncrementalDocument::create_from(f.to_vec(), doc);
    inc.opt_clone_object_to_new_document(font).unwrap();
    inc.new_document
        .get_object_mut(font)
        .unwrap()
        .as_dict_mut()
        .unwrap()
        .set("BaseFont", Object::Name(b"Symbol".to_vec()));
    let mut out = Vec::new();
    inc.save_to(&mut out).unwrap();
    out
}

/// Shadow (hide-and-replace): before signing, a shadow copy of the page content object is
/// planted, unreferenced; after signing, an update made of a cross-reference section only points
/// the content object at it.
pub(crate) fn shadow_hide_and_replace() -> (Vec<u8>, Signed) {
    let original = corpus_pdf("pdf20-simple.pdf");
    let doc = lopdf::Document::load_mem(&original).unwrap();
    let page = doc.get_pages()[&1];
    let content = match doc
        .get_object(page)
        .unwrap()
        .as_dict()
        .unwrap()
        .get(b"Contents")
        .unwrap()
    {
        Object::Reference(r) => *r,
        Object::Array(a) => a[0].as_reference().unwrap(),
        other => panic!("unexpected /Contents {other:?}"),
    };
    // The prepared document: the shadow object after the original revision.
    let mut prepared = original.clone();
    let shadow_at = prepared.len();
    let body = b"BT /F1 24 Tf 72 200 Td (PAY MALLORY) Tj ET";
    prepared.extend_from_slice(
        format!(
            "{} {} obj\n<</Length {}>>\nstream\n",
            content.0,
            content.1,
            body.len()
        )
        .as_bytes(),
    );
    prepared.extend_from_slice(body);
    prepared.extend_from_slice(b"\nendstream\nendobj\n");
    let (signed, s) = signed_base(prepared);
    // The attacker's update: only a cross-reference section and a trailer.
    let doc = lopdf::Document::load_mem(&signed).unwrap();
    let root = doc.trailer.get(b"Root").unwrap().as_reference().unwrap();
    let size = doc.trailer.get(b"Size").unwrap().as_i64().unwrap();
    let prev = doc.xref_start;
    let mut g = signed.clone();
    let xref_at = g.len();
    g.extend_from_slice(
        format!(
            "xref\n{} 1\n{:010} {:05} n\r\ntrailer\n<</Size {size}/Root {} {} R/Prev {prev}>>\nstartxref\n{xref_at}\n%%EOF\n",
            content.0, shadow_at, content.1, root.0, root.1
        )
        .as_bytes(),
    );
    (g, s)
}

// ---------------------------------------------------------------- tests

fn base() -> (Vec<u8>, Signed) {
    signed_base(corpus_pdf("pdf20-simple.pdf"))
}

fn assert_finding(r: &VerificationReport, pred: impl Fn(&Finding) -> bool, what: &str) {
    let s = &r.signatures[0];
    assert!(
        s.findings.iter().any(pred),
        "{what}: expected finding missing\n{r}"
    );
    assert_eq!(s.verdict, Verdict::Tampered, "{what}\n{r}");
}

#[test]
fn the_base_is_valid() {
    let (f, _) = base();
    let r = check(&f);
    assert_eq!(r.signatures[0].verdict, Verdict::Valid, "{r}");
}

#[test]
fn universal_signature_forgery() {
    let (f, s) = base();
    let r = check(&usf_no_byte_range(&f, &s));
    assert_finding(&r, |x| *x == Finding::ByteRangeMissing, "no /ByteRange");
    let r = check(&usf_null_byte_range(&f, &s));
    assert_finding(&r, |x| *x == Finding::ByteRangeMissing, "/ByteRange null");
    let r = check(&usf_zero_byte_range(&f, &s));
    assert_finding(
        &r,
        |x| matches!(x, Finding::GapIsNotContents { .. }),
        "[0 0 0 0]",
    );
    assert_finding(
        &r,
        |x| matches!(x, Finding::NotAtRevisionEnd { .. }),
        "[0 0 0 0]",
    );
    let r = check(&usf_range_past_eof(&f, &s));
    assert_finding(
        &r,
        |x| matches!(x, Finding::ByteRangeInvalid(_)),
        "past EOF",
    );
    let r = check(&usf_zero_contents(&f, &s));
    assert_finding(&r, |x| *x == Finding::ContentsMissing, "zero /Contents");
    let r = check(&usf_empty_contents(&f, &s));
    assert_finding(&r, |x| *x == Finding::ContentsMissing, "empty /Contents");
}

#[test]
fn signature_wrapping_with_a_valid_signature() {
    let (f, s) = base();
    let g = swa_relocated(&f, &s);
    let r = check(&g);
    let sig = &r.signatures[0];
    // The cryptography still holds: only the structure gives the attack away.
    assert_eq!(
        sig.check(CheckKind::Signature).unwrap().outcome,
        Outcome::Pass,
        "{r}"
    );
    assert_finding(&r, |x| matches!(x, Finding::GapIsNotContents { .. }), "SWA");
}

#[test]
fn incremental_saving_attacks() {
    let (f, _) = base();
    let r = check(&isa_new_page_content(&f));
    let sig = &r.signatures[0];
    assert!(!sig.covers_whole_file);
    assert_eq!(
        sig.check(CheckKind::Signature).unwrap().outcome,
        Outcome::Pass,
        "{r}"
    );
    assert!(
        sig.changes_after.iter().any(|c| matches!(&c.kind, ChangeKind::PageModified { keys } if keys.iter().any(|k| k == "Contents"))),
        "{r}"
    );
    assert_eq!(sig.verdict, Verdict::Tampered, "{r}");

    let r = check(&isa_unstructured(&f));
    assert!(
        r.findings
            .iter()
            .any(|x| matches!(x, Finding::UnstructuredTrailingData { .. })),
        "{r}"
    );
    assert_eq!(r.verdict(), Some(Verdict::Tampered));
}

#[test]
fn shadow_attacks() {
    let (f, _) = base();
    let r = check(&shadow_hide_annotation(&f));
    let sig = &r.signatures[0];
    assert!(
        sig.changes_after
            .iter()
            .any(|c| matches!(c.kind, ChangeKind::Removed { .. })),
        "{r}"
    );
    assert_eq!(sig.verdict, Verdict::Tampered);

    let r = check(&shadow_replace_font(&f));
    let sig = &r.signatures[0];
    assert!(
        sig.changes_after.iter().any(|c| matches!(&c.kind, ChangeKind::ObjectModified { keys, .. } if keys.iter().any(|k| k == "BaseFont"))),
        "{r}"
    );
    assert_eq!(sig.verdict, Verdict::Tampered);

    let (g, _) = shadow_hide_and_replace();
    let r = check(&g);
    assert_finding(
        &r,
        |x| matches!(x, Finding::ShadowObject { .. }),
        "hide-and-replace",
    );
}

#[test]
fn a_later_copy_of_the_signature_dictionary_is_not_covered() {
    // A new field in a later revision whose value copies the signed dictionary's ranges and
    // signature: the digest and signature verify, but the dictionary is outside the signed
    // bytes and its gap is not its /Contents.
    let (f, _) = base();
    let doc = lopdf::Document::load_mem(&f).unwrap();
    let (sig_id, sig) = doc
        .objects
        .iter()
        .find(|(_, o)| o.as_dict().is_ok_and(|d| d.has_type(b"Sig")))
        .map(|(id, o)| (*id, o.clone()))
        .unwrap();
    let _ = sig_id;
    let acroform = doc
        .catalog()
        .unwrap()
        .get(b"AcroForm")
        .unwrap()
        .as_reference()
        .unwrap();
    let mut inc = IncrementalDocument::create_from(f.clone(), doc);
    let copy = inc.new_document.add_object(sig);
    let mut field = lopdf::Dictionary::new();
    field.set("FT", Object::Name(b"Sig".to_vec()));
    field.set("T", Object::string_literal("Copy"));
    field.set("V", Object::Reference(copy));
    let field = inc.new_document.add_object(field);
    inc.opt_clone_object_to_new_document(acroform).unwrap();
    inc.new_document
        .get_object_mut(acroform)
        .unwrap()
        .as_dict_mut()
        .unwrap()
        .get_mut(b"Fields")
        .unwrap()
        .as_array_mut()
        .unwrap()
        .push(Object::Reference(field));
    let mut g = Vec::new();
    inc.save_to(&mut g).unwrap();
    let r = check(&g);
    let copy = r
        .signatures
        .iter()
        .find(|s| s.field_name == "Copy")
        .unwrap();
    assert!(
        copy.findings
            .iter()
            .any(|x| matches!(x, Finding::DictionaryNotCovered { .. })),
        "{r}"
    );
    assert_eq!(copy.verdict, Verdict::Tampered);
    let orig = r
        .signatures
        .iter()
        .find(|s| s.field_name == "Seal1")
        .unwrap();
    assert_eq!(orig.verdict, Verdict::Valid, "{r}");
}

/// The committed samples: (file, what must be found).
type Expectation = fn(&VerificationReport) -> bool;

fn samples() -> Vec<(&'static str, Vec<u8>, Expectation)> {
    let (f, s) = base();
    let (hr, _) = shadow_hide_and_replace();
    let sig0 =
        |r: &VerificationReport| r.signatures.first().map(|s| s.verdict) == Some(Verdict::Tampered);
    vec![
        ("usf-no-byterange.pdf", usf_no_byte_range(&f, &s), sig0),
        ("usf-zero-byterange.pdf", usf_zero_byte_range(&f, &s), sig0),
        ("usf-zero-contents.pdf", usf_zero_contents(&f, &s), sig0),
        ("swa-relocated.pdf", swa_relocated(&f, &s), sig0),
        ("isa-page-content.pdf", isa_new_page_content(&f), sig0),
        ("isa-unstructured.pdf", isa_unstructured(&f), |r| {
            r.verdict() == Some(Verdict::Tampered)
        }),
        ("shadow-hide.pdf", shadow_hide_annotation(&f), sig0),
        ("shadow-replace.pdf", shadow_replace_font(&f), sig0),
        ("shadow-hide-and-replace.pdf", hr, |r| {
            r.signatures[0]
                .findings
                .iter()
                .any(|x| matches!(x, Finding::ShadowObject { .. }))
        }),
        ("valid.pdf", f.clone(), |r| {
            r.verdict() == Some(Verdict::Valid)
        }),
    ]
}

#[test]
fn committed_attack_samples_are_detected() {
    let dir = vectors_dir().join("attacks");
    let write = std::env::var_os("GMSEAL_WRITE_ATTACKS").is_some();
    for (name, bytes, ok) in samples() {
        let path = dir.join(name);
        if write {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &bytes).unwrap();
        }
        let committed = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let r = check(&committed);
        assert!(ok(&r), "{name}:\n{r}");
    }
}
