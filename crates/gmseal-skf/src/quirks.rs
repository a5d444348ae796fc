//! Per-library settings: the vendor quirks a library is opened with.
//!
//! Vendor SKF libraries follow GM/T 0016-2012 with variations that cannot be detected reliably
//! from the outside, so they are chosen when the library is opened ([`LibraryConfig`]). What to
//! pick for a device is explained in the crate README ("Pointing gmseal at a UKey").

use crate::error::ArgumentError;
use crate::sys;

/// Which numbering of the SM2 algorithm identifiers the library uses when *receiving* them
/// (`SKF_GenECCKeyPair`). Values read from the library (DEVINFO capabilities) are understood in
/// both numberings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum AlgIdVariant {
    /// GM/T 0006-2012: `SGD_SM2_1` = 0x00020200 (sign), `SGD_SM2_2` = 0x00020400,
    /// `SGD_SM2_3` = 0x00020800.
    #[default]
    Standard,
    /// The older numbering of some headers, one bit lower: `SGD_SM2_1` = 0x00020100.
    Legacy,
}

impl AlgIdVariant {
    /// The identifier of SM2 signing to send to the library.
    pub fn sm2_sign(self) -> u32 {
        match self {
            AlgIdVariant::Standard => sys::SGD_SM2_1,
            AlgIdVariant::Legacy => sys::SGD_SM2_1_LEGACY,
        }
    }

    /// The identifier of SM2 encryption to send to the library.
    pub fn sm2_encrypt(self) -> u32 {
        match self {
            AlgIdVariant::Standard => sys::SGD_SM2_3,
            AlgIdVariant::Legacy => sys::SGD_SM2_3_LEGACY,
        }
    }
}

/// The layout of `DEVINFO` the library writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum DevInfoLayout {
    /// `#pragma pack(1)`, 294 bytes: what GM/T 0016 headers declare.
    #[default]
    Packed,
    /// Natural alignment, 296 bytes: the capability fields start at offset 200.
    Natural,
    /// Packed without `MaxECCBufferSize` and `MaxBufferSize`, 286 bytes (headers transcribed
    /// from a draft of the standard).
    WithoutBufferSizes,
}

impl DevInfoLayout {
    /// Size of the structure in this layout.
    pub fn size(self) -> usize {
        match self {
            DevInfoLayout::Packed => 294,
            DevInfoLayout::Natural => 296,
            DevInfoLayout::WithoutBufferSizes => 286,
        }
    }
}

/// How wide the library's `BOOL` is. `BOOL` arguments are passed so that every width reads them
/// (see [`crate::sys`]); for `BOOL*` out-parameters the binding passes an 8-byte zeroed slot and
/// reads this many bytes of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum BoolWidth {
    /// `unsigned char`.
    U8,
    /// `int` (Windows) or a 32-bit typedef.
    #[default]
    U32,
    /// `long` on LP64 Unix.
    U64,
}

impl BoolWidth {
    /// Read a `BOOL` from the 8-byte slot the library wrote into.
    pub fn read(self, slot: sys::BoolSlot) -> bool {
        let bytes = slot.to_ne_bytes();
        let n = match self {
            BoolWidth::U8 => 1,
            BoolWidth::U32 => 4,
            BoolWidth::U64 => 8,
        };
        // A BOOL starts at the slot's address; on big-endian machines too.
        bytes.iter().take(n).any(|b| *b != 0)
    }
}

/// The 8-bit encoding of names (devices, applications, containers, files) and `DEVINFO`
/// strings. The raw bytes are always kept ([`crate::Name::raw`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum NameEncoding {
    /// UTF-8 (what GM/T 0016 says for `LPSTR`).
    #[default]
    Utf8,
    /// GBK (Chinese-language drivers, especially on Windows).
    Gbk,
}

impl NameEncoding {
    /// The encoding's label.
    pub fn label(self) -> &'static str {
        match self {
            NameEncoding::Utf8 => "UTF-8",
            NameEncoding::Gbk => "GBK",
        }
    }

    /// Decode; the flag is `false` when some bytes were not valid and were replaced.
    pub fn decode(self, raw: &[u8]) -> (String, bool) {
        let enc = match self {
            NameEncoding::Utf8 => encoding_rs::UTF_8,
            NameEncoding::Gbk => encoding_rs::GBK,
        };
        let (text, had_errors) = enc.decode_without_bom_handling(raw);
        (text.into_owned(), !had_errors)
    }

    /// Encode text for the library.
    ///
    /// # Errors
    /// [`ArgumentError::Unencodable`] if a character has no representation.
    pub fn encode(self, text: &str) -> Result<Vec<u8>, ArgumentError> {
        match self {
            NameEncoding::Utf8 => Ok(text.as_bytes().to_vec()),
            NameEncoding::Gbk => {
                let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
                if unmappable {
                    Err(ArgumentError::Unencodable { encoding: "GBK" })
                } else {
                    Ok(bytes.into_owned())
                }
            }
        }
    }
}

