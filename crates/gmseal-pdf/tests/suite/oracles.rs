//! Independent implementations judge our output: qpdf (structure), poppler's pdfsig (fields,
//! ranges, coverage), pdftoppm (the seal is visible: pixels under it), pyHanko (field
//! enumeration and revision diff analysis).

use std::path::Path;
use std::process::Command;

use gmseal_pdf::lopdf::{self, Object};
use gmseal_pdf::{Placement, RidingSeal, SealImage, SignOptions, sign};

use crate::support::*;

fn seal(mm: f64) -> SealImage {
    SealImage::from_bytes(&seal_png(), mm, mm).unwrap()
}

/// A document with three seals, each in its own revision.
fn three_seals() -> Vec<u8> {
    let key = key();
    let mut doc = corpus_pdf("qpdf-11-pages.pdf");
    for i in 1..=3u32 {
        let o = SignOptions::new().seal(seal(40.0), Placement::new(i, 100.0, 100.0));
        doc = sign(doc, &RawSm2::new(&key), &o).unwrap();
    }
    doc
}

#[test]
fn pdfsig_lists_every_seal_and_the_last_covers_the_document() {
    let Some(pdfsig) = gmseal_testkit::oracle("pdfsig") else {
        return;
    };
    let (_keep, dir) = out_dir("pdfsig");
    let path = write(&dir, "three.pdf", &three_seals());
    let out = gmseal_testkit::run_any(Command::new(pdfsig).arg(&path));
    let text = String::from_utf8_lossy(&out.stdout);
    let blocks: Vec<&str> = text.split("Signature #").skip(1).collect();
    assert_eq!(blocks.len(), 3, "{text}");
    for (i, b) in blocks.iter().enumerate() {
        assert!(
            b.contains(&format!("Signature Field Name: Seal{}", i + 1)),
            "{b}"
        );
        if i == 2 {
            assert!(b.contains("Total document signed"), "{b}");
            assert!(!b.contains("Not total document signed"), "{b}");
        } else {
            assert!(b.contains("Not total document signed"), "{b}");
        }
    }
    // Every corpus output is listed as a total signature too.
    let key = key();
    for (name, password) in corpus_inputs() {
        let mut o = SignOptions::new().seal(seal(30.0), Placement::new(1, 20.0, 20.0));
        if let Some(p) = password {
            o = o.password(p);
        }
        let signed = sign(corpus_pdf(name), &RawSm2::new(&key), &o).unwrap();
        let path = write(&dir, name, &signed);
        let mut cmd = Command::new("pdfsig");
        if let Some(p) = password {
            cmd.arg("-upw").arg(p);
        }
        let out = gmseal_testkit::run_any(cmd.arg(&path));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("Total document signed"), "{name}:\n{text}");
    }
}

/// Render page `page` at 72 dpi (1 px = 1 pt) and return (width, height, RGB).
fn render(path: &Path, page: u32) -> Option<(usize, usize, Vec<u8>)> {
    let pdftoppm = gmseal_testkit::oracle("pdftoppm")?;
    let out = gmseal_testkit::run(
        Command::new(pdftoppm)
            .args([
                "-r",
                "72",
                "-f",
                &page.to_string(),
                "-l",
                &page.to_string(),
                "-singlefile",
            ])
            .arg(path)
            .arg(path.with_extension("")),
    );
    let _ = out;
    let ppm = std::fs::read(path.with_extension("ppm")).unwrap();
    // P6 <w> <h> 255\n
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while ppm[i].is_ascii_whitespace() {
            i += 1;
        }
        let s = i;
        while !ppm[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&ppm[s..i]).into_owned());
    }
    assert_eq!(fields[0], "P6");
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    Some((w, h, ppm[i + 1..].to_vec()))
}

fn pixel(img: &(usize, usize, Vec<u8>), x: f64, y: f64) -> [u8; 3] {
    let (w, _, data) = img;
    let (x, y) = (x.round() as usize, y.round() as usize);
    let o = (y * w + x) * 3;
    [data[o], data[o + 1], data[o + 2]]
}

fn is_red(p: [u8; 3]) -> bool {
    p[0] > 150 && p[1] < 100 && p[2] < 100
}

fn is_white(p: [u8; 3]) -> bool {
    p.iter().all(|&c| c > 230)
}

const MM: f64 = 72.0 / 25.4;

