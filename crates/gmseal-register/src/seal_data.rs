//! Seal-making data (印章制作信息数据, spec 001 appendix 2): the `data` of a `sealMaking`
//! request.
//!
//! [`SealMakingData`] is the record as it travels: fourteen string members, each optional at
//! the JSON level so that a record missing members still parses and its
//! [`validate`](SealMakingData::validate) report can list *every* broken rule. A record that
//! passes converts into the typed [`SealRecord`]; a [`SealRecord`] converts back.
//!
//! | # | member | rule (appendix 2) | checked here |
//! |---|---|---|---|
//! | 1 | `sealName` | seal name | non-empty, at most 128 characters |
//! | 2 | `sealNum` | initials + 6-digit region + 8-digit random code | [`SealNumber`] |
//! | 3 | `sealSpecificCategory` | 01–05 | [`SealCategory`] |
//! | 4 | `sealHeight` | mm, reference values 30/38/40/42/45 | positive decimal ≤ 200 mm; other than the reference values is a note |
//! | 5 | `sealWidth` | as height | as height |
//! | 6 | `sealImg` | base64 picture, ≤ 25 KB | base64, then [`picture::check_picture`] (PNG8, 2 colours, 600 dpi, ≤ 25 KB); physical size vs height/width is a note |
//! | 7 | `validStartTime` | `yyyy-MM-dd HH:mm:ss` | [`LocalDateTime`] |
//! | 8 | `validEndTime` | `yyyy-MM-dd HH:mm:ss` | [`LocalDateTime`], after the start |
//! | 9 | `signCert` | base64 signing certificate of the seal owner | base64 DER X.509 with an SM2 key; subject rule of spec 001 ("数字证书格式规范") |
//! | 10 | `bakType` | 1 new, 2 update | [`FilingType`] |
//! | 11 | `sealCarrier` | 1 UKey, 2 server | [`Carrier`] |
//! | 12 | `localOr` | Y local, N filing | [`LocalOr`] |
//! | 13 | `sealType` | PNG | `PNG` |
//! | 14 | `orgCode` | the orgCode of the registration package | GB 32100 credit code; equal to the expected code when one is given |

use serde::{Deserialize, Serialize};

use crate::certificate::SystemCertificate;
use crate::error::{Error, Result};
use crate::time::LocalDateTime;

pub mod picture;
pub mod seal_number;
pub mod subject;

pub use picture::{PictureProfile, PictureReport, PictureViolation};
pub use seal_number::{SealNumber, SealNumberError, SealNumberRules};

/// Seal-making data as carried in JSON (appendix 2). Every member is a JSON string.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SealMakingData {
    /// 1 印章名称.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal_name: Option<String>,
    /// 2 印章编号.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal_num: Option<String>,
    /// 3 印章详细类型 (01–05).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal_specific_category: Option<String>,
    /// 4 印章显示高度 (mm).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal_height: Option<String>,
    /// 5 印章显示宽度 (mm).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal_width: Option<String>,
    /// 6 印章图片数据 (base64).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal_img: Option<String>,
    /// 7 印章有效开始时间.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_start_time: Option<String>,
    /// 8 印章有效结束时间.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_end_time: Option<String>,
    /// 9 印章所用者签名证书 (base64).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_cert: Option<String>,
    /// 10 备案类型.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bak_type: Option<String>,
    /// 11 印章载体类型.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal_carrier: Option<String>,
    /// 12 是否是本地印章.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_or: Option<String>,
    /// 13 印章图像类型.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal_type: Option<String>,
    /// 14 机构编码.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_code: Option<String>,
}

/// `sealSpecificCategory` (appendix 2 item 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SealCategory {
    /// 01 电子法定名称章 (official name seal).
    OfficialName,
    /// 02 电子财务专用章 (finance seal).
    Finance,
    /// 03 电子发票专用章 (invoice seal).
    Invoice,
    /// 04 电子合同专用章 (contract seal).
    Contract,
    /// 05 电子名章 (personal name seal).
    PersonalName,
}

