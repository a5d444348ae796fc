//! What chain verification returns: the path, every check with its outcome, a closed verdict
//! and the deviations tolerated.

use core::fmt;

use der::DateTime;
use der::asn1::ObjectIdentifier;

use crate::cert::{CertSummary, KeyUsageProblem};
use crate::crl::{CrlProblem, Revocation};
use crate::signature::{SignatureFailure, Tolerated};

/// The result of chain verification.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ChainReport {
    /// Trusted, untrusted or indeterminate, with the reason.
    pub verdict: Verdict,
    /// The path: leaf first, trust anchor last (when one was reached). When no path to an
    /// anchor was found, the longest or most telling attempt.
    pub path: Vec<PathEntry>,
    /// Every check made on the path, in order.
    pub checks: Vec<Check>,
    /// Deviations accepted because the options allowed them (empty under strict options).
    pub tolerated: Vec<ToleratedDeviation>,
    /// The time the path was validated at.
    pub time: DateTime,
}

impl ChainReport {
    /// Is the verdict [`Verdict::Trusted`]?
    pub fn is_trusted(&self) -> bool {
        matches!(self.verdict, Verdict::Trusted)
    }

    /// The leaf's summary.
    pub fn leaf(&self) -> Option<&CertSummary> {
        self.path.first().map(|p| &p.summary)
    }

    /// The trust anchor reached, if any.
    pub fn anchor(&self) -> Option<&CertSummary> {
        self.path
            .last()
            .filter(|p| p.role == PathRole::TrustAnchor)
            .map(|p| &p.summary)
    }

    /// The checks that failed.
    pub fn failures(&self) -> impl Iterator<Item = &Check> {
        self.checks
            .iter()
            .filter(|c| matches!(c.outcome, Outcome::Failed(_)))
    }

    /// The path, one line per certificate (`[i] role: subject (issuer, serial, validity)`),
    /// each line starting with `indent`: for reports that embed a chain report.
    ///
    /// ```
    /// # let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/certs/");
    /// # let read = |p: &str| std::fs::read(format!("{corpus}{p}")).unwrap();
    /// # use gmseal_cert::{verify_chain, ChainOptions, TrustStore};
    /// # let mut store = TrustStore::new();
    /// # store.add_anchors(&read("nrcac-ca/ROOTCA_NRCAC_root_sm2.pem")).unwrap();
    /// # let leaf = read("nrcac-ca/2DA1A6BD0CE76C624E634B7D6A29D02A.pem");
    /// # let report = verify_chain(&leaf, &[] as &[&[u8]], &store, &ChainOptions::at("2025-01-01T00:00:00Z".parse().unwrap())).unwrap();
    /// let text = report.display_path("    ").to_string();
    /// assert!(text.starts_with("    [0] leaf: "));
    /// assert_eq!(text.lines().count(), 2);
    /// ```
    pub fn display_path<'a>(&'a self, indent: &'a str) -> impl fmt::Display + 'a {
        PathLines {
            path: &self.path,
            indent,
        }
    }
}

/// [`ChainReport::display_path`].
struct PathLines<'a> {
    path: &'a [PathEntry],
    indent: &'a str,
}

impl fmt::Display for PathLines<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.path.iter().enumerate() {
            writeln!(f, "{}[{i}] {}: {}", self.indent, p.role, p.summary)?;
        }
        Ok(())
    }
}

impl fmt::Display for ChainReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "verdict: {} (at {})", self.verdict, self.time)?;
        write!(f, "{}", self.display_path("  "))?;
        for c in &self.checks {
            writeln!(f, "  [{}] {}: {}", c.cert, c.kind, c.outcome)?;
        }
        for t in &self.tolerated {
            writeln!(f, "  tolerated: [{}] {}", t.cert, t.what)?;
        }
        Ok(())
    }
}

