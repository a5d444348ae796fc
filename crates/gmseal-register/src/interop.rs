//! The electronic-seal interoperability platform (电子印章互通互认服务平台, T/CCUA draft of
//! March 2024, spec 002, chapter 6): the request envelope and its `sign`, the messages of each
//! service, the seal states, digest signing and the document verification report.
//!
//! Every request carries `version`, `appId`, `time` (milliseconds, as a string), `nonce` (an
//! integer below 100000000) and `sign`. The draft does not say how `sign` is computed;
//! [`RequestSigner`] implements the choices of the registration notes §8:
//!
//! * canonical string: the top-level members except `sign`, `null` and empty strings dropped,
//!   sorted by name (byte order), `name=value` joined with `&`; strings as their contents, numbers
//!   as their JSON text, nested objects and arrays as compact JSON with sorted members; no URL
//!   encoding (the same form as [`provincial::SigningInput::SortedKeyValue`](crate::provincial::SigningInput::SortedKeyValue));
//! * key binding ([`RequestKey`]): HMAC-SM3 with the app secret (default; lower-case hex),
//!   SM3 of the string followed by `&key=<secret>` (lower-case hex), or SM2 with the default ID
//!   (base64 of `r‖s`).
//!
//! | service (spec 002) | request | response |
//! |---|---|---|
//! | §6.1.2 filing / renewal / change | [`SealFilingRequest`] (table 1) | [`SealFilingResponse`] (table 2) |
//! | §6.1.3 enable / disable / cancel | [`SealStateRequest`] (table 3) | [`SealStateResponse`] (table 4) |
//! | §6.1.4 get seals | [`GetSealsRequest`] (table 5) | [`GetSealsResponse`] (tables 6–9) |
//! | §6.2.2.1 willingness authentication | [`WillAuthRequest`] (table 10) | [`WillAuthResponse`] (tables 11–12) |
//! | §6.2.2.2 willingness result | [`WillAuthResultRequest`] (table 13) | [`WillAuthResultResponse`] (tables 14–15) |
//! | §6.2.2.3 cloud-certificate digest signing | [`CloudSignRequest`] (table 16) | [`CloudSignResponse`] (tables 17–18) |
//! | §6.3.2.1 UKey digest signing | [`UKeySignRequest`] (table 19) | [`UKeySignResponse`] (table 20) |
//! | §6.3.2.2 UKey information | [`UKeyInfoRequest`] (table 21) | [`UKeyInfoResponse`] (tables 22–23) |
//! | §6.4 document verification | [`DocumentVerifyForm`](verification::DocumentVerifyForm) (table 24, multipart) | [`DocumentVerifyResponse`](verification::DocumentVerifyResponse) (tables 25–28) |
//!
//! Spec 002 gives no JSON samples.

use hmac::{KeyInit, Mac};

use crate::error::{Error, Result};
use crate::json::{Document, Limits, Value};
use crate::report::{Outcome, Report};

mod digest_sign;
mod messages;
mod state;
pub mod verification;

pub use digest_sign::{HashType, SignatureType, check_doc_hash};
pub use messages::*;
pub use state::{BizType, SealState, SealStateMachine};

/// The requests of spec 002, which carry `sign`.
pub trait SignedRequest: serde::Serialize + Clone {
    /// The `sign` value, if present.
    fn sign(&self) -> Option<&str>;
    /// Remove `sign`.
    fn clear_sign(&mut self);
}

/// The envelope of a request, for building one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// `version`.
    pub version: String,
    /// `appId`.
    pub app_id: String,
    /// `time`: milliseconds since 1970 as decimal text.
    pub time: String,
    /// `nonce`: below 100000000.
    pub nonce: u32,
}

impl Envelope {
    /// An envelope stamped now with a fresh nonce.
    ///
    /// # Errors
    /// [`Error::Random`].
    pub fn now(version: &str, app_id: &str) -> Result<Self> {
        let ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0);
        Ok(Envelope {
            version: version.into(),
            app_id: app_id.into(),
            time: ms.to_string(),
            nonce: crate::random::nonce()?,
        })
    }
}