impl SealCategory {
    /// The two-digit code.
    pub fn code(self) -> &'static str {
        match self {
            SealCategory::OfficialName => "01",
            SealCategory::Finance => "02",
            SealCategory::Invoice => "03",
            SealCategory::Contract => "04",
            SealCategory::PersonalName => "05",
        }
    }

    /// From the two-digit code.
    pub fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "01" => SealCategory::OfficialName,
            "02" => SealCategory::Finance,
            "03" => SealCategory::Invoice,
            "04" => SealCategory::Contract,
            "05" => SealCategory::PersonalName,
            _ => return None,
        })
    }
}

/// `bakType` (appendix 2 item 10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FilingType {
    /// 1 新建 (new).
    New,
    /// 2 更新 (update).
    Update,
}

impl FilingType {
    /// The code.
    pub fn code(self) -> &'static str {
        match self {
            FilingType::New => "1",
            FilingType::Update => "2",
        }
    }

    /// From the code.
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "1" => Some(FilingType::New),
            "2" => Some(FilingType::Update),
            _ => None,
        }
    }
}

/// `sealCarrier` (appendix 2 item 11; also `extendData.sealCarrier`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Carrier {
    /// 1 UKey (智能密码钥匙).
    UKey,
    /// 2 server-hosted (托管).
    Server,
}

impl Carrier {
    /// The code.
    pub fn code(self) -> &'static str {
        match self {
            Carrier::UKey => "1",
            Carrier::Server => "2",
        }
    }

    /// From the code.
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "1" => Some(Carrier::UKey),
            "2" => Some(Carrier::Server),
            _ => None,
        }
    }
}

/// `localOr` (appendix 2 item 12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LocalOr {
    /// `Y`: a local seal.
    Local,
    /// `N`: a filed (备案) seal.
    Filing,
}

impl LocalOr {
    /// The code.
    pub fn code(self) -> &'static str {
        match self {
            LocalOr::Local => "Y",
            LocalOr::Filing => "N",
        }
    }

    /// From the code.
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "Y" => Some(LocalOr::Local),
            "N" => Some(LocalOr::Filing),
            _ => None,
        }
    }
}

/// A length in millimetres, as written (`"40"`, `"40.5"`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Millimetres(String);

/// The reference sizes of appendix 2 items 4 and 5.
pub const REFERENCE_SIZES_MM: [&str; 5] = ["30", "38", "40", "42", "45"];

impl Millimetres {
    /// Parse a positive decimal number of millimetres (at most 200, at most two decimals).
    ///
    /// # Errors
    /// [`Error::InvalidField`] naming `field`.
    pub fn parse(field: &str, s: &str) -> Result<Self> {
        let rule = "a length in mm: positive decimal, at most 200, at most two decimals";
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        let ok = !int.is_empty()
            && int.len() <= 3
            && int.bytes().all(|b| b.is_ascii_digit())
            && frac.len() <= 2
            && frac.bytes().all(|b| b.is_ascii_digit())
            && (s.contains('.') != frac.is_empty());
        let v = s.parse::<f64>().unwrap_or(0.0);
        if !ok || v <= 0.0 || v > 200.0 {
            return Err(Error::invalid(field, rule, s));
        }
        Ok(Millimetres(s.to_owned()))
    }

    /// The value.
    pub fn value(&self) -> f64 {
        self.0.parse().unwrap_or(0.0)
    }

    /// As written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A broken rule of appendix 2.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// The member (JSON name).
    pub field: &'static str,
    /// The rule, in words.
    pub rule: &'static str,
    /// What is wrong.
    pub detail: String,
}

impl core::fmt::Display for Violation {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "`{}`: {} ({})", self.field, self.detail, self.rule)
    }
}

/// Everything validation found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ValidationReport {
    /// Broken rules: the record is not valid when this is non-empty.
    pub violations: Vec<Violation>,
    /// Observations that break no rule (a size other than the reference values, a picture whose
    /// physical size differs from the declared size).
    pub notes: Vec<Violation>,
    /// The picture, when it decoded.
    pub picture: Option<PictureReport>,
}

impl ValidationReport {
    /// No rule is broken.
    pub fn is_valid(&self) -> bool {
        self.violations.is_empty()
    }

