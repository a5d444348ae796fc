//! `gmseal sign ofd` and the OFD half of `gmseal verify`, with gmseal-ofd (GB/T 33190 §18).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use gmseal_cert::VerifyCache;
use gmseal_ofd::report::{CheckKind, Finding, Outcome, ReferenceOutcome};
use gmseal_ofd::signed_value::ses::SesSigner;
use gmseal_ofd::trust::CertChain;
use gmseal_ofd::{Rect, SignOptions, Signer, Stamp, Verdict, Verifier};

use crate::error::{CliError, CliResult};
use crate::sign::Common;
use crate::trust::Chain;
use crate::verify::{CheckLine, FileResult, SigResult};

/// `gmseal sign ofd`.
pub(crate) fn sign(input: &Path, common: &Common, page: u32, x: f64, y: f64) -> CliResult {
    let destination = common.output().destination(input, "-signed")?;
    let holder = common.holder(true)?;
    let seal = holder
        .seal
        .as_ref()
        .ok_or_else(|| CliError::usage("gmseal sign ofd needs --seal FILE"))?;
    let bytes = crate::output::read_input(input)?;
    if crate::verify::detect(&bytes) != crate::verify::Detected::Ofd {
        return Err(CliError::failed(format!(
            "{} is not an OFD",
            input.display()
        )));
    }
    if page == 0 {
        return Err(CliError::usage("pages count from 1"));
    }
    let picture = seal.picture();
    let (w, h) = (picture.width_mm as f64, picture.height_mm as f64);
    let stamp = Stamp::at(
        usize::try_from(page - 1).unwrap_or(0),
        Rect::new(x - w / 2.0, y - h / 2.0, w, h),
    );
    let ses_tsa;
    let mut value = SesSigner::new(seal, holder.cert.clone(), &*holder.key.signer);
    if let Some(url) = common.tsa_url() {
        ses_tsa = crate::sign::ses_timestamper(url)?;
        value = value.timestamper(&ses_tsa);
    }
    let signed = Signer::new(&value)
        .sign(&bytes, &SignOptions::default().stamp(stamp))
        .map_err(|e| CliError::from(e).context(format!("cannot sign {}", input.display())))?;
    destination.write(&signed.package)?;
    say!(
        "signed {} -> {} (GB/T 38540 seal signature {}, key {})",
        input.display(),
        destination.path().display(),
        signed.signature_id,
        holder.key.description
    );
    Ok(ExitCode::SUCCESS)
}

fn verifier(chain: Option<&Chain>, lenient: bool, cache: Option<&VerifyCache>) -> Verifier {
    let v = match (chain, cache) {
        (Some(c), Some(cache)) => {
            Verifier::trusting(CertChain::new(c.store().clone()).with_cache(cache.clone()))
        }
        (Some(c), None) => Verifier::trusting(CertChain::new(c.store().clone())),
        (None, _) => Verifier::new(),
    };
    if lenient { v.lenient() } else { v }
}

fn status(o: Outcome) -> &'static str {
    match o {
        Outcome::Pass => "pass",
        Outcome::Fail => "FAIL",
        Outcome::Untrusted => "untrusted",
        Outcome::Indeterminate => "not checked",
    }
}

fn trust_kind(k: &CheckKind) -> bool {
    matches!(
        k,
        CheckKind::CertificateChain | CheckKind::SignerCertificate | CheckKind::Timestamp
    )
}

