//! Seal pictures: PNG (with transparency, as an image plus `/SMask`) and JPEG (`/DCTDecode`,
//! embedded as is), with their physical size in millimetres.
//!
//! GB/T 38540-2020 §8.1 gives a seal picture a type (`png`, `jpg`, `ofd`, `svg`) and a width
//! and height in mm; callers pass those here. `ofd` and `svg` pictures need rasterising first.

use core::fmt;

use lopdf::{Dictionary, Object, Stream};

/// Largest decoded picture accepted (bytes of pixel data): 64 MiB.
const MAX_DECODED: usize = 64 << 20;

/// Largest side accepted, in pixels.
const MAX_SIDE: u32 = 16_384;

/// Why a seal picture was refused.
#[derive(Debug)]
#[non_exhaustive]
pub enum ImageError {
    /// Neither PNG nor JPEG (by the magic bytes).
    UnknownFormat,
    /// The PNG decoder failed.
    Png(png::DecodingError),
    /// The JPEG has no frame header, or one this crate cannot embed (arithmetic coding,
    /// 12-bit samples, 2 components, ...).
    Jpeg(&'static str),
    /// Width or height zero or above the limit.
    BadDimensions {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
    /// The physical size is not a positive finite number of millimetres.
    BadSize,
    /// Compressing the pixel data failed.
    Compress(String),
}

impl fmt::Display for ImageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImageError::UnknownFormat => f.write_str("neither PNG nor JPEG"),
            ImageError::Png(e) => write!(f, "PNG: {e}"),
            ImageError::Jpeg(what) => write!(f, "JPEG: {what}"),
            ImageError::BadDimensions { width, height } => {
                write!(f, "unusable dimensions {width}x{height}")
            }
            ImageError::BadSize => f.write_str("size in mm must be positive and finite"),
            ImageError::Compress(e) => write!(f, "compressing the picture: {e}"),
        }
    }
}

impl std::error::Error for ImageError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ImageError::Png(e) => Some(e),
            _ => None,
        }
    }
}

/// A seal picture ready to embed, with its physical size.
///
/// ```
/// # fn picture() -> Vec<u8> { gmseal_pdf::image::test_png(8, 8) }
/// use gmseal_pdf::SealImage;
/// let seal = SealImage::from_bytes(&picture(), 40.0, 40.0)?;
/// assert_eq!((seal.pixel_width(), seal.pixel_height()), (8, 8));
/// # Ok::<(), gmseal_pdf::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct SealImage {
    width_mm: f64,
    height_mm: f64,
    width: u32,
    height: u32,
    kind: Kind,
}

#[derive(Clone, Debug)]
enum Kind {
    /// Decoded PNG: colour samples (8-bit), colour space, optional alpha plane.
    Raw {
        color: Vec<u8>,
        gray: bool,
        alpha: Option<Vec<u8>>,
    },
    /// JPEG data, embedded unchanged.
    Jpeg {
        data: Vec<u8>,
        components: u8,
        adobe: bool,
    },
}