/// The quirks of one vendor library.
///
/// ```
/// use gmseal_skf::{AlgIdVariant, DevInfoLayout, Quirks};
/// let q = Quirks::STANDARD;
/// assert_eq!(q.alg_ids, AlgIdVariant::Standard);
/// let legacy = Quirks::STANDARD
///     .with_alg_ids(AlgIdVariant::Legacy)
///     .with_devinfo_layout(DevInfoLayout::WithoutBufferSizes);
/// assert_eq!(legacy.alg_ids.sm2_sign(), 0x0002_0100);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct Quirks {
    /// Numbering of the SM2 algorithm identifiers sent to the library.
    pub alg_ids: AlgIdVariant,
    /// Layout of `DEVINFO`.
    pub devinfo_layout: DevInfoLayout,
    /// Width of `BOOL` out-parameters.
    pub bool_width: BoolWidth,
    /// Encoding of names.
    pub name_encoding: NameEncoding,
}

impl Quirks {
    /// GM/T 0016-2012 as written: standard IDs, packed DEVINFO, 32-bit BOOL, UTF-8 names.
    pub const STANDARD: Quirks = Quirks {
        alg_ids: AlgIdVariant::Standard,
        devinfo_layout: DevInfoLayout::Packed,
        bool_width: BoolWidth::U32,
        name_encoding: NameEncoding::Utf8,
    };

    /// A library built from a header transcribed from the 2012 draft: legacy SM2 IDs and the
    /// 286-byte DEVINFO.
    pub const LEGACY_HEADER: Quirks = Quirks {
        alg_ids: AlgIdVariant::Legacy,
        devinfo_layout: DevInfoLayout::WithoutBufferSizes,
        bool_width: BoolWidth::U32,
        name_encoding: NameEncoding::Utf8,
    };

    /// A Chinese-language Windows driver: standard IDs and layout, GBK names.
    pub const GBK_NAMES: Quirks = Quirks::STANDARD.with_name_encoding(NameEncoding::Gbk);

    /// With another SM2 ID numbering.
    #[must_use]
    pub const fn with_alg_ids(mut self, v: AlgIdVariant) -> Self {
        self.alg_ids = v;
        self
    }

    /// With another DEVINFO layout.
    #[must_use]
    pub const fn with_devinfo_layout(mut self, v: DevInfoLayout) -> Self {
        self.devinfo_layout = v;
        self
    }

    /// With another BOOL width.
    #[must_use]
    pub const fn with_bool_width(mut self, v: BoolWidth) -> Self {
        self.bool_width = v;
        self
    }

    /// With another name encoding.
    #[must_use]
    pub const fn with_name_encoding(mut self, v: NameEncoding) -> Self {
        self.name_encoding = v;
        self
    }

    /// A preset by name (`standard`, `legacy-header`, `gbk`), for configuration files and
    /// command lines.
    pub fn preset(name: &str) -> Option<Quirks> {
        match name {
            "standard" => Some(Quirks::STANDARD),
            "legacy-header" => Some(Quirks::LEGACY_HEADER),
            "gbk" => Some(Quirks::GBK_NAMES),
            _ => None,
        }
    }
}

/// How a library is opened: its quirks and the limits on what it may return.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LibraryConfig {
    /// The vendor quirks.
    pub quirks: Quirks,
    /// The largest answer (certificate, file chunk, name list) accepted, in bytes.
    pub max_answer_len: usize,
    /// The most names accepted in a name list.
    pub max_names: usize,
}

impl Default for LibraryConfig {
    fn default() -> Self {
        LibraryConfig {
            quirks: Quirks::STANDARD,
            max_answer_len: 1 << 20,
            max_names: 1024,
        }
    }
}

impl LibraryConfig {
    /// The default configuration with other quirks.
    pub fn with_quirks(quirks: Quirks) -> Self {
        LibraryConfig {
            quirks,
            ..LibraryConfig::default()
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn presets() {
        assert_eq!(Quirks::preset("standard"), Some(Quirks::STANDARD));
        assert_eq!(
            Quirks::preset("legacy-header").unwrap().alg_ids.sm2_sign(),
            0x0002_0100
        );
        assert_eq!(
            Quirks::preset("gbk").unwrap().name_encoding,
            NameEncoding::Gbk
        );
        assert_eq!(Quirks::preset("other"), None);
        assert_eq!(AlgIdVariant::Standard.sm2_encrypt(), 0x0002_0800);
    }

    #[test]
    fn gbk_names_round_trip_and_report_loss() {
        let raw = NameEncoding::Gbk.encode("电子印章").unwrap();
        assert_eq!(raw, [0xB5, 0xE7, 0xD7, 0xD3, 0xD3, 0xA1, 0xD5, 0xC2]);
        assert_eq!(
            NameEncoding::Gbk.decode(&raw),
            ("电子印章".to_string(), true)
        );
        let (text, lossless) = NameEncoding::Utf8.decode(&raw);
        assert!(!lossless && text.contains('\u{FFFD}'));
        assert!(NameEncoding::Gbk.encode("😀").is_err());
    }

    #[test]
    fn bool_widths() {
        let one = u64::from_ne_bytes([1, 0, 0, 0, 0, 0, 0, 0]);
        let high = u64::from_ne_bytes([0, 0, 0, 0, 1, 0, 0, 0]);
        assert!(BoolWidth::U8.read(one) && BoolWidth::U32.read(one) && BoolWidth::U64.read(one));
        assert!(!BoolWidth::U32.read(high) && BoolWidth::U64.read(high));
        assert!(!BoolWidth::U64.read(0));
    }
}
