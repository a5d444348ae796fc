//! The plug point for certificate-path validation, and its gmseal-cert implementation.
//!
//! Building and validating a path to a trust anchor, with CRLs, is `gmseal-cert`'s job
//! (GM/T 0015 profiles, RFC 5280 §6). This crate checks what it can see inside the message
//! (the signer certificate is present, valid at the validation time, has a suitable key
//! usage) and hands path validation to a [`ChainVerifier`] given in
//! [`VerifyOptions::chain`](crate::VerifyOptions::chain). Without one the report says
//! "not performed: no trust anchors configured" for every signer.
//!
//! [`CertChainVerifier`] is the implementation over a gmseal-cert [`TrustStore`]: pass it and
//! every signer report (and every timestamp token's TSA signer report) carries the
//! [`ChainReport`] — the path, each check, the verdict and the deviations tolerated.
//!
//! ```
//! use gmseal_cms::{CertChainVerifier, VerifyOptions};
//! use gmseal_cert::{ChainOptions, TrustStore};
//!
//! let mut store = TrustStore::new();
//! # let pki = gmseal_testkit::pki::TestPki::shared();
//! # let root_pem = pki.root.cert.der().to_vec();
//! store.add_anchors(&root_pem)?; // PEM or DER; CRLs with store.add_crls(..)
//! let chain = CertChainVerifier::new(&store, ChainOptions::default());
//! let options = VerifyOptions { chain: Some(&chain), ..VerifyOptions::default() };
//! # let _ = options;
//! # Ok::<(), gmseal_cert::Error>(())
//! ```

use std::time::SystemTime;

use der::{DateTime, Decode, Encode};
use gmseal_cert::{
    Cert, ChainOptions, ChainReport, CheckKind as CertCheckKind, Crl, KeyUsageRequirement,
    PathRole, TrustStore, Verdict as CertVerdict, verify_chain_certs_with_crls,
};
use x509_cert::Certificate;

/// Validates the certification path of a signer certificate.
///
/// [`CertChainVerifier`] implements this with gmseal-cert; a test or an application with its
/// own trust service may implement it too (only [`verify_chain`](Self::verify_chain) is
/// required). `Send + Sync`, so that one configured verifier serves documents verified in
/// parallel.
pub trait ChainVerifier: Send + Sync {
    /// Validate a path from `signer` to a configured trust anchor at time `at`, using
    /// `intermediates` (the other certificates of the message) and `crls` (DER
    /// `CertificateList`s carried in the message) as candidates.
    ///
    /// # Errors
    /// A [`ChainError`] saying why no valid path was found.
    fn verify_chain(
        &self,
        signer: &Certificate,
        intermediates: &[Certificate],
        crls: &[&[u8]],
        at: SystemTime,
    ) -> Result<ChainSummary, ChainError>;

    /// The same with the certificates' DER exactly as received. The verifiers of this crate
    /// call this one, so that certificate signatures can be checked over the received bytes
    /// (`der` re-sorts SET OF while decoding, so a re-encoding may differ). The default decodes
    /// the certificates (skipping intermediates that do not decode) and calls
    /// [`verify_chain`](Self::verify_chain).
    ///
    /// # Errors
    /// As [`verify_chain`](Self::verify_chain); [`ChainError::Other`] when `signer` does not
    /// decode.
    fn verify_chain_der(
        &self,
        signer: &[u8],
        intermediates: &[&[u8]],
        crls: &[&[u8]],
        at: SystemTime,
    ) -> Result<ChainSummary, ChainError> {
        let signer = Certificate::from_der(signer)
            .map_err(|e| ChainError::Other(format!("signer certificate does not decode: {e}")))?;
        let others: Vec<Certificate> = intermediates
            .iter()
            .filter_map(|d| Certificate::from_der(d).ok())
            .collect();
        self.verify_chain(&signer, &others, crls, at)
    }
}

/// What a successful path validation found.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ChainSummary {
    /// Number of certificates in the path, signer and anchor included.
    pub path_len: usize,
    /// Was revocation checked for every certificate of the path below the anchor?
    pub revocation_checked: bool,
    /// The full report, when the verifier is gmseal-cert's ([`CertChainVerifier`]).
    pub report: Option<ChainReport>,
}

