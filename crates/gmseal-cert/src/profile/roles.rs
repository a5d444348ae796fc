//! One profile type per role.

use gmseal_sm2::PublicKey;
use spki::SubjectPublicKeyInfoRef;
use x509_cert::builder::profile::BuilderProfile;
use x509_cert::certificate::TbsCertificate;
use x509_cert::ext::Extension;
use x509_cert::name::Name;

use super::{Common, IssuerRef, Role, Sm2Profile};
use crate::cert::Cert;
use crate::error::Result;
use crate::subject::{OrganisationSubject, PersonalSubject};

/// The setters every profile has.
macro_rules! common_setters {
    ($t:ty) => {
        impl $t {
            /// Add a cRLDistributionPoints URI (`http://...` or `ldap://...`).
            pub fn crl_distribution_point(mut self, uri: impl Into<String>) -> Self {
                self.common.crl_distribution_points.push(uri.into());
                self
            }

            /// Add an extension (e.g. certificatePolicies with the CA's CPS).
            pub fn extension(mut self, ext: Extension) -> Self {
                self.common.extra.push(ext);
                self
            }

            /// The subject name.
            pub fn subject(&self) -> &Name {
                &self.common.subject
            }
        }
    };
}

/// The `BuilderProfile` and `Sm2Profile` implementations.
macro_rules! impl_profile {
    ($t:ty, $role:expr, $path_len:expr) => {
        impl BuilderProfile for $t {
            fn get_issuer(&self, subject: &Name) -> Name {
                self.common.issuer_name(subject)
            }

            fn get_subject(&self) -> Name {
                self.common.subject.clone()
            }

            fn build_extensions(
                &self,
                spk: SubjectPublicKeyInfoRef<'_>,
                issuer_spk: SubjectPublicKeyInfoRef<'_>,
                _tbs: &TbsCertificate,
            ) -> x509_cert::builder::Result<Vec<Extension>> {
                #[allow(clippy::redundant_closure_call)]
                let path_len = ($path_len)(self);
                self.common
                    .extensions(self.role(), path_len, spk, issuer_spk)
            }
        }

        impl Sm2Profile for $t {
            fn role(&self) -> Role {
                #[allow(clippy::redundant_closure_call)]
                ($role)(self)
            }

            fn issuer_key(&self) -> Option<&PublicKey> {
                self.common.issuer.as_ref().map(IssuerRef::key)
            }
        }
    };
}

fn none<T>(_: &T) -> Option<u8> {
    None
}

/// A self-signed root CA: keyCertSign + cRLSign, cA TRUE, optional pathLenConstraint.
///
/// ```
/// use gmseal_cert::profile::RootCa;
/// use gmseal_cert::name::NameBuilder;
/// let subject = NameBuilder::new().country("CN")?.organization("测试")?.common_name("测试根CA")?.build();
/// let profile = RootCa::new(subject).path_len(Some(1));
/// # Ok::<(), gmseal_cert::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct RootCa {
    common: Common,
    path_len: Option<u8>,
}

impl RootCa {
    /// A root with this subject (also its issuer).
    pub fn new(subject: Name) -> Self {
        RootCa {
            common: Common::new(subject, None),
            path_len: None,
        }
    }

    /// Set pathLenConstraint.
    pub fn path_len(mut self, path_len: Option<u8>) -> Self {
        self.path_len = path_len;
        self
    }
}

common_setters!(RootCa);
impl_profile!(RootCa, |_: &RootCa| Role::RootCa, |s: &RootCa| s.path_len);

/// A subordinate CA issued by `issuer`.
#[derive(Debug, Clone)]
pub struct SubCa {
    common: Common,
    path_len: Option<u8>,
}

impl SubCa {
    /// A subordinate CA with this subject, issued by the CA certificate `issuer`.
    ///
    /// # Errors
    /// [`Error::IssuerNotAuthorised`](crate::Error::IssuerNotAuthorised) when `issuer` is not
    /// a CA with keyCertSign; [`Error::PublicKey`](crate::Error::PublicKey).
    pub fn new(subject: Name, issuer: &Cert) -> Result<Self> {
        Ok(SubCa {
            common: Common::new(subject, Some(IssuerRef::from_cert(issuer)?)),
            path_len: None,
        })
    }

    /// Set pathLenConstraint.
    pub fn path_len(mut self, path_len: Option<u8>) -> Self {
        self.path_len = path_len;
        self
    }
}

common_setters!(SubCa);
impl_profile!(SubCa, |_: &SubCa| Role::SubCa, |s: &SubCa| s.path_len);

