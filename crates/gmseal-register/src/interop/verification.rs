//! Document verification (文档验真, spec 002 §6.4, tables 24–28): the multipart request and the
//! report the platform returns.
//!
//! The report is built from a neutral description of each signature's verification
//! ([`SignatureOutcome`]), so that any verifier can feed it. With the cargo features `pdf` and
//! `ofd`, gmseal-pdf's and gmseal-ofd's verification reports convert directly:
//! `DocumentVerification::from_pdf` and `DocumentVerification::from_ofd` (and
//! `SignatureOutcome::from_pdf` / `from_ofd` per signature).
//!
//! What the draft leaves open, and what is written here:
//!
//! * `verifyResult` is `true` when the document has at least one signature and every signature
//!   verifies completely (gmseal's verdict `Valid`: intact, signer and seal trusted, timestamps
//!   verified, nothing added after signing). Anything less is `false`, and each detail whose
//!   signature is not valid has at least one flow step with `status` 0 saying why.
//! * Flow steps name what was checked in Chinese (文档完整性, 签名值, 签名证书, 证书链, 电子印章,
//!   时间戳, ...); the `hint` is the verifier's own sentence.
//! * Times (`signTime`, `certValidStart`, `certValidEnd`) are `yyyy-MM-dd HH:mm:ss` in Beijing
//!   time (UTC+8), as in the platform's other messages. `signTime` is the verified timestamp's
//!   `genTime` when there is one, else the signing time the signature states.
//! * `certSn` is the serial number in upper-case hex; `certIssuer`/`certOwner` are the names in
//!   certificate order with the short names the platform spec uses (`C=CN,...,T=<credit
//!   code>,G=<unit name>,CN=<unit name>`, `gmseal_cert::name::display_name`), Chinese as is.
//! * `sealType` is left empty: GB/T 38540's `property.type` (1 organisation, 2 personal) does
//!   not map onto spec 002's codes 01–08; a caller that knows the code sets
//!   [`SignatureOutcome::seal_type`] before building the report.
//! * Problems of the whole document (data after the signed revisions, files no signature
//!   covers) fail every signature's detail with a step 文档检查.
//!
//! Quirks of the draft's tables: the details member printed `cert0wner` is read as `certOwner`
//! (a zero for the letter O, like `0FD` for OFD elsewhere in the same text); `certOwner` is
//! written and both are read. `details` is typed `Lis` (List). `status` of a flow step is
//! 0 failure / 1 success.

use serde::{Deserialize, Serialize};

#[cfg(feature = "ofd")]
mod ofd;
#[cfg(feature = "pdf")]
mod pdf;

/// Table 24: the document verification request (multipart/form-data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentVerifyForm {
    /// `version`.
    pub version: String,
    /// `appId`.
    pub app_id: String,
    /// `time` (ms).
    pub time: String,
    /// `nonce`.
    pub nonce: u32,
    /// The file's name (the part's filename).
    pub file_name: String,
    /// `file`: the document.
    pub file: Vec<u8>,
}

impl DocumentVerifyForm {
    /// The form fields covered by `sign` (all but the file, see
    /// [`canonical_form_string`](super::canonical_form_string)).
    pub fn signed_fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("version", self.version.clone()),
            ("appId", self.app_id.clone()),
            ("time", self.time.clone()),
            ("nonce", self.nonce.to_string()),
        ]
    }

    /// The canonical string of the form.
    pub fn canonical_string(&self) -> String {
        let fields = self.signed_fields();
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        super::canonical_form_string(&refs)
    }
}

/// Table 25: the response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentVerifyResponse {
    /// 结果编码.
    pub code: String,
    /// 返回详细信息.
    pub message: String,
    /// Table 26.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<DocumentVerification>,
}

/// Table 26: the verification of one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentVerification {
    /// 文件名称.
    pub file_name: String,
    /// 文件大小 (Long).
    pub file_size: i64,
    /// 签章次数 (Int).
    pub sign_count: i32,
    /// 验签结果.
    pub verify_result: bool,
    /// 签章明细 (table 27).
    pub details: Vec<SignatureDetail>,
}