impl SealImage {
    /// Sniff PNG or JPEG.
    ///
    /// # Errors
    /// [`ImageError`] when the picture cannot be decoded or the size is not positive.
    pub fn from_bytes(bytes: &[u8], width_mm: f64, height_mm: f64) -> Result<Self, ImageError> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Self::png(bytes, width_mm, height_mm)
        } else if bytes.starts_with(&[0xff, 0xd8]) {
            Self::jpeg(bytes, width_mm, height_mm)
        } else {
            Err(ImageError::UnknownFormat)
        }
    }

    /// A PNG picture; transparency (alpha channel or `tRNS`) becomes a soft mask.
    ///
    /// # Errors
    /// [`ImageError`].
    pub fn png(bytes: &[u8], width_mm: f64, height_mm: f64) -> Result<Self, ImageError> {
        check_mm(width_mm, height_mm)?;
        let mut decoder = png::Decoder::new_with_limits(
            std::io::Cursor::new(bytes),
            png::Limits { bytes: MAX_DECODED },
        );
        decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
        let mut reader = decoder.read_info().map_err(ImageError::Png)?;
        let (width, height) = reader.info().size();
        check_dims(width, height)?;
        let size = reader
            .output_buffer_size()
            .filter(|&s| s <= MAX_DECODED)
            .ok_or(ImageError::BadDimensions { width, height })?;
        let mut buf = vec![0u8; size];
        let info = reader.next_frame(&mut buf).map_err(ImageError::Png)?;
        buf.truncate(info.buffer_size());
        let pixels = (width as usize) * (height as usize);
        let (color, gray, alpha) = match info.color_type {
            png::ColorType::Grayscale => (buf, true, None),
            png::ColorType::Rgb => (buf, false, None),
            png::ColorType::GrayscaleAlpha => {
                let (c, a) = split_alpha(&buf, 1, pixels);
                (c, true, Some(a))
            }
            png::ColorType::Rgba => {
                let (c, a) = split_alpha(&buf, 3, pixels);
                (c, false, Some(a))
            }
            png::ColorType::Indexed => {
                return Err(ImageError::Png(png::DecodingError::LimitsExceeded));
            }
        };
        let expected = pixels * if gray { 1 } else { 3 };
        if color.len() != expected || info.bit_depth != png::BitDepth::Eight {
            return Err(ImageError::BadDimensions { width, height });
        }
        // An alpha plane that is fully opaque adds nothing.
        let alpha = alpha.filter(|a| a.iter().any(|&v| v != 0xff));
        Ok(SealImage {
            width_mm,
            height_mm,
            width,
            height,
            kind: Kind::Raw { color, gray, alpha },
        })
    }

    /// A JPEG picture, embedded unchanged with `/DCTDecode`. JPEG has no transparency: the
    /// appearance multiplies it onto the page, so white shows the page through.
    ///
    /// # Errors
    /// [`ImageError`].
    pub fn jpeg(bytes: &[u8], width_mm: f64, height_mm: f64) -> Result<Self, ImageError> {
        check_mm(width_mm, height_mm)?;
        let frame = jpeg_frame(bytes)?;
        check_dims(frame.width, frame.height)?;
        Ok(SealImage {
            width_mm,
            height_mm,
            width: frame.width,
            height: frame.height,
            kind: Kind::Jpeg {
                data: bytes.to_vec(),
                components: frame.components,
                adobe: frame.adobe,
            },
        })
    }

    /// Width in millimetres.
    pub fn width_mm(&self) -> f64 {
        self.width_mm
    }

    /// Height in millimetres.
    pub fn height_mm(&self) -> f64 {
        self.height_mm
    }

    /// Width in PDF points (1/72 inch).
    pub fn width_pt(&self) -> f64 {
        mm_to_pt(self.width_mm)
    }

    /// Height in PDF points.
    pub fn height_pt(&self) -> f64 {
        mm_to_pt(self.height_mm)
    }

    /// Width in pixels.
    pub fn pixel_width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    pub fn pixel_height(&self) -> u32 {
        self.height
    }

    /// Whether the picture has a transparency mask.
    pub fn has_alpha(&self) -> bool {
        matches!(&self.kind, Kind::Raw { alpha: Some(_), .. })
    }

    /// The image XObject and, for a transparent PNG, its soft mask (ISO 32000-1 §8.9.5,
    /// §11.6.5.3). The caller adds the mask as an object and sets `/SMask`.
    pub(crate) fn to_streams(&self) -> Result<(Stream, Option<Stream>), ImageError> {
        let mut dict = Dictionary::new();
        dict.set("Type", Object::Name(b"XObject".to_vec()));
        dict.set("Subtype", Object::Name(b"Image".to_vec()));
        dict.set("Width", i64::from(self.width));
        dict.set("Height", i64::from(self.height));
        dict.set("BitsPerComponent", 8);
        match &self.kind {
            Kind::Jpeg {
                data,
                components,
                adobe,
            } => {
                let (cs, decode) = match components {
                    1 => ("DeviceGray", false),
                    4 => ("DeviceCMYK", *adobe),
                    _ => ("DeviceRGB", false),
                };
                dict.set("ColorSpace", Object::Name(cs.as_bytes().to_vec()));
                if decode {
                    // Adobe writes CMYK JPEGs inverted (APP14).
                    dict.set(
                        "Decode",
                        Object::Array([1, 0, 1, 0, 1, 0, 1, 0].map(Object::from).to_vec()),
                    );
                }
                dict.set("Filter", Object::Name(b"DCTDecode".to_vec()));
                Ok((
                    Stream::new(dict, data.clone()).with_compression(false),
                    None,
                ))
            }
            Kind::Raw { color, gray, alpha } => {
                dict.set(
                    "ColorSpace",
                    Object::Name(if *gray {
                        b"DeviceGray".to_vec()
                    } else {
                        b"DeviceRGB".to_vec()
                    }),
                );
                dict.set("Interpolate", true);
                let image = compressed(dict, color.clone())?;
                let mask = match alpha {
                    None => None,
                    Some(a) => {
                        let mut m = Dictionary::new();
                        m.set("Type", Object::Name(b"XObject".to_vec()));
                        m.set("Subtype", Object::Name(b"Image".to_vec()));
                        m.set("Width", i64::from(self.width));
                        m.set("Height", i64::from(self.height));
                        m.set("BitsPerComponent", 8);
                        m.set("ColorSpace", Object::Name(b"DeviceGray".to_vec()));
                        m.set("Interpolate", true);
                        Some(compressed(m, a.clone())?)
                    }
                };
                Ok((image, mask))
            }
        }
    }
}

