//! Message types of spec 002 (field names exactly as its tables write them).
//!
//! Requests of §6.1–§6.2 carry the envelope `version`, `appId`, `time`, `nonce`, `sign`; the
//! UKey requests of §6.3 carry `version`, `appId` and `sign` only. Optional members are those
//! the tables mark 否 (or leave blank); response detail members are all optional (the tables
//! give no 必填 column for them).

use serde::{Deserialize, Serialize};

use super::{BizType, HashType, SealState, SignatureType};

/// The seal types of spec 002 tables 1, 5 and 7 (`0` = all in queries).
pub const INTEROP_SEAL_TYPES: [(&str, &str); 8] = [
    ("01", "公章 (电子法定名称章)"),
    ("02", "财务章 (电子财务专用章)"),
    ("03", "发票章 (电子发票专用章)"),
    ("04", "合同章 (电子合同专用章)"),
    ("05", "法人章 (电子名章)"),
    ("06", "业务专用章"),
    ("07", "个人名章"),
    ("08", "个人手绘章"),
];

/// Spec 002 table 1: seal filing / renewal / change request (§6.1.2.2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SealFilingRequest {
    /// `version`.
    pub version: String,
    /// `appId`.
    pub app_id: String,
    /// `time`: milliseconds since 1970, as text.
    pub time: String,
    /// `nonce`: an integer below 100000000.
    pub nonce: u32,
    /// `code`: 业务系统印章编码 (the business system's seal code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// `sealCode`: 印章唯一赋码; required except for a first filing (bizType 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal_code: Option<String>,
    /// `name`: 印章名称.
    pub name: String,
    /// `sealType`: 章类型 0 all, 01–08 (see [`INTEROP_SEAL_TYPES`]); the table leaves 必填 empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal_type: Option<String>,
    /// `UKeyId`: UKey 设备编号.
    #[serde(rename = "UKeyId", default, skip_serializing_if = "Option::is_none")]
    pub ukey_id: Option<String>,
    /// `certNumber`: 证书序列号.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert_number: Option<String>,
    /// `possessor`: 印章使用单位或用户名称.
    pub possessor: String,
    /// `possessorCertNo`: 印章使用单位或用户证件号.
    pub possessor_cert_no: String,
    /// `possessorType`: 关联者类型 1 organisation, 2 person.
    pub possessor_type: i64,
    /// `bizType`: 1 filing, 2 renewal, 3 change ([`BizType`]).
    pub biz_type: i64,
    /// `certType`: 证书性质 1 UKey, 2 cloud certificate.
    pub cert_type: i64,
    /// `sign`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign: Option<String>,
}

/// Spec 002 table 2: seal filing response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SealFilingResponse {
    /// 结果编码.
    pub code: String,
    /// 返回详细信息.
    pub message: String,
    /// `data`: 印章唯一赋码 (the platform's unique seal code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
}

/// Spec 002 table 3: enable / disable / cancel request (§6.1.3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SealStateRequest {
    /// `version`.
    pub version: String,
    /// `appId`.
    pub app_id: String,
    /// `time`: milliseconds since 1970, as text.
    pub time: String,
    /// `nonce`: an integer below 100000000.
    pub nonce: u32,
    /// `sealCode`: 印章唯一赋码.
    pub seal_code: String,
    /// `state`: 1 enabled, 3 cancelled, 4 disabled ([`SealState`]).
    pub state: i64,
    /// `sign`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign: Option<String>,
}

/// Spec 002 table 4: state response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SealStateResponse {
    /// 结果编码.
    pub code: String,
    /// 返回详细信息.
    pub message: String,
    /// `data`: empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
}

