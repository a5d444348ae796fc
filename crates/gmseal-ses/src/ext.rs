//! `ExtensionDatas`: vendor extensions of the seal and (v4) of the signature.

use der::Sequence;
use der::asn1::{ObjectIdentifier, OctetString};

/// One extension (GM/T 0031-2014, GB/T 38540-2020 §5.2).
///
/// ```text
/// ExtData ::= SEQUENCE {
///     extnID     OBJECT IDENTIFIER,
///     critical   BOOLEAN DEFAULT FALSE,
///     extnValue  OCTET STRING
/// }
/// ```
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct ExtData {
    /// `extnID`.
    pub extn_id: ObjectIdentifier,
    /// `critical`.
    #[asn1(default = "Default::default")]
    pub critical: bool,
    /// `extnValue`.
    pub extn_value: OctetString,
}

/// `ExtensionDatas ::= SEQUENCE SIZE (0..MAX) OF ExtData`.
pub type ExtensionDatas = Vec<ExtData>;
