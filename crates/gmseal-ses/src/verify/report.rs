//! The verification report: one [`Check`] per step, each with its [`Outcome`], and a
//! [`Verdict`] drawn from them.

use core::fmt;

use der::DateTime;
use der::asn1::ObjectIdentifier;
use gmseal_sm2::{KeyError, SignatureFormatError};

use super::trust::TimestampResult;
use crate::deviation::Deviation;
use crate::error::CertRole;
use crate::version::SesVersion;

/// The overall result. Closed on purpose: callers match on it.
///
/// Ordered from best to worst; the verdict is the worst class among the checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Verdict {
    /// Every step was performed and passed.
    Valid,
    /// Nothing failed, but a step could not be performed (no trust anchors configured, a
    /// timestamp not verified, the signed data not given, an unsupported algorithm).
    Indeterminate,
    /// The signatures and data hash are intact, but a certificate chain was rejected.
    Untrusted,
    /// The signatures and data hash are intact, but a rule of the standard is broken (expired
    /// seal or certificate at the signing time, signer not bound to the seal, key usage,
    /// a signature encoding strict mode refuses).
    Invalid,
    /// A signature or the data hash does not match: the seal, the signature or the data was
    /// changed.
    Tampered,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verdict::Valid => "valid",
            Verdict::Indeterminate => "indeterminate",
            Verdict::Untrusted => "untrusted",
            Verdict::Invalid => "invalid",
            Verdict::Tampered => "tampered",
        })
    }
}

/// The steps of verification, in the order GB/T 38540-2020 §7 lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Step {
    /// The structure decodes and its version is known (deviations accepted are listed in the
    /// report).
    Structure,
    /// The signer's signature over `TBS_Sign`.
    SignerSignature,
    /// The signer's certificate: decodes, SM2 key, valid at the signing time, key usage
    /// `digitalSignature`.
    SignerCertificate,
    /// The signer's certificate chain and revocation (through [`ChainVerifier`]).
    ///
    /// [`ChainVerifier`]: crate::verify::ChainVerifier
    SignerChain,
    /// The seal maker's signature over the seal information.
    MakerSignature,
    /// The maker's certificate: decodes, SM2 key, valid when the seal was made (`createDate`),
    /// key usage `digitalSignature`.
    MakerCertificate,
    /// The maker's certificate chain and revocation.
    MakerChain,
    /// The signing time lies within the seal's `validStart`..`validEnd`.
    SealValidity,
    /// The signer's certificate is in the seal's certificate list (or its digest in the digest
    /// list).
    SignerBinding,
    /// `dataHash` equals SM3 of the caller's data.
    DataHash,
    /// The timestamp of the signature, when present.
    Timestamp,
    /// The timestamp of the seal (v5), when present.
    SealTimestamp,
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Step::Structure => "structure and version",
            Step::SignerSignature => "signer's signature over TBS_Sign",
            Step::SignerCertificate => "signer's certificate",
            Step::SignerChain => "signer's certificate chain and revocation",
            Step::MakerSignature => "seal maker's signature",
            Step::MakerCertificate => "seal maker's certificate",
            Step::MakerChain => "seal maker's certificate chain and revocation",
            Step::SealValidity => "seal validity at the signing time",
            Step::SignerBinding => "signer bound to the seal",
            Step::DataHash => "data hash",
            Step::Timestamp => "signature timestamp",
            Step::SealTimestamp => "seal timestamp",
        })
    }
}

