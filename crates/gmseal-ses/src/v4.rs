//! The structures of GB/T 38540-2020 (header version 4) and GM/T 0031-2025 (version 5).
//!
//! v5 uses the same structures; it adds the optional `timeStamp` of `SESeal` (its `[0]` field
//! here). See the [`manual`](crate::manual).

use der::Sequence;
use der::asn1::{BitString, Ia5String, ObjectIdentifier, OctetString};

use crate::cert_list::SesCertList;
use crate::ext::ExtensionDatas;
use crate::header::SesHeader;
use crate::picture::SesEsPictureInfo;
use crate::string::SesString;
use crate::time::SesTime;

/// Seal properties (GB/T 38540-2020 §5.2).
///
/// ```text
/// SES_ESPropertyInfo ::= SEQUENCE {
///     type          INTEGER,
///     name          UTF8String,
///     certListType  INTEGER,          -- 1 certificates, 2 certificate digests
///     certList      SES_CertList,
///     createDate    GeneralizedTime,
///     validStart    GeneralizedTime,
///     validEnd      GeneralizedTime
/// }
/// ```
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct SesEsPropertyInfo {
    /// `type`: an open integer (values 3, 4, 6 and 15 are seen in deployed seals).
    pub r#type: i64,
    /// `name`.
    pub name: SesString,
    /// `certListType`.
    pub cert_list_type: i64,
    /// `certList`.
    pub cert_list: SesCertList,
    /// `createDate`.
    pub create_date: SesTime,
    /// `validStart`.
    pub valid_start: SesTime,
    /// `validEnd`.
    pub valid_end: SesTime,
}

/// Seal information: exactly what the maker signs in v4.
///
/// ```text
/// SES_SealInfo ::= SEQUENCE {
///     header    SES_Header,
///     esID      IA5String,
///     property  SES_ESPropertyInfo,
///     picture   SES_ESPictrueInfo,
///     extDatas  ExtensionDatas OPTIONAL
/// }
/// ```
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct SesSealInfo {
    /// `header`.
    pub header: SesHeader,
    /// `esID`.
    pub es_id: Ia5String,
    /// `property`.
    pub property: SesEsPropertyInfo,
    /// `picture`.
    pub picture: SesEsPictureInfo,
    /// `extDatas`.
    #[asn1(optional = "true")]
    pub ext_datas: Option<ExtensionDatas>,
}

/// The seal (GB/T 38540-2020 §5.1; GM/T 0031-2025 adds `timeStamp`).
///
/// ```text
/// SESeal ::= SEQUENCE {
///     eSealInfo    SES_SealInfo,
///     cert         OCTET STRING,        -- the maker's certificate
///     signAlgID    OBJECT IDENTIFIER,
///     signedValue  BIT STRING,          -- over the DER of eSealInfo
///     timeStamp    [0] EXPLICIT BIT STRING OPTIONAL  -- v5
/// }
/// ```
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct SesSeal {
    /// `eSealInfo`.
    pub e_seal_info: SesSealInfo,
    /// `cert`.
    pub cert: OctetString,
    /// `signAlgID`.
    pub sign_alg_id: ObjectIdentifier,
    /// `signedValue`.
    pub signed_value: BitString,
    /// `timeStamp` (v5).
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub time_stamp: Option<BitString>,
}

/// What the signer signs (GB/T 38540-2020 §6.1).
///
/// ```text
/// TBS_Sign ::= SEQUENCE {
///     version       INTEGER,           -- 4
///     eseal         SESeal,
///     timeInfo      GeneralizedTime,
///     dataHash      BIT STRING,        -- SM3 of the signed data
///     propertyInfo  IA5String,
///     extDatas      [0] EXPLICIT ExtensionDatas OPTIONAL
/// }
/// ```
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct TbsSign {
    /// `version`.
    pub version: i64,
    /// `eseal`.
    pub eseal: SesSeal,
    /// `timeInfo`.
    pub time_info: SesTime,
    /// `dataHash`.
    pub data_hash: BitString,
    /// `propertyInfo`.
    pub property_info: Ia5String,
    /// `extDatas`.
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub ext_datas: Option<ExtensionDatas>,
}

/// The seal signature (GB/T 38540-2020 §6.1).
///
/// ```text
/// SES_Signature ::= SEQUENCE {
///     toSign          TBS_Sign,
///     cert            OCTET STRING,       -- the signer's certificate
///     signatureAlgID  OBJECT IDENTIFIER,
///     signature       BIT STRING,         -- over the DER of toSign
///     timeStamp       [0] EXPLICIT BIT STRING OPTIONAL  -- RFC 3161 token over signature
/// }
/// ```
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct SesSignature {
    /// `toSign`.
    pub to_sign: TbsSign,
    /// `cert`.
    pub cert: OctetString,
    /// `signatureAlgID`.
    pub signature_alg_id: ObjectIdentifier,
    /// `signature`.
    pub signature: BitString,
    /// `timeStamp`.
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub time_stamp: Option<BitString>,
}