/// Spec 002 table 5: get seals request (§6.1.4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetSealsRequest {
    /// `version`.
    pub version: String,
    /// `appId`.
    pub app_id: String,
    /// `time`: milliseconds since 1970, as text.
    pub time: String,
    /// `nonce`: an integer below 100000000.
    pub nonce: u32,
    /// `deviceId`: 设备ID (required for 手机盾).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_id: Option<String>,
    /// `idCard`: 用户证件号 (required for 手机盾).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_card: Option<String>,
    /// `orgCode`: 企业组织机构代码.
    pub org_code: String,
    /// `sealType`: 0 all, 01–08.
    pub seal_type: String,
    /// `certType`: 0 all, 1 UKey, 2 cloud.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert_type: Option<i64>,
    /// `certNumber`: 证书序列号.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert_number: Option<String>,
    /// `UKeyId`: UKey 设备编号.
    #[serde(rename = "UKeyId", default, skip_serializing_if = "Option::is_none")]
    pub ukey_id: Option<String>,
    /// `sign`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign: Option<String>,
}

/// Spec 002 table 6: get seals response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetSealsResponse {
    /// 结果编码.
    pub code: String,
    /// 返回详细信息.
    pub message: String,
    /// `data`: the seals (table 7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Vec<SealEntry>>,
}

/// Spec 002 table 7: one seal of a get-seals response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SealEntry {
    /// `signId`: 签名ID, valid for one signature with this seal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_id: Option<String>,
    /// `sealType`: 01–08.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal_type: Option<String>,
    /// `sealRelateType`: 1 organisation seal, 2 personal seal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal_relate_type: Option<String>,
    /// `sealCode`: 印章唯一标识.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal_code: Option<String>,
    /// `sealName`: 印章名称.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal_name: Option<String>,
    /// `moulageData`: 印模数据, base64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moulage_data: Option<String>,
    /// `width`: 印模宽度, mm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<i64>,
    /// `height`: 印模高度, mm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<i64>,
    /// `dpiX`: 印模宽度, pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dpi_x: Option<i64>,
    /// `dpiY`: 印模高度, pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dpi_y: Option<i64>,
    /// `sealData`: 电子印章数据, base64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal_data: Option<String>,
    /// `sealInvalidTime`: 有效期 `YYYY-MM-DD HH:MM:SS`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal_invalid_time: Option<String>,
    /// `certType`: 1 UKey, 2 cloud.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert_type: Option<i64>,
    /// `destHost`: 客户端请求地址 (UKey seals).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dest_host: Option<String>,
    /// `platName`: 平台名称.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plat_name: Option<String>,
    /// `UKeyId`: UKey 设备编号.
    #[serde(rename = "UKeyId", default, skip_serializing_if = "Option::is_none")]
    pub ukey_id: Option<String>,
    /// `algorithm`: 1 RSA, 2 SM2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub algorithm: Option<String>,
    /// `certList`: 签名公钥证书列表 (table 8).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert_list: Option<Vec<CertEntry>>,
    /// `state`: 1 to download, 2 downloaded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<i64>,
    /// `userList`: 授权信息列表 (table 9).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_list: Option<Vec<AuthorisedUser>>,
}

/// Spec 002 table 8: a certificate of a seal entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CertEntry {
    /// `algorithm`: 1 RSA, 2 SM2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub algorithm: Option<i64>,
    /// `certCode`: 证书序列号.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert_code: Option<String>,
    /// `invalidTime`: 证书失效时间.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invalid_time: Option<String>,
    /// `signPublicKey`: 签名公钥证书 (base64 .cer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_public_key: Option<String>,
    /// `subjectCn`: 证书使用者 CN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject_cn: Option<String>,
}

/// Spec 002 table 9: an authorised user of a seal entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthorisedUser {
    /// `userName`: 授权人名称.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    /// `mobilePhone`: 授权人手机号码.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mobile_phone: Option<String>,
}

