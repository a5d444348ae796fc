//! A minimal TSA (RFC 3161 §2.4.2) issuing SM2-signed tokens, for offline flows and tests.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use der::Decode;
use der::asn1::{BitString, Int, ObjectIdentifier, OctetString};
use gmseal_sm2::{DistId, Sm2Signer};
use x509_cert::Certificate;

use super::ess::{EssCertIdV2, SigningCertificateV2};
use super::{
    Accuracy, GenTime, MessageImprint, PkiStatus, PkiStatusInfo, TimeStampReq, TimeStampResp,
    Timestamper, TstInfo,
};
use crate::algorithm::DigestAlgorithm;
use crate::attr;
use crate::builder::{CmsSigner, SignedDataBuilder};
use crate::error::{Error, Result, malformed};
use crate::oid;
use crate::parse::OidFamily;

/// A minimal time-stamping authority: SM2/SM3 tokens signed through any
/// [`Sm2Signer`] with a caller-supplied TSA certificate.
///
/// Tokens carry `id-ct-TSTInfo` in a PKCS#7-OID `SignedData` (RFC 3161 §2.4.2), the ESS
/// `signingCertificateV2` attribute (SHA-256 of the certificate, RFC 5816), and the
/// certificate when the request asks for it.
///
/// ```
/// # use gmseal_cms::*;
/// # use gmseal_cms::tsp::*;
/// # let (key, cert) = gmseal_cms::test_support::tsa_certificate("CN=TSA").unwrap();
/// let tsa = LocalTsa::new(&key, &cert, "1.2.3.4".parse().unwrap())?;
/// let req = TimeStampReq::new(MessageImprint::of(DigestAlgorithm::Sm3, b"data")?)?;
/// let resp = TimeStampResp::from_der(&tsa.respond(&req.to_der()?)?)?;
/// let token = resp.into_token(&req)?;
/// let report = verify_timestamp_token(&token, TimestampedData::Bytes(b"data"), &VerifyOptions::default())?;
/// assert!(report.integrity_ok());
/// # Ok::<(), gmseal_cms::Error>(())
/// ```
pub struct LocalTsa<'a> {
    signer: &'a dyn Sm2Signer,
    certificate: Certificate,
    certificate_der: Vec<u8>,
    policy: ObjectIdentifier,
    dist_id: DistId,
    accuracy: Option<Accuracy>,
    clock: Option<SystemTime>,
    serial: AtomicU64,
}

