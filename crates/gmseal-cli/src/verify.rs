//! `gmseal verify [--json] FILE...`: the signatures of PDF and OFD files, detected from their
//! content, many files at once.
//!
//! Exit code 0 when every signature of every file is intact (digests and signatures verify,
//! the seal verifies, nothing disallowed changed after signing), 1 when any is broken or a
//! file cannot be verified (unreadable, unsupported, no signature), 2 for usage errors. Trust
//! (the certificate chains, with `--trust DIR`) is reported separately and fails only with
//! `--require-trust`. Warnings (files no signature covers, tolerated deviations) never fail.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use gmseal_pdf::cms::CmsVerifier;
use gmseal_pdf::seal::SealVerifier;
use gmseal_pdf::{CheckKind, Outcome};

use gmseal_cert::VerifyCache;
use gmseal_cms::CertChainVerifier;
use gmseal_ses::verify::TimestampTokenVerifier;
use rayon::prelude::*;

use crate::error::{CliResult, EXIT_FAILURE, EXIT_OK};
use crate::output::read_input;
use crate::trust::{Chain, TrustArgs};

/// Arguments of `gmseal verify`.
#[derive(Debug, clap::Args)]
pub(crate) struct VerifyArgs {
    /// The PDF and OFD files.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Print one JSON document instead of the human report.
    #[arg(long)]
    json: bool,
    /// Accept the deviations deployed systems write (raw r||s signatures, other algorithm
    /// identifiers, ...), and list each one.
    #[arg(long)]
    lenient: bool,
    /// Print every check of every signature, not only the problems.
    #[arg(long, short)]
    verbose: bool,
    /// Also write the interoperability platform's document verification report of the FILE
    /// (T/CCUA draft, spec 002 §6.4: the response of tables 25–28, JSON) to this file. Takes
    /// one FILE.
    #[arg(long, value_name = "OUT.json")]
    platform_report: Option<PathBuf>,
    /// Replace an existing --platform-report file.
    #[arg(long, requires = "platform_report")]
    force: bool,
    #[command(flatten)]
    trust: TrustArgs,
}

/// One check as reported.
#[derive(Debug, Clone)]
pub(crate) struct CheckLine {
    pub(crate) check: String,
    pub(crate) status: &'static str,
    pub(crate) detail: String,
}

/// One signature as reported.
#[derive(Debug, Clone, Default)]
pub(crate) struct SigResult {
    pub(crate) name: String,
    pub(crate) format: String,
    pub(crate) verdict: String,
    /// A digest, signature, seal or later change shows the signature is broken.
    pub(crate) broken: bool,
    /// A check needed to call it intact could not be made (no key, unsupported algorithm).
    pub(crate) unverifiable: bool,
    pub(crate) trusted: Option<bool>,
    pub(crate) signer: Option<String>,
    pub(crate) signing_time: Option<String>,
    /// The `genTime` of a timestamp over the signature value that verified: the time the
    /// signature is proven to have existed.
    pub(crate) timestamp: Option<String>,
    pub(crate) checks: Vec<CheckLine>,
    pub(crate) problems: Vec<String>,
    pub(crate) warnings: Vec<String>,
}

impl SigResult {
    /// Neither broken nor unverifiable.
    pub(crate) fn intact(&self) -> bool {
        !self.broken && !self.unverifiable
    }

    /// "intact", "BROKEN" or "CANNOT VERIFY".
    pub(crate) fn state(&self) -> &'static str {
        if self.broken {
            "BROKEN"
        } else if self.unverifiable {
            "CANNOT VERIFY"
        } else {
            "intact"
        }
    }
}

/// One file as reported.
#[derive(Debug, Clone, Default)]
pub(crate) struct FileResult {
    pub(crate) file: String,
    pub(crate) kind: &'static str,
    pub(crate) error: Option<String>,
    pub(crate) signatures: Vec<SigResult>,
    /// The interoperability platform's report of the file (spec 002 table 26), when it was
    /// asked for (`--platform-report`) and the file could be verified.
    pub(crate) platform: Option<gmseal_register::interop::verification::DocumentVerification>,
    pub(crate) problems: Vec<String>,
    pub(crate) warnings: Vec<String>,
}

impl FileResult {
    /// Every signature intact, at least one, no file-level problem.
    pub(crate) fn intact(&self) -> bool {
        self.error.is_none()
            && !self.signatures.is_empty()
            && self.problems.is_empty()
            && self.signatures.iter().all(SigResult::intact)
    }

    /// Trusted when every signature is; `None` when any was not checked.
    pub(crate) fn trusted(&self) -> Option<bool> {
        if self.signatures.is_empty() {
            return None;
        }
        let mut all = Some(true);
        for s in &self.signatures {
            match s.trusted {
                Some(false) => return Some(false),
                None => all = None,
                Some(true) => {}
            }
        }
        all
    }

    fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "file": self.file,
            "format": self.kind,
            "intact": self.intact(),
            "trusted": self.trusted(),
            "error": self.error,
            "problems": self.problems,
            "warnings": self.warnings,
            "signatures": self.signatures.iter().map(|s| serde_json::json!({
                "name": s.name,
                "format": s.format,
                "verdict": s.verdict,
                "intact": s.intact(),
                "verifiable": !s.unverifiable,
                "trusted": s.trusted,
                "signer": s.signer,
                "signing_time": s.signing_time,
                "timestamp": s.timestamp,
                "problems": s.problems,
                "warnings": s.warnings,
                "checks": s.checks.iter().map(|c| serde_json::json!({
                    "check": c.check, "status": c.status, "detail": c.detail,
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })
    }

    fn print(&self, verbose: bool) {
        let mut lines = Vec::new();
        self.render(&mut lines, verbose);
        for l in lines {
            say!("{l}");
        }
    }

    /// The human report, line by line.
    pub(crate) fn render(&self, out: &mut Vec<String>, verbose: bool) {
        let state = if self.intact() {
            "intact"
        } else if !self.problems.is_empty() || self.signatures.iter().any(|s| s.broken) {
            "BROKEN"
        } else {
            "CANNOT VERIFY"
        };
        out.push(format!("{} ({}): {state}", self.file, self.kind));
        if let Some(e) = &self.error {
            out.push(format!("  error: {e}"));
        }
        for p in &self.problems {
            out.push(format!("  problem: {p}"));
        }
        for s in &self.signatures {
            out.push(format!(
                "  signature {:?} ({}): {} — {}, trust: {}",
                s.name,
                s.format,
                s.verdict,
                s.state(),
                match s.trusted {
                    Some(true) => "trusted",
                    Some(false) => "NOT TRUSTED",
                    None => "not checked",
                }
            ));
            if let Some(who) = &s.signer {
                out.push(format!("    signer: {who}"));
            }
            if let Some(t) = &s.signing_time {
                out.push(format!("    signed: {t}"));
            }
            if let Some(t) = &s.timestamp {
                out.push(format!("    timestamped: {t} (verified)"));
            }
            if verbose {
                for c in &s.checks {
                    out.push(format!("    [{}] {}: {}", c.status, c.check, c.detail));
                }
            } else {
                for p in &s.problems {
                    out.push(format!("    problem: {p}"));
                }
            }
            for w in &s.warnings {
                out.push(format!("    warning: {w}"));
            }
        }
        for w in &self.warnings {
            out.push(format!("  warning: {w}"));
        }
    }
}

/// What a file is, from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Detected {
    /// `%PDF-` near the start.
    Pdf,
    /// A zip with `OFD.xml`.
    Ofd,
    /// Something else.
    Unknown,
}

pub(crate) fn detect(data: &[u8]) -> Detected {
    if crate::sign::looks_like_pdf(data) {
        Detected::Pdf
    } else if data.starts_with(b"PK\x03\x04") {
        Detected::Ofd
    } else {
        Detected::Unknown
    }
}

pub(crate) fn run(a: &VerifyArgs) -> CliResult {
    if a.platform_report.is_some() && a.files.len() != 1 {
        return Err(crate::error::CliError::usage(
            "--platform-report reports on one document: give one FILE",
        ));
    }
    if let Some(out) = &a.platform_report {
        crate::output::refuse_existing(&[out.as_path()], a.force)?;
    }
    let chain = a.trust.load()?;
    let progress = if a.files.len() > 1 && std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(a.files.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {wide_msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(bar)
    } else {
        None
    };
    // Files are verified in parallel (rayon; `RAYON_NUM_THREADS` sets the number of threads)
    // and share one cache: the chains, seals and keys they have in common are verified once.
    // The reports are printed in the order of the arguments once all are done.
    let cache = VerifyCache::new();
    let results: Vec<FileResult> = a
        .files
        .par_iter()
        .map(|path| {
            let r = verify_file(
                path,
                chain.as_ref(),
                a.lenient,
                Some(&cache),
                a.platform_report.is_some(),
            );
            if let Some(b) = &progress {
                b.inc(1);
            }
            r
        })
        .collect();
    if let Some(b) = progress {
        b.finish_and_clear();
    }
    if !a.json {
        for r in &results {
            r.print(a.verbose);
        }
    }
    if let Some(out) = &a.platform_report {
        write_platform_report(out, results.first(), a.force)?;
    }
    let intact = results.iter().filter(|r| r.intact()).count();
    let trusted = results.iter().filter(|r| r.trusted() == Some(true)).count();
    let ok = intact == results.len() && (!a.trust.require_trust || trusted == results.len());
    let code = if ok { EXIT_OK } else { EXIT_FAILURE };
    if a.json {
        let v = serde_json::json!({
            "files": results.iter().map(FileResult::json).collect::<Vec<_>>(),
            "summary": {
                "files": results.len(),
                "intact": intact,
                "broken": results.len() - intact,
                "trusted": trusted,
                "trust_checked": chain.is_some(),
                "exit_code": code,
            }
        });
        say!("{v:#}");
    } else if results.len() > 1 {
        say!(
            "{} files: {intact} intact, {} broken or not verifiable{}",
            results.len(),
            results.len() - intact,
            if chain.is_some() {
                format!(", {trusted} trusted")
            } else {
                String::new()
            }
        );
    }
    Ok(ExitCode::from(code))
}

/// Write the platform's response (code `0` with the report) for `r` to `out`.
fn write_platform_report(out: &Path, r: Option<&FileResult>, force: bool) -> CliResult<()> {
    use gmseal_register::interop::verification::DocumentVerifyResponse;
    let Some(report) = r.and_then(|r| r.platform.clone()) else {
        let why = r.and_then(|r| r.error.clone()).unwrap_or_default();
        return Err(crate::error::CliError::failed(format!(
            "no platform report: the file could not be verified ({why})"
        )));
    };
    let mut text = serde_json::to_string_pretty(&DocumentVerifyResponse::ok(report))
        .map_err(|e| crate::error::CliError::failed(format!("cannot write JSON: {e}")))?;
    text.push('\n');
    crate::output::write_new(
        out,
        text.as_bytes(),
        force,
        crate::output::Sensitivity::Public,
    )?;
    Ok(())
}

/// The name of the file as the platform report gives it (the last path component).
pub(crate) fn file_name(r: &FileResult) -> String {
    Path::new(&r.file)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| r.file.clone())
}

/// Verify one file; every failure becomes part of the result.
///
/// `cache`, shared by the files of a run, saves verifying again what they have in common; the
/// result is the same without it. The platform's report ([`FileResult::platform`]) is built
/// only when `platform_report` asks for it (`--platform-report`), not for every file of a batch.
pub(crate) fn verify_file(
    path: &Path,
    chain: Option<&Chain>,
    lenient: bool,
    cache: Option<&VerifyCache>,
    platform_report: bool,
) -> FileResult {
    let mut r = FileResult {
        file: path.display().to_string(),
        kind: "unknown",
        ..FileResult::default()
    };
    // Detect from the first KiB; PDFs are then verified streaming from the file (memory
    // independent of its size), OFD packages are read whole (bounded by the package limits).
    let head = match read_head(path) {
        Ok(h) => h,
        Err(e) => {
            r.error = Some(e.to_string());
            return r;
        }
    };
    match detect(&head) {
        Detected::Pdf => {
            r.kind = "PDF";
            match std::fs::File::open(path) {
                Ok(f) => verify_pdf(
                    std::io::BufReader::new(f),
                    chain,
                    lenient,
                    cache,
                    platform_report,
                    &mut r,
                ),
                Err(e) => r.error = Some(format!("cannot open {}: {e}", path.display())),
            }
        }
        Detected::Ofd => {
            r.kind = "OFD";
            match read_input(path) {
                Ok(data) => {
                    crate::ofd::verify(&data, chain, lenient, cache, platform_report, &mut r);
                }
                Err(e) => r.error = Some(e.to_string()),
            }
        }
        Detected::Unknown => {
            r.error = Some("not a PDF or OFD file".into());
        }
    }
    if r.error.is_none() && r.signatures.is_empty() {
        r.error = Some("no signature found".into());
    }
    r
}

/// The first KiB of a file.
fn read_head(path: &Path) -> CliResult<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| {
        crate::error::CliError::failed(format!("cannot open {}: {e}", path.display()))
    })?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(crate::error::CliError::failed(format!(
            "{} is a directory, not a file",
            path.display()
        )));
    }
    let mut head = Vec::with_capacity(1024);
    file.take(1024).read_to_end(&mut head).map_err(|e| {
        crate::error::CliError::failed(format!("cannot read {}: {e}", path.display()))
    })?;
    Ok(head)
}

