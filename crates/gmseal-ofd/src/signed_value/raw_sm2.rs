//! `Type="Sign"` with a bare SM2 signature: `SignedValue.dat` is the DER
//! `SEQUENCE { r, s }` of an SM2 signature over the bytes of Signature.xml, with SM3 and the
//! default ID (GM/T 0009 §10), and nothing else — the form ofdrw's `DigitalSignContainer`
//! writes (`DigitalSign.ofd`).
//!
//! The value carries no certificate, so the verifier must be given the signer's public key.
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use gmseal_ofd::{Package, SignOptions, Signer, Verifier, Verdict, Rect};
//! use gmseal_ofd::signed_value::raw_sm2::{RawSm2Signer, RawSm2Verifier};
//! use gmseal_sm2::SoftwareSigner;
//!
//! let key = SoftwareSigner::generate();
//! # let unsigned = std::fs::read(gmseal_testkit::corpus("ofd/unsigned-helloworld.ofd"))?;
//! let signed = Signer::new(&RawSm2Signer::new(&key)).sign(&unsigned, &SignOptions::default())?;
//!
//! let report = Verifier::new()
//!     .sign_verifier(RawSm2Verifier::new().with_key(key.public_key()))
//!     .verify(&Package::from_bytes(signed.package)?)?;
//! assert_eq!(report.verdict, Verdict::Valid);
//! # Ok(()) }
//! ```

use gmseal_sm2::encoding::{SignatureFormat, decode};
use gmseal_sm2::{DistId, PublicKey, Sm2Signer, Sm2SignerExt, Sm2VerifyingKey, Strictness};

use super::{SignInput, SignedValueSigner, SignedValueVerifier, VerifyInput};
use crate::error::SignedValueError;
use crate::report::{CheckKind, Deviation, Outcome, SignedValueReport};
use crate::xml::signatures::SignatureType;

/// The OID of SM2 with SM3 (`1.2.156.10197.1.501`), written as `SignatureMethod`.
pub const SM2_WITH_SM3: &str = "1.2.156.10197.1.501";

/// Signs Signature.xml with a bare DER SM2 signature.
#[derive(Debug)]
pub struct RawSm2Signer<'a, S: Sm2Signer + ?Sized> {
    signer: &'a S,
    id: DistId,
}

impl<'a, S: Sm2Signer + ?Sized> RawSm2Signer<'a, S> {
    /// A signer using `signer` and the default ID.
    pub fn new(signer: &'a S) -> Self {
        RawSm2Signer {
            signer,
            id: DistId::default(),
        }
    }

    /// Use another distinguishing ID (interoperability only: verifiers assume the default).
    #[must_use]
    pub fn with_id(mut self, id: DistId) -> Self {
        self.id = id;
        self
    }
}

impl<S: Sm2Signer + ?Sized> SignedValueSigner for RawSm2Signer<'_, S> {
    fn kind(&self) -> SignatureType {
        SignatureType::Sign
    }

    fn signature_method(&self) -> Option<String> {
        Some(SM2_WITH_SM3.to_owned())
    }

    fn sign(&self, input: &SignInput<'_>) -> Result<Vec<u8>, SignedValueError> {
        Ok(self
            .signer
            .sign_message_encoded(&self.id, input.signature_xml, SignatureFormat::Der)?)
    }
}

/// Verifies a bare SM2 signature over Signature.xml against public keys the caller trusts.
#[derive(Debug, Clone, Default)]
pub struct RawSm2Verifier {
    keys: Vec<Sm2VerifyingKey>,
}

impl RawSm2Verifier {
    /// A verifier that knows no key yet (every signature is then indeterminate).
    pub fn new() -> Self {
        RawSm2Verifier::default()
    }

    /// Accept signatures by `key` (default ID).
    #[must_use]
    pub fn with_key(mut self, key: PublicKey) -> Self {
        self.keys.push(Sm2VerifyingKey::new(key, DistId::default()));
        self
    }

    /// Accept signatures by `key` under another distinguishing ID.
    #[must_use]
    pub fn with_key_and_id(mut self, key: PublicKey, id: DistId) -> Self {
        self.keys.push(Sm2VerifyingKey::new(key, id));
        self
    }
}

fn key_hex(k: &Sm2VerifyingKey) -> String {
    k.public_key()
        .to_sec1_bytes()
        .iter()
        .take(9)
        .map(|b| format!("{b:02X}"))
        .collect::<String>()
}

impl SignedValueVerifier for RawSm2Verifier {
    fn verify(&self, input: &VerifyInput<'_>) -> Result<SignedValueReport, SignedValueError> {
        // An encoding strict mode refuses but lenient decoding reads (raw r||s, BER) is a
        // deviation: reported, and the signature still checked.
        let strictness = input.strictness;
        let (decoded, refused) = match decode(input.signed_value, SignatureFormat::Der, strictness)
        {
            Ok(d) => (d, None),
            Err(strict) => {
                match decode(
                    input.signed_value,
                    SignatureFormat::Der,
                    Strictness::Lenient,
                ) {
                    Ok(d) if strictness == Strictness::Strict => (d, Some(strict)),
                    _ => {
                        return Err(SignedValueError::Unsupported {
                            what: format!("not a bare SM2 signature ({strict})"),
                        });
                    }
                }
            }
        };
        let mut report = SignedValueReport::new("bare SM2 signature over Signature.xml");
        match refused {
            Some(e) => report.push(
                CheckKind::Other("encoding".into()),
                Outcome::Indeterminate,
                format!("not DER ({e}); lenient mode accepts it"),
            ),
            None => {
                report.tolerated = decoded
                    .deviations
                    .iter()
                    .map(|d| Deviation::SignatureEncoding(*d))
                    .collect();
            }
        }
        if input.kind != SignatureType::Sign {
            report.push(
                CheckKind::Algorithm,
                Outcome::Indeterminate,
                "a bare signature under Type=\"Seal\": there is no seal",
            );
        }
        match input.signature_method {
            None | Some(SM2_WITH_SM3) => {}
            Some(m) => report.push(
                CheckKind::Algorithm,
                Outcome::Indeterminate,
                format!("SignatureMethod {m:?} does not name SM2 with SM3"),
            ),
        }
        if self.keys.is_empty() {
            report.push(
                CheckKind::SignatureValue,
                Outcome::Indeterminate,
                "the value carries no certificate and no public key was given",
            );
            return Ok(report);
        }
        let hit = self
            .keys
            .iter()
            .find(|k| k.verify(input.signature_xml, &decoded.signature).is_ok());
        match hit {
            Some(k) => {
                report.signer = Some(format!("SM2 key {}…", key_hex(k)));
                report.push(
                    CheckKind::SignatureValue,
                    Outcome::Pass,
                    format!("SM2 over Signature.xml verifies under key {}…", key_hex(k)),
                );
            }
            None => report.push(
                CheckKind::SignatureValue,
                Outcome::Fail,
                format!(
                    "SM2 over Signature.xml does not verify under the {} given key(s)",
                    self.keys.len()
                ),
            ),
        }
        Ok(report)
    }
}
