//! The signed attributes of RFC 5652 §11 (GM/T 0010 §8 uses the same three): building them and
//! reading them back.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use der::asn1::{ObjectIdentifier, OctetString, SetOfVec};
use der::{Any, Decode, Encode};
use x509_cert::attr::{Attribute, Attributes};
use x509_cert::time::Time;

use crate::error::{Error, Result, malformed};
use crate::oid;

/// An attribute with one value.
///
/// # Errors
/// [`Error::Malformed`] when the value cannot be encoded.
pub fn single_valued(attr_type: ObjectIdentifier, value: &impl Encode) -> Result<Attribute> {
    let der = value.to_der().map_err(malformed("attribute value"))?;
    let value = Any::from_der(&der).map_err(malformed("attribute value"))?;
    let values = SetOfVec::try_from(vec![value]).map_err(malformed("attribute value"))?;
    Ok(Attribute {
        oid: attr_type,
        values,
    })
}

/// `contentType` (RFC 5652 §11.1).
///
/// # Errors
/// As [`single_valued`].
pub fn content_type(econtent_type: ObjectIdentifier) -> Result<Attribute> {
    single_valued(oid::CONTENT_TYPE, &econtent_type)
}

/// `messageDigest` (RFC 5652 §11.2).
///
/// # Errors
/// As [`single_valued`].
pub fn message_digest(digest: &[u8]) -> Result<Attribute> {
    let os = OctetString::new(digest).map_err(malformed("messageDigest"))?;
    single_valued(oid::MESSAGE_DIGEST, &os)
}

/// `signingTime` (RFC 5652 §11.3): UTCTime until 2049, GeneralizedTime from 2050; the time is
/// truncated to whole seconds.
///
/// # Errors
/// As [`single_valued`]; times before 1970 are refused.
pub fn signing_time(at: SystemTime) -> Result<Attribute> {
    let secs = at
        .duration_since(UNIX_EPOCH)
        .map_err(|_| Error::InvalidInput("signing time before 1970"))?
        .as_secs();
    let time =
        Time::try_from(UNIX_EPOCH + Duration::from_secs(secs)).map_err(malformed("signingTime"))?;
    single_valued(oid::SIGNING_TIME, &time)
}

/// A set of attributes, sorted as DER requires.
///
/// # Errors
/// [`Error::Malformed`] when two attributes cannot be ordered (encoding failure).
pub fn attribute_set(attrs: Vec<Attribute>) -> Result<Attributes> {
    SetOfVec::try_from(attrs).map_err(malformed("attribute set"))
}

/// The single value of attribute `attr_type` in `attrs`, if present.
///
/// `Ok(None)` when absent; [`Error::Malformed`] when present with zero or several values.
pub(crate) fn find(attrs: &Attributes, attr_type: ObjectIdentifier) -> Result<Option<&Any>> {
    let mut found = attrs.iter().filter(|a| a.oid == attr_type);
    let Some(attr) = found.next() else {
        return Ok(None);
    };
    if found.next().is_some() || attr.values.len() != 1 {
        // RFC 5652 §11: each of these attributes is single-valued and appears once.
        return Err(Error::Malformed {
            what: "signed attribute (must appear once with one value)",
            source: der::ErrorKind::Value { tag: der::Tag::Set }.into(),
        });
    }
    Ok(attr.values.iter().next())
}

/// Read `contentType`.
pub(crate) fn read_content_type(value: &Any) -> Result<ObjectIdentifier> {
    value.decode_as().map_err(malformed("contentType"))
}

/// Read `messageDigest`.
pub(crate) fn read_message_digest(value: &Any) -> Result<Vec<u8>> {
    let der = value.to_der().map_err(malformed("messageDigest"))?;
    Ok(OctetString::from_der(&der)
        .map_err(malformed("messageDigest"))?
        .into_bytes()
        .into_vec())
}

/// Read `signingTime`.
pub(crate) fn read_signing_time(value: &Any) -> Result<SystemTime> {
    let t: Time = value.decode_as().map_err(malformed("signingTime"))?;
    Ok(t.to_system_time())
}
