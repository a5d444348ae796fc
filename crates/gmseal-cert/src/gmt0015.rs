//! The Chinese identity extensions of GM/T 0015-2012 (1.2.156.10260.4.1.x) and GM/T 0015-2023
//! (1.2.156.10260.4.1.1.x, 1.2.156.10260.4.4), all non-critical.
//!
//! The standards' texts were not available; the structures follow xipki's implementation
//! (`shared/notes/cert-profile.md` §3.5). Readers are lenient — the 2012 `IdentifyCode`
//! CHOICE is accepted with EXPLICIT or IMPLICIT tags and as a bare string, because CAs differ —
//! and keep the raw bytes.

use der::asn1::{ObjectIdentifier, OctetString};
use der::{Decode, Encode, Tag, TagNumber, Tagged};
use x509_cert::ext::Extension;

use crate::error::{Error, Result};
use crate::name::{StringType, any_to_string, encode_string};
use crate::oid::{gmt0015_2012, gmt0015_2023};

/// The 2012 `IdentifyCode` (个人身份标识码).
///
/// ```text
/// IdentifyCode ::= CHOICE {
///     residenterCardNumber      [0] PrintableString,
///     militaryOfficerCardNumber [1] UTF8String,
///     passportNumber            [2] PrintableString }
/// ```
/// GM/T 0015-2012 (as implemented by xipki, EXPLICIT tags written, both accepted).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum IdentifyCode {
    /// Resident identity card number.
    ResidentCardNumber(String),
    /// Military officer card number.
    MilitaryOfficerCardNumber(String),
    /// Passport number.
    PassportNumber(String),
}

impl IdentifyCode {
    /// The number, whichever kind.
    pub fn number(&self) -> &str {
        match self {
            IdentifyCode::ResidentCardNumber(s)
            | IdentifyCode::MilitaryOfficerCardNumber(s)
            | IdentifyCode::PassportNumber(s) => s,
        }
    }

    /// Decode the extension value (the content of extnValue), leniently.
    ///
    /// # Errors
    /// [`Error::MalformedExtension`] when no reading applies.
    pub fn from_ext_value(v: &[u8]) -> Result<Self> {
        let bad = |source| Error::MalformedExtension {
            oid: gmt0015_2012::IDENTIFY_CODE,
            source,
        };
        let any = der::asn1::Any::from_der(v).map_err(bad)?;
        let tag = any.tag();
        if let Tag::ContextSpecific {
            constructed,
            number,
        } = tag
        {
            let text = if constructed {
                // EXPLICIT: the content is a string TLV.
                let inner = der::asn1::Any::from_der(any.value()).map_err(bad)?;
                any_to_string(&inner)
            } else {
                // IMPLICIT: the content is the string's bytes.
                core::str::from_utf8(any.value()).ok().map(str::to_owned)
            }
            .ok_or_else(|| bad(der::ErrorKind::Value { tag }.into()))?;
            return match number {
                TagNumber(0) => Ok(IdentifyCode::ResidentCardNumber(text)),
                TagNumber(1) => Ok(IdentifyCode::MilitaryOfficerCardNumber(text)),
                TagNumber(2) => Ok(IdentifyCode::PassportNumber(text)),
                _ => Err(bad(der::ErrorKind::TagUnexpected {
                    expected: None,
                    actual: tag,
                }
                .into())),
            };
        }
        // A bare string: read as a resident card number.
        any_to_string(&any)
            .map(IdentifyCode::ResidentCardNumber)
            .ok_or_else(|| bad(der::ErrorKind::Value { tag }.into()))
    }

    /// Encode as the extension value, with an EXPLICIT tag.
    ///
    /// # Errors
    /// [`Error::InvalidString`] when the number does not fit its string type.
    pub fn to_ext_value(&self) -> Result<Vec<u8>> {
        let (n, ty) = match self {
            IdentifyCode::ResidentCardNumber(_) => (0, StringType::Printable),
            IdentifyCode::MilitaryOfficerCardNumber(_) => (1, StringType::Utf8),
            IdentifyCode::PassportNumber(_) => (2, StringType::Printable),
        };
        let inner = encode_string(self.number(), ty, "IdentifyCode")?
            .to_der()
            .map_err(|_| Error::InvalidString {
                field: "IdentifyCode",
            })?;
        let mut out = Vec::with_capacity(inner.len() + 4);
        out.push(0xA0 | n);
        push_len(&mut out, inner.len());
        out.extend_from_slice(&inner);
        Ok(out)
    }
}

fn push_len(out: &mut Vec<u8>, len: usize) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        let rest = bytes.get(skip..).unwrap_or_default();
        out.push(0x80 | rest.len() as u8);
        out.extend_from_slice(rest);
    }
}

