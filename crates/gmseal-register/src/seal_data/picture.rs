//! The seal-picture profile of the province (spec 001, "电子印章新制" step c and appendix 2
//! item 6): PNG8, two colours, 600 dpi, at most 25 KB.
//!
//! The picture is checked by decoding it (`png` crate), not by trusting declared fields:
//! colour type and bit depth from IHDR, the palette from PLTE, the resolution from pHYs, the
//! colours actually used from the pixels, the size from the bytes.
//!
//! Readings of the rule (no national source fixes them; see the registration notes §4.7):
//! * "PNG8" = indexed colour (PNG colour type 3) with bit depth 8. [`PictureProfile::bit_depths`]
//!   can allow 1, 2 or 4 as well.
//! * "2色" = a palette of exactly two entries (typically the seal colour and a transparent
//!   background via tRNS), and at most two colours used.
//! * "600DPI" = a pHYs chunk in pixels per metre with both axes 23622 or 23623
//!   (600 / 0.0254 = 23622.05); a PNG without pHYs has no resolution.
//! * "25k" = 25 × 1024 bytes of PNG file (not of its base64).

use std::io::Cursor;

use crate::error::{Error, Result};

/// Pixels per metre that mean 600 dpi.
pub const PPM_600_DPI: [u32; 2] = [23_622, 23_623];

/// The picture rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PictureProfile {
    /// Largest file, in bytes. Default 25 × 1024.
    pub max_bytes: usize,
    /// Allowed bit depths of the indexed image. Default `[8]` ("PNG8").
    pub bit_depths: Vec<u8>,
    /// Palette entries required. Default 2.
    pub palette_entries: usize,
    /// Allowed pHYs values (pixels per metre). Default [`PPM_600_DPI`].
    pub pixels_per_metre: Vec<u32>,
    /// Largest width or height decoded, in pixels (bounds memory: the decoded picture takes
    /// 8 bytes per pixel). Default 4096 (173 mm at 600 dpi; seals are 30–45 mm).
    pub max_dimension: u32,
}

impl Default for PictureProfile {
    fn default() -> Self {
        PictureProfile {
            max_bytes: 25 * 1024,
            bit_depths: vec![8],
            palette_entries: 2,
            pixels_per_metre: PPM_600_DPI.to_vec(),
            max_dimension: 4096,
        }
    }
}

/// One rule of the profile the picture breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PictureViolation {
    /// The file is larger than allowed.
    TooLarge {
        /// Bytes.
        bytes: usize,
        /// Limit.
        limit: usize,
    },
    /// Not an indexed-colour PNG; carries the PNG colour type.
    NotIndexed(u8),
    /// A bit depth not allowed.
    BitDepth(u8),
    /// A palette of the wrong size; carries the entries found.
    PaletteEntries(usize),
    /// More colours used than the profile allows; carries the count.
    ColoursUsed(usize),
    /// No pHYs chunk.
    NoResolution,
    /// pHYs in an unspecified unit (aspect ratio only).
    ResolutionUnit,
    /// pHYs with other values; carries x and y pixels per metre.
    Resolution {
        /// x pixels per metre.
        x: u32,
        /// y pixels per metre.
        y: u32,
    },
    /// An animated PNG.
    Animated,
}

impl core::fmt::Display for PictureViolation {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            PictureViolation::TooLarge { bytes, limit } => {
                write!(f, "{bytes} bytes, more than {limit}")
            }
            PictureViolation::NotIndexed(t) => {
                write!(f, "PNG colour type {t}, not indexed (3): not PNG8")
            }
            PictureViolation::BitDepth(d) => write!(f, "bit depth {d} not allowed"),
            PictureViolation::PaletteEntries(n) => {
                write!(f, "palette of {n} entries, the profile wants 2 colours")
            }
            PictureViolation::ColoursUsed(n) => write!(f, "{n} colours used, more than 2"),
            PictureViolation::NoResolution => f.write_str("no pHYs chunk: resolution unknown"),
            PictureViolation::ResolutionUnit => f.write_str("pHYs unit is not the metre"),
            PictureViolation::Resolution { x, y } => write!(
                f,
                "resolution {x}x{y} pixels per metre ({:.1}x{:.1} dpi), not 600 dpi",
                f64::from(*x) * 0.0254,
                f64::from(*y) * 0.0254
            ),
            PictureViolation::Animated => f.write_str("animated PNG"),
        }
    }
}

