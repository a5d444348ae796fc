//! The holder certificate list of `SES_ESPropertyInfo`: `SEQUENCE OF cert` in v1, the
//! `SES_CertList` CHOICE (certificates or certificate digests) in v4.

use core::fmt;

use der::asn1::{Any, OctetString, PrintableString};
use der::{
    Decode, DecodeValue, Encode, EncodeValue, FixedTag, Header, Length, Reader, Sequence, Tag,
    Writer,
};

/// One entry of the v1 `certList` (GM/T 0031-2014: `SEQUENCE OF cert`, `cert ::= OCTET STRING`
/// holding a certificate's DER).
///
/// Real files put other things there (the dms360 sample has an IA5String `"1"`); decoding keeps
/// them as [`CertEntry::Other`] and the conformance check reports them as a
/// [`Deviation::CertListEntry`](crate::Deviation::CertListEntry).
#[derive(Clone, Debug, Eq, PartialEq)]
pub enum CertEntry {
    /// A certificate (DER inside an OCTET STRING), as the standard says.
    Certificate(OctetString),
    /// Any other element.
    Other(Any),
}

impl CertEntry {
    /// The certificate DER, when the entry is one.
    pub fn certificate(&self) -> Option<&[u8]> {
        match self {
            CertEntry::Certificate(o) => Some(o.as_bytes()),
            CertEntry::Other(_) => None,
        }
    }
}

impl<'a> Decode<'a> for CertEntry {
    type Error = der::Error;

    fn decode<R: Reader<'a>>(reader: &mut R) -> der::Result<Self> {
        if Tag::peek(reader)? == Tag::OctetString {
            Ok(CertEntry::Certificate(reader.decode()?))
        } else {
            Ok(CertEntry::Other(reader.decode()?))
        }
    }
}

impl Encode for CertEntry {
    fn encoded_len(&self) -> der::Result<Length> {
        match self {
            CertEntry::Certificate(o) => o.encoded_len(),
            CertEntry::Other(a) => a.encoded_len(),
        }
    }

    fn encode(&self, writer: &mut impl Writer) -> der::Result<()> {
        match self {
            CertEntry::Certificate(o) => o.encode(writer),
            CertEntry::Other(a) => a.encode(writer),
        }
    }
}

/// A certificate digest of a v4 `certDigestList` (GB/T 38540-2020 §5.2).
///
/// ```text
/// CertDigestObj ::= SEQUENCE {
///     type   PrintableString,  -- the digest algorithm, e.g. "SM3"
///     value  OCTET STRING      -- the digest of the certificate's DER
/// }
/// ```
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct CertDigestObj {
    /// `type`: the digest algorithm's name or OID text.
    pub r#type: PrintableString,
    /// `value`: the digest.
    pub value: OctetString,
}

/// Which alternative a certificate list holds (the value of `certListType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CertListKind {
    /// `certListType = 1`: certificates.
    Certificates,
    /// `certListType = 2`: certificate digests.
    Digests,
}

impl CertListKind {
    /// The `certListType` value.
    pub fn type_value(self) -> i64 {
        match self {
            CertListKind::Certificates => 1,
            CertListKind::Digests => 2,
        }
    }
}

impl fmt::Display for CertListKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CertListKind::Certificates => "certificates (certListType 1)",
            CertListKind::Digests => "certificate digests (certListType 2)",
        })
    }
}

/// The v4 holder certificate list (GB/T 38540-2020 §5.2).
///
/// ```text
/// SES_CertList ::= CHOICE {
///     certs           CertInfoList,    -- certListType = 1
///     certDigestList  CertDigestList   -- certListType = 2
/// }
/// CertInfoList   ::= SEQUENCE OF OCTET STRING
/// CertDigestList ::= SEQUENCE OF CertDigestObj
/// ```
///
/// Both alternatives are untagged SEQUENCEs; the standard tells them apart by the
/// `certListType` field beside them. This decoder tells them apart by the element type (OCTET
/// STRING or SEQUENCE), so it needs no context, and the conformance check compares the result
/// with `certListType`. An empty list decodes as `Certs`.
#[derive(Clone, Debug, Eq, PartialEq)]
pub enum SesCertList {
    /// `certs`: each a holder certificate's DER.
    Certs(Vec<OctetString>),
    /// `certDigestList`.
    CertDigestList(Vec<CertDigestObj>),
}

impl SesCertList {
    /// Which alternative this is.
    pub fn kind(&self) -> CertListKind {
        match self {
            SesCertList::Certs(_) => CertListKind::Certificates,
            SesCertList::CertDigestList(_) => CertListKind::Digests,
        }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        match self {
            SesCertList::Certs(v) => v.len(),
            SesCertList::CertDigestList(v) => v.len(),
        }
    }

    /// No entries?
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl FixedTag for SesCertList {
    const TAG: Tag = Tag::Sequence;
}

impl<'a> DecodeValue<'a> for SesCertList {
    type Error = der::Error;

    fn decode_value<R: Reader<'a>>(reader: &mut R, _header: Header) -> der::Result<Self> {
        if reader.is_finished() {
            return Ok(SesCertList::Certs(Vec::new()));
        }
        match Tag::peek(reader)? {
            Tag::Sequence => {
                let mut v = Vec::new();
                while !reader.is_finished() {
                    v.push(CertDigestObj::decode(reader)?);
                }
                Ok(SesCertList::CertDigestList(v))
            }
            _ => {
                let mut v = Vec::new();
                while !reader.is_finished() {
                    v.push(OctetString::decode(reader)?);
                }
                Ok(SesCertList::Certs(v))
            }
        }
    }
}

impl EncodeValue for SesCertList {
    fn value_len(&self) -> der::Result<Length> {
        match self {
            SesCertList::Certs(v) => v.value_len(),
            SesCertList::CertDigestList(v) => v.value_len(),
        }
    }

    fn encode_value(&self, writer: &mut impl Writer) -> der::Result<()> {
        match self {
            SesCertList::Certs(v) => v.encode_value(writer),
            SesCertList::CertDigestList(v) => v.encode_value(writer),
        }
    }
}
