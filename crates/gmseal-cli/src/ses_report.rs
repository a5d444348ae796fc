//! A seal (signature) report of gmseal-ses as the CLI shows it: integrity and trust told
//! apart, as text or JSON.

use gmseal_ses::verify::{Check, NotPerformed, Outcome, Step, Verdict, VerifyReport};

/// Integrity and trust of one report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Assessment {
    /// Signatures and digests verify and no rule of the standard is broken.
    pub(crate) intact: bool,
    /// The chains were checked against trust anchors: `Some(true)` trusted, `Some(false)`
    /// rejected, `None` not checked.
    pub(crate) trusted: Option<bool>,
}

fn is_chain(step: Step) -> bool {
    matches!(step, Step::SignerChain | Step::MakerChain)
}

fn is_timestamp(step: Step) -> bool {
    matches!(step, Step::Timestamp | Step::SealTimestamp)
}

/// Assess a report: a failed check other than a chain or timestamp check breaks integrity; a
/// step that could not be performed for another reason than missing trust anchors or an
/// unverified timestamp means the signature cannot be verified, which counts as broken too.
pub(crate) fn assess(report: &VerifyReport) -> Assessment {
    let mut intact = true;
    let mut trusted = None;
    for Check { step, outcome, .. } in &report.checks {
        let step = *step;
        match outcome {
            Outcome::Passed | Outcome::NotApplicable => {
                if is_chain(step) {
                    trusted = Some(trusted.unwrap_or(true));
                }
            }
            Outcome::Failed(f) => {
                if is_chain(step) || (is_timestamp(step) && f.class() == Verdict::Untrusted) {
                    trusted = Some(false);
                } else {
                    intact = false;
                }
            }
            Outcome::NotPerformed(why) => match why {
                NotPerformed::NoTrustAnchors | NotPerformed::TimestampNotVerified => {}
                NotPerformed::ContentNotGiven if step == Step::DataHash => {}
                _ => intact = false,
            },
        }
    }
    Assessment { intact, trusted }
}

/// The report as JSON.
pub(crate) fn json(report: &VerifyReport) -> serde_json::Value {
    let a = assess(report);
    let checks: Vec<_> = report
        .checks
        .iter()
        .map(|c| {
            let (status, detail) = match &c.outcome {
                Outcome::Passed => ("passed", None),
                Outcome::NotApplicable => ("not_applicable", None),
                Outcome::Failed(f) => ("failed", Some(f.to_string())),
                Outcome::NotPerformed(w) => ("not_performed", Some(w.to_string())),
            };
            serde_json::json!({
                "check": c.step.to_string(),
                "status": status,
                "detail": detail,
            })
        })
        .collect();
    let summary = |s: &Option<gmseal_ses::verify::CertSummary>| {
        s.as_ref().map(|s| {
            serde_json::json!({
                "subject": s.subject, "issuer": s.issuer, "serial": s.serial,
                "not_before": s.not_before.to_string(), "not_after": s.not_after.to_string(),
            })
        })
    };
    serde_json::json!({
        "format": report.version.to_string(),
        "verdict": report.verdict.to_string(),
        "intact": a.intact,
        "trusted": a.trusted,
        "signing_time": report.signing_time.map(|t| t.to_string()),
        "signer": summary(&report.signer),
        "maker": summary(&report.maker),
        "checks": checks,
        "tolerated": report.deviations.iter().map(ToString::to_string).collect::<Vec<_>>(),
    })
}

/// The trust line of a human report.
pub(crate) fn trust_text(trusted: Option<bool>) -> &'static str {
    match trusted {
        Some(true) => "trusted (chains to a trust anchor)",
        Some(false) => "NOT TRUSTED (certificate chain rejected)",
        None => "not checked (no trust anchors given: use --trust DIR)",
    }
}
