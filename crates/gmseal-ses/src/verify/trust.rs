//! The trust plug points of seal verification — certificate chains and timestamp tokens — and
//! their implementations over gmseal-cert and gmseal-cms.

use der::DateTime;
use gmseal_cert::x509_cert::ext::pkix::KeyUsages;
use gmseal_cert::{ChainReport, KeyUsageRequirement, Verdict as CertVerdict};
use gmseal_cms::{CertChainVerifier, MessageImprint, TimestampReport, TimestampedData};

use crate::error::{BoxError, CertRole};

/// Whether a chain or a timestamp can be relied on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrustStatus {
    /// It can.
    Trusted,
    /// It must not be (revoked, expired, untrusted root, bad signature, ...).
    Untrusted {
        /// Why, in the verifier's words.
        reason: String,
    },
    /// It cannot be decided with the data given (missing issuer, revocation status unknown).
    Indeterminate {
        /// Why.
        reason: String,
    },
}

/// What a [`ChainVerifier`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ChainResult {
    /// Trusted, untrusted or indeterminate.
    pub status: TrustStatus,
    /// gmseal-cert's report (the path, every check, the deviations tolerated), when the
    /// verifier is gmseal-cert's.
    pub report: Option<ChainReport>,
}

impl ChainResult {
    /// A trusted chain (for verifiers without a gmseal-cert report).
    pub fn trusted() -> Self {
        ChainResult {
            status: TrustStatus::Trusted,
            report: None,
        }
    }

    /// An untrusted chain.
    pub fn untrusted(reason: impl Into<String>) -> Self {
        ChainResult {
            status: TrustStatus::Untrusted {
                reason: reason.into(),
            },
            report: None,
        }
    }

    /// A chain whose status cannot be decided.
    pub fn indeterminate(reason: impl Into<String>) -> Self {
        ChainResult {
            status: TrustStatus::Indeterminate {
                reason: reason.into(),
            },
            report: None,
        }
    }

    /// From gmseal-cert's report (kept in [`report`](Self::report)).
    pub fn from_report(report: ChainReport) -> Self {
        let reason = || {
            let cert = match &report.verdict {
                CertVerdict::Untrusted { cert, .. } | CertVerdict::Indeterminate { cert, .. } => {
                    report.path.get(*cert)
                }
                CertVerdict::Trusted => None,
            };
            match cert {
                Some(p) => format!("{} ({})", report.verdict, p.summary.subject),
                None => report.verdict.to_string(),
            }
        };
        let status = match &report.verdict {
            CertVerdict::Trusted => TrustStatus::Trusted,
            CertVerdict::Untrusted { .. } => TrustStatus::Untrusted { reason: reason() },
            CertVerdict::Indeterminate { .. } => TrustStatus::Indeterminate { reason: reason() },
        };
        ChainResult {
            status,
            report: Some(report),
        }
    }
}

/// Certificate path validation and revocation checking, supplied by the caller.
///
/// gmseal-cms's [`CertChainVerifier`] implements it over a gmseal-cert trust store (anchors,
/// intermediates, CRLs); the same value serves `gmseal_cms::VerifyOptions::chain`. Without a
/// chain verifier the chain steps are reported "not performed: no trust anchors configured".
///
/// `Send + Sync`, so that one configured verifier serves documents verified in parallel.
pub trait ChainVerifier: Send + Sync {
    /// Validate a path from `certificate` (DER) to a trust anchor at `at`, for `role`.
    ///
    /// # Errors
    /// When the verifier cannot run at all (e.g. the certificate does not decode); it becomes
    /// [`Finding::ChainRejected`](super::Finding::ChainRejected). A chain that is not trusted
    /// is an `Ok` [`ChainResult`] saying so.
    fn verify_chain(
        &self,
        certificate: &[u8],
        role: CertRole,
        at: DateTime,
    ) -> Result<ChainResult, BoxError>;
}

/// gmseal-cert's chain verification for seals: GB/T 38540 needs `digitalSignature` of the seal
/// maker's and the signer's certificates (or no keyUsage extension), so that is the leaf
/// requirement unless the [`ChainOptions`](gmseal_cert::ChainOptions) ask for something else.
/// The options' time is replaced by the time the verifier gives (see [`verify`](super::verify)).
/// Seals carry no intermediate certificates or CRLs: the trust store must hold the
/// intermediate CAs (and the CRLs, for revocation).
impl ChainVerifier for CertChainVerifier<'_> {
    fn verify_chain(
        &self,
        certificate: &[u8],
        role: CertRole,
        at: DateTime,
    ) -> Result<ChainResult, BoxError> {
        let usage = match role {
            CertRole::Maker | CertRole::Signer | CertRole::Holder => {
                KeyUsageRequirement::AllOf(KeyUsages::DigitalSignature.into())
            }
        };
        let report = self.verify_der(certificate, &[], &[], at, usage)?;
        Ok(ChainResult::from_report(report))
    }
}

