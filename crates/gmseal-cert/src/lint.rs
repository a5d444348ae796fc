//! A profile linter: given a certificate and the role it claims, every deviation from the
//! GM/T 0015 / RFC 5280 profile this crate issues (see [`profile`](crate::profile)), as
//! structured findings with a severity.
//!
//! Severities:
//!
//! * [`Severity::Error`]: breaks GM/T 0015, GM/T 0009 or RFC 5280, or what verifiers of the
//!   role need (a signing certificate without digitalSignature, a raw or empty-ID signature,
//!   a CA without critical basicConstraints...);
//! * [`Severity::Warning`]: departs from what every real Chinese CA certificate does
//!   (`shared/notes/cert-profile.md` §3) or mixes the signing and encryption halves of the
//!   dual-certificate system;
//! * [`Severity::Notice`]: allowed variants worth knowing (the SM2 OID as SPKI algorithm,
//!   short serial numbers, a non-SHA-1 key identifier...).
//!
//! ```
//! # let pem = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/certs/nrcac-ca/ROOTCA_NRCAC_root_sm2.pem")).unwrap();
//! use gmseal_cert::{Cert, Role, lint::{lint, Severity}};
//! let root = Cert::from_pem_or_der(&pem).unwrap();
//! for finding in lint(&root, Role::RootCa) {
//!     // error: extension basicConstraints should be critical
//!     // warning: extension keyUsage should be critical
//!     println!("{finding}");
//! }
//! ```

use core::fmt;

use der::asn1::ObjectIdentifier;
use der::flagset::FlagSet;
use der::referenced::OwnedToRef;
use der::{Tag, Tagged};
use gmseal_sm2::encoding::{self, Deviation, SignatureFormat};
use gmseal_sm2::key::KeyNote;
use gmseal_sm2::{KeyError, Strictness};
use x509_cert::certificate::Version;
use x509_cert::ext::pkix::KeyUsages;
use x509_cert::time::Time;

use crate::cert::{Cert, ExtensionDeviation, key_usage_names};
use crate::identity::IdentityError;
use crate::name::{any_to_string, is_printable_string};
use crate::oid::{self, attr};
use crate::profile::Role;
use crate::signature::{SignatureAlgorithm, SignatureFailure, SignaturePolicy};
use crate::subject::{self, IdentitySource};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// An allowed variant worth knowing.
    Notice,
    /// A departure from common practice.
    Warning,
    /// A violation.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Notice => "notice",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// A finding of the linter.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Finding {
    /// How serious.
    pub severity: Severity,
    /// What.
    pub kind: FindingKind,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.severity, self.kind)
    }
}

