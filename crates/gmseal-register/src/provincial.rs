//! The provincial seal platform's JSON services (spec 001, chapter "二级电子印章管理服务系统接口",
//! §外部接口): seal making, seal download and seal revocation, request and response.
//!
//! | service | address (spec 001) | `taskCode` | `taskTypeCode` request / response |
//! |---|---|---|---|
//! | 印章制作 seal making | `/gb/seal/make` | `sealMaking` | `6` / `6` |
//! | 印章下载 seal download | `/gb/seal/download` | `downloadSeal` | `7` / `12` |
//! | 印章撤销 seal revocation | `/gb/revocationSealInfo` | `revocationSealInfo` | `2` / `2` |
//!
//! Every message carries `signInfo { signAlgorithm: "1.2.156.10197.1.501", signValue }`:
//! SM2 with Z over the default ID, `signValue` the base64 of the 64-byte `r‖s`. What is signed is
//! not specified; [`SigningInput`] names the candidates of the registration notes and defaults
//! to the sorted `k=v&` form. Signing and verifying always work on the JSON text as sent
//! ([`sign_json`], [`verify_json`]); typed messages are serialised once and then signed as text
//! ([`to_signed_json`]).
//!
//! The specification's samples disagree with its tables in several places; every disagreement
//! is listed in `test-vectors/register/SOURCES.md` and parses in lenient mode with each
//! deviation reported:
//! * the seal-making request sample has `taskCode` `downloadSeal` (table: `sealMaking`);
//! * the seal-making response sample has `taskTypeCode` `0` (table: `6`) and a member named
//!   `" taskId"`;
//! * the download request sample has `taskTypeCode` `12` (table: `7`; `12` is the response's);
//! * the download response sample has `taskCode` `confirmReceipt`, `taskTypeCode` `0或1`, and
//!   `data` where the table has `sealData`;
//! * the revocation request sample has `"revocationSealInfo "` and the member names
//!   `"signAlgorithm "` and `"signValue "` with a trailing space;
//! * the tables type `data` as String while the samples carry a JSON object or array: both forms
//!   are accepted (an object or array as such, or a string holding JSON), and the form is kept
//!   for signing;
//! * the tables describe `data` of download and revocation requests as one object with `yzbm`,
//!   the samples as an array of such objects: both are accepted ([`OneOrMany`]).

use serde::{Deserialize, Deserializer, Serialize};

use crate::deviation::{DeviationKind, Tolerance};
use crate::error::Result;
use crate::json::Document;
use crate::message::{Schema, expect_value};
use crate::seal_data::SealMakingData;

mod signing;

pub(crate) use signing::sorted_key_value as signing_sorted_key_value;

pub use signing::{
    SignOptions, SigningInput, VerifyOptions, sign_json, to_signed_json, verify_json,
};

/// `signAlgorithm`: SM3withSM2.
pub const SIGN_ALGORITHM: &str = "1.2.156.10197.1.501";
/// `version` of every message.
pub const VERSION: &str = "1.0";

/// `signInfo` (签名信息).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignInfo {
    /// The algorithm OID as a string, `1.2.156.10197.1.501`.
    pub sign_algorithm: String,
    /// Base64 of the 64-byte `r‖s`.
    pub sign_value: String,
}

/// `extendData` of a request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExtendData {
    /// Base64 of the initiating system's certificate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initiator_cert: Option<String>,
    /// 1 UKey, 2 server-hosted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal_carrier: Option<String>,
    /// Transaction number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trans_id: Option<String>,
}

impl ExtendData {
    /// All three members, with a fresh `transId`.
    ///
    /// # Errors
    /// [`Error::Random`](crate::Error::Random).
    pub fn new(initiator_cert_der: &[u8], carrier: crate::seal_data::Carrier) -> Result<Self> {
        Ok(ExtendData {
            initiator_cert: Some(crate::b64::encode(initiator_cert_der)),
            seal_carrier: Some(carrier.code().into()),
            trans_id: Some(crate::random::trans_id()?),
        })
    }
}

/// One object or an array of them (the tables and samples of spec 001 disagree).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum OneOrMany<T> {
    /// A single object (the tables' reading).
    One(T),
    /// An array (the samples' reading).
    Many(Vec<T>),
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        struct V<T>(core::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for V<T> {
            type Value = OneOrMany<T>;
            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("an object or an array of objects")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> core::result::Result<Self::Value, A::Error> {
                T::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(OneOrMany::One)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                seq: A,
            ) -> core::result::Result<Self::Value, A::Error> {
                Vec::<T>::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))
                    .map(OneOrMany::Many)
            }
        }
        d.deserialize_any(V(core::marker::PhantomData))
    }
}

