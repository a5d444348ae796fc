//! Certification path building and validation for SM2 certificates (RFC 5280 §6 as far as
//! GM/T 0015 PKIs use it), with CRL checking.
//!
//! The path is built from the leaf towards caller-supplied trust anchors through the extra
//! certificates given with the leaf and the store's intermediates, matching issuer to subject
//! names (and preferring authorityKeyIdentifier/subjectKeyIdentifier matches). Every complete
//! path found is evaluated; the first that passes every check is returned, else the most
//! telling failure. Work is bounded by [`ChainLimits`].
//!
//! Checked per certificate: SM3withSM2 signature with Z over the default ID over the TBS as
//! received; name chaining; validity at the validation time; critical extensions; for CA
//! certificates basicConstraints cA, pathLenConstraint and keyUsage keyCertSign; for the leaf
//! the key usage and extended key usage the options ask for; revocation from the store's CRLs.
//!
//! Not implemented: certificate policies, name constraints, policy constraints and mappings
//! (a critical one of these fails the chain as an unsupported critical extension), delta CRLs,
//! partitioned CRLs (issuingDistributionPoint), indirect CRLs, OCSP.

mod report;

use std::collections::HashMap;
use std::time::SystemTime;

use der::DateTime;
use der::asn1::ObjectIdentifier;
use x509_cert::ext::pkix::CrlReason;
use x509_cert::ext::pkix::KeyUsages;

pub use report::{
    CertSource, ChainReport, Check, CheckKind, DeviationSubject, NotChecked, Outcome, PathEntry,
    PathRole, Problem, RevocationUnknown, ToleratedDeviation, Verdict,
};

use crate::cache::VerifyCache;
use crate::cert::{Cert, KeyUsageRequirement, ValidityStatus};
use crate::error::{Error, Result};
use crate::name::{display_name, names_match};
use crate::signature::{SignatureFailure, SignatureOk, SignaturePolicy};
use crate::store::TrustStore;

/// How revocation is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RevocationPolicy {
    /// Not at all.
    Off,
    /// With the store's CRLs: a certificate whose issuer has no CRL in the store is reported
    /// as not checked; when the issuer has CRLs, none usable or current makes the verdict
    /// indeterminate. The default.
    #[default]
    IfCrlPresent,
    /// Every certificate below the anchor needs a usable, current CRL from its issuer, else
    /// the verdict is indeterminate.
    Require,
}

/// Bounds on the work an untrusted input can cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainLimits {
    /// Longest path, in certificates, leaf and anchor included. Default 8.
    pub max_path_len: usize,
    /// Most signature verifications during path building. Default 64.
    pub max_signature_checks: usize,
    /// Most extra certificates accepted with the leaf (and, counted apart, most extra CRLs;
    /// see [`verify_chain_certs_with_crls`]). Default 64.
    pub max_extra_certificates: usize,
}

impl Default for ChainLimits {
    fn default() -> Self {
        ChainLimits {
            max_path_len: 8,
            max_signature_checks: 64,
            max_extra_certificates: 64,
        }
    }
}

/// Options of chain verification. The default validates now, strictly (default-ID DER
/// signatures only), with [`RevocationPolicy::IfCrlPresent`], no leaf key-usage requirement,
/// and the default [`ChainLimits`].
///
/// ```
/// use gmseal_cert::{ChainOptions, KeyUsageRequirement, RevocationPolicy};
/// let opts = ChainOptions::at_system_time(std::time::SystemTime::now())
///     .unwrap()
///     .with_leaf_key_usage(KeyUsageRequirement::Signing)
///     .with_revocation(RevocationPolicy::Require);
/// assert!(!opts.signatures.allow_empty_id);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainOptions {
    /// The time to validate at (e.g. now, or a trusted signing time).
    pub time: DateTime,
    /// Which signatures are accepted (empty ID, encoding strictness).
    pub signatures: SignaturePolicy,
    /// Revocation checking.
    pub revocation: RevocationPolicy,
    /// What the leaf's keyUsage must allow.
    pub leaf_key_usage: KeyUsageRequirement,
    /// An extKeyUsage purpose the leaf must carry (e.g. id-kp-timeStamping for a TSA).
    pub leaf_extended_key_usage: Option<ObjectIdentifier>,
    /// Work limits.
    pub limits: ChainLimits,
    /// A cache of certificate and CRL signature results shared by many validations (a batch
    /// of documents under the same chains); `None` (the default) verifies every signature.
    /// The reports are the same either way (see [`VerifyCache`]).
    pub cache: Option<VerifyCache>,
}

