//! Subject names of organisation and personal certificates as the platform spec requires
//! (spec 001, certificate format section): the unified social credit code (organisations) or
//! the ID number (persons) in `T` (title, 2.5.4.12) and in 2.5.4.1, the unit or person name in
//! `G` (givenName, 2.5.4.42) and `CN`. Typed builders, and readers that find these values in
//! any certificate through a fallback chain.
//!
//! Readers, in order of authority (`shared/notes/cert-profile.md` §3.4–3.5):
//!
//! * credit code: subject T, subject 2.5.4.1, GM/T 0015-2023 extension 1.2.156.10260.4.4,
//!   GM/T 0015-2012 OrganizationCode extension 1.2.156.10260.4.1.4, subject
//!   organizationIdentifier (2.5.4.97, an `NTRCN-` style prefix removed), subject serialNumber,
//!   the legacy extension 1.2.86.11.7.4, a `name@code` suffix of CN;
//! * ID number: subject T, subject 2.5.4.1, GM/T 0015-2023 extension 1.2.156.10260.4.1.1.1,
//!   GM/T 0015-2012 IdentifyCode 1.2.156.10260.4.1.1, subject serialNumber, a `name@number`
//!   suffix of CN;
//! * unit or person name: subject G, CN (without an `@` suffix), O (units only).
//!
//! Values are checked (GB 32100 for credit codes, GB 11643 for resident ID numbers); the
//! reader returns the first valid value and otherwise the first found, with why it is invalid.

use core::fmt;

use der::asn1::ObjectIdentifier;
use x509_cert::ext::Extension;
use x509_cert::name::Name;

use crate::cert::Cert;
use crate::error::{Error, Result};
use crate::gmt0015::{
    IdentifyCode, read_string_extension, resident_id_number_extension,
    unified_social_credit_code_extension,
};
use crate::identity::{IdentityError, validate_resident_id, validate_uscc};
use crate::name::{NameBuilder, StringType, attribute_values};
use crate::oid::{LEGACY_CREDIT_CODE, attr, gmt0015_2012, gmt0015_2023};

/// The optional location and organisation attributes shared by both subject kinds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SubjectPlace {
    /// C (PrintableString); `CN` when `None`.
    pub country: Option<String>,
    /// ST.
    pub province: Option<String>,
    /// L.
    pub locality: Option<String>,
    /// O.
    pub organization: Option<String>,
    /// OU.
    pub organizational_unit: Option<String>,
}

impl SubjectPlace {
    fn push(&self, b: NameBuilder) -> Result<NameBuilder> {
        let mut b = b.country(self.country.as_deref().unwrap_or("CN"))?;
        if let Some(v) = &self.province {
            b = b.state(v)?;
        }
        if let Some(v) = &self.locality {
            b = b.locality(v)?;
        }
        if let Some(v) = &self.organization {
            b = b.organization(v)?;
        }
        if let Some(v) = &self.organizational_unit {
            b = b.organizational_unit(v)?;
        }
        Ok(b)
    }
}

/// The subject name spec 001 asks of organisation and personal certificates: the identifier
/// (credit code or ID number) in T (2.5.4.12) and 2.5.4.1, the name in G (2.5.4.42) and CN,
/// after the place attributes.
fn identity_name(place: &SubjectPlace, identifier: &str, name: &str) -> Result<Name> {
    Ok(place
        .push(NameBuilder::new())?
        .push(attr::TITLE, identifier, StringType::Printable, "T")?
        .push(
            attr::ALIASED_ENTRY_NAME,
            identifier,
            StringType::Printable,
            "2.5.4.1",
        )?
        .push(attr::GIVEN_NAME, name, StringType::Utf8, "G")?
        .common_name(name)?
        .build())
}

