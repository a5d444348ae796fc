//! `SES_Header`: the seal's header, the same in every version.

use der::Sequence;
use der::asn1::Ia5String;

/// The header of a seal (GM/T 0031-2014 §A, GB/T 38540-2020 §5.2).
///
/// ```text
/// SES_Header ::= SEQUENCE {
///     ID       IA5String,  -- "ES"
///     version  INTEGER,    -- 1 (GM/T 0031-2014), 4 (GB/T 38540-2020), 5 (GM/T 0031-2025)
///     Vid      IA5String   -- the vendor's identifier
/// }
/// ```
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct SesHeader {
    /// `ID`: always `"ES"`.
    pub id: Ia5String,
    /// `version`.
    pub version: i64,
    /// `Vid`: the vendor (seal-making system) identifier.
    pub vid: Ia5String,
}

/// The value of `SES_Header.ID`.
pub const HEADER_ID: &str = "ES";