/// What a finding is about.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FindingKind {
    /// The signature algorithm or its encoding is wrong (not SM3withSM2, parameters other than
    /// absent or NULL, inner and outer identifiers differ, BIT STRING with unused bits).
    SignatureAlgorithm(SignatureFailure),
    /// The signature value is raw `r‖s`, not DER `SEQUENCE { r, s }` (GM/T 0009 §7.3).
    RawSignature,
    /// The signature value is DER-like but not strict DER.
    NonDerSignature(Deviation),
    /// The signature value does not decode at all.
    MalformedSignature(gmseal_sm2::SignatureFormatError),
    /// The signature verifies only with the empty ID (OpenSSL 3 without `distid`).
    EmptyIdSignature,
    /// The signature verifies only without Z.
    NoZSignature,
    /// The signature does not verify under the issuer key.
    BadSignature,
    /// No issuer was given and the certificate is not self-signed: the signature was not
    /// checked.
    SignatureNotChecked,
    /// Not a v3 certificate.
    NotVersion3,
    /// The serial number is zero or negative (RFC 5280 §4.1.2.2).
    SerialNotPositive,
    /// The serial number has more than 20 octets.
    SerialTooLong {
        /// Octets.
        octets: usize,
    },
    /// The serial number has fewer than 8 octets (less than 64 bits of entropy).
    SerialShort {
        /// Octets.
        octets: usize,
    },
    /// notAfter is before notBefore.
    ValidityInverted,
    /// A validity time is GeneralizedTime before 2050 (RFC 5280 §4.1.2.5 requires UTCTime).
    GeneralizedTimeBefore2050 {
        /// `notBefore` or `notAfter`.
        field: &'static str,
    },
    /// issuerUniqueID or subjectUniqueID present (RFC 5280 §4.1.2.8: CAs must not).
    UniqueIdentifiers,
    /// The key is not an SM2 key.
    NotSm2Key(KeyError),
    /// A SubjectPublicKeyInfo variant (SM2 OID as algorithm, compressed point...).
    KeyVariant(KeyNote),
    /// A required extension is missing; carries its OID.
    MissingExtension(ObjectIdentifier),
    /// An extension has the wrong criticality.
    Criticality {
        /// The extension.
        oid: ObjectIdentifier,
        /// What the profile wants.
        expected: bool,
    },
    /// A critical extension verifiers do not process.
    UnsupportedCriticalExtension(ObjectIdentifier),
    /// An extension decoded only leniently.
    ExtensionEncoding(ExtensionDeviation),
    /// keyUsage lacks bits the role needs.
    KeyUsageMissing(FlagSet<KeyUsages>),
    /// keyUsage has bits the role should not have.
    KeyUsageUnexpected(FlagSet<KeyUsages>),
    /// basicConstraints cA is not what the role needs.
    BasicConstraintsCa {
        /// What the role needs.
        expected: bool,
    },
    /// pathLenConstraint on an end-entity certificate.
    PathLenOnEndEntity,
    /// The TSA certificate's extKeyUsage is not exactly timeStamping (RFC 3161 §2.3).
    ExtendedKeyUsageNotTimeStampingOnly,
    /// authorityKeyIdentifier is not the issuer's subjectKeyIdentifier.
    AuthorityKeyIdentifierMismatch,
    /// subjectKeyIdentifier is not SHA-1 of the key (RFC 5280 §4.2.1.2 method 1, used by every
    /// corpus certificate).
    SubjectKeyIdentifierMethod,
    /// No cRLDistributionPoints on a certificate a CRL covers.
    NoCrlDistributionPoints,
    /// The subject is empty.
    EmptySubject,
    /// countryName is not a two-letter PrintableString.
    Country,
    /// An attribute uses a string type other than the profile's (PrintableString for C and
    /// codes, UTF8String for names, IA5String for emailAddress).
    StringType {
        /// The attribute.
        oid: ObjectIdentifier,
        /// The tag found.
        found: Tag,
    },
    /// A PrintableString with characters outside its set.
    InvalidPrintableString(ObjectIdentifier),
    /// An attribute the platform spec's subject rule requires is missing; carries its OID.
    MissingSubjectAttribute(ObjectIdentifier),
    /// Two attributes that must carry the same value differ (T and 2.5.4.1; G and CN).
    SubjectValuesDiffer(ObjectIdentifier, ObjectIdentifier),
    /// The credit code fails GB 32100.
    InvalidCreditCode {
        /// Where.
        source: IdentitySource,
        /// Why.
        error: IdentityError,
    },
    /// The resident ID number fails GB 11643.
    InvalidIdNumber {
        /// Where.
        source: IdentitySource,
        /// Why.
        error: IdentityError,
    },
    /// An identity extension disagrees with the subject.
    IdentityExtensionMismatch(IdentitySource),
    /// An identity extension is critical (GM/T 0015 defines them non-critical).
    IdentityExtensionCritical(ObjectIdentifier),
    /// Dual-certificate pair: the subjects are not byte-identical.
    PairSubjectDiffers,
    /// Dual-certificate pair: the issuers differ.
    PairIssuerDiffers,
    /// Dual-certificate pair: both certificates hold the same key.
    PairSameKey,
    /// Dual-certificate pair: both certificates have the same serial number.
    PairSameSerial,
}