/// Verify an OFD held in memory into `r`.
///
/// With a `cache` (and trust anchors), what the files of a run share (chains, seals, keys)
/// is verified once; the report is the same.
pub(crate) fn verify(
    data: &[u8],
    chain: Option<&Chain>,
    lenient: bool,
    cache: Option<&VerifyCache>,
    platform_report: bool,
    r: &mut FileResult,
) {
    let report = match verifier(chain, lenient, cache).verify_bytes(data.to_vec()) {
        Ok(rep) => rep,
        Err(e) => {
            r.error = Some(crate::error::chain(&e));
            return;
        }
    };
    if platform_report {
        r.platform = Some(
            gmseal_register::interop::verification::DocumentVerification::from_ofd(
                &crate::verify::file_name(r),
                data.len() as u64,
                &report,
            ),
        );
    }
    for f in &report.findings {
        match f {
            Finding::UncoveredFile { file } => {
                r.warnings
                    .push(format!("{file} is not covered by any signature"));
            }
            f if f.verdict() == Verdict::Tampered => r.problems.push(f.to_string()),
            f => r.warnings.push(f.to_string()),
        }
    }
    for d in &report.documents {
        for f in &d.findings {
            if f.verdict() == Verdict::Tampered {
                r.problems.push(f.to_string());
            } else {
                r.warnings.push(f.to_string());
            }
        }
    }
    for t in &report.tolerated {
        r.warnings.push(format!("tolerated: {t}"));
    }
    for s in report.signatures() {
        let sv = s.signed_value.as_ref();
        let mut out = SigResult {
            name: s.id.clone(),
            format: sv.map_or_else(|| format!("{:?}", s.kind), |v| v.format.clone()),
            verdict: s.verdict.to_string(),
            trusted: None,
            signer: sv.and_then(|v| v.signer.clone()),
            signing_time: sv
                .and_then(|v| v.signing_time.clone())
                .or_else(|| s.signature_date_time.clone()),
            timestamp: sv.and_then(|v| v.timestamp.clone()),
            ..SigResult::default()
        };
        for reference in &s.references {
            let (st, detail) = match &reference.outcome {
                ReferenceOutcome::Match => ("pass", "SM3 matches".to_owned()),
                ReferenceOutcome::Mismatch { .. } => {
                    ("FAIL", "SM3 differs: the file changed".to_owned())
                }
                ReferenceOutcome::Missing => ("FAIL", "the file is missing".to_owned()),
                ReferenceOutcome::NotChecked => ("not checked", "not checked".to_owned()),
                _ => ("other", format!("{:?}", reference.outcome)),
            };
            out.checks.push(CheckLine {
                check: format!("reference {}", reference.file_ref),
                status: st,
                detail,
            });
        }
        let mut chain_passed = false;
        if let Some(v) = sv {
            for c in &v.checks {
                out.checks.push(CheckLine {
                    check: c.kind.to_string(),
                    status: status(c.outcome),
                    detail: c.detail.clone(),
                });
                if c.kind == CheckKind::CertificateChain && c.outcome == Outcome::Pass {
                    chain_passed = true;
                }
            }
        }
        for f in &s.findings {
            let trust_related = match f {
                Finding::SignedValue(c) => trust_kind(&c.kind),
                _ => false,
            };
            match f.verdict() {
                Verdict::Tampered => {
                    out.broken = true;
                    out.problems.push(f.to_string());
                }
                Verdict::Untrusted => {
                    out.trusted = Some(false);
                    out.problems.push(f.to_string());
                }
                // Without trust anchors the chains are simply not checked; with them, a trust
                // check that cannot be decided (no path, revocation unknown, a timestamp whose
                // TSA cannot be decided) leaves the signature not trusted.
                Verdict::Indeterminate if trust_related && chain.is_none() => {}
                Verdict::Indeterminate if trust_related => {
                    out.trusted = Some(false);
                    out.problems.push(f.to_string());
                }
                Verdict::Indeterminate => {
                    out.unverifiable = true;
                    out.problems.push(format!("cannot be verified: {f}"));
                }
                Verdict::Valid => out.warnings.push(f.to_string()),
            }
        }
        if chain_passed && out.trusted.is_none() {
            out.trusted = Some(true);
        }
        for t in &s.tolerated {
            out.warnings.push(format!("tolerated: {t}"));
        }
        r.signatures.push(out);
    }
}

/// The demo's OFD step: seal the sample OFD, verify it, and return the files written.
pub(crate) fn demo(
    dir: &Path,
    force: bool,
    seal: &gmseal_ses::Seal,
    key: &gmseal_sm2::SoftwareSigner,
    cert: &[u8],
    chain: &Chain,
) -> CliResult<Vec<(PathBuf, &'static str)>> {
    let write = |name: &str, data: &[u8]| -> CliResult<PathBuf> {
        let p = dir.join(name);
        crate::output::write_new(&p, data, force, crate::output::Sensitivity::Public)?;
        Ok(p)
    };
    let ofd = crate::demo::sample_ofd()?;
    let unsigned = write("contract.ofd", &ofd)?;
    let picture = seal.picture();
    let (w, h) = (picture.width_mm as f64, picture.height_mm as f64);
    let stamp = Stamp::at(
        0,
        Rect::new(
            crate::demo::SEAL_X_MM - w / 2.0,
            crate::demo::SEAL_Y_MM - h / 2.0,
            w,
            h,
        ),
    );
    let value = SesSigner::new(seal, cert.to_vec(), key);
    let signed = Signer::new(&value).sign(&ofd, &SignOptions::default().stamp(stamp))?;
    let sealed = write("contract-sealed.ofd", &signed.package)?;
    say!("    {} -> {}", unsigned.display(), sealed.display());
    crate::demo::show(&sealed, chain, true)?;
    let tampered = crate::demo::tampered_ofd(&signed.package)?;
    let tampered_path = write("contract-sealed-tampered.ofd", &tampered)?;
    say!(
        "    and a copy with the fee changed, {}:",
        tampered_path.display()
    );
    if crate::demo::show(&tampered_path, chain, false)? {
        return Err(CliError::failed("a tampered OFD verified"));
    }
    Ok(vec![
        (unsigned, "the sample contract (OFD)"),
        (sealed, "sealed (OFD)"),
        (tampered_path, "sealed, then tampered (OFD)"),
    ])
}
