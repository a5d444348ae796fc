//! The certificate subject rule of spec 001 (§"数字证书格式规范"):
//!
//! * organisation certificate: the T item and the 2.5.4.1 item carry the unified social credit
//!   code, the G item and CN carry the organisation name;
//! * personal certificate: T and 2.5.4.1 carry the identity-document number, G and CN the
//!   person's name.
//!
//! "T" is read as `title` (2.5.4.12) and "G" as `givenName` (2.5.4.42), the usual X.520 short
//! names; 2.5.4.1 is X.520 `aliasedEntryName`, which the specification uses as a plain string
//! attribute. Only what can be checked without outside data is checked: the items are present,
//! T equals 2.5.4.1 and is a valid credit code (or resident ID number), G equals CN.

use der::asn1::ObjectIdentifier;
use x509_cert::Certificate;

/// `title` (X.520), the "T" item.
pub const TITLE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.12");
/// 2.5.4.1 (`aliasedEntryName` in X.520), the credit code or ID number.
pub const ALIASED_ENTRY_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.1");
/// `givenName` (X.520), the "G" item.
pub const GIVEN_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.42");
/// `commonName`.
pub const COMMON_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");

/// The string value of the first attribute `oid` of the subject.
pub fn subject_attribute(cert: &Certificate, oid: ObjectIdentifier) -> Option<String> {
    cert.tbs_certificate()
        .subject()
        .iter()
        .find(|atv| atv.oid == oid)
        .and_then(|atv| match der::Tagged::tag(&atv.value) {
            der::Tag::Utf8String
            | der::Tag::PrintableString
            | der::Tag::Ia5String
            | der::Tag::TeletexString => core::str::from_utf8(atv.value.value())
                .ok()
                .map(str::to_owned),
            _ => None,
        })
}

/// The problems of `cert`'s subject under the rule (empty when it conforms). `personal` selects
/// the personal-certificate form.
pub fn check_subject(cert: &Certificate, personal: bool) -> Vec<String> {
    let mut problems = Vec::new();
    let t = subject_attribute(cert, TITLE);
    let a = subject_attribute(cert, ALIASED_ENTRY_NAME);
    let g = subject_attribute(cert, GIVEN_NAME);
    let cn = subject_attribute(cert, COMMON_NAME);
    let what = if personal {
        "identity number"
    } else {
        "credit code"
    };
    match (&t, &a) {
        (None, _) => problems.push(format!("no T (2.5.4.12) item with the {what}")),
        (_, None) => problems.push(format!("no 2.5.4.1 item with the {what}")),
        (Some(t), Some(a)) if t != a => problems.push(format!("T {t:?} and 2.5.4.1 {a:?} differ")),
        (Some(t), Some(_)) => {
            let check = if personal {
                gmseal_cert::identity::validate_resident_id(t)
            } else {
                gmseal_cert::identity::validate_uscc(t)
            };
            if let Err(e) = check {
                problems.push(format!("T {t:?} is not a valid {what}: {e}"));
            }
        }
    }
    match (&g, &cn) {
        (None, _) => problems.push("no G (2.5.4.42) item with the name".into()),
        (_, None) => problems.push("no CN item with the name".into()),
        (Some(g), Some(cn)) if g != cn => problems.push(format!("G {g:?} and CN {cn:?} differ")),
        _ => {}
    }
    problems
}