/// Table 27: one signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignatureDetail {
    /// 印章类型.
    pub seal_type: String,
    /// 签名时间.
    pub sign_time: String,
    /// 服务商.
    pub provider: String,
    /// 证书颁发者信息.
    pub cert_issuer: String,
    /// 证书使用者信息 (printed `cert0wner` in the draft).
    #[serde(alias = "cert0wner")]
    pub cert_owner: String,
    /// 证书序列号.
    pub cert_sn: String,
    /// 证书开始时间.
    pub cert_valid_start: String,
    /// 证书结束时间.
    pub cert_valid_end: String,
    /// 印章图片 (base64).
    pub seal_pic_base64: String,
    /// 印章编码.
    pub seal_code: String,
    /// 验签流程 (table 28).
    pub flow_vo_list: Vec<FlowStep>,
}

/// Table 28: one step of the verification flow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowStep {
    /// 当前验证环节.
    pub step: String,
    /// 提示.
    pub hint: String,
    /// 0 failure, 1 success.
    pub status: u8,
}

/// A step of a signature's verification, as a verifier reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepOutcome {
    /// What was checked (e.g. "文档完整性", "签名值", "证书有效期").
    pub step: String,
    /// Passed.
    pub passed: bool,
    /// Why (shown as `hint`).
    pub reason: String,
}

/// A certificate, as the report shows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CertificateSummary {
    /// Issuer (RFC 4514 text or the verifier's rendering).
    pub issuer: String,
    /// Subject.
    pub owner: String,
    /// Serial number (hex).
    pub serial: String,
    /// Not before, `yyyy-MM-dd HH:mm:ss`.
    pub valid_start: String,
    /// Not after, `yyyy-MM-dd HH:mm:ss`.
    pub valid_end: String,
}

impl CertificateSummary {
    /// The summary of a DER X.509 certificate (validity in Beijing time); `None` when it does
    /// not decode.
    pub fn from_der(der: &[u8]) -> Option<Self> {
        use der::Decode as _;
        let cert = x509_cert::Certificate::from_der(der).ok()?;
        let tbs = cert.tbs_certificate();
        let time = |t: &x509_cert::time::Time| {
            crate::time::LocalDateTime::beijing(t.to_system_time())
                .map(|t| t.to_string())
                .unwrap_or_default()
        };
        Some(CertificateSummary {
            issuer: gmseal_cert::name::display_name(tbs.issuer()),
            owner: gmseal_cert::name::display_name(tbs.subject()),
            serial: tbs
                .serial_number()
                .as_bytes()
                .iter()
                .map(|b| format!("{b:02X}"))
                .collect(),
            valid_start: time(&tbs.validity().not_before),
            valid_end: time(&tbs.validity().not_after),
        })
    }
}

/// One signature's verification, independent of the document format.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SignatureOutcome {
    /// Seal type (spec 002 codes 01–08, or the verifier's text).
    pub seal_type: Option<String>,
    /// The signer's name (used in the hints when no certificate is known).
    pub signer: Option<String>,
    /// Signing time, `yyyy-MM-dd HH:mm:ss`.
    pub sign_time: Option<String>,
    /// The service provider (vendor) of the seal.
    pub provider: Option<String>,
    /// The signer's certificate.
    pub certificate: Option<CertificateSummary>,
    /// The seal's name (appears in the first flow step's hint; table 27 has no member for it).
    pub seal_name: Option<String>,
    /// The seal picture.
    pub seal_picture: Option<Vec<u8>>,
    /// The seal code (esID).
    pub seal_code: Option<String>,
    /// Overall result of this signature.
    pub valid: bool,
    /// Why it is not valid, when it is not.
    pub reason: Option<String>,
    /// The checks made.
    pub steps: Vec<StepOutcome>,
}

impl DocumentVerification {
    /// The report of a document with `file_size` bytes and the given signatures.
    /// `verifyResult` is true when there is at least one signature and all are valid.
    pub fn from_outcomes(file_name: &str, file_size: u64, outcomes: &[SignatureOutcome]) -> Self {
        let details = outcomes.iter().map(SignatureDetail::from_outcome).collect();
        DocumentVerification {
            file_name: file_name.to_owned(),
            file_size: i64::try_from(file_size).unwrap_or(i64::MAX),
            sign_count: i32::try_from(outcomes.len()).unwrap_or(i32::MAX),
            verify_result: !outcomes.is_empty() && outcomes.iter().all(|o| o.valid),
            details,
        }
    }
}

impl SignatureOutcome {
    /// Add a failed step, and mark the signature not valid (the first failure is the reason).
    pub fn fail(&mut self, step: impl Into<String>, reason: impl Into<String>) {
        let reason = reason.into();
        if self.reason.is_none() {
            self.reason = Some(reason.clone());
        }
        self.valid = false;
        self.steps.push(StepOutcome {
            step: step.into(),
            passed: false,
            reason,
        });
    }
}