fn ses_options<'a>(
    chain: Option<&'a CertChainVerifier<'a>>,
    timestamps: Option<&'a TimestampTokenVerifier<'a>>,
    lenient: bool,
) -> gmseal_ses::verify::VerifyOptions<'a> {
    let mut o = if lenient {
        gmseal_ses::verify::VerifyOptions::lenient()
    } else {
        gmseal_ses::verify::VerifyOptions::strict()
    };
    if let Some(c) = chain {
        o = o.with_chain_verifier(c);
    }
    if let Some(t) = timestamps {
        o = o.with_timestamp_verifier(t);
    }
    o
}

pub(crate) fn cms_options<'a>(
    chain: Option<&'a CertChainVerifier<'a>>,
    lenient: bool,
) -> gmseal_cms::VerifyOptions<'a> {
    gmseal_cms::VerifyOptions {
        strictness: if lenient {
            gmseal_sm2::Strictness::Lenient
        } else {
            gmseal_sm2::Strictness::Strict
        },
        chain: chain.map(|c| c as &dyn gmseal_cms::ChainVerifier),
        ..gmseal_cms::VerifyOptions::default()
    }
}

fn verify_pdf<R: std::io::Read + std::io::Seek>(
    src: R,
    chain: Option<&Chain>,
    lenient: bool,
    cache: Option<&VerifyCache>,
    platform_report: bool,
    r: &mut FileResult,
) {
    let chain_verifier = chain.map(|c| c.verifier_cached(cache));
    let timestamps = chain_verifier
        .as_ref()
        .map(|v| TimestampTokenVerifier::new(v));
    let mut ses = ses_options(chain_verifier.as_ref(), timestamps.as_ref(), lenient);
    if let Some(c) = cache {
        ses = ses.with_cache(c.clone());
    }
    let seal = SealVerifier::new(ses);
    let cms = CmsVerifier::new(cms_options(chain_verifier.as_ref(), lenient));
    let options = gmseal_pdf::VerifyOptions::new()
        .verifier(&seal)
        .verifier(&cms);
    let report = match gmseal_pdf::verify(src, &options) {
        Ok(r) => r,
        Err(e) => {
            r.error = Some(crate::error::chain(&e));
            return;
        }
    };
    for f in &report.findings {
        r.problems.push(f.to_string());
    }
    for c in &report.checks {
        match c.outcome {
            Outcome::Fail => r.problems.push(c.to_string()),
            Outcome::Warn => r.warnings.push(c.to_string()),
            _ => {}
        }
    }
    for s in &report.signatures {
        r.signatures.push(pdf_signature(s, chain.is_some()));
    }
    if platform_report {
        r.platform = Some(
            gmseal_register::interop::verification::DocumentVerification::from_pdf(
                &file_name(r),
                &report,
            ),
        );
    }
}

