//! Test support (hidden from the documentation): quick SM2 certificates for this crate's doc
//! examples and tests and for the crates above, issued and signed with gmseal-cert's
//! [`Issuer`] (SM3withSM2, default ID, DER signature).
//!
//! Not a certificate authority and not a profile: it also makes what a real CA would refuse to
//! (self-signed end-entity certificates, certificates without subjectKeyIdentifier, expired
//! ones), which the negative tests need. Real chains — root, sub CA, end entities per role,
//! CRLs — come from gmseal-cert's profiles (`gmseal_testkit::pki` in this workspace's tests).

use std::str::FromStr;
use std::time::{Duration, SystemTime};

use der::asn1::OctetString;
use der::{Decode, Encode};
use gmseal_cert::issue::{Issuer, serial_from_bytes};
use gmseal_cert::profile::{Role as CertRole, Sm2Profile};
use gmseal_sm2::{PublicKey, Sm2Signer, Sm2SignerExt, SoftwareSigner};
use spki::SubjectPublicKeyInfoRef;
use x509_cert::Certificate;
use x509_cert::builder::profile::BuilderProfile;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, KeyUsages,
    SubjectKeyIdentifier,
};
use x509_cert::ext::{Extension, ToExtension};
use x509_cert::name::Name;
use x509_cert::time::{Time, Validity};

use crate::error::{Error, Result, malformed};

/// What a test certificate is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A CA: keyCertSign + cRLSign, cA = TRUE.
    Ca,
    /// A document signer: digitalSignature + nonRepudiation.
    Signer,
    /// A signer whose key usage is keyEncipherment only (negative tests).
    EncryptionOnly,
    /// A TSA: digitalSignature + nonRepudiation, critical EKU timeStamping.
    Tsa,
}

/// Parameters of a test certificate.
#[derive(Clone, Debug)]
pub struct CertSpec {
    /// Subject DN (RFC 4514).
    pub subject: String,
    /// Role.
    pub role: Role,
    /// Not before.
    pub not_before: SystemTime,
    /// Not after.
    pub not_after: SystemTime,
    /// Serial number.
    pub serial: u32,
    /// Include the subjectKeyIdentifier extension.
    pub with_ski: bool,
}

impl CertSpec {
    /// Valid from a day ago for a year.
    pub fn new(subject: &str, role: Role) -> Self {
        let now = SystemTime::now();
        CertSpec {
            subject: subject.to_string(),
            role,
            not_before: now - Duration::from_secs(86_400),
            not_after: now + Duration::from_secs(365 * 86_400),
            serial: 0x1234_5678,
            with_ski: true,
        }
    }
}

/// Writes the extensions of a [`CertSpec`] (gmseal-cert's profiles would refuse some of them).
struct TestProfile {
    issuer: Name,
    subject: Name,
    issuer_key: PublicKey,
    role: Role,
    with_ski: bool,
}

impl BuilderProfile for TestProfile {
    fn get_issuer(&self, _subject: &Name) -> Name {
        self.issuer.clone()
    }

    fn get_subject(&self) -> Name {
        self.subject.clone()
    }