impl Default for ChainOptions {
    fn default() -> Self {
        let time = DateTime::from_system_time(SystemTime::now()).unwrap_or(DateTime::INFINITY);
        ChainOptions::at(time)
    }
}

impl ChainOptions {
    /// Strict options validating at `time`.
    pub fn at(time: DateTime) -> Self {
        ChainOptions {
            time,
            signatures: SignaturePolicy::STRICT,
            revocation: RevocationPolicy::default(),
            leaf_key_usage: KeyUsageRequirement::Any,
            leaf_extended_key_usage: None,
            limits: ChainLimits::default(),
            cache: None,
        }
    }

    /// Strict options validating at a `SystemTime`.
    ///
    /// # Errors
    /// [`Error::InvalidProfileInput`] for times before 1970 or after 9999.
    pub fn at_system_time(time: SystemTime) -> Result<Self> {
        let t = DateTime::from_system_time(time).map_err(|_| Error::InvalidProfileInput {
            what: "validation time outside 1970..9999",
        })?;
        Ok(Self::at(t))
    }

    /// Accept signatures made with an empty SM2 ID (OpenSSL 3 without `distid`), reporting
    /// each one. Compatibility option; off by default.
    pub fn allow_empty_id(mut self, allow: bool) -> Self {
        self.signatures.allow_empty_id = allow;
        self
    }

    /// Set the signature policy.
    pub fn with_signature_policy(mut self, policy: SignaturePolicy) -> Self {
        self.signatures = policy;
        self
    }

    /// Set the revocation policy.
    pub fn with_revocation(mut self, policy: RevocationPolicy) -> Self {
        self.revocation = policy;
        self
    }

    /// Require a key usage of the leaf.
    pub fn with_leaf_key_usage(mut self, req: KeyUsageRequirement) -> Self {
        self.leaf_key_usage = req;
        self
    }

    /// Require an extKeyUsage purpose of the leaf.
    pub fn with_leaf_extended_key_usage(mut self, purpose: ObjectIdentifier) -> Self {
        self.leaf_extended_key_usage = Some(purpose);
        self
    }

    /// Set the limits.
    pub fn with_limits(mut self, limits: ChainLimits) -> Self {
        self.limits = limits;
        self
    }

    /// Share `cache` with other validations: each certificate and CRL signature is then
    /// verified once for all of them.
    pub fn with_cache(mut self, cache: VerifyCache) -> Self {
        self.cache = Some(cache);
        self
    }
}