/// Spec 002 table 10: cloud-certificate willingness-authentication request (§6.2.2.1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WillAuthRequest {
    /// `version`.
    pub version: String,
    /// `appId`.
    pub app_id: String,
    /// `time`: milliseconds since 1970, as text.
    pub time: String,
    /// `nonce`: an integer below 100000000.
    pub nonce: u32,
    /// `orgCode`: 企业统一社会信用代码.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_code: Option<String>,
    /// `name`: 用户姓名.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `idCard`: 身份证号码.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_card: Option<String>,
    /// `mobile`: 手机号.
    pub mobile: String,
    /// `sealCode`: 印章唯一标识.
    pub seal_code: String,
    /// `redirectUrl`: 重定向地址.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_url: Option<String>,
    /// `sign`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign: Option<String>,
}

/// Spec 002 table 11: willingness-authentication response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WillAuthResponse {
    /// 结果编码.
    pub code: String,
    /// 返回详细信息.
    pub message: String,
    /// `data`: table 12.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<WillAuthData>,
}

/// Spec 002 table 12.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WillAuthData {
    /// `authUrl`: 认证 URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_url: Option<String>,
    /// `clientType`: H5 or PC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_type: Option<String>,
    /// `authId`: 认证标识ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_id: Option<String>,
}

/// Spec 002 table 13: willingness-result request (§6.2.2.2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WillAuthResultRequest {
    /// `version`.
    pub version: String,
    /// `appId`.
    pub app_id: String,
    /// `time`: milliseconds since 1970, as text.
    pub time: String,
    /// `nonce`: an integer below 100000000.
    pub nonce: u32,
    /// `authId`: 认证标识ID.
    pub auth_id: String,
    /// `sealCode`: 印章唯一赋码.
    pub seal_code: String,
    /// `sign`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign: Option<String>,
}

/// Spec 002 table 14: willingness-result response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WillAuthResultResponse {
    /// 结果编码.
    pub code: String,
    /// 返回详细信息.
    pub message: String,
    /// `data`: table 15.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<WillAuthResult>,
}

/// Spec 002 table 15.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WillAuthResult {
    /// `authCode`: 意愿认证凭证.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_code: Option<String>,
    /// `authId`: 认证标识ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_id: Option<String>,
}

/// Spec 002 table 16: cloud-certificate digest-signing request (§6.2.2.3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudSignRequest {
    /// `version`.
    pub version: String,
    /// `appId`.
    pub app_id: String,
    /// `time`: milliseconds since 1970, as text.
    pub time: String,
    /// `nonce`: an integer below 100000000.
    pub nonce: u32,
    /// `sealCode`: 印章唯一赋码.
    pub seal_code: String,
    /// `authId`: 认证标识ID.
    pub auth_id: String,
    /// `authCode`: 意愿认证凭证.
    pub auth_code: String,
    /// `type`: P1 or P7 ([`SignatureType`]).
    #[serde(rename = "type")]
    pub r#type: String,
    /// `docHash`: P1: the data to sign; P7: the hash of the sealed document.
    pub doc_hash: String,
    /// `credentNo`: 身份证号码.
    pub credent_no: String,
    /// `orgCode`: 企业统一社会信用代码 (required for organisation seals).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_code: Option<String>,
    /// `signId`: 签名ID from get seals.
    pub sign_id: String,
    /// `hashType`: 1 MD5, 2 SHA1, 3 SHA256, 4 SM3 ([`HashType`]).
    pub hash_type: i64,
    /// `sign`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign: Option<String>,
}

/// Spec 002 table 17: cloud signing response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudSignResponse {
    /// 结果编码.
    pub code: String,
    /// 返回详细信息.
    pub message: String,
    /// `data`: table 18.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<SignedData>,
}

/// Spec 002 table 18.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignedData {
    /// `type`: P1 or P7.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    /// `signData`: 签名数据, base64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_data: Option<String>,
}