/// What a [`TimestampVerifier`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TimestampResult {
    /// Trusted (intact, covers the signature value, TSA trusted), untrusted or indeterminate.
    pub status: TrustStatus,
    /// The token's `genTime`, when it could be read.
    pub gen_time: Option<DateTime>,
    /// gmseal-cms's report of the token (imprint, TSA signature, TSA chain), when the
    /// verifier is gmseal-cms's.
    pub report: Option<TimestampReport>,
}

impl TimestampResult {
    /// A trusted token made at `gen_time` (for verifiers without a gmseal-cms report).
    pub fn trusted(gen_time: DateTime) -> Self {
        TimestampResult {
            status: TrustStatus::Trusted,
            gen_time: Some(gen_time),
            report: None,
        }
    }

    /// An untrusted token.
    pub fn untrusted(reason: impl Into<String>) -> Self {
        TimestampResult {
            status: TrustStatus::Untrusted {
                reason: reason.into(),
            },
            gen_time: None,
            report: None,
        }
    }

    /// The time this token proves the timestamped value existed at: its `genTime` when it is
    /// trusted.
    pub fn proof_of_existence(&self) -> Option<DateTime> {
        match self.status {
            TrustStatus::Trusted => self.gen_time,
            _ => None,
        }
    }
}

/// Timestamp-token verification, supplied by the caller.
///
/// [`TimestampTokenVerifier`] implements it with gmseal-cms (RFC 3161 / GB/T 20520 tokens,
/// SM2, RSA or ECDSA TSAs, the TSA's chain through a gmseal-cms chain verifier).
///
/// `Send + Sync`, so that one configured verifier serves documents verified in parallel.
pub trait TimestampVerifier: Send + Sync {
    /// Verify `token` (an RFC 3161 / GB/T 20520 `TimeStampToken`, DER) as a timestamp over
    /// `signature_value`.
    ///
    /// # Errors
    /// When the token cannot be examined (it does not decode); it becomes
    /// [`Finding::TimestampRejected`](super::Finding::TimestampRejected).
    fn verify_timestamp(
        &self,
        token: &[u8],
        signature_value: &[u8],
    ) -> Result<TimestampResult, BoxError>;
}

/// [`TimestampVerifier`] with gmseal-cms's [`verify_timestamp_token`](gmseal_cms::verify_timestamp_token):
/// the token's imprint must cover the signature value, the TSA's signature must verify, its
/// certificate must carry extKeyUsage timeStamping and be the one the ESS attribute names, and
/// its chain (at `genTime`) goes through the gmseal-cms chain verifier given.
///
/// ```
/// # use gmseal_ses::verify::{TimestampTokenVerifier, VerifyOptions};
/// use gmseal_ses::gmseal_cms::{gmseal_cert::{ChainOptions, TrustStore}, CertChainVerifier};
/// let store = TrustStore::new(); // anchors, intermediates, CRLs
/// let chain = CertChainVerifier::new(&store, ChainOptions::default());
/// let timestamps = TimestampTokenVerifier::new(&chain);
/// let options = VerifyOptions::default()
///     .with_chain_verifier(&chain)
///     .with_timestamp_verifier(&timestamps);
/// # let _ = options;
/// ```
#[derive(Debug, Clone)]
pub struct TimestampTokenVerifier<'a> {
    options: gmseal_cms::VerifyOptions<'a>,
}

impl<'a> TimestampTokenVerifier<'a> {
    /// Strict verification, the TSA's chain through `chain`.
    pub fn new(chain: &'a dyn gmseal_cms::ChainVerifier) -> Self {
        TimestampTokenVerifier {
            options: gmseal_cms::VerifyOptions {
                chain: Some(chain),
                ..gmseal_cms::VerifyOptions::default()
            },
        }
    }

    /// Strict verification without trust anchors: intact tokens are `Indeterminate`, never
    /// trusted.
    pub fn without_chain() -> Self {
        TimestampTokenVerifier {
            options: gmseal_cms::VerifyOptions::default(),
        }
    }

