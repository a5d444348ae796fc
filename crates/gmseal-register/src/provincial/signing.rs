//! `signInfo`: what is signed, signing, verifying.

use gmseal_sm2::encoding::SignatureFormat;
use gmseal_sm2::{DistId, PublicKey, Sm2Signer, Sm2SignerExt, Sm2VerifyingKey};

use super::SIGN_ALGORITHM;
use crate::deviation::{DeviationKind, Strictness, Tolerance};
use crate::error::{Error, Result};
use crate::json::{self, Document, Limits, Value};
use crate::report::{Outcome, Report};

/// The bytes `signInfo.signValue` covers (spec 001 does not say; the candidates of the
/// registration notes §4.1). All are computed from the JSON text as sent, never from a
/// re-serialisation of typed values.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum SigningInput {
    /// (a) The `data` member exactly as transmitted: its JSON text for an object or array, its
    /// contents for a string (the tables type `data` as String).
    DataExact,
    /// (b) RFC 8785 (JCS) canonical JSON of the `data` member (of the JSON inside it when it is
    /// a string).
    DataJcs,
    /// (c) The default: every top-level member except `signInfo`, `null` and empty strings
    /// dropped, sorted by name (UTF-8 byte order), written `name=value` and joined with `&`.
    /// Strings as their contents, numbers as their JSON text, `true`/`false`, objects and arrays
    /// as compact JSON with members sorted the same way ([`json::write_compact_sorted`]). The
    /// convention of the Chinese SM2 JSON APIs surveyed in the notes (国家医保 and others).
    #[default]
    SortedKeyValue,
    /// (d) The values of the listed members, in the listed order, joined with `separator`
    /// (the national status-sync rule: `|`). Paths like `data.sealName`; a path through a
    /// string member reads the JSON inside it. Missing members are an error; `null` is empty.
    FieldValues {
        /// Member paths.
        fields: Vec<String>,
        /// The separator.
        separator: String,
    },
    /// (e) `tokenInfo` followed by another input.
    TokenPrefixed(Box<SigningInput>),
}

impl SigningInput {
    /// The signing input of a message.
    ///
    /// # Errors
    /// [`Error::JsonField`] when a member the input needs is missing or of the wrong kind.
    pub fn compute(&self, doc: &Document, limits: &Limits) -> Result<Vec<u8>> {
        Ok(match self {
            SigningInput::DataExact => match doc.get("data") {
                Some(Value::String(s)) => s.clone().into_bytes(),
                Some(_) => doc.raw("data").unwrap_or_default().as_bytes().to_vec(),
                None => return Err(missing("data")),
            },
            SigningInput::DataJcs => {
                let v = match doc.get("data") {
                    Some(Value::String(s)) => json::parse_value_text(s, "data", limits)?,
                    Some(v) => v.clone(),
                    None => return Err(missing("data")),
                };
                let mut out = String::new();
                json::write_jcs(&v, "data", &mut out)?;
                out.into_bytes()
            }
            SigningInput::SortedKeyValue => {
                sorted_key_value(&doc.to_value(), &["signInfo"]).into_bytes()
            }
            SigningInput::FieldValues { fields, separator } => {
                let root = doc.to_value();
                let mut parts = Vec::with_capacity(fields.len());
                for f in fields {
                    parts.push(scalar_text(&lookup(&root, f, limits)?));
                }
                parts.join(separator).into_bytes()
            }
            SigningInput::TokenPrefixed(inner) => {
                let token = match doc.get("tokenInfo") {
                    Some(Value::String(s)) => s.clone(),
                    _ => return Err(missing("tokenInfo")),
                };
                let mut out = token.into_bytes();
                out.extend(inner.compute(doc, limits)?);
                out
            }
        })
    }
}

fn missing(field: &str) -> Error {
    Error::JsonField {
        field: field.into(),
        message: "required by the signing input but absent".into(),
    }
}

/// `name=value&...` over the top-level members except `exclude` (sorted, empty and null
/// dropped); see [`SigningInput::SortedKeyValue`].
pub(crate) fn sorted_key_value(root: &Value, exclude: &[&str]) -> String {
    let Value::Object(members) = root else {
        return String::new();
    };
    let mut items: Vec<(&String, &Value)> = members
        .iter()
        .filter(|(k, v)| {
            !exclude.contains(&k.as_str())
                && !matches!(v, Value::Null)
                && !matches!(v, Value::String(s) if s.is_empty())
        })
        .map(|(k, v)| (k, v))
        .collect();
    items.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut out = String::new();
    for (i, (k, v)) in items.into_iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(&scalar_text(v));
    }
    out
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.clone(),
        Value::String(s) => s.clone(),
        other => {
            let mut s = String::new();
            json::write_compact_sorted(other, &mut s);
            s
        }
    }
}

fn lookup(root: &Value, path: &str, limits: &Limits) -> Result<Value> {
    let mut cur = root.clone();
    for seg in path.split('.') {
        if let Value::String(s) = &cur {
            cur = json::parse_value_text(s, path, limits)?;
        }
        cur = match &cur {
            Value::Object(_) => cur.get(seg).cloned().ok_or_else(|| missing(path))?,
            _ => return Err(missing(path)),
        };
    }
    Ok(cur)
}

/// How to sign.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SignOptions {
    /// What is signed. Default [`SigningInput::SortedKeyValue`].
    pub signing_input: SigningInput,
    /// The SM2 ID. Default `1234567812345678`.
    pub dist_id: DistId,
    /// Limits for parsing the text.
    pub limits: Limits,
}

