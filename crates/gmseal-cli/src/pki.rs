//! Minimal SM2 certificates for the demo and tests, until gmseal-cert's profiles are on main.
//!
//! TEMPORARY: built with x509-cert's builder, signed through gmseal-sm2 (SM3withSM2, default
//! ID, DER signature). Replaced by `gmseal_cert::profile` when that crate lands.

use std::str::FromStr;
use std::time::{Duration, SystemTime};

use const_oid::db::rfc5280::ID_KP_TIME_STAMPING;
use der::Encode;
use der::asn1::BitString;
use gmseal_sm2::signature::Keypair;
use gmseal_sm2::{DistId, PublicKey, SignatureFormat, Sm2Signer, Sm2SignerExt};
use spki::{AlgorithmIdentifierOwned, DynSignatureAlgorithmIdentifier, SubjectPublicKeyInfoRef};
use x509_cert::TbsCertificate;
use x509_cert::builder::profile::BuilderProfile;
use x509_cert::builder::{Builder, CertificateBuilder};
use x509_cert::ext::pkix::{BasicConstraints, ExtendedKeyUsage, KeyUsage, KeyUsages};
use x509_cert::ext::{Extension, ToExtension};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};

use crate::error::{CliError, CliResult};

/// The role a certificate is issued for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// A self-signed root CA.
    RootCa,
    /// A leaf that signs (seal maker, organisation, system).
    Signing,
    /// A timestamp authority (critical extKeyUsage timeStamping).
    TimeStamping,
}

/// The issuer as x509-cert's builder sees it.
struct BuilderSigner<'a>(&'a dyn Sm2Signer);

impl Keypair for BuilderSigner<'_> {
    type VerifyingKey = PublicKey;
    fn verifying_key(&self) -> PublicKey {
        self.0.verifying_key()
    }
}

impl DynSignatureAlgorithmIdentifier for BuilderSigner<'_> {
    fn signature_algorithm_identifier(&self) -> spki::Result<AlgorithmIdentifierOwned> {
        Ok(AlgorithmIdentifierOwned {
            oid: gmseal_sm2::oid::SM2_WITH_SM3,
            parameters: None,
        })
    }
}

struct Profile {
    issuer: Name,
    subject: Name,
    role: Role,
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
        _spk: SubjectPublicKeyInfoRef<'_>,
        _issuer_spk: SubjectPublicKeyInfoRef<'_>,
        tbs: &TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        let (ca, usage) = match self.role {
            Role::RootCa => (true, KeyUsages::KeyCertSign | KeyUsages::CRLSign),
            Role::Signing | Role::TimeStamping => (
                false,
                KeyUsages::DigitalSignature | KeyUsages::NonRepudiation,
            ),
        };
        let bc = BasicConstraints {
            ca,
            path_len_constraint: None,
        };
        let mut v = vec![
            bc.to_extension(tbs.subject(), &[])?,
            KeyUsage(usage).to_extension(tbs.subject(), &[])?,
        ];
        if self.role == Role::TimeStamping {
            let mut eku =
                ExtendedKeyUsage(vec![ID_KP_TIME_STAMPING]).to_extension(tbs.subject(), &[])?;
            eku.critical = true;
            v.push(eku);
        }
        Ok(v)
    }
}

/// Issue a certificate for `subject_key` named `subject` (an RFC 4514 string), signed by
/// `issuer_key` as `issuer`, valid from an hour ago for `days`.
pub(crate) fn issue(
    issuer_key: &dyn Sm2Signer,
    issuer: &str,
    subject: &str,
    subject_key: &PublicKey,
    role: Role,
    days: u64,
) -> CliResult<Vec<u8>> {
    let bad = |e: &dyn std::fmt::Display| CliError::failed(format!("cannot issue {subject}: {e}"));
    let now = SystemTime::now();
    let from = now
        .checked_sub(Duration::from_secs(3600))
        .ok_or_else(|| bad(&"clock"))?;
    let to = now
        .checked_add(Duration::from_secs(days * 86_400))
        .ok_or_else(|| bad(&"validity"))?;
    let validity = Validity::new(
        Time::try_from(from).map_err(|e| bad(&e))?,
        Time::try_from(to).map_err(|e| bad(&e))?,
    );
    let profile = Profile {
        issuer: Name::from_str(issuer).map_err(|e| bad(&e))?,
        subject: Name::from_str(subject).map_err(|e| bad(&e))?,
        role,
    };
    let spki = spki::SubjectPublicKeyInfoOwned::from_key(subject_key).map_err(|e| bad(&e))?;
    let mut serial = [0u8; 16];
    getrandom::fill(&mut serial).map_err(|e| bad(&e))?;
    serial[0] &= 0x7f;
    serial[0] |= 0x01;
    let serial = SerialNumber::new(&serial).map_err(|e| bad(&e))?;
    let mut builder =
        CertificateBuilder::new(profile, serial, validity, spki).map_err(|e| bad(&e))?;
    let signer = BuilderSigner(issuer_key);
    let tbs = builder.finalize(&signer).map_err(|e| bad(&e))?;
    let sig = issuer_key
        .sign_message_encoded(&DistId::default(), &tbs, SignatureFormat::Der)
        .map_err(|e| bad(&e))?;
    builder
        .assemble(BitString::from_bytes(&sig).map_err(|e| bad(&e))?, &signer)
        .map_err(|e| bad(&e))?
        .to_der()
        .map_err(|e| bad(&e))
}