/// What a step found wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Finding {
    /// The signature does not verify over the signed bytes.
    SignatureInvalid,
    /// The signature value does not decode (in strict mode: anything but DER).
    SignatureEncoding(SignatureFormatError),
    /// An SM2 signature algorithm identifier other than the standard's, refused in strict mode.
    SignatureAlgorithm(ObjectIdentifier),
    /// The certificate does not decode.
    CertificateMalformed(der::Error),
    /// The certificate's key is not a usable SM2 key.
    CertificateKey(KeyError),
    /// The certificate was not valid at the time checked.
    CertificateNotValidAt {
        /// The time checked.
        at: DateTime,
        /// `notBefore`.
        not_before: DateTime,
        /// `notAfter`.
        not_after: DateTime,
    },
    /// The certificate's key usage does not include `digitalSignature`.
    KeyUsage {
        /// Which certificate.
        role: CertRole,
    },
    /// The signing time is outside the seal's validity.
    SealNotValidAt {
        /// The signing time.
        at: DateTime,
        /// `validStart`.
        valid_start: DateTime,
        /// `validEnd`.
        valid_end: DateTime,
    },
    /// The signer's certificate is neither in the seal's certificate list nor in its digest
    /// list.
    SignerNotInSeal {
        /// Entries in the seal's list.
        entries: usize,
    },
    /// `dataHash` differs from SM3 of the data.
    DataHashMismatch {
        /// `dataHash` as stated.
        stated: Vec<u8>,
        /// SM3 of the data given.
        computed: [u8; 32],
    },
    /// The chain verifier rejected the certificate.
    ChainRejected {
        /// Its reason.
        reason: String,
    },
    /// The timestamp verifier rejected the token.
    TimestampRejected {
        /// Its reason.
        reason: String,
    },
    /// The chain verifier could not decide (issuer missing, revocation status unknown).
    ChainIndeterminate {
        /// Its reason.
        reason: String,
    },
    /// A certificate of the path was revoked after the time the signature (or seal) claims,
    /// and no trusted timestamp proves it existed before the revocation: it may have been
    /// back-dated.
    RevokedAfterClaimedTime {
        /// The revoked certificate's subject.
        subject: String,
        /// When and why (from the CRL).
        revocation: gmseal_cert::Revocation,
    },
    /// The timestamp verifier could not decide (the TSA's chain is indeterminate).
    TimestampIndeterminate {
        /// Its reason.
        reason: String,
    },
    /// The time the signature (or the seal) claims is later than the `genTime` of its trusted
    /// timestamp: it cannot have been signed after it was timestamped.
    TimeAfterTimestamp {
        /// `timeInfo` (or the seal's `createDate`).
        claimed: DateTime,
        /// The timestamp's `genTime`.
        gen_time: DateTime,
    },
}