    /// The violations of one member.
    pub fn for_field<'a>(&'a self, field: &'a str) -> impl Iterator<Item = &'a Violation> + 'a {
        self.violations.iter().filter(move |v| v.field == field)
    }

    fn violate(&mut self, field: &'static str, rule: &'static str, detail: impl Into<String>) {
        self.violations.push(Violation {
            field,
            rule,
            detail: detail.into(),
        });
    }

    fn note(&mut self, field: &'static str, rule: &'static str, detail: impl Into<String>) {
        self.notes.push(Violation {
            field,
            rule,
            detail: detail.into(),
        });
    }
}

impl core::fmt::Display for ValidationReport {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        if self.is_valid() {
            writeln!(f, "valid")?;
        }
        for v in &self.violations {
            writeln!(f, "violation: {v}")?;
        }
        for n in &self.notes {
            writeln!(f, "note: {n}")?;
        }
        Ok(())
    }
}

/// The rules the record is validated against.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SealDataProfile {
    /// Seal-number rules.
    pub seal_number: SealNumberRules,
    /// Picture rules.
    pub picture: PictureProfile,
    /// The orgCode the record must carry (from the registration package), when known.
    pub expected_org_code: Option<String>,
    /// Tolerance between the picture's physical size and sealWidth/sealHeight, in mm, above
    /// which a note is made. Default 1 mm (see [`SealDataProfile::new`]).
    pub size_tolerance_mm: f64,
}

impl SealDataProfile {
    /// The provincial profile with the default rules.
    pub fn new() -> Self {
        SealDataProfile {
            size_tolerance_mm: 1.0,
            ..SealDataProfile::default()
        }
    }
}

/// A seal-making record whose every member follows its rule.
#[derive(Debug, Clone, PartialEq)]
pub struct SealRecord {
    /// 印章名称.
    pub seal_name: String,
    /// 印章编号.
    pub seal_num: SealNumber,
    /// 印章详细类型.
    pub category: SealCategory,
    /// 印章显示高度.
    pub height: Millimetres,
    /// 印章显示宽度.
    pub width: Millimetres,
    /// The PNG picture (decoded from base64).
    pub picture: Vec<u8>,
    /// 印章有效开始时间.
    pub valid_start: LocalDateTime,
    /// 印章有效结束时间.
    pub valid_end: LocalDateTime,
    /// The seal owner's signing certificate, DER.
    pub sign_cert: Vec<u8>,
    /// 备案类型.
    pub filing: FilingType,
    /// 印章载体类型.
    pub carrier: Carrier,
    /// 是否是本地印章.
    pub local: LocalOr,
    /// 机构编码.
    pub org_code: String,
}

impl SealRecord {
    /// The JSON record (`sealType` is always `PNG`).
    pub fn to_data(&self) -> SealMakingData {
        SealMakingData {
            seal_name: Some(self.seal_name.clone()),
            seal_num: Some(self.seal_num.as_str().to_owned()),
            seal_specific_category: Some(self.category.code().into()),
            seal_height: Some(self.height.as_str().into()),
            seal_width: Some(self.width.as_str().into()),
            seal_img: Some(crate::b64::encode(&self.picture)),
            valid_start_time: Some(self.valid_start.to_string()),
            valid_end_time: Some(self.valid_end.to_string()),
            sign_cert: Some(crate::b64::encode(&self.sign_cert)),
            bak_type: Some(self.filing.code().into()),
            seal_carrier: Some(self.carrier.code().into()),
            local_or: Some(self.local.code().into()),
            seal_type: Some("PNG".into()),
            org_code: Some(self.org_code.clone()),
        }
    }
}

impl SealMakingData {
    /// Check every member against its rule; every broken rule is listed.
    pub fn validate(&self, profile: &SealDataProfile) -> ValidationReport {
        self.validate_inner(profile).1
    }

    /// The typed record, or the report of what is wrong.
    ///
    /// # Errors
    /// The [`ValidationReport`] when any rule is broken.
    pub fn to_record(&self, profile: &SealDataProfile) -> Result<SealRecord, ValidationReport> {
        match self.validate_inner(profile) {
            (Some(r), report) if report.is_valid() => Ok(r),
            (_, report) => Err(report),
        }
    }

