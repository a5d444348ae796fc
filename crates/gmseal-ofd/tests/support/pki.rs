//! A test PKI: a seal maker and a seal holder (self-signed SM2 certificates from gmseal-cms's
//! test support), seals made with gmseal-ses, and chain verifiers that trust exactly these
//! certificates (pinning stands in for gmseal-cert's path validation in these tests).
#![allow(dead_code)]

use gmseal_cms::test_support::{CertSpec, Role, issue};
use gmseal_ses::der::{DateTime, Encode};
use gmseal_ses::{Seal, SealBuilder, SesVersion};
use gmseal_sm2::SoftwareSigner;

pub(crate) struct Pki {
    pub(crate) maker_key: SoftwareSigner,
    pub(crate) maker_cert: Vec<u8>,
    pub(crate) holder_key: SoftwareSigner,
    pub(crate) holder: gmseal_cms::x509_cert::Certificate,
    pub(crate) holder_cert: Vec<u8>,
}

fn cert(subject: &str, key: &SoftwareSigner, serial: u32) -> gmseal_cms::x509_cert::Certificate {
    let mut spec = CertSpec::new(subject, Role::Signer);
    spec.serial = serial;
    issue(&spec, &key.public_key(), None, key).unwrap()
}

pub(crate) fn pki() -> Pki {
    let maker_key = SoftwareSigner::from_bytes(&[0x11; 32]).unwrap();
    let holder_key = SoftwareSigner::from_bytes(&[0x22; 32]).unwrap();
    let maker_cert = cert("CN=gmseal test seal maker,O=gmseal", &maker_key, 1)
        .to_der()
        .unwrap();
    let holder = cert("CN=gmseal test seal holder,O=gmseal", &holder_key, 2);
    let holder_cert = holder.to_der().unwrap();
    Pki {
        maker_key,
        maker_cert,
        holder_key,
        holder,
        holder_cert,
    }
}

/// The seal picture of ofdrw's test seal (a PNG), taken from the corpus.
pub(crate) fn picture() -> Vec<u8> {
    let bytes = gmseal_testkit::corpus_bytes("ofd/seal-v4-continue-SESV4SignDoc.ofd");
    let p = gmseal_ofd::Package::from_bytes(bytes).unwrap();
    let esl = p.read("Doc_0/Signs/Sign_0/Seal.esl").unwrap();
    Seal::from_der(&esl).unwrap().picture().data.to_vec()
}

impl Pki {
    /// A seal of `version` for the holder, valid for two years around now.
    pub(crate) fn seal(&self, version: SesVersion) -> Seal {
        let now = std::time::SystemTime::now();
        let year = std::time::Duration::from_secs(365 * 86_400);
        let b = SealBuilder::new(
            "3301020000001",
            "某某有限公司合同专用章",
            self.maker_cert.clone(),
        )
        .version(version)
        .holder_certificate(self.holder_cert.clone())
        .validity(
            DateTime::from_system_time(now - year).unwrap(),
            DateTime::from_system_time(now + year).unwrap(),
        )
        .created(DateTime::from_system_time(now).unwrap())
        .picture("PNG", picture(), 40, 40);
        b.sign(&self.maker_key).unwrap()
    }
}

/// Trusts exactly the given certificates (for gmseal-ses).
pub(crate) struct Pinned(pub(crate) Vec<Vec<u8>>);

impl gmseal_ses::verify::ChainVerifier for Pinned {
    fn verify_chain(
        &self,
        certificate: &[u8],
        _role: gmseal_ses::CertRole,
        _at: DateTime,
    ) -> Result<gmseal_ses::verify::ChainResult, gmseal_ses::BoxError> {
        if self.0.iter().any(|c| c == certificate) {
            Ok(gmseal_ses::verify::ChainResult::trusted())
        } else {
            Ok(gmseal_ses::verify::ChainResult::untrusted(
                "not a pinned certificate",
            ))
        }
    }
}

/// Trusts exactly the given certificates (for gmseal-cms).
pub(crate) struct PinnedCms(pub(crate) Vec<Vec<u8>>);

impl gmseal_cms::ChainVerifier for PinnedCms {
    fn verify_chain(
        &self,
        signer: &gmseal_cms::x509_cert::Certificate,
        _intermediates: &[gmseal_cms::x509_cert::Certificate],
        _crls: &[&[u8]],
        _at: std::time::SystemTime,
    ) -> Result<gmseal_cms::ChainSummary, gmseal_cms::ChainError> {
        let der = signer
            .to_der()
            .map_err(|e| gmseal_cms::ChainError::Other(e.to_string()))?;
        if self.0.contains(&der) {
            Ok(gmseal_cms::ChainSummary::new(1, false))
        } else {
            Err(gmseal_cms::ChainError::NoPath("not pinned".into()))
        }
    }
}
