//! Test support (hidden from the documentation): SM2 certificates made with `x509-cert`'s
//! builder, the TBS signed through gmseal-sm2 (SM2/SM3, default ID, DER signature), for this
//! crate's tests, doc examples and benches, and for the crates above until gmseal-cert's
//! profiles exist. Not a certificate authority: no policy checks.

use std::str::FromStr;
use std::time::{Duration, SystemTime};

use der::asn1::{BitString, OctetString};
use der::{Decode, Encode};
use gmseal_sm2::encoding::{SignatureFormat, encode};
use gmseal_sm2::{DistId, Sm2Signer, Sm2SignerExt, SoftwareSigner};
use spki::{AlgorithmIdentifierOwned, DynSignatureAlgorithmIdentifier, SubjectPublicKeyInfoOwned};
use x509_cert::Certificate;
use x509_cert::builder::profile::BuilderProfile;
use x509_cert::builder::{Builder, CertificateBuilder};
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, KeyUsages,
    SubjectKeyIdentifier,
};
use x509_cert::ext::{Extension, ToExtension};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
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

/// An [`Sm2Signer`] in the shape `x509-cert`'s builder wants.
struct CertSigner<'a>(&'a dyn Sm2Signer);

impl signature::Keypair for CertSigner<'_> {
    type VerifyingKey = sm2::PublicKey;
    fn verifying_key(&self) -> sm2::PublicKey {
        self.0.verifying_key()
    }
}

impl DynSignatureAlgorithmIdentifier for CertSigner<'_> {
    fn signature_algorithm_identifier(&self) -> spki::Result<AlgorithmIdentifierOwned> {
        Ok(AlgorithmIdentifierOwned {
            oid: crate::oid::SM2_WITH_SM3,
            parameters: None,
        })
    }
}

struct Profile {
    issuer: Name,
    subject: Name,
    role: Role,
    with_ski: bool,
}

fn key_id(spk: &spki::SubjectPublicKeyInfoRef<'_>) -> Vec<u8> {
    use sha1::Digest;
    sha1::Sha1::digest(spk.subject_public_key.raw_bytes()).to_vec()
}

impl BuilderProfile for Profile {
    fn get_issuer(&self, _subject: &Name) -> Name {
        self.issuer.clone()
    }

    fn get_subject(&self) -> Name {
        self.subject.clone()
    }

    fn build_extensions(
        &self,
        spk: spki::SubjectPublicKeyInfoRef<'_>,
        issuer_spk: spki::SubjectPublicKeyInfoRef<'_>,
        tbs: &x509_cert::TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        let subject = tbs.subject();
        let mut exts = Vec::new();
        if self.with_ski {
            let ski = SubjectKeyIdentifier(OctetString::new(key_id(&spk))?);
            exts.push(ski.to_extension(subject, &exts)?);
        }
        let aki = AuthorityKeyIdentifier {
            key_identifier: Some(OctetString::new(key_id(&issuer_spk))?),
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

/// Issue a certificate for `subject_key`, signed by `issuer` (certificate and key) or
/// self-signed by `self_key` when `issuer` is `None`.
///
/// # Errors
/// Encoding and signing failures.
pub fn issue(
    spec: &CertSpec,
    subject_key: &sm2::PublicKey,
    issuer: Option<(&Certificate, &dyn Sm2Signer)>,
    self_key: &dyn Sm2Signer,
) -> Result<Certificate> {
    let subject = Name::from_str(&spec.subject).map_err(malformed("subject"))?;
    let (issuer_name, signer) = match issuer {
        Some((cert, key)) => (cert.tbs_certificate().subject().clone(), key),
        None => (subject.clone(), self_key),
    };
    let spki =
        SubjectPublicKeyInfoOwned::from_der(&gmseal_sm2::key::public_key_to_der(subject_key))
            .map_err(malformed("subjectPublicKeyInfo"))?;
    let validity = Validity::new(
        Time::try_from(spec.not_before).map_err(malformed("notBefore"))?,
        Time::try_from(spec.not_after).map_err(malformed("notAfter"))?,
    );
    let profile = Profile {
        issuer: issuer_name,
        subject,
        role: spec.role,
        with_ski: spec.with_ski,
    };
    let serial = SerialNumber::from(spec.serial);
    let mut builder = CertificateBuilder::new(profile, serial, validity, spki)
        .map_err(|_| Error::InvalidInput("certificate builder refused the parameters"))?;
    let cert_signer = CertSigner(signer);
    let tbs = builder
        .finalize(&cert_signer)
        .map_err(|_| Error::InvalidInput("certificate builder could not finalize"))?;
    let sig = signer.sign_message(&DistId::default(), &tbs)?;
    let bits = BitString::from_bytes(&encode(&sig, SignatureFormat::Der))
        .map_err(malformed("signature"))?;
    builder
        .assemble(bits, &cert_signer)
        .map_err(|_| Error::InvalidInput("certificate builder could not assemble"))
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
