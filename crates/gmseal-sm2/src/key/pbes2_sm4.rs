//! PBES2 with SM4-CBC: the encrypted PKCS#8 keys GmSSL and OpenSSL (`-v2 sm4-cbc`) write.
//!
//! Workaround: the `pkcs5` crate implements PBES2 with AES (and DES) only, so keys encrypted with
//! SM4-CBC under PBKDF2 (PRF HMAC-SM3, HMAC-SHA256 or HMAC-SHA1) are decrypted here, with the
//! `pbkdf2`, `hmac`, `sm3`, `sha2`, `sm4` and `cbc` crates. Everything else goes to `pkcs8`.

use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit, block_padding::Pkcs7};
use der::asn1::{AnyRef, ObjectIdentifier, OctetStringRef};
use der::{Decode, Encode, Sequence};
use spki::{AlgorithmIdentifier, AlgorithmIdentifierRef};
use zeroize::Zeroizing;

use crate::error::KeyError;
use crate::oid;

pub(crate) const PBES2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.5.13");
const PBKDF2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.5.12");
const HMAC_SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.2.7");
const HMAC_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.2.9");

/// PBKDF2 iteration counts above this are refused: decrypting must not be a denial of service.
pub(crate) const MAX_ITERATIONS: u32 = 10_000_000;

#[derive(Sequence)]
pub(crate) struct EncryptedPrivateKeyInfoLoose<'a> {
    pub(crate) algorithm: AlgorithmIdentifierRef<'a>,
    pub(crate) data: &'a OctetStringRef,
}

#[derive(Sequence)]
struct Pbes2Params<'a> {
    kdf: AlgorithmIdentifierRef<'a>,
    scheme: AlgorithmIdentifierRef<'a>,
}

#[derive(Sequence)]
struct Pbkdf2Params<'a> {
    salt: &'a OctetStringRef,
    iterations: u32,
    key_length: Option<u8>,
    prf: Option<AlgorithmIdentifierRef<'a>>,
}

/// The OID of the cipher of a PBES2 scheme, if the structure gets that far.
pub(crate) fn pbes2_cipher(alg: &AlgorithmIdentifierRef<'_>) -> Option<ObjectIdentifier> {
    let params: Pbes2Params<'_> = alg.parameters?.decode_as().ok()?;
    Some(params.scheme.oid)
}

/// Is this PBES2 with SM4-CBC (ours to decrypt)?
pub(crate) fn is_sm4_scheme(alg: &AlgorithmIdentifierRef<'_>) -> bool {
    alg.oid == PBES2 && pbes2_cipher(alg) == Some(oid::SM4_CBC)
}

/// Decrypt PBES2/SM4-CBC data.
pub(crate) fn decrypt(
    alg: &AlgorithmIdentifierRef<'_>,
    data: &[u8],
    password: &[u8],
) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    let params: Pbes2Params<'_> = alg
        .parameters
        .ok_or(KeyError::UnsupportedEncryption(alg.oid))?
        .decode_as()?;
    if params.kdf.oid != PBKDF2 {
        return Err(KeyError::UnsupportedEncryption(params.kdf.oid));
    }
    let kdf: Pbkdf2Params<'_> = params
        .kdf
        .parameters
        .ok_or(KeyError::UnsupportedEncryption(params.kdf.oid))?
        .decode_as()?;
    if kdf.key_length.is_some_and(|l| l != 16) {
        return Err(KeyError::UnsupportedEncryption(oid::SM4_CBC));
    }
    if kdf.iterations == 0 || kdf.iterations > MAX_ITERATIONS {
        return Err(KeyError::DecryptionFailed);
    }
    let iv: &OctetStringRef = params
        .scheme
        .parameters
        .ok_or(KeyError::UnsupportedEncryption(oid::SM4_CBC))?
        .decode_as()?;
    let iv: [u8; 16] = iv
        .as_bytes()
        .try_into()
        .map_err(|_| KeyError::UnsupportedEncryption(oid::SM4_CBC))?;
    let prf = kdf.prf.map(|p| p.oid).unwrap_or(HMAC_SHA1);
    let key = derive(prf, password, kdf.salt.as_bytes(), kdf.iterations)?;
    if data.is_empty() || data.len() % 16 != 0 {
        return Err(KeyError::DecryptionFailed);
    }
    let mut buf = Zeroizing::new(data.to_vec());
    let dec = cbc::Decryptor::<sm4::Sm4>::new(&(*key).into(), &iv.into());
    let plain_len = dec
        .decrypt_padded::<Pkcs7>(&mut buf)
        .map_err(|_| KeyError::DecryptionFailed)?
        .len();
    buf.truncate(plain_len);
    Ok(buf)
}

fn derive(
    prf: ObjectIdentifier,
    password: &[u8],
    salt: &[u8],
    iterations: u32,
) -> Result<Zeroizing<[u8; 16]>, KeyError> {
    let mut key = Zeroizing::new([0u8; 16]);
    if prf == oid::HMAC_SM3 {
        pbkdf2::pbkdf2_hmac::<sm3::Sm3>(password, salt, iterations, &mut *key);
    } else if prf == HMAC_SHA256 {
        pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password, salt, iterations, &mut *key);
    } else if prf == HMAC_SHA1 {
        pbkdf2::pbkdf2_hmac::<sha1::Sha1>(password, salt, iterations, &mut *key);
    } else {
        return Err(KeyError::UnsupportedEncryption(prf));
    }
    Ok(key)
}

/// Encrypt a PKCS#8 document with PBES2 / PBKDF2-HMAC-SM3 / SM4-CBC (GmSSL's choice).
pub(crate) fn encrypt(plain: &[u8], password: &[u8]) -> Result<Vec<u8>, KeyError> {
    let mut salt = [0u8; 16];
    let mut iv = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|_| KeyError::DecryptionFailed)?;
    getrandom::fill(&mut iv).map_err(|_| KeyError::DecryptionFailed)?;
    let iterations = 100_000u32;
    let key = derive(oid::HMAC_SM3, password, &salt, iterations)?;
    let enc = cbc::Encryptor::<sm4::Sm4>::new(&(*key).into(), &iv.into());
    let ciphertext = enc.encrypt_padded_vec::<Pkcs7>(plain);

    let iv_os = OctetStringRef::new(&iv)?;
    let prf = AlgorithmIdentifier::<AnyRef<'_>> {
        oid: oid::HMAC_SM3,
        parameters: Some(AnyRef::NULL),
    };
    let kdf_params = Pbkdf2Params {
        salt: OctetStringRef::new(&salt)?,
        iterations,
        key_length: None,
        prf: Some(prf),
    }
    .to_der()?;
    let iv_der = iv_os.to_der()?;
    let pbes2 = Pbes2Params {
        kdf: AlgorithmIdentifierRef {
            oid: PBKDF2,
            parameters: Some(AnyRef::from_der(&kdf_params)?),
        },
        scheme: AlgorithmIdentifierRef {
            oid: oid::SM4_CBC,
            parameters: Some(AnyRef::from_der(&iv_der)?),
        },
    }
    .to_der()?;
    Ok(EncryptedPrivateKeyInfoLoose {
        algorithm: AlgorithmIdentifierRef {
            oid: PBES2,
            parameters: Some(AnyRef::from_der(&pbes2)?),
        },
        data: OctetStringRef::new(&ciphertext)?,
    }
    .to_der()?)
}