/// The key that binds `sign` to the sender.
#[derive(Clone, Copy)]
pub enum RequestKey<'a> {
    /// `hex(HMAC-SM3(appSecret, S))`, lower case. The default of the notes (domestic 2023+
    /// precedent: e签宝 HmacSM3, T/SHIA 013-2024).
    HmacSm3 {
        /// The app secret.
        app_secret: &'a [u8],
    },
    /// `hex(SM3(S ‖ "&key=" ‖ appSecret))`, lower case (the WeChat Pay v2 / 医保 pattern).
    Sm3WithKey {
        /// The app secret.
        app_secret: &'a [u8],
    },
    /// `base64(r‖s)` of SM2 with the default ID over S.
    Sm2 {
        /// The sender's key.
        signer: &'a dyn gmseal_sm2::Sm2Signer,
    },
}

impl core::fmt::Debug for RequestKey<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            RequestKey::HmacSm3 { .. } => "HmacSm3 { .. }",
            RequestKey::Sm3WithKey { .. } => "Sm3WithKey { .. }",
            RequestKey::Sm2 { .. } => "Sm2 { .. }",
        })
    }
}

/// What verifies `sign`.
#[derive(Debug, Clone, Copy)]
pub enum RequestVerifier<'a> {
    /// HMAC-SM3 with the app secret.
    HmacSm3 {
        /// The app secret.
        app_secret: &'a [u8],
    },
    /// SM3 with `&key=` and the app secret.
    Sm3WithKey {
        /// The app secret.
        app_secret: &'a [u8],
    },
    /// SM2 with the sender's public key.
    Sm2 {
        /// The sender's public key.
        public_key: &'a gmseal_sm2::PublicKey,
    },
}

/// Signs and verifies the `sign` member of interoperability-platform requests.
#[derive(Debug, Clone, Copy)]
pub struct RequestSigner<'a> {
    /// The key binding.
    pub key: RequestKey<'a>,
    /// Parsing limits.
    pub limits: Limits,
}

/// The canonical string S of a request given as JSON text (the `sign` member excluded).
///
/// # Errors
/// JSON errors.
pub fn canonical_string(text: &str, limits: &Limits) -> Result<String> {
    let doc = Document::parse(text, limits)?;
    Ok(crate::provincial::signing_sorted_key_value(
        &doc.to_value(),
        &["sign"],
    ))
}

/// The canonical string of form fields (a multipart request such as document verification):
/// fields sorted by name, empty values dropped, `name=value` joined with `&`. File parts are
/// not part of it (the convention of the APIs surveyed: byte parameters are not signed), so the
/// signature does not bind the file; the platform binds it by verifying what it receives.
pub fn canonical_form_string(fields: &[(&str, &str)]) -> String {
    let members = fields
        .iter()
        .map(|(k, v)| ((*k).to_owned(), Value::String((*v).to_owned())))
        .collect();
    crate::provincial::signing_sorted_key_value(&Value::Object(members), &["sign"])
}

impl<'a> RequestSigner<'a> {
    /// A signer with default limits.
    pub fn new(key: RequestKey<'a>) -> Self {
        RequestSigner {
            key,
            limits: Limits::default(),
        }
    }

    /// The `sign` value for canonical string `s`.
    ///
    /// # Errors
    /// [`Error::Sm2`] when the SM2 signer fails.
    pub fn sign_canonical(&self, s: &str) -> Result<String> {
        Ok(match self.key {
            RequestKey::HmacSm3 { app_secret } => hex(&hmac_sm3(app_secret, s.as_bytes())),
            RequestKey::Sm3WithKey { app_secret } => hex(&sm3_with_key(s, app_secret)),
            RequestKey::Sm2 { signer } => {
                use gmseal_sm2::Sm2SignerExt;
                let sig =
                    signer.sign_message_checked(&gmseal_sm2::DistId::default(), s.as_bytes())?;
                crate::b64::encode(&gmseal_sm2::encoding::encode(
                    &sig,
                    gmseal_sm2::SignatureFormat::Raw,
                ))
            }
        })
    }

