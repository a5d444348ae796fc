//! Test support: a throwaway CA that issues system certificates with gmseal-cert's
//! [`SystemCert`] profile (keyUsage digitalSignature + nonRepudiation), for examples, tests and
//! platform test environments.
//!
//! Not for production: production system certificates come from a CA. The CA's key lives in
//! memory and is gone with the value.
//!
//! ```
//! use gmseal_register::testing::TestCa;
//! use gmseal_sm2::SoftwareSigner;
//!
//! let ca = TestCa::new()?;
//! let platform = SoftwareSigner::generate();
//! let cert = ca.system_certificate(&platform, "CN=Provincial seal platform,O=Test,C=CN")?;
//! let store = ca.trust_store()?; // for VerifyOptions::with_chain
//! # let _ = (cert, store);
//! # Ok::<(), gmseal_register::Error>(())
//! ```

use core::str::FromStr;
use std::time::{Duration, SystemTime};

use der::DateTime;
use gmseal_cert::issue::{Issuer, validity};
use gmseal_cert::name::NameBuilder;
use gmseal_cert::profile::{RootCa, SystemCert};
use gmseal_cert::{Cert, TrustStore};
use gmseal_sm2::{Sm2Signer, Sm2SignerExt, SoftwareSigner};
use x509_cert::name::Name;

use crate::error::{Error, Result};

const DAY: Duration = Duration::from_secs(86_400);

fn cert_error(e: gmseal_cert::Error) -> Error {
    Error::Certificate {
        field: "test certificate".into(),
        reason: e.to_string(),
    }
}

fn time(t: SystemTime) -> Result<DateTime> {
    DateTime::from_system_time(t).map_err(|e| Error::Certificate {
        field: "test certificate".into(),
        reason: format!("validity: {e}"),
    })
}

/// A self-signed root CA (fresh key, valid from yesterday for ten years) that issues system
/// certificates.
#[derive(Debug)]
pub struct TestCa {
    key: SoftwareSigner,
    cert: Cert,
}

impl TestCa {
    /// A fresh CA named `C=CN, O=gmseal test, CN=gmseal test CA`.
    ///
    /// # Errors
    /// [`Error::Sm2`] when the operating system's random generator fails,
    /// [`Error::Certificate`] when issuing fails.
    pub fn new() -> Result<Self> {
        let key = SoftwareSigner::try_generate()?;
        let name = NameBuilder::new()
            .country("CN")
            .and_then(|b| b.organization("gmseal test"))
            .and_then(|b| b.common_name("gmseal test CA"))
            .map_err(cert_error)?
            .build();
        let now = SystemTime::now();
        let v = validity(time(now - DAY)?, time(now + 3650 * DAY)?).map_err(cert_error)?;
        let cert = Issuer::new(&key)
            .issue(RootCa::new(name), &key.public_key(), v)
            .map_err(cert_error)?;
        Ok(TestCa { key, cert })
    }

    /// A system certificate (DER) for `key` with the RFC 4514 `subject`, valid from yesterday
    /// for a year.
    ///
    /// # Errors
    /// [`Error::Certificate`] when the subject does not parse or issuing fails.
    pub fn system_certificate(&self, key: &dyn Sm2Signer, subject: &str) -> Result<Vec<u8>> {
        let name = Name::from_str(subject).map_err(|e| Error::Certificate {
            field: "test certificate".into(),
            reason: format!("subject {subject:?}: {e}"),
        })?;
        let now = SystemTime::now();
        let v = validity(time(now - DAY)?, time(now + 365 * DAY)?).map_err(cert_error)?;
        let profile = SystemCert::new(name, &self.cert).map_err(cert_error)?;
        let cert = Issuer::new(&self.key)
            .issue(profile, &key.public_key(), v)
            .map_err(cert_error)?;
        Ok(cert.der().to_vec())
    }

    /// The CA's certificate (DER).
    pub fn certificate(&self) -> &[u8] {
        self.cert.der()
    }

    /// A trust store with this CA as its only anchor.
    ///
    /// # Errors
    /// Never in practice ([`Error::Certificate`] for a full store).
    pub fn trust_store(&self) -> Result<TrustStore> {
        let mut store = TrustStore::new();
        store.add_anchor(self.cert.clone()).map_err(cert_error)?;
        Ok(store)
    }
}
