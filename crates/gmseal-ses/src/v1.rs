//! The structures of GM/T 0031-2014 (header version 1).
//!
//! What differs from v4: the maker's certificate, algorithm and signature sit in a nested
//! `SES_SignInfo`, and the maker signs `SEQUENCE { esealInfo, cert, signatureAlgorithm }`; the
//! signer's certificate and algorithm are inside `TBS_Sign`; dates are UTCTime; `timeInfo` and
//! `dataHash` are BIT STRINGs. See the [`manual`](crate::manual).

use der::asn1::{BitString, Ia5String, ObjectIdentifier, OctetString};
use der::{Decode, Encode, Length, Reader, Sequence, Tag, Writer};

use crate::cert_list::CertEntry;
use crate::ext::ExtensionDatas;
use crate::header::SesHeader;
use crate::picture::SesEsPictureInfo;
use crate::string::SesString;
use crate::time::SesTime;

/// Seal properties (GM/T 0031-2014).
///
/// ```text
/// SES_ESPropertyInfo ::= SEQUENCE {
///     type        INTEGER,          -- 1 organisation seal, 2 personal seal
///     name        UTF8String,
///     certList    SEQUENCE OF cert, -- cert ::= OCTET STRING (certificate DER)
///     createDate  UTCTime,
///     validStart  UTCTime,
///     validEnd    UTCTime
/// }
/// ```
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct SesEsPropertyInfo {
    /// `type`.
    pub r#type: i64,
    /// `name`.
    pub name: SesString,
    /// `certList`: the holders' certificates.
    pub cert_list: Vec<CertEntry>,
    /// `createDate`.
    pub create_date: SesTime,
    /// `validStart`.
    pub valid_start: SesTime,
    /// `validEnd`.
    pub valid_end: SesTime,
}

/// Seal information: what the maker signs, with the maker's certificate and algorithm.
///
/// ```text
/// SES_SealInfo ::= SEQUENCE {
///     header    SES_Header,
///     esID      IA5String,
///     property  SES_ESPropertyInfo,
///     picture   SES_ESPictrueInfo,
///     extDatas  ExtensionDatas OPTIONAL  -- "EXPLICIT" without a tag number; written untagged
/// }
/// ```
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct SesSealInfo {
    /// `header`.
    pub header: SesHeader,
    /// `esID`: the seal's code.
    pub es_id: Ia5String,
    /// `property`.
    pub property: SesEsPropertyInfo,
    /// `picture`.
    pub picture: SesEsPictureInfo,
    /// `extDatas`.
    #[asn1(optional = "true")]
    pub ext_datas: Option<ExtensionDatas>,
}

/// The maker's signature (GM/T 0031-2014).
///
/// ```text
/// SES_SignInfo ::= SEQUENCE {
///     cert                OCTET STRING,       -- the maker's certificate
///     signatureAlgorithm  OBJECT IDENTIFIER,
///     signData            BIT STRING          -- over SEQUENCE { esealInfo, cert, signatureAlgorithm }
/// }
/// ```
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct SesSignInfo {
    /// `cert`.
    pub cert: OctetString,
    /// `signatureAlgorithm`.
    pub signature_algorithm: ObjectIdentifier,
    /// `signData`.
    pub sign_data: BitString,
}

/// The seal (GM/T 0031-2014).
///
/// ```text
/// SESeal ::= SEQUENCE { esealInfo SES_SealInfo, signInfo SES_SignInfo }
/// ```
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct SesSeal {
    /// `esealInfo`.
    pub eseal_info: SesSealInfo,
    /// `signInfo`.
    pub sign_info: SesSignInfo,
}

/// A BIT STRING of the standard, or the OCTET STRING some writers use instead (ofdrw's v1
/// reader accepts both for `timeInfo` and `dataHash`).
#[derive(Clone, Debug, Eq, PartialEq)]
pub enum BitOrOctetString {
    /// BIT STRING.
    BitString(BitString),
    /// OCTET STRING.
    OctetString(OctetString),
}

// `der`'s `Choice` derive cannot produce an owned `BitString` (no `From<BitStringRef>`), so this
// CHOICE is written out.
impl<'a> Decode<'a> for BitOrOctetString {
    type Error = der::Error;

    fn decode<R: Reader<'a>>(reader: &mut R) -> der::Result<Self> {
        if Tag::peek(reader)? == Tag::OctetString {
            Ok(BitOrOctetString::OctetString(reader.decode()?))
        } else {
            Ok(BitOrOctetString::BitString(reader.decode()?))
        }
    }
}

impl Encode for BitOrOctetString {
    fn encoded_len(&self) -> der::Result<Length> {
        match self {
            BitOrOctetString::BitString(b) => b.encoded_len(),
            BitOrOctetString::OctetString(o) => o.encoded_len(),
        }
    }

    fn encode(&self, writer: &mut impl Writer) -> der::Result<()> {
        match self {
            BitOrOctetString::BitString(b) => b.encode(writer),
            BitOrOctetString::OctetString(o) => o.encode(writer),
        }
    }
}

impl BitOrOctetString {
    /// The content bytes (`None` for a BIT STRING with unused bits).
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            BitOrOctetString::BitString(b) => b.as_bytes(),
            BitOrOctetString::OctetString(o) => Some(o.as_bytes()),
        }
    }
}

/// What the signer signs (GM/T 0031-2014).
///
/// ```text
/// TBS_Sign ::= SEQUENCE {
///     version             INTEGER,            -- 1
///     eseal               SESeal,
///     timeInfo            BIT STRING,         -- the signing time (in practice ASCII text)
///     dataHash            BIT STRING,         -- SM3 of the signed data
///     propertyInfo        IA5String,          -- e.g. the OFD path of Signature.xml
///     cert                OCTET STRING,       -- the signer's certificate
///     signatureAlgorithm  OBJECT IDENTIFIER
/// }
/// ```
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct TbsSign {
    /// `version`.
    pub version: i64,
    /// `eseal`.
    pub eseal: SesSeal,
    /// `timeInfo`.
    pub time_info: BitOrOctetString,
    /// `dataHash`.
    pub data_hash: BitOrOctetString,
    /// `propertyInfo`.
    pub property_info: Ia5String,
    /// `cert`.
    pub cert: OctetString,
    /// `signatureAlgorithm`.
    pub signature_algorithm: ObjectIdentifier,
}

/// The seal signature (GM/T 0031-2014).
///
/// ```text
/// SES_Signature ::= SEQUENCE { toSign TBS_Sign, signature BIT STRING }
/// ```
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct SesSignature {
    /// `toSign`.
    pub to_sign: TbsSign,
    /// `signature`.
    pub signature: BitString,
}