    fn build_extensions(
        &self,
        spk: SubjectPublicKeyInfoRef<'_>,
        issuer_spk: SubjectPublicKeyInfoRef<'_>,
        tbs: &x509_cert::TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        let subject = tbs.subject();
        let mut exts = Vec::new();
        if self.with_ski {
            exts.push(SubjectKeyIdentifier::try_from(spk)?.to_extension(subject, &exts)?);
        }
        let aki = AuthorityKeyIdentifier {
            key_identifier: Some(OctetString::new(
                SubjectKeyIdentifier::try_from(issuer_spk)?.0.as_bytes(),
            )?),
            authority_cert_issuer: None,
            authority_cert_serial_number: None,
        };
        exts.push(aki.to_extension(subject, &exts)?);
        let bc = BasicConstraints {
            ca: self.role == Role::Ca,
            path_len_constraint: None,
        };
        exts.push(bc.to_extension(subject, &exts)?);
        let ku = match self.role {
            Role::Ca => KeyUsages::KeyCertSign | KeyUsages::CRLSign,
            Role::Signer | Role::Tsa => KeyUsages::DigitalSignature | KeyUsages::NonRepudiation,
            Role::EncryptionOnly => KeyUsages::KeyEncipherment.into(),
        };
        exts.push(KeyUsage(ku).to_extension(subject, &exts)?);
        if self.role == Role::Tsa {
            let eku = ExtendedKeyUsage(vec![crate::oid::KP_TIME_STAMPING]);
            let mut ext = eku.to_extension(subject, &exts)?;
            ext.critical = true; // RFC 3161 §2.3
            exts.push(ext);
        }
        Ok(exts)
    }
}

impl Sm2Profile for TestProfile {
    fn role(&self) -> CertRole {
        match self.role {
            Role::Ca => CertRole::SubCa,
            Role::Signer => CertRole::System,
            Role::EncryptionOnly => CertRole::OrganisationEncryption,
            Role::Tsa => CertRole::TimeStamping,
        }
    }

    fn issuer_key(&self) -> Option<&PublicKey> {
        Some(&self.issuer_key)
    }
}

fn cert_error(e: gmseal_cert::Error) -> Error {
    match e {
        gmseal_cert::Error::Sm2(e) => Error::Sm2(e),
        _ => Error::InvalidInput("gmseal-cert refused the test certificate"),
    }
}

/// Issue a certificate for `subject_key`, signed by `issuer` (certificate and key) or
/// self-signed by `self_key` when `issuer` is `None`.
///
/// # Errors
/// Encoding and signing failures.
pub fn issue(
    spec: &CertSpec,
    subject_key: &PublicKey,
    issuer: Option<(&Certificate, &dyn Sm2Signer)>,
    self_key: &dyn Sm2Signer,
) -> Result<Certificate> {
    let subject = Name::from_str(&spec.subject).map_err(malformed("subject"))?;
    let (issuer_name, signer) = match issuer {
        Some((cert, key)) => (cert.tbs_certificate().subject().clone(), key),
        None => (subject.clone(), self_key),
    };
    let validity = Validity::new(
        Time::try_from(spec.not_before).map_err(malformed("notBefore"))?,
        Time::try_from(spec.not_after).map_err(malformed("notAfter"))?,
    );
    let profile = TestProfile {
        issuer: issuer_name,
        subject,
        issuer_key: signer.public_key(),
        role: spec.role,
        with_ski: spec.with_ski,
    };
    let serial = serial_from_bytes(&spec.serial.to_be_bytes()).map_err(cert_error)?;
    let cert = Issuer::new(signer)
        .issue_with_serial(profile, subject_key, validity, serial)
        .map_err(cert_error)?;
    Certificate::from_der(cert.der()).map_err(malformed("certificate"))
}

/// A fresh key and a self-signed signer certificate for it.
///
/// # Errors
/// As [`issue`].
pub fn self_signed(subject: &str) -> Result<(SoftwareSigner, Certificate)> {
    let key = SoftwareSigner::try_generate()?;
    let cert = issue(
        &CertSpec::new(subject, Role::Signer),
        &key.public_key(),
        None,
        &key,
    )?;
    Ok((key, cert))
}

/// A fresh key and a self-signed TSA certificate (DER) for it.
///
/// # Errors
/// As [`issue`].
pub fn tsa_certificate(subject: &str) -> Result<(SoftwareSigner, Vec<u8>)> {
    let key = SoftwareSigner::try_generate()?;
    let cert = issue(
        &CertSpec::new(subject, Role::Tsa),
        &key.public_key(),
        None,
        &key,
    )?;
    Ok((key, cert.to_der().map_err(malformed("certificate"))?))
}