/// Fail every signature with each problem of the whole document (step 文档检查).
#[cfg(any(feature = "pdf", feature = "ofd"))]
fn document_problems(outcomes: &mut [SignatureOutcome], problems: &[String]) {
    for o in outcomes {
        for p in problems {
            o.fail("文档检查", p.clone());
        }
    }
}

/// The first failed step's reason, for [`SignatureOutcome::reason`].
#[cfg(any(feature = "pdf", feature = "ofd"))]
fn first_failure(steps: &[StepOutcome]) -> Option<String> {
    steps.iter().find(|s| !s.passed).map(|s| s.reason.clone())
}

impl SignatureDetail {
    /// The table 27 form of one outcome. A signature that is not valid always has a failed
    /// step: when the verifier listed none, a step 验签结果 with the reason is added.
    pub fn from_outcome(o: &SignatureOutcome) -> Self {
        let cert = o.certificate.clone().unwrap_or_default();
        let mut flow: Vec<FlowStep> = Vec::with_capacity(o.steps.len() + 2);
        if let Some(name) = &o.seal_name {
            flow.push(FlowStep {
                step: "印章信息".into(),
                hint: format!("印章名称: {name}"),
                status: 1,
            });
        }
        flow.extend(o.steps.iter().map(|s| FlowStep {
            step: s.step.clone(),
            hint: s.reason.clone(),
            status: u8::from(s.passed),
        }));
        if !o.valid && !o.steps.iter().any(|s| !s.passed) {
            flow.push(FlowStep {
                step: "验签结果".into(),
                hint: o.reason.clone().unwrap_or_else(|| "签名无效".into()),
                status: 0,
            });
        }
        SignatureDetail {
            seal_type: o.seal_type.clone().unwrap_or_default(),
            sign_time: o.sign_time.clone().unwrap_or_default(),
            provider: o.provider.clone().unwrap_or_default(),
            cert_issuer: cert.issuer,
            cert_owner: if cert.owner.is_empty() {
                o.signer.clone().unwrap_or_default()
            } else {
                cert.owner
            },
            cert_sn: cert.serial,
            cert_valid_start: cert.valid_start,
            cert_valid_end: cert.valid_end,
            seal_pic_base64: o
                .seal_picture
                .as_deref()
                .map(crate::b64::encode)
                .unwrap_or_default(),
            seal_code: o.seal_code.clone().unwrap_or_default(),
            flow_vo_list: flow,
        }
    }
}

impl DocumentVerifyResponse {
    /// A successful response carrying `report` (code `0`).
    pub fn ok(report: DocumentVerification) -> Self {
        DocumentVerifyResponse {
            code: "0".into(),
            message: "success".into(),
            data: Some(report),
        }
    }
}

impl crate::message::Schema for DocumentVerifyResponse {
    const KNOWN_FIELDS: &'static [&'static str] = &[
        "code",
        "message",
        "data.fileName",
        "data.fileSize",
        "data.signCount",
        "data.verifyResult",
        "data.details[].sealType",
        "data.details[].signTime",
        "data.details[].provider",
        "data.details[].certIssuer",
        "data.details[].certOwner",
        "data.details[].cert0wner",
        "data.details[].certSn",
        "data.details[].certValidStart",
        "data.details[].certValidEnd",
        "data.details[].sealPicBase64",
        "data.details[].sealCode",
        "data.details[].flowVoList[].step",
        "data.details[].flowVoList[].hint",
        "data.details[].flowVoList[].status",
    ];

    fn check(
        &self,
        _doc: &crate::json::Document,
        tol: &mut crate::deviation::Tolerance,
    ) -> crate::Result<()> {
        if let Some(d) = &self.data {
            if usize::try_from(d.sign_count).ok() != Some(d.details.len()) {
                tol.allow(
                    "data.signCount",
                    crate::DeviationKind::UnexpectedValue {
                        expected: d.details.len().to_string(),
                        found: d.sign_count.to_string(),
                    },
                    "table 26: signCount is the number of details",
                )?;
            }
            for (i, det) in d.details.iter().enumerate() {
                for (j, s) in det.flow_vo_list.iter().enumerate() {
                    if s.status > 1 {
                        tol.allow(
                            format!("data.details[{i}].flowVoList[{j}].status"),
                            crate::DeviationKind::UnexpectedValue {
                                expected: "0 or 1".into(),
                                found: s.status.to_string(),
                            },
                            "table 28: status is 0 or 1",
                        )?;
                    }
                }
            }
        }
        Ok(())
    }
}