/// Spec 002 table 19: UKey digest-signing request (§6.3.2.1); no time or nonce.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UKeySignRequest {
    /// `version`.
    pub version: String,
    /// `appId`.
    pub app_id: String,
    /// `signId`: 签名ID.
    pub sign_id: String,
    /// `hashType`: 1 MD5, 2 SHA1, 3 SHA256, 4 SM3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash_type: Option<i64>,
    /// `signFormat`: 1 P1, 2 P7.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_format: Option<i64>,
    /// `sealCode`: 印章唯一赋码.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal_code: Option<String>,
    /// `docHash`: base64; P1: the data to sign, P7: the hash of the sealed document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_hash: Option<String>,
    /// `sign`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign: Option<String>,
}

/// Spec 002 table 20: UKey signing response (`data` is typed JSON but described as base64 text; both are accepted).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UKeySignResponse {
    /// 结果编码.
    pub code: String,
    /// 返回详细信息.
    pub message: String,
    /// `data`: base64 signature value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<serde_json::Value>,
}

/// Spec 002 table 21: UKey information request (§6.3.2.2); no time or nonce.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UKeyInfoRequest {
    /// `version`.
    pub version: String,
    /// `appId`.
    pub app_id: String,
    /// `type`: 1 signing certificate, 2 encryption certificate.
    #[serde(rename = "type")]
    pub r#type: String,
    /// `sign`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign: Option<String>,
}

/// Spec 002 table 22: UKey information response (`data` is typed String but has members; an object or a string holding one is accepted).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UKeyInfoResponse {
    /// 结果编码.
    pub code: String,
    /// 返回详细信息.
    pub message: String,
    /// `data`: table 23.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::provincial::opt_object_or_json_string"
    )]
    pub data: Option<UKeyInfo>,
}

/// Spec 002 table 23.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UKeyInfo {
    /// `UKeyId`: UKey 设备编号.
    #[serde(rename = "UKeyId", default, skip_serializing_if = "Option::is_none")]
    pub ukey_id: Option<String>,
    /// `certData`: base64 signing certificate (type 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert_data: Option<String>,
}

// --- parsing rules -------------------------------------------------------------------------

use crate::deviation::{DeviationKind, Tolerance};
use crate::error::Result;
use crate::json::Document;
use crate::message::Schema;

/// Length limits (characters) of the short members common to the messages; the draft gives
/// none, these bound untrusted input.
const LIMITS: &[(&str, usize)] = &[
    ("version", 64),
    ("appId", 256),
    ("time", 64),
    ("sign", 4096),
    ("code", 256),
    ("message", 4096),
    ("sealCode", 256),
    ("name", 512),
    ("orgCode", 64),
    ("mobile", 64),
    ("idCard", 64),
    ("authId", 1024),
    ("authCode", 4096),
    ("signId", 1024),
    ("type", 64),
];

/// `time` is milliseconds as decimal digits; `nonce` is below 100000000.
fn check_envelope(tol: &mut Tolerance, time: &str, nonce: u32) -> Result<()> {
    if time.is_empty() || time.len() > 16 || !time.bytes().all(|b| b.is_ascii_digit()) {
        tol.allow(
            "time",
            DeviationKind::Format {
                rule: "milliseconds since 1970 as decimal digits",
                found: time.to_owned(),
            },
            "spec 002: time is the current time in milliseconds",
        )?;
    }
    if nonce >= 100_000_000 {
        tol.allow(
            "nonce",
            DeviationKind::Format {
                rule: "an integer below 100000000",
                found: nonce.to_string(),
            },
            "spec 002: nonce is a random integer below 100000000",
        )?;
    }
    Ok(())
}

fn check_code(tol: &mut Tolerance, field: &str, v: i64, allowed: &[i64]) -> Result<()> {
    if allowed.contains(&v) {
        return Ok(());
    }
    tol.allow(
        field,
        DeviationKind::UnexpectedValue {
            expected: allowed
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            found: v.to_string(),
        },
        "spec 002 table value",
    )
}