/// Declares an end-entity profile built from an organisation subject.
macro_rules! org_profile {
    ($(#[$doc:meta])* $t:ident, $role:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub struct $t {
            common: Common,
        }

        impl $t {
            /// A certificate for `subject`, issued by the CA certificate `issuer`.
            ///
            /// # Errors
            /// [`Error::IssuerNotAuthorised`](crate::Error::IssuerNotAuthorised),
            /// [`Error::PublicKey`](crate::Error::PublicKey),
            /// [`Error::InvalidString`](crate::Error::InvalidString).
            pub fn new(subject: &OrganisationSubject, issuer: &Cert) -> Result<Self> {
                let mut common =
                    Common::new(subject.to_name()?, Some(IssuerRef::from_cert(issuer)?));
                common.extra = subject.identity_extensions()?;
                Ok($t { common })
            }
        }

        common_setters!($t);
        impl_profile!($t, |_: &$t| $role, none::<$t>);
    };
}

org_profile!(
    /// An organisation's signing certificate: digitalSignature + nonRepudiation, subject per
    /// the organisation rule of spec 001.
    OrganisationSigning,
    Role::OrganisationSigning
);
org_profile!(
    /// An organisation's encryption certificate, the pair of its signing certificate: same
    /// subject (issue both from one [`OrganisationSubject`]), a different key pair (generated
    /// by the KMC in a dual-certificate system) and serial; keyEncipherment + dataEncipherment +
    /// keyAgreement.
    OrganisationEncryption,
    Role::OrganisationEncryption
);
org_profile!(
    /// The seal maker's certificate (制章者证书): the seal-making organisation's unit
    /// certificate, whose key signs seals; digitalSignature + nonRepudiation.
    SealMaker,
    Role::SealMaker
);

/// A person's certificate, signing or encryption.
#[derive(Debug, Clone)]
pub struct Personal {
    common: Common,
    role: Role,
}

impl Personal {
    /// A personal signing certificate (digitalSignature + nonRepudiation).
    ///
    /// # Errors
    /// As [`OrganisationSigning::new`].
    pub fn signing(subject: &PersonalSubject, issuer: &Cert) -> Result<Self> {
        Self::with_role(subject, issuer, Role::PersonalSigning)
    }

    /// A personal encryption certificate (keyEncipherment + dataEncipherment + keyAgreement).
    ///
    /// # Errors
    /// As [`OrganisationSigning::new`].
    pub fn encryption(subject: &PersonalSubject, issuer: &Cert) -> Result<Self> {
        Self::with_role(subject, issuer, Role::PersonalEncryption)
    }

    fn with_role(subject: &PersonalSubject, issuer: &Cert, role: Role) -> Result<Self> {
        let mut common = Common::new(subject.to_name()?, Some(IssuerRef::from_cert(issuer)?));
        common.extra = subject.identity_extensions()?;
        Ok(Personal { common, role })
    }
}

common_setters!(Personal);
impl_profile!(Personal, |s: &Personal| s.role, none::<Personal>);

/// A seal platform's system certificate (the `initiatorCert` / `systemCert` of the platform
/// spec): digitalSignature + nonRepudiation, any subject (use
/// [`OrganisationSubject::to_name`] for the operating unit).
#[derive(Debug, Clone)]
pub struct SystemCert {
    common: Common,
}

impl SystemCert {
    /// A system certificate for `subject`, issued by `issuer`.
    ///
    /// # Errors
    /// As [`OrganisationSigning::new`].
    pub fn new(subject: Name, issuer: &Cert) -> Result<Self> {
        Ok(SystemCert {
            common: Common::new(subject, Some(IssuerRef::from_cert(issuer)?)),
        })
    }
}

common_setters!(SystemCert);
impl_profile!(
    SystemCert,
    |_: &SystemCert| Role::System,
    none::<SystemCert>
);

/// A timestamp authority's certificate: digitalSignature + nonRepudiation, extKeyUsage
/// timeStamping only and critical (RFC 3161 §2.3).
#[derive(Debug, Clone)]
pub struct TimeStamping {
    common: Common,
}

impl TimeStamping {
    /// A TSA certificate for `subject`, issued by `issuer`.
    ///
    /// # Errors
    /// As [`OrganisationSigning::new`].
    pub fn new(subject: Name, issuer: &Cert) -> Result<Self> {
        Ok(TimeStamping {
            common: Common::new(subject, Some(IssuerRef::from_cert(issuer)?)),
        })
    }
}

common_setters!(TimeStamping);
impl_profile!(
    TimeStamping,
    |_: &TimeStamping| Role::TimeStamping,
    none::<TimeStamping>
);
