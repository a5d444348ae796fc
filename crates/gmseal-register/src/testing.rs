//! Test support: minimal SM2 certificates for tests, examples and fuzzing seeds.
//!
//! Not a certificate authority: no profile checks, no chain. Production certificates come from
//! a CA (and gmseal-cert's profiles).

use der::Encode;
use der::asn1::BitString;
use gmseal_sm2::{DistId, Sm2Signer, Sm2SignerExt};
use x509_cert::builder::profile::BuilderProfile;
use x509_cert::builder::{Builder, CertificateBuilder};
use x509_cert::ext::pkix::{KeyUsage, KeyUsages};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki;
use x509_cert::spki::{
    AlgorithmIdentifierOwned, DynSignatureAlgorithmIdentifier, SubjectPublicKeyInfoOwned,
    SubjectPublicKeyInfoRef,
};
use x509_cert::time::Validity;

use crate::error::{Error, Result};

/// Options of a test certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestCertificate {
    /// Subject (and issuer) as an RFC 4514 string, e.g. `CN=test,O=gmseal`.
    pub subject: String,
    /// keyUsage bits: `None` for no keyUsage extension.
    pub key_usage: Option<Vec<TestKeyUsage>>,
    /// Validity in days from now.
    pub days: u64,
}

/// keyUsage bits a test certificate can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestKeyUsage {
    /// digitalSignature.
    DigitalSignature,
    /// nonRepudiation.
    NonRepudiation,
    /// keyEncipherment.
    KeyEncipherment,
}

impl TestCertificate {
    /// A certificate for `subject` with keyUsage digitalSignature + nonRepudiation.
    pub fn new(subject: &str) -> Self {
        TestCertificate {
            subject: subject.into(),
            key_usage: Some(vec![
                TestKeyUsage::DigitalSignature,
                TestKeyUsage::NonRepudiation,
            ]),
            days: 365,
        }
    }

    /// Build a self-signed certificate for `key` (SM3withSM2, default ID, DER signature).
    ///
    /// # Errors
    /// [`Error::Certificate`] when the subject does not parse or encoding fails.
    pub fn self_signed(&self, key: &dyn Sm2Signer) -> Result<Vec<u8>> {
        let err = |reason: String| Error::Certificate {
            field: "test certificate".into(),
            reason,
        };
        let subject: Name = self
            .subject
            .parse()
            .map_err(|e| err(format!("subject: {e}")))?;
        let profile = Profile {
            subject,
            key_usage: self.key_usage.clone(),
        };
        let adapter = Adapter(key.public_key());
        let spki = SubjectPublicKeyInfoOwned::from_key(&adapter.0)
            .map_err(|e| err(format!("spki: {e}")))?;
        let mut serial = [0u8; 8];
        getrandom::fill(&mut serial)?;
        serial[0] &= 0x7F;
        serial[0] |= 0x01;
        let serial = SerialNumber::new(&serial).map_err(|e| err(e.to_string()))?;
        let validity = Validity::from_now(core::time::Duration::from_secs(self.days * 86_400))
            .map_err(|e| err(e.to_string()))?;
        let mut builder = CertificateBuilder::new(profile, serial, validity, spki)
            .map_err(|e| err(e.to_string()))?;
        let tbs = builder.finalize(&adapter).map_err(|e| err(e.to_string()))?;
        let signature =
            key.sign_message_encoded(&DistId::default(), &tbs, gmseal_sm2::SignatureFormat::Der)?;
        let bits = BitString::from_bytes(&signature).map_err(|e| err(e.to_string()))?;
        let cert = builder
            .assemble(bits, &adapter)
            .map_err(|e| err(e.to_string()))?;
        cert.to_der().map_err(|e| err(e.to_string()))
    }
}

/// A self-signed SM2 certificate for `key` with keyUsage digitalSignature + nonRepudiation.
///
/// # Errors
/// As [`TestCertificate::self_signed`].
pub fn self_signed_sm2_certificate(key: &dyn Sm2Signer, subject: &str) -> Result<Vec<u8>> {
    TestCertificate::new(subject).self_signed(key)
}

struct Profile {
    subject: Name,
    key_usage: Option<Vec<TestKeyUsage>>,
}

impl BuilderProfile for Profile {
    fn get_issuer(&self, subject: &Name) -> Name {
        subject.clone()
    }

    fn get_subject(&self) -> Name {
        self.subject.clone()
    }

    fn build_extensions(
        &self,
        _spk: SubjectPublicKeyInfoRef<'_>,
        _issuer_spk: SubjectPublicKeyInfoRef<'_>,
        tbs: &x509_cert::TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<x509_cert::ext::Extension>> {
        use x509_cert::ext::ToExtension;
        let Some(bits) = &self.key_usage else {
            return Ok(Vec::new());
        };
        let mut flags = der::flagset::FlagSet::<KeyUsages>::default();
        for b in bits {
            flags |= match b {
                TestKeyUsage::DigitalSignature => KeyUsages::DigitalSignature,
                TestKeyUsage::NonRepudiation => KeyUsages::NonRepudiation,
                TestKeyUsage::KeyEncipherment => KeyUsages::KeyEncipherment,
            };
        }
        Ok(vec![KeyUsage(flags).to_extension(tbs.subject(), &[])?])
    }
}

/// The certificate's key as seen by the x509-cert builder: SM3withSM2.
struct Adapter(gmseal_sm2::PublicKey);

impl gmseal_sm2::signature::Keypair for Adapter {
    type VerifyingKey = gmseal_sm2::PublicKey;
    fn verifying_key(&self) -> gmseal_sm2::PublicKey {
        self.0
    }
}

impl DynSignatureAlgorithmIdentifier for Adapter {
    fn signature_algorithm_identifier(&self) -> spki::Result<AlgorithmIdentifierOwned> {
        Ok(AlgorithmIdentifierOwned {
            oid: gmseal_sm2::oid::SM2_WITH_SM3,
            parameters: None,
        })
    }
}