impl fmt::Display for FindingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use FindingKind as K;
        match self {
            K::SignatureAlgorithm(e) => write!(f, "{e}"),
            K::RawSignature => f.write_str("signature is raw r||s, not DER SEQUENCE{r,s}"),
            K::NonDerSignature(d) => write!(f, "signature is not strict DER: {d}"),
            K::MalformedSignature(e) => write!(f, "signature value: {e}"),
            K::EmptyIdSignature => {
                f.write_str("signature made with an empty SM2 ID, not 1234567812345678")
            }
            K::NoZSignature => f.write_str("signature made without Z"),
            K::BadSignature => f.write_str("signature does not verify under the issuer key"),
            K::SignatureNotChecked => f.write_str("no issuer given: signature not checked"),
            K::NotVersion3 => f.write_str("not a v3 certificate"),
            K::SerialNotPositive => f.write_str("serial number is not positive"),
            K::SerialTooLong { octets } => write!(f, "serial number has {octets} octets (> 20)"),
            K::SerialShort { octets } => write!(f, "serial number has only {octets} octets"),
            K::ValidityInverted => f.write_str("notAfter is before notBefore"),
            K::GeneralizedTimeBefore2050 { field } => {
                write!(f, "{field} is GeneralizedTime before 2050")
            }
            K::UniqueIdentifiers => f.write_str("issuer/subject unique identifiers present"),
            K::NotSm2Key(e) => write!(f, "{e}"),
            K::KeyVariant(n) => write!(f, "public key: {n}"),
            K::MissingExtension(oid) => write!(f, "extension {} missing", ext_name(oid)),
            K::Criticality { oid, expected } => write!(
                f,
                "extension {} should {}be critical",
                ext_name(oid),
                if *expected { "" } else { "not " }
            ),
            K::UnsupportedCriticalExtension(oid) => {
                write!(f, "critical extension {oid} that verifiers do not process")
            }
            K::ExtensionEncoding(d) => write!(f, "extension encoding: {d:?}"),
            K::KeyUsageMissing(b) => write!(f, "keyUsage lacks {}", key_usage_names(*b).join(",")),
            K::KeyUsageUnexpected(b) => {
                write!(f, "keyUsage has {}", key_usage_names(*b).join(","))
            }
            K::BasicConstraintsCa { expected } => {
                write!(f, "basicConstraints cA should be {expected}")
            }
            K::PathLenOnEndEntity => f.write_str("pathLenConstraint on an end-entity certificate"),
            K::ExtendedKeyUsageNotTimeStampingOnly => {
                f.write_str("extKeyUsage must be timeStamping only")
            }
            K::AuthorityKeyIdentifierMismatch => {
                f.write_str("authorityKeyIdentifier is not the issuer's subjectKeyIdentifier")
            }
            K::SubjectKeyIdentifierMethod => {
                f.write_str("subjectKeyIdentifier is not SHA-1 of the key")
            }
            K::NoCrlDistributionPoints => f.write_str("no cRLDistributionPoints"),
            K::EmptySubject => f.write_str("empty subject"),
            K::Country => f.write_str("countryName is not a two-letter PrintableString"),
            K::StringType { oid, found } => write!(f, "attribute {oid} encoded as {found}"),
            K::InvalidPrintableString(oid) => {
                write!(f, "attribute {oid}: invalid PrintableString characters")
            }
            K::MissingSubjectAttribute(oid) => write!(f, "subject lacks {oid}"),
            K::SubjectValuesDiffer(a, b) => write!(f, "subject {a} and {b} differ"),
            K::InvalidCreditCode { source, error } => {
                write!(f, "credit code in {source}: {error}")
            }
            K::InvalidIdNumber { source, error } => write!(f, "ID number in {source}: {error}"),
            K::IdentityExtensionMismatch(s) => write!(f, "{s} disagrees with the subject"),
            K::IdentityExtensionCritical(oid) => write!(f, "identity extension {oid} is critical"),
            K::PairSubjectDiffers => f.write_str("signing and encryption subjects differ"),
            K::PairIssuerDiffers => f.write_str("signing and encryption issuers differ"),
            K::PairSameKey => f.write_str("signing and encryption certificates share a key"),
            K::PairSameSerial => {
                f.write_str("signing and encryption certificates share a serial number")
            }
        }
    }
}