/// Read a string-valued identity extension (PrintableString / UTF8String / IA5String, or an
/// OCTET STRING wrapping one of them, as some CAs write), leniently.
///
/// # Errors
/// [`Error::MalformedExtension`].
pub fn read_string_extension(oid: ObjectIdentifier, v: &[u8]) -> Result<String> {
    let bad = |source| Error::MalformedExtension { oid, source };
    let any = der::asn1::Any::from_der(v).map_err(bad)?;
    if let Some(s) = any_to_string(&any) {
        return Ok(s);
    }
    if any.tag() == Tag::OctetString {
        if let Ok(inner) = der::asn1::Any::from_der(any.value()) {
            if let Some(s) = any_to_string(&inner) {
                return Ok(s);
            }
        }
        if let Ok(s) = core::str::from_utf8(any.value()) {
            return Ok(s.to_owned());
        }
    }
    let tag = any.tag();
    Err(bad(der::ErrorKind::Value { tag }.into()))
}

fn string_extension(oid: ObjectIdentifier, value: &str, ty: StringType) -> Result<Extension> {
    let der = encode_string(value, ty, "identity extension")?
        .to_der()
        .map_err(|_| Error::InvalidString {
            field: "identity extension",
        })?;
    Ok(Extension {
        extn_id: oid,
        critical: false,
        extn_value: OctetString::new(der).map_err(|_| Error::InvalidString {
            field: "identity extension",
        })?,
    })
}

/// The GM/T 0015-2023 unified social credit code extension (1.2.156.10260.4.4,
/// PrintableString, non-critical).
///
/// # Errors
/// [`Error::InvalidString`].
pub fn unified_social_credit_code_extension(code: &str) -> Result<Extension> {
    string_extension(
        gmt0015_2023::UNIFIED_SOCIAL_CREDIT_CODE,
        code,
        StringType::Printable,
    )
}

/// The GM/T 0015-2023 resident identity card number extension (1.2.156.10260.4.1.1.1,
/// PrintableString, non-critical).
///
/// # Errors
/// [`Error::InvalidString`].
pub fn resident_id_number_extension(id: &str) -> Result<Extension> {
    string_extension(gmt0015_2023::RESIDENT_ID_NUMBER, id, StringType::Printable)
}

/// The GM/T 0015-2012 `IdentifyCode` extension (1.2.156.10260.4.1.1, non-critical).
///
/// # Errors
/// [`Error::InvalidString`].
pub fn identify_code_extension(code: &IdentifyCode) -> Result<Extension> {
    Ok(Extension {
        extn_id: gmt0015_2012::IDENTIFY_CODE,
        critical: false,
        extn_value: OctetString::new(code.to_ext_value()?).map_err(|_| Error::InvalidString {
            field: "IdentifyCode",
        })?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identify_code_explicit_implicit_and_bare() {
        let code = IdentifyCode::ResidentCardNumber("11010519491231002X".into());
        let explicit = code.to_ext_value().unwrap();
        assert_eq!(explicit[0], 0xA0);
        assert_eq!(IdentifyCode::from_ext_value(&explicit).unwrap(), code);
        // IMPLICIT [0]
        let mut implicit = vec![0x80, 18];
        implicit.extend_from_slice(b"11010519491231002X");
        assert_eq!(IdentifyCode::from_ext_value(&implicit).unwrap(), code);
        // bare PrintableString
        let mut bare = vec![0x13, 18];
        bare.extend_from_slice(b"11010519491231002X");
        assert_eq!(IdentifyCode::from_ext_value(&bare).unwrap(), code);
        // passport, military
        let p = IdentifyCode::PassportNumber("E12345678".into());
        assert_eq!(
            IdentifyCode::from_ext_value(&p.to_ext_value().unwrap()).unwrap(),
            p
        );
        let m = IdentifyCode::MilitaryOfficerCardNumber("军字第123号".into());
        assert_eq!(
            IdentifyCode::from_ext_value(&m.to_ext_value().unwrap()).unwrap(),
            m
        );
        assert!(IdentifyCode::from_ext_value(&[0xA5, 0x00]).is_err());
        assert!(IdentifyCode::from_ext_value(&[0xFF]).is_err());
    }

    #[test]
    fn string_extension_wrapped_in_octet_string() {
        let oid = gmt0015_2023::UNIFIED_SOCIAL_CREDIT_CODE;
        let inner = [0x13, 3, b'A', b'B', b'C'];
        let mut wrapped = vec![0x04, 5];
        wrapped.extend_from_slice(&inner);
        assert_eq!(read_string_extension(oid, &wrapped).unwrap(), "ABC");
        assert_eq!(read_string_extension(oid, &inner).unwrap(), "ABC");
        assert!(read_string_extension(oid, &[0x02, 1, 0]).is_err());
    }
}
