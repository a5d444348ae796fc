//! Certificate profiles for issuing, one `x509-cert` [`BuilderProfile`] per role of a GM/T
//! 0015 PKI serving a seal platform: root CA, subordinate CA, the organisation's signing and
//! encryption certificates (dual-certificate system), personal signing and encryption
//! certificates, the seal maker's certificate, the platform's system certificate and the
//! timestamp authority's certificate.
//!
//! Every profile sets subjectKeyIdentifier (SHA-1 of the key, RFC 5280 §4.2.1.2 method 1, as
//! every corpus certificate does), authorityKeyIdentifier (the issuer's SKI; self-signed roots
//! carry their own, as the national root does), keyUsage (critical) and basicConstraints
//! (critical) per role, extKeyUsage where the role has one, cRLDistributionPoints when given,
//! and the subject's identity extensions. The usages per role are in [`Role::key_usage`].

mod roles;

use core::fmt;

use der::asn1::{Ia5String, OctetString};
use der::flagset::FlagSet;
use der::{Encode, referenced::OwnedToRef};
use gmseal_sm2::PublicKey;
use spki::SubjectPublicKeyInfoRef;
use x509_cert::builder::profile::BuilderProfile;
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::crl::dp::DistributionPoint;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, CrlDistributionPoints, ExtendedKeyUsage, KeyUsage,
    KeyUsages, SubjectKeyIdentifier,
};
use x509_cert::name::Name;

pub use roles::{
    OrganisationEncryption, OrganisationSigning, Personal, RootCa, SealMaker, SubCa, SystemCert,
    TimeStamping,
};

use crate::cert::Cert;
use crate::error::{Error, Result};

/// The role a certificate plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Self-signed root CA.
    RootCa,
    /// Subordinate CA.
    SubCa,
    /// An organisation's signing certificate (单位签名证书).
    OrganisationSigning,
    /// An organisation's encryption certificate, paired with its signing certificate (same
    /// subject, different key and serial; 单位加密证书).
    OrganisationEncryption,
    /// A person's signing certificate.
    PersonalSigning,
    /// A person's encryption certificate.
    PersonalEncryption,
    /// The seal maker's certificate (制章者证书): an organisation certificate whose key signs
    /// seals.
    SealMaker,
    /// A seal platform's system certificate (`initiatorCert` / `systemCert` of the platform
    /// spec), which signs platform messages.
    System,
    /// A timestamp authority's certificate (RFC 3161 §2.3: extKeyUsage timeStamping only,
    /// critical).
    TimeStamping,
}

impl Role {
    /// Is it a CA role?
    pub fn is_ca(self) -> bool {
        matches!(self, Role::RootCa | Role::SubCa)
    }

    /// Is it an encryption role?
    pub fn is_encryption(self) -> bool {
        matches!(
            self,
            Role::OrganisationEncryption | Role::PersonalEncryption
        )
    }

    /// Does its subject follow the organisation rule (credit code in T and 2.5.4.1, unit
    /// name in G and CN)?
    pub fn has_organisation_subject(self) -> bool {
        matches!(
            self,
            Role::OrganisationSigning | Role::OrganisationEncryption | Role::SealMaker
        )
    }

    /// Does its subject follow the personal rule?
    pub fn has_personal_subject(self) -> bool {
        matches!(self, Role::PersonalSigning | Role::PersonalEncryption)
    }

    /// The key usages this crate issues for the role: CAs keyCertSign + cRLSign; signing roles
    /// digitalSignature + nonRepudiation; encryption roles keyEncipherment + dataEncipherment +
    /// keyAgreement (the split of Tongsuo's and GmSSL's dual certificates,
    /// `shared/notes/cert-profile.md` §3.2).
    pub fn key_usage(self) -> FlagSet<KeyUsages> {
        match self {
            Role::RootCa | Role::SubCa => KeyUsages::KeyCertSign | KeyUsages::CRLSign,
            Role::OrganisationEncryption | Role::PersonalEncryption => {
                KeyUsages::KeyEncipherment | KeyUsages::DataEncipherment | KeyUsages::KeyAgreement
            }
            _ => KeyUsages::DigitalSignature | KeyUsages::NonRepudiation,
        }
    }

    /// All roles.
    pub const ALL: [Role; 9] = [
        Role::RootCa,
        Role::SubCa,
        Role::OrganisationSigning,
        Role::OrganisationEncryption,
        Role::PersonalSigning,
        Role::PersonalEncryption,
        Role::SealMaker,
        Role::System,
        Role::TimeStamping,
    ];
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Role::RootCa => "root CA",
            Role::SubCa => "subordinate CA",
            Role::OrganisationSigning => "organisation signing certificate",
            Role::OrganisationEncryption => "organisation encryption certificate",
            Role::PersonalSigning => "personal signing certificate",
            Role::PersonalEncryption => "personal encryption certificate",
            Role::SealMaker => "seal-maker certificate",
            Role::System => "system certificate",
            Role::TimeStamping => "timestamp-authority certificate",
        })
    }
}