/// Sign a message given as JSON text (without `signInfo`): the text is kept byte for byte and
/// `"signInfo":{"signAlgorithm":"1.2.156.10197.1.501","signValue":"<base64 r‖s>"}` is added as
/// the last member. The signer's output is verified before use.
///
/// # Errors
/// [`Error::AlreadySigned`] when `signInfo` is present; JSON errors; [`Error::Sm2`] when the
/// signer fails.
pub fn sign_json(text: &str, signer: &dyn Sm2Signer, options: &SignOptions) -> Result<String> {
    let doc = Document::parse(text, &options.limits)?;
    if doc.member("signInfo").is_some() {
        return Err(Error::AlreadySigned { field: "signInfo" });
    }
    let input = options.signing_input.compute(&doc, &options.limits)?;
    let sig = signer.sign_message_checked(&options.dist_id, &input)?;
    let value = gmseal_sm2::encoding::encode(&sig, SignatureFormat::Raw);
    let mut sign_info = String::from("{\"signAlgorithm\":\"");
    sign_info.push_str(SIGN_ALGORITHM);
    sign_info.push_str("\",\"signValue\":\"");
    sign_info.push_str(&crate::b64::encode(&value));
    sign_info.push_str("\"}");
    doc.with_member_appended("signInfo", &sign_info)
}

/// Serialise a typed message (its `signInfo`, if any, is dropped; members in the order of the
/// specification's table) and sign the text.
///
/// # Errors
/// As [`sign_json`].
pub fn to_signed_json<T: super::ProvincialMessage>(
    message: &T,
    signer: &dyn Sm2Signer,
    options: &SignOptions,
) -> Result<String> {
    let mut m = message.clone();
    m.clear_sign_info();
    sign_json(&json::to_string(&m)?, signer, options)
}

/// How to verify.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VerifyOptions {
    /// What is signed. Default [`SigningInput::SortedKeyValue`].
    pub signing_input: SigningInput,
    /// The SM2 ID. Default `1234567812345678`.
    pub dist_id: DistId,
    /// Strict: `signValue` is one line of base64 of exactly 64 bytes. Lenient: line breaks
    /// removed, DER or a 65-byte value with a leading zero accepted; all reported.
    pub strictness: Strictness,
    /// Limits for parsing the text.
    pub limits: Limits,
}

/// Verify `signInfo` of a message with `public_key` (from the registration package's
/// `systemCert` for messages from the platform, from the registered certificate of the sender
/// otherwise). When `extendData.initiatorCert` is present, the report says whether its key is
/// the verifying key.
///
/// # Errors
/// JSON errors; [`Error::Base64`] naming `signInfo.signValue` for base64 that does not decode.
/// A signature that does not verify, an absent `signInfo` or a wrong algorithm are failed
/// checks.
pub fn verify_json(text: &str, public_key: &PublicKey, options: &VerifyOptions) -> Result<Report> {
    let doc = Document::parse(text, &options.limits)?;
    let mut report = Report::default();
    let mut tol = Tolerance::new(options.strictness);
    let Some(Value::Object(si)) = doc.get("signInfo") else {
        report.push("signature", Outcome::Fail, "no signInfo object");
        return Ok(report);
    };
    let get = |name: &str| {
        si.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
            .and_then(Value::as_str)
    };
    match get("signAlgorithm") {
        Some(SIGN_ALGORITHM) => report.push("signAlgorithm", Outcome::Pass, SIGN_ALGORITHM),
        Some(other) => report.push(
            "signAlgorithm",
            Outcome::Fail,
            format!("{other:?} is not {SIGN_ALGORITHM}"),
        ),
        None => report.push("signAlgorithm", Outcome::Fail, "absent or not a string"),
    }
    let Some(sv) = get("signValue") else {
        report.push(
            "signature",
            Outcome::Fail,
            "signValue absent or not a string",
        );
        return Ok(report);
    };
    let bytes = crate::b64::decode("signInfo.signValue", sv, &mut tol)?;
    let decoded =
        match gmseal_sm2::encoding::decode(&bytes, SignatureFormat::Raw, options.strictness) {
            Ok(d) => d,
            Err(e) => {
                report.push(
                    "signature",
                    Outcome::Fail,
                    format!("signValue is not a 64-byte r||s signature: {e}"),
                );
                report.deviations = tol.found;
                return Ok(report);
            }
        };
    for d in decoded.deviations {
        tol.allow(
            "signInfo.signValue",
            DeviationKind::SignatureEncoding(d),
            "signValue is the 64-byte r||s",
        )?;
    }
    let input = options.signing_input.compute(&doc, &options.limits)?;
    let vk = Sm2VerifyingKey::new(*public_key, options.dist_id.clone());
    match vk.verify(&input, &decoded.signature) {
        Ok(()) => report.push(
            "signature",
            Outcome::Pass,
            format!("verifies over {} bytes of signing input", input.len()),
        ),
        Err(_) => report.push(
            "signature",
            Outcome::Fail,
            "does not verify over the signing input with the given key",
        ),
    }
    if let Some(Value::String(cert)) = doc.get("extendData").and_then(|e| e.get("initiatorCert")) {
        match crate::certificate::SystemCertificate::from_base64("extendData.initiatorCert", cert) {
            Ok(c) if c.public_key() == public_key => report.push(
                "initiatorCert",
                Outcome::Pass,
                "initiatorCert carries the verifying key",
            ),
            Ok(_) => report.push(
                "initiatorCert",
                Outcome::Warn,
                "initiatorCert carries another key than the verifying key",
            ),
            Err(e) => report.push("initiatorCert", Outcome::Warn, e.to_string()),
        }
    }
    report.deviations = tol.found;
    Ok(report)
}