impl Finding {
    /// How bad this is.
    pub fn class(&self) -> Verdict {
        match self {
            Finding::SignatureInvalid | Finding::DataHashMismatch { .. } => Verdict::Tampered,
            Finding::ChainRejected { .. } | Finding::TimestampRejected { .. } => Verdict::Untrusted,
            Finding::ChainIndeterminate { .. }
            | Finding::RevokedAfterClaimedTime { .. }
            | Finding::TimestampIndeterminate { .. } => Verdict::Indeterminate,
            _ => Verdict::Invalid,
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Finding::SignatureInvalid => f.write_str("the signature does not verify"),
            Finding::SignatureEncoding(e) => write!(
                f,
                "bad signature value: {e} (lenient mode accepts raw r||s and other variants)"
            ),
            Finding::SignatureAlgorithm(oid) => write!(
                f,
                "signature algorithm {oid}; the standard uses 1.2.156.10197.1.501 (lenient mode accepts it)"
            ),
            Finding::CertificateMalformed(e) => write!(f, "certificate does not decode: {e}"),
            Finding::CertificateKey(e) => write!(f, "certificate key: {e}"),
            Finding::CertificateNotValidAt {
                at,
                not_before,
                not_after,
            } => write!(
                f,
                "certificate not valid at {at} (valid {not_before} to {not_after})"
            ),
            Finding::KeyUsage { role } => write!(
                f,
                "the {role} certificate's key usage lacks digitalSignature"
            ),
            Finding::SealNotValidAt {
                at,
                valid_start,
                valid_end,
            } => write!(
                f,
                "signed at {at}, outside the seal's validity {valid_start} to {valid_end}"
            ),
            Finding::SignerNotInSeal { entries } => write!(
                f,
                "the signer's certificate is not among the seal's {entries} certificate list entries"
            ),
            Finding::DataHashMismatch { stated, computed } => write!(
                f,
                "dataHash {} differs from SM3 of the data {}",
                hex(stated),
                hex(computed)
            ),
            Finding::ChainRejected { reason } => write!(f, "certificate chain rejected: {reason}"),
            Finding::TimestampRejected { reason } => write!(f, "timestamp rejected: {reason}"),
            Finding::ChainIndeterminate { reason } => {
                write!(f, "certificate chain cannot be decided: {reason}")
            }
            Finding::RevokedAfterClaimedTime {
                subject,
                revocation,
            } => write!(
                f,
                "{subject} was revoked on {}{}, after the claimed time; no trusted timestamp proves the signature existed before that",
                revocation.date,
                revocation
                    .reason
                    .map(|r| format!(" ({r:?})"))
                    .unwrap_or_default()
            ),
            Finding::TimestampIndeterminate { reason } => {
                write!(f, "timestamp cannot be decided: {reason}")
            }
            Finding::TimeAfterTimestamp { claimed, gen_time } => {
                write!(f, "claims {claimed}, later than its timestamp {gen_time}")
            }
        }
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Why a step was not performed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum NotPerformed {
    /// No [`ChainVerifier`](crate::verify::ChainVerifier) (trust anchors, CRLs) was configured.
    NoTrustAnchors,
    /// A timestamp is present but no [`TimestampVerifier`](crate::verify::TimestampVerifier)
    /// was given.
    TimestampNotVerified,
    /// The signed data (or its digest) was not given.
    ContentNotGiven,
    /// The signing time could not be read (v1 `timeInfo` in an unknown form) and no
    /// fallback time was given.
    SigningTimeUnknown,
    /// The signature algorithm is not SM2 with SM3.
    UnsupportedAlgorithm(ObjectIdentifier),
    /// The certificate digest list uses digest algorithms this crate does not compute.
    UnsupportedDigest(String),
    /// The certificate this step needs is unusable (see the certificate step).
    CertificateUnusable,
}

impl fmt::Display for NotPerformed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotPerformed::NoTrustAnchors => f.write_str("no trust anchors configured"),
            NotPerformed::TimestampNotVerified => f.write_str("present, not verified"),
            NotPerformed::ContentNotGiven => f.write_str("the signed data was not given"),
            NotPerformed::SigningTimeUnknown => f.write_str("the signing time is unknown"),
            NotPerformed::UnsupportedAlgorithm(oid) => {
                write!(f, "unsupported signature algorithm {oid}")
            }
            NotPerformed::UnsupportedDigest(t) => {
                write!(f, "unsupported certificate digest type \"{t}\"")
            }
            NotPerformed::CertificateUnusable => f.write_str("the certificate is unusable"),
        }
    }
}

/// The outcome of one step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Performed and passed.
    Passed,
    /// Performed and failed.
    Failed(Finding),
    /// Not performed; the verdict cannot be better than [`Verdict::Indeterminate`].
    NotPerformed(NotPerformed),
    /// Nothing to check (no timestamp present).
    NotApplicable,
}

impl Outcome {
    /// The verdict class of this outcome.
    pub fn class(&self) -> Verdict {
        match self {
            Outcome::Passed | Outcome::NotApplicable => Verdict::Valid,
            Outcome::Failed(f) => f.class(),
            Outcome::NotPerformed(_) => Verdict::Indeterminate,
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Passed => f.write_str("passed"),
            Outcome::Failed(x) => write!(f, "FAILED: {x}"),
            Outcome::NotPerformed(x) => write!(f, "not performed: {x}"),
            Outcome::NotApplicable => f.write_str("not applicable"),
        }
    }
}

/// One step and its outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Check {
    /// The step.
    pub step: Step,
    /// Its outcome.
    pub outcome: Outcome,
}

/// Who a certificate names, for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CertSummary {
    /// Subject DN (RFC 4514 text).
    pub subject: String,
    /// Issuer DN.
    pub issuer: String,
    /// Serial number, hex.
    pub serial: String,
    /// `notBefore`.
    pub not_before: DateTime,
    /// `notAfter`.
    pub not_after: DateTime,
}

