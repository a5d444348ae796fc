//! Loading SM2 keys and certificates in the forms real files use.
//!
//! | input | accepted forms |
//! |---|---|
//! | private key | PKCS#8 `PRIVATE KEY`, encrypted PKCS#8 `ENCRYPTED PRIVATE KEY` (PBES2 with AES via `pkcs8`, with SM4-CBC here), SEC1 `EC PRIVATE KEY` and OpenSSL's `SM2 PRIVATE KEY`; PEM or DER |
//! | key algorithm | `id-ecPublicKey` + `sm2p256v1`, the SM2 OID itself as the algorithm (OpenSSL 3 `EVP_PKEY_SM2`, Tongsuo), explicit sm2p256v1 parameters |
//! | public key | `PUBLIC KEY` (SubjectPublicKeyInfo), `CERTIFICATE`, raw `04‖x‖y` or `x‖y` |
//!
//! Every tolerated variant is named in the returned [`KeyNote`]s.
//!
//! ```
//! use gmseal_sm2::key::{load_private_key, load_public_key, private_key_to_encrypted_pem, public_key_to_pem};
//! # let secret = gmseal_sm2::SoftwareSigner::generate().secret_key().clone();
//! let pem = private_key_to_encrypted_pem(&secret, b"pin").unwrap();
//! let key = load_private_key(pem.as_bytes(), Some(b"pin")).unwrap();
//! assert_eq!(key.secret, secret);
//! assert!(load_private_key(pem.as_bytes(), None).is_err()); // password required
//!
//! let public_pem = public_key_to_pem(&key.public_key());
//! assert_eq!(load_public_key(public_pem.as_bytes()).unwrap().key, key.public_key());
//! ```

mod ec;
mod pbes2_sm4;
mod pem;

use core::fmt;

use der::asn1::AnyRef;
use der::{Decode, Encode, Tag, Tagged};
use pkcs8::EncodePrivateKey;
use sm2::{PublicKey, SecretKey};
use spki::{AlgorithmIdentifierRef, SubjectPublicKeyInfoRef};
use zeroize::Zeroizing;

use crate::error::KeyError;
use crate::oid;

use ec::CurveForm;

/// The container a private key came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PrivateKeyForm {
    /// PKCS#8 `PrivateKeyInfo`.
    Pkcs8,
    /// PKCS#8 `EncryptedPrivateKeyInfo`.
    EncryptedPkcs8,
    /// SEC1 `ECPrivateKey`.
    Sec1,
}

/// A variant of the standard form that was accepted while loading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyNote {
    /// The key algorithm is the SM2 OID `1.2.156.10197.1.301` instead of `id-ecPublicKey`.
    Sm2AlgorithmOid,
    /// The curve is given by explicit parameters (equal to sm2p256v1's) instead of its OID.
    ExplicitCurveParameters,
    /// No curve parameters were present; sm2p256v1 was assumed.
    CurveAssumed,
    /// The private key octets were not exactly 32 bytes (leading zeros dropped or missing).
    NonCanonicalScalarLength,
    /// The PEM label was `SM2 PRIVATE KEY` (OpenSSL 3) rather than `EC PRIVATE KEY`.
    Sm2PemLabel,
    /// The key was encrypted with SM4-CBC (decrypted by gmseal, not by `pkcs8`).
    Sm4Encryption,
    /// The public key point was in compressed form.
    CompressedPoint,
}

impl fmt::Display for KeyNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KeyNote::Sm2AlgorithmOid => "key algorithm is the SM2 OID instead of id-ecPublicKey",
            KeyNote::ExplicitCurveParameters => "explicit sm2p256v1 curve parameters",
            KeyNote::CurveAssumed => "no curve parameters; sm2p256v1 assumed",
            KeyNote::NonCanonicalScalarLength => "private key is not exactly 32 bytes",
            KeyNote::Sm2PemLabel => "PEM label \"SM2 PRIVATE KEY\"",
            KeyNote::Sm4Encryption => "encrypted with PBES2/SM4-CBC",
            KeyNote::CompressedPoint => "compressed public key point",
        })
    }
}