impl core::fmt::Debug for LocalTsa<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("LocalTsa")
            .field("subject", &self.certificate.tbs_certificate().subject())
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl<'a> LocalTsa<'a> {
    /// A TSA with the DER certificate `certificate_der` (whose key must be `signer`'s) and the
    /// policy it asserts.
    ///
    /// # Errors
    /// [`Error::Malformed`] when the certificate does not decode,
    /// [`Error::SignerKeyMismatch`] when it does not hold the signer's key.
    pub fn new(
        signer: &'a dyn Sm2Signer,
        certificate_der: &[u8],
        policy: ObjectIdentifier,
    ) -> Result<Self> {
        let certificate =
            Certificate::from_der(certificate_der).map_err(malformed("certificate"))?;
        let key = gmseal_sm2::key::public_key_from_certificate_der(certificate_der)
            .map_err(|e| Error::Sm2(e.into()))?;
        if key.key != signer.verifying_key() {
            return Err(Error::SignerKeyMismatch);
        }
        let mut seed = [0u8; 8];
        getrandom::fill(&mut seed).map_err(|e| Error::Random(e.to_string()))?;
        Ok(LocalTsa {
            signer,
            certificate,
            certificate_der: certificate_der.to_vec(),
            policy,
            dist_id: DistId::default(),
            accuracy: Some(Accuracy {
                seconds: Some(1),
                millis: None,
                micros: None,
            }),
            clock: None,
            // Serial numbers: a random 48-bit start, then counting up.
            serial: AtomicU64::new(u64::from_be_bytes(seed) >> 16),
        })
    }

    /// Sign with another SM2 ID (default `1234567812345678`). OpenSSL 3.0's `ts -verify`
    /// only verifies tokens signed with the empty ID.
    #[must_use]
    pub fn with_dist_id(mut self, id: DistId) -> Self {
        self.dist_id = id;
        self
    }

    /// Use a fixed time instead of the system clock.
    #[must_use]
    pub fn with_time(mut self, at: SystemTime) -> Self {
        self.clock = Some(at);
        self
    }

    /// The accuracy to claim (default one second; `None` to leave it out).
    #[must_use]
    pub fn with_accuracy(mut self, accuracy: Option<Accuracy>) -> Self {
        self.accuracy = accuracy;
        self
    }

    /// Issue a token for `imprint`.
    ///
    /// # Errors
    /// Signing and encoding errors.
    pub fn issue(
        &self,
        imprint: &MessageImprint,
        nonce: Option<Int>,
        include_certificate: bool,
    ) -> Result<Vec<u8>> {
        let now = self.clock.unwrap_or_else(SystemTime::now);
        let serial = self.serial.fetch_add(1, Ordering::Relaxed);
        let tst = TstInfo {
            version: 1,
            policy: self.policy,
            message_imprint: imprint.clone(),
            serial_number: Int::new(&serial_bytes(serial)).map_err(malformed("serialNumber"))?,
            gen_time: GenTime::from_system_time(now).map_err(malformed("genTime"))?,
            accuracy: self.accuracy,
            ordering: false,
            nonce,
            tsa: None,
            extensions: None,
        };
        let tst_der = der::Encode::to_der(&tst).map_err(malformed("TSTInfo"))?;
        let ess = SigningCertificateV2 {
            certs: vec![EssCertIdV2 {
                hash_algorithm: None,
                cert_hash: OctetString::new(DigestAlgorithm::Sha256.digest(&self.certificate_der))
                    .map_err(malformed("ESSCertIDv2"))?,
                issuer_serial: None,
            }],
            policies: None,
        };
        let signer = CmsSigner::new(self.signer, self.certificate.clone())
            .dist_id(self.dist_id.clone())
            .signing_time(Some(now))
            .signed_attribute(attr::single_valued(oid::SIGNING_CERTIFICATE_V2, &ess)?)
            .include_certificate(include_certificate);
        SignedDataBuilder::new(OidFamily::Pkcs7)
            .econtent_type(oid::TST_INFO)
            .attached(tst_der)
            .signer(signer)
            .build()
    }

    /// Answer a DER `TimeStampReq` with a DER `TimeStampResp`: a token, or a rejection with
    /// `failInfo` `badDataFormat` (undecodable request), `badAlg` (unsupported imprint
    /// algorithm) or `unacceptedPolicy`.
    ///
    /// # Errors
    /// Signing and encoding errors (a bad request is an answer, not an error).
    pub fn respond(&self, request_der: &[u8]) -> Result<Vec<u8>> {
        let req = match TimeStampReq::from_der(request_der) {
            Ok(r) if r.version == 1 => r,
            _ => return reject(5, "bad request"),
        };
        let Some(alg) = DigestAlgorithm::from_oid(&req.message_imprint.hash_algorithm.oid) else {
            return reject(0, "unsupported hash algorithm");
        };
        if req.message_imprint.hashed_message.as_bytes().len() != alg.output_len() {
            return reject(5, "imprint length does not match its algorithm");
        }
        if req.req_policy.is_some_and(|p| p != self.policy) {
            return reject(15, "policy not accepted");
        }
        let token = self.issue(&req.message_imprint, req.nonce.clone(), req.cert_req)?;
        TimeStampResp {
            status: PkiStatusInfo {
                status: PkiStatus::Granted,
                status_string: None,
                fail_info: None,
            },
            time_stamp_token: Some(
                der::Any::from_der(&token).map_err(malformed("TimeStampToken"))?,
            ),
        }
        .to_der()
    }
}

/// What a token holds besides the certificate and the signer's issuer name: the `SignedData`
/// frame, `TSTInfo` (policy, an imprint of up to 64 bytes, serial, genTime, accuracy), the
/// signed attributes (contentType, signingTime, messageDigest, signingCertificateV2) and the
/// SM2 signature; about 600 bytes with the longest imprint, rounded up generously.
const TOKEN_OVERHEAD: usize = 1024;

impl Timestamper for LocalTsa<'_> {
    fn timestamp(&self, imprint: &MessageImprint) -> Result<Vec<u8>> {
        self.issue(imprint, None, true)
    }

    /// The certificate twice (it is included, and its issuer name names the signer) plus the
    /// rest of the token.
    fn max_token_len(&self) -> Option<usize> {
        Some(2 * self.certificate_der.len() + TOKEN_OVERHEAD)
    }
}

/// The minimal two's-complement encoding of a non-negative number (DER INTEGER contents).
fn serial_bytes(serial: u64) -> Vec<u8> {
    let bytes = serial.to_be_bytes();
    let first = bytes
        .iter()
        .position(|b| *b != 0)
        .unwrap_or(bytes.len() - 1);
    let mut v = Vec::with_capacity(9);
    if bytes.get(first).is_some_and(|b| b & 0x80 != 0) {
        v.push(0);
    }
    v.extend_from_slice(bytes.get(first..).unwrap_or(&[0]));
    v
}

/// A rejection with one `PKIFailureInfo` bit set (RFC 3161 §2.4.2).
fn reject(bit: usize, text: &str) -> Result<Vec<u8>> {
    let mut bytes = vec![0u8; bit / 8 + 1];
    if let Some(b) = bytes.get_mut(bit / 8) {
        *b |= 0x80 >> (bit % 8);
    }
    let unused = u8::try_from(7 - bit % 8).unwrap_or(0);
    TimeStampResp {
        status: PkiStatusInfo {
            status: PkiStatus::Rejection,
            status_string: Some(vec![text.to_string()]),
            fail_info: Some(BitString::new(unused, bytes).map_err(malformed("failInfo"))?),
        },
        time_stamp_token: None,
    }
    .to_der()
}
