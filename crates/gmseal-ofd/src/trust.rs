//! Certificate chains for the signed-value verifiers, through `gmseal-cert`.
//!
//! `gmseal-ses` and `gmseal-cms` each define a small chain-verifier trait (they sit above
//! `gmseal-cert` and leave trust to the caller); [`CertChain`] implements both, and gmseal-ses's
//! timestamp-verifier trait, with
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

use gmseal_cert::{ChainOptions, TrustStore, VerifyCache};
use gmseal_cms::x509_cert::Certificate;
use gmseal_cms::{CertChainVerifier, ChainError, ChainSummary};
use gmseal_ses::der::DateTime;
use gmseal_ses::verify::ChainResult;

/// Chain and revocation checking with `gmseal-cert` for SES and CMS signatures.
///
/// An owning handle around [`gmseal_cms::CertChainVerifier`] (which borrows its store), so that
/// the boxed signed-value verifiers of this crate can keep it; both traits delegate to that one
/// adapter, so seals and SignedData get exactly the same chain rules and reports.
#[derive(Debug, Clone)]
pub struct CertChain {
    store: Arc<TrustStore>,
    options: ChainOptions,
}

impl CertChain {
    /// Check chains against `store` with default options (time replaced at each call).
    pub fn new(store: TrustStore) -> Self {
        Self::with_options(store, ChainOptions::default())
    }

    /// Check chains against `store` with `options` (e.g. `allow_empty_id`, revocation policy).
    pub fn with_options(store: TrustStore, options: ChainOptions) -> Self {
        CertChain {
            store: Arc::new(store),
            options,
        }
    }

    /// Share `cache` with other verifications: each certificate and CRL signature of the
    /// chains is verified once for all of them. [`Verifier::trusting`](crate::Verifier::trusting)
    /// gives the same cache to the seal verifier (certificates, keys, seal maker signatures).
    /// The reports are the same with or without it.
    #[must_use]
    pub fn with_cache(mut self, cache: VerifyCache) -> Self {
        self.options.cache = Some(cache);
        self
    }

    /// The cache, if any.
    pub fn cache(&self) -> Option<&VerifyCache> {
        self.options.cache.as_ref()
    }

    fn adapter(&self) -> CertChainVerifier<'_> {
        CertChainVerifier::new(&self.store, self.options.clone())
    }
}

impl gmseal_ses::verify::ChainVerifier for CertChain {
    fn verify_chain(
        &self,
        certificate: &[u8],
        role: gmseal_ses::CertRole,
        at: DateTime,
    ) -> Result<ChainResult, gmseal_ses::BoxError> {
        gmseal_ses::verify::ChainVerifier::verify_chain(&self.adapter(), certificate, role, at)
    }
}

/// Timestamp tokens of seal signatures (`SES_Signature.timeStamp`) through gmseal-ses's
/// [`TimestampTokenVerifier`](gmseal_ses::verify::TimestampTokenVerifier) over the same trust
/// store: the token's imprint, the TSA's signature and certificate, and the TSA's path at the
/// token's `genTime`. (`Type="Sign"` SignedData verifies its tokens with the chain verifier
/// itself, as gmseal-cms does.)
impl gmseal_ses::verify::TimestampVerifier for CertChain {
    fn verify_timestamp(
        &self,
        token: &[u8],
        signature_value: &[u8],
    ) -> Result<gmseal_ses::verify::TimestampResult, gmseal_ses::BoxError> {
        let chain = self.adapter();
        gmseal_ses::verify::TimestampTokenVerifier::new(&chain)
            .verify_timestamp(token, signature_value)
    }
}

impl gmseal_cms::ChainVerifier for CertChain {
    fn verify_chain(
        &self,
        signer: &Certificate,
        intermediates: &[Certificate],
        crls: &[&[u8]],
        at: SystemTime,
    ) -> Result<ChainSummary, ChainError> {
        gmseal_cms::ChainVerifier::verify_chain(&self.adapter(), signer, intermediates, crls, at)
    }

    fn verify_chain_der(
        &self,
        signer: &[u8],
        intermediates: &[&[u8]],
        crls: &[&[u8]],
        at: SystemTime,
    ) -> Result<ChainSummary, ChainError> {
        gmseal_cms::ChainVerifier::verify_chain_der(
            &self.adapter(),
            signer,
            intermediates,
            crls,
            at,
        )
    }
}