fn ext_name(oid: &ObjectIdentifier) -> String {
    let name = match *oid {
        oid::ID_CE_BASIC_CONSTRAINTS => "basicConstraints",
        oid::ID_CE_KEY_USAGE => "keyUsage",
        oid::ID_CE_EXT_KEY_USAGE => "extKeyUsage",
        oid::ID_CE_SUBJECT_KEY_IDENTIFIER => "subjectKeyIdentifier",
        oid::ID_CE_AUTHORITY_KEY_IDENTIFIER => "authorityKeyIdentifier",
        oid::ID_CE_CRL_DISTRIBUTION_POINTS => "cRLDistributionPoints",
        _ => return oid.to_string(),
    };
    name.to_owned()
}

const IDENTITY_ARC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.156.10260.4");

struct Out(Vec<Finding>);

impl Out {
    fn push(&mut self, severity: Severity, kind: FindingKind) {
        self.0.push(Finding { severity, kind });
    }
}

/// Lint `cert` as `role`. The signature is checked when the certificate is self-signed
/// (self-issued, with no authorityKeyIdentifier or one equal to its subjectKeyIdentifier); use
/// [`lint_with_issuer`] otherwise.
pub fn lint(cert: &Cert, role: Role) -> Vec<Finding> {
    let self_signed = cert.is_self_issued()
        && cert
            .authority_key_identifier()
            .is_none_or(|aki| Some(aki) == cert.subject_key_identifier());
    run(cert, role, self_signed.then_some(cert))
}

/// Lint `cert` as `role`, issued by `issuer` (signature and authorityKeyIdentifier checked).
pub fn lint_with_issuer(cert: &Cert, role: Role, issuer: &Cert) -> Vec<Finding> {
    run(cert, role, Some(issuer))
}

/// Does any finding have [`Severity::Error`]?
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

fn run(cert: &Cert, role: Role, issuer: Option<&Cert>) -> Vec<Finding> {
    let mut out = Out(Vec::new());
    signature(cert, issuer, &mut out);
    structure(cert, &mut out);
    key(cert, &mut out);
    extensions(cert, role, issuer, &mut out);
    subject_names(cert, role, &mut out);
    out.0.sort_by_key(|f| core::cmp::Reverse(f.severity));
    out.0
}

fn signature(cert: &Cert, issuer: Option<&Cert>, out: &mut Out) {
    match cert.signature_algorithm() {
        SignatureAlgorithm::Sm3WithSm2(_) => {}
        SignatureAlgorithm::Sm3WithSm2BadParameters(_) => out.push(
            Severity::Error,
            FindingKind::SignatureAlgorithm(SignatureFailure::BadAlgorithmParameters),
        ),
        SignatureAlgorithm::Other(oid) => {
            out.push(
                Severity::Error,
                FindingKind::SignatureAlgorithm(SignatureFailure::UnsupportedAlgorithm(*oid)),
            );
            return;
        }
    }
    if cert.signature_algorithm_der() != cert.tbs_signature_algorithm_der() {
        out.push(
            Severity::Error,
            FindingKind::SignatureAlgorithm(SignatureFailure::AlgorithmMismatch),
        );
    }
    if cert.certificate().signature().unused_bits() != 0 {
        out.push(
            Severity::Error,
            FindingKind::SignatureAlgorithm(SignatureFailure::BitStringUnusedBits),
        );
        return;
    }
    let sig = cert.signature_value();
    if encoding::decode(sig, SignatureFormat::Der, Strictness::Strict).is_err() {
        match encoding::decode(sig, SignatureFormat::Der, Strictness::Lenient) {
            Ok(d) => {
                for dev in d.deviations {
                    let kind = if dev == Deviation::RawInsteadOfDer {
                        FindingKind::RawSignature
                    } else {
                        FindingKind::NonDerSignature(dev)
                    };
                    out.push(Severity::Error, kind);
                }
            }
            Err(e) => {
                out.push(Severity::Error, FindingKind::MalformedSignature(e));
                return;
            }
        }
    }
    let Some(issuer) = issuer else {
        out.push(Severity::Notice, FindingKind::SignatureNotChecked);
        return;
    };
    let Ok(key) = issuer.public_key() else {
        return;
    };
    let lenient = SignaturePolicy {
        allow_empty_id: false,
        encoding: Strictness::Lenient,
    };
    match crate::signature::verify_signature_value(cert.tbs_der(), sig, key, &lenient) {
        Ok(_) => {}
        Err(SignatureFailure::EmptyId) => out.push(Severity::Error, FindingKind::EmptyIdSignature),
        Err(SignatureFailure::NoZ) => out.push(Severity::Error, FindingKind::NoZSignature),
        Err(_) => out.push(Severity::Error, FindingKind::BadSignature),
    }
}