fn status(o: Outcome) -> &'static str {
    match o {
        Outcome::Pass => "pass",
        Outcome::Fail => "FAIL",
        Outcome::Warn => "warn",
        Outcome::NotChecked => "not checked",
        _ => "other",
    }
}

fn pdf_signature(s: &gmseal_pdf::SignatureReport, trust_configured: bool) -> SigResult {
    let mut out = SigResult {
        name: s.field_name.clone(),
        format: s.format.to_string(),
        verdict: s.verdict.to_string(),
        trusted: None,
        signer: s.signer.clone(),
        signing_time: s
            .signing_time
            .or(s.claimed_time)
            .and_then(|t| der::DateTime::from_system_time(t).ok())
            .map(|t| t.to_string()),
        timestamp: s
            .timestamp
            .and_then(|t| der::DateTime::from_system_time(t).ok())
            .map(|t| t.to_string()),
        ..SigResult::default()
    };
    let mut chain_seen = false;
    for c in &s.checks {
        out.checks.push(CheckLine {
            check: c.kind.to_string(),
            status: status(c.outcome),
            detail: c.why.clone(),
        });
        let trust_kind = matches!(
            c.kind,
            CheckKind::Certificate | CheckKind::CertificateChain | CheckKind::Timestamp
        );
        match c.outcome {
            Outcome::Fail if trust_kind => {
                out.trusted = Some(false);
                out.problems.push(c.to_string());
            }
            Outcome::Fail => {
                out.broken = true;
                out.problems.push(c.to_string());
            }
            Outcome::NotChecked if matches!(c.kind, CheckKind::Digest | CheckKind::Signature) => {
                // a signature that could not be checked is not known to be intact
                out.unverifiable = true;
                out.problems.push(c.to_string());
            }
            // With trust anchors given, a trust check that could not be decided (no path to
            // an anchor, revocation unknown, a timestamp whose TSA cannot be decided) leaves
            // the signature not trusted, as `gmseal seal verify` says for an undecided chain.
            Outcome::NotChecked if trust_kind && trust_configured => {
                out.trusted = Some(false);
                out.problems.push(c.to_string());
            }
            Outcome::Pass if c.kind == CheckKind::CertificateChain => {
                chain_seen = true;
            }
            Outcome::Warn => out.warnings.push(c.to_string()),
            _ => {}
        }
    }
    if chain_seen && out.trusted.is_none() {
        out.trusted = Some(true);
    }
    for f in &s.findings {
        out.broken = true;
        out.problems.push(f.to_string());
    }
    if !s.covers_whole_file && s.changes_after.is_empty() {
        out.warnings
            .push("the signature does not cover the whole file".into());
    }
    out
}