/// A profile this crate can issue with: the role and the issuer's key (`None` for
/// self-signed).
pub trait Sm2Profile: BuilderProfile {
    /// The role.
    fn role(&self) -> Role;
    /// The public key of the issuing CA certificate (`None` for a self-signed root).
    fn issuer_key(&self) -> Option<&PublicKey>;
}

/// The issuing CA as a profile needs it: name, key identifier, key.
#[derive(Debug, Clone)]
pub struct IssuerRef {
    name: Name,
    key_id: Vec<u8>,
    key: PublicKey,
}

impl IssuerRef {
    /// From the CA's certificate, which must be a CA allowed to sign certificates and hold an
    /// SM2 key.
    ///
    /// # Errors
    /// [`Error::IssuerNotAuthorised`], [`Error::PublicKey`].
    pub fn from_cert(ca: &Cert) -> Result<Self> {
        if !ca.is_ca() {
            return Err(Error::IssuerNotAuthorised {
                what: "basicConstraints cA is not TRUE",
            });
        }
        if !ca.allows_key_usage(KeyUsages::KeyCertSign) {
            return Err(Error::IssuerNotAuthorised {
                what: "keyUsage lacks keyCertSign",
            });
        }
        let key = *ca.public_key()?;
        let key_id = match ca.subject_key_identifier() {
            Some(ski) => ski.to_vec(),
            None => key_identifier(
                ca.certificate()
                    .tbs_certificate()
                    .subject_public_key_info()
                    .owned_to_ref(),
            )
            .map_err(|e| Error::Builder(x509_cert::builder::Error::from(e)))?,
        };
        Ok(IssuerRef {
            name: ca.subject().clone(),
            key_id,
            key,
        })
    }

    /// The issuer name.
    pub fn name(&self) -> &Name {
        &self.name
    }

    /// The key.
    pub fn key(&self) -> &PublicKey {
        &self.key
    }
}

/// SHA-1 of the subjectPublicKey BIT STRING (RFC 5280 §4.2.1.2 method 1), through
/// `x509-cert`'s builder.
pub(crate) fn key_identifier(spk: SubjectPublicKeyInfoRef<'_>) -> der::Result<Vec<u8>> {
    let ski = SubjectKeyIdentifier::try_from(spk).map_err(|_| der::ErrorKind::Failed)?;
    Ok(ski.0.as_bytes().to_vec())
}

/// What every profile carries.
#[derive(Debug, Clone)]
pub(crate) struct Common {
    pub(crate) subject: Name,
    pub(crate) issuer: Option<IssuerRef>,
    pub(crate) crl_distribution_points: Vec<String>,
    pub(crate) extra: Vec<Extension>,
}

impl Common {
    pub(crate) fn new(subject: Name, issuer: Option<IssuerRef>) -> Self {
        Common {
            subject,
            issuer,
            crl_distribution_points: Vec::new(),
            extra: Vec::new(),
        }
    }

    pub(crate) fn issuer_name(&self, subject: &Name) -> Name {
        self.issuer
            .as_ref()
            .map_or_else(|| subject.clone(), |i| i.name.clone())
    }

    pub(crate) fn extensions(
        &self,
        role: Role,
        path_len: Option<u8>,
        spk: SubjectPublicKeyInfoRef<'_>,
        issuer_spk: SubjectPublicKeyInfoRef<'_>,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        let mut out = Vec::new();
        let ski = key_identifier(spk)?;
        let aki = match &self.issuer {
            Some(i) => i.key_id.clone(),
            None => key_identifier(issuer_spk)?,
        };
        out.push(ext(&SubjectKeyIdentifier(OctetString::new(ski)?), false)?);
        out.push(ext(
            &AuthorityKeyIdentifier {
                key_identifier: Some(OctetString::new(aki)?),
                ..Default::default()
            },
            false,
        )?);
        out.push(ext(&KeyUsage(role.key_usage()), true)?);
        out.push(ext(
            &BasicConstraints {
                ca: role.is_ca(),
                path_len_constraint: if role.is_ca() { path_len } else { None },
            },
            true,
        )?);
        if role == Role::TimeStamping {
            out.push(ext(
                &ExtendedKeyUsage(vec![crate::oid::ID_KP_TIME_STAMPING]),
                true,
            )?);
        }
        if !self.crl_distribution_points.is_empty() {
            let names = self
                .crl_distribution_points
                .iter()
                .map(|u| Ia5String::new(u).map(GeneralName::UniformResourceIdentifier))
                .collect::<der::Result<Vec<_>>>()?;
            out.push(ext(
                &CrlDistributionPoints(vec![DistributionPoint {
                    distribution_point: Some(DistributionPointName::FullName(names)),
                    reasons: None,
                    crl_issuer: None,
                }]),
                false,
            )?);
        }
        out.extend(self.extra.iter().cloned());
        Ok(out)
    }
}

fn ext<T: Encode + const_oid::AssociatedOid>(
    value: &T,
    critical: bool,
) -> x509_cert::builder::Result<Extension> {
    Ok(Extension {
        extn_id: T::OID,
        critical,
        extn_value: OctetString::new(value.to_der()?)?,
    })
}
