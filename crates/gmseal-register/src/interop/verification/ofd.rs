//! gmseal-ofd's verification report as the platform's (feature `ofd`).

use gmseal_ofd::report::{CheckKind, Finding, Outcome, ReferenceOutcome, SignatureReport};
use gmseal_ofd::{Report, Verdict};

use super::{
    CertificateSummary, DocumentVerification, SignatureOutcome, StepOutcome, document_problems,
    first_failure,
};
use crate::time::LocalDateTime;

/// The flow step a gmseal-ofd signed-value check is shown as.
fn step(kind: &CheckKind) -> String {
    match kind {
        CheckKind::SignatureValue => "签名值",
        CheckKind::DataHash => "签名原文摘要",
        CheckKind::PropertyInfo => "签名原文路径",
        CheckKind::SealFile => "印章文件",
        CheckKind::SealMakerSignature => "制章者签名",
        CheckKind::SealValidity => "印章有效期",
        CheckKind::SignerCertificate => "签名证书",
        CheckKind::CertificateChain => "证书链",
        CheckKind::Timestamp => "时间戳",
        CheckKind::Algorithm => "签名算法",
        // The back ends' other checks, by the names they give them.
        CheckKind::Other(what) => match what.as_str() {
            "seal maker's certificate" => "制章者证书",
            "signer bound to the seal" => "签章人与印章绑定",
            "structure" => "签名结构",
            "encoding" => "签名值编码",
            "message digest of the attached content" => "签名原文摘要",
            _ => return what.clone(),
        },
        _ => "其他检查",
    }
    .into()
}

/// An OFD time as the platform writes it: UTC `…T…Z` converted to Beijing time, a time already
/// written `yyyy-MM-dd HH:mm:ss` kept, anything else as written.
fn platform_time(t: &str) -> String {
    if let Some(b) = LocalDateTime::beijing_from_utc_text(t) {
        b.to_string()
    } else {
        t.to_owned()
    }
}

/// The step 文档完整性: every `Reference` of `Signature.xml` still matches its file.
fn references(s: &SignatureReport) -> StepOutcome {
    let total = s.references.len();
    let bad: Vec<String> = s
        .references
        .iter()
        .filter_map(|r| match &r.outcome {
            ReferenceOutcome::Match => None,
            ReferenceOutcome::Mismatch { .. } => Some(format!("{}: SM3 differs", r.file_ref)),
            ReferenceOutcome::Missing => Some(format!("{}: missing", r.file_ref)),
            _ => Some(format!("{}: not checked", r.file_ref)),
        })
        .collect();
    StepOutcome {
        step: "文档完整性".into(),
        passed: total > 0 && bad.is_empty(),
        reason: if total == 0 {
            "no file is referenced".into()
        } else if bad.is_empty() {
            format!("{total}/{total} referenced files match their SM3 digests")
        } else {
            format!(
                "{}/{total} referenced files changed or missing: {}",
                bad.len(),
                bad.join("; ")
            )
        },
    }
}

impl SignatureOutcome {
    /// One OFD signature as the platform reports it: the step 文档完整性 over its references,
    /// each check of the signed value (a check that did not pass fails), each other finding that
    /// keeps it from being valid as a failed step 签章检查, the seal's name, code and picture,
    /// `Provider`'s name, and the signer's certificate.
    pub fn from_ofd(s: &SignatureReport) -> Self {
        let valid = s.verdict == Verdict::Valid;
        let sv = s.signed_value.as_ref();
        let mut steps = vec![references(s)];
        if let Some(v) = sv {
            steps.extend(v.checks.iter().map(|c| StepOutcome {
                step: step(&c.kind),
                passed: c.outcome == Outcome::Pass,
                reason: c.detail.clone(),
            }));
        }
        steps.extend(
            s.findings
                .iter()
                .filter(|f| {
                    !matches!(
                        f,
                        // already in the steps above
                        Finding::SignedValue(_)
                            | Finding::DigestMismatch { .. }
                            | Finding::ReferencedFileMissing { .. }
                    ) && f.verdict() != Verdict::Valid
                })
                .map(|f| StepOutcome {
                    step: "签章检查".into(),
                    passed: false,
                    reason: f.to_string(),
                }),
        );
        SignatureOutcome {
            seal_type: None,
            signer: sv.and_then(|v| v.signer.clone()),
            sign_time: sv
                .and_then(|v| v.timestamp.clone().or_else(|| v.signing_time.clone()))
                .or_else(|| s.signature_date_time.clone())
                .map(|t| platform_time(&t)),
            provider: s.provider.clone(),
            certificate: sv
                .and_then(|v| v.signer_certificate.as_deref())
                .and_then(CertificateSummary::from_der),
            seal_name: sv.and_then(|v| v.seal_name.clone()),
            seal_picture: sv.and_then(|v| v.picture.as_ref()).map(|p| p.data.clone()),
            seal_code: sv.and_then(|v| v.seal_id.clone()),
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
    /// The platform's report (spec 002 table 26) of an OFD package of `file_size` bytes
    /// verified with gmseal-ofd: one detail per listed signature of every document, and
    /// `verifyResult` true only when every signature is `Valid` and the package and documents
    /// have no finding that is not (a file no signature covers, an unlisted signature); those
    /// fail every detail with a step 文档检查.
    pub fn from_ofd(file_name: &str, file_size: u64, report: &Report) -> Self {
        let mut outcomes: Vec<SignatureOutcome> = report
            .signatures()
            .map(SignatureOutcome::from_ofd)
            .collect();
        let problems: Vec<String> = report
            .findings
            .iter()
            .chain(report.documents.iter().flat_map(|d| d.findings.iter()))
            .filter(|f| f.verdict() != Verdict::Valid)
            .map(ToString::to_string)
            .collect();
        document_problems(&mut outcomes, &problems);
        DocumentVerification::from_outcomes(file_name, file_size, &outcomes)
    }
}
