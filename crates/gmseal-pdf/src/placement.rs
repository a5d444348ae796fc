//! Where a seal goes: page, position in millimetres from the top-left corner of the page as
//! displayed, and the riding seal (骑缝章) across the edge of several pages.
//!
//! Positions are given the way Chinese document systems and OFD give them (millimetres, origin
//! top-left, y downwards, on the page as it is shown). They are converted here to PDF user space
//! (points, origin bottom-left), taking the visible box (`/CropBox`, else `/MediaBox`) and
//! `/Rotate` into account (ISO 32000-1 §7.7.3.3, §14.11.2); the appearance gets a `/Matrix` that
//! turns it with the page, so the seal shows upright.

use crate::image::mm_to_pt;

/// Which point of the seal the position gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Anchor {
    /// The centre of the seal (how seal positions are usually given).
    #[default]
    Center,
    /// The top-left corner of the seal.
    TopLeft,
}

/// A seal on one page.
///
/// ```
/// use gmseal_pdf::Placement;
/// // Centre 150 mm from the left and 230 mm from the top of page 1.
/// let p = Placement::new(1, 150.0, 230.0);
/// assert_eq!(p.page(), 1);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placement {
    page: u32,
    x_mm: f64,
    y_mm: f64,
    anchor: Anchor,
}

impl Placement {
    /// The seal's centre at `x_mm` from the left and `y_mm` from the top of page `page`
    /// (counting from 1).
    pub fn new(page: u32, x_mm: f64, y_mm: f64) -> Self {
        Placement {
            page,
            x_mm,
            y_mm,
            anchor: Anchor::Center,
        }
    }

    /// Give the position of another point of the seal.
    #[must_use]
    pub fn anchor(mut self, anchor: Anchor) -> Self {
        self.anchor = anchor;
        self
    }

    /// The page, counting from 1.
    pub fn page(&self) -> u32 {
        self.page
    }

    /// The top-left corner of a `w`×`h` pt seal, in pt from the top-left of the displayed page.
    pub(crate) fn top_left_pt(&self, w: f64, h: f64) -> (f64, f64) {
        let (x, y) = (mm_to_pt(self.x_mm), mm_to_pt(self.y_mm));
        match self.anchor {
            Anchor::Center => (x - w / 2.0, y - h / 2.0),
            Anchor::TopLeft => (x, y),
        }
    }
}

/// Which edge of the pages a riding seal straddles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Edge {
    /// The right edge (the usual place: pages fanned to the left show the whole seal).
    #[default]
    Right,
    /// The left edge.
    Left,
}

/// A riding seal (骑缝章): one seal cut into equal vertical strips, one strip on each page of
/// a range, at the page edge, so the pages fanned out show the whole seal. One signature; each
/// strip is a widget annotation of the same signature field.
///
/// ```
/// use gmseal_pdf::RidingSeal;
/// let riding = RidingSeal::new(120.0).pages(1, Some(3));
/// assert_eq!(riding.first_page(), 1);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RidingSeal {
    first: u32,
    last: Option<u32>,
    y_mm: f64,
    edge: Edge,
}

impl RidingSeal {
    /// Every page, seal centre `y_mm` from the top, on the right edge.
    pub fn new(y_mm: f64) -> Self {
        RidingSeal {
            first: 1,
            last: None,
            y_mm,
            edge: Edge::Right,
        }
    }

    /// Pages `first..=last` (`None`: to the last page).
    #[must_use]
    pub fn pages(mut self, first: u32, last: Option<u32>) -> Self {
        self.first = first;
        self.last = last;
        self
    }

    /// The edge.
    #[must_use]
    pub fn edge(mut self, edge: Edge) -> Self {
        self.edge = edge;
        self
    }

    /// First page.
    pub fn first_page(&self) -> u32 {
        self.first
    }

    /// Last page, if limited.
    pub fn last_page(&self) -> Option<u32> {
        self.last
    }

    pub(crate) fn y_pt(&self) -> f64 {
        mm_to_pt(self.y_mm)
    }

    pub(crate) fn edge_kind(&self) -> Edge {
        self.edge
    }
}

/// The visible box and rotation of a page.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct PageGeometry {
    /// `[llx lly urx ury]`, normalised.
    pub(crate) bbox: [f64; 4],
    /// 0, 90, 180 or 270 (clockwise when displayed).
    pub(crate) rotate: i64,
}

