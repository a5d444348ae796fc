//! Distinguished names: reading attribute strings (Chinese text included), printing, comparing
//! and building them with explicit string types.
//!
//! Real SM2 certificates put C in a PrintableString and everything else in UTF8String
//! (`shared/notes/cert-profile.md` §3.4); readers accept UTF8String, PrintableString, IA5String,
//! BMPString, VisibleString and TeletexString (read as Latin-1).

use der::asn1::{Any, ObjectIdentifier, SetOfVec};
use der::{Decode, Encode, Tag, Tagged};
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};

use crate::error::{Error, Result};
use crate::oid::{attr, attribute_short_name};

/// The string type an attribute value is encoded with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StringType {
    /// UTF8String (tag 12): Chinese text, the default for everything but C.
    Utf8,
    /// PrintableString (tag 19): `A–Z a–z 0–9 '()+,-./:=?` and space.
    Printable,
    /// IA5String (tag 22): ASCII (emailAddress, DC).
    Ia5,
    /// BMPString (tag 30): UCS-2, big-endian (legacy).
    Bmp,
}

impl StringType {
    /// The ASN.1 tag.
    pub fn tag(self) -> Tag {
        match self {
            StringType::Utf8 => Tag::Utf8String,
            StringType::Printable => Tag::PrintableString,
            StringType::Ia5 => Tag::Ia5String,
            StringType::Bmp => Tag::BmpString,
        }
    }
}

/// Is `s` representable as a PrintableString (X.680 §41.4)?
pub fn is_printable_string(s: &str) -> bool {
    s.bytes().all(|b| {
        b.is_ascii_alphanumeric()
            || matches!(
                b,
                b' ' | b'\'' | b'(' | b')' | b'+' | b',' | b'-' | b'.' | b'/' | b':' | b'=' | b'?'
            )
    })
}

/// Encode `value` as an attribute value of the given string type.
///
/// # Errors
/// [`Error::InvalidString`] when the text does not fit the type.
pub fn encode_string(value: &str, ty: StringType, field: &'static str) -> Result<Any> {
    let bytes: Vec<u8> = match ty {
        StringType::Utf8 => value.as_bytes().to_vec(),
        StringType::Printable => {
            if !is_printable_string(value) {
                return Err(Error::InvalidString { field });
            }
            value.as_bytes().to_vec()
        }
        StringType::Ia5 => {
            if !value.is_ascii() {
                return Err(Error::InvalidString { field });
            }
            value.as_bytes().to_vec()
        }
        StringType::Bmp => {
            let mut out = Vec::with_capacity(value.len() * 2);
            for c in value.chars() {
                let cp = u32::from(c);
                let unit = u16::try_from(cp).map_err(|_| Error::InvalidString { field })?;
                out.extend_from_slice(&unit.to_be_bytes());
            }
            out
        }
    };
    Any::new(ty.tag(), bytes).map_err(|_| Error::InvalidString { field })
}

/// The text of a string-valued attribute, or `None` when the value is not one of the string
/// types (or not valid in its encoding).
pub fn any_to_string(value: &Any) -> Option<String> {
    let bytes = value.value();
    match value.tag() {
        Tag::Utf8String | Tag::PrintableString | Tag::Ia5String | Tag::VisibleString => {
            core::str::from_utf8(bytes).ok().map(str::to_owned)
        }
        // T.61 is close enough to Latin-1 for the ASCII names that use it.
        Tag::TeletexString => Some(bytes.iter().map(|b| char::from(*b)).collect()),
        Tag::BmpString => {
            if bytes.len() % 2 != 0 {
                return None;
            }
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16(&units).ok()
        }
        _ => None,
    }
}

/// The string type of a value, if it is one this crate writes.
pub fn string_type(value: &Any) -> Option<StringType> {
    match value.tag() {
        Tag::Utf8String => Some(StringType::Utf8),
        Tag::PrintableString => Some(StringType::Printable),
        Tag::Ia5String => Some(StringType::Ia5),
        Tag::BmpString => Some(StringType::Bmp),
        _ => None,
    }
}