/// The result of verifying a seal signature (or a seal alone).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifyReport {
    /// The version of the structure.
    pub version: SesVersion,
    /// The overall result.
    pub verdict: Verdict,
    /// Each step, in order.
    pub checks: Vec<Check>,
    /// Deviations accepted: structural ones and signature encodings (lenient mode), and those
    /// the chain verifier's options tolerated in certificate paths.
    pub deviations: Vec<Deviation>,
    /// The signing time used for the time checks.
    pub signing_time: Option<DateTime>,
    /// The signer's certificate, when it decodes.
    pub signer: Option<CertSummary>,
    /// The maker's certificate, when it decodes.
    pub maker: Option<CertSummary>,
    /// The signer's certificate path, when the chain verifier gives a report (gmseal-cert's
    /// does): path, every check, verdict, the time it was validated at.
    pub signer_chain: Option<gmseal_cert::ChainReport>,
    /// The maker's certificate path, likewise.
    pub maker_chain: Option<gmseal_cert::ChainReport>,
    /// The result of the signature's timestamp, when one was verified.
    pub timestamp: Option<TimestampResult>,
    /// The result of the seal's (v5) timestamp, when one was verified.
    pub seal_timestamp: Option<TimestampResult>,
}

impl VerifyReport {
    /// The outcome of `step`, when the report has it.
    pub fn outcome(&self, step: Step) -> Option<&Outcome> {
        self.checks
            .iter()
            .find(|c| c.step == step)
            .map(|c| &c.outcome)
    }

    /// The failed checks, worst first (tampering before rule violations before trust).
    pub fn failures(&self) -> Vec<(Step, &Finding)> {
        let mut v: Vec<(Step, &Finding)> = self
            .checks
            .iter()
            .filter_map(|c| match &c.outcome {
                Outcome::Failed(f) => Some((c.step, f)),
                _ => None,
            })
            .collect();
        v.sort_by_key(|(_, f)| core::cmp::Reverse(f.class()));
        v
    }

    /// The time a trusted timestamp proves the signature existed at (its `genTime`); `None`
    /// without a timestamp or when it was not verified or not trusted.
    pub fn proof_of_existence(&self) -> Option<DateTime> {
        self.timestamp
            .as_ref()
            .and_then(TimestampResult::proof_of_existence)
    }

    pub(crate) fn new(version: SesVersion) -> Self {
        VerifyReport {
            version,
            verdict: Verdict::Valid,
            checks: Vec::new(),
            deviations: Vec::new(),
            signing_time: None,
            signer: None,
            maker: None,
            signer_chain: None,
            maker_chain: None,
            timestamp: None,
            seal_timestamp: None,
        }
    }

    pub(crate) fn push(&mut self, step: Step, outcome: Outcome) {
        self.verdict = self.verdict.max(outcome.class());
        self.checks.push(Check { step, outcome });
    }

    pub(crate) fn deviation(&mut self, d: Deviation) {
        if !self.deviations.contains(&d) {
            self.deviations.push(d);
        }
    }
}

impl fmt::Display for VerifyReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}: {}", self.version, self.verdict)?;
        if let Some(t) = &self.signing_time {
            writeln!(f, "  signing time: {t}")?;
        }
        if let Some(t) = self.proof_of_existence() {
            writeln!(f, "  proof of existence (timestamp): {t}")?;
        }
        for c in &self.checks {
            writeln!(f, "  {}: {}", c.step, c.outcome)?;
        }
        for (who, chain) in [
            ("signer", &self.signer_chain),
            ("seal maker", &self.maker_chain),
        ] {
            if let Some(chain) = chain {
                writeln!(
                    f,
                    "  {who}'s certificate path (at {}): {}",
                    chain.time, chain.verdict
                )?;
                write!(f, "{}", chain.display_path("    "))?;
            }
        }
        for d in &self.deviations {
            writeln!(f, "  tolerated: {d}")?;
        }
        Ok(())
    }
}
