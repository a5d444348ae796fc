//! Verifying a `SystemRegister` against its embedded system certificate.

use der::asn1::ObjectIdentifier;
use gmseal_cert::x509_cert::ext::pkix::KeyUsages;
use gmseal_cert::{
    Cert, ChainOptions, ChainReport, KeyUsageRequirement, TrustStore, verify_chain_certs,
};
use gmseal_sm2::encoding::SignatureFormat;
use gmseal_sm2::{DistId, Sm2VerifyingKey};

use super::{ReadSystemRegister, RegisterSigningInput, SystemType};
use crate::certificate::SystemCertificate;
use crate::deviation::{Deviation, DeviationKind, Strictness, Tolerance};
use crate::error::Result;
use crate::report::{Outcome, Report};

/// Which signing input(s) the verifier accepts (R1: never several silently).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InputPolicy {
    /// Exactly this one.
    Exactly(RegisterSigningInput),
    /// Try each alternative, default first; report which one verified. A match other than the
    /// default is a warning.
    Probe,
}

impl Default for InputPolicy {
    fn default() -> Self {
        InputPolicy::Exactly(RegisterSigningInput::default())
    }
}

/// Chain verification of the system certificate with gmseal-cert: path to the store's
/// anchors (through its intermediates), revocation from its CRLs, at `options.time` (default:
/// when the options were made; the package carries no signing time).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemCertChain<'a> {
    /// Trust anchors, intermediates, CRLs.
    pub store: &'a TrustStore,
    /// Time, signature policy (e.g. `allow_empty_id`), revocation policy, limits. The leaf
    /// must allow digitalSignature (R9) unless `options.leaf_key_usage` asks for more.
    pub options: ChainOptions,
}

/// How to verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyOptions<'a> {
    /// Strict: `signValue` is DER `SM2Signature` (R2), the certificate DER (R5). Lenient: raw
    /// `r‖s` and other encodings `gmseal-sm2` tolerates, base64/PEM certificates; all reported.
    pub strictness: Strictness,
    /// The signing input (R1).
    pub signing_input: InputPolicy,
    /// The SM2 ID (R3). Default `1234567812345678`.
    pub dist_id: DistId,
    /// Algorithm OIDs accepted besides SM3withSM2 (R4), each treated as SM3withSM2 and
    /// reported. Default: none.
    pub extra_algorithms: Vec<ObjectIdentifier>,
    /// Verify `systemCert`'s chain with gmseal-cert. Default `None`: the check is reported as
    /// skipped and trust in the certificate is the caller's business.
    pub chain: Option<SystemCertChain<'a>>,
}

impl Default for VerifyOptions<'_> {
    fn default() -> Self {
        VerifyOptions {
            strictness: Strictness::Strict,
            signing_input: InputPolicy::default(),
            dist_id: DistId::default(),
            extra_algorithms: Vec::new(),
            chain: None,
        }
    }
}

impl<'a> VerifyOptions<'a> {
    /// Verify `systemCert`'s chain to `store`'s anchors with `options`.
    ///
    /// ```
    /// # use gmseal_register::system_register::VerifyOptions;
    /// use gmseal_cert::{ChainOptions, TrustStore};
    /// let store = TrustStore::new(); // add_anchors, add_intermediates, add_crls
    /// let options = VerifyOptions::default().with_chain(&store, ChainOptions::default());
    /// # let _ = options;
    /// ```
    #[must_use]
    pub fn with_chain(mut self, store: &'a TrustStore, options: ChainOptions) -> Self {
        self.chain = Some(SystemCertChain { store, options });
        self
    }
}

/// The verification report of a package.
#[derive(Debug, Clone)]
pub struct RegisterReport {
    /// The checks and tolerated deviations (those of reading included).
    pub report: Report,
    /// The signing input that verified, if any.
    pub signing_input: Option<RegisterSigningInput>,
    /// The layout `signValue` was found in.
    pub signature_format: Option<SignatureFormat>,
    /// The system certificate.
    pub certificate: SystemCertificate,
    /// gmseal-cert's report of `systemCert`'s chain (path, every check, verdict), when
    /// [`VerifyOptions::chain`] asked for it.
    pub chain: Option<ChainReport>,
}

impl RegisterReport {
    /// Every check passed (warnings allowed) and the signature verified.
    pub fn is_valid(&self) -> bool {
        self.report.is_valid()
    }
}

impl core::fmt::Display for RegisterReport {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        self.report.fmt(f)
    }
}

