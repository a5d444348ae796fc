//! Building and signing a `SystemRegister`.

use der::Encode;
use der::asn1::BitString;
use gmseal_sm2::encoding::SignatureFormat;
use gmseal_sm2::{DistId, Sm2Signer, Sm2SignerExt};

use super::{BjcaRegisterInfo, BjcaSignInfo, SystemRegister};
use crate::certificate::SystemCertificate;
use crate::deviation::Strictness;
use crate::error::{Error, Result};

/// Which bytes the signature covers (R1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum RegisterSigningInput {
    /// The DER of the whole `registerInfo` element (tag, length and contents), as received.
    /// The default: the appendix says the key signs "the registration information structure".
    #[default]
    RegisterInfoDer,
    /// DER of `SEQUENCE { registerInfo, signatureAlgorithm }`: the algorithm folded into the
    /// signed data, as GM/T 0031-2014 v1 seals do.
    RegisterInfoWithAlgorithm,
    /// The contents octets of `registerInfo` only, without its tag and length.
    RegisterInfoContents,
}

impl RegisterSigningInput {
    /// All alternatives, default first.
    pub const ALL: [RegisterSigningInput; 3] = [
        RegisterSigningInput::RegisterInfoDer,
        RegisterSigningInput::RegisterInfoWithAlgorithm,
        RegisterSigningInput::RegisterInfoContents,
    ];

    /// The bytes to sign, from the `registerInfo` TLV as received and the algorithm OID.
    ///
    /// # Errors
    /// [`Error::Asn1`] when the TLV's header cannot be read or the result cannot be encoded.
    pub fn bytes(
        self,
        register_info_tlv: &[u8],
        algorithm: &der::asn1::ObjectIdentifier,
    ) -> Result<Vec<u8>> {
        match self {
            RegisterSigningInput::RegisterInfoDer => Ok(register_info_tlv.to_vec()),
            RegisterSigningInput::RegisterInfoWithAlgorithm => {
                let oid = algorithm
                    .to_der()
                    .map_err(|e| Error::asn1("signInfo.signatureAlgorithm", e))?;
                let mut contents = register_info_tlv.to_vec();
                contents.extend_from_slice(&oid);
                let header = der::Header::new(
                    der::Tag::Sequence,
                    der::Length::try_from(contents.len())
                        .map_err(|e| Error::asn1("registerInfo", e))?,
                )
                .to_der()
                .map_err(|e| Error::asn1("registerInfo", e))?;
                let mut out = header;
                out.extend_from_slice(&contents);
                Ok(out)
            }
            RegisterSigningInput::RegisterInfoContents => {
                // DER or BER (definite or indefinite length) as received.
                let tlv = super::ber::read(register_info_tlv, 0, 0)?;
                Ok(register_info_tlv
                    .get(tlv.contents)
                    .unwrap_or_default()
                    .to_vec())
            }
        }
    }
}

impl core::fmt::Display for RegisterSigningInput {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            RegisterSigningInput::RegisterInfoDer => "DER(registerInfo)",
            RegisterSigningInput::RegisterInfoWithAlgorithm => {
                "DER(SEQUENCE{registerInfo, signatureAlgorithm})"
            }
            RegisterSigningInput::RegisterInfoContents => "contents octets of registerInfo",
        })
    }
}

/// How to sign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignOptions {
    /// The bytes signed (R1). Default: DER of `registerInfo`.
    pub signing_input: RegisterSigningInput,
    /// The layout of `signValue` (R2). Default: DER `SM2Signature`.
    pub signature_format: SignatureFormat,
    /// The SM2 ID (R3). Default: `1234567812345678`.
    pub dist_id: DistId,
    /// Build a package without `subSystemInfo` (the appendix has no `OPTIONAL`). Default: no.
    pub allow_missing_sub_system_info: bool,
    /// Build a package whose organisation codes fail the GB 32100 check (R8). Default: no.
    pub allow_invalid_org_code: bool,
}

impl Default for SignOptions {
    fn default() -> Self {
        SignOptions {
            signing_input: RegisterSigningInput::default(),
            signature_format: SignatureFormat::Der,
            dist_id: DistId::default(),
            allow_missing_sub_system_info: false,
            allow_invalid_org_code: false,
        }
    }
}

impl SystemRegister {
    /// Sign `register_info` with the system key (R9: it must be the key of `systemCert`, and the
    /// certificate must allow digitalSignature).
    ///
    /// The signer's output is verified before it is used.
    ///
    /// # Errors
    /// [`Error::Certificate`] when `systemCert` is not a DER SM2 certificate or does not allow
    /// digitalSignature, [`Error::SignerKeyMismatch`], [`Error::InvalidField`] for a missing
    /// `subSystemInfo` or an invalid organisation code (unless allowed), [`Error::Sm2`] when the
    /// signer fails.
    pub fn sign(
        register_info: BjcaRegisterInfo,
        signer: &dyn Sm2Signer,
        options: &SignOptions,
    ) -> Result<Self> {
        if register_info.sub_system_info.is_none() && !options.allow_missing_sub_system_info {
            return Err(Error::invalid(
                "registerInfo.subSystemInfo",
                "spec 001 appendix 1: subSystemInfo is not OPTIONAL",
                "absent",
            ));
        }
        if !options.allow_invalid_org_code {
            let mut codes = vec![(
                "registerInfo.systemInfo.orgCode",
                register_info.system_info.org_code.as_str(),
            )];
            if let Some(sub) = &register_info.sub_system_info {
                codes.push(("registerInfo.subSystemInfo.orgCode", sub.org_code.as_str()));
            }
            for (field, code) in codes {
                gmseal_cert::identity::validate_uscc(code).map_err(|_| {
                    Error::invalid(field, "GB 32100-2015 unified social credit code (R8)", code)
                })?;
            }
        }
        let cert = SystemCertificate::from_octets(
            "registerInfo.systemInfo.systemCert",
            register_info.system_info.system_cert.as_bytes(),
            &mut crate::deviation::Tolerance::new(Strictness::Strict),
        )?;
        if !cert.allows_digital_signature().unwrap_or(true) {
            return Err(Error::Certificate {
                field: "registerInfo.systemInfo.systemCert".into(),
                reason: "keyUsage does not include digitalSignature (R9)".into(),
            });
        }
        if cert.public_key() != &signer.public_key() {
            return Err(Error::SignerKeyMismatch {
                field: "registerInfo.systemInfo.systemCert",
            });
        }
        let algorithm = gmseal_sm2::oid::SM2_WITH_SM3;
        let tlv = register_info
            .to_der()
            .map_err(|e| Error::asn1("registerInfo", e))?;
        let message = options.signing_input.bytes(&tlv, &algorithm)?;
        let signature = signer.sign_message_checked(&options.dist_id, &message)?;
        let bytes = gmseal_sm2::encoding::encode(&signature, options.signature_format);
        Ok(SystemRegister {
            register_info,
            sign_info: BjcaSignInfo {
                signature_algorithm: algorithm,
                sign_value: BitString::from_bytes(&bytes)
                    .map_err(|e| Error::asn1("signInfo.signValue", e))?,
            },
        })
    }
}
