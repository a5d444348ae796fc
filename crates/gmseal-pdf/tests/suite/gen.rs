//! A generated test document: `pages` A4 pages, each with a title, 28 lines of text and one
//! distinct noise image of about 100 KB (uncompressed RGB), like the 200-page, 20 MB document
//! of `shared/notes/perf-docs.md`.
#![allow(dead_code, unreachable_pub)]

use lopdf::{Dictionary, Document, Object, Stream, dictionary};

/// Build the document; about `pages × 100 KB`.
pub fn document(pages: u32) -> Vec<u8> {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let mut kids = Vec::new();
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for n in 0..pages {
        let (w, h) = (192u32, 170u32);
        let mut data = Vec::with_capacity((w * h * 3) as usize);
        while data.len() < (w * h * 3) as usize {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            data.extend_from_slice(&seed.to_le_bytes());
        }
        data.truncate((w * h * 3) as usize);
        let image = doc.add_object(Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Image", "Width" => w as i64,
                "Height" => h as i64, "ColorSpace" => "DeviceRGB", "BitsPerComponent" => 8,
            },
            data,
        ));
        let mut text = format!(
            "BT /F1 16 Tf 72 780 Td (Page {} of the benchmark document) Tj ET\n",
            n + 1
        );
        for line in 0..28 {
            text.push_str(&format!(
                "BT /F1 10 Tf 72 {} Td (Line {line}: the quick brown fox jumps over the lazy dog, 0123456789.) Tj ET\n",
                750 - line * 14
            ));
        }
        text.push_str("q 192 0 0 170 72 150 cm /Im0 Do Q\n");
        let content = doc.add_object(Stream::new(Dictionary::new(), text.into_bytes()));
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Contents" => content,
            "Resources" => dictionary! {
                "Font" => dictionary! { "F1" => font },
                "XObject" => dictionary! { "Im0" => image },
            },
        });
        kids.push(Object::Reference(page));
    }
    doc.objects.insert(
        pages_id,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Count" => pages as i64, "Kids" => kids },
        ),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("save");
    out
}
