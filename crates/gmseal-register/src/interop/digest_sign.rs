//! Digest signing (摘要签, spec 002 §6.2.2.3 table 16 and §6.3.2.1 table 19): signature
//! structure P1 (a bare signature, PKCS#1-style) or P7 (a CMS SignedData), and the hash type.

use crate::error::{Error, Result};

/// The signature structure: table 16 `type` (`P1`/`P7`), table 19 `signFormat` (1/2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignatureType {
    /// P1: a bare signature value; `docHash` holds the data to sign.
    P1,
    /// P7: CMS SignedData; `docHash` holds the hash of the sealed document.
    P7,
}

impl SignatureType {
    /// Table 16 text.
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureType::P1 => "P1",
            SignatureType::P7 => "P7",
        }
    }

    /// From table 16 text, exactly `P1` or `P7` (the table's note also writes "p7"; lenient
    /// parsing of a request accepts the lower case and reports it).
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "P1" => Some(SignatureType::P1),
            "P7" => Some(SignatureType::P7),
            _ => None,
        }
    }

    /// Table 19 `signFormat` code.
    pub fn format_code(self) -> i64 {
        match self {
            SignatureType::P1 => 1,
            SignatureType::P7 => 2,
        }
    }

    /// From the table 19 code.
    pub fn from_format_code(code: i64) -> Option<Self> {
        match code {
            1 => Some(SignatureType::P1),
            2 => Some(SignatureType::P7),
            _ => None,
        }
    }
}

/// `hashType` of tables 16 and 19.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HashType {
    /// 1 MD5 (broken; listed by the draft).
    Md5,
    /// 2 SHA-1 (broken for signatures; listed by the draft).
    Sha1,
    /// 3 SHA-256.
    Sha256,
    /// 4 SM3.
    Sm3,
}

impl HashType {
    /// The code.
    pub fn code(self) -> i64 {
        match self {
            HashType::Md5 => 1,
            HashType::Sha1 => 2,
            HashType::Sha256 => 3,
            HashType::Sm3 => 4,
        }
    }

    /// From the code.
    pub fn from_code(code: i64) -> Option<Self> {
        match code {
            1 => Some(HashType::Md5),
            2 => Some(HashType::Sha1),
            3 => Some(HashType::Sha256),
            4 => Some(HashType::Sm3),
            _ => None,
        }
    }

    /// The digest length in bytes.
    pub fn digest_len(self) -> usize {
        match self {
            HashType::Md5 => 16,
            HashType::Sha1 => 20,
            HashType::Sha256 | HashType::Sm3 => 32,
        }
    }

    /// MD5 and SHA-1 are not collision resistant.
    pub fn is_weak(self) -> bool {
        matches!(self, HashType::Md5 | HashType::Sha1)
    }
}

/// Check `docHash` (base64) of a P7 request: it must decode to a digest of `hash`'s length.
/// For P1 it holds the data to sign, of any length (it must still be base64).
///
/// # Errors
/// [`Error::Base64`] or [`Error::InvalidField`] naming `field`.
pub fn check_doc_hash(
    field: &str,
    doc_hash: &str,
    kind: SignatureType,
    hash: HashType,
) -> Result<Vec<u8>> {
    let bytes = crate::b64::decode_strict(field, doc_hash)?;
    if kind == SignatureType::P7 && bytes.len() != hash.digest_len() {
        return Err(Error::InvalidField {
            field: field.into(),
            rule: "P7: docHash is the document digest of the hashType's length",
            found: format!(
                "{} bytes for {hash:?} ({} expected)",
                bytes.len(),
                hash.digest_len()
            ),
        });
    }
    Ok(bytes)
}