/// The subject of an organisation (unit, 单位) certificate: `C, [ST, L, O, OU], T=code,
/// 2.5.4.1=code, G=unit name, CN=unit name`, codes as PrintableString, names as UTF8String.
///
/// ```
/// use gmseal_cert::subject::OrganisationSubject;
/// use gmseal_cert::name::display_name;
/// let s = OrganisationSubject::new("测试有限公司", "91350100M000100Y43").unwrap();
/// assert_eq!(
///     display_name(&s.to_name().unwrap()),
///     "C=CN,T=91350100M000100Y43,2.5.4.1=91350100M000100Y43,G=测试有限公司,CN=测试有限公司"
/// );
/// assert!(OrganisationSubject::new("x", "91350100M000100Y44").is_err()); // check character
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationSubject {
    unit_name: String,
    credit_code: String,
    /// Location and organisation attributes.
    pub place: SubjectPlace,
    /// Also write the GM/T 0015-2023 credit-code extension (1.2.156.10260.4.4). On by
    /// default.
    pub identity_extension: bool,
}

impl OrganisationSubject {
    /// A subject for `unit_name` with `credit_code`, which must be a valid GB 32100 code.
    ///
    /// # Errors
    /// [`Error::Identity`] for an invalid code, [`Error::InvalidProfileInput`] for an empty
    /// name.
    pub fn new(unit_name: &str, credit_code: &str) -> Result<Self> {
        if unit_name.trim().is_empty() {
            return Err(Error::InvalidProfileInput {
                what: "empty unit name",
            });
        }
        validate_uscc(credit_code).map_err(|source| Error::Identity {
            field: "unified social credit code",
            source,
        })?;
        Ok(OrganisationSubject {
            unit_name: unit_name.to_owned(),
            credit_code: credit_code.to_owned(),
            place: SubjectPlace::default(),
            identity_extension: true,
        })
    }

    /// Set the location and organisation attributes.
    pub fn with_place(mut self, place: SubjectPlace) -> Self {
        self.place = place;
        self
    }

    /// The unit name.
    pub fn unit_name(&self) -> &str {
        &self.unit_name
    }

    /// The credit code.
    pub fn credit_code(&self) -> &str {
        &self.credit_code
    }

    /// The subject name.
    ///
    /// # Errors
    /// [`Error::InvalidString`] for a country that is not two letters.
    pub fn to_name(&self) -> Result<Name> {
        identity_name(&self.place, &self.credit_code, &self.unit_name)
    }

    /// The identity extensions to add (the 2023 credit-code extension, if enabled).
    ///
    /// # Errors
    /// [`Error::InvalidString`] (not for a validated code).
    pub fn identity_extensions(&self) -> Result<Vec<Extension>> {
        if self.identity_extension {
            Ok(vec![unified_social_credit_code_extension(
                &self.credit_code,
            )?])
        } else {
            Ok(Vec::new())
        }
    }
}

/// The kind of a personal ID number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PersonalIdKind {
    /// A resident identity card number (GB 11643, checked).
    ResidentId,
    /// Another document (passport, permit...): not checked beyond being printable.
    Other,
}

/// The subject of a personal certificate: `C, [ST, L, O, OU], T=ID number, 2.5.4.1=ID
/// number, G=name, CN=name`.
///
/// ```
/// use gmseal_cert::subject::PersonalSubject;
/// let s = PersonalSubject::resident("张三", "11010519491231002X").unwrap();
/// assert_eq!(s.id_number(), "11010519491231002X");
/// assert!(PersonalSubject::resident("张三", "110105194912310021").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonalSubject {
    name: String,
    id_number: String,
    kind: PersonalIdKind,
    /// Location and organisation attributes.
    pub place: SubjectPlace,
    /// Also write the GM/T 0015-2023 resident-ID extension (1.2.156.10260.4.1.1.1) for
    /// resident ID numbers. On by default.
    pub identity_extension: bool,
}

impl PersonalSubject {
    /// A person identified by a resident identity card number (checked, GB 11643).
    ///
    /// # Errors
    /// [`Error::Identity`], [`Error::InvalidProfileInput`] for an empty name.
    pub fn resident(name: &str, id_number: &str) -> Result<Self> {
        validate_resident_id(id_number).map_err(|source| Error::Identity {
            field: "resident ID number",
            source,
        })?;
        Self::with_kind(name, id_number, PersonalIdKind::ResidentId)
    }