impl<T> OneOrMany<T> {
    /// The items.
    pub fn items(&self) -> &[T] {
        match self {
            OneOrMany::One(t) => core::slice::from_ref(t),
            OneOrMany::Many(v) => v,
        }
    }
}

/// A seal code item: `{"yzbm": ...}` (印章编码).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealCode {
    /// 印章编码.
    pub yzbm: String,
}

/// An item of a revocation request (the sample adds device codes the table does not list).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RevocationItem {
    /// 电子印章编码.
    pub yzbm: String,
    /// 设备编码 (sample only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_code: Option<String>,
    /// Base64 of the encrypted device code (sample only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enc_device_code: Option<String>,
}

/// `data` of a seal-making response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskIdData {
    /// The task number to query the result with.
    pub task_id: String,
}

/// An item of a download response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DownloadedSeal {
    /// 0 success, other values errors.
    pub error_code: String,
    /// Error message.
    pub error_msg: String,
    /// 印章编码.
    pub yzbm: String,
    /// Base64 of the seal (the sample names it `data`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal_data: Option<String>,
}

/// Seal-making request (spec 001, 印章制作 request table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SealMakingRequest {
    /// `sealMaking`.
    pub task_code: String,
    /// `1.0`.
    pub version: String,
    /// 16-character random token.
    pub token_info: String,
    /// `6`.
    pub task_type_code: String,
    /// The seal-making data (appendix 2); a JSON object, or a string holding one.
    #[serde(deserialize_with = "object_or_json_string")]
    pub data: SealMakingData,
    /// Initiator certificate, carrier, transaction number (all required).
    pub extend_data: ExtendData,
    /// The signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_info: Option<SignInfo>,
}

/// Seal-making response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SealMakingResponse {
    /// `sealMaking`.
    pub task_code: String,
    /// `1.0`.
    pub version: String,
    /// `0` success, other values errors.
    pub result_code: String,
    /// Message.
    pub result_code_msg: String,
    /// `6`.
    pub task_type_code: String,
    /// The task number.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_object_or_json_string"
    )]
    pub data: Option<TaskIdData>,
    /// The signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_info: Option<SignInfo>,
}

/// Seal-download request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SealDownloadRequest {
    /// `downloadSeal`.
    pub task_code: String,
    /// `1.0`.
    pub version: String,
    /// 16-character random token.
    pub token_info: String,
    /// `7` (table).
    pub task_type_code: String,
    /// The seal codes to download.
    #[serde(deserialize_with = "object_or_json_string")]
    pub data: OneOrMany<SealCode>,
    /// Initiator certificate, carrier, transaction number (all required).
    pub extend_data: ExtendData,
    /// The signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_info: Option<SignInfo>,
}

/// Seal-download response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SealDownloadResponse {
    /// `downloadSeal`.
    pub task_code: String,
    /// `1.0`.
    pub version: String,
    /// `0` success, other values errors.
    pub result_code: String,
    /// Message.
    pub result_code_msg: String,
    /// `12`.
    pub task_type_code: String,
    /// The seals.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_object_or_json_string"
    )]
    pub data: Option<OneOrMany<DownloadedSeal>>,
    /// The signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_info: Option<SignInfo>,
}

/// Seal-revocation request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RevocationRequest {
    /// `revocationSealInfo`.
    pub task_code: String,
    /// `1.0`.
    pub version: String,
    /// 16-character random token.
    pub token_info: String,
    /// `2`.
    pub task_type_code: String,
    /// The seals to revoke.
    #[serde(deserialize_with = "object_or_json_string")]
    pub data: OneOrMany<RevocationItem>,
    /// Optional for this service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extend_data: Option<ExtendData>,
    /// The signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_info: Option<SignInfo>,
}

/// Seal-revocation response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RevocationResponse {
    /// `revocationSealInfo`.
    pub task_code: String,
    /// `1.0`.
    pub version: String,
    /// `0` success, other values errors.
    pub result_code: String,
    /// Message.
    pub result_code_msg: String,
    /// `2`.
    pub task_type_code: String,
    /// The signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_info: Option<SignInfo>,
}

