//! `SES_ESPictrueInfo`: the seal's picture, and what the bytes really are.

use core::fmt;

use der::Sequence;
use der::asn1::OctetString;

use crate::string::SesString;

/// The seal picture (GM/T 0031-2014, GB/T 38540-2020 §5.2; the standards spell it
/// `SES_ESPictrueInfo`).
///
/// ```text
/// SES_ESPictrueInfo ::= SEQUENCE {
///     type    IA5String,     -- "PNG", "JPG", "BMP", "GIF", "SVG", "OFD", ... (case varies)
///     data    OCTET STRING,  -- the picture file; for "ofd", a whole OFD package
///     width   INTEGER,       -- millimetres
///     height  INTEGER        -- millimetres
/// }
/// ```
#[doc(alias = "SES_ESPictrueInfo")]
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct SesEsPictureInfo {
    /// `type` (IA5String in the standard; easyofd writes PrintableString).
    pub r#type: SesString,
    /// `data`.
    pub data: OctetString,
    /// `width`, in mm.
    pub width: i64,
    /// `height`, in mm.
    pub height: i64,
}

/// A picture format, declared (`type`) or recognised from the bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PictureFormat {
    /// PNG.
    Png,
    /// JPEG (`"JPG"`, `"JPEG"`).
    Jpeg,
    /// BMP.
    Bmp,
    /// GIF.
    Gif,
    /// SVG.
    Svg,
    /// An OFD package (a zip holding `OFD.xml`): tax-invoice seals draw the seal as a document.
    Ofd,
    /// Something else (for sniffing: a zip without `OFD.xml` is reported here too).
    Unknown,
}

impl fmt::Display for PictureFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PictureFormat::Png => "PNG",
            PictureFormat::Jpeg => "JPG",
            PictureFormat::Bmp => "BMP",
            PictureFormat::Gif => "GIF",
            PictureFormat::Svg => "SVG",
            PictureFormat::Ofd => "OFD",
            PictureFormat::Unknown => "unknown",
        })
    }
}

impl PictureFormat {
    /// The format a `type` string names (case-insensitive; `"jpeg"` = `"jpg"`).
    pub fn from_declared(name: &str) -> Self {
        match name.trim().to_ascii_lowercase().as_str() {
            "png" => PictureFormat::Png,
            "jpg" | "jpeg" => PictureFormat::Jpeg,
            "bmp" => PictureFormat::Bmp,
            "gif" => PictureFormat::Gif,
            "svg" => PictureFormat::Svg,
            "ofd" => PictureFormat::Ofd,
            _ => PictureFormat::Unknown,
        }
    }

    /// The format the bytes are, from their signature ("magic number").
    ///
    /// An OFD package is recognised as a zip whose entries include `OFD.xml` (looked for in the
    /// local and central headers, without unpacking).
    pub fn sniff(data: &[u8]) -> Self {
        if data.starts_with(b"\x89PNG\r\n\x1a\n") {
            PictureFormat::Png
        } else if data.starts_with(&[0xFF, 0xD8, 0xFF]) {
            PictureFormat::Jpeg
        } else if data.starts_with(b"GIF87a") || data.starts_with(b"GIF89a") {
            PictureFormat::Gif
        } else if data.starts_with(b"BM") && data.len() >= 26 {
            PictureFormat::Bmp
        } else if data.starts_with(b"PK\x03\x04") {
            if data.windows(7).any(|w| w == b"OFD.xml") {
                PictureFormat::Ofd
            } else {
                PictureFormat::Unknown
            }
        } else if looks_like_svg(data) {
            PictureFormat::Svg
        } else {
            PictureFormat::Unknown
        }
    }
}

fn looks_like_svg(data: &[u8]) -> bool {
    let head = &data[..data.len().min(1024)];
    let text = String::from_utf8_lossy(head);
    let t = text.trim_start_matches('\u{feff}').trim_start();
    (t.starts_with("<?xml") || t.starts_with("<svg") || t.starts_with("<!DOCTYPE svg"))
        && t.contains("<svg")
}

/// The seal picture with its declared type and size and the format its bytes really have.
///
/// ```
/// use gmseal_ses::picture::{Picture, PictureFormat};
/// # let info = gmseal_ses::picture::SesEsPictureInfo {
/// #     r#type: gmseal_ses::SesString::ia5("png").unwrap(),
/// #     data: der::asn1::OctetString::new(b"\x89PNG\r\n\x1a\n....".to_vec()).unwrap(),
/// #     width: 40, height: 40 };
/// let picture = Picture::new(&info);
/// assert_eq!(picture.declared, PictureFormat::Png);
/// assert_eq!(picture.sniffed, PictureFormat::Png);
/// assert!(picture.type_matches());
/// assert_eq!((picture.width_mm, picture.height_mm), (40, 40));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Picture<'a> {
    /// `type` as written.
    pub declared_type: String,
    /// The format `type` names.
    pub declared: PictureFormat,
    /// The format recognised from the bytes.
    pub sniffed: PictureFormat,
    /// The picture file.
    pub data: &'a [u8],
    /// `width` in millimetres.
    pub width_mm: i64,
    /// `height` in millimetres.
    pub height_mm: i64,
}

impl<'a> Picture<'a> {
    /// Read a picture structure.
    pub fn new(info: &'a SesEsPictureInfo) -> Self {
        let declared_type = info.r#type.to_text();
        Picture {
            declared: PictureFormat::from_declared(&declared_type),
            declared_type,
            sniffed: PictureFormat::sniff(info.data.as_bytes()),
            data: info.data.as_bytes(),
            width_mm: info.width,
            height_mm: info.height,
        }
    }

    /// Do the declared type and the bytes agree?
    pub fn type_matches(&self) -> bool {
        self.declared == self.sniffed && self.declared != PictureFormat::Unknown
    }
}