    /// A person identified by another document number (passport...): printable characters
    /// only.
    ///
    /// # Errors
    /// [`Error::InvalidString`], [`Error::InvalidProfileInput`].
    pub fn other_document(name: &str, number: &str) -> Result<Self> {
        if number.is_empty() || !crate::name::is_printable_string(number) {
            return Err(Error::InvalidString { field: "ID number" });
        }
        Self::with_kind(name, number, PersonalIdKind::Other)
    }

    fn with_kind(name: &str, id: &str, kind: PersonalIdKind) -> Result<Self> {
        if name.trim().is_empty() {
            return Err(Error::InvalidProfileInput {
                what: "empty person name",
            });
        }
        Ok(PersonalSubject {
            name: name.to_owned(),
            id_number: id.to_owned(),
            kind,
            place: SubjectPlace::default(),
            identity_extension: true,
        })
    }

    /// Set the location and organisation attributes.
    pub fn with_place(mut self, place: SubjectPlace) -> Self {
        self.place = place;
        self
    }

    /// The name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The ID number.
    pub fn id_number(&self) -> &str {
        &self.id_number
    }

    /// The kind of ID number.
    pub fn id_kind(&self) -> PersonalIdKind {
        self.kind
    }

    /// The subject name.
    ///
    /// # Errors
    /// [`Error::InvalidString`].
    pub fn to_name(&self) -> Result<Name> {
        identity_name(&self.place, &self.id_number, &self.name)
    }

    /// The identity extensions to add.
    ///
    /// # Errors
    /// [`Error::InvalidString`].
    pub fn identity_extensions(&self) -> Result<Vec<Extension>> {
        if self.identity_extension && self.kind == PersonalIdKind::ResidentId {
            Ok(vec![resident_id_number_extension(&self.id_number)?])
        } else {
            Ok(Vec::new())
        }
    }
}

/// Where an identity value was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IdentitySource {
    /// Subject `T` (2.5.4.12) — the platform spec's place.
    SubjectTitle,
    /// Subject 2.5.4.1 — the platform spec's place.
    SubjectAliasedEntryName,
    /// Subject `G` (2.5.4.42) — the platform spec's place for names.
    SubjectGivenName,
    /// Subject CN.
    SubjectCommonName,
    /// A `name@code` suffix of the subject CN.
    SubjectCommonNameSuffix,
    /// Subject O.
    SubjectOrganization,
    /// Subject organizationIdentifier (2.5.4.97).
    SubjectOrganizationIdentifier,
    /// Subject serialNumber (2.5.4.5).
    SubjectSerialNumber,
    /// GM/T 0015-2023 unified social credit code extension (1.2.156.10260.4.4).
    Gmt0015_2023CreditCode,
    /// GM/T 0015-2023 resident ID number extension (1.2.156.10260.4.1.1.1).
    Gmt0015_2023ResidentId,
    /// GM/T 0015-2023 passport number extension (1.2.156.10260.4.1.1.2).
    Gmt0015_2023Passport,
    /// GM/T 0015-2012 OrganizationCode extension (1.2.156.10260.4.1.4).
    Gmt0015_2012OrganizationCode,
    /// GM/T 0015-2012 IdentifyCode extension (1.2.156.10260.4.1.1).
    Gmt0015_2012IdentifyCode,
    /// Legacy extension 1.2.86.11.7.4.
    LegacyExtension,
}

impl fmt::Display for IdentitySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            IdentitySource::SubjectTitle => "subject T (2.5.4.12)",
            IdentitySource::SubjectAliasedEntryName => "subject 2.5.4.1",
            IdentitySource::SubjectGivenName => "subject G (2.5.4.42)",
            IdentitySource::SubjectCommonName => "subject CN",
            IdentitySource::SubjectCommonNameSuffix => "suffix of subject CN",
            IdentitySource::SubjectOrganization => "subject O",
            IdentitySource::SubjectOrganizationIdentifier => "subject organizationIdentifier",
            IdentitySource::SubjectSerialNumber => "subject serialNumber",
            IdentitySource::Gmt0015_2023CreditCode => "GM/T 0015-2023 extension 1.2.156.10260.4.4",
            IdentitySource::Gmt0015_2023ResidentId => {
                "GM/T 0015-2023 extension 1.2.156.10260.4.1.1.1"
            }
            IdentitySource::Gmt0015_2023Passport => {
                "GM/T 0015-2023 extension 1.2.156.10260.4.1.1.2"
            }
            IdentitySource::Gmt0015_2012OrganizationCode => {
                "GM/T 0015-2012 extension 1.2.156.10260.4.1.4"
            }
            IdentitySource::Gmt0015_2012IdentifyCode => {
                "GM/T 0015-2012 extension 1.2.156.10260.4.1.1"
            }
            IdentitySource::LegacyExtension => "extension 1.2.86.11.7.4",
        })
    }
}