    fn validate_inner(&self, profile: &SealDataProfile) -> (Option<SealRecord>, ValidationReport) {
        let mut rep = ValidationReport::default();
        let required = "required member (appendix 2)";
        macro_rules! take {
            ($field:literal, $v:expr) => {
                match $v.as_deref() {
                    Some(s) => Some(s),
                    None => {
                        rep.violate($field, required, "absent");
                        None
                    }
                }
            };
        }
        let name = take!("sealName", self.seal_name).and_then(|s| {
            let n = s.chars().count();
            if s.trim().is_empty() || n > 128 {
                rep.violate(
                    "sealName",
                    "non-empty, at most 128 characters",
                    format!("{n} characters"),
                );
                None
            } else {
                Some(s.to_owned())
            }
        });
        let num = take!("sealNum", self.seal_num).and_then(|s| {
            SealNumber::parse(s, &profile.seal_number)
                .map_err(|e| {
                    rep.violate(
                        "sealNum",
                        "vendor initials + 6-digit region code + 8-digit random code (appendix 2 item 2)",
                        format!("{s:?}: {e}"),
                    )
                })
                .ok()
        });
        let category = take!("sealSpecificCategory", self.seal_specific_category).and_then(|s| {
            let c = SealCategory::from_code(s);
            if c.is_none() {
                rep.violate(
                    "sealSpecificCategory",
                    "01–05 (appendix 2 item 3)",
                    format!("{s:?}"),
                );
            }
            c
        });
        let mm = |field: &'static str, v: &Option<String>, rep: &mut ValidationReport| {
            let s = match v.as_deref() {
                Some(s) => s,
                None => {
                    rep.violate(field, required, "absent");
                    return None;
                }
            };
            match Millimetres::parse(field, s) {
                Ok(m) => {
                    if !REFERENCE_SIZES_MM.contains(&s) {
                        rep.note(
                            field,
                            "reference values 30, 38, 40, 42, 45 mm",
                            format!("{s} mm"),
                        );
                    }
                    Some(m)
                }
                Err(_) => {
                    rep.violate(
                        field,
                        "mm as a positive decimal ≤ 200 (appendix 2 items 4–5)",
                        format!("{s:?}"),
                    );
                    None
                }
            }
        };
        let height = mm("sealHeight", &self.seal_height, &mut rep);
        let width = mm("sealWidth", &self.seal_width, &mut rep);