/// What decoding the picture found.
#[derive(Debug, Clone, PartialEq)]
pub struct PictureReport {
    /// File size in bytes.
    pub bytes: usize,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// PNG colour type (0, 2, 3, 4, 6).
    pub colour_type: u8,
    /// Bit depth.
    pub bit_depth: u8,
    /// Palette entries (indexed images).
    pub palette_entries: usize,
    /// Distinct RGBA colours used by the pixels (counting stops at 257).
    pub colours_used: usize,
    /// pHYs: x and y pixels per metre, when in metres.
    pub pixels_per_metre: Option<(u32, u32)>,
    /// Rules broken.
    pub violations: Vec<PictureViolation>,
}

impl PictureReport {
    /// The profile is met.
    pub fn conforms(&self) -> bool {
        self.violations.is_empty()
    }

    /// Physical width and height in millimetres, when the resolution is known.
    pub fn size_mm(&self) -> Option<(f64, f64)> {
        let (x, y) = self.pixels_per_metre?;
        if x == 0 || y == 0 {
            return None;
        }
        Some((
            f64::from(self.width) * 1000.0 / f64::from(x),
            f64::from(self.height) * 1000.0 / f64::from(y),
        ))
    }
}

/// A decoded picture: RGBA8 pixels.
struct Rgba {
    width: u32,
    height: u32,
    pixels: Vec<[u8; 4]>,
}

/// Decode `png` (the value of `field`) and check it against `profile`.
///
/// # Errors
/// [`Error::Png`] naming `field` when the bytes are not a PNG the decoder accepts (truncated,
/// bad CRC, over the dimension or memory limit).
pub fn check_picture(
    field: &str,
    png_bytes: &[u8],
    profile: &PictureProfile,
) -> Result<PictureReport> {
    let (info, rgba) = decode(field, png_bytes, profile.max_dimension)?;
    let mut violations = Vec::new();
    if png_bytes.len() > profile.max_bytes {
        violations.push(PictureViolation::TooLarge {
            bytes: png_bytes.len(),
            limit: profile.max_bytes,
        });
    }
    if info.colour_type != 3 {
        violations.push(PictureViolation::NotIndexed(info.colour_type));
    } else {
        if !profile.bit_depths.contains(&info.bit_depth) {
            violations.push(PictureViolation::BitDepth(info.bit_depth));
        }
        if info.palette_entries != profile.palette_entries {
            violations.push(PictureViolation::PaletteEntries(info.palette_entries));
        }
    }
    let colours_used = count_colours(&rgba.pixels, 257);
    if colours_used > profile.palette_entries {
        violations.push(PictureViolation::ColoursUsed(colours_used));
    }
    match info.phys {
        None => violations.push(PictureViolation::NoResolution),
        Some((_, _, false)) => violations.push(PictureViolation::ResolutionUnit),
        Some((x, y, true)) => {
            if !profile.pixels_per_metre.contains(&x) || !profile.pixels_per_metre.contains(&y) {
                violations.push(PictureViolation::Resolution { x, y });
            }
        }
    }
    if info.animated {
        violations.push(PictureViolation::Animated);
    }
    Ok(PictureReport {
        bytes: png_bytes.len(),
        width: rgba.width,
        height: rgba.height,
        colour_type: info.colour_type,
        bit_depth: info.bit_depth,
        palette_entries: info.palette_entries,
        colours_used,
        pixels_per_metre: info.phys.filter(|p| p.2).map(|p| (p.0, p.1)),
        violations,
    })
}

struct Info {
    colour_type: u8,
    bit_depth: u8,
    palette_entries: usize,
    phys: Option<(u32, u32, bool)>,
    animated: bool,
}

