//! Certificate chains for the signed-value verifiers, through `gmseal-cert`.
//!
//! `gmseal-ses` and `gmseal-cms` each define a small chain-verifier trait (they sit above
//! `gmseal-cert` and leave trust to the caller); [`CertChain`] implements both with
//! `gmseal_cert::verify_chain` over a [`TrustStore`] (anchors, intermediates, CRLs), at the time
//! each back end asks for (the signing time for seals, the validation time for CMS), requiring a
//! signing key usage of the leaf.
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use gmseal_cert::TrustStore;
//! use gmseal_ofd::{trust::CertChain, Verifier};
//!
//! let mut store = TrustStore::new();
//! store.add_anchors(&std::fs::read(gmseal_testkit::corpus("certs/nrcac-ca/ROOTCA_NRCAC_root_sm2.pem"))?)?;
//! let verifier = Verifier::trusting(CertChain::new(store));
//! # let _ = verifier;
//! # Ok(()) }
//! ```

use std::sync::Arc;
use std::time::SystemTime;

use gmseal_cert::{ChainOptions, KeyUsageRequirement, TrustStore, Verdict};
use gmseal_cms::der::Encode;
use gmseal_cms::x509_cert::Certificate;
use gmseal_cms::{ChainError, ChainSummary};
use gmseal_ses::der::DateTime;

/// Chain and revocation checking with `gmseal-cert` for SES and CMS signatures.
#[derive(Debug, Clone)]
pub struct CertChain {
    store: Arc<TrustStore>,
}

impl CertChain {
    /// Check chains against `store`.
    pub fn new(store: TrustStore) -> Self {
        CertChain {
            store: Arc::new(store),
        }
    }

    fn run(
        &self,
        leaf: &[u8],
        extra: &[Vec<u8>],
        options: &ChainOptions,
    ) -> Result<gmseal_cert::ChainReport, String> {
        let options = options
            .clone()
            .with_leaf_key_usage(KeyUsageRequirement::Signing);
        let report = gmseal_cert::verify_chain(leaf, extra, &self.store, &options)
            .map_err(|e| e.to_string())?;
        match report.verdict {
            Verdict::Trusted => Ok(report),
            _ => Err(report.to_string()),
        }
    }
}

impl gmseal_ses::verify::ChainVerifier for CertChain {
    fn verify_chain(
        &self,
        certificate: &[u8],
        _role: gmseal_ses::CertRole,
        at: DateTime,
    ) -> Result<(), gmseal_ses::BoxError> {
        self.run(certificate, &[], &ChainOptions::at(at))
            .map(|_| ())
            .map_err(Into::into)
    }
}

impl gmseal_cms::ChainVerifier for CertChain {
    fn verify_chain(
        &self,
        signer: &Certificate,
        intermediates: &[Certificate],
        _crls: &[&[u8]],
        at: SystemTime,
    ) -> Result<ChainSummary, ChainError> {
        let leaf = signer
            .to_der()
            .map_err(|e| ChainError::Other(e.to_string()))?;
        let extra = intermediates
            .iter()
            .map(|c| c.to_der().map_err(|e| ChainError::Other(e.to_string())))
            .collect::<Result<Vec<_>, _>>()?;
        let options =
            ChainOptions::at_system_time(at).map_err(|e| ChainError::Other(e.to_string()))?;
        let report = self
            .run(&leaf, &extra, &options)
            .map_err(ChainError::NoPath)?;
        Ok(ChainSummary::new(report.path.len(), false))
    }
}
