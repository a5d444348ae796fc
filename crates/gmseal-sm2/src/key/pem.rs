//! Tolerant extraction of PEM blocks.
//!
//! Key files from the field come with CRLF line ends, 76-column lines, trailing blanks, several
//! blocks in one file (`EC PARAMETERS` before `EC PRIVATE KEY`), and text around the blocks.
//! Strict RFC 7468 decoding (`pem-rfc7468`) refuses some of these, so blocks are cut out here
//! and their base64 decoded with `base64ct` after dropping all white space.

use base64ct::{Base64, Encoding};

use crate::error::KeyError;

/// One PEM block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Block {
    pub(crate) label: String,
    pub(crate) der: Vec<u8>,
}

/// Longest input read as PEM (PEM key files are a few KB; a certificate chain tens of KB).
const MAX_PEM: usize = 4 * 1024 * 1024;

/// Does the input look like PEM text?
pub(crate) fn is_pem(input: &[u8]) -> bool {
    memfind(input, b"-----BEGIN ").is_some()
}

/// Every PEM block of the input, in order.
pub(crate) fn blocks(input: &[u8]) -> Result<Vec<Block>, KeyError> {
    if input.len() > MAX_PEM {
        return Err(KeyError::Pem(format!(
            "input of {} bytes is too large",
            input.len()
        )));
    }
    let text = std::str::from_utf8(input)
        .map_err(|_| KeyError::Pem("PEM text is not valid UTF-8".into()))?;
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN ") {
        let after = &rest[start + "-----BEGIN ".len()..];
        let label_end = after
            .find("-----")
            .ok_or_else(|| KeyError::Pem("unterminated BEGIN line".into()))?;
        let label = after[..label_end].trim().to_string();
        let body_and_more = &after[label_end + 5..];
        let end_marker = format!("-----END {label}-----");
        let end = body_and_more
            .find(&end_marker)
            .ok_or_else(|| KeyError::Pem(format!("no END line for \"{label}\"")))?;
        let body = &body_and_more[..end];
        if body.contains("Proc-Type:") || body.contains("DEK-Info:") {
            return Err(KeyError::Pem(format!(
                "\"{label}\" uses legacy OpenSSL PEM encryption (Proc-Type/DEK-Info); convert it to encrypted PKCS#8"
            )));
        }
        let b64: String = body.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        let der = Base64::decode_vec(&b64)
            .map_err(|_| KeyError::Pem(format!("bad base64 in \"{label}\"")))?;
        out.push(Block { label, der });
        rest = &body_and_more[end + end_marker.len()..];
    }
    if out.is_empty() {
        return Err(KeyError::Pem("no PEM block found".into()));
    }
    Ok(out)
}

/// Wrap DER as PEM with 64-column lines and LF line ends.
pub(crate) fn encode(label: &str, der: &[u8]) -> String {
    let b64 = Base64::encode_string(der);
    let mut s = String::with_capacity(b64.len() + b64.len() / 64 + 2 * label.len() + 40);
    s.push_str("-----BEGIN ");
    s.push_str(label);
    s.push_str("-----\n");
    for line in b64.as_bytes().chunks(64) {
        // base64 output is ASCII
        s.push_str(std::str::from_utf8(line).unwrap_or_default());
        s.push('\n');
    }
    s.push_str("-----END ");
    s.push_str(label);
    s.push_str("-----\n");
    s
}

fn memfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}