/// The verdict. Closed on purpose: callers match on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// A path to a trust anchor was found and every check passed.
    Trusted,
    /// A check failed: the chain must not be relied on.
    Untrusted {
        /// The index in [`ChainReport::path`] of the certificate concerned.
        cert: usize,
        /// The most specific failure.
        problem: Problem,
    },
    /// The status cannot be decided with the data given (missing issuer, revocation status
    /// unknown, limits reached).
    Indeterminate {
        /// The index in [`ChainReport::path`] of the certificate concerned.
        cert: usize,
        /// Why.
        problem: Problem,
    },
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Trusted => f.write_str("trusted"),
            Verdict::Untrusted { cert, problem } => {
                write!(f, "untrusted: certificate [{cert}]: {problem}")
            }
            Verdict::Indeterminate { cert, problem } => {
                write!(f, "indeterminate: certificate [{cert}]: {problem}")
            }
        }
    }
}

/// A certificate of the path.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PathEntry {
    /// Subject, issuer, serial, validity...
    pub summary: CertSummary,
    /// Its place in the path.
    pub role: PathRole,
    /// Where it came from.
    pub source: CertSource,
}

/// The place of a certificate in the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PathRole {
    /// The end-entity certificate being verified.
    Leaf,
    /// A CA certificate between leaf and anchor.
    Intermediate,
    /// The trust anchor that ends the path (may also be the leaf itself).
    TrustAnchor,
    /// A certificate that was tried as issuer of the previous one and rejected (its
    /// signature check failed); only in failed paths.
    RejectedIssuer,
}

impl fmt::Display for PathRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PathRole::Leaf => "leaf",
            PathRole::Intermediate => "intermediate",
            PathRole::TrustAnchor => "trust anchor",
            PathRole::RejectedIssuer => "rejected issuer",
        })
    }
}

/// Where a certificate of the path came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CertSource {
    /// The certificate being verified.
    Leaf,
    /// The extra certificates given with it (e.g. a SignedData's certificate set).
    Extra,
    /// The trust store's intermediates.
    StoreIntermediate,
    /// The trust store's anchors.
    StoreAnchor,
}

/// One check on one certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Check {
    /// The index in [`ChainReport::path`] of the certificate checked.
    pub cert: usize,
    /// What was checked.
    pub kind: CheckKind,
    /// How it came out.
    pub outcome: Outcome,
}

/// What a check is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CheckKind {
    /// The certificate is a configured trust anchor.
    TrustAnchor,
    /// An issuer was looked for among anchors, intermediates and extra certificates.
    IssuerLookup,
    /// The issuer name equals the next certificate's subject (RFC 5280 §6.1.3 (a)(4)).
    NameChaining,
    /// The SM3withSM2 signature verifies under the next certificate's key, with Z over the
    /// default ID, over the TBS as received (GM/T 0015, GM/T 0009 §10).
    Signature,
    /// notBefore ≤ time ≤ notAfter.
    Validity,
    /// No critical extension this verifier does not process.
    CriticalExtensions,
    /// basicConstraints cA TRUE on a CA certificate.
    BasicConstraints,
    /// basicConstraints pathLenConstraint.
    PathLength,
    /// keyUsage keyCertSign on a CA certificate (when keyUsage is present).
    KeyCertSign,
    /// The leaf's keyUsage meets the options' requirement.
    LeafKeyUsage,
    /// The leaf's extKeyUsage has the purpose the options require.
    LeafExtendedKeyUsage,
    /// The revocation status from the issuer's CRLs.
    Revocation,
}

impl fmt::Display for CheckKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CheckKind::TrustAnchor => "trust anchor",
            CheckKind::IssuerLookup => "issuer lookup",
            CheckKind::NameChaining => "name chaining",
            CheckKind::Signature => "signature",
            CheckKind::Validity => "validity",
            CheckKind::CriticalExtensions => "critical extensions",
            CheckKind::BasicConstraints => "basicConstraints",
            CheckKind::PathLength => "pathLenConstraint",
            CheckKind::KeyCertSign => "keyUsage keyCertSign",
            CheckKind::LeafKeyUsage => "leaf keyUsage",
            CheckKind::LeafExtendedKeyUsage => "leaf extKeyUsage",
            CheckKind::Revocation => "revocation",
        })
    }
}