fn structure(cert: &Cert, out: &mut Out) {
    let tbs = cert.certificate().tbs_certificate();
    if tbs.version() != Version::V3 {
        out.push(Severity::Error, FindingKind::NotVersion3);
    }
    let serial = cert.serial().as_bytes();
    let negative = serial.first().is_some_and(|b| b & 0x80 != 0);
    if negative || serial.iter().all(|b| *b == 0) {
        out.push(Severity::Error, FindingKind::SerialNotPositive);
    }
    // Octets of the value without the sign octet.
    let octets = serial.iter().skip_while(|b| **b == 0).count();
    if octets > 20 {
        out.push(Severity::Error, FindingKind::SerialTooLong { octets });
    } else if octets < 8 {
        out.push(Severity::Notice, FindingKind::SerialShort { octets });
    }
    if cert.not_after() < cert.not_before() {
        out.push(Severity::Error, FindingKind::ValidityInverted);
    }
    let v = tbs.validity();
    for (field, t) in [("notBefore", v.not_before), ("notAfter", v.not_after)] {
        if let Time::GeneralTime(g) = t {
            if g.to_date_time().year() < 2050 {
                out.push(
                    Severity::Error,
                    FindingKind::GeneralizedTimeBefore2050 { field },
                );
            }
        }
    }
    if tbs.issuer_unique_id().is_some() || tbs.subject_unique_id().is_some() {
        out.push(Severity::Warning, FindingKind::UniqueIdentifiers);
    }
}

fn key(cert: &Cert, out: &mut Out) {
    if let Err(crate::Error::PublicKey(e)) = cert.public_key() {
        out.push(Severity::Error, FindingKind::NotSm2Key(e));
        return;
    }
    for n in cert.key_notes() {
        let sev = match n {
            KeyNote::Sm2AlgorithmOid => Severity::Notice,
            _ => Severity::Warning,
        };
        out.push(sev, FindingKind::KeyVariant(*n));
    }
}