impl ChainSummary {
    /// A summary.
    pub fn new(path_len: usize, revocation_checked: bool) -> Self {
        ChainSummary {
            path_len,
            revocation_checked,
            report: None,
        }
    }

    /// The summary of a gmseal-cert report (which it keeps).
    pub fn from_report(report: ChainReport) -> Self {
        let below_anchor = report
            .path
            .iter()
            .filter(|p| matches!(p.role, PathRole::Leaf | PathRole::Intermediate))
            .count();
        let checked = report
            .checks
            .iter()
            .filter(|c| c.kind == CertCheckKind::Revocation && c.outcome.passed())
            .count();
        ChainSummary {
            path_len: report.path.len(),
            revocation_checked: below_anchor > 0 && checked >= below_anchor,
            report: Some(report),
        }
    }
}

/// Why path validation failed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChainError {
    /// No path to a trust anchor.
    NoPath(String),
    /// A certificate of the path is revoked.
    Revoked {
        /// The revoked certificate's subject.
        subject: String,
    },
    /// Another reason, in the verifier's words.
    Other(String),
    /// gmseal-cert's verdict was not "trusted": its report (path, every check, the most
    /// specific problem, deviations tolerated). An `Indeterminate` verdict (missing issuer,
    /// revocation status unknown) makes the signer's verdict indeterminate, an `Untrusted` one
    /// untrusted.
    Rejected(Box<ChainReport>),
}

impl ChainError {
    /// Could the status not be decided with the data given (gmseal-cert's `Indeterminate`)?
    pub fn is_indeterminate(&self) -> bool {
        matches!(self, ChainError::Rejected(r) if matches!(r.verdict, CertVerdict::Indeterminate { .. }))
    }

    /// The gmseal-cert report, when there is one.
    pub fn report(&self) -> Option<&ChainReport> {
        match self {
            ChainError::Rejected(r) => Some(r),
            _ => None,
        }
    }
}