    /// With gmseal-cms options of the caller's (strictness, SM2 ID, limits, chain).
    pub fn with_options(options: gmseal_cms::VerifyOptions<'a>) -> Self {
        TimestampTokenVerifier { options }
    }
}

/// The first failure of a token's report, for the finding.
fn token_failure(report: &TimestampReport) -> String {
    report
        .checks
        .iter()
        .chain(report.signer.checks.iter())
        .find(|c| !matches!(c.outcome, gmseal_cms::Outcome::Passed))
        .map_or_else(|| report.verdict().to_string(), ToString::to_string)
}

impl TimestampVerifier for TimestampTokenVerifier<'_> {
    fn verify_timestamp(
        &self,
        token: &[u8],
        signature_value: &[u8],
    ) -> Result<TimestampResult, BoxError> {
        let report = gmseal_cms::verify_timestamp_token(
            token,
            TimestampedData::Bytes(signature_value),
            &self.options,
        )?;
        let status = match report.verdict() {
            gmseal_cms::Verdict::Valid => TrustStatus::Trusted,
            gmseal_cms::Verdict::Indeterminate => TrustStatus::Indeterminate {
                reason: token_failure(&report),
            },
            gmseal_cms::Verdict::Untrusted | gmseal_cms::Verdict::Tampered => {
                TrustStatus::Untrusted {
                    reason: token_failure(&report),
                }
            }
        };
        Ok(TimestampResult {
            status,
            gen_time: DateTime::from_system_time(report.gen_time).ok(),
            report: Some(report),
        })
    }
}

/// A [`Timestamper`](crate::Timestamper) for [`SignatureBuilder`](crate::SignatureBuilder) and
/// [`SealBuilder`](crate::SealBuilder) over any gmseal-cms timestamper ([`LocalTsa`],
/// `HttpTsa`): it asks for a token over the signature value (imprint with the TSA's digest
/// algorithm, SM3 by default) and checks, before returning it, that the token is intact and
/// covers that value.
///
/// [`LocalTsa`]: gmseal_cms::LocalTsa
///
/// ```
/// # let pki = gmseal_testkit::pki::TestPki::shared();
/// # let tsa_cert = pki.leaf(gmseal_cert::profile::Role::TimeStamping, "TSA");
/// # let (tsa_key, tsa_der) = (tsa_cert.key.clone(), tsa_cert.der());
/// use gmseal_ses::TsaTimestamper;
/// use gmseal_ses::gmseal_cms::LocalTsa;
/// let tsa = LocalTsa::new(&tsa_key, &tsa_der, "1.2.3.4".parse()?)?;
/// let timestamper = TsaTimestamper::new(&tsa);
/// // SignatureBuilder::new(&seal, cert).timestamper(&timestamper) ...
/// # use gmseal_ses::Timestamper;
/// # assert!(timestamper.timestamp(b"signature value").is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy)]
pub struct TsaTimestamper<'a> {
    tsa: &'a dyn gmseal_cms::Timestamper,
}

impl core::fmt::Debug for TsaTimestamper<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("TsaTimestamper")
            .field("digest", &self.tsa.digest_algorithm())
            .finish()
    }
}

impl<'a> TsaTimestamper<'a> {
    /// Timestamps from `tsa`.
    pub fn new(tsa: &'a dyn gmseal_cms::Timestamper) -> Self {
        TsaTimestamper { tsa }
    }
}

/// The token the TSA answered does not verify over the signature value.
#[derive(Debug)]
struct BadToken(String);

impl core::fmt::Display for BadToken {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "the TSA's token does not verify over the signature value: {}",
            self.0
        )
    }
}

impl std::error::Error for BadToken {}

impl crate::Timestamper for TsaTimestamper<'_> {
    fn timestamp(&self, signature_value: &[u8]) -> Result<Vec<u8>, BoxError> {
        let imprint = MessageImprint::of(self.tsa.digest_algorithm(), signature_value)?;
        let token = self.tsa.timestamp(&imprint)?;
        let report = gmseal_cms::verify_timestamp_token(
            &token,
            TimestampedData::Bytes(signature_value),
            &gmseal_cms::VerifyOptions::default(),
        )?;
        if !report.integrity_ok() {
            return Err(Box::new(BadToken(token_failure(&report))));
        }
        Ok(token)
    }

    fn max_token_len(&self) -> Option<usize> {
        self.tsa.max_token_len()
    }
}