fn check_seal_type(tol: &mut Tolerance, field: &str, v: &str, allow_all: bool) -> Result<()> {
    if (allow_all && v == "0") || INTEROP_SEAL_TYPES.iter().any(|(c, _)| *c == v) {
        return Ok(());
    }
    tol.allow(
        field,
        DeviationKind::UnexpectedValue {
            expected: "01–08".into(),
            found: v.to_owned(),
        },
        "spec 002 seal types 01–08 (0 = all in queries)",
    )
}

impl Schema for SealFilingRequest {
    const MAX_LENGTHS: &'static [(&'static str, usize)] = LIMITS;
    const KNOWN_FIELDS: &'static [&'static str] = &[
        "version",
        "appId",
        "time",
        "nonce",
        "code",
        "sealCode",
        "name",
        "sealType",
        "UKeyId",
        "certNumber",
        "possessor",
        "possessorCertNo",
        "possessorType",
        "bizType",
        "certType",
        "sign",
    ];

    fn check(&self, _doc: &Document, tol: &mut Tolerance) -> Result<()> {
        check_envelope(tol, &self.time, self.nonce)?;
        check_code(tol, "possessorType", self.possessor_type, &[1, 2])?;
        check_code(tol, "bizType", self.biz_type, &[1, 2, 3])?;
        check_code(tol, "certType", self.cert_type, &[1, 2])?;
        if let Some(t) = &self.seal_type {
            check_seal_type(tol, "sealType", t, false)?;
        }
        if self.biz_type != BizType::Filing.code()
            && self.seal_code.as_deref().is_none_or(str::is_empty)
        {
            tol.allow(
                "sealCode",
                DeviationKind::Missing,
                "table 1: sealCode is required except for a first filing",
            )?;
        }
        Ok(())
    }
}

impl Schema for SealFilingResponse {
    const MAX_LENGTHS: &'static [(&'static str, usize)] = LIMITS;
    const KNOWN_FIELDS: &'static [&'static str] = &["code", "message", "code", "message", "data"];

    fn check(&self, _doc: &Document, _tol: &mut Tolerance) -> Result<()> {
        Ok(())
    }
}

impl Schema for SealStateRequest {
    const MAX_LENGTHS: &'static [(&'static str, usize)] = LIMITS;
    const KNOWN_FIELDS: &'static [&'static str] = &[
        "version", "appId", "time", "nonce", "sealCode", "state", "sign",
    ];

    fn check(&self, _doc: &Document, tol: &mut Tolerance) -> Result<()> {
        check_envelope(tol, &self.time, self.nonce)?;
        if SealState::from_code(self.state).is_none() {
            check_code(tol, "state", self.state, &[1, 3, 4])?;
        }
        Ok(())
    }
}

impl Schema for SealStateResponse {
    const MAX_LENGTHS: &'static [(&'static str, usize)] = LIMITS;
    const KNOWN_FIELDS: &'static [&'static str] = &["code", "message", "code", "message", "data"];

    fn check(&self, _doc: &Document, _tol: &mut Tolerance) -> Result<()> {
        Ok(())
    }
}

impl Schema for GetSealsRequest {
    const MAX_LENGTHS: &'static [(&'static str, usize)] = LIMITS;
    const KNOWN_FIELDS: &'static [&'static str] = &[
        "version",
        "appId",
        "time",
        "nonce",
        "deviceId",
        "idCard",
        "orgCode",
        "sealType",
        "certType",
        "certNumber",
        "UKeyId",
        "sign",
    ];

    fn check(&self, _doc: &Document, tol: &mut Tolerance) -> Result<()> {
        check_envelope(tol, &self.time, self.nonce)?;
        check_seal_type(tol, "sealType", &self.seal_type, true)?;
        if let Some(c) = self.cert_type {
            check_code(tol, "certType", c, &[0, 1, 2])?;
        }
        Ok(())
    }
}