impl core::fmt::Display for ChainError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            ChainError::NoPath(why) => write!(f, "no path to a trust anchor: {why}"),
            ChainError::Revoked { subject } => write!(f, "certificate {subject} is revoked"),
            ChainError::Other(why) => f.write_str(why),
            ChainError::Rejected(r) => {
                write!(f, "{}", r.verdict)?;
                let cert = match &r.verdict {
                    CertVerdict::Untrusted { cert, .. }
                    | CertVerdict::Indeterminate { cert, .. } => Some(*cert),
                    CertVerdict::Trusted => None,
                };
                if let Some(p) = cert.and_then(|i| r.path.get(i)) {
                    write!(f, " ({})", p.summary.subject)?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for ChainError {}

/// [`ChainVerifier`] over a gmseal-cert [`TrustStore`]: path building from the message's
/// certificates and the store's intermediates to the store's anchors, CRLs from the store and
/// from the message, at the time the verifier is given.
///
/// * The time of `options` is replaced by the validation time of each call (the signer's:
///   a verified timestamp's `genTime`, the caller's time or now; a TSA's: its token's
///   `genTime`).
/// * Leaf key usage: `options.leaf_key_usage`, or when it is
///   [`KeyUsageRequirement::Any`] (the default) what the caller asks for —
///   [`KeyUsageRequirement::Signing`] (digitalSignature or nonRepudiation) for CMS signers
///   and timestamp authorities.
/// * Everything else (empty-ID signatures, revocation policy, limits) as `options` say;
///   what was tolerated is listed in the report.
/// * With a [`VerifyCache`](gmseal_cert::VerifyCache) in `options.cache`, the signer
///   certificates are parsed and every certificate and CRL signature is verified once for all
///   the calls sharing the cache (a batch of documents under the same chains); the reports
///   are the same.
///
/// The same value serves gmseal-ses (which implements its own chain trait for it), so a
/// document verifier configures trust once.
#[derive(Debug, Clone)]
pub struct CertChainVerifier<'a> {
    store: &'a TrustStore,
    options: ChainOptions,
}

impl<'a> CertChainVerifier<'a> {
    /// A verifier with `store`'s anchors, intermediates and CRLs and `options` (whose time is
    /// replaced at each call).
    pub fn new(store: &'a TrustStore, options: ChainOptions) -> Self {
        CertChainVerifier { store, options }
    }

    /// The trust store.
    pub fn store(&self) -> &'a TrustStore {
        self.store
    }

    /// The options.
    pub fn options(&self) -> &ChainOptions {
        &self.options
    }

    /// Verify `leaf` at `at`, with untrusted `extra` certificates and CRLs, requiring
    /// `usage` of the leaf unless the options require something else: the shared core of
    /// the CMS and seal adapters.
    pub fn verify_cert(
        &self,
        leaf: &Cert,
        extra: &[Cert],
        extra_crls: &[Crl],
        at: DateTime,
        usage: KeyUsageRequirement,
    ) -> ChainReport {
        let mut options = self.options.clone();
        options.time = at;
        if options.leaf_key_usage == KeyUsageRequirement::Any {
            options.leaf_key_usage = usage;
        }
        verify_chain_certs_with_crls(leaf, extra, extra_crls, self.store, &options)
    }

    /// Verify DER inputs (see [`verify_cert`](Self::verify_cert)): extra certificates and
    /// CRLs that do not decode are skipped, the leaf must decode.
    ///
    /// # Errors
    /// [`gmseal_cert::Error`] when the leaf does not decode.
    pub fn verify_der(
        &self,
        leaf: &[u8],
        extra: &[&[u8]],
        extra_crls: &[&[u8]],
        at: DateTime,
        usage: KeyUsageRequirement,
    ) -> gmseal_cert::Result<ChainReport> {
        let leaf = match &self.options.cache {
            Some(cache) => cache.certificate(leaf)?,
            None => std::sync::Arc::new(Cert::from_der(leaf)?),
        };
        let limit = self.options.limits.max_extra_certificates;
        let extra: Vec<Cert> = extra
            .iter()
            .take(limit)
            .filter_map(|d| Cert::from_der(d).ok())
            .collect();
        let crls: Vec<Crl> = extra_crls
            .iter()
            .take(limit)
            .filter_map(|d| Crl::from_der(d).ok())
            .collect();
        Ok(self.verify_cert(&leaf, &extra, &crls, at, usage))
    }
}

/// A gmseal-cert report as the CMS plug point's result.
fn result_of(report: ChainReport) -> Result<ChainSummary, ChainError> {
    if report.is_trusted() {
        Ok(ChainSummary::from_report(report))
    } else {
        Err(ChainError::Rejected(Box::new(report)))
    }
}

fn date_time(at: SystemTime) -> Result<DateTime, ChainError> {
    DateTime::from_system_time(at)
        .map_err(|_| ChainError::Other("validation time outside 1970..9999".into()))
}

impl ChainVerifier for CertChainVerifier<'_> {
    fn verify_chain(
        &self,
        signer: &Certificate,
        intermediates: &[Certificate],
        crls: &[&[u8]],
        at: SystemTime,
    ) -> Result<ChainSummary, ChainError> {
        let der = |c: &Certificate| {
            c.to_der()
                .map_err(|e| ChainError::Other(format!("certificate does not encode: {e}")))
        };
        let signer = der(signer)?;
        let others = intermediates
            .iter()
            .map(der)
            .collect::<Result<Vec<_>, _>>()?;
        let others: Vec<&[u8]> = others.iter().map(Vec::as_slice).collect();
        self.verify_chain_der(&signer, &others, crls, at)
    }

    fn verify_chain_der(
        &self,
        signer: &[u8],
        intermediates: &[&[u8]],
        crls: &[&[u8]],
        at: SystemTime,
    ) -> Result<ChainSummary, ChainError> {
        let report = self
            .verify_der(
                signer,
                intermediates,
                crls,
                date_time(at)?,
                KeyUsageRequirement::Signing,
            )
            .map_err(|e| ChainError::Other(format!("signer certificate: {e}")))?;
        result_of(report)
    }
}