fn extensions(cert: &Cert, role: Role, issuer: Option<&Cert>, out: &mut Out) {
    let ext = cert.extensions();
    for d in &ext.deviations {
        out.push(Severity::Warning, FindingKind::ExtensionEncoding(*d));
    }
    for oid in ext.unsupported_critical() {
        // The GM/T 0015 identity arc 1.2.156.10260.4 (encodings of arcs are self-delimiting,
        // so a byte prefix is an arc prefix).
        let identity = oid.as_bytes().starts_with(IDENTITY_ARC.as_bytes());
        if identity {
            out.push(
                Severity::Warning,
                FindingKind::IdentityExtensionCritical(oid),
            );
        } else {
            out.push(
                Severity::Error,
                FindingKind::UnsupportedCriticalExtension(oid),
            );
        }
    }
    let self_signed = cert.is_self_issued();

    // keyUsage
    match &ext.key_usage {
        None => out.push(
            Severity::Error,
            FindingKind::MissingExtension(oid::ID_CE_KEY_USAGE),
        ),
        Some(ku) => {
            if !ku.critical {
                out.push(
                    Severity::Warning,
                    FindingKind::Criticality {
                        oid: oid::ID_CE_KEY_USAGE,
                        expected: true,
                    },
                );
            }
            key_usage(ku.value, role, out);
        }
    }

    // basicConstraints
    match &ext.basic_constraints {
        None if role.is_ca() => out.push(
            Severity::Error,
            FindingKind::MissingExtension(oid::ID_CE_BASIC_CONSTRAINTS),
        ),
        None => {}
        Some(bc) => {
            if bc.value.ca != role.is_ca() {
                out.push(
                    Severity::Error,
                    FindingKind::BasicConstraintsCa {
                        expected: role.is_ca(),
                    },
                );
            }
            if role.is_ca() && !bc.critical {
                out.push(
                    Severity::Error,
                    FindingKind::Criticality {
                        oid: oid::ID_CE_BASIC_CONSTRAINTS,
                        expected: true,
                    },
                );
            }
            if !role.is_ca() && bc.value.path_len_constraint.is_some() {
                out.push(Severity::Error, FindingKind::PathLenOnEndEntity);
            }
        }
    }

    // extKeyUsage
    if role == Role::TimeStamping {
        match &ext.extended_key_usage {
            None => out.push(
                Severity::Error,
                FindingKind::MissingExtension(oid::ID_CE_EXT_KEY_USAGE),
            ),
            Some(eku) => {
                if eku.value != [oid::ID_KP_TIME_STAMPING] {
                    out.push(
                        Severity::Error,
                        FindingKind::ExtendedKeyUsageNotTimeStampingOnly,
                    );
                }
                if !eku.critical {
                    out.push(
                        Severity::Error,
                        FindingKind::Criticality {
                            oid: oid::ID_CE_EXT_KEY_USAGE,
                            expected: true,
                        },
                    );
                }
            }
        }
    }

    // key identifiers
    match cert.subject_key_identifier() {
        None => out.push(
            if role.is_ca() {
                Severity::Error
            } else {
                Severity::Warning
            },
            FindingKind::MissingExtension(oid::ID_CE_SUBJECT_KEY_IDENTIFIER),
        ),
        Some(ski) => {
            let sha1 = crate::profile::key_identifier(
                cert.certificate()
                    .tbs_certificate()
                    .subject_public_key_info()
                    .owned_to_ref(),
            );
            if sha1.is_ok_and(|h| h != ski) {
                out.push(Severity::Notice, FindingKind::SubjectKeyIdentifierMethod);
            }
        }
    }
    match cert.authority_key_identifier() {
        None => out.push(
            if self_signed {
                Severity::Warning
            } else {
                Severity::Error
            },
            FindingKind::MissingExtension(oid::ID_CE_AUTHORITY_KEY_IDENTIFIER),
        ),
        Some(aki) => {
            let expected = if self_signed {
                cert.subject_key_identifier()
            } else {
                issuer.and_then(Cert::subject_key_identifier)
            };
            if expected.is_some_and(|e| e != aki) {
                out.push(Severity::Error, FindingKind::AuthorityKeyIdentifierMismatch);
            }
        }
    }
    if ext.criticality(oid::ID_CE_AUTHORITY_KEY_IDENTIFIER) == Some(true)
        || ext.criticality(oid::ID_CE_SUBJECT_KEY_IDENTIFIER) == Some(true)
    {
        out.push(
            Severity::Error,
            FindingKind::Criticality {
                oid: if ext.criticality(oid::ID_CE_AUTHORITY_KEY_IDENTIFIER) == Some(true) {
                    oid::ID_CE_AUTHORITY_KEY_IDENTIFIER
                } else {
                    oid::ID_CE_SUBJECT_KEY_IDENTIFIER
                },
                expected: false,
            },
        );
    }
    if role != Role::RootCa && ext.crl_distribution_points.is_empty() {
        out.push(Severity::Warning, FindingKind::NoCrlDistributionPoints);
    }
}