/// Verify a certificate chain from DER (or PEM) inputs.
///
/// `leaf` is the certificate to verify; `extra` are untrusted certificates that may help build
/// the path (e.g. a SignedData's certificate set); trust comes only from `store`'s anchors.
///
/// ```
/// # let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/certs/");
/// # let read = |p: &str| std::fs::read(format!("{corpus}{p}")).unwrap();
/// use gmseal_cert::{verify_chain, ChainOptions, TrustStore, Verdict};
/// let mut store = TrustStore::new();
/// store.add_anchors(&read("nrcac-ca/ROOTCA_NRCAC_root_sm2.pem")).unwrap();
/// let sheca = read("nrcac-ca/2DA1A6BD0CE76C624E634B7D6A29D02A.pem");
/// let time = "2025-01-01T00:00:00Z".parse().unwrap();
/// let report = verify_chain(&sheca, &[] as &[&[u8]], &store, &ChainOptions::at(time)).unwrap();
/// assert_eq!(report.verdict, Verdict::Trusted);
/// assert_eq!(report.path.len(), 2);
/// ```
///
/// # Errors
/// Only for malformed input: [`Error`] for the leaf, [`Error::ExtraCertificate`] for an
/// extra certificate, [`Error::TooMany`] for more extra certificates than the limit. Every
/// verification failure is reported in the [`ChainReport`].
pub fn verify_chain<B: AsRef<[u8]>>(
    leaf: &[u8],
    extra: &[B],
    store: &TrustStore,
    options: &ChainOptions,
) -> Result<ChainReport> {
    if extra.len() > options.limits.max_extra_certificates {
        return Err(Error::TooMany {
            what: "extra certificates",
            limit: options.limits.max_extra_certificates,
        });
    }
    let leaf = Cert::from_pem_or_der(leaf)?;
    let extra = extra
        .iter()
        .enumerate()
        .map(|(index, b)| {
            Cert::from_pem_or_der(b.as_ref()).map_err(|e| Error::ExtraCertificate {
                index,
                source: Box::new(e),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(verify_chain_certs(&leaf, &extra, store, options))
}

/// Verify a certificate chain from parsed certificates. Extra certificates beyond
/// [`ChainLimits::max_extra_certificates`] are ignored.
pub fn verify_chain_certs(
    leaf: &Cert,
    extra: &[Cert],
    store: &TrustStore,
    options: &ChainOptions,
) -> ChainReport {
    verify_chain_certs_with_crls(leaf, extra, &[], store, options)
}

/// As [`verify_chain_certs`], with CRLs that came with the leaf (a SignedData's `crls`, a
/// document's revocation data) used beside the store's.
///
/// Like the extra certificates they are untrusted: a CRL counts for a certificate only when
/// it passes the same checks as the store's (issued and signed by the certificate's issuer,
/// cRLSign, no unprocessed critical extension, not a delta CRL). Extra CRLs beyond
/// [`ChainLimits::max_extra_certificates`] are ignored.
pub fn verify_chain_certs_with_crls(
    leaf: &Cert,
    extra: &[Cert],
    extra_crls: &[crate::crl::Crl],
    store: &TrustStore,
    options: &ChainOptions,
) -> ChainReport {
    let crls = extra_crls
        .get(..options.limits.max_extra_certificates)
        .unwrap_or(extra_crls);
    let mut b = Builder::new(leaf, extra, crls, store, options);
    b.run()
}

/// A certificate available to path building.
struct Node<'a> {
    cert: &'a Cert,
    source: CertSource,
    anchor: bool,
}

/// The best failed attempt so far.
struct Attempt {
    report: ChainReport,
    score: (u8, u8, usize),
}

struct Builder<'a> {
    leaf: &'a Cert,
    nodes: Vec<Node<'a>>,
    store: &'a TrustStore,
    /// CRLs given with the leaf, after the store's (indices continue the store's).
    extra_crls: &'a [crate::crl::Crl],
    opts: &'a ChainOptions,
    sig_checks: usize,
    sig_cache: HashMap<(usize, usize), core::result::Result<SignatureOk, SignatureFailure>>,
    crl_cache: HashMap<(usize, usize), core::result::Result<SignatureOk, crate::crl::CrlProblem>>,
    best: Option<Attempt>,
    /// Set when the signature budget ran out: the report of where it happened.
    exhausted: Option<ChainReport>,
}

impl<'a> Builder<'a> {
    fn new(
        leaf: &'a Cert,
        extra: &'a [Cert],
        extra_crls: &'a [crate::crl::Crl],
        store: &'a TrustStore,
        opts: &'a ChainOptions,
    ) -> Self {
        let mut nodes: Vec<Node<'a>> = vec![Node {
            cert: leaf,
            source: CertSource::Leaf,
            anchor: store.is_anchor(leaf),
        }];
        let push = |nodes: &mut Vec<Node<'a>>, cert: &'a Cert, source, anchor| {
            if !nodes.iter().any(|n| n.cert == cert) {
                nodes.push(Node {
                    cert,
                    source,
                    anchor,
                });
            }
        };
        for a in store.anchors() {
            push(&mut nodes, a, CertSource::StoreAnchor, true);
        }
        for e in extra.iter().take(opts.limits.max_extra_certificates) {
            push(&mut nodes, e, CertSource::Extra, false);
        }
        for i in store.intermediates() {
            push(&mut nodes, i, CertSource::StoreIntermediate, false);
        }
        Builder {
            leaf,
            nodes,
            store,
            extra_crls,
            opts,
            sig_checks: 0,
            sig_cache: HashMap::new(),
            crl_cache: HashMap::new(),
            best: None,
            exhausted: None,
        }
    }

    fn run(&mut self) -> ChainReport {
        let mut path = vec![0usize];
        let mut sigs = Vec::new();
        if let Some(r) = self.search(&mut path, &mut sigs) {
            return r;
        }
        // Giving up early means another candidate might have led to a trust anchor.
        if let Some(r) = self.exhausted.take() {
            return r;
        }
        match self.best.take() {
            Some(a) => a.report,
            // Unreachable in practice: every branch records an attempt.
            None => self.partial_report(
                &[0],
                &[],
                None,
                0,
                Problem::IssuerNotFound {
                    issuer: display_name(self.node(0).issuer()),
                },
            ),
        }
    }

    fn node(&self, i: usize) -> &'a Cert {
        self.nodes.get(i).map_or(self.leaf, |n| n.cert)
    }

    fn is_anchor(&self, i: usize) -> bool {
        self.nodes.get(i).is_some_and(|n| n.anchor)
    }

    /// Depth-first search; returns a trusted report as soon as one is found.
    fn search(
        &mut self,
        path: &mut Vec<usize>,
        sigs: &mut Vec<SignatureOk>,
    ) -> Option<ChainReport> {
        let cur = *path.last()?;
        if self.is_anchor(cur) {
            let report = self.evaluate_complete(path, sigs);
            if report.is_trusted() {
                return Some(report);
            }
            self.consider(report, true);
            return None;
        }
        let cur_cert = self.node(cur);
        let candidates = self.candidates(cur, path);
        if candidates.is_empty() {
            let problem = if cur_cert.is_self_issued() {
                Problem::UntrustedRoot {
                    subject: display_name(cur_cert.subject()),
                }
            } else {
                Problem::IssuerNotFound {
                    issuer: display_name(cur_cert.issuer()),
                }
            };
            let at = path.len() - 1;
            let r = self.partial_report(path, sigs, None, at, problem);
            self.consider(r, false);
            return None;
        }
        if path.len() >= self.opts.limits.max_path_len {
            let at = path.len() - 1;
            let r = self.partial_report(
                path,
                sigs,
                None,
                at,
                Problem::PathTooLong {
                    limit: self.opts.limits.max_path_len,
                },
            );
            self.consider(r, false);
            return None;
        }
        for cand in candidates {
            let result = match self.sig_cache.get(&(cur, cand)) {
                Some(r) => r.clone(),
                None => {
                    if self.sig_checks >= self.opts.limits.max_signature_checks {
                        if self.exhausted.is_none() {
                            let at = path.len() - 1;
                            let r = self.partial_report(
                                path,
                                sigs,
                                None,
                                at,
                                Problem::BudgetExhausted {
                                    limit: self.opts.limits.max_signature_checks,
                                },
                            );
                            self.exhausted = Some(r);
                        }
                        return None;
                    }
                    // Counted even when the cache answers: limits trip at the same point with
                    // or without a cache.
                    self.sig_checks += 1;
                    let r = cur_cert.verify_issued_by_cached(
                        self.node(cand),
                        &self.opts.signatures,
                        self.opts.cache.as_ref(),
                    );
                    self.sig_cache.insert((cur, cand), r.clone());
                    r
                }
            };
            match result {
                Ok(ok) => {
                    path.push(cand);
                    sigs.push(ok);
                    if let Some(r) = self.search(path, sigs) {
                        return Some(r);
                    }
                    path.pop();
                    sigs.pop();
                }
                Err(failure) => {
                    let at = path.len() - 1;
                    let r = self.partial_report(
                        path,
                        sigs,
                        Some(cand),
                        at,
                        Problem::Signature(failure),
                    );
                    self.consider(r, false);
                }
            }
        }
        None
    }

    /// Possible issuers of `cur`, best first: anchors before others; within each, a
    /// subjectKeyIdentifier equal to `cur`'s authorityKeyIdentifier first and a different one
    /// last.
    fn candidates(&self, cur: usize, path: &[usize]) -> Vec<usize> {
        let cert = self.node(cur);
        let aki = cert.authority_key_identifier();
        let mut c: Vec<(u8, usize)> = self
            .nodes
            .iter()
            .enumerate()
            .filter(|(i, _)| !path.contains(i))
            .filter(|(_, n)| names_match(n.cert.subject(), cert.issuer()))
            .map(|(i, n)| {
                let key_match = match (aki, n.cert.subject_key_identifier()) {
                    (Some(a), Some(s)) if a == s => 0,
                    (Some(_), Some(_)) => 2,
                    _ => 1,
                };
                let group = if n.anchor { 0 } else { 3 };
                (group + key_match, i)
            })
            .collect();
        c.sort_by_key(|(rank, i)| (*rank, *i));
        c.into_iter().map(|(_, i)| i).collect()
    }

    fn consider(&mut self, report: ChainReport, complete: bool) {
        let rank = match &report.verdict {
            Verdict::Trusted => u8::MAX,
            Verdict::Untrusted { problem, .. } | Verdict::Indeterminate { problem, .. } => {
                problem.rank()
            }
        };
        let score = (u8::from(complete), rank, report.path.len());
        if self.best.as_ref().is_none_or(|b| score > b.score) {
            self.best = Some(Attempt { report, score });
        }
    }

    fn entries(&self, path: &[usize], rejected: Option<usize>) -> Vec<PathEntry> {
        let last = path.len().saturating_sub(1);
        let mut out: Vec<PathEntry> = path
            .iter()
            .enumerate()
            .map(|(pos, &i)| PathEntry {
                summary: self.node(i).summary(),
                role: if pos == last && self.is_anchor(i) {
                    PathRole::TrustAnchor
                } else if pos == 0 {
                    PathRole::Leaf
                } else {
                    PathRole::Intermediate
                },
                source: self.nodes.get(i).map_or(CertSource::Leaf, |n| n.source),
            })
            .collect();
        if let Some(r) = rejected {
            out.push(PathEntry {
                summary: self.node(r).summary(),
                role: PathRole::RejectedIssuer,
                source: self.nodes.get(r).map_or(CertSource::Leaf, |n| n.source),
            });
        }
        out
    }

    /// A report for a path that did not reach an anchor, ending in `problem` at path index
    /// `at`.
    fn partial_report(
        &mut self,
        path: &[usize],
        sigs: &[SignatureOk],
        rejected: Option<usize>,
        at: usize,
        problem: Problem,
    ) -> ChainReport {
        let mut checks = Vec::new();
        let mut tolerated = Vec::new();
        for pos in 0..path.len() {
            self.local_checks(path, pos, &mut checks);
            if let Some(ok) = sigs.get(pos) {
                push_signature(&mut checks, &mut tolerated, pos, ok);
            }
        }
        let kind = match problem {
            Problem::Signature(_) => CheckKind::Signature,
            _ => CheckKind::IssuerLookup,
        };
        checks.push(Check {
            cert: at,
            kind,
            outcome: Outcome::Failed(problem),
        });
        let verdict = verdict_of(&checks);
        ChainReport {
            verdict,
            path: self.entries(path, rejected),
            checks,
            tolerated,
            time: self.opts.time,
        }
    }

    /// Evaluate a path ending at a trust anchor.
    fn evaluate_complete(&mut self, path: &[usize], sigs: &[SignatureOk]) -> ChainReport {
        let mut checks = Vec::new();
        let mut tolerated = Vec::new();
        let last = path.len() - 1;
        for pos in 0..path.len() {
            if pos == last {
                checks.push(Check {
                    cert: pos,
                    kind: CheckKind::TrustAnchor,
                    outcome: Outcome::Passed,
                });
            }
            self.local_checks(path, pos, &mut checks);
            if let Some(ok) = sigs.get(pos) {
                push_signature(&mut checks, &mut tolerated, pos, ok);
            }
            if pos < last {
                if let Some(&parent) = path.get(pos + 1) {
                    let c = self.revocation_check(path, pos, parent, &mut tolerated);
                    checks.push(c);
                }
            }
        }
        let verdict = verdict_of(&checks);
        ChainReport {
            verdict,
            path: self.entries(path, None),
            checks,
            tolerated,
            time: self.opts.time,
        }
    }

    /// Checks that need only the certificate and its position.
    fn local_checks(&self, path: &[usize], pos: usize, checks: &mut Vec<Check>) {
        let Some(&i) = path.get(pos) else { return };
        let cert = self.node(i);
        let t = self.opts.time;
        let mut push = |kind, outcome| {
            checks.push(Check {
                cert: pos,
                kind,
                outcome,
            })
        };
        if let Some(&parent) = path.get(pos + 1) {
            let ok = names_match(cert.issuer(), self.node(parent).subject());
            push(
                CheckKind::NameChaining,
                if ok {
                    Outcome::Passed
                } else {
                    Outcome::Failed(Problem::IssuerNotFound {
                        issuer: display_name(cert.issuer()),
                    })
                },
            );
        }
        push(
            CheckKind::Validity,
            match cert.validity_at(t) {
                ValidityStatus::Valid => Outcome::Passed,
                ValidityStatus::NotYetValid { not_before } => {
                    Outcome::Failed(Problem::NotYetValid {
                        not_before,
                        time: t,
                    })
                }
                ValidityStatus::Expired { not_after } => {
                    Outcome::Failed(Problem::Expired { not_after, time: t })
                }
            },
        );
        push(
            CheckKind::CriticalExtensions,
            match cert.extensions().unsupported_critical().first() {
                None => Outcome::Passed,
                Some(oid) => Outcome::Failed(Problem::UnsupportedCriticalExtension(*oid)),
            },
        );
        if pos > 0 {
            // A CA certificate: it issued path[pos - 1].
            let bc = cert.extensions().basic_constraints.as_ref();
            push(
                CheckKind::BasicConstraints,
                if bc.is_some_and(|b| b.value.ca) {
                    Outcome::Passed
                } else {
                    Outcome::Failed(Problem::NotACa)
                },
            );
            if let Some(pl) = bc.and_then(|b| b.value.path_len_constraint) {
                let below = path
                    .iter()
                    .take(pos)
                    .skip(1)
                    .filter(|&&j| !self.node(j).is_self_issued())
                    .count();
                push(
                    CheckKind::PathLength,
                    if below <= usize::from(pl) {
                        Outcome::Passed
                    } else {
                        Outcome::Failed(Problem::PathLengthExceeded {
                            path_len: pl,
                            intermediates: below,
                        })
                    },
                );
            }
            push(
                CheckKind::KeyCertSign,
                if cert.allows_key_usage(KeyUsages::KeyCertSign) {
                    Outcome::Passed
                } else {
                    Outcome::Failed(Problem::MissingKeyCertSign)
                },
            );
        } else {
            if self.opts.leaf_key_usage != KeyUsageRequirement::Any {
                push(
                    CheckKind::LeafKeyUsage,
                    match cert.check_key_usage(self.opts.leaf_key_usage) {
                        Ok(()) => Outcome::Passed,
                        Err(e) => Outcome::Failed(Problem::LeafKeyUsage(e)),
                    },
                );
            }
            if let Some(purpose) = self.opts.leaf_extended_key_usage {
                let ok = cert
                    .extensions()
                    .extended_key_usage
                    .as_ref()
                    .is_some_and(|e| e.value.contains(&purpose));
                push(
                    CheckKind::LeafExtendedKeyUsage,
                    if ok {
                        Outcome::Passed
                    } else {
                        Outcome::Failed(Problem::LeafExtendedKeyUsage(purpose))
                    },
                );
            }
        }
    }

    fn revocation_check(
        &mut self,
        path: &[usize],
        pos: usize,
        parent: usize,
        tolerated: &mut Vec<ToleratedDeviation>,
    ) -> Check {
        let outcome = self.revocation_outcome(path, pos, parent, tolerated);
        Check {
            cert: pos,
            kind: CheckKind::Revocation,
            outcome,
        }
    }

    fn revocation_outcome(
        &mut self,
        path: &[usize],
        pos: usize,
        parent: usize,
        tolerated: &mut Vec<ToleratedDeviation>,
    ) -> Outcome {
        if self.opts.revocation == RevocationPolicy::Off {
            return Outcome::NotChecked(NotChecked::RevocationOff);
        }
        let Some(&i) = path.get(pos) else {
            return Outcome::NotChecked(NotChecked::NoCrlFromIssuer);
        };
        let cert = self.node(i);
        let issuer = self.node(parent);
        let t = self.opts.time;
        let crls: Vec<(usize, &crate::crl::Crl)> = self
            .store
            .crls()
            .iter()
            .chain(self.extra_crls)
            .enumerate()
            .filter(|(_, c)| names_match(c.issuer(), cert.issuer()))
            .collect();
        if crls.is_empty() {
            return match self.opts.revocation {
                RevocationPolicy::Require => {
                    Outcome::Failed(Problem::RevocationUnknown(RevocationUnknown::NoCrl))
                }
                _ => Outcome::NotChecked(NotChecked::NoCrlFromIssuer),
            };
        }
        let mut first_problem = None;
        let mut covered = false;
        let mut latest_next: Option<DateTime> = None;
        let mut revoked_later = None;
        for (ci, crl) in crls {
            let v = match self.crl_cache.get(&(ci, parent)) {
                Some(v) => v.clone(),
                None => {
                    let v = crl.validate_for_cached(
                        issuer,
                        &self.opts.signatures,
                        self.opts.cache.as_ref(),
                    );
                    self.crl_cache.insert((ci, parent), v.clone());
                    v
                }
            };
            match v {
                Err(p) => {
                    if first_problem.is_none() {
                        first_problem = Some(p);
                    }
                }
                Ok(ok) => {
                    for what in ok.tolerated {
                        let d = ToleratedDeviation {
                            cert: pos,
                            about: DeviationSubject::Crl,
                            what,
                        };
                        if !tolerated.contains(&d) {
                            tolerated.push(d);
                        }
                    }
                    if let Some(entry) = crl.find(cert.serial()) {
                        if entry.reason != Some(CrlReason::RemoveFromCRL) {
                            if entry.date <= t {
                                return Outcome::Failed(Problem::Revoked(entry));
                            }
                            revoked_later = Some(entry);
                        }
                    }
                    if crl.covers(t) {
                        covered = true;
                    } else if let Some(nu) = crl.next_update() {
                        latest_next = Some(latest_next.map_or(nu, |l: DateTime| l.max(nu)));
                    }
                }
            }
        }
        if covered {
            return match revoked_later {
                Some(r) => Outcome::RevokedAfterValidationTime(r),
                None => Outcome::Passed,
            };
        }
        let unknown = match (latest_next, first_problem) {
            (Some(next_update), _) => RevocationUnknown::CrlExpired { next_update },
            (None, Some(p)) => RevocationUnknown::CrlUnusable(p),
            (None, None) => RevocationUnknown::NoCrl,
        };
        Outcome::Failed(Problem::RevocationUnknown(unknown))
    }
}

