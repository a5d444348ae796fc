//! The versions of the seal format and how a decoder tells them apart.

use core::fmt;

/// A version of the electronic-seal data format.
///
/// The layout of the structures tells v1 from v4/v5 (GM/T 0031-2014 `SESeal` has two elements,
/// GB/T 38540-2020 four); `SES_Header.version` tells v4 from v5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum SesVersion {
    /// GM/T 0031-2014 (header version 1): the maker's signature sits in `SES_SignInfo`, the
    /// signer's certificate inside `TBS_Sign`, dates are UTCTime.
    V1,
    /// GB/T 38540-2020 (header version 4): flat `SESeal`, certificate list type, GeneralizedTime,
    /// optional timestamp in `SES_Signature`. The default.
    #[default]
    V4,
    /// GM/T 0031-2025 (header version 5): the v4 layout plus an optional `[0]` timestamp in
    /// `SESeal`. Implemented from the structures of ofdrw's v5 classes (the standard's own text
    /// was not available): see the [`manual`](crate::manual).
    V5,
}

impl SesVersion {
    /// The `SES_Header.version` value of this version.
    pub fn header_version(self) -> i64 {
        match self {
            SesVersion::V1 => 1,
            SesVersion::V4 => 4,
            SesVersion::V5 => 5,
        }
    }

    /// Does this version use the GB/T 38540 (v4) layout?
    pub fn is_v4_layout(self) -> bool {
        matches!(self, SesVersion::V4 | SesVersion::V5)
    }
}

impl fmt::Display for SesVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SesVersion::V1 => "v1 (GM/T 0031-2014)",
            SesVersion::V4 => "v4 (GB/T 38540-2020)",
            SesVersion::V5 => "v5 (GM/T 0031-2025)",
        })
    }
}
