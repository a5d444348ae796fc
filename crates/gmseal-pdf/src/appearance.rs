//! The visible seal: a normal appearance stream (ISO 32000-1 §12.5.5) that draws the seal
//! picture multiplied onto the page, like ink from a real stamp.
//!
//! Objects: one image XObject (with a `/SMask` for a transparent PNG) shared by every widget of
//! the signature, and per widget a form XObject whose `/BBox` is the visible part of the seal
//! and whose `/Matrix` turns it with the page. The form sets an `/ExtGState` with
//! `/BM /Multiply` (ISO 32000-1 §11.3.5), so text under the seal stays readable.

use lopdf::{Dictionary, Object, ObjectId, Stream};

use crate::image::{ImageError, SealImage};

/// The image objects added to the update, shared by every widget.
#[derive(Clone, Copy, Debug)]
pub(crate) struct EmbeddedImage {
    pub(crate) image: ObjectId,
}

/// Add the seal picture (and its soft mask) to `doc`.
pub(crate) fn embed_image(
    doc: &mut lopdf::Document,
    seal: &SealImage,
) -> Result<EmbeddedImage, ImageError> {
    let (mut image, mask) = seal.to_streams()?;
    if let Some(mask) = mask {
        let mask_id = doc.add_object(Object::Stream(mask));
        image.dict.set("SMask", Object::Reference(mask_id));
    }
    let image = doc.add_object(Object::Stream(image));
    Ok(EmbeddedImage { image })
}

/// One visible piece of the seal: the whole seal, a strip of a riding seal, or the seal fitted
/// into an existing field's box.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Piece {
    /// Width and height of the form's box (the visible piece, upright), pt.
    pub(crate) bbox: (f64, f64),
    /// Where the whole picture is drawn in the box: `[x y w h]`, pt.
    pub(crate) draw: [f64; 4],
    /// The form's `/Matrix`.
    pub(crate) matrix: [f64; 6],
}

/// Add a form XObject drawing `piece` of the seal; returns its id.
pub(crate) fn add_form(doc: &mut lopdf::Document, image: EmbeddedImage, piece: &Piece) -> ObjectId {
    let [x, y, w, h] = piece.draw;
    let content = format!(
        "q /GS0 gs {} 0 0 {} {} {} cm /Im0 Do Q\n",
        num(w),
        num(h),
        num(x),
        num(y)
    );
    let mut gs = Dictionary::new();
    gs.set("Type", Object::Name(b"ExtGState".to_vec()));
    gs.set("BM", Object::Name(b"Multiply".to_vec()));
    let mut ext = Dictionary::new();
    ext.set("GS0", Object::Dictionary(gs));
    let mut xobjects = Dictionary::new();
    xobjects.set("Im0", Object::Reference(image.image));
    let mut resources = Dictionary::new();
    resources.set("XObject", Object::Dictionary(xobjects));
    resources.set("ExtGState", Object::Dictionary(ext));
    resources.set(
        "ProcSet",
        Object::Array(vec![
            Object::Name(b"PDF".to_vec()),
            Object::Name(b"ImageC".to_vec()),
        ]),
    );
    let mut dict = Dictionary::new();
    dict.set("Type", Object::Name(b"XObject".to_vec()));
    dict.set("Subtype", Object::Name(b"Form".to_vec()));
    dict.set("BBox", rect_object([0.0, 0.0, piece.bbox.0, piece.bbox.1]));
    if piece.matrix != [1.0, 0.0, 0.0, 1.0, 0.0, 0.0] {
        dict.set(
            "Matrix",
            Object::Array(piece.matrix.iter().map(|&v| real(v)).collect()),
        );
    }
    dict.set("Resources", Object::Dictionary(resources));
    doc.add_object(Object::Stream(Stream::new(dict, content.into_bytes())))
}

/// An empty appearance for an invisible signature (a zero-size box).
pub(crate) fn add_empty_form(doc: &mut lopdf::Document) -> ObjectId {
    let mut dict = Dictionary::new();
    dict.set("Type", Object::Name(b"XObject".to_vec()));
    dict.set("Subtype", Object::Name(b"Form".to_vec()));
    dict.set("BBox", rect_object([0.0, 0.0, 0.0, 0.0]));
    doc.add_object(Object::Stream(Stream::new(dict, Vec::new())))
}

/// A rectangle as a PDF array.
pub(crate) fn rect_object(r: [f64; 4]) -> Object {
    Object::Array(r.iter().map(|&v| real(v)).collect())
}

/// A number as an integer when whole, else a real rounded to 1/10000.
pub(crate) fn real(v: f64) -> Object {
    let r = (v * 10_000.0).round() / 10_000.0;
    if r.fract() == 0.0 && r.abs() < 1e15 {
        Object::Integer(r as i64)
    } else {
        Object::Real(r as f32)
    }
}

/// A number for a content stream, at most four decimals, no exponent.
fn num(v: f64) -> String {
    let s = format!("{:.4}", (v * 10_000.0).round() / 10_000.0);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" || s.is_empty() {
        "0".to_string()
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(num(113.385_826_77), "113.3858");
        assert_eq!(num(-0.0), "0");
        assert_eq!(num(12.0), "12");
        assert_eq!(num(-7.5), "-7.5");
        assert_eq!(real(2.0), Object::Integer(2));
    }

    #[test]
    fn form_draws_the_piece() {
        let mut doc = lopdf::Document::with_version("1.7");
        let seal = SealImage::from_bytes(&crate::image::test_png(4, 4), 10.0, 10.0).unwrap();
        let img = embed_image(&mut doc, &seal).unwrap();
        let piece = Piece {
            bbox: (14.0, 28.0),
            draw: [-14.0, 0.0, 28.0, 28.0],
            matrix: [1.0, 0.0, 0.0, 1.0, 0.0, 0.0],
        };
        let id = add_form(&mut doc, img, &piece);
        let s = doc.get_object(id).unwrap().as_stream().unwrap();
        assert_eq!(s.content, b"q /GS0 gs 28 0 0 28 -14 0 cm /Im0 Do Q\n");
        assert!(
            doc.get_object(img.image)
                .unwrap()
                .as_stream()
                .unwrap()
                .dict
                .has(b"SMask")
        );
    }
}