/// An identity value found in a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityValue {
    /// The value.
    pub value: String,
    /// Where it was found.
    pub source: IdentitySource,
    /// Whether it passes its check (credit codes: GB 32100; ID numbers: GB 11643 when it looks
    /// like a resident ID number; names: always `Ok`).
    pub validation: core::result::Result<(), IdentityError>,
}

impl IdentityValue {
    /// Is the value valid?
    pub fn is_valid(&self) -> bool {
        self.validation.is_ok()
    }
}

fn ext_string(cert: &Cert, oid: ObjectIdentifier) -> Option<String> {
    cert.certificate()
        .tbs_certificate()
        .extensions()?
        .iter()
        .find(|e| e.extn_id == oid)
        .and_then(|e| read_string_extension(oid, e.extn_value.as_bytes()).ok())
}

fn cn_split(cert: &Cert) -> Option<(String, String)> {
    attribute_values(cert.subject(), attr::COMMON_NAME)
        .into_iter()
        .find_map(|cn| {
            cn.rsplit_once('@')
                .map(|(a, b)| (a.trim().to_owned(), b.trim().to_owned()))
        })
}

fn strip_semantics_prefix(v: &str) -> String {
    // ETSI EN 319 412-1 semantics identifiers: three letters, two country letters, '-'.
    let b = v.as_bytes();
    if b.len() > 6 && b.get(5) == Some(&b'-') && b.iter().take(5).all(u8::is_ascii_uppercase) {
        v.get(6..).unwrap_or(v).to_owned()
    } else {
        v.to_owned()
    }
}

/// Every credit-code candidate in the certificate, in order of authority.
pub fn credit_codes(cert: &Cert) -> Vec<IdentityValue> {
    let mut out: Vec<(String, IdentitySource)> = Vec::new();
    let subj = cert.subject();
    for v in attribute_values(subj, attr::TITLE) {
        out.push((v, IdentitySource::SubjectTitle));
    }
    for v in attribute_values(subj, attr::ALIASED_ENTRY_NAME) {
        out.push((v, IdentitySource::SubjectAliasedEntryName));
    }
    if let Some(v) = ext_string(cert, gmt0015_2023::UNIFIED_SOCIAL_CREDIT_CODE) {
        out.push((v, IdentitySource::Gmt0015_2023CreditCode));
    }
    if let Some(v) = ext_string(cert, gmt0015_2012::ORGANIZATION_CODE) {
        out.push((v, IdentitySource::Gmt0015_2012OrganizationCode));
    }
    for v in attribute_values(subj, attr::ORGANIZATION_IDENTIFIER) {
        out.push((
            strip_semantics_prefix(&v),
            IdentitySource::SubjectOrganizationIdentifier,
        ));
    }
    for v in attribute_values(subj, attr::SERIAL_NUMBER) {
        out.push((v, IdentitySource::SubjectSerialNumber));
    }
    if let Some(v) = ext_string(cert, LEGACY_CREDIT_CODE) {
        out.push((v, IdentitySource::LegacyExtension));
    }
    if let Some((_, code)) = cn_split(cert) {
        out.push((code, IdentitySource::SubjectCommonNameSuffix));
    }
    out.into_iter()
        .map(|(value, source)| IdentityValue {
            validation: validate_uscc(&value),
            value,
            source,
        })
        .collect()
}

fn pick(candidates: Vec<IdentityValue>) -> Option<IdentityValue> {
    let first_valid = candidates.iter().position(IdentityValue::is_valid);
    match first_valid {
        Some(i) => candidates.into_iter().nth(i),
        None => candidates.into_iter().next(),
    }
}