/// How a check came out.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// Passed.
    Passed,
    /// Passed because the options tolerate these deviations (also listed in
    /// [`ChainReport::tolerated`]).
    PassedWithDeviations(Vec<Tolerated>),
    /// Passed: the certificate is revoked, but only after the validation time.
    RevokedAfterValidationTime(Revocation),
    /// Failed.
    Failed(Problem),
    /// Not checked.
    NotChecked(NotChecked),
}

impl Outcome {
    /// Did the check pass (with or without tolerated deviations)?
    pub fn passed(&self) -> bool {
        matches!(
            self,
            Outcome::Passed
                | Outcome::PassedWithDeviations(_)
                | Outcome::RevokedAfterValidationTime(_)
        )
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Passed => f.write_str("passed"),
            Outcome::PassedWithDeviations(d) => {
                f.write_str("passed, tolerating: ")?;
                for (i, t) in d.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    write!(f, "{t}")?;
                }
                Ok(())
            }
            Outcome::RevokedAfterValidationTime(r) => write!(
                f,
                "passed (revoked later, on {}{})",
                r.date,
                r.reason
                    .map(|x| format!(", reason {x:?}"))
                    .unwrap_or_default()
            ),
            Outcome::Failed(p) => write!(f, "FAILED: {p}"),
            Outcome::NotChecked(n) => write!(f, "not checked: {n}"),
        }
    }
}

/// Why a check was not made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NotChecked {
    /// Revocation checking is off in the options.
    RevocationOff,
    /// The store holds no CRL from this certificate's issuer (and the policy does not require
    /// one).
    NoCrlFromIssuer,
}

impl fmt::Display for NotChecked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NotChecked::RevocationOff => "revocation checking is off",
            NotChecked::NoCrlFromIssuer => "no CRL from the issuer in the trust store",
        })
    }
}

/// Why a chain is not trusted (or cannot be decided).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// No certificate with the issuer's name among anchors, intermediates and extra
    /// certificates. Indeterminate: the missing intermediate may be supplied.
    IssuerNotFound {
        /// The issuer name looked for.
        issuer: String,
    },
    /// The path ends at a self-issued certificate that is not a trust anchor.
    UntrustedRoot {
        /// Its subject.
        subject: String,
    },
    /// The signature by the issuer is not accepted.
    Signature(SignatureFailure),
    /// Not yet valid at the validation time.
    NotYetValid {
        /// notBefore.
        not_before: DateTime,
        /// The validation time.
        time: DateTime,
    },
    /// Expired at the validation time.
    Expired {
        /// notAfter.
        not_after: DateTime,
        /// The validation time.
        time: DateTime,
    },
    /// A critical extension this verifier does not process; carries its OID.
    UnsupportedCriticalExtension(ObjectIdentifier),
    /// A certificate that issues another is not a CA (basicConstraints absent or cA FALSE).
    NotACa,
    /// More intermediate CA certificates below a CA than its pathLenConstraint allows.
    PathLengthExceeded {
        /// The constraint.
        path_len: u8,
        /// Non-self-issued intermediates below it.
        intermediates: usize,
    },
    /// A CA certificate whose keyUsage lacks keyCertSign.
    MissingKeyCertSign,
    /// The leaf's keyUsage does not meet the requirement.
    LeafKeyUsage(KeyUsageProblem),
    /// The leaf lacks the required extKeyUsage purpose; carries it.
    LeafExtendedKeyUsage(ObjectIdentifier),
    /// Revoked at or before the validation time.
    Revoked(Revocation),
    /// The revocation status is unknown. Indeterminate.
    RevocationUnknown(RevocationUnknown),
    /// The path would be longer than the limit. Indeterminate.
    PathTooLong {
        /// The limit (certificates, leaf and anchor included).
        limit: usize,
    },
    /// The signature-check budget ran out before a path was found. Indeterminate.
    BudgetExhausted {
        /// The budget.
        limit: usize,
    },
}

impl Problem {
    /// Does this problem make the verdict indeterminate rather than untrusted?
    pub fn is_indeterminate(&self) -> bool {
        matches!(
            self,
            Problem::IssuerNotFound { .. }
                | Problem::RevocationUnknown(_)
                | Problem::PathTooLong { .. }
                | Problem::BudgetExhausted { .. }
        )
    }