/// All values of attribute `oid` in `name`, as text (non-string values are skipped), in
/// certificate order.
pub fn attribute_values(name: &Name, oid: ObjectIdentifier) -> Vec<String> {
    name.iter()
        .filter(|atv| atv.oid == oid)
        .filter_map(|atv| any_to_string(&atv.value))
        .collect()
}

/// The first value of attribute `oid`, as text.
pub fn attribute_value(name: &Name, oid: ObjectIdentifier) -> Option<String> {
    attribute_values(name, oid).into_iter().next()
}

/// The common name (CN), if any.
pub fn common_name(name: &Name) -> Option<String> {
    attribute_value(name, attr::COMMON_NAME)
}

/// Print a name in certificate order, `C=CN,O=NRCAC,CN=ROOTCA` (the order OpenSSL's `-nameopt
/// oneline` and most Chinese tools show), with Chinese text as is. Attributes without a short
/// name print as their OID; values that are not strings print as `#` and hex DER.
pub fn display_name(name: &Name) -> String {
    let mut out = String::new();
    for (i, rdn) in name.iter_rdn().enumerate() {
        if i > 0 {
            out.push(',');
        }
        for (j, atv) in rdn.iter().enumerate() {
            if j > 0 {
                out.push('+');
            }
            match attribute_short_name(&atv.oid) {
                Some(short) => out.push_str(short),
                None => out.push_str(&atv.oid.to_string()),
            }
            out.push('=');
            match any_to_string(&atv.value) {
                Some(text) => {
                    for c in text.chars() {
                        if matches!(c, ',' | '+' | '\\' | '"' | ';' | '<' | '>') {
                            out.push('\\');
                        }
                        if c.is_control() {
                            out.push_str(&format!("\\{:02x}", u32::from(c)));
                        } else {
                            out.push(c);
                        }
                    }
                }
                None => {
                    out.push('#');
                    if let Ok(der) = atv.value.to_der() {
                        out.push_str(&crate::hex_upper(&der));
                    }
                }
            }
        }
    }
    out
}

/// Do two names match for path building (RFC 5280 §7.1)?
///
/// Byte-identical DER always matches. Otherwise the names match when they have the same
/// attributes in the same RDN structure and each pair of values is equal after the
/// normalisation of RFC 4518 reduced to what SM2 certificates need: string values of any
/// string type compared as text, with leading and trailing spaces removed, inner runs of
/// spaces collapsed and ASCII letters compared case-insensitively. Non-string values must be
/// byte-identical.
pub fn names_match(a: &Name, b: &Name) -> bool {
    if a == b {
        return true;
    }
    let (ra, rb): (Vec<_>, Vec<_>) = (a.iter_rdn().collect(), b.iter_rdn().collect());
    if ra.len() != rb.len() {
        return false;
    }
    ra.iter().zip(rb.iter()).all(|(x, y)| rdn_match(x, y))
}

fn rdn_match(a: &RelativeDistinguishedName, b: &RelativeDistinguishedName) -> bool {
    if a.len() != b.len() {
        return false;
    }
    // Multi-valued RDNs are rare; match each attribute of `a` to one of `b` with the same OID.
    a.iter().all(|x| {
        b.iter()
            .any(|y| x.oid == y.oid && value_match(&x.value, &y.value))
    })
}

fn value_match(a: &Any, b: &Any) -> bool {
    if a == b {
        return true;
    }
    match (any_to_string(a), any_to_string(b)) {
        (Some(x), Some(y)) => normalise(&x) == normalise(&y),
        _ => false,
    }
}

fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split(' ').filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().map(|c| c.to_ascii_lowercase()));
    }
    out
}

/// Builds a [`Name`] one single-valued RDN at a time, with the string type chosen per
/// attribute.
///
/// ```
/// use gmseal_cert::name::{NameBuilder, display_name};
/// let name = NameBuilder::new()
///     .country("CN").unwrap()
///     .organization("测试单位").unwrap()
///     .common_name("测试单位").unwrap()
///     .build();
/// assert_eq!(display_name(&name), "C=CN,O=测试单位,CN=测试单位");
/// ```
#[derive(Debug, Clone, Default)]
pub struct NameBuilder {
    rdns: RdnSequence,
}