/// A rectangle in user space plus the appearance matrix that shows a `w`×`h` form upright.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct UserRect {
    pub(crate) rect: [f64; 4],
    pub(crate) matrix: [f64; 6],
}

impl PageGeometry {
    pub(crate) fn new(bbox: [f64; 4], rotate: i64) -> Self {
        let [a, b, c, d] = bbox;
        PageGeometry {
            bbox: [a.min(c), b.min(d), a.max(c), b.max(d)],
            rotate: rotate.rem_euclid(360) / 90 * 90,
        }
    }

    /// Width and height of the page as displayed.
    pub(crate) fn displayed_size(&self) -> (f64, f64) {
        let [llx, lly, urx, ury] = self.bbox;
        let (w, h) = (urx - llx, ury - lly);
        if self.rotate % 180 == 0 {
            (w, h)
        } else {
            (h, w)
        }
    }

    /// A displayed point (from the top-left, y down, pt) in user space.
    fn user_point(&self, x: f64, y: f64) -> (f64, f64) {
        let [llx, lly, urx, ury] = self.bbox;
        match self.rotate {
            90 => (llx + y, lly + x),
            180 => (urx - x, lly + y),
            270 => (urx - y, ury - x),
            _ => (llx + x, ury - y),
        }
    }

    /// The displayed rectangle at (`x`, `y`) from the top-left, `w`×`h`, in user space, and
    /// the `/Matrix` that turns a `[0 0 w h]` form with the page. `None` when the rectangle
    /// does not lie entirely on the page (a small tolerance allowed).
    pub(crate) fn place(&self, x: f64, y: f64, w: f64, h: f64) -> Option<UserRect> {
        let (dw, dh) = self.displayed_size();
        const EPS: f64 = 0.01;
        if !(x >= -EPS && y >= -EPS && x + w <= dw + EPS && y + h <= dh + EPS)
            || w <= 0.0
            || h <= 0.0
        {
            return None;
        }
        let (x1, y1) = self.user_point(x, y);
        let (x2, y2) = self.user_point(x + w, y + h);
        let rect = [x1.min(x2), y1.min(y2), x1.max(x2), y1.max(y2)];
        let matrix = match self.rotate {
            90 => [0.0, 1.0, -1.0, 0.0, 0.0, 0.0],
            180 => [-1.0, 0.0, 0.0, -1.0, 0.0, 0.0],
            270 => [0.0, -1.0, 1.0, 0.0, 0.0, 0.0],
            _ => [1.0, 0.0, 0.0, 1.0, 0.0, 0.0],
        };
        Some(UserRect { rect, matrix })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a4(rotate: i64) -> PageGeometry {
        PageGeometry::new([0.0, 0.0, 595.0, 842.0], rotate)
    }

    #[test]
    fn unrotated() {
        let r = a4(0).place(10.0, 20.0, 100.0, 50.0).unwrap();
        assert_eq!(r.rect, [10.0, 772.0, 110.0, 822.0]);
        assert!(a4(0).place(500.0, 20.0, 100.0, 50.0).is_none());
    }

    #[test]
    fn rotated() {
        // Displayed landscape 842 x 595; the top-left displayed corner is user (0, 0).
        assert_eq!(a4(90).displayed_size(), (842.0, 595.0));
        let r = a4(90).place(10.0, 20.0, 100.0, 50.0).unwrap();
        assert_eq!(r.rect, [20.0, 10.0, 70.0, 110.0]);
        let r = a4(180).place(10.0, 20.0, 100.0, 50.0).unwrap();
        assert_eq!(r.rect, [485.0, 20.0, 585.0, 70.0]);
        let r = a4(270).place(10.0, 20.0, 100.0, 50.0).unwrap();
        assert_eq!(r.rect, [525.0, 732.0, 575.0, 832.0]);
        assert_eq!(PageGeometry::new([0.0, 0.0, 1.0, 1.0], -90).rotate, 270);
    }

    #[test]
    fn anchors() {
        let p = Placement::new(1, 25.4, 25.4);
        assert_eq!(p.top_left_pt(10.0, 20.0), (67.0, 62.0));
        let p = p.anchor(Anchor::TopLeft);
        assert_eq!(p.top_left_pt(10.0, 20.0), (72.0, 72.0));
    }
}
