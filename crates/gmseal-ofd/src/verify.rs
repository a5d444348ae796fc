//! Verification of every signature of a package (GB/T 33190-2016 §18, GB/T 38540-2020 §7.3).
//!
//! For each document and each signature listed in its Signatures.xml the verifier:
//!
//! 1. re-hashes every `Reference` with SM3 and compares it with its `CheckValue` (something
//!    sOFD does not do for seal signatures: a stale reference is reported here);
//! 2. hands the signed value, the exact bytes of Signature.xml and the seal file to the
//!    [`SignedValueVerifier`] for the signature's type, and reports each of its checks;
//! 3. checks each stamp: its page exists, its visible part lies on the page, and the signature
//!    protects that page's content;
//! 4. after all signatures, lists every file of the package that no signature protects (files
//!    added after signing, or never signed), and every signature file the list does not name (a
//!    signature dropped from Signatures.xml).
//!
//! Strict by default: a deviation real files contain (a FileRef without `/`, `CheckMethod="sm3"`,
//! dms360's Provider ...) is a finding that makes the verdict indeterminate. In lenient mode it
//! is tolerated and listed.
//!
//! ```
//! # fn main() -> Result<(), gmseal_ofd::Error> {
//! use gmseal_ofd::{Package, Verifier, Verdict};
//! # let bytes = std::fs::read(gmseal_testkit::corpus("ofd/seal-v4-two-sigs-first-broken-h.ofd"))?;
//! let report = Verifier::new().verify(&Package::from_bytes(bytes)?)?;
//! // s001 protected Signatures.xml, which changed when s007 was added.
//! let s001 = report.signature("s001").unwrap();
//! assert_eq!(s001.verdict, Verdict::Tampered);
//! assert!(s001.findings.iter().any(|f| matches!(f,
//!     gmseal_ofd::Finding::DigestMismatch { file, .. } if file == "Doc_0/Signs/Signatures.xml")));
//! # Ok(()) }
//! ```

use std::collections::{HashMap, HashSet};

use gmseal_sm2::Strictness;

use crate::digest::{CheckMethod, check_method};
use crate::error::{Error, PackageError};
use crate::package::{Limits, Package, PackageAnomaly};
use crate::path::{LocForm, PackagePath, resolve};
use crate::report::{
    Deviation, DocumentReport, FileCoverage, Finding, ReferenceCheck, ReferenceOutcome, Report,
    SignatureReport, StampCheck, Verdict,
};
use crate::signed_value::cms::SignVerifier;
use crate::signed_value::ses::SesVerifier;
use crate::signed_value::{SignedValueVerifier, VerifyInput};
use crate::xml::OFD_NAMESPACE;
use crate::xml::document::DocumentXml;
use crate::xml::ofd::OfdXml;
use crate::xml::page::PageXml;
use crate::xml::signature::{ProviderForm, SignatureXml};
use crate::xml::signatures::{SignatureEntry, SignatureType, SignaturesXml};

/// Verifies the signatures of OFD packages.
pub struct Verifier {
    strictness: Strictness,
    limits: Limits,
    seal: Option<Box<dyn SignedValueVerifier>>,
    sign: Option<Box<dyn SignedValueVerifier>>,
}

impl core::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Verifier")
            .field("strictness", &self.strictness)
            .field("limits", &self.limits)
            .field("seal", &self.seal.is_some())
            .field("sign", &self.sign.is_some())
            .finish()
    }
}

impl Default for Verifier {
    fn default() -> Self {
        Self::new()
    }
}

impl Verifier {
    /// A strict verifier with default limits. `Type="Seal"` values are checked by
    /// [`SesVerifier`] (gmseal-ses), `Type="Sign"` values by [`SignVerifier`] (GB/T 35275
    /// SignedData through gmseal-cms, or a bare SM2 signature, which needs a key). No trust
    /// anchors are configured: certificate chains are reported as not checked, so the best
    /// verdict is [`Verdict::Indeterminate`] until chain verifiers are given.
    pub fn new() -> Self {
        Verifier {
            strictness: Strictness::Strict,
            limits: Limits::default(),
            seal: Some(Box::new(SesVerifier::new())),
            sign: Some(Box::new(SignVerifier::new())),
        }
    }