/// A private key and how it was found.
#[derive(Debug, Clone)]
pub struct LoadedPrivateKey {
    /// The key.
    pub secret: SecretKey,
    /// Its container.
    pub form: PrivateKeyForm,
    /// Variants tolerated while loading.
    pub notes: Vec<KeyNote>,
}

impl LoadedPrivateKey {
    /// The matching public key.
    pub fn public_key(&self) -> PublicKey {
        self.secret.public_key()
    }
}

/// A public key and how it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedPublicKey {
    /// The key.
    pub key: PublicKey,
    /// Variants tolerated while loading.
    pub notes: Vec<KeyNote>,
}

/// Load a private key from PEM or DER. `password` is used for encrypted PKCS#8.
///
/// # Errors
/// A [`KeyError`] naming what is wrong: not a key, not SM2, wrong curve, password required or
/// wrong, malformed DER or PEM, public key not matching.
pub fn load_private_key(
    input: &[u8],
    password: Option<&[u8]>,
) -> Result<LoadedPrivateKey, KeyError> {
    if pem::is_pem(input) {
        let blocks = pem::blocks(input)?;
        let mut last_err = None;
        for block in &blocks {
            let res = match block.label.as_str() {
                "PRIVATE KEY" => from_pkcs8(&block.der, Vec::new()),
                "ENCRYPTED PRIVATE KEY" => from_encrypted_pkcs8(&block.der, password),
                "EC PRIVATE KEY" => from_sec1(&block.der, Vec::new()),
                "SM2 PRIVATE KEY" => from_sec1(&block.der, vec![KeyNote::Sm2PemLabel]),
                // parameter blocks in front of the key are skipped
                "EC PARAMETERS" | "SM2 PARAMETERS" => continue,
                "PUBLIC KEY" | "CERTIFICATE" => Err(KeyError::WrongKind {
                    expected: "a private key",
                    found: if block.label == "CERTIFICATE" {
                        "a certificate"
                    } else {
                        "a public key"
                    },
                }),
                other => Err(KeyError::UnexpectedPemLabel(other.to_string())),
            };
            match res {
                Ok(k) => return Ok(k),
                Err(e) => last_err = Some(e),
            }
        }
        return Err(last_err.unwrap_or(KeyError::UnrecognisedInput));
    }
    from_der_any(input, password)
}

fn from_der_any(der: &[u8], password: Option<&[u8]>) -> Result<LoadedPrivateKey, KeyError> {
    // Tell the structures apart by their first elements: PKCS#8 starts with INTEGER 0 or 1 then
    // a SEQUENCE; SEC1 with INTEGER 1 then an OCTET STRING; encrypted PKCS#8 with a SEQUENCE.
    let outer = AnyRef::from_der(der).map_err(|_| KeyError::UnrecognisedInput)?;
    if outer.tag() != Tag::Sequence {
        return Err(KeyError::UnrecognisedInput);
    }
    let mut reader = der::SliceReader::new(outer.value()).map_err(KeyError::Der)?;
    let first = AnyRef::decode(&mut reader).map_err(|_| KeyError::UnrecognisedInput)?;
    match first.tag() {
        Tag::Sequence => from_encrypted_pkcs8(der, password),
        Tag::Integer => {
            let second = AnyRef::decode(&mut reader).map_err(|_| KeyError::UnrecognisedInput)?;
            match second.tag() {
                Tag::Sequence => from_pkcs8(der, Vec::new()),
                Tag::OctetString => from_sec1(der, Vec::new()),
                _ => Err(KeyError::UnrecognisedInput),
            }
        }
        _ => Err(KeyError::UnrecognisedInput),
    }
}

fn from_pkcs8(der: &[u8], mut notes: Vec<KeyNote>) -> Result<LoadedPrivateKey, KeyError> {
    // The algorithm parameters stay raw (`AnyRef`): they may be explicit curve parameters.
    let info = pkcs8::PrivateKeyInfoRef::from_der(der)?;
    algorithm_curve(&info.algorithm, &mut notes)?;
    let inner = ec::decode_sec1(info.private_key.as_bytes())?;
    match ec::check_curve(inner.parameters)? {
        CurveForm::Explicit => push(&mut notes, KeyNote::ExplicitCurveParameters),
        CurveForm::Absent | CurveForm::Named => {}
    }
    let public = inner
        .public_key
        .or(info.public_key)
        .and_then(|b| b.as_bytes());
    let secret = secret_from(inner.private_key.as_bytes(), public, &mut notes)?;
    Ok(LoadedPrivateKey {
        secret,
        form: PrivateKeyForm::Pkcs8,
        notes,
    })
}