impl NameBuilder {
    /// An empty name.
    pub fn new() -> Self {
        Self::default()
    }

    /// Append an attribute with an explicit string type.
    ///
    /// # Errors
    /// [`Error::InvalidString`] when the value does not fit the type.
    pub fn push(
        mut self,
        oid: ObjectIdentifier,
        value: &str,
        ty: StringType,
        field: &'static str,
    ) -> Result<Self> {
        let value = encode_string(value, ty, field)?;
        self.push_any(oid, value)?;
        Ok(self)
    }

    /// Append an attribute with a value already encoded.
    ///
    /// # Errors
    /// [`Error::InvalidString`] if the RDN cannot be formed (never for a single value).
    pub fn push_any(&mut self, oid: ObjectIdentifier, value: Any) -> Result<()> {
        let atv = AttributeTypeAndValue { oid, value };
        let set =
            SetOfVec::try_from(vec![atv]).map_err(|_| Error::InvalidString { field: "name" })?;
        let rdn = RelativeDistinguishedName::from(set);
        self.rdns.push(rdn);
        Ok(())
    }

    /// `C` as a PrintableString (two letters).
    ///
    /// # Errors
    /// [`Error::InvalidString`] unless two ASCII letters.
    pub fn country(self, code: &str) -> Result<Self> {
        if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(Error::InvalidString { field: "C" });
        }
        self.push(attr::COUNTRY, code, StringType::Printable, "C")
    }

    /// `ST` as a UTF8String.
    ///
    /// # Errors
    /// Never for UTF-8 text; kept fallible for symmetry.
    pub fn state(self, v: &str) -> Result<Self> {
        self.push(attr::STATE, v, StringType::Utf8, "ST")
    }

    /// `L` as a UTF8String.
    ///
    /// # Errors
    /// As [`state`](Self::state).
    pub fn locality(self, v: &str) -> Result<Self> {
        self.push(attr::LOCALITY, v, StringType::Utf8, "L")
    }

    /// `O` as a UTF8String.
    ///
    /// # Errors
    /// As [`state`](Self::state).
    pub fn organization(self, v: &str) -> Result<Self> {
        self.push(attr::ORGANIZATION, v, StringType::Utf8, "O")
    }

    /// `OU` as a UTF8String.
    ///
    /// # Errors
    /// As [`state`](Self::state).
    pub fn organizational_unit(self, v: &str) -> Result<Self> {
        self.push(attr::ORGANIZATIONAL_UNIT, v, StringType::Utf8, "OU")
    }

    /// `CN` as a UTF8String.
    ///
    /// # Errors
    /// As [`state`](Self::state).
    pub fn common_name(self, v: &str) -> Result<Self> {
        self.push(attr::COMMON_NAME, v, StringType::Utf8, "CN")
    }

    /// The name.
    ///
    /// `x509-cert` builds a `Name` from RDNs only behind its `hazmat` feature; this goes
    /// through DER instead, which cannot fail for RDNs made by this builder (an empty name if
    /// it somehow did).
    pub fn build(self) -> Name {
        self.rdns
            .to_der()
            .ok()
            .and_then(|der| Name::from_der(&der).ok())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn match_ignores_string_type_case_and_spaces() {
        let a = NameBuilder::new()
            .country("CN")
            .and_then(|b| b.common_name("Root  CA "))
            .map(NameBuilder::build);
        let b = Name::from_str("CN=root ca,C=CN");
        assert!(names_match(&a.unwrap(), &b.unwrap()));
        let c = Name::from_str("CN=root cb,C=CN").unwrap();
        let a = Name::from_str("CN=root ca,C=CN").unwrap();
        assert!(!names_match(&a, &c));
    }

    #[test]
    fn bmp_round_trip() {
        let v = encode_string("中文", StringType::Bmp, "x").unwrap();
        assert_eq!(any_to_string(&v).as_deref(), Some("中文"));
        assert!(encode_string("中文", StringType::Printable, "x").is_err());
    }
}
