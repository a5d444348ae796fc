//! The standard extensions of a certificate, decoded once (RFC 5280 §4.2, GM/T 0015 tables
//! C.1–C.4).

use der::asn1::{BitStringRef, ObjectIdentifier};
use der::flagset::FlagSet;
use der::{Decode, Sequence};
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, CrlDistributionPoints, ExtendedKeyUsage, KeyUsage,
    KeyUsages, SubjectKeyIdentifier,
};

use crate::error::{Error, Result};
use crate::oid;

/// An extension value with its criticality.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ext<T> {
    /// The decoded value.
    pub value: T,
    /// Whether it is marked critical.
    pub critical: bool,
}

/// A deviation from DER found while decoding an extension and tolerated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ExtensionDeviation {
    /// basicConstraints encodes its DEFAULT `cA FALSE` explicitly (BER, not DER).
    BasicConstraintsExplicitFalse,
    /// keyUsage's BIT STRING is not minimally encoded (trailing zero bits or unused-bit count).
    KeyUsageNotMinimal,
}

/// The extensions this crate interprets, decoded; plus the OID and criticality of every
/// extension present.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CertExtensions {
    /// basicConstraints (2.5.29.19).
    pub basic_constraints: Option<Ext<BasicConstraints>>,
    /// keyUsage (2.5.29.15).
    pub key_usage: Option<Ext<FlagSet<KeyUsages>>>,
    /// extKeyUsage (2.5.29.37).
    pub extended_key_usage: Option<Ext<Vec<ObjectIdentifier>>>,
    /// subjectKeyIdentifier (2.5.29.14), the key identifier bytes.
    pub subject_key_identifier: Option<Vec<u8>>,
    /// authorityKeyIdentifier (2.5.29.35).
    pub authority_key_identifier: Option<Ext<AuthorityKeyIdentifier>>,
    /// The URIs of cRLDistributionPoints (2.5.29.31).
    pub crl_distribution_points: Vec<String>,
    /// Every extension: OID and criticality, in certificate order.
    pub present: Vec<(ObjectIdentifier, bool)>,
    /// Deviations tolerated while decoding.
    pub deviations: Vec<ExtensionDeviation>,
}

/// Extensions whose semantics this crate applies, or that carry no constraint it would have
/// to apply (so a critical one may be accepted).
const PROCESSED: &[ObjectIdentifier] = &[
    oid::ID_CE_BASIC_CONSTRAINTS,
    oid::ID_CE_KEY_USAGE,
    oid::ID_CE_EXT_KEY_USAGE,
    oid::ID_CE_SUBJECT_KEY_IDENTIFIER,
    oid::ID_CE_AUTHORITY_KEY_IDENTIFIER,
    oid::ID_CE_CRL_DISTRIBUTION_POINTS,
    oid::ID_CE_SUBJECT_ALT_NAME,
    oid::ID_CE_ISSUER_ALT_NAME,
    // No policy processing is done and no policy is required; a critical certificatePolicies
    // therefore restricts nothing this verifier decides on.
    oid::ID_CE_CERTIFICATE_POLICIES,
    oid::ID_PE_AUTHORITY_INFO_ACCESS,
];