fn from_sec1(der: &[u8], mut notes: Vec<KeyNote>) -> Result<LoadedPrivateKey, KeyError> {
    let key = ec::decode_sec1(der)?;
    match ec::check_curve(key.parameters)? {
        CurveForm::Explicit => push(&mut notes, KeyNote::ExplicitCurveParameters),
        CurveForm::Absent => push(&mut notes, KeyNote::CurveAssumed),
        CurveForm::Named => {}
    }
    let public = key.public_key.and_then(|b| b.as_bytes());
    let secret = secret_from(key.private_key.as_bytes(), public, &mut notes)?;
    Ok(LoadedPrivateKey {
        secret,
        form: PrivateKeyForm::Sec1,
        notes,
    })
}

fn from_encrypted_pkcs8(der: &[u8], password: Option<&[u8]>) -> Result<LoadedPrivateKey, KeyError> {
    let info = pbes2_sm4::EncryptedPrivateKeyInfoLoose::from_der(der)?;
    let password = password.ok_or(KeyError::PasswordRequired)?;
    let (plain, mut notes) = if pbes2_sm4::is_sm4_scheme(&info.algorithm) {
        (
            pbes2_sm4::decrypt(&info.algorithm, info.data.as_bytes(), password)?,
            vec![KeyNote::Sm4Encryption],
        )
    } else {
        let typed = pkcs8::EncryptedPrivateKeyInfoRef::from_der(der).map_err(|_| {
            KeyError::UnsupportedEncryption(
                pbes2_sm4::pbes2_cipher(&info.algorithm).unwrap_or(info.algorithm.oid),
            )
        })?;
        if let pkcs8::pkcs5::EncryptionScheme::Pbes2(p) = &typed.encryption_algorithm {
            if let pkcs8::pkcs5::pbes2::Kdf::Pbkdf2(k) = &p.kdf {
                if k.iteration_count > pbes2_sm4::MAX_ITERATIONS {
                    return Err(KeyError::DecryptionFailed);
                }
            }
        }
        let doc = typed.decrypt(password).map_err(|e| match e {
            pkcs8::Error::EncryptedPrivateKey(pkcs8::pkcs5::Error::UnsupportedAlgorithm {
                oid,
            }) => KeyError::UnsupportedEncryption(oid),
            _ => KeyError::DecryptionFailed,
        })?;
        (Zeroizing::new(doc.as_bytes().to_vec()), Vec::new())
    };
    // A wrong password that happens to unpad correctly yields garbage, not a key.
    let mut key = from_pkcs8(&plain, Vec::new()).map_err(|_| KeyError::DecryptionFailed)?;
    notes.append(&mut key.notes);
    key.notes = notes;
    key.form = PrivateKeyForm::EncryptedPkcs8;
    Ok(key)
}

/// Check an AlgorithmIdentifier names an SM2 key; note the variants.
fn algorithm_curve(
    alg: &AlgorithmIdentifierRef<'_>,
    notes: &mut Vec<KeyNote>,
) -> Result<(), KeyError> {
    if alg.oid == oid::SM2 {
        push(notes, KeyNote::Sm2AlgorithmOid);
    } else if alg.oid != oid::ID_EC_PUBLIC_KEY {
        return Err(KeyError::UnsupportedAlgorithm(alg.oid));
    }
    match ec::check_curve(alg.parameters)? {
        CurveForm::Explicit => push(notes, KeyNote::ExplicitCurveParameters),
        CurveForm::Absent if alg.oid == oid::ID_EC_PUBLIC_KEY => {
            return Err(KeyError::MissingCurve);
        }
        CurveForm::Absent | CurveForm::Named => {}
    }
    Ok(())
}

