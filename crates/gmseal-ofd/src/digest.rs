//! `References/@CheckMethod` and the per-file digests (GB/T 33190-2016 §18.2.2).
//!
//! A `CheckValue` is the digest of the referenced file's bytes as stored in the package
//! (decompressed). gmseal computes SM3 only. Strict mode accepts the two spellings seen from
//! conforming writers, the OID `1.2.156.10197.1.401` and the name `SM3`; lenient mode also takes
//! other letter cases of `SM3`, dms360's unregistered `1.2.156.10197.1.401.2` and a missing
//! attribute, and reports each.

use crate::report::Deviation;
use gmseal_sm2::Strictness;

/// The OID of SM3 (GM/T 0006-2012).
pub const SM3_OID: &str = "1.2.156.10197.1.401";

/// The unregistered arc dms360 iOFD writes as its CheckMethod.
pub const DMS360_SM3_OID: &str = "1.2.156.10197.1.401.2";

/// How the signer writes `CheckMethod`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum CheckMethodStyle {
    /// `1.2.156.10197.1.401` (the default).
    #[default]
    Oid,
    /// `SM3`, as ofdrw writes it.
    Name,
}

impl CheckMethodStyle {
    /// The attribute value.
    pub fn as_str(&self) -> &'static str {
        match self {
            CheckMethodStyle::Oid => SM3_OID,
            CheckMethodStyle::Name => "SM3",
        }
    }
}

/// The result of reading a `CheckMethod`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckMethod {
    /// SM3, possibly through a tolerated deviation.
    Sm3(Option<Deviation>),
    /// SM3 would be assumed in lenient mode, but strict mode does not accept this spelling.
    NotTolerated(Deviation),
    /// A digest gmseal does not compute (`MD5`, `SHA1`, `SHA256`, anything else).
    Unsupported(String),
}

/// Interpret `CheckMethod`.
///
/// ```
/// use gmseal_ofd::digest::{check_method, CheckMethod};
/// use gmseal_sm2::Strictness;
/// assert_eq!(check_method(Some("SM3"), Strictness::Strict), CheckMethod::Sm3(None));
/// assert!(matches!(check_method(Some("sm3"), Strictness::Strict), CheckMethod::NotTolerated(_)));
/// assert!(matches!(check_method(Some("sm3"), Strictness::Lenient), CheckMethod::Sm3(Some(_))));
/// assert!(matches!(check_method(Some("MD5"), Strictness::Lenient), CheckMethod::Unsupported(_)));
/// ```
pub fn check_method(raw: Option<&str>, strictness: Strictness) -> CheckMethod {
    let deviation = match raw.map(str::trim) {
        Some(SM3_OID) | Some("SM3") => return CheckMethod::Sm3(None),
        Some(m) if m.eq_ignore_ascii_case("SM3") => Deviation::CheckMethodCase {
            found: m.to_owned(),
        },
        Some(DMS360_SM3_OID) => Deviation::CheckMethodVendorOid {
            found: DMS360_SM3_OID.to_owned(),
        },
        None | Some("") => Deviation::CheckMethodMissing,
        Some(m) => return CheckMethod::Unsupported(m.to_owned()),
    };
    match strictness {
        Strictness::Lenient => CheckMethod::Sm3(Some(deviation)),
        Strictness::Strict => CheckMethod::NotTolerated(deviation),
    }
}
