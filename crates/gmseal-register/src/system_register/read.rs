//! Reading a `SystemRegister` file: raw DER, base64 text, or (lenient) PEM armour; strict DER,
//! or (lenient) BER.

use der::{Decode, EncodingRules, Reader, SliceReader};

use super::{BjcaRegisterInfo, BjcaSignInfo, SystemRegister};
use crate::deviation::{Deviation, DeviationKind, Strictness, Tolerance};
use crate::error::{Error, Result};

/// The container a package was read from (R10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Container {
    /// Raw DER (the default form).
    Der,
    /// Base64 text of the DER; `line_breaks` when it was broken into lines.
    Base64 {
        /// The text was broken into lines.
        line_breaks: bool,
    },
    /// PEM-style armour (`-----BEGIN ...-----`); lenient mode only.
    Pem,
}

/// How to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// Strict: DER only, DER or base64 container, DER certificate. Lenient: BER, PEM armour,
    /// base64/PEM certificate, missing `subSystemInfo`, all reported.
    pub strictness: Strictness,
    /// Largest input accepted, in bytes. Default 1 MiB (a package is a few kilobytes).
    pub max_input: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            strictness: Strictness::Strict,
            max_input: 1 << 20,
        }
    }
}

/// A package as read: the decoded value, the `registerInfo` bytes as received (what is
/// verified), the container and the tolerated deviations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadSystemRegister {
    /// The decoded package.
    pub package: SystemRegister,
    /// The `registerInfo` element (tag, length, contents) exactly as received.
    pub register_info_tlv: Vec<u8>,
    /// When the package was BER (lenient mode): the DER re-encoding of `registerInfo`, which the
    /// verifier tries after the bytes as received (and reports when it is the one that verifies).
    pub register_info_der: Option<Vec<u8>>,
    /// The DER (or BER) of the whole package, after removing the container.
    pub encoded: Vec<u8>,
    /// The container.
    pub container: Container,
    /// Deviations tolerated in lenient mode (empty in strict mode).
    pub deviations: Vec<Deviation>,
}

impl ReadSystemRegister {
    /// Read a package from a file's bytes.
    ///
    /// # Errors
    /// [`Error::TooLarge`], [`Error::Base64`], [`Error::Asn1`] (naming the structure),
    /// [`Error::InvalidField`] for what strict mode refuses.
    pub fn read(input: &[u8], options: &ReadOptions) -> Result<Self> {
        if input.len() > options.max_input {
            return Err(Error::TooLarge {
                field: "SystemRegister".into(),
                limit: options.max_input,
                found: input.len(),
            });
        }
        let mut tol = Tolerance::new(options.strictness);
        let (encoded, container) = unwrap_container(input, &mut tol)?;
        let (package, register_info_tlv) = decode(&encoded, &mut tol)?;
        let register_info_der = if tol
            .found
            .iter()
            .any(|d| d.kind == DeviationKind::BerEncoding)
        {
            Some(
                der::Encode::to_der(&package.register_info)
                    .map_err(|e| Error::asn1("registerInfo", e))?,
            )
        } else {
            None
        };
        if package.register_info.sub_system_info.is_none() {
            tol.allow(
                "registerInfo.subSystemInfo",
                DeviationKind::Missing,
                "spec 001 appendix 1: subSystemInfo is not OPTIONAL",
            )?;
        }
        Ok(ReadSystemRegister {
            package,
            register_info_tlv,
            register_info_der,
            encoded,
            container,
            deviations: tol.found,
        })
    }
}

fn unwrap_container(input: &[u8], tol: &mut Tolerance) -> Result<(Vec<u8>, Container)> {
    if input.first() == Some(&0x30) {
        return Ok((input.to_vec(), Container::Der));
    }
    let text = core::str::from_utf8(input).map_err(|_| {
        Error::invalid(
            "SystemRegister",
            "R10: raw DER (starting 0x30) or base64 text",
            &format!("{:02X?}", input.get(..8).unwrap_or(input)),
        )
    })?;
    if gmseal_sm2::key::looks_like_pem(input) {
        tol.allow(
            "SystemRegister",
            DeviationKind::Container("PEM armour"),
            "R10: raw DER or base64 text",
        )?;
        let body: String = text
            .lines()
            .filter(|l| !l.starts_with("-----") && !l.contains(':'))
            .collect();
        let der = crate::b64::decode_strict("SystemRegister", body.trim())?;
        return Ok((der, Container::Pem));
    }
    let trimmed = text.trim();
    let line_breaks = trimmed.bytes().any(|b| b.is_ascii_whitespace());
    // A base64 file is text: line breaks are ordinary there (unlike in a JSON field).
    let compact: String = trimmed.split_ascii_whitespace().collect();
    let der = crate::b64::decode_strict("SystemRegister", &compact)?;
    if der.first() != Some(&0x30) {
        return Err(Error::invalid(
            "SystemRegister",
            "the base64 text must hold a DER SEQUENCE",
            trimmed,
        ));
    }
    let _ = tol;
    Ok((der, Container::Base64 { line_breaks }))
}

