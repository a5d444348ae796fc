//! Boxes in millimetres (`ST_Box`, GB/T 33190-2016 §7.3.5) and number formatting.

use core::fmt;

/// A rectangle `x y w h` in millimetres, origin at the top left, y downwards.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width (≥ 0).
    pub w: f64,
    /// Height (≥ 0).
    pub h: f64,
}

impl Rect {
    /// A rectangle from its four values.
    pub const fn new(x: f64, y: f64, w: f64, h: f64) -> Self {
        Rect { x, y, w, h }
    }

    /// Parse `ST_Box`: exactly four finite numbers separated by white space, width and height
    /// not negative.
    ///
    /// ```
    /// use gmseal_ofd::Rect;
    /// assert_eq!(Rect::parse("50 50 40 40"), Some(Rect::new(50.0, 50.0, 40.0, 40.0)));
    /// assert_eq!(Rect::parse("0 0 -1 2"), None);
    /// assert_eq!(Rect::parse("1 2 3"), None);
    /// ```
    pub fn parse(s: &str) -> Option<Rect> {
        let mut it = s.split_ascii_whitespace();
        let mut v = [0f64; 4];
        for slot in &mut v {
            let n: f64 = it.next()?.parse().ok()?;
            if !n.is_finite() {
                return None;
            }
            *slot = n;
        }
        if it.next().is_some() || v[2] < 0.0 || v[3] < 0.0 {
            return None;
        }
        Some(Rect::new(v[0], v[1], v[2], v[3]))
    }

    /// Right edge.
    pub fn right(&self) -> f64 {
        self.x + self.w
    }

    /// Bottom edge.
    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }

    /// Does this rectangle lie inside `outer` (with a tolerance of 0.01 mm)?
    pub fn within(&self, outer: &Rect) -> bool {
        const EPS: f64 = 0.01;
        self.x >= outer.x - EPS
            && self.y >= outer.y - EPS
            && self.right() <= outer.right() + EPS
            && self.bottom() <= outer.bottom() + EPS
    }

    /// Do the two rectangles share any area?
    pub fn intersects(&self, other: &Rect) -> bool {
        self.x < other.right()
            && other.x < self.right()
            && self.y < other.bottom()
            && other.y < self.bottom()
    }

    /// Are all four values finite, with positive width and height?
    pub fn is_usable(&self) -> bool {
        [self.x, self.y, self.w, self.h]
            .iter()
            .all(|v| v.is_finite())
            && self.w > 0.0
            && self.h > 0.0
    }
}

impl fmt::Display for Rect {
    /// The `ST_Box` form, `x y w h`, with at most three decimals.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {} {}",
            num(self.x),
            num(self.y),
            num(self.w),
            num(self.h)
        )
    }
}

/// A number in millimetres as OFD writes it: at most three decimals, no trailing zeros.
pub(crate) fn num(v: f64) -> String {
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" || s.is_empty() {
        "0".to_owned()
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting() {
        assert_eq!(
            Rect::new(202.0, 128.5, 40.0, 40.0).to_string(),
            "202 128.5 40 40"
        );
        assert_eq!(num(1.0 / 3.0), "0.333");
        assert_eq!(num(-0.0001), "0");
        assert_eq!(
            Rect::parse(" 1\t2\n3 4 "),
            Some(Rect::new(1.0, 2.0, 3.0, 4.0))
        );
        assert_eq!(Rect::parse("1 2 3 NaN"), None);
        assert_eq!(Rect::parse("1 2 3 4 5"), None);
    }
}