/// The task codes of spec 001, with `confirmReceipt`, which appears only in a sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TaskCode {
    /// `sealMaking`.
    SealMaking,
    /// `downloadSeal`.
    DownloadSeal,
    /// `revocationSealInfo`.
    RevocationSealInfo,
}

impl TaskCode {
    /// The `taskCode` string.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskCode::SealMaking => "sealMaking",
            TaskCode::DownloadSeal => "downloadSeal",
            TaskCode::RevocationSealInfo => "revocationSealInfo",
        }
    }

    /// `taskTypeCode` of the request, per the table.
    pub fn request_type_code(self) -> &'static str {
        match self {
            TaskCode::SealMaking => "6",
            TaskCode::DownloadSeal => "7",
            TaskCode::RevocationSealInfo => "2",
        }
    }

    /// `taskTypeCode` of the response, per the table.
    pub fn response_type_code(self) -> &'static str {
        match self {
            TaskCode::SealMaking => "6",
            TaskCode::DownloadSeal => "12",
            TaskCode::RevocationSealInfo => "2",
        }
    }

    /// The service path.
    pub fn path(self) -> &'static str {
        match self {
            TaskCode::SealMaking => "/anysign-ess-server-service/gb/seal/make",
            TaskCode::DownloadSeal => "/anysign-ess-server-service/gb/seal/download",
            TaskCode::RevocationSealInfo => "/anysign-ess-server-service/gb/revocationSealInfo",
        }
    }
}

/// `data` as a JSON value, or a string holding JSON (the tables type it as String). Objects and
/// arrays are deserialised in place, so errors keep their JSON path.
fn object_or_json_string<'de, D, T>(d: D) -> core::result::Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    struct V<T>(core::marker::PhantomData<T>);
    impl<'de, T: serde::de::DeserializeOwned> serde::de::Visitor<'de> for V<T> {
        type Value = T;
        fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            f.write_str("a JSON object or array, or a string holding one")
        }
        fn visit_str<E: serde::de::Error>(self, s: &str) -> core::result::Result<T, E> {
            serde_json::from_str(s).map_err(|e| E::custom(format!("JSON inside the string: {e}")))
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            map: A,
        ) -> core::result::Result<T, A::Error> {
            T::deserialize(serde::de::value::MapAccessDeserializer::new(map))
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            seq: A,
        ) -> core::result::Result<T, A::Error> {
            T::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))
        }
    }
    d.deserialize_any(V(core::marker::PhantomData))
}

pub(crate) fn opt_object_or_json_string<'de, D, T>(
    d: D,
) -> core::result::Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    object_or_json_string(d).map(Some)
}

const TABLE: &str = "spec 001 interface table";

fn check_header(
    doc: &Document,
    tol: &mut Tolerance,
    task_code: &str,
    task_type_code: &str,
    version: &str,
    code: TaskCode,
    request: bool,
) -> Result<()> {
    expect_value(tol, "taskCode", task_code, &[code.as_str()], TABLE)?;
    let expected = if request {
        code.request_type_code()
    } else {
        code.response_type_code()
    };
    expect_value(tol, "taskTypeCode", task_type_code, &[expected], TABLE)?;
    expect_value(tol, "version", version, &[VERSION], TABLE)?;
    if doc.get("signInfo").is_none() {
        tol.allow("signInfo", DeviationKind::Missing, "signInfo is required")?;
    }
    Ok(())
}

fn check_sign_info(tol: &mut Tolerance, si: &Option<SignInfo>) -> Result<()> {
    if let Some(si) = si {
        expect_value(
            tol,
            "signInfo.signAlgorithm",
            &si.sign_algorithm,
            &[SIGN_ALGORITHM],
            TABLE,
        )?;
    }
    Ok(())
}

/// `tokenInfo`: "十六位随机数", read as 16 ASCII letters or digits.
fn check_token(tol: &mut Tolerance, token: &str) -> Result<()> {
    if token.len() == 16 && token.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Ok(());
    }
    tol.allow(
        "tokenInfo",
        DeviationKind::Format {
            rule: "16 random characters (十六位随机数)",
            found: token.to_owned(),
        },
        "tokenInfo is 16 random characters",
    )
}