fn decode(field: &str, bytes: &[u8], max_dimension: u32) -> Result<(Info, Rgba)> {
    let png_err = |e: png::DecodingError| Error::Png {
        field: field.into(),
        message: e.to_string(),
    };
    let mut decoder =
        png::Decoder::new_with_limits(Cursor::new(bytes), png::Limits { bytes: 64 << 20 });
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let header = decoder.read_header_info().map_err(png_err)?;
    if header.width > max_dimension || header.height > max_dimension {
        return Err(Error::Png {
            field: field.into(),
            message: format!(
                "{}x{} pixels, over the limit of {max_dimension}",
                header.width, header.height
            ),
        });
    }
    let mut reader = decoder.read_info().map_err(png_err)?;
    let i = reader.info();
    let info = Info {
        colour_type: i.color_type as u8,
        bit_depth: i.bit_depth as u8,
        palette_entries: i.palette.as_ref().map_or(0, |p| p.len() / 3),
        phys: i
            .pixel_dims
            .map(|d| (d.xppu, d.yppu, d.unit == png::Unit::Meter)),
        animated: i.animation_control.is_some_and(|a| a.num_frames > 1),
    };
    let (width, height) = (i.width, i.height);
    let size = reader.output_buffer_size().ok_or_else(|| Error::Png {
        field: field.into(),
        message: "image too large".into(),
    })?;
    let mut buf = vec![0u8; size];
    let out = reader.next_frame(&mut buf).map_err(png_err)?;
    let line = out.line_size;
    let (ct, _) = reader.output_color_type();
    let channels = ct.samples();
    let mut pixels = Vec::with_capacity((width as usize).saturating_mul(height as usize));
    for row in buf.chunks(line).take(height as usize) {
        for px in row.chunks(channels).take(width as usize) {
            let g = |k: usize| px.get(k).copied().unwrap_or(0);
            pixels.push(match ct {
                png::ColorType::Grayscale => [g(0), g(0), g(0), 255],
                png::ColorType::GrayscaleAlpha => [g(0), g(0), g(0), g(1)],
                png::ColorType::Rgb => [g(0), g(1), g(2), 255],
                png::ColorType::Rgba => [g(0), g(1), g(2), g(3)],
                // EXPAND turns indexed into RGB(A); kept for completeness.
                png::ColorType::Indexed => [g(0), g(0), g(0), 255],
            });
        }
    }
    Ok((
        info,
        Rgba {
            width,
            height,
            pixels,
        },
    ))
}

/// Distinct colours (fully transparent pixels count as one), counting stops at `stop`.
/// Runs of equal pixels are skipped; a short list serves the usual few colours, a hash set
/// takes over beyond 16 so that adversarial pictures stay linear.
fn count_colours(pixels: &[[u8; 4]], stop: usize) -> usize {
    let mut few: Vec<[u8; 4]> = Vec::new();
    let mut many: Option<std::collections::HashSet<[u8; 4]>> = None;
    let mut last: Option<[u8; 4]> = None;
    for p in pixels {
        let p = if p[3] == 0 { [0, 0, 0, 0] } else { *p };
        if last == Some(p) {
            continue;
        }
        last = Some(p);
        match &mut many {
            Some(set) => {
                if set.insert(p) && set.len() >= stop {
                    return set.len();
                }
            }
            None => {
                if !few.contains(&p) {
                    few.push(p);
                    if few.len() >= stop {
                        return few.len();
                    }
                    if few.len() > 16 {
                        many = Some(few.iter().copied().collect());
                    }
                }
            }
        }
    }
    many.map_or(few.len(), |s| s.len())
}

/// How to make a picture conform.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ConformOptions {
    /// Resample to this physical size (width, height in mm) at 600 dpi. `None` keeps the pixel
    /// size (then the physical size changes with the resolution).
    pub size_mm: Option<(f64, f64)>,
    /// The profile the result must meet.
    pub profile: PictureProfile,
}