impl ReadSystemRegister {
    /// Verify the signature with the key of the embedded system certificate, and check the
    /// fields (R4–R9).
    ///
    /// With [`VerifyOptions::chain`], `systemCert`'s chain is verified with gmseal-cert too
    /// (check `systemCert.chain`, report in [`RegisterReport::chain`]); without it that check
    /// is skipped.
    ///
    /// # Errors
    /// [`Error::Certificate`](crate::Error::Certificate) when `systemCert` cannot be decoded at all (then nothing can be
    /// verified), [`Error::InvalidField`](crate::Error::InvalidField) for a certificate container that strict mode refuses,
    /// [`Error::Asn1`](crate::Error::Asn1) for an inconsistent structure. A signature that does not verify is a
    /// failed check, not an error.
    pub fn verify(&self, options: &VerifyOptions<'_>) -> Result<RegisterReport> {
        let mut tol = Tolerance::new(options.strictness);
        let mut report = Report {
            checks: Vec::new(),
            deviations: self.deviations.clone(),
        };
        let info = &self.package.register_info;
        let sys = &info.system_info;

        // header (R7): recorded, not judged.
        report.push(
            "header",
            Outcome::Pass,
            format!(
                "id {:?}, version {}, vid {:?}",
                info.header.id.as_str(),
                info.header.version,
                info.header.vid.as_str()
            ),
        );

        // systemType
        match SystemType::from_code(sys.system_type) {
            Some(t) => report.push("systemType", Outcome::Pass, format!("{} ({t:?})", t.code())),
            None => report.push(
                "systemType",
                Outcome::Fail,
                format!(
                    "{} is not 1 (manage), 2 (status publishing) or 3 (application)",
                    sys.system_type
                ),
            ),
        }

        // systemCert (R5, R9)
        let cert = SystemCertificate::from_octets(
            "registerInfo.systemInfo.systemCert",
            sys.system_cert.as_bytes(),
            &mut tol,
        )?;
        report.push(
            "systemCert",
            Outcome::Pass,
            format!("subject {}, serial {}", cert.subject(), cert.serial_hex()),
        );
        match cert.allows_digital_signature() {
            Some(true) => report.push(
                "systemCert.keyUsage",
                Outcome::Pass,
                "keyUsage includes digitalSignature",
            ),
            Some(false) => report.push(
                "systemCert.keyUsage",
                Outcome::Fail,
                "keyUsage does not include digitalSignature (R9)",
            ),
            None => report.push(
                "systemCert.keyUsage",
                Outcome::Warn,
                "no keyUsage extension: every usage is allowed (RFC 5280 §4.2.1.3)",
            ),
        }

        // the chain of systemCert (optional)
        let chain = match &options.chain {
            None => {
                report.push(
                    "systemCert.chain",
                    Outcome::Skipped,
                    "not asked: no trust store given (VerifyOptions::with_chain)",
                );
                None
            }
            Some(c) => {
                let mut chain_options = c.options.clone();
                if chain_options.leaf_key_usage == KeyUsageRequirement::Any {
                    chain_options.leaf_key_usage =
                        KeyUsageRequirement::AllOf(KeyUsages::DigitalSignature.into());
                }
                let r = match Cert::from_der(cert.der()) {
                    Ok(leaf) => verify_chain_certs(&leaf, &[], c.store, &chain_options),
                    Err(e) => {
                        return Err(crate::Error::Certificate {
                            field: "registerInfo.systemInfo.systemCert".into(),
                            reason: format!("gmseal-cert cannot read it: {e}"),
                        });
                    }
                };
                for t in &r.tolerated {
                    report.deviations.push(Deviation::new(
                        "registerInfo.systemInfo.systemCert",
                        DeviationKind::CertificateChain(t.clone()),
                    ));
                }
                let path = r
                    .path
                    .iter()
                    .map(|p| p.summary.subject.as_str())
                    .collect::<Vec<_>>()
                    .join(" → ");
                let outcome = if r.is_trusted() {
                    Outcome::Pass
                } else {
                    Outcome::Fail
                };
                report.push(
                    "systemCert.chain",
                    outcome,
                    format!("{} (at {}): {path}", r.verdict, r.time),
                );
                Some(r)
            }
        };

        // serviceAddress (R6)
        let (outcome, why) = check_service_address(sys.service_address.as_bytes());
        report.push("serviceAddress", outcome, why);

        // orgCode (R8): a warning, not an error.
        push_org_code(&mut report, "systemInfo.orgCode", sys.org_code.as_str());
        match &info.sub_system_info {
            Some(sub) => push_org_code(&mut report, "subSystemInfo.orgCode", sub.org_code.as_str()),
            None => report.push(
                "subSystemInfo.orgCode",
                Outcome::Warn,
                "subSystemInfo is absent (not OPTIONAL in spec 001 appendix 1)",
            ),
        }

        // signatureAlgorithm (R4)
        let alg = self.package.sign_info.signature_algorithm;
        if alg == gmseal_sm2::oid::SM2_WITH_SM3 {
            report.push(
                "signatureAlgorithm",
                Outcome::Pass,
                "1.2.156.10197.1.501 SM3withSM2",
            );
        } else if options.extra_algorithms.contains(&alg) {
            report.push(
                "signatureAlgorithm",
                Outcome::Warn,
                format!("{alg} accepted as SM3withSM2 by configuration (R4)"),
            );
        } else {
            report.push(
                "signatureAlgorithm",
                Outcome::Fail,
                format!("{alg} is not SM3withSM2 1.2.156.10197.1.501 (R4)"),
            );
        }

        // signValue (R2)
        let sv = &self.package.sign_info.sign_value;
        let mut signing_input = None;
        let mut signature_format = None;
        let sig_bytes = sv.as_bytes();
        match sig_bytes {
            None => report.push(
                "signature",
                Outcome::Fail,
                format!(
                    "signValue BIT STRING has {} unused bits; a signature is whole octets",
                    sv.unused_bits()
                ),
            ),
            Some(bytes) => {
                match gmseal_sm2::encoding::decode(bytes, SignatureFormat::Der, options.strictness)
                {
                    Err(e) => report.push(
                        "signature",
                        Outcome::Fail,
                        format!("signValue is not a valid SM2 signature: {e}"),
                    ),
                    Ok(decoded) => {
                        signature_format = Some(decoded.format);
                        for d in decoded.deviations {
                            tol.allow(
                                "signInfo.signValue",
                                DeviationKind::SignatureEncoding(d),
                                "R2: DER SM2Signature",
                            )?;
                        }
                        let vk = Sm2VerifyingKey::new(*cert.public_key(), options.dist_id.clone());
                        let candidates: Vec<RegisterSigningInput> = match options.signing_input {
                            InputPolicy::Exactly(i) => vec![i],
                            InputPolicy::Probe => RegisterSigningInput::ALL.to_vec(),
                        };
                        let mut over_der = false;
                        'search: for input in candidates {
                            let msg = input.bytes(&self.register_info_tlv, &alg)?;
                            if vk.verify(&msg, &decoded.signature).is_ok() {
                                signing_input = Some(input);
                                break;
                            }
                            if let Some(der) = &self.register_info_der {
                                let msg = input.bytes(der, &alg)?;
                                if vk.verify(&msg, &decoded.signature).is_ok() {
                                    signing_input = Some(input);
                                    over_der = true;
                                    break 'search;
                                }
                            }
                        }
                        if over_der {
                            report.push(
                                "signingInput.encoding",
                                Outcome::Warn,
                                "the package is BER; the signature covers the DER re-encoding of registerInfo (R11)",
                            );
                        }
                        match signing_input {
                            Some(input) if input == RegisterSigningInput::default() => report
                                .push(
                                    "signature",
                                    Outcome::Pass,
                                    format!(
                                        "verifies over {input} with the systemCert key, ID {:?}",
                                        String::from_utf8_lossy(options.dist_id.as_bytes())
                                    ),
                                ),
                            Some(input) => {
                                report.push(
                                    "signature",
                                    Outcome::Pass,
                                    format!("verifies over {input} with the systemCert key"),
                                );
                                report.push(
                                    "signingInput",
                                    Outcome::Warn,
                                    format!(
                                        "signed over {input}, not the default {} (R1)",
                                        RegisterSigningInput::default()
                                    ),
                                );
                            }
                            None => report.push(
                                "signature",
                                Outcome::Fail,
                                match options.signing_input {
                                    InputPolicy::Exactly(i) => format!(
                                        "does not verify over {i} with the systemCert key"
                                    ),
                                    InputPolicy::Probe => "does not verify over any signing input with the systemCert key".into(),
                                },
                            ),
                        }
                    }
                }
            }
        }
        report.deviations.extend(tol.found);
        Ok(RegisterReport {
            report,
            signing_input,
            signature_format,
            certificate: cert,
            chain,
        })
    }

    /// The tolerated deviations of reading.
    pub fn deviations(&self) -> &[Deviation] {
        &self.deviations
    }
}

fn push_org_code(report: &mut Report, what: &'static str, code: &str) {
    match gmseal_cert::identity::validate_uscc(code) {
        Ok(()) => report.push(
            what,
            Outcome::Pass,
            format!("{code}: valid GB 32100 credit code"),
        ),
        Err(e) => report.push(
            what,
            Outcome::Warn,
            format!("{code:?} is not a valid GB 32100 credit code: {e} (R8)"),
        ),
    }
}

/// R6: UTF-8, no NUL, absolute URL (`scheme://host...`).
fn check_service_address(bytes: &[u8]) -> (Outcome, String) {
    let Ok(s) = core::str::from_utf8(bytes) else {
        return (Outcome::Warn, "not UTF-8 (R6)".into());
    };
    if s.contains('\0') {
        return (Outcome::Warn, format!("{s:?} contains NUL (R6)"));
    }
    let absolute = s.split_once("://").is_some_and(|(scheme, rest)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            && !rest.is_empty()
    });
    if absolute {
        (Outcome::Pass, s.to_owned())
    } else {
        (Outcome::Warn, format!("{s:?} is not an absolute URL (R6)"))
    }
}