impl Schema for GetSealsResponse {
    const MAX_LENGTHS: &'static [(&'static str, usize)] = LIMITS;
    const KNOWN_FIELDS: &'static [&'static str] = &[
        "code",
        "message",
        "code",
        "message",
        "data[].signId",
        "data[].sealType",
        "data[].sealRelateType",
        "data[].sealCode",
        "data[].sealName",
        "data[].moulageData",
        "data[].width",
        "data[].height",
        "data[].dpiX",
        "data[].dpiY",
        "data[].sealData",
        "data[].sealInvalidTime",
        "data[].certType",
        "data[].destHost",
        "data[].platName",
        "data[].UKeyId",
        "data[].algorithm",
        "data[].certList[].algorithm",
        "data[].certList[].certCode",
        "data[].certList[].invalidTime",
        "data[].certList[].signPublicKey",
        "data[].certList[].subjectCn",
        "data[].state",
        "data[].userList[].userName",
        "data[].userList[].mobilePhone",
    ];

    fn check(&self, _doc: &Document, _tol: &mut Tolerance) -> Result<()> {
        Ok(())
    }
}

impl Schema for WillAuthRequest {
    const MAX_LENGTHS: &'static [(&'static str, usize)] = LIMITS;
    const KNOWN_FIELDS: &'static [&'static str] = &[
        "version",
        "appId",
        "time",
        "nonce",
        "orgCode",
        "name",
        "idCard",
        "mobile",
        "sealCode",
        "redirectUrl",
        "sign",
    ];

    fn check(&self, _doc: &Document, tol: &mut Tolerance) -> Result<()> {
        check_envelope(tol, &self.time, self.nonce)?;
        Ok(())
    }
}

impl Schema for WillAuthResponse {
    const MAX_LENGTHS: &'static [(&'static str, usize)] = LIMITS;
    const KNOWN_FIELDS: &'static [&'static str] = &[
        "code",
        "message",
        "data.authUrl",
        "data.clientType",
        "data.authId",
    ];

    fn check(&self, _doc: &Document, _tol: &mut Tolerance) -> Result<()> {
        Ok(())
    }
}

impl Schema for WillAuthResultRequest {
    const MAX_LENGTHS: &'static [(&'static str, usize)] = LIMITS;
    const KNOWN_FIELDS: &'static [&'static str] = &[
        "version", "appId", "time", "nonce", "authId", "sealCode", "sign",
    ];

    fn check(&self, _doc: &Document, tol: &mut Tolerance) -> Result<()> {
        check_envelope(tol, &self.time, self.nonce)?;
        Ok(())
    }
}

impl Schema for WillAuthResultResponse {
    const MAX_LENGTHS: &'static [(&'static str, usize)] = LIMITS;
    const KNOWN_FIELDS: &'static [&'static str] = &[
        "code",
        "message",
        "code",
        "message",
        "data.authCode",
        "data.authId",
    ];

    fn check(&self, _doc: &Document, _tol: &mut Tolerance) -> Result<()> {
        Ok(())
    }
}

impl Schema for CloudSignRequest {
    const MAX_LENGTHS: &'static [(&'static str, usize)] = LIMITS;
    const KNOWN_FIELDS: &'static [&'static str] = &[
        "version",
        "appId",
        "time",
        "nonce",
        "sealCode",
        "authId",
        "authCode",
        "type",
        "docHash",
        "credentNo",
        "orgCode",
        "signId",
        "hashType",
        "sign",
    ];

    fn check(&self, _doc: &Document, tol: &mut Tolerance) -> Result<()> {
        check_envelope(tol, &self.time, self.nonce)?;
        crate::message::expect_value(
            tol,
            "type",
            &self.r#type,
            &["P1", "P7"],
            "table 16: P1 or P7",
        )?;
        check_code(tol, "hashType", self.hash_type, &[1, 2, 3, 4])?;
        if let (Some(kind), Some(hash)) = (
            SignatureType::parse(&self.r#type.trim().to_ascii_uppercase()),
            HashType::from_code(self.hash_type),
        ) {
            if let Err(e) =
                super::digest_sign::check_doc_hash("docHash", &self.doc_hash, kind, hash)
            {
                tol.allow(
                    "docHash",
                    DeviationKind::Format {
                        rule: "base64 data (P1) or digest (P7)",
                        found: e.to_string(),
                    },
                    "table 16 docHash",
                )?;
            }
        }
        Ok(())
    }
}