/// Decode, keeping the `registerInfo` TLV as received. Strict: DER. Lenient: DER, else BER
/// (re-encoded to DER for the typed decoders; reported).
fn decode(bytes: &[u8], tol: &mut Tolerance) -> Result<(SystemRegister, Vec<u8>)> {
    match decode_with(bytes, EncodingRules::Der) {
        Ok(v) => Ok(v),
        Err(der_err) => {
            if tol.strictness == Strictness::Strict {
                return Err(der_err);
            }
            let outer = super::ber::read(bytes, 0, 0).map_err(|_| der_err_clone(&der_err))?;
            if outer.whole.end != bytes.len() {
                return Err(der_err);
            }
            let der = super::ber::to_der(bytes, &outer, 0)?;
            if der == bytes {
                return Err(der_err);
            }
            let (package, _) = decode_with(&der, EncodingRules::Der)?;
            let first = super::ber::children(bytes, &outer, 0)?
                .into_iter()
                .next()
                .ok_or(der_err)?;
            let tlv = bytes.get(first.whole.clone()).unwrap_or_default().to_vec();
            tol.allow("SystemRegister", DeviationKind::BerEncoding, "R11: DER")?;
            Ok((package, tlv))
        }
    }
}

fn der_err_clone(e: &Error) -> Error {
    match e {
        Error::Asn1 { field, source } => Error::Asn1 {
            field: field.clone(),
            source: *source,
        },
        other => Error::invalid("SystemRegister", "DER", &other.to_string()),
    }
}

fn decode_with(bytes: &[u8], rules: EncodingRules) -> Result<(SystemRegister, Vec<u8>)> {
    let mut reader = SliceReader::new_with_encoding_rules(bytes, rules)
        .map_err(|e| Error::asn1("SystemRegister", e))?;
    let (tlv, sign_tlv) = reader
        .sequence(|r: &mut SliceReader<'_>| Ok::<_, der::Error>((r.tlv_bytes()?, r.tlv_bytes()?)))
        .map_err(|e| Error::asn1("SystemRegister", e))?;
    reader
        .finish()
        .map_err(|e| Error::asn1("SystemRegister", e))?;
    let sign_info: BjcaSignInfo = decode_part("signInfo", sign_tlv, rules)?;
    // Decode registerInfo part by part so that an error names the part.
    let mut inner = SliceReader::new_with_encoding_rules(tlv, rules)
        .map_err(|e| Error::asn1("registerInfo", e))?;
    let (header_tlv, system_tlv, sub_tlv) = inner
        .sequence(|r: &mut SliceReader<'_>| {
            let h = r.tlv_bytes()?;
            let s = r.tlv_bytes()?;
            let sub = if r.is_finished() {
                None
            } else {
                Some(r.tlv_bytes()?)
            };
            Ok::<_, der::Error>((h, s, sub))
        })
        .map_err(|e| Error::asn1("registerInfo", e))?;
    inner.finish().map_err(|e| Error::asn1("registerInfo", e))?;
    let register_info = BjcaRegisterInfo {
        header: decode_part("registerInfo.header", header_tlv, rules)?,
        system_info: decode_part("registerInfo.systemInfo", system_tlv, rules)?,
        sub_system_info: sub_tlv
            .map(|t| decode_part("registerInfo.subSystemInfo", t, rules))
            .transpose()?,
    };
    Ok((
        SystemRegister {
            register_info,
            sign_info,
        },
        tlv.to_vec(),
    ))
}

fn decode_part<T: for<'a> Decode<'a, Error = der::Error>>(
    field: &'static str,
    tlv: &[u8],
    rules: EncodingRules,
) -> Result<T> {
    let mut r =
        SliceReader::new_with_encoding_rules(tlv, rules).map_err(|e| Error::asn1(field, e))?;
    let v = T::decode(&mut r).map_err(|e| Error::asn1(field, e))?;
    r.finish().map_err(|e| Error::asn1(field, e))?;
    Ok(v)
}