        let picture = take!("sealImg", self.seal_img).and_then(|s| {
            // Do not decode what cannot be within the size limit (base64 is 4/3 of the bytes;
            // line breaks allowed for).
            let ceiling = profile.picture.max_bytes.saturating_mul(2).saturating_add(64);
            if s.len() > ceiling {
                rep.violate(
                    "sealImg",
                    "PNG8, 2 colours, 600 dpi, ≤ 25 KB (spec 001 §电子印章新制 c; appendix 2 item 6)",
                    format!("{} base64 characters: larger than the profile allows (not decoded)", s.len()),
                );
                return None;
            }
            let mut tol = crate::deviation::Tolerance::new(crate::Strictness::Strict);
            match crate::b64::decode("sealImg", s, &mut tol) {
                Err(e) => {
                    rep.violate("sealImg", "base64 (appendix 2 item 6)", e.to_string());
                    None
                }
                Ok(bytes) => match picture::check_picture("sealImg", &bytes, &profile.picture) {
                    Err(e) => {
                        rep.violate("sealImg", "a PNG picture (appendix 2 items 6, 13)", e.to_string());
                        None
                    }
                    Ok(pr) => {
                        for v in &pr.violations {
                            rep.violate(
                                "sealImg",
                                "PNG8, 2 colours, 600 dpi, ≤ 25 KB (spec 001 §电子印章新制 c; appendix 2 item 6)",
                                v.to_string(),
                            );
                        }
                        if let (Some((wmm, hmm)), Some(w), Some(h)) = (pr.size_mm(), &width, &height) {
                            let tol = profile.size_tolerance_mm;
                            if (wmm - w.value()).abs() > tol || (hmm - h.value()).abs() > tol {
                                rep.note(
                                    "sealImg",
                                    "the picture printed 1:1 should have the seal's size",
                                    format!(
                                        "picture is {wmm:.1} x {hmm:.1} mm, sealWidth x sealHeight {} x {} mm",
                                        w.as_str(),
                                        h.as_str()
                                    ),
                                );
                            }
                        }
                        rep.picture = Some(pr);
                        Some(bytes)
                    }
                },
            }
        });
        let time = |field: &'static str, v: &Option<String>, rep: &mut ValidationReport| {
            let s = match v.as_deref() {
                Some(s) => s,
                None => {
                    rep.violate(field, required, "absent");
                    return None;
                }
            };
            LocalDateTime::parse(field, s)
                .map_err(|_| {
                    rep.violate(
                        field,
                        "yyyy-MM-dd HH:mm:ss (appendix 2 items 7–8)",
                        format!("{s:?}"),
                    )
                })
                .ok()
        };
        let start = time("validStartTime", &self.valid_start_time, &mut rep);
        let end = time("validEndTime", &self.valid_end_time, &mut rep);
        if let (Some(a), Some(b)) = (start, end) {
            if b <= a {
                rep.violate(
                    "validEndTime",
                    "the end is after the start",
                    format!("{b} is not after {a}"),
                );
            }
        }
        let cert = take!("signCert", self.sign_cert).and_then(|s| {
            match SystemCertificate::from_base64("signCert", s) {
                Err(e) => {
                    rep.violate(
                        "signCert",
                        "base64 DER SM2 certificate (appendix 2 item 9)",
                        e.to_string(),
                    );
                    None
                }
                Ok(c) => {
                    let personal = category == Some(SealCategory::PersonalName);
                    for problem in subject::check_subject(c.certificate(), personal) {
                        rep.violate(
                            "signCert",
                            "subject rule of spec 001 (数字证书格式规范)",
                            problem,
                        );
                    }
                    Some(c.der().to_vec())
                }
            }
        });
        let filing = take!("bakType", self.bak_type).and_then(|s| {
            let v = FilingType::from_code(s);
            if v.is_none() {
                rep.violate(
                    "bakType",
                    "1 new, 2 update (appendix 2 item 10)",
                    format!("{s:?}"),
                );
            }
            v
        });
        let carrier = take!("sealCarrier", self.seal_carrier).and_then(|s| {
            let v = Carrier::from_code(s);
            if v.is_none() {
                rep.violate(
                    "sealCarrier",
                    "1 UKey, 2 server (appendix 2 item 11)",
                    format!("{s:?}"),
                );
            }
            v
        });
        let local = take!("localOr", self.local_or).and_then(|s| {
            let v = LocalOr::from_code(s);
            if v.is_none() {
                rep.violate(
                    "localOr",
                    "Y local, N filing (appendix 2 item 12)",
                    format!("{s:?}"),
                );
            }
            v
        });
        if let Some(s) = take!("sealType", self.seal_type) {
            if s != "PNG" {
                rep.violate("sealType", "PNG (appendix 2 item 13)", format!("{s:?}"));
            }
        }
        let org = take!("orgCode", self.org_code).and_then(|s| {
            if let Err(e) = gmseal_cert::identity::validate_uscc(s) {
                rep.violate(
                    "orgCode",
                    "GB 32100 unified social credit code (appendix 2 item 14)",
                    format!("{s:?}: {e}"),
                );
                return None;
            }
            if let Some(expected) = &profile.expected_org_code {
                if expected != s {
                    rep.violate(
                        "orgCode",
                        "the orgCode of the registration package (appendix 2 item 14)",
                        format!("{s} is not the registered {expected}"),
                    );
                    return None;
                }
            }
            Some(s.to_owned())
        });
        let record = (|| {
            Some(SealRecord {
                seal_name: name?,
                seal_num: num?,
                category: category?,
                height: height?,
                width: width?,
                picture: picture?,
                valid_start: start?,
                valid_end: end?,
                sign_cert: cert?,
                filing: filing?,
                carrier: carrier?,
                local: local?,
                org_code: org?,
            })
        })();
        (record, rep)
    }
}