impl Schema for CloudSignResponse {
    const MAX_LENGTHS: &'static [(&'static str, usize)] = LIMITS;
    const KNOWN_FIELDS: &'static [&'static str] = &[
        "code",
        "message",
        "code",
        "message",
        "data.type",
        "data.signData",
    ];

    fn check(&self, _doc: &Document, _tol: &mut Tolerance) -> Result<()> {
        Ok(())
    }
}

impl Schema for UKeySignRequest {
    const MAX_LENGTHS: &'static [(&'static str, usize)] = LIMITS;
    const KNOWN_FIELDS: &'static [&'static str] = &[
        "version",
        "appId",
        "signId",
        "hashType",
        "signFormat",
        "sealCode",
        "docHash",
        "sign",
    ];

    fn check(&self, _doc: &Document, tol: &mut Tolerance) -> Result<()> {
        if let Some(h) = self.hash_type {
            check_code(tol, "hashType", h, &[1, 2, 3, 4])?;
        }
        if let Some(f) = self.sign_format {
            check_code(tol, "signFormat", f, &[1, 2])?;
        }
        if let (Some(d), Some(kind), Some(hash)) = (
            &self.doc_hash,
            self.sign_format.and_then(SignatureType::from_format_code),
            self.hash_type.and_then(HashType::from_code),
        ) {
            if let Err(e) = super::digest_sign::check_doc_hash("docHash", d, kind, hash) {
                tol.allow(
                    "docHash",
                    DeviationKind::Format {
                        rule: "base64 data (P1) or digest (P7)",
                        found: e.to_string(),
                    },
                    "table 19 docHash",
                )?;
            }
        }
        Ok(())
    }
}

impl Schema for UKeySignResponse {
    const MAX_LENGTHS: &'static [(&'static str, usize)] = LIMITS;
    const KNOWN_FIELDS: &'static [&'static str] = &["code", "message", "code", "message", "data"];

    fn check(&self, _doc: &Document, _tol: &mut Tolerance) -> Result<()> {
        Ok(())
    }
}

impl Schema for UKeyInfoRequest {
    const MAX_LENGTHS: &'static [(&'static str, usize)] = LIMITS;
    const KNOWN_FIELDS: &'static [&'static str] = &["version", "appId", "type", "sign"];

    fn check(&self, _doc: &Document, tol: &mut Tolerance) -> Result<()> {
        crate::message::expect_value(tol, "type", &self.r#type, &["1", "2"], "table 21: 1 or 2")?;
        Ok(())
    }
}

impl Schema for UKeyInfoResponse {
    const MAX_LENGTHS: &'static [(&'static str, usize)] = LIMITS;
    const KNOWN_FIELDS: &'static [&'static str] = &[
        "code",
        "message",
        "code",
        "message",
        "data.UKeyId",
        "data.certData",
    ];

    fn check(&self, _doc: &Document, _tol: &mut Tolerance) -> Result<()> {
        Ok(())
    }
}

// --- signing -------------------------------------------------------------------------------

/// Every signed request keeps its signature in an optional top-level `sign` field.
macro_rules! signed_requests {
    ($($request:ty),+ $(,)?) => {$(
        impl super::SignedRequest for $request {
            fn sign(&self) -> Option<&str> {
                self.sign.as_deref()
            }
            fn clear_sign(&mut self) {
                self.sign = None;
            }
        }
    )+};
}

signed_requests!(
    SealFilingRequest,
    SealStateRequest,
    GetSealsRequest,
    WillAuthRequest,
    WillAuthResultRequest,
    CloudSignRequest,
    UKeySignRequest,
    UKeyInfoRequest,
);