fn check_extend(tol: &mut Tolerance, e: &ExtendData, required: bool) -> Result<()> {
    for (field, v) in [
        ("extendData.initiatorCert", &e.initiator_cert),
        ("extendData.sealCarrier", &e.seal_carrier),
        ("extendData.transId", &e.trans_id),
    ] {
        match v {
            None if required => {
                tol.allow(field, DeviationKind::Missing, "required by the table")?
            }
            Some(s) if s.is_empty() => {
                tol.allow(field, DeviationKind::Missing, "required by the table")?
            }
            _ => {}
        }
    }
    if let Some(c) = &e.seal_carrier {
        expect_value(
            tol,
            "extendData.sealCarrier",
            c,
            &["1", "2"],
            "1 UKey, 2 server",
        )?;
    }
    if let Some(cert) = &e.initiator_cert {
        if crate::b64::decode_strict("extendData.initiatorCert", cert).is_err() {
            tol.allow(
                "extendData.initiatorCert",
                DeviationKind::Format {
                    rule: "base64 of a certificate",
                    found: crate::error::shorten(cert),
                },
                "base64 certificate",
            )?;
        }
    }
    Ok(())
}

const SIGN_FIELDS: [&str; 2] = ["signInfo.signAlgorithm", "signInfo.signValue"];
const EXTEND_FIELDS: [&str; 3] = [
    "extendData.initiatorCert",
    "extendData.sealCarrier",
    "extendData.transId",
];

/// Length limits (characters) of the short members; the specification gives none, these bound
/// untrusted input generously (a `tokenInfo` is 16, a `transId` 32, a credit code 18).
const SHORT: usize = 64;
const NAME: usize = 256;
const MESSAGE: usize = 4096;
/// Base64 of a 25 KB picture is 34 136 characters; 1 MiB allows profiles with larger pictures.
const PICTURE: usize = 1 << 20;
/// Base64 of a certificate.
const CERT: usize = 64 * 1024;

macro_rules! limits {
    ($($p:expr => $n:expr),* $(,)?) => {{
        const L: &[(&str, usize)] = &[
            ("taskCode", SHORT), ("version", SHORT), ("tokenInfo", SHORT), ("taskTypeCode", SHORT),
            ("resultCode", SHORT), ("resultCodeMsg", MESSAGE),
            ("extendData.initiatorCert", CERT), ("extendData.sealCarrier", SHORT),
            ("extendData.transId", SHORT), ("signInfo.signAlgorithm", SHORT),
            ("signInfo.signValue", 1024),
            $(($p, $n)),*
        ];
        L
    }};
}

macro_rules! fields {
    ($($f:expr),* $(,)?) => {{
        const F: &[&str] = &[$($f),*];
        F
    }};
}

impl Schema for SealMakingRequest {
    const MAX_LENGTHS: &'static [(&'static str, usize)] = limits!["data.sealName" => NAME, "data.sealNum" => SHORT, "data.sealSpecificCategory" => SHORT, "data.sealHeight" => SHORT, "data.sealWidth" => SHORT, "data.sealImg" => PICTURE, "data.validStartTime" => SHORT, "data.validEndTime" => SHORT, "data.signCert" => CERT, "data.bakType" => SHORT, "data.sealCarrier" => SHORT, "data.localOr" => SHORT, "data.sealType" => SHORT, "data.orgCode" => SHORT];
    const KNOWN_FIELDS: &'static [&'static str] = fields![
        "taskCode",
        "version",
        "tokenInfo",
        "taskTypeCode",
        "data.sealName",
        "data.sealNum",
        "data.sealSpecificCategory",
        "data.sealHeight",
        "data.sealWidth",
        "data.sealImg",
        "data.validStartTime",
        "data.validEndTime",
        "data.signCert",
        "data.bakType",
        "data.sealCarrier",
        "data.localOr",
        "data.sealType",
        "data.orgCode",
        EXTEND_FIELDS[0],
        EXTEND_FIELDS[1],
        EXTEND_FIELDS[2],
        SIGN_FIELDS[0],
        SIGN_FIELDS[1],
    ];

    fn check(&self, doc: &Document, tol: &mut Tolerance) -> Result<()> {
        check_header(
            doc,
            tol,
            &self.task_code,
            &self.task_type_code,
            &self.version,
            TaskCode::SealMaking,
            true,
        )?;
        check_token(tol, &self.token_info)?;
        check_extend(tol, &self.extend_data, true)?;
        check_sign_info(tol, &self.sign_info)?;
        if let (Some(a), Some(b)) = (&self.data.seal_carrier, &self.extend_data.seal_carrier) {
            if a != b {
                tol.allow(
                    "data.sealCarrier",
                    DeviationKind::UnexpectedValue {
                        expected: b.clone(),
                        found: a.clone(),
                    },
                    "data.sealCarrier equals extendData.sealCarrier",
                )?;
            }
        }
        Ok(())
    }
}