#[test]
fn pdftoppm_shows_the_seal_where_it_was_placed() {
    let key = key();
    let (_keep, dir) = out_dir("render");
    // Seal of 40 mm centred at (100 mm, 120 mm) on page 2 of a letter-size document.
    let o = SignOptions::new().seal(seal(40.0), Placement::new(2, 100.0, 120.0));
    let signed = sign(corpus_pdf("qpdf-11-pages.pdf"), &RawSm2::new(&key), &o).unwrap();
    let path = write(&dir, "placed.pdf", &signed);
    let Some(img) = render(&path, 2) else { return };
    assert_eq!((img.0, img.1), (612, 792));
    let (cx, cy, r) = (100.0 * MM, 120.0 * MM, 20.0 * MM);
    // The centre dot and the ring (between 0.8 r and r) are red, the gap between them and the
    // outside are white.
    assert!(is_red(pixel(&img, cx, cy)), "{:?}", pixel(&img, cx, cy));
    assert!(is_red(pixel(&img, cx + 0.9 * r, cy)));
    assert!(is_red(pixel(&img, cx, cy - 0.9 * r)));
    assert!(is_white(pixel(&img, cx + 0.55 * r, cy)));
    assert!(is_white(pixel(&img, cx + 1.3 * r, cy)));
    // Page 1 carries no seal.
    let Some(p1) = render(&path, 1) else { return };
    assert!(is_white(pixel(&p1, cx, cy)));
}

#[test]
fn pdftoppm_the_seal_multiplies_onto_text() {
    // A seal over the text "Original page 1": the text stays dark under the red ink.
    let key = key();
    let (_keep, dir) = out_dir("multiply");
    let path0 = write(&dir, "plain.pdf", &corpus_pdf("qpdf-11-pages.pdf"));
    let Some(plain) = render(&path0, 1) else {
        return;
    };
    // Find a dark text pixel near the top-left.
    let (w, h, _) = (plain.0, plain.1, ());
    let mut dark = None;
    'outer: for y in 0..h / 4 {
        for x in 0..w / 2 {
            let p = pixel(&plain, x as f64, y as f64);
            if p.iter().all(|&c| c < 60) {
                dark = Some((x as f64, y as f64));
                break 'outer;
            }
        }
    }
    let (tx, ty) = dark.expect("text on page 1");
    // A JPEG-like opaque seal would hide it; ours is multiplied: put the centre dot on the text.
    let o = SignOptions::new().seal(seal(40.0), Placement::new(1, tx / MM, ty / MM));
    let signed = sign(corpus_pdf("qpdf-11-pages.pdf"), &RawSm2::new(&key), &o).unwrap();
    let path = write(&dir, "sealed.pdf", &signed);
    let Some(img) = render(&path, 1) else { return };
    let p = pixel(&img, tx, ty);
    assert!(
        p.iter().all(|&c| c < 80),
        "text under the seal is hidden: {p:?}"
    );
}

#[test]
fn pdftoppm_rotated_page_shows_the_seal_upright_where_displayed() {
    let key = key();
    let (_keep, dir) = out_dir("rotated");
    // Page 1 rotated by 90 degrees (an unsigned input, rewritten).
    let mut doc = lopdf::Document::load_mem(&corpus_pdf("qpdf-11-pages.pdf")).unwrap();
    let page = doc.get_pages()[&1];
    doc.get_object_mut(page)
        .unwrap()
        .as_dict_mut()
        .unwrap()
        .set("Rotate", Object::Integer(90));
    let mut input = Vec::new();
    doc.save_to(&mut input).unwrap();
    // An asymmetric picture: a red bar along the top edge only.
    let png = bar_png(60, 60);
    let pic = SealImage::from_bytes(&png, 30.0, 30.0).unwrap();
    let o = SignOptions::new().seal(pic, Placement::new(1, 50.0, 40.0));
    let signed = sign(input, &RawSm2::new(&key), &o).unwrap();
    let path = write(&dir, "rotated.pdf", &signed);
    let Some(img) = render(&path, 1) else { return };
    assert_eq!((img.0, img.1), (792, 612), "displayed landscape");
    let (cx, cy, half) = (50.0 * MM, 40.0 * MM, 15.0 * MM);
    // The bar is at the top of the seal as displayed.
    assert!(
        is_red(pixel(&img, cx, cy - 0.9 * half)),
        "{:?}",
        pixel(&img, cx, cy - 0.9 * half)
    );
    assert!(is_white(pixel(&img, cx, cy + 0.9 * half)));
    assert!(is_white(pixel(&img, cx - 0.9 * half - 3.0, cy)));
}

/// A transparent PNG with an opaque red bar along its top fifth.
fn bar_png(w: u32, h: u32) -> Vec<u8> {
    let mut rgba = Vec::new();
    for y in 0..h {
        for _ in 0..w {
            if y < h / 5 {
                rgba.extend_from_slice(&[0xe0, 0x10, 0x10, 0xff]);
            } else {
                rgba.extend_from_slice(&[0, 0, 0, 0]);
            }
        }
    }
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    enc.write_header().unwrap().write_image_data(&rgba).unwrap();
    out
}