impl CertExtensions {
    /// Decode the extensions of a certificate.
    ///
    /// # Errors
    /// [`Error::DuplicateExtension`] or [`Error::MalformedExtension`].
    pub fn decode(exts: &[Extension]) -> Result<Self> {
        let mut out = CertExtensions::default();
        for ext in exts {
            if out.present.iter().any(|(o, _)| *o == ext.extn_id) {
                return Err(Error::DuplicateExtension { oid: ext.extn_id });
            }
            out.present.push((ext.extn_id, ext.critical));
            let v = ext.extn_value.as_bytes();
            let bad = |source| Error::MalformedExtension {
                oid: ext.extn_id,
                source,
            };
            let critical = ext.critical;
            match ext.extn_id {
                oid::ID_CE_BASIC_CONSTRAINTS => {
                    let value = match BasicConstraints::from_der(v) {
                        Ok(bc) => bc,
                        Err(e) => {
                            let lax = LaxBasicConstraints::from_der(v).map_err(|_| bad(e))?;
                            if lax.ca != Some(false) {
                                return Err(bad(e));
                            }
                            out.deviations
                                .push(ExtensionDeviation::BasicConstraintsExplicitFalse);
                            BasicConstraints {
                                ca: false,
                                path_len_constraint: lax.path_len_constraint,
                            }
                        }
                    };
                    out.basic_constraints = Some(Ext { value, critical });
                }
                oid::ID_CE_KEY_USAGE => {
                    let value = match KeyUsage::from_der(v) {
                        Ok(ku) => ku.0,
                        Err(e) => {
                            let bits = BitStringRef::from_der(v).map_err(|_| bad(e))?;
                            out.deviations.push(ExtensionDeviation::KeyUsageNotMinimal);
                            key_usage_from_bits(bits)
                        }
                    };
                    out.key_usage = Some(Ext { value, critical });
                }
                oid::ID_CE_EXT_KEY_USAGE => {
                    let eku = ExtendedKeyUsage::from_der(v).map_err(bad)?;
                    out.extended_key_usage = Some(Ext {
                        value: eku.0,
                        critical,
                    });
                }
                oid::ID_CE_SUBJECT_KEY_IDENTIFIER => {
                    let ski = SubjectKeyIdentifier::from_der(v).map_err(bad)?;
                    out.subject_key_identifier = Some(ski.0.as_bytes().to_vec());
                }
                oid::ID_CE_AUTHORITY_KEY_IDENTIFIER => {
                    let value = AuthorityKeyIdentifier::from_der(v).map_err(bad)?;
                    out.authority_key_identifier = Some(Ext { value, critical });
                }
                oid::ID_CE_CRL_DISTRIBUTION_POINTS => {
                    let dps = CrlDistributionPoints::from_der(v).map_err(bad)?;
                    for dp in dps.0 {
                        if let Some(DistributionPointName::FullName(names)) = dp.distribution_point
                        {
                            for n in names {
                                if let GeneralName::UniformResourceIdentifier(uri) = n {
                                    out.crl_distribution_points.push(uri.to_string());
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(out)
    }

    /// Critical extensions this crate does not process (RFC 5280 §4.2: a certificate with
    /// one must be rejected).
    pub fn unsupported_critical(&self) -> Vec<ObjectIdentifier> {
        self.present
            .iter()
            .filter(|(o, critical)| *critical && !PROCESSED.contains(o))
            .map(|(o, _)| *o)
            .collect()
    }

    /// Is the extension present?
    pub fn contains(&self, oid: ObjectIdentifier) -> bool {
        self.present.iter().any(|(o, _)| *o == oid)
    }

    /// The criticality of an extension, if present.
    pub fn criticality(&self, oid: ObjectIdentifier) -> Option<bool> {
        self.present
            .iter()
            .find(|(o, _)| *o == oid)
            .map(|(_, c)| *c)
    }

    /// The key identifier of authorityKeyIdentifier, if any.
    pub fn authority_key_id(&self) -> Option<&[u8]> {
        self.authority_key_identifier
            .as_ref()
            .and_then(|a| a.value.key_identifier.as_ref())
            .map(|k| k.as_bytes())
    }
}

/// basicConstraints with `cA` as an explicit optional BOOLEAN, to read BER encodings that
/// spell out the DEFAULT.
#[derive(Sequence)]
struct LaxBasicConstraints {
    ca: Option<bool>,
    path_len_constraint: Option<u8>,
}

fn key_usage_from_bits(bits: BitStringRef<'_>) -> FlagSet<KeyUsages> {
    let all = [
        KeyUsages::DigitalSignature,
        KeyUsages::NonRepudiation,
        KeyUsages::KeyEncipherment,
        KeyUsages::DataEncipherment,
        KeyUsages::KeyAgreement,
        KeyUsages::KeyCertSign,
        KeyUsages::CRLSign,
        KeyUsages::EncipherOnly,
        KeyUsages::DecipherOnly,
    ];
    let mut set = FlagSet::<KeyUsages>::default();
    for (i, flag) in all.into_iter().enumerate() {
        if bits.get(i) == Some(true) {
            set |= flag;
        }
    }
    set
}

/// The names of the key usages set, in bit order (`digitalSignature`, ...).
pub fn key_usage_names(ku: FlagSet<KeyUsages>) -> Vec<&'static str> {
    let names = [
        (KeyUsages::DigitalSignature, "digitalSignature"),
        (KeyUsages::NonRepudiation, "nonRepudiation"),
        (KeyUsages::KeyEncipherment, "keyEncipherment"),
        (KeyUsages::DataEncipherment, "dataEncipherment"),
        (KeyUsages::KeyAgreement, "keyAgreement"),
        (KeyUsages::KeyCertSign, "keyCertSign"),
        (KeyUsages::CRLSign, "cRLSign"),
        (KeyUsages::EncipherOnly, "encipherOnly"),
        (KeyUsages::DecipherOnly, "decipherOnly"),
    ];
    names
        .into_iter()
        .filter(|(f, _)| ku.contains(*f))
        .map(|(_, n)| n)
        .collect()
}