    /// Sign a request given as JSON text (without `sign`): the text is kept byte for byte and
    /// `"sign":"..."` is added as the last member.
    ///
    /// # Errors
    /// [`Error::AlreadySigned`], JSON errors, signer errors.
    pub fn sign_json(&self, text: &str) -> Result<String> {
        let doc = Document::parse(text, &self.limits)?;
        if doc.member("sign").is_some() {
            return Err(Error::AlreadySigned { field: "sign" });
        }
        let s = crate::provincial::signing_sorted_key_value(&doc.to_value(), &["sign"]);
        let sign = self.sign_canonical(&s)?;
        let mut v = String::new();
        crate::json::write_string(&sign, &mut v);
        doc.with_member_appended("sign", &v)
    }

    /// Serialise a typed request (its `sign` dropped; members in the order of the draft's
    /// table) and sign the text.
    ///
    /// # Errors
    /// As [`sign_json`](Self::sign_json).
    pub fn sign_message<T: SignedRequest>(&self, message: &T) -> Result<String> {
        let mut m = message.clone();
        m.clear_sign();
        self.sign_json(&crate::json::to_string(&m)?)
    }
}

impl RequestVerifier<'_> {
    /// Verify `sign` of a request given as JSON text.
    ///
    /// # Errors
    /// JSON errors. A missing or wrong `sign` is a failed check.
    pub fn verify_json(&self, text: &str, limits: &Limits) -> Result<Report> {
        let doc = Document::parse(text, limits)?;
        let s = crate::provincial::signing_sorted_key_value(&doc.to_value(), &["sign"]);
        let sign = match doc.get("sign") {
            Some(Value::String(s)) => s.clone(),
            _ => {
                let mut r = Report::default();
                r.push("signature", Outcome::Fail, "no string member `sign`");
                return Ok(r);
            }
        };
        self.verify_canonical(&s, &sign)
    }

    /// Verify `sign` over canonical string `s`.
    ///
    /// # Errors
    /// [`Error::Base64`] naming `sign` when an SM2 `sign` is not base64.
    pub fn verify_canonical(&self, s: &str, sign: &str) -> Result<Report> {
        let mut r = Report::default();
        let ok = match self {
            RequestVerifier::HmacSm3 { app_secret } => {
                let mut mac = <hmac::Hmac<sm3::Sm3> as KeyInit>::new_from_slice(app_secret)
                    .map_err(|_| Error::invalid("appSecret", "an HMAC key", "?"))?;
                mac.update(s.as_bytes());
                match unhex(sign) {
                    Some(tag) => mac.verify_slice(&tag).is_ok(),
                    None => false,
                }
            }
            RequestVerifier::Sm3WithKey { app_secret } => constant_time_eq(
                sign.as_bytes(),
                hex(&sm3_with_key(s, app_secret)).as_bytes(),
            ),
            RequestVerifier::Sm2 { public_key } => {
                let bytes = crate::b64::decode_strict("sign", sign)?;
                let vk =
                    gmseal_sm2::Sm2VerifyingKey::new(**public_key, gmseal_sm2::DistId::default());
                vk.verify_encoded(
                    s.as_bytes(),
                    &bytes,
                    gmseal_sm2::SignatureFormat::Raw,
                    gmseal_sm2::Strictness::Strict,
                )
                .is_ok()
            }
        };
        if ok {
            r.push(
                "signature",
                Outcome::Pass,
                "sign matches the canonical string",
            );
        } else {
            r.push(
                "signature",
                Outcome::Fail,
                "sign does not match the canonical string and key",
            );
        }
        Ok(r)
    }
}

/// HMAC-SM3 (RFC 2104 with SM3, GB/T 15852.2).
pub fn hmac_sm3(key: &[u8], message: &[u8]) -> [u8; 32] {
    match <hmac::Hmac<sm3::Sm3> as KeyInit>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(message);
            mac.finalize().into_bytes().into()
        }
        // HMAC takes keys of any length; this arm is never taken.
        Err(_) => [0; 32],
    }
}

fn sm3_with_key(s: &str, secret: &[u8]) -> [u8; 32] {
    let mut data = s.as_bytes().to_vec();
    data.extend_from_slice(b"&key=");
    data.extend_from_slice(secret);
    gmseal_sm2::digest::sm3(&data)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
        .collect()
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