#[test]
fn pdftoppm_riding_seal_is_split_across_page_edges() {
    let key = key();
    let (_keep, dir) = out_dir("riding");
    let o = SignOptions::new().riding_seal(seal(40.0), RidingSeal::new(120.0).pages(1, Some(4)));
    let signed = sign(corpus_pdf("qpdf-11-pages.pdf"), &RawSm2::new(&key), &o).unwrap();
    let path = write(&dir, "riding.pdf", &signed);
    qpdf_check(&path, None);
    // Each of the 4 pages shows a 10 mm strip at its right edge; together they make the ring.
    let strip = 10.0 * MM;
    let cy = 120.0 * MM;
    let r = 20.0 * MM;
    let mut red_columns = 0;
    for n in 1..=4u32 {
        let Some(img) = render(&path, n) else { return };
        let x0 = 612.0 - strip;
        // Something red in the strip, nothing red left of it.
        let red_in_strip = (0..strip as usize).any(|dx| {
            (-(r as i64)..r as i64).any(|dy| is_red(pixel(&img, x0 + dx as f64, cy + dy as f64)))
        });
        assert!(red_in_strip, "page {n}");
        assert!(
            (0..40).all(|dx| is_white(pixel(&img, x0 - 2.0 - dx as f64, cy))),
            "page {n}"
        );
        red_columns += 1;
    }
    assert_eq!(red_columns, 4);
    // Page 5 has none.
    let Some(img) = render(&path, 5) else { return };
    assert!(is_white(pixel(&img, 612.0 - strip / 2.0, cy)));
}

/// Run a pyHanko script; `None` (skipped loudly) when pyHanko is not installed here.
pub(crate) fn pyhanko(script: &str, arg: &Path) -> Option<String> {
    let python = gmseal_testkit::oracle("python3")?;
    let probe = Command::new(&python)
        .args(["-c", "import pyhanko"])
        .output()
        .ok()?;
    if !probe.status.success() {
        if gmseal_testkit::oracles_required() {
            panic!("pyHanko is required (pip install pyhanko) but cannot be imported");
        }
        eprintln!("\n*** SKIPPED: pyHanko is not installed (pip install pyhanko). ***\n");
        return None;
    }
    let out = gmseal_testkit::run(Command::new(python).arg("-c").arg(script).arg(arg));
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

const PYHANKO_REVIEW: &str = r#"
import sys
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY
with open(sys.argv[1], 'rb') as f:
    r = PdfFileReader(f, strict=True)
    names = [n for n, v, ref in enumerate_sig_fields(r)]
    print('FIELDS ' + ','.join(names))
    print('REVISIONS %d' % r.xrefs.total_revisions)
    for base in range(1, r.xrefs.total_revisions - 1):
        res = DEFAULT_DIFF_POLICY.review_file(r, base, field_mdp_spec=None, doc_mdp=None)
        print('REVIEW %d %s %s' % (base, res.modification_level.name, ','.join(sorted(res.changed_form_fields))))
"#;

#[test]
fn pyhanko_enumerates_our_fields_and_classifies_later_seals_as_form_filling() {
    let (_keep, dir) = out_dir("pyhanko");
    let path = write(&dir, "three.pdf", &three_seals());
    let Some(out) = pyhanko(PYHANKO_REVIEW, &path) else {
        return;
    };
    assert!(out.contains("FIELDS Seal1,Seal2,Seal3"), "{out}");
    assert!(out.contains("REVISIONS 4"), "{out}");
    // From the first seal's revision: the later changes are form filling (Seal2 and Seal3).
    assert!(out.contains("REVIEW 1 FORM_FILLING Seal2,Seal3"), "{out}");
    assert!(out.contains("REVIEW 2 FORM_FILLING Seal3"), "{out}");
}

#[test]
fn pyhanko_reads_every_signed_corpus_file() {
    let key = key();
    let (_keep, dir) = out_dir("pyhanko-corpus");
    const ENUM: &str = r#"
import sys
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields
with open(sys.argv[1], 'rb') as f:
    r = PdfFileReader(f, strict=True)
    pw = sys.argv[2] if len(sys.argv) > 2 else None
    if r.encrypted:
        r.decrypt(sys.argv[2].encode())
    print('FIELDS ' + ','.join(n for n, v, ref in enumerate_sig_fields(r, filled_status=True)))
"#;
    for (name, password) in corpus_inputs() {
        if name == "pdf20-offset-start.pdf" {
            // pyHanko refuses bytes before %PDF- ("Illegal PDF header"), in the input as well.
            continue;
        }
        let mut o = SignOptions::new()
            .field_name("GmSeal")
            .seal(seal(30.0), Placement::new(1, 20.0, 20.0));
        if let Some(p) = password {
            o = o.password(p);
        }
        let signed = sign(corpus_pdf(name), &RawSm2::new(&key), &o).unwrap();
        let path = write(&dir, name, &signed);
        let script = match password {
            Some(p) => ENUM.replace("sys.argv[2].encode()", &format!("b'{p}'")),
            None => ENUM.to_string(),
        };
        let Some(out) = pyhanko(&script, &path) else {
            return;
        };
        assert!(out.contains("GmSeal"), "{name}: {out}");
    }
}
