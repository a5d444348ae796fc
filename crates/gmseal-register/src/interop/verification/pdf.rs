//! gmseal-pdf's verification report as the platform's (feature `pdf`).

use gmseal_pdf::{CheckKind, Outcome, SignatureReport, Verdict, VerificationReport};

use super::{
    CertificateSummary, DocumentVerification, SignatureOutcome, StepOutcome, document_problems,
    first_failure,
};
use crate::time::LocalDateTime;

/// The flow step a gmseal-pdf check is shown as.
fn step(kind: CheckKind) -> &'static str {
    match kind {
        CheckKind::Digest => "文档完整性",
        CheckKind::Signature => "签名值",
        CheckKind::Certificate => "签名证书",
        CheckKind::CertificateChain => "证书链",
        CheckKind::Seal => "电子印章",
        CheckKind::Timestamp => "时间戳",
        CheckKind::SigningTime => "签名时间",
        CheckKind::Modifications => "签署后修改",
        CheckKind::SignatureDictionary
        | CheckKind::ByteRange
        | CheckKind::ContentsGap
        | CheckKind::RevisionCoverage
        | CheckKind::Format
        | CheckKind::Structure => "签名结构",
        _ => "其他检查",
    }
}

fn beijing(t: Option<std::time::SystemTime>) -> Option<String> {
    t.and_then(LocalDateTime::beijing).map(|t| t.to_string())
}

impl SignatureOutcome {
    /// One PDF signature as the platform reports it: each check of gmseal-pdf as a flow step
    /// (a warning passes with its sentence as the hint; a check that could not be made fails
    /// unless the signature is valid without it), each finding (attack class, deviation) as a
    /// failed step 签名结构, the seal's name, code, vendor and picture for GB/T 38540
    /// signatures, and the signer's certificate.
    pub fn from_pdf(s: &SignatureReport) -> Self {
        let valid = s.verdict == Verdict::Valid;
        let mut steps: Vec<StepOutcome> = Vec::with_capacity(s.checks.len());
        for c in &s.checks {
            let passed = match c.outcome {
                Outcome::Pass | Outcome::Warn => true,
                Outcome::NotChecked if valid => continue,
                _ => false,
            };
            steps.push(StepOutcome {
                step: step(c.kind).into(),
                passed,
                reason: c.why.clone(),
            });
        }
        steps.extend(s.findings.iter().map(|f| StepOutcome {
            step: "签名结构".into(),
            passed: false,
            reason: f.to_string(),
        }));
        let seal = s.seal.as_ref();
        SignatureOutcome {
            seal_type: None,
            signer: s.signer.clone(),
            sign_time: beijing(s.timestamp.or(s.signing_time).or(s.claimed_time)),
            provider: seal.map(|x| x.vendor_id.clone()),
            certificate: s
                .signer_certificate
                .as_deref()
                .and_then(CertificateSummary::from_der),
            seal_name: seal.map(|x| x.name.clone()),
            seal_picture: seal.map(|x| x.picture.clone()),
            seal_code: seal.map(|x| x.es_id.clone()),
            valid,
            reason: if valid {
                None
            } else {
                first_failure(&steps).or_else(|| Some(format!("verdict: {}", s.verdict)))
            },
            steps,
        }
    }
}

impl DocumentVerification {
    /// The platform's report (spec 002 table 26) of a PDF verified with gmseal-pdf:
    /// `fileSize` is the file's length, one detail per signature field with a value, and
    /// `verifyResult` true only when every signature is `Valid` and the file itself has no
    /// finding or failed check (those fail every detail with a step 文档检查).
    pub fn from_pdf(file_name: &str, report: &VerificationReport) -> Self {
        let mut outcomes: Vec<SignatureOutcome> = report
            .signatures
            .iter()
            .map(SignatureOutcome::from_pdf)
            .collect();
        let problems: Vec<String> = report
            .findings
            .iter()
            .map(ToString::to_string)
            .chain(
                report
                    .checks
                    .iter()
                    .filter(|c| c.outcome == Outcome::Fail)
                    .map(ToString::to_string),
            )
            .collect();
        document_problems(&mut outcomes, &problems);
        DocumentVerification::from_outcomes(file_name, report.file_len, &outcomes)
    }
}