fn compressed(dict: Dictionary, data: Vec<u8>) -> Result<Stream, ImageError> {
    let mut s = Stream::new(dict, data);
    s.compress()
        .map_err(|e| ImageError::Compress(e.to_string()))?;
    Ok(s)
}

/// Millimetres to PDF points: `pt = mm × 72 / 25.4`.
pub fn mm_to_pt(mm: f64) -> f64 {
    mm * 72.0 / 25.4
}

fn check_mm(w: f64, h: f64) -> Result<(), ImageError> {
    if w.is_finite() && h.is_finite() && w > 0.0 && h > 0.0 && w < 10_000.0 && h < 10_000.0 {
        Ok(())
    } else {
        Err(ImageError::BadSize)
    }
}

fn check_dims(width: u32, height: u32) -> Result<(), ImageError> {
    if width == 0 || height == 0 || width > MAX_SIDE || height > MAX_SIDE {
        Err(ImageError::BadDimensions { width, height })
    } else {
        Ok(())
    }
}

fn split_alpha(buf: &[u8], colors: usize, pixels: usize) -> (Vec<u8>, Vec<u8>) {
    let mut color = Vec::with_capacity(pixels * colors);
    let mut alpha = Vec::with_capacity(pixels);
    for px in buf.chunks_exact(colors + 1) {
        let (c, a) = px.split_at(colors);
        color.extend_from_slice(c);
        alpha.extend_from_slice(a);
    }
    (color, alpha)
}

struct JpegFrame {
    width: u32,
    height: u32,
    components: u8,
    adobe: bool,
}

/// Walk the JPEG markers to the frame header (ITU-T T.81 §B.2).
fn jpeg_frame(bytes: &[u8]) -> Result<JpegFrame, ImageError> {
    if !bytes.starts_with(&[0xff, 0xd8]) {
        return Err(ImageError::Jpeg("no SOI marker"));
    }
    let mut pos = 2usize;
    let mut adobe = false;
    loop {
        // Skip fill bytes.
        while bytes.get(pos) == Some(&0xff) && bytes.get(pos + 1) == Some(&0xff) {
            pos += 1;
        }
        let (Some(&0xff), Some(&marker)) = (bytes.get(pos), bytes.get(pos + 1)) else {
            return Err(ImageError::Jpeg(
                "no frame header before the end of the markers",
            ));
        };
        pos += 2;
        if marker == 0xd8 || marker == 0x01 || (0xd0..=0xd7).contains(&marker) {
            continue;
        }
        if marker == 0xd9 || marker == 0xda {
            return Err(ImageError::Jpeg("no frame header before the scan"));
        }
        let len = match (bytes.get(pos), bytes.get(pos + 1)) {
            (Some(&h), Some(&l)) => usize::from(h) << 8 | usize::from(l),
            _ => return Err(ImageError::Jpeg("truncated marker segment")),
        };
        if len < 2 {
            return Err(ImageError::Jpeg("bad marker segment length"));
        }
        let seg = bytes
            .get(pos + 2..pos + len)
            .ok_or(ImageError::Jpeg("truncated marker segment"))?;
        match marker {
            0xee if seg.starts_with(b"Adobe") => adobe = true,
            // Baseline, extended sequential and progressive Huffman frames.
            0xc0..=0xc2 => {
                let [precision, h1, h0, w1, w0, comps, ..] = *seg else {
                    return Err(ImageError::Jpeg("truncated frame header"));
                };
                if precision != 8 {
                    return Err(ImageError::Jpeg("only 8-bit samples are supported"));
                }
                if !matches!(comps, 1 | 3 | 4) {
                    return Err(ImageError::Jpeg("unsupported number of components"));
                }
                return Ok(JpegFrame {
                    width: u32::from(w1) << 8 | u32::from(w0),
                    height: u32::from(h1) << 8 | u32::from(h0),
                    components: comps,
                    adobe,
                });
            }
            0xc3 | 0xc5..=0xc7 | 0xc9..=0xcb | 0xcd..=0xcf => {
                return Err(ImageError::Jpeg(
                    "lossless, hierarchical or arithmetic-coded JPEG",
                ));
            }
            _ => {}
        }
        pos += len;
    }
}

