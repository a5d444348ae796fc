//! A generated seal picture: a red ring, a five-pointed star, and "GMSEAL DEMO SEAL" along the
//! top arc, as a transparent PNG (no fonts or image files needed).

use std::f64::consts::PI;

/// Side of the picture in pixels (40 mm at 10 px/mm).
const SIDE: usize = 400;
/// Supersampling factor per axis (anti-aliasing).
const SS: usize = 3;
/// Seal red.
const RED: [u8; 3] = [0xE6, 0x00, 0x12];

/// 5x7 glyphs, one row per byte (bit 4 = leftmost column).
fn glyph(c: char) -> Option<[u8; 7]> {
    Some(match c {
        'A' => [0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        'D' => [0x1E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x1E],
        'E' => [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F],
        'G' => [0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F],
        'L' => [0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F],
        'M' => [0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11],
        'O' => [0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E],
        'S' => [0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E],
        'T' => [0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04],
        _ => return None,
    })
}

struct Mask {
    n: usize,
    bits: Vec<bool>,
}

impl Mask {
    fn new() -> Self {
        let n = SIDE * SS;
        Mask {
            n,
            bits: vec![false; n * n],
        }
    }

    /// Set every subsample whose centre (in picture pixels) satisfies `inside`, within the
    /// box `[x0, x1) x [y0, y1)` (picture pixels).
    fn fill(&mut self, x0: f64, y0: f64, x1: f64, y1: f64, inside: impl Fn(f64, f64) -> bool) {
        let s = SS as f64;
        let clamp = |v: f64| (v * s).floor().clamp(0.0, self.n as f64) as usize;
        let (i0, i1, j0, j1) = (clamp(x0), clamp(x1), clamp(y0), clamp(y1));
        for j in j0..j1 {
            for i in i0..i1 {
                let (x, y) = ((i as f64 + 0.5) / s, (j as f64 + 0.5) / s);
                if inside(x, y) {
                    if let Some(b) = self.bits.get_mut(j * self.n + i) {
                        *b = true;
                    }
                }
            }
        }
    }

    fn disc(&mut self, cx: f64, cy: f64, r: f64) {
        self.fill(cx - r, cy - r, cx + r + 1.0, cy + r + 1.0, |x, y| {
            (x - cx).powi(2) + (y - cy).powi(2) <= r * r
        });
    }

    /// Coverage of picture pixel (px, py), 0..=255.
    fn coverage(&self, px: usize, py: usize) -> u8 {
        let mut count = 0usize;
        for j in 0..SS {
            for i in 0..SS {
                let idx = (py * SS + j) * self.n + px * SS + i;
                if self.bits.get(idx).copied().unwrap_or(false) {
                    count += 1;
                }
            }
        }
        u8::try_from(count * 255 / (SS * SS)).unwrap_or(255)
    }
}

/// Is (x, y) inside the star centred at (cx, cy) with outer radius `r`, point up?
fn in_star(x: f64, y: f64, cx: f64, cy: f64, r: f64) -> bool {
    let inner = r * 0.382;
    let pts: Vec<(f64, f64)> = (0..10)
        .map(|k| {
            let a = -PI / 2.0 + f64::from(k) * PI / 5.0;
            let rad = if k % 2 == 0 { r } else { inner };
            (cx + rad * a.cos(), cy + rad * a.sin())
        })
        .collect();
    // even-odd rule
    let mut inside = false;
    let mut j = pts.len() - 1;
    for i in 0..pts.len() {
        let (xi, yi) = pts[i];
        let (xj, yj) = pts[j];
        if (yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi {
            inside = !inside;
        }
        j = i;
    }
    inside
}

/// Draw `text` along the top arc of radius `radius`, letters upright towards the centre.
fn arc_text(mask: &mut Mask, text: &str, radius: f64, cell: f64, span: f64) {
    let c = SIDE as f64 / 2.0;
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len().max(2) as f64;
    for (k, ch) in chars.iter().enumerate() {
        let Some(rows) = glyph(*ch) else { continue };
        // angle from the vertical, left to right
        let theta = -span / 2.0 + span * k as f64 / (n - 1.0);
        let (sin, cos) = theta.sin_cos();
        for (row, bits) in rows.iter().enumerate() {
            for col in 0..5 {
                if bits & (0x10 >> col) == 0 {
                    continue;
                }
                // local letter coordinates: u to the right, v downwards (towards the centre)
                let u = (col as f64 - 2.0) * cell;
                let v = (row as f64 - 3.0) * cell;
                // letter centre on the arc, rotated by theta
                let lx = c + radius * sin;
                let ly = c - radius * cos;
                let x = lx + u * cos - v * sin;
                let y = ly + u * sin + v * cos;
                mask.disc(x, y, cell * 0.75);
            }
        }
    }
}

/// Draw `text` horizontally centred at (cx, cy).
fn line_text(mask: &mut Mask, text: &str, cx: f64, cy: f64, cell: f64) {
    let chars: Vec<char> = text.chars().collect();
    let advance = cell * 6.0;
    let width = advance * chars.len() as f64 - cell;
    for (k, ch) in chars.iter().enumerate() {
        let Some(rows) = glyph(*ch) else { continue };
        let x0 = cx - width / 2.0 + advance * k as f64;
        for (row, bits) in rows.iter().enumerate() {
            for col in 0..5 {
                if bits & (0x10 >> col) != 0 {
                    let x = x0 + col as f64 * cell + cell / 2.0;
                    let y = cy + (row as f64 - 3.0) * cell;
                    mask.disc(x, y, cell * 0.75);
                }
            }
        }
    }
}

/// The seal picture as PNG bytes, 400 x 400 pixels (40 x 40 mm at 10 px/mm).
pub(crate) fn seal_png() -> Result<Vec<u8>, png::EncodingError> {
    let mut mask = Mask::new();
    let c = SIDE as f64 / 2.0;
    // the ring
    mask.fill(0.0, 0.0, SIDE as f64, SIDE as f64, |x, y| {
        let d = ((x - c).powi(2) + (y - c).powi(2)).sqrt();
        (182.0..=196.0).contains(&d)
    });
    // the star
    mask.fill(c - 70.0, c - 70.0, c + 70.0, c + 70.0, |x, y| {
        in_star(x, y, c, c, 62.0)
    });
    arc_text(&mut mask, "GMSEAL DEMO SEAL", 142.0, 6.0, PI * 1.25);
    line_text(&mut mask, "TEST", c, c + 110.0, 5.0);

    let mut rgba = Vec::with_capacity(SIDE * SIDE * 4);
    for y in 0..SIDE {
        for x in 0..SIDE {
            rgba.extend_from_slice(&RED);
            rgba.push(mask.coverage(x, y));
        }
    }
    let mut out = Vec::new();
    {
        let side = u32::try_from(SIDE).unwrap_or(400);
        let mut enc = png::Encoder::new(&mut out, side, side);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_pixel_dims(Some(png::PixelDimensions {
            xppu: 10_000,
            yppu: 10_000,
            unit: png::Unit::Meter,
        }));
        let mut writer = enc.write_header()?;
        writer.write_image_data(&rgba)?;
        writer.finish()?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    #[test]
    fn the_picture_is_a_png_of_the_stated_size() {
        let png = super::seal_png().unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(&png));
        let reader = decoder.read_info().unwrap();
        let info = reader.info();
        assert_eq!((info.width, info.height), (400, 400));
        assert_eq!(
            gmseal_ses::picture::PictureFormat::sniff(&png),
            gmseal_ses::picture::PictureFormat::Png
        );
    }
}