/// Convert a PNG into one that meets the profile: pixels are split into seal (ink) and
/// background, the seal colour is the mean colour of the ink pixels, the background is
/// transparent (tRNS); indexed 8-bit with a two-entry palette; pHYs 600 dpi; best
/// compression; optionally resampled to a physical size.
///
/// A pixel is ink when it is at least half opaque and darker or more saturated than near-white
/// (max channel − min channel ≥ 64, or luminance < 160).
///
/// # Errors
/// [`Error::Png`] when the input does not decode, or when the result is still over the size
/// limit (then no conforming picture is possible without changing the design).
pub fn conform_picture(png_bytes: &[u8], options: &ConformOptions) -> Result<Vec<u8>> {
    let field = "sealImg";
    let (_, src) = decode(field, png_bytes, options.profile.max_dimension)?;
    let ink: Vec<bool> = src.pixels.iter().map(|p| is_ink(*p)).collect();
    let (w, h) = match options.size_mm {
        Some((wmm, hmm)) => {
            let px = |mm: f64| -> Result<u32> {
                let v = (mm / 25.4 * 600.0).round();
                if !(1.0..=f64::from(options.profile.max_dimension)).contains(&v) {
                    return Err(Error::Png {
                        field: field.into(),
                        message: format!("{mm} mm at 600 dpi is outside 1..max_dimension pixels"),
                    });
                }
                Ok(v as u32)
            };
            (px(wmm)?, px(hmm)?)
        }
        None => (src.width, src.height),
    };
    let mask = if (w, h) == (src.width, src.height) {
        ink.clone()
    } else {
        resample(&ink, src.width, src.height, w, h)
    };
    // seal colour: mean of the ink pixels (default seal red)
    let (mut r, mut g, mut b, mut n) = (0u64, 0u64, 0u64, 0u64);
    for (p, is) in src.pixels.iter().zip(&ink) {
        if *is {
            r += u64::from(p[0]);
            g += u64::from(p[1]);
            b += u64::from(p[2]);
            n += 1;
        }
    }
    let colour = match (r.checked_div(n), g.checked_div(n), b.checked_div(n)) {
        (Some(r), Some(g), Some(b)) => [r as u8, g as u8, b as u8],
        _ => [0xE6, 0x00, 0x12],
    };
    let indices: Vec<u8> = mask.iter().map(|m| u8::from(*m)).collect();
    let out = encode_indexed(w, h, &indices, colour)?;
    if out.len() > options.profile.max_bytes {
        return Err(Error::Png {
            field: field.into(),
            message: format!(
                "converted picture is {} bytes, still over {}: simplify or shrink the design",
                out.len(),
                options.profile.max_bytes
            ),
        });
    }
    Ok(out)
}

fn is_ink(p: [u8; 4]) -> bool {
    if p[3] < 128 {
        return false;
    }
    let max = p[0].max(p[1]).max(p[2]);
    let min = p[0].min(p[1]).min(p[2]);
    let lum = (299 * u32::from(p[0]) + 587 * u32::from(p[1]) + 114 * u32::from(p[2])) / 1000;
    max - min >= 64 || lum < 160
}

/// Box-filter resampling of a mask; a target pixel is ink when at least half its area is.
fn resample(mask: &[bool], sw: u32, sh: u32, tw: u32, th: u32) -> Vec<bool> {
    let mut out = Vec::with_capacity(tw as usize * th as usize);
    for ty in 0..th {
        let y0 = u64::from(ty) * u64::from(sh) / u64::from(th);
        let y1 = ((u64::from(ty) + 1) * u64::from(sh))
            .div_ceil(u64::from(th))
            .max(y0 + 1);
        for tx in 0..tw {
            let x0 = u64::from(tx) * u64::from(sw) / u64::from(tw);
            let x1 = ((u64::from(tx) + 1) * u64::from(sw))
                .div_ceil(u64::from(tw))
                .max(x0 + 1);
            let (mut ink, mut total) = (0u64, 0u64);
            for y in y0..y1.min(u64::from(sh)) {
                for x in x0..x1.min(u64::from(sw)) {
                    total += 1;
                    if mask
                        .get((y * u64::from(sw) + x) as usize)
                        .copied()
                        .unwrap_or(false)
                    {
                        ink += 1;
                    }
                }
            }
            out.push(total > 0 && ink * 2 >= total);
        }
    }
    out
}