fn key_usage(ku: FlagSet<KeyUsages>, role: Role, out: &mut Out) {
    let (required, expected, forbidden): (
        FlagSet<KeyUsages>,
        FlagSet<KeyUsages>,
        FlagSet<KeyUsages>,
    ) = if role.is_ca() {
        (
            KeyUsages::KeyCertSign.into(),
            KeyUsages::CRLSign.into(),
            KeyUsages::KeyEncipherment
                | KeyUsages::DataEncipherment
                | KeyUsages::KeyAgreement
                | KeyUsages::EncipherOnly
                | KeyUsages::DecipherOnly,
        )
    } else if role.is_encryption() {
        (
            KeyUsages::KeyEncipherment.into(),
            KeyUsages::DataEncipherment | KeyUsages::KeyAgreement,
            KeyUsages::DigitalSignature | KeyUsages::NonRepudiation,
        )
    } else {
        (
            KeyUsages::DigitalSignature.into(),
            if matches!(role, Role::System | Role::TimeStamping) {
                FlagSet::default()
            } else {
                KeyUsages::NonRepudiation.into()
            },
            KeyUsages::KeyEncipherment
                | KeyUsages::DataEncipherment
                | KeyUsages::KeyAgreement
                | KeyUsages::EncipherOnly
                | KeyUsages::DecipherOnly,
        )
    };
    let missing = required - ku;
    if !missing.is_empty() {
        out.push(Severity::Error, FindingKind::KeyUsageMissing(missing));
    }
    let missing = expected - ku;
    if !missing.is_empty() {
        let sev = if role.is_encryption() {
            Severity::Notice
        } else {
            Severity::Warning
        };
        out.push(sev, FindingKind::KeyUsageMissing(missing));
    }
    if !role.is_ca() {
        let ca_bits = ku & (KeyUsages::KeyCertSign | KeyUsages::CRLSign);
        if !ca_bits.is_empty() {
            out.push(Severity::Error, FindingKind::KeyUsageUnexpected(ca_bits));
        }
    } else {
        // digitalSignature on CA certificates appears in test CAs; not an error.
        let ds = ku & KeyUsages::DigitalSignature;
        if !ds.is_empty() {
            out.push(Severity::Notice, FindingKind::KeyUsageUnexpected(ds));
        }
    }
    let mixed = ku & forbidden;
    if !mixed.is_empty() {
        out.push(Severity::Warning, FindingKind::KeyUsageUnexpected(mixed));
    }
}

fn subject_names(cert: &Cert, role: Role, out: &mut Out) {
    let name = cert.subject();
    if name.is_empty() {
        out.push(Severity::Error, FindingKind::EmptySubject);
        return;
    }
    for atv in name.iter() {
        let tag = atv.value.tag();
        match atv.oid {
            attr::COUNTRY => {
                let ok = tag == Tag::PrintableString
                    && any_to_string(&atv.value)
                        .is_some_and(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()));
                if !ok {
                    out.push(Severity::Error, FindingKind::Country);
                }
            }
            attr::EMAIL_ADDRESS | attr::DOMAIN_COMPONENT => {
                if tag != Tag::Ia5String {
                    out.push(
                        Severity::Warning,
                        FindingKind::StringType {
                            oid: atv.oid,
                            found: tag,
                        },
                    );
                }
            }
            _ => {
                if matches!(
                    tag,
                    Tag::BmpString | Tag::TeletexString | Tag::VisibleString | Tag::Ia5String
                ) {
                    out.push(
                        Severity::Warning,
                        FindingKind::StringType {
                            oid: atv.oid,
                            found: tag,
                        },
                    );
                }
            }
        }
        if tag == Tag::PrintableString
            && !any_to_string(&atv.value).is_some_and(|s| is_printable_string(&s))
        {
            out.push(
                Severity::Error,
                FindingKind::InvalidPrintableString(atv.oid),
            );
        }
    }
    if role.has_organisation_subject() || role.has_personal_subject() {
        subject_rule(cert, role, out);
    }
}