impl Schema for SealMakingResponse {
    const MAX_LENGTHS: &'static [(&'static str, usize)] = limits!["data.taskId" => NAME];
    const KNOWN_FIELDS: &'static [&'static str] = fields![
        "taskCode",
        "version",
        "resultCode",
        "resultCodeMsg",
        "taskTypeCode",
        "data.taskId",
        SIGN_FIELDS[0],
        SIGN_FIELDS[1],
    ];

    fn check(&self, doc: &Document, tol: &mut Tolerance) -> Result<()> {
        check_header(
            doc,
            tol,
            &self.task_code,
            &self.task_type_code,
            &self.version,
            TaskCode::SealMaking,
            false,
        )?;
        check_sign_info(tol, &self.sign_info)
    }
}

impl Schema for SealDownloadRequest {
    const MAX_LENGTHS: &'static [(&'static str, usize)] =
        limits!["data.yzbm" => SHORT, "data[].yzbm" => SHORT];
    const KNOWN_FIELDS: &'static [&'static str] = fields![
        "taskCode",
        "version",
        "tokenInfo",
        "taskTypeCode",
        "data.yzbm",
        "data[].yzbm",
        EXTEND_FIELDS[0],
        EXTEND_FIELDS[1],
        EXTEND_FIELDS[2],
        SIGN_FIELDS[0],
        SIGN_FIELDS[1],
    ];

    fn check(&self, doc: &Document, tol: &mut Tolerance) -> Result<()> {
        check_header(
            doc,
            tol,
            &self.task_code,
            &self.task_type_code,
            &self.version,
            TaskCode::DownloadSeal,
            true,
        )?;
        check_token(tol, &self.token_info)?;
        check_extend(tol, &self.extend_data, true)?;
        check_sign_info(tol, &self.sign_info)
    }
}

impl Schema for SealDownloadResponse {
    const MAX_LENGTHS: &'static [(&'static str, usize)] =
        limits!["data[].yzbm" => SHORT, "data[].errorCode" => SHORT, "data[].errorMsg" => MESSAGE];
    const KNOWN_FIELDS: &'static [&'static str] = fields![
        "taskCode",
        "version",
        "resultCode",
        "resultCodeMsg",
        "taskTypeCode",
        "data.errorCode",
        "data.errorMsg",
        "data.yzbm",
        "data.sealData",
        "data[].errorCode",
        "data[].errorMsg",
        "data[].yzbm",
        "data[].sealData",
        SIGN_FIELDS[0],
        SIGN_FIELDS[1],
    ];
    const ALIASES: &'static [(&'static str, &'static str)] =
        &[("data[].data", "sealData"), ("data.data", "sealData")];

    fn check(&self, doc: &Document, tol: &mut Tolerance) -> Result<()> {
        check_header(
            doc,
            tol,
            &self.task_code,
            &self.task_type_code,
            &self.version,
            TaskCode::DownloadSeal,
            false,
        )?;
        check_sign_info(tol, &self.sign_info)?;
        if let Some(data) = &self.data {
            for (i, item) in data.items().iter().enumerate() {
                if item.error_code == "0" && item.seal_data.is_none() {
                    tol.allow(
                        format!("data[{i}].sealData"),
                        DeviationKind::Missing,
                        "a downloaded seal carries sealData",
                    )?;
                }
            }
        }
        Ok(())
    }
}

impl Schema for RevocationRequest {
    const MAX_LENGTHS: &'static [(&'static str, usize)] = limits!["data.yzbm" => SHORT, "data[].yzbm" => SHORT, "data[].deviceCode" => NAME, "data[].encDeviceCode" => MESSAGE];
    const KNOWN_FIELDS: &'static [&'static str] = fields![
        "taskCode",
        "version",
        "tokenInfo",
        "taskTypeCode",
        "data.yzbm",
        "data[].yzbm",
        "data.deviceCode",
        "data[].deviceCode",
        "data.encDeviceCode",
        "data[].encDeviceCode",
        EXTEND_FIELDS[0],
        EXTEND_FIELDS[1],
        EXTEND_FIELDS[2],
        SIGN_FIELDS[0],
        SIGN_FIELDS[1],
    ];

    fn check(&self, doc: &Document, tol: &mut Tolerance) -> Result<()> {
        check_header(
            doc,
            tol,
            &self.task_code,
            &self.task_type_code,
            &self.version,
            TaskCode::RevocationSealInfo,
            true,
        )?;
        check_token(tol, &self.token_info)?;
        if let Some(e) = &self.extend_data {
            check_extend(tol, e, false)?;
        }
        check_sign_info(tol, &self.sign_info)
    }
}