/// The unified social credit code: the first valid candidate of [`credit_codes`], else the
/// first candidate (with its validation error).
pub fn credit_code(cert: &Cert) -> Option<IdentityValue> {
    pick(credit_codes(cert))
}

fn check_id(v: &str) -> core::result::Result<(), IdentityError> {
    let looks_resident = v.chars().count() == 18
        && v.chars()
            .enumerate()
            .all(|(i, c)| c.is_ascii_digit() || (i == 17 && c == 'X'));
    if looks_resident {
        validate_resident_id(v)
    } else {
        Ok(())
    }
}

/// Every personal ID number candidate, in order of authority. Values that look like resident
/// ID numbers (18 characters, digits and a final X) are checked; others are passed as valid.
pub fn id_numbers(cert: &Cert) -> Vec<IdentityValue> {
    let mut out: Vec<(String, IdentitySource)> = Vec::new();
    let subj = cert.subject();
    for v in attribute_values(subj, attr::TITLE) {
        out.push((v, IdentitySource::SubjectTitle));
    }
    for v in attribute_values(subj, attr::ALIASED_ENTRY_NAME) {
        out.push((v, IdentitySource::SubjectAliasedEntryName));
    }
    if let Some(v) = ext_string(cert, gmt0015_2023::RESIDENT_ID_NUMBER) {
        out.push((v, IdentitySource::Gmt0015_2023ResidentId));
    }
    if let Some(v) = ext_string(cert, gmt0015_2023::PASSPORT_NUMBER) {
        out.push((v, IdentitySource::Gmt0015_2023Passport));
    }
    let code = cert
        .certificate()
        .tbs_certificate()
        .extensions()
        .and_then(|exts| {
            exts.iter()
                .find(|e| e.extn_id == gmt0015_2012::IDENTIFY_CODE)
        })
        .and_then(|e| IdentifyCode::from_ext_value(e.extn_value.as_bytes()).ok());
    if let Some(c) = code {
        out.push((
            c.number().to_owned(),
            IdentitySource::Gmt0015_2012IdentifyCode,
        ));
    }
    for v in attribute_values(subj, attr::SERIAL_NUMBER) {
        out.push((v, IdentitySource::SubjectSerialNumber));
    }
    if let Some((_, id)) = cn_split(cert) {
        out.push((id, IdentitySource::SubjectCommonNameSuffix));
    }
    out.into_iter()
        .map(|(value, source)| IdentityValue {
            validation: check_id(&value),
            value,
            source,
        })
        .collect()
}

/// The personal ID number: the first valid candidate of [`id_numbers`], else the first.
pub fn id_number(cert: &Cert) -> Option<IdentityValue> {
    pick(id_numbers(cert))
}

fn names(cert: &Cert, with_o: bool) -> Vec<IdentityValue> {
    let subj = cert.subject();
    let mut out = Vec::new();
    for v in attribute_values(subj, attr::GIVEN_NAME) {
        out.push((v, IdentitySource::SubjectGivenName));
    }
    for cn in attribute_values(subj, attr::COMMON_NAME) {
        let v = cn
            .rsplit_once('@')
            .map_or(cn.as_str(), |(a, _)| a)
            .trim()
            .to_owned();
        out.push((v, IdentitySource::SubjectCommonName));
    }
    if with_o {
        for v in attribute_values(subj, attr::ORGANIZATION) {
            out.push((v, IdentitySource::SubjectOrganization));
        }
    }
    out.into_iter()
        .filter(|(v, _)| !v.is_empty())
        .map(|(value, source)| IdentityValue {
            value,
            source,
            validation: Ok(()),
        })
        .collect()
}

/// The unit name: subject G, else CN (without an `@` suffix), else O.
pub fn unit_name(cert: &Cert) -> Option<IdentityValue> {
    names(cert, true).into_iter().next()
}

/// The person's name: subject G, else CN (without an `@` suffix).
pub fn person_name(cert: &Cert) -> Option<IdentityValue> {
    names(cert, false).into_iter().next()
}