/// A small red seal-like PNG with a transparent background, for examples and tests.
#[doc(hidden)]
pub fn test_png(width: u32, height: u32) -> Vec<u8> {
    let mut rgba = Vec::with_capacity((width * height * 4) as usize);
    let (cx, cy) = (f64::from(width) / 2.0, f64::from(height) / 2.0);
    let r = cx.min(cy);
    for y in 0..height {
        for x in 0..width {
            let d = ((f64::from(x) + 0.5 - cx).powi(2) + (f64::from(y) + 0.5 - cy).powi(2)).sqrt();
            let ring = d <= r && d >= r * 0.8;
            let dot = d <= r * 0.3;
            if ring || dot {
                rgba.extend_from_slice(&[0xe0, 0x10, 0x10, 0xff]);
            } else {
                rgba.extend_from_slice(&[0xff, 0xff, 0xff, 0x00]);
            }
        }
    }
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, width, height);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        if let Ok(mut w) = enc.write_header() {
            let _ = w.write_image_data(&rgba);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_with_alpha() {
        let img = SealImage::from_bytes(&test_png(20, 10), 40.0, 20.0).unwrap();
        assert!(img.has_alpha());
        assert_eq!((img.pixel_width(), img.pixel_height()), (20, 10));
        let (image, mask) = img.to_streams().unwrap();
        assert_eq!(image.dict.get(b"Width").unwrap().as_i64().unwrap(), 20);
        let mask = mask.unwrap();
        assert_eq!(mask.decompressed_content().unwrap().len(), 200);
        assert_eq!(image.decompressed_content().unwrap().len(), 600);
        assert!((img.width_pt() - 113.385).abs() < 0.01);
    }

    #[test]
    fn rejects() {
        assert!(matches!(
            SealImage::from_bytes(b"GIF89a", 1.0, 1.0),
            Err(ImageError::UnknownFormat)
        ));
        assert!(matches!(
            SealImage::from_bytes(&test_png(2, 2), 0.0, 1.0),
            Err(ImageError::BadSize)
        ));
        assert!(SealImage::from_bytes(&[0xff, 0xd8, 0xff], 1.0, 1.0).is_err());
        assert!(SealImage::from_bytes(b"\x89PNG\r\n\x1a\n\0\0", 1.0, 1.0).is_err());
    }

    #[test]
    fn jpeg_header() {
        // SOI, APP14 Adobe, SOF0 8-bit 3x2, 3 components.
        let mut j = vec![0xff, 0xd8, 0xff, 0xee, 0x00, 0x07];
        j.extend_from_slice(b"Adobe");
        j.extend_from_slice(&[0xff, 0xc0, 0x00, 0x11, 8, 0, 2, 0, 3, 3]);
        j.extend_from_slice(&[1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0]);
        j.extend_from_slice(&[0xff, 0xd9]);
        let img = SealImage::from_bytes(&j, 10.0, 10.0).unwrap();
        assert_eq!((img.pixel_width(), img.pixel_height()), (3, 2));
        assert!(!img.has_alpha());
    }
}