impl Schema for RevocationResponse {
    const MAX_LENGTHS: &'static [(&'static str, usize)] = limits![];
    const KNOWN_FIELDS: &'static [&'static str] = fields![
        "taskCode",
        "version",
        "resultCode",
        "resultCodeMsg",
        "taskTypeCode",
        SIGN_FIELDS[0],
        SIGN_FIELDS[1],
    ];

    fn check(&self, doc: &Document, tol: &mut Tolerance) -> Result<()> {
        check_header(
            doc,
            tol,
            &self.task_code,
            &self.task_type_code,
            &self.version,
            TaskCode::RevocationSealInfo,
            false,
        )?;
        check_sign_info(tol, &self.sign_info)
    }
}

impl SealMakingRequest {
    /// A request for `data` with a fresh `tokenInfo`, unsigned.
    ///
    /// # Errors
    /// [`Error::Random`](crate::Error::Random).
    pub fn new(data: SealMakingData, extend_data: ExtendData) -> Result<Self> {
        Ok(SealMakingRequest {
            task_code: TaskCode::SealMaking.as_str().into(),
            version: VERSION.into(),
            token_info: crate::random::token_info()?,
            task_type_code: TaskCode::SealMaking.request_type_code().into(),
            data,
            extend_data,
            sign_info: None,
        })
    }
}

impl SealDownloadRequest {
    /// A request for the seals `codes`, unsigned.
    ///
    /// # Errors
    /// [`Error::Random`](crate::Error::Random).
    pub fn new(codes: &[&str], extend_data: ExtendData) -> Result<Self> {
        Ok(SealDownloadRequest {
            task_code: TaskCode::DownloadSeal.as_str().into(),
            version: VERSION.into(),
            token_info: crate::random::token_info()?,
            task_type_code: TaskCode::DownloadSeal.request_type_code().into(),
            data: OneOrMany::Many(
                codes
                    .iter()
                    .map(|c| SealCode {
                        yzbm: (*c).to_owned(),
                    })
                    .collect(),
            ),
            extend_data,
            sign_info: None,
        })
    }
}

impl RevocationRequest {
    /// A request revoking `codes`, unsigned.
    ///
    /// # Errors
    /// [`Error::Random`](crate::Error::Random).
    pub fn new(codes: &[&str], extend_data: Option<ExtendData>) -> Result<Self> {
        Ok(RevocationRequest {
            task_code: TaskCode::RevocationSealInfo.as_str().into(),
            version: VERSION.into(),
            token_info: crate::random::token_info()?,
            task_type_code: TaskCode::RevocationSealInfo.request_type_code().into(),
            data: OneOrMany::Many(
                codes
                    .iter()
                    .map(|c| RevocationItem {
                        yzbm: (*c).to_owned(),
                        device_code: None,
                        enc_device_code: None,
                    })
                    .collect(),
            ),
            extend_data,
            sign_info: None,
        })
    }
}

/// The message types of this module, for code that handles any of them.
pub trait ProvincialMessage: Schema + Serialize + Clone {
    /// The service.
    const TASK: TaskCode;
    /// Request (true) or response.
    const REQUEST: bool;
    /// The signature, if present.
    fn sign_info(&self) -> Option<&SignInfo>;
    /// Remove the signature.
    fn clear_sign_info(&mut self);
}

macro_rules! provincial {
    ($t:ty, $task:expr, $req:expr) => {
        impl ProvincialMessage for $t {
            const TASK: TaskCode = $task;
            const REQUEST: bool = $req;
            fn sign_info(&self) -> Option<&SignInfo> {
                self.sign_info.as_ref()
            }
            fn clear_sign_info(&mut self) {
                self.sign_info = None;
            }
        }
    };
}

provincial!(SealMakingRequest, TaskCode::SealMaking, true);
provincial!(SealMakingResponse, TaskCode::SealMaking, false);
provincial!(SealDownloadRequest, TaskCode::DownloadSeal, true);
provincial!(SealDownloadResponse, TaskCode::DownloadSeal, false);
provincial!(RevocationRequest, TaskCode::RevocationSealInfo, true);
provincial!(RevocationResponse, TaskCode::RevocationSealInfo, false);