    /// A strict verifier whose seal and SignedData back ends check certificate chains, and
    /// timestamp tokens with their TSA's chain, against `chain`'s trust store (gmseal-cert).
    /// Bare SM2 signatures still need a key: set one with
    /// [`sign_verifier`](Self::sign_verifier).
    ///
    /// A [`VerifyCache`](gmseal_cert::VerifyCache) given to `chain`
    /// ([`CertChain::with_cache`](crate::trust::CertChain::with_cache)) serves the seal
    /// verifier too: for a batch of documents under the same certificates and seals, build one
    /// such verifier and call [`verify_many`](Self::verify_many).
    pub fn trusting(chain: crate::trust::CertChain) -> Self {
        let mut ses = SesVerifier::new();
        if let Some(cache) = chain.cache() {
            ses = ses.with_cache(cache.clone());
        }
        Verifier {
            seal: Some(Box::new(
                ses.with_chain_verifier(chain.clone())
                    .with_timestamp_verifier(chain.clone()),
            )),
            sign: Some(Box::new(SignVerifier::new().signed_data(
                crate::signed_value::cms::SignedDataVerifier::new().with_chain_verifier(chain),
            ))),
            ..Self::new()
        }
    }

    /// Strict or lenient.
    #[must_use]
    pub fn strictness(mut self, strictness: Strictness) -> Self {
        self.strictness = strictness;
        self
    }

    /// Lenient mode: tolerate (and list) the deviations real files contain.
    #[must_use]
    pub fn lenient(self) -> Self {
        self.strictness(Strictness::Lenient)
    }

    /// Limits for [`verify_bytes`](Self::verify_bytes) and for the XML parsed.
    #[must_use]
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The verifier of `Type="Seal"` values (SES_Signature).
    #[must_use]
    pub fn seal_verifier(mut self, v: impl SignedValueVerifier + 'static) -> Self {
        self.seal = Some(Box::new(v));
        self
    }

    /// The verifier of `Type="Sign"` values.
    #[must_use]
    pub fn sign_verifier(mut self, v: impl SignedValueVerifier + 'static) -> Self {
        self.sign = Some(Box::new(v));
        self
    }

    /// Open `bytes` with this verifier's limits and verify.
    ///
    /// # Errors
    /// As [`Package::from_bytes`] and [`verify`](Self::verify).
    pub fn verify_bytes(&self, bytes: Vec<u8>) -> Result<Report, Error> {
        self.verify(&Package::from_bytes_with_limits(bytes, self.limits)?)
    }

    /// Verify many packages; the results come back in the order of `packages`.
    ///
    /// With the `parallel` feature (on by default) the packages are verified on rayon's
    /// thread pool (`RAYON_NUM_THREADS` sets its size), else one after the other. Each result
    /// is what [`verify_bytes`](Self::verify_bytes) gives for that package; with a
    /// [`VerifyCache`](gmseal_cert::VerifyCache) (see [`trusting`](Self::trusting)) the
    /// certificates, chains and seals the packages share are verified once.
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use gmseal_cert::{TrustStore, VerifyCache};
    /// use gmseal_ofd::{trust::CertChain, Verifier};
    ///
    /// # let (store, packages): (TrustStore, Vec<Vec<u8>>) = (TrustStore::new(), Vec::new());
    /// let verifier = Verifier::trusting(CertChain::new(store).with_cache(VerifyCache::new()));
    /// for report in verifier.verify_many(packages) {
    ///     println!("{}", report?.verdict);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn verify_many(&self, packages: Vec<Vec<u8>>) -> Vec<Result<Report, Error>> {
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;
            packages
                .into_par_iter()
                .map(|p| self.verify_bytes(p))
                .collect()
        }
        #[cfg(not(feature = "parallel"))]
        {
            packages.into_iter().map(|p| self.verify_bytes(p)).collect()
        }
    }

    /// Verify every signature of every document of `package`.
    ///
    /// # Errors
    /// [`Error`] when the package structure itself is broken: no or malformed OFD.xml,
    /// Document.xml or Signatures.xml, a corrupt zip entry. A signature that does not verify is
    /// a finding in the report, not an error.
    pub fn verify(&self, package: &Package) -> Result<Report, Error> {
        let mut run = Run {
            v: self,
            package,
            digests: HashMap::new(),
        };
        run.verify()
    }
}

