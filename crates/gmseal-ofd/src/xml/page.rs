//! A page's `Content.xml` (GB/T 33190-2016 §7.7, §11 text objects): the page area and the
//! positions of its characters, for placing a seal over a keyword.

use super::{Element, parse_root};
use crate::error::XmlError;
use crate::geometry::Rect;
use crate::package::Limits;

/// A character on the page with its approximate box (page coordinates, mm).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlacedChar {
    /// The character.
    pub ch: char,
    /// Its box: from the glyph origin, one advance wide and one font size high above the
    /// baseline.
    pub rect: Rect,
}

/// The parts of a page's Content.xml that signing needs.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PageXml {
    /// `Area/PhysicalBox`, when the page overrides the document's default size.
    pub physical_box: Option<Rect>,
    /// Every character of every `TextObject`, in document order.
    pub chars: Vec<PlacedChar>,
}

/// Expand a `DeltaX`/`DeltaY` list, including the `g count value` abbreviation.
fn deltas(s: &str, max: usize) -> Vec<f64> {
    let mut out = Vec::new();
    let mut it = s.split_ascii_whitespace();
    while let Some(tok) = it.next() {
        if out.len() >= max {
            break;
        }
        if tok == "g" {
            let n: usize = it.next().and_then(|t| t.parse().ok()).unwrap_or(0);
            let v: f64 = it.next().and_then(|t| t.parse().ok()).unwrap_or(0.0);
            for _ in 0..n.min(max.saturating_sub(out.len())) {
                out.push(v);
            }
        } else if let Ok(v) = tok.parse::<f64>() {
            out.push(v);
        }
    }
    out
}

/// `CTM`: `a b c d e f`.
fn ctm(s: Option<&str>) -> [f64; 6] {
    let id = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];
    let Some(s) = s else { return id };
    let v: Vec<f64> = s
        .split_ascii_whitespace()
        .filter_map(|t| t.parse().ok())
        .collect();
    match v.as_slice() {
        [a, b, c, d, e, f] if v.iter().all(|x| x.is_finite()) => [*a, *b, *c, *d, *e, *f],
        _ => id,
    }
}

fn apply(m: &[f64; 6], x: f64, y: f64) -> (f64, f64) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

fn text_object_chars(obj: &Element, out: &mut Vec<PlacedChar>) {
    let Some(boundary) = obj.attr("Boundary").and_then(Rect::parse) else {
        return;
    };
    let size: f64 = obj
        .attr("Size")
        .and_then(|s| s.trim().parse().ok())
        .filter(|v: &f64| v.is_finite() && *v > 0.0)
        .unwrap_or(3.5);
    let m = ctm(obj.attr("CTM"));
    let (mut x, mut y) = (0.0f64, 0.0f64);
    for code in obj.children_named("TextCode") {
        if let Some(v) = code.attr("X").and_then(|s| s.trim().parse().ok()) {
            x = v;
        }
        if let Some(v) = code.attr("Y").and_then(|s| s.trim().parse().ok()) {
            y = v;
        }
        let text = code.text();
        let n = text.chars().count();
        let dx = deltas(code.attr("DeltaX").unwrap_or(""), n);
        for (i, ch) in text.chars().enumerate() {
            let adv = dx.get(i).copied().unwrap_or(size);
            let (x0, y0) = apply(&m, x, y - size);
            let (x1, y1) = apply(&m, x + adv.max(size * 0.5), y);
            let rect = Rect::new(
                boundary.x + x0.min(x1),
                boundary.y + y0.min(y1),
                (x1 - x0).abs(),
                (y1 - y0).abs(),
            );
            out.push(PlacedChar { ch, rect });
            x += adv;
        }
    }
}

impl PageXml {
    /// Parse a page's Content.xml.
    ///
    /// # Errors
    /// [`XmlError`] for malformed XML or a root other than `Page`.
    pub fn parse(bytes: &[u8], limits: &Limits) -> Result<Self, XmlError> {
        let root = parse_root(bytes, limits, "Page")?;
        let physical_box = super::document::physical_box(root.child("Area"));
        let mut chars = Vec::new();
        if let Some(content) = root.child("Content") {
            for e in content.descendants() {
                if e.name == "TextObject" {
                    text_object_chars(e, &mut chars);
                }
            }
        }
        Ok(PageXml {
            physical_box,
            chars,
        })
    }

    /// The boxes of every occurrence of `keyword` (white space in the page text is ignored, so a
    /// keyword split over several text objects is found).
    pub fn find(&self, keyword: &str) -> Vec<Rect> {
        let key: Vec<char> = keyword.chars().filter(|c| !c.is_whitespace()).collect();
        if key.is_empty() {
            return Vec::new();
        }
        let chars: Vec<&PlacedChar> = self
            .chars
            .iter()
            .filter(|c| !c.ch.is_whitespace())
            .collect();
        let mut found = Vec::new();
        let mut i = 0;
        while i + key.len() <= chars.len() {
            let hit = chars
                .get(i..i + key.len())
                .is_some_and(|w| w.iter().zip(&key).all(|(c, k)| c.ch == *k));
            if hit {
                let w = chars.get(i..i + key.len()).unwrap_or_default();
                let x0 = w.iter().map(|c| c.rect.x).fold(f64::INFINITY, f64::min);
                let y0 = w.iter().map(|c| c.rect.y).fold(f64::INFINITY, f64::min);
                let x1 = w
                    .iter()
                    .map(|c| c.rect.right())
                    .fold(f64::NEG_INFINITY, f64::max);
                let y1 = w
                    .iter()
                    .map(|c| c.rect.bottom())
                    .fold(f64::NEG_INFINITY, f64::max);
                found.push(Rect::new(x0, y0, x1 - x0, y1 - y0));
                i += key.len();
            } else {
                i += 1;
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn keyword_positions() {
        let x = r#"<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer ID="2"><ofd:TextObject ID="4" Boundary="31.7 25.4 40.5 5" Font="3" Size="3.0"><ofd:TextCode X="0" Y="3" DeltaX="3 3 3 3 g 17 1.5">你好呀，OFD Reader&amp;Writer！</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>"#;
        let p = PageXml::parse(x.as_bytes(), &Limits::default()).unwrap();
        assert_eq!(p.chars.len(), 22);
        let hits = p.find("好呀");
        assert_eq!(hits.len(), 1);
        let r = hits[0];
        assert!((r.x - 34.7).abs() < 1e-9, "{r:?}");
        assert!((r.y - 25.4).abs() < 1e-9);
        assert!((r.w - 6.0).abs() < 1e-9);
        assert!((r.h - 3.0).abs() < 1e-9);
        assert_eq!(p.find("Reader&Writer").len(), 1);
        assert!(p.find("absent").is_empty());
    }
}