/// Write an 8-bit indexed PNG: index 0 transparent white, index 1 `colour`; pHYs 600 dpi.
fn encode_indexed(w: u32, h: u32, indices: &[u8], colour: [u8; 3]) -> Result<Vec<u8>> {
    let err = |e: png::EncodingError| Error::Png {
        field: "sealImg".into(),
        message: e.to_string(),
    };
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Indexed);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_palette(vec![0xFF, 0xFF, 0xFF, colour[0], colour[1], colour[2]]);
        enc.set_trns(vec![0x00, 0xFF]);
        enc.set_pixel_dims(Some(png::PixelDimensions {
            xppu: PPM_600_DPI[0],
            yppu: PPM_600_DPI[0],
            unit: png::Unit::Meter,
        }));
        enc.set_compression(png::Compression::High);
        enc.set_filter(png::Filter::NoFilter);
        let mut writer = enc.write_header().map_err(err)?;
        writer.write_image_data(indices).map_err(err)?;
        writer.finish().map_err(err)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An RGBA PNG at 300 dpi with a red ring and anti-aliased grey edge pixels.
    fn rgba_ring(size: u32) -> Vec<u8> {
        let mut data = Vec::new();
        let c = size as f64 / 2.0;
        for y in 0..size {
            for x in 0..size {
                let d = ((x as f64 - c).powi(2) + (y as f64 - c).powi(2)).sqrt();
                let px = if (c * 0.8..c * 0.95).contains(&d) {
                    [230, 0, 18, 255]
                } else if (c * 0.78..c * 0.8).contains(&d) {
                    [240, 120, 120, 200]
                } else {
                    [255, 255, 255, 0]
                };
                data.extend_from_slice(&px);
            }
        }
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, size, size);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_pixel_dims(Some(png::PixelDimensions {
            xppu: 11811,
            yppu: 11811,
            unit: png::Unit::Meter,
        }));
        let mut w = enc.write_header().unwrap();
        w.write_image_data(&data).unwrap();
        w.finish().unwrap();
        out
    }

    #[test]
    fn rgba_is_refused_and_converted() {
        let src = rgba_ring(400);
        let r = check_picture("sealImg", &src, &PictureProfile::default()).unwrap();
        assert!(r.violations.contains(&PictureViolation::NotIndexed(6)));
        assert!(
            r.violations
                .contains(&PictureViolation::Resolution { x: 11811, y: 11811 })
        );
        assert!(r.colours_used > 2);

        let out = conform_picture(&src, &ConformOptions::default()).unwrap();
        let r = check_picture("sealImg", &out, &PictureProfile::default()).unwrap();
        assert!(r.conforms(), "{:?}", r.violations);
        assert_eq!((r.width, r.height), (400, 400));

        // resampled to 40 mm at 600 dpi = 945 px
        let out = conform_picture(
            &src,
            &ConformOptions {
                size_mm: Some((40.0, 40.0)),
                ..ConformOptions::default()
            },
        )
        .unwrap();
        let r = check_picture("sealImg", &out, &PictureProfile::default()).unwrap();
        assert!(r.conforms(), "{:?}", r.violations);
        assert_eq!((r.width, r.height), (945, 945));
        let (wmm, _) = r.size_mm().unwrap();
        assert!((wmm - 40.0).abs() < 0.05, "{wmm}");
    }

    #[test]
    fn garbage_is_an_error_naming_the_field() {
        let err = check_picture(
            "data.sealImg",
            b"\x89PNG\r\n\x1a\nxx",
            &PictureProfile::default(),
        )
        .unwrap_err();
        assert_eq!(err.field(), Some("data.sealImg"));
    }
}