/// One verification run: the package and a cache of file digests (many signatures reference
/// the same files).
struct Run<'a> {
    v: &'a Verifier,
    package: &'a Package,
    digests: HashMap<String, [u8; 32]>,
}

/// A located file: its path and the deviation used to find it, if any.
struct Located {
    path: String,
    deviation: Option<Deviation>,
}

/// What the coverage pass needs from one signature.
struct Protection {
    id: String,
    /// Referenced, digest matches.
    matched: Vec<String>,
    /// Referenced, digest differs.
    changed: Vec<String>,
    /// Referenced, digest not computed (unsupported or not tolerated CheckMethod).
    unchecked: Vec<String>,
    /// The signature's own files.
    own: Vec<String>,
}

fn xml_err(file: &str, error: crate::error::XmlError) -> Error {
    Error::Xml {
        file: format!("/{file}"),
        error,
    }
}

impl Run<'_> {
    fn lenient(&self) -> bool {
        self.v.strictness == Strictness::Lenient
    }

    /// Find `path` exactly, or (lenient) ignoring letter case.
    fn locate(&self, path: &str) -> Option<Located> {
        if self.package.contains(path) {
            return Some(Located {
                path: path.to_owned(),
                deviation: None,
            });
        }
        let e = self.package.find_ignore_case(path)?;
        Some(Located {
            path: e.path.as_str().to_owned(),
            deviation: Some(Deviation::PathCase {
                written: path.to_owned(),
                found: e.path.as_str().to_owned(),
            }),
        })
    }

    fn sm3(&mut self, path: &str) -> Result<[u8; 32], PackageError> {
        if let Some(d) = self.digests.get(path) {
            return Ok(*d);
        }
        let d = self.package.sm3(path)?;
        self.digests.insert(path.to_owned(), d);
        Ok(d)
    }

    /// Record a deviation: tolerated in lenient mode, a finding in strict mode.
    fn deviation(&self, d: Deviation, findings: &mut Vec<Finding>, tolerated: &mut Vec<Deviation>) {
        if self.lenient() {
            if !tolerated.contains(&d) {
                tolerated.push(d);
            }
        } else {
            let f = Finding::NotTolerated(d);
            if !findings.contains(&f) {
                findings.push(f);
            }
        }
    }

    fn namespace_check(
        &self,
        file: &str,
        ns: Option<&String>,
        findings: &mut Vec<Finding>,
        tolerated: &mut Vec<Deviation>,
    ) {
        if ns.map(String::as_str) != Some(OFD_NAMESPACE) {
            self.deviation(
                Deviation::Namespace {
                    file: format!("/{file}"),
                    namespace: ns.cloned(),
                },
                findings,
                tolerated,
            );
        }
    }

    fn verify(&mut self) -> Result<Report, Error> {
        let mut findings = Vec::new();
        let mut tolerated = Vec::new();
        for a in self.package.anomalies() {
            let PackageAnomaly::CaseOnlyDuplicate { first, second } = a;
            findings.push(Finding::CaseOnlyDuplicate {
                first: first.clone(),
                second: second.clone(),
            });
        }
        let ofd_path = match self.locate("OFD.xml") {
            Some(l) => {
                if let Some(d) = l.deviation {
                    self.deviation(d, &mut findings, &mut tolerated);
                }
                l.path
            }
            None => {
                return Err(Error::MissingFile {
                    path: "OFD.xml".into(),
                    referenced_from: "GB/T 33190 (package entry point)".into(),
                });
            }
        };
        let ofd_bytes = self.package.read_xml(&ofd_path)?;
        let ofd = OfdXml::parse(&ofd_bytes, &self.v.limits).map_err(|e| xml_err(&ofd_path, e))?;
        self.namespace_check(
            &ofd_path,
            ofd.namespace.as_ref(),
            &mut findings,
            &mut tolerated,
        );

        let mut documents = Vec::new();
        let mut protections = Vec::new();
        let mut lists = HashSet::new();
        let mut listed_signature_files = HashSet::new();
        for (index, body) in ofd.doc_bodies.iter().enumerate() {
            let doc = self.verify_document(
                index,
                &body.doc_root,
                body.signatures.as_deref(),
                &ofd_path,
                &mut protections,
            )?;
            if let Some(l) = &doc.signatures_file {
                lists.insert(l.clone());
            }
            for s in &doc.signatures {
                listed_signature_files.insert(s.signature_file.clone());
            }
            documents.push(doc);
        }

        let coverage = self.coverage(&protections, &lists, &listed_signature_files, &mut findings);
        let mut verdict = documents
            .iter()
            .fold(Verdict::Valid, |v, d| v.worst(d.verdict));
        for f in &findings {
            verdict = verdict.worst(f.verdict());
        }
        rank(&mut findings);
        Ok(Report {
            verdict,
            documents,
            coverage,
            findings,
            tolerated,
        })
    }

    fn coverage(
        &self,
        protections: &[Protection],
        lists: &HashSet<String>,
        listed: &HashSet<String>,
        findings: &mut Vec<Finding>,
    ) -> Vec<FileCoverage> {
        let mut coverage = Vec::new();
        let any_signature = !protections.is_empty();
        // Unlisted signatures: a Signature.xml nobody lists; its directory's other files are
        // reported with it, not one by one.
        let mut unlisted_dirs = Vec::new();
        for e in self.package.files() {
            let p = e.path.as_str();
            if e.path.file_name().eq_ignore_ascii_case("Signature.xml") && !listed.contains(p) {
                let own = protections.iter().any(|pr| pr.own.iter().any(|o| o == p));
                if !own {
                    findings.push(Finding::UnlistedSignature { file: p.to_owned() });
                    unlisted_dirs.push(e.path.parent());
                }
            }
        }
        for e in self.package.files() {
            let p = e.path.as_str();
            let mut fc = FileCoverage {
                file: p.to_owned(),
                protected_by: Vec::new(),
                changed_for: Vec::new(),
                unchecked_for: Vec::new(),
                part_of: None,
            };
            for pr in protections {
                if pr.matched.iter().any(|m| m == p) && !fc.protected_by.contains(&pr.id) {
                    fc.protected_by.push(pr.id.clone());
                }
                if pr.changed.iter().any(|m| m == p) && !fc.changed_for.contains(&pr.id) {
                    fc.changed_for.push(pr.id.clone());
                }
                if pr.unchecked.iter().any(|m| m == p) && !fc.unchecked_for.contains(&pr.id) {
                    fc.unchecked_for.push(pr.id.clone());
                }
                if fc.part_of.is_none() && pr.own.iter().any(|m| m == p) {
                    fc.part_of = Some(pr.id.clone());
                }
            }
            let in_unlisted = unlisted_dirs.iter().any(|d| e.path.parent() == *d);
            if any_signature && !fc.is_covered() && !lists.contains(p) && !in_unlisted {
                findings.push(Finding::UncoveredFile { file: p.to_owned() });
            }
            coverage.push(fc);
        }
        coverage
    }

    fn verify_document(
        &mut self,
        index: usize,
        doc_root: &str,
        signatures_loc: Option<&str>,
        ofd_path: &str,
        protections: &mut Vec<Protection>,
    ) -> Result<DocumentReport, Error> {
        let mut findings = Vec::new();
        let mut tolerated = Vec::new();
        let ofd_dir = PackagePath::new(ofd_path)
            .map(|p| p.parent())
            .unwrap_or_else(|_| PackagePath::root());
        let doc_path = resolve(&ofd_dir, doc_root).map_err(|reason| Error::Location {
            loc: doc_root.to_owned(),
            in_file: format!("/{ofd_path}"),
            reason,
        })?;
        let doc_loc = self
            .locate(doc_path.path.as_str())
            .ok_or_else(|| Error::MissingFile {
                path: doc_path.path.as_str().to_owned(),
                referenced_from: format!("/{ofd_path}"),
            })?;
        if let Some(d) = doc_loc.deviation {
            self.deviation(d, &mut findings, &mut tolerated);
        }
        let doc_bytes = self.package.read_xml(&doc_loc.path)?;
        let document = DocumentXml::parse(&doc_bytes, &self.v.limits)
            .map_err(|e| xml_err(&doc_loc.path, e))?;
        let doc_dir = PackagePath::new(&doc_loc.path)
            .map(|p| p.parent())
            .unwrap_or_else(|_| PackagePath::root());

        let mut report = DocumentReport {
            index,
            document_file: doc_loc.path.clone(),
            signatures_file: None,
            verdict: Verdict::Valid,
            signatures: Vec::new(),
            findings: Vec::new(),
            tolerated: Vec::new(),
        };
        let Some(list_loc) = signatures_loc else {
            findings.push(Finding::NoSignatures);
            report.verdict = Verdict::Indeterminate;
            report.findings = findings;
            report.tolerated = tolerated;
            return Ok(report);
        };
        let list_path = resolve(&ofd_dir, list_loc).map_err(|reason| Error::Location {
            loc: list_loc.to_owned(),
            in_file: format!("/{ofd_path}"),
            reason,
        })?;
        let Some(list) = self.locate(list_path.path.as_str()) else {
            findings.push(Finding::SignatureFileMissing {
                path: list_path.path.as_str().to_owned(),
            });
            report.verdict = Verdict::Tampered;
            report.findings = findings;
            return Ok(report);
        };
        if let Some(d) = list.deviation {
            self.deviation(d, &mut findings, &mut tolerated);
        }
        report.signatures_file = Some(list.path.clone());
        let list_bytes = self.package.read_xml(&list.path)?;
        let sigs = SignaturesXml::parse(&list_bytes, &self.v.limits)
            .map_err(|e| xml_err(&list.path, e))?;
        self.namespace_check(
            &list.path,
            sigs.namespace.as_ref(),
            &mut findings,
            &mut tolerated,
        );
        if sigs.max_sign_ids.len() > 1 {
            self.deviation(
                Deviation::MultipleMaxSignId {
                    count: sigs.max_sign_ids.len(),
                },
                &mut findings,
                &mut tolerated,
            );
        }
        if sigs.entries.is_empty() {
            findings.push(Finding::NoSignatures);
        }
        let list_dir = PackagePath::new(&list.path)
            .map(|p| p.parent())
            .unwrap_or_else(|_| PackagePath::root());

        let mut ids = HashSet::new();
        for e in &sigs.entries {
            if !ids.insert(e.id.clone()) {
                findings.push(Finding::DuplicateSignatureId { id: e.id.clone() });
            }
        }
        let ctx = DocCtx {
            document: &document,
            doc_dir: &doc_dir,
            list_dir: &list_dir,
            list_path: &list.path,
        };
        let mut files = HashSet::new();
        for entry in &sigs.entries {
            let (sig, prot) = self.verify_signature(entry, &ctx)?;
            if !files.insert(sig.signature_file.clone()) {
                findings.push(Finding::DuplicateSignatureFile {
                    file: sig.signature_file.clone(),
                });
            }
            if let Some(p) = prot {
                protections.push(p);
            }
            report.signatures.push(sig);
        }
        // Several signatures with one signed value; Relative targets.
        let n = report.signatures.len();
        for i in 0..n {
            let (mut extra, relative) = {
                let Some(s) = report.signatures.get(i) else {
                    continue;
                };
                let mut extra = Vec::new();
                if let Some(v) = &s.signed_value_file {
                    for o in report.signatures.iter().take(n) {
                        if o.id != s.id && o.signed_value_file.as_ref() == Some(v) {
                            extra.push(Finding::SharedSignedValue {
                                other: o.id.clone(),
                            });
                        }
                    }
                }
                (extra, sigs.entries.get(i).and_then(|e| e.relative.clone()))
            };
            if let Some(r) = relative
                && !ids.contains(&r)
            {
                extra.push(Finding::RelativeMissing { relative: r });
            }
            if let Some(s) = report.signatures.get_mut(i) {
                for f in extra {
                    s.verdict = s.verdict.worst(f.verdict());
                    s.findings.push(f);
                }
                rank(&mut s.findings);
            }
        }
        let mut verdict = report
            .signatures
            .iter()
            .fold(Verdict::Valid, |v, s| v.worst(s.verdict));
        for f in &findings {
            verdict = verdict.worst(f.verdict());
        }
        rank(&mut findings);
        report.verdict = verdict;
        report.findings = findings;
        report.tolerated = tolerated;
        Ok(report)
    }

    /// Find a signature's Signature.xml: relative to Signatures.xml (the standard), then
    /// (tolerated) from the package root or the document directory, then ignoring case.
    fn locate_signature_file(&self, entry: &SignatureEntry, ctx: &DocCtx<'_>) -> Option<Located> {
        let primary = resolve(ctx.list_dir, &entry.base_loc).ok()?;
        if let Some(l) = self.locate(primary.path.as_str()) {
            return Some(l);
        }
        if primary.form == LocForm::Relative {
            for base in [PackagePath::root(), ctx.doc_dir.clone()] {
                if let Ok(r) = resolve(&base, &entry.base_loc)
                    && let Some(l) = self.locate(r.path.as_str())
                {
                    return Some(Located {
                        deviation: Some(Deviation::BaseLocResolvedElsewhere {
                            base_loc: entry.base_loc.clone(),
                            found: l.path.clone(),
                        }),
                        path: l.path,
                    });
                }
            }
        }
        None
    }

    fn verify_signature(
        &mut self,
        entry: &SignatureEntry,
        ctx: &DocCtx<'_>,
    ) -> Result<(SignatureReport, Option<Protection>), Error> {
        let mut findings = Vec::new();
        let mut tolerated = Vec::new();
        let mut report = SignatureReport {
            id: entry.id.clone(),
            kind: entry.kind,
            signature_file: String::new(),
            signed_value_file: None,
            verdict: Verdict::Valid,
            provider: None,
            signature_method: None,
            signature_date_time: None,
            check_method: None,
            references: Vec::new(),
            stamps: Vec::new(),
            signed_value: None,
            protects_signature_list: false,
            findings: Vec::new(),
            tolerated: Vec::new(),
        };
        if let Some(t) = &entry.type_attr
            && t != entry.kind.as_str()
        {
            self.deviation(
                Deviation::SignatureTypeCase { found: t.clone() },
                &mut findings,
                &mut tolerated,
            );
        }
        let finish =
            |mut report: SignatureReport, mut findings: Vec<Finding>, tolerated: Vec<Deviation>| {
                report.verdict = findings
                    .iter()
                    .fold(Verdict::Valid, |v, f| v.worst(f.verdict()));
                rank(&mut findings);
                report.findings = findings;
                report.tolerated = tolerated;
                report
            };
        let Some(loc) = self.locate_signature_file(entry, ctx) else {
            let path = resolve(ctx.list_dir, &entry.base_loc)
                .map(|r| r.path.as_str().to_owned())
                .unwrap_or_else(|_| entry.base_loc.clone());
            report.signature_file = path.clone();
            findings.push(Finding::SignatureFileMissing { path });
            return Ok((finish(report, findings, tolerated), None));
        };
        if let Some(d) = loc.deviation {
            self.deviation(d, &mut findings, &mut tolerated);
        }
        report.signature_file = loc.path.clone();
        let sig_path = PackagePath::new(&loc.path).map_err(|reason| Error::Location {
            loc: loc.path.clone(),
            in_file: format!("/{}", ctx.list_path),
            reason,
        })?;
        let sig_dir = sig_path.parent();
        let sig_bytes = self.package.read_xml(&loc.path)?;
        let sig = match SignatureXml::parse(&sig_bytes, &self.v.limits) {
            Ok(s) => s,
            Err(e) => {
                findings.push(Finding::SignatureFileMalformed {
                    error: e.to_string(),
                });
                return Ok((finish(report, findings, tolerated), None));
            }
        };
        self.namespace_check(
            &loc.path,
            sig.namespace.as_ref(),
            &mut findings,
            &mut tolerated,
        );
        report.provider = sig.provider.provider_name.clone();
        report.signature_method = sig.signature_method.clone();
        report.signature_date_time = sig.signature_date_time.clone();
        report.check_method = sig.references.check_method.clone();
        match (sig.provider.form, &sig.provider.provider_name) {
            (Some(ProviderForm::ChildElements), _) => self.deviation(
                Deviation::ProviderChildElements,
                &mut findings,
                &mut tolerated,
            ),
            (_, None) => self.deviation(
                Deviation::ProviderNameMissing,
                &mut findings,
                &mut tolerated,
            ),
            _ => {}
        }

        // 1. References.
        let method = check_method(sig.references.check_method.as_deref(), self.v.strictness);
        let can_hash = match &method {
            CheckMethod::Sm3(d) => {
                if let Some(d) = d {
                    self.deviation(d.clone(), &mut findings, &mut tolerated);
                }
                true
            }
            CheckMethod::NotTolerated(d) => {
                findings.push(Finding::NotTolerated(d.clone()));
                false
            }
            CheckMethod::Unsupported(m) => {
                findings.push(Finding::UnsupportedCheckMethod { method: m.clone() });
                false
            }
        };
        if sig.references.references.is_empty() {
            findings.push(Finding::NoReferences);
        }
        let mut prot = Protection {
            id: entry.id.clone(),
            matched: Vec::new(),
            changed: Vec::new(),
            unchecked: Vec::new(),
            own: vec![loc.path.clone()],
        };
        let mut seen: HashMap<String, Vec<u8>> = HashMap::new();
        for r in &sig.references.references {
            let mut check = ReferenceCheck {
                file_ref: r.file_ref.clone(),
                path: None,
                outcome: ReferenceOutcome::NotChecked,
            };
            let resolved = match resolve(&PackagePath::root(), &r.file_ref) {
                Ok(x) => x,
                Err(reason) => {
                    findings.push(Finding::ReferenceUnusable {
                        file_ref: r.file_ref.clone(),
                        reason,
                    });
                    report.references.push(check);
                    continue;
                }
            };
            if resolved.form == LocForm::Relative {
                self.deviation(
                    Deviation::FileRefNotAbsolute {
                        file_ref: r.file_ref.clone(),
                    },
                    &mut findings,
                    &mut tolerated,
                );
            }
            let Some(found) = self.locate(resolved.path.as_str()) else {
                check.path = Some(resolved.path.as_str().to_owned());
                check.outcome = ReferenceOutcome::Missing;
                findings.push(Finding::ReferencedFileMissing {
                    file_ref: r.file_ref.clone(),
                });
                report.references.push(check);
                continue;
            };
            if let Some(d) = found.deviation {
                self.deviation(d, &mut findings, &mut tolerated);
            }
            if let Some(prev) = seen.insert(found.path.clone(), r.check_value.clone())
                && prev != r.check_value
            {
                findings.push(Finding::ConflictingReferences {
                    file: found.path.clone(),
                });
            }
            if found.path == ctx.list_path {
                report.protects_signature_list = true;
            }
            check.path = Some(found.path.clone());
            if can_hash {
                let digest = self.sm3(&found.path)?;
                if digest.as_slice() == r.check_value.as_slice() {
                    check.outcome = ReferenceOutcome::Match;
                    prot.matched.push(found.path.clone());
                } else {
                    check.outcome = ReferenceOutcome::Mismatch {
                        expected: r.check_value.clone(),
                        found: digest.to_vec(),
                    };
                    prot.changed.push(found.path.clone());
                    findings.push(Finding::DigestMismatch {
                        file: found.path.clone(),
                        expected: r.check_value.clone(),
                        found: digest.to_vec(),
                    });
                }
            } else {
                prot.unchecked.push(found.path.clone());
            }
            report.references.push(check);
        }

        // 2. The signed value.
        let sv_loc = resolve(&sig_dir, &sig.signed_value)
            .ok()
            .and_then(|r| self.locate(r.path.as_str()));
        let seal_loc = sig.seal.as_ref().map(|s| {
            resolve(&sig_dir, s)
                .ok()
                .and_then(|r| self.locate(r.path.as_str()))
        });
        let mut seal_bytes = None;
        match seal_loc {
            Some(Some(l)) => {
                if let Some(d) = l.deviation {
                    self.deviation(d, &mut findings, &mut tolerated);
                }
                seal_bytes = Some(self.package.read(&l.path)?);
                prot.own.push(l.path);
            }
            Some(None) => findings.push(Finding::SealFileMissing {
                loc: sig.seal.clone().unwrap_or_default(),
            }),
            None => {}
        }
        match sv_loc {
            None => findings.push(Finding::SignedValueMissing {
                loc: sig.signed_value.clone(),
            }),
            Some(l) => {
                if let Some(d) = l.deviation {
                    self.deviation(d, &mut findings, &mut tolerated);
                }
                let value = self.package.read(&l.path)?;
                report.signed_value_file = Some(l.path.clone());
                prot.own.push(l.path);
                let backend = match entry.kind {
                    SignatureType::Seal => self.v.seal.as_deref(),
                    SignatureType::Sign => self.v.sign.as_deref(),
                };
                match backend {
                    None => findings.push(Finding::NoVerifier { kind: entry.kind }),
                    Some(b) => {
                        let input = VerifyInput {
                            kind: entry.kind,
                            signature_xml: &sig_bytes,
                            signature_path: &sig_path,
                            signed_value: &value,
                            seal_file: seal_bytes.as_deref(),
                            signature_method: sig.signature_method.as_deref(),
                            signature_date_time: sig.signature_date_time.as_deref(),
                            strictness: self.v.strictness,
                        };
                        match b.verify(&input) {
                            Ok(sv) => {
                                for c in &sv.checks {
                                    let f = Finding::SignedValue(c.clone());
                                    if f.verdict() != Verdict::Valid {
                                        findings.push(f);
                                    }
                                }
                                for d in &sv.tolerated {
                                    self.deviation(d.clone(), &mut findings, &mut tolerated);
                                }
                                report.signed_value = Some(sv);
                            }
                            Err(e) => findings.push(Finding::SignedValueUnreadable {
                                reason: e.to_string(),
                            }),
                        }
                    }
                }
            }
        }

        // 3. Stamps.
        if entry.kind == SignatureType::Seal && sig.stamp_annots.is_empty() {
            findings.push(Finding::SealWithoutStamp);
        }
        let mut page_boxes: HashMap<usize, Option<crate::geometry::Rect>> = HashMap::new();
        for a in &sig.stamp_annots {
            let mut sc = StampCheck {
                id: a.id.clone(),
                page_ref: a.page_ref.clone(),
                page_index: ctx.document.page_index(&a.page_ref),
                page_file: None,
                boundary: a.boundary,
                clip: a.clip,
                page_box: None,
                visible: None,
                page_protected: None,
            };
            let Some(pi) = sc.page_index else {
                findings.push(Finding::StampPageMissing {
                    stamp: a.id.clone(),
                    page_ref: a.page_ref.clone(),
                });
                report.stamps.push(sc);
                continue;
            };
            let page_file = ctx
                .document
                .pages
                .get(pi)
                .and_then(|p| resolve(ctx.doc_dir, &p.base_loc).ok())
                .and_then(|r| self.locate(r.path.as_str()))
                .map(|l| l.path);
            let page_box = match page_boxes.get(&pi) {
                Some(b) => *b,
                None => {
                    let own = page_file.as_ref().and_then(|f| {
                        self.package
                            .read_xml(f)
                            .ok()
                            .and_then(|b| PageXml::parse(&b, &self.v.limits).ok())
                            .and_then(|p| p.physical_box)
                    });
                    let b = own.or(ctx.document.physical_box);
                    page_boxes.insert(pi, b);
                    b
                }
            };
            sc.page_box = page_box;
            if let Some(pb) = page_box {
                let visible = match a.clip {
                    Some(c) => {
                        crate::geometry::Rect::new(a.boundary.x + c.x, a.boundary.y + c.y, c.w, c.h)
                    }
                    None => a.boundary,
                };
                let ok = visible.intersects(&pb);
                sc.visible = Some(ok);
                if !ok {
                    findings.push(Finding::StampNotVisible {
                        stamp: a.id.clone(),
                        boundary: a.boundary,
                        page: pb,
                    });
                }
            }
            if let Some(f) = &page_file {
                // Named by a reference: a mismatch is reported as such, not as lack of protection.
                let named = prot
                    .matched
                    .iter()
                    .chain(&prot.changed)
                    .chain(&prot.unchecked)
                    .any(|m| m == f);
                sc.page_protected = Some(prot.matched.iter().any(|m| m == f));
                if !named {
                    findings.push(Finding::StampPageNotProtected {
                        stamp: a.id.clone(),
                        page_file: f.clone(),
                    });
                }
            }
            sc.page_file = page_file;
            report.stamps.push(sc);
        }

        Ok((finish(report, findings, tolerated), Some(prot)))
    }
}

struct DocCtx<'a> {
    document: &'a DocumentXml,
    doc_dir: &'a PackagePath,
    list_dir: &'a PackagePath,
    list_path: &'a str,
}

/// Most severe first (stable, so the order of discovery is kept within a rank).
fn rank(findings: &mut [Finding]) {
    findings.sort_by_key(|f| core::cmp::Reverse(f.verdict()));
}