fn push_signature(
    checks: &mut Vec<Check>,
    tolerated: &mut Vec<ToleratedDeviation>,
    pos: usize,
    ok: &SignatureOk,
) {
    let outcome = if ok.tolerated.is_empty() {
        Outcome::Passed
    } else {
        for what in &ok.tolerated {
            tolerated.push(ToleratedDeviation {
                cert: pos,
                about: DeviationSubject::Certificate,
                what: *what,
            });
        }
        Outcome::PassedWithDeviations(ok.tolerated.clone())
    };
    checks.push(Check {
        cert: pos,
        kind: CheckKind::Signature,
        outcome,
    });
}

/// The verdict from the checks: untrusted if any definite failure (the most specific one),
/// indeterminate if only indeterminate failures, trusted otherwise.
fn verdict_of(checks: &[Check]) -> Verdict {
    let mut worst: Option<(&Problem, usize)> = None;
    let mut worst_ind: Option<(&Problem, usize)> = None;
    for c in checks {
        if let Outcome::Failed(p) = &c.outcome {
            let slot = if p.is_indeterminate() {
                &mut worst_ind
            } else {
                &mut worst
            };
            if slot.is_none_or(|(q, _)| p.rank() > q.rank()) {
                *slot = Some((p, c.cert));
            }
        }
    }
    match (worst, worst_ind) {
        (Some((p, cert)), _) => Verdict::Untrusted {
            cert,
            problem: p.clone(),
        },
        (None, Some((p, cert))) => Verdict::Indeterminate {
            cert,
            problem: p.clone(),
        },
        (None, None) => Verdict::Trusted,
    }
}