/// The platform spec's rule (spec 001, certificate format): code in T and 2.5.4.1, name in G
/// and CN.
fn subject_rule(cert: &Cert, role: Role, out: &mut Out) {
    let name = cert.subject();
    let get = |oid| crate::name::attribute_value(name, oid);
    for oid in [
        attr::TITLE,
        attr::ALIASED_ENTRY_NAME,
        attr::GIVEN_NAME,
        attr::COMMON_NAME,
    ] {
        if get(oid).is_none() {
            out.push(Severity::Error, FindingKind::MissingSubjectAttribute(oid));
        }
    }
    if let (Some(t), Some(a)) = (get(attr::TITLE), get(attr::ALIASED_ENTRY_NAME)) {
        if t != a {
            out.push(
                Severity::Error,
                FindingKind::SubjectValuesDiffer(attr::TITLE, attr::ALIASED_ENTRY_NAME),
            );
        }
    }
    if let (Some(g), Some(c)) = (get(attr::GIVEN_NAME), get(attr::COMMON_NAME)) {
        if g != c {
            out.push(
                Severity::Warning,
                FindingKind::SubjectValuesDiffer(attr::GIVEN_NAME, attr::COMMON_NAME),
            );
        }
    }
    for atv in name.iter() {
        if matches!(atv.oid, attr::TITLE | attr::ALIASED_ENTRY_NAME)
            && atv.value.tag() != Tag::PrintableString
            && atv.value.tag() != Tag::Utf8String
        {
            out.push(
                Severity::Warning,
                FindingKind::StringType {
                    oid: atv.oid,
                    found: atv.value.tag(),
                },
            );
        }
    }
    let candidates = if role.has_organisation_subject() {
        subject::credit_codes(cert)
    } else {
        subject::id_numbers(cert)
    };
    let primary = candidates
        .iter()
        .find(|c| c.source == IdentitySource::SubjectTitle)
        .map(|c| c.value.clone());
    for c in &candidates {
        let in_subject_rule = matches!(
            c.source,
            IdentitySource::SubjectTitle | IdentitySource::SubjectAliasedEntryName
        );
        if let Err(error) = &c.validation {
            if in_subject_rule {
                let kind = if role.has_organisation_subject() {
                    FindingKind::InvalidCreditCode {
                        source: c.source,
                        error: error.clone(),
                    }
                } else {
                    FindingKind::InvalidIdNumber {
                        source: c.source,
                        error: error.clone(),
                    }
                };
                out.push(Severity::Error, kind);
            }
        }
        let is_extension = matches!(
            c.source,
            IdentitySource::Gmt0015_2023CreditCode
                | IdentitySource::Gmt0015_2023ResidentId
                | IdentitySource::Gmt0015_2012IdentifyCode
        );
        if is_extension && primary.as_ref().is_some_and(|p| *p != c.value) {
            out.push(
                Severity::Warning,
                FindingKind::IdentityExtensionMismatch(c.source),
            );
        }
    }
}

/// Lint a dual-certificate pair (signing and encryption certificate of one subscriber):
/// byte-identical subjects and issuers (GmSSL's TLCP pair check), different keys and serials,
/// plus each certificate against its role.
pub fn lint_pair(sign: &Cert, enc: &Cert, sign_role: Role, enc_role: Role) -> Vec<Finding> {
    let mut out = Out(Vec::new());
    if sign.subject() != enc.subject() {
        out.push(Severity::Error, FindingKind::PairSubjectDiffers);
    }
    if sign.issuer() != enc.issuer() {
        out.push(Severity::Error, FindingKind::PairIssuerDiffers);
    }
    if sign.public_key().ok() == enc.public_key().ok() {
        out.push(Severity::Error, FindingKind::PairSameKey);
    }
    if sign.serial() == enc.serial() {
        out.push(Severity::Error, FindingKind::PairSameSerial);
    }
    let mut v = out.0;
    v.extend(lint(sign, sign_role));
    v.extend(lint(enc, enc_role));
    v.sort_by_key(|f| core::cmp::Reverse(f.severity));
    v
}