fn push(notes: &mut Vec<KeyNote>, n: KeyNote) {
    if !notes.contains(&n) {
        notes.push(n);
    }
}

fn secret_from(
    scalar: &[u8],
    public: Option<&[u8]>,
    notes: &mut Vec<KeyNote>,
) -> Result<SecretKey, KeyError> {
    let start = scalar.iter().position(|b| *b != 0).unwrap_or(scalar.len());
    let magnitude = &scalar[start..];
    if magnitude.is_empty() || magnitude.len() > 32 {
        return Err(KeyError::InvalidScalar);
    }
    if scalar.len() != 32 {
        push(notes, KeyNote::NonCanonicalScalarLength);
    }
    let mut bytes = Zeroizing::new([0u8; 32]);
    bytes[32 - magnitude.len()..].copy_from_slice(magnitude);
    let secret = SecretKey::from_slice(&bytes[..]).map_err(|_| KeyError::InvalidScalar)?;
    if let Some(public) = public {
        let embedded = PublicKey::from_sec1_bytes(public).map_err(|_| KeyError::InvalidPoint)?;
        if embedded != secret.public_key() {
            return Err(KeyError::PublicKeyMismatch);
        }
    }
    Ok(secret)
}

/// Load a public key from PEM or DER: SubjectPublicKeyInfo, an X.509 certificate, or a raw point
/// (`04‖x‖y`, compressed `02/03‖x`, or bare `x‖y`).
///
/// # Errors
/// A [`KeyError`] naming what is wrong.
pub fn load_public_key(input: &[u8]) -> Result<LoadedPublicKey, KeyError> {
    if pem::is_pem(input) {
        let blocks = pem::blocks(input)?;
        let mut last_err = None;
        for block in &blocks {
            let res = match block.label.as_str() {
                "PUBLIC KEY" => public_key_from_spki_der(&block.der),
                "CERTIFICATE" | "X509 CERTIFICATE" => public_key_from_certificate_der(&block.der),
                "PRIVATE KEY" | "ENCRYPTED PRIVATE KEY" | "EC PRIVATE KEY" | "SM2 PRIVATE KEY" => {
                    Err(KeyError::WrongKind {
                        expected: "a public key or certificate",
                        found: "a private key",
                    })
                }
                "EC PARAMETERS" | "SM2 PARAMETERS" => continue,
                other => Err(KeyError::UnexpectedPemLabel(other.to_string())),
            };
            match res {
                Ok(k) => return Ok(k),
                Err(e) => last_err = Some(e),
            }
        }
        return Err(last_err.unwrap_or(KeyError::UnrecognisedInput));
    }
    match input.len() {
        64 => {
            let mut point = Vec::with_capacity(65);
            point.push(4);
            point.extend_from_slice(input);
            return public_key_from_point(&point);
        }
        33 | 65 if matches!(input.first(), Some(2..=4)) => return public_key_from_point(input),
        _ => {}
    }
    match public_key_from_spki_der(input) {
        Ok(k) => Ok(k),
        Err(spki_err) => match public_key_from_certificate_der(input) {
            Ok(k) => Ok(k),
            Err(_) => Err(match spki_err {
                KeyError::Der(_) => KeyError::UnrecognisedInput,
                e => e,
            }),
        },
    }
}

/// A public key from a SEC1 point.
///
/// # Errors
/// [`KeyError::InvalidPoint`].
pub fn public_key_from_point(point: &[u8]) -> Result<LoadedPublicKey, KeyError> {
    let key = PublicKey::from_sec1_bytes(point).map_err(|_| KeyError::InvalidPoint)?;
    let notes = if matches!(point.first(), Some(2 | 3)) {
        vec![KeyNote::CompressedPoint]
    } else {
        Vec::new()
    };
    Ok(LoadedPublicKey { key, notes })
}

/// A public key from DER SubjectPublicKeyInfo, accepting both SM2 algorithm forms.
///
/// # Errors
/// A [`KeyError`] naming what is wrong.
pub fn public_key_from_spki_der(der: &[u8]) -> Result<LoadedPublicKey, KeyError> {
    let spki = SubjectPublicKeyInfoRef::from_der(der)?;
    public_key_from_spki(&spki)
}