    /// Higher is more specific (reported first), as in webpki's error ranking.
    pub(crate) fn rank(&self) -> u8 {
        match self {
            Problem::Signature(_) => 20,
            Problem::Revoked(_) => 19,
            Problem::UntrustedRoot { .. } => 18,
            Problem::NotACa => 17,
            Problem::MissingKeyCertSign => 16,
            Problem::PathLengthExceeded { .. } => 15,
            Problem::UnsupportedCriticalExtension(_) => 14,
            Problem::LeafKeyUsage(_) => 13,
            Problem::LeafExtendedKeyUsage(_) => 12,
            Problem::Expired { .. } => 11,
            Problem::NotYetValid { .. } => 10,
            Problem::RevocationUnknown(_) => 5,
            Problem::PathTooLong { .. } => 4,
            Problem::BudgetExhausted { .. } => 3,
            Problem::IssuerNotFound { .. } => 2,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::IssuerNotFound { issuer } => write!(f, "issuer {issuer} not found"),
            Problem::UntrustedRoot { subject } => {
                write!(f, "self-issued certificate {subject} is not a trust anchor")
            }
            Problem::Signature(e) => write!(f, "{e}"),
            Problem::NotYetValid { not_before, time } => {
                write!(f, "not valid before {not_before} (validation time {time})")
            }
            Problem::Expired { not_after, time } => {
                write!(f, "expired {not_after} (validation time {time})")
            }
            Problem::UnsupportedCriticalExtension(oid) => {
                write!(f, "unsupported critical extension {oid}")
            }
            Problem::NotACa => {
                f.write_str("issues certificates but is not a CA (basicConstraints)")
            }
            Problem::PathLengthExceeded {
                path_len,
                intermediates,
            } => write!(
                f,
                "pathLenConstraint {path_len} exceeded by {intermediates} intermediate CA certificate(s)"
            ),
            Problem::MissingKeyCertSign => f.write_str("CA keyUsage lacks keyCertSign"),
            Problem::LeafKeyUsage(e) => write!(f, "{e}"),
            Problem::LeafExtendedKeyUsage(oid) => write!(f, "extKeyUsage lacks {oid}"),
            Problem::Revoked(r) => write!(
                f,
                "revoked on {}{}",
                r.date,
                r.reason.map(|x| format!(" ({x:?})")).unwrap_or_default()
            ),
            Problem::RevocationUnknown(u) => write!(f, "revocation status unknown: {u}"),
            Problem::PathTooLong { limit } => {
                write!(f, "no path within the limit of {limit} certificates")
            }
            Problem::BudgetExhausted { limit } => write!(
                f,
                "gave up after {limit} signature checks without finding a path"
            ),
        }
    }
}

/// Why the revocation status is unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RevocationUnknown {
    /// No CRL from the issuer, and the policy requires one.
    NoCrl,
    /// CRLs from the issuer exist but none is usable; carries the first one's problem.
    CrlUnusable(CrlProblem),
    /// The issuer's CRLs are valid but none covers the validation time (nextUpdate passed).
    CrlExpired {
        /// The latest nextUpdate seen.
        next_update: DateTime,
    },
}

impl fmt::Display for RevocationUnknown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RevocationUnknown::NoCrl => f.write_str("no CRL from the issuer"),
            RevocationUnknown::CrlUnusable(p) => write!(f, "{p}"),
            RevocationUnknown::CrlExpired { next_update } => {
                write!(f, "the issuer's CRL expired (nextUpdate {next_update})")
            }
        }
    }
}

/// A deviation accepted because the options allowed it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ToleratedDeviation {
    /// The index in [`ChainReport::path`] of the certificate concerned.
    pub cert: usize,
    /// Whether it is about the certificate's own signature or a CRL used for it.
    pub about: DeviationSubject,
    /// What was tolerated.
    pub what: Tolerated,
}

/// What a tolerated deviation is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeviationSubject {
    /// The certificate's signature.
    Certificate,
    /// The signature of a CRL used to check the certificate's revocation status.
    Crl,
}
