//! Object identifiers used by SM2 certificates that `const-oid`'s database lacks or names
//! differently. Algorithm OIDs (SM2, SM3, SM3withSM2) are in [`gmseal_sm2::oid`].

use der::asn1::ObjectIdentifier;

pub use const_oid::db::rfc5280::{
    ID_CE_AUTHORITY_KEY_IDENTIFIER, ID_CE_BASIC_CONSTRAINTS, ID_CE_CERTIFICATE_POLICIES,
    ID_CE_CRL_DISTRIBUTION_POINTS, ID_CE_CRL_NUMBER, ID_CE_CRL_REASONS, ID_CE_DELTA_CRL_INDICATOR,
    ID_CE_EXT_KEY_USAGE, ID_CE_INHIBIT_ANY_POLICY, ID_CE_INVALIDITY_DATE, ID_CE_ISSUER_ALT_NAME,
    ID_CE_ISSUING_DISTRIBUTION_POINT, ID_CE_KEY_USAGE, ID_CE_NAME_CONSTRAINTS,
    ID_CE_POLICY_CONSTRAINTS, ID_CE_POLICY_MAPPINGS, ID_CE_SUBJECT_ALT_NAME,
    ID_CE_SUBJECT_KEY_IDENTIFIER, ID_KP_TIME_STAMPING, ID_PE_AUTHORITY_INFO_ACCESS,
};

/// X.520 name attributes.
pub mod attr {
    use super::ObjectIdentifier;

    /// `aliasedEntryName` (2.5.4.1). The platform spec (spec 001, certificate format) puts the
    /// credit code or ID number here; X.520 defines it with DistinguishedName syntax, so
    /// readers must not assume a string.
    pub const ALIASED_ENTRY_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.1");
    /// `commonName` (CN).
    pub const COMMON_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");
    /// `surname` (SN).
    pub const SURNAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.4");
    /// `serialNumber`.
    pub const SERIAL_NUMBER: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.5");
    /// `countryName` (C).
    pub const COUNTRY: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.6");
    /// `localityName` (L).
    pub const LOCALITY: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.7");
    /// `stateOrProvinceName` (ST).
    pub const STATE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.8");
    /// `streetAddress` (STREET).
    pub const STREET: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.9");
    /// `organizationName` (O).
    pub const ORGANIZATION: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.10");
    /// `organizationalUnitName` (OU).
    pub const ORGANIZATIONAL_UNIT: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.11");
    /// `title` — the "T" of the platform spec's subject rule (BouncyCastle and Windows use
    /// "T" for 2.5.4.12).
    pub const TITLE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.12");
    /// `givenName` — the "G" of the platform spec's subject rule (Windows "G").
    pub const GIVEN_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.42");
    /// `organizationIdentifier` (X.520 2016).
    pub const ORGANIZATION_IDENTIFIER: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.97");
    /// `emailAddress` (PKCS #9).
    pub const EMAIL_ADDRESS: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.1");
    /// `userId` (UID).
    pub const USER_ID: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.1");
    /// `domainComponent` (DC).
    pub const DOMAIN_COMPONENT: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.25");
}

/// Chinese identity extensions of GM/T 0015-2012 (arc 1.2.156.10260.4.1), all non-critical.
pub mod gmt0015_2012 {
    use super::ObjectIdentifier;

    /// `IdentifyCode` (个人身份标识码): a CHOICE of resident card, officer card or passport
    /// number.
    pub const IDENTIFY_CODE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.156.10260.4.1.1");
    /// `InsuranceNumber` (个人社会保险号).
    pub const INSURANCE_NUMBER: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("1.2.156.10260.4.1.2");
    /// `ICRegistrationNumber` (企业工商注册号).
    pub const IC_REGISTRATION_NUMBER: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("1.2.156.10260.4.1.3");
    /// `OrganizationCode` (企业组织机构代码).
    pub const ORGANIZATION_CODE: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("1.2.156.10260.4.1.4");
    /// `TaxationNumber` (企业税号).
    pub const TAXATION_NUMBER: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("1.2.156.10260.4.1.5");
}

/// Identity extensions of GM/T 0015-2023, as implemented by xipki 6.7 (the standard's text was
/// not available; see `shared/notes/cert-profile.md` §3.5).
pub mod gmt0015_2023 {
    use super::ObjectIdentifier;

    /// Resident identity card number (PrintableString).
    pub const RESIDENT_ID_NUMBER: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("1.2.156.10260.4.1.1.1");
    /// Passport number (UTF8String).
    pub const PASSPORT_NUMBER: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("1.2.156.10260.4.1.1.2");
    /// Unified social credit code, 统一社会信用代码 (PrintableString).
    pub const UNIFIED_SOCIAL_CREDIT_CODE: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("1.2.156.10260.4.4");
}

/// Legacy RSA-era identity extension seen in CA integration code: 1.2.86.11.7.4, the credit
/// code (**unverified**: one integration sample, no public certificate).
pub const LEGACY_CREDIT_CODE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.86.11.7.4");

/// Netscape certificate type (legacy; seen in the 2012 TopSec root).
pub const NETSCAPE_CERT_TYPE: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("2.16.840.1.113730.1.1");
/// Netscape comment (legacy).
pub const NETSCAPE_COMMENT: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("2.16.840.1.113730.1.13");

/// The short name of a name attribute, as OpenSSL and the platform spec print it (`T` and `G`
/// as the spec writes them), or `None` for attributes without one.
pub fn attribute_short_name(oid: &ObjectIdentifier) -> Option<&'static str> {
    Some(match *oid {
        attr::COMMON_NAME => "CN",
        attr::SURNAME => "SN",
        attr::SERIAL_NUMBER => "serialNumber",
        attr::COUNTRY => "C",
        attr::LOCALITY => "L",
        attr::STATE => "ST",
        attr::STREET => "STREET",
        attr::ORGANIZATION => "O",
        attr::ORGANIZATIONAL_UNIT => "OU",
        attr::TITLE => "T",
        attr::GIVEN_NAME => "G",
        attr::ALIASED_ENTRY_NAME => "2.5.4.1",
        attr::ORGANIZATION_IDENTIFIER => "organizationIdentifier",
        attr::EMAIL_ADDRESS => "emailAddress",
        attr::USER_ID => "UID",
        attr::DOMAIN_COMPONENT => "DC",
        _ => return None,
    })
}