/// A public key from a decoded SubjectPublicKeyInfo, accepting both SM2 algorithm forms.
///
/// Works around `sm2::PublicKey::from_public_key_der` (0.14), which refuses the SM2 OID as the
/// key algorithm.
///
/// # Errors
/// A [`KeyError`] naming what is wrong.
pub fn public_key_from_spki(
    spki: &SubjectPublicKeyInfoRef<'_>,
) -> Result<LoadedPublicKey, KeyError> {
    let mut notes = Vec::new();
    algorithm_curve(&spki.algorithm, &mut notes)?;
    let point = spki
        .subject_public_key
        .as_bytes()
        .ok_or(KeyError::InvalidPoint)?;
    let mut loaded = public_key_from_point(point)?;
    notes.append(&mut loaded.notes);
    loaded.notes = notes;
    Ok(loaded)
}

/// The subject public key of a DER X.509 certificate.
///
/// # Errors
/// A [`KeyError`] naming what is wrong.
pub fn public_key_from_certificate_der(der: &[u8]) -> Result<LoadedPublicKey, KeyError> {
    let cert = x509_cert::Certificate::from_der(der)?;
    let spki_der = cert.tbs_certificate().subject_public_key_info().to_der()?;
    public_key_from_spki_der(&spki_der)
}

/// Encode a private key as unencrypted PKCS#8 PEM (`id-ecPublicKey` + `sm2p256v1`).
pub fn private_key_to_pem(secret: &SecretKey) -> Zeroizing<String> {
    Zeroizing::new(pem::encode(
        "PRIVATE KEY",
        private_key_to_der(secret).as_slice(),
    ))
}

/// Encode a private key as unencrypted PKCS#8 DER.
pub fn private_key_to_der(secret: &SecretKey) -> Zeroizing<Vec<u8>> {
    // Encoding a valid key into an in-memory buffer cannot fail.
    Zeroizing::new(
        secret
            .to_pkcs8_der()
            .map(|d| d.as_bytes().to_vec())
            .unwrap_or_default(),
    )
}

/// Encode a private key as encrypted PKCS#8 PEM: PBES2, PBKDF2 with HMAC-SM3 (100 000
/// iterations), SM4-CBC, as GmSSL writes them.
///
/// # Errors
/// Only if the system random generator fails.
pub fn private_key_to_encrypted_pem(
    secret: &SecretKey,
    password: &[u8],
) -> Result<Zeroizing<String>, KeyError> {
    let der = pbes2_sm4::encrypt(&private_key_to_der(secret), password)?;
    Ok(Zeroizing::new(pem::encode("ENCRYPTED PRIVATE KEY", &der)))
}

/// Encode a public key as DER SubjectPublicKeyInfo (`id-ecPublicKey` + `sm2p256v1`).
pub fn public_key_to_der(public_key: &PublicKey) -> Vec<u8> {
    use spki::EncodePublicKey;
    public_key
        .to_public_key_der()
        .map(|d| d.as_bytes().to_vec())
        .unwrap_or_default()
}

/// Encode a public key as PEM SubjectPublicKeyInfo.
pub fn public_key_to_pem(public_key: &PublicKey) -> String {
    pem::encode("PUBLIC KEY", &public_key_to_der(public_key))
}

/// Split PEM text into `(label, DER)` pairs, tolerating CRLF, any line width and surrounding
/// text. Other crates of the workspace use it for certificates and CRLs.
///
/// # Errors
/// [`KeyError::Pem`] when no block is found or a block is malformed.
pub fn pem_blocks(input: &[u8]) -> Result<Vec<(String, Vec<u8>)>, KeyError> {
    Ok(pem::blocks(input)?
        .into_iter()
        .map(|b| (b.label, b.der))
        .collect())
}

/// Encode DER as PEM with the given label.
pub fn pem_encode(label: &str, der: &[u8]) -> String {
    pem::encode(label, der)
}

/// Does the input look like PEM (contains a `-----BEGIN ` line)?
pub fn looks_like_pem(input: &[u8]) -> bool {
    pem::is_pem(input)
}
