//! Timestamps: RFC 3161 and its Chinese profile GB/T 20520-2006.
//!
//! * [`TimeStampReq`]: build a request (SM3 imprint by default, nonce, `certReq`);
//! * [`TimeStampResp`]: read the TSA's answer and take the token out, checking it answers the
//!   request;
//! * [`verify_timestamp_token`]: verify a `TimeStampToken` (SM2, RSA or ECDSA TSA) into a
//!   [`TimestampReport`];
//! * [`LocalTsa`]: a minimal TSA that issues SM2 tokens with a caller-supplied certificate and
//!   [`Sm2Signer`](gmseal_sm2::Sm2Signer), so the whole flow runs offline;
//! * [`Timestamper`]: what [`CmsSigner::timestamper`](crate::CmsSigner::timestamper) calls;
//!   [`LocalTsa`] and (feature `http`) [`HttpTsa`] implement it.
//!
//! `x509-tsp` 0.1.0, the only release, is built on `der` 0.7 / `cms` 0.2 and its types do not
//! mix with the `der` 0.8 / `cms` 0.3 ones used here, so the structures are defined in this
//! module.
//!
// Without the `http` feature `HttpTsa` does not exist in this build: link to its page on docs.rs
// (built with every feature) instead of leaving a broken intra-doc link.
#![cfg_attr(
    not(feature = "http"),
    doc = "[`HttpTsa`]: https://docs.rs/gmseal-cms/latest/gmseal_cms/tsp/struct.HttpTsa.html"
)]

use der::asn1::{BitString, Int, ObjectIdentifier, OctetString};
use der::{Any, Decode, Encode, Enumerated, Sequence};
use spki::AlgorithmIdentifierOwned;
use x509_cert::ext::Extensions;
use x509_cert::ext::pkix::name::GeneralName;

use crate::algorithm::DigestAlgorithm;
use crate::error::{Error, Result, malformed};

mod ess;
#[cfg(feature = "http")]
mod http;
mod time;
mod tsa;
mod verify;

#[cfg(feature = "http")]
pub use http::HttpTsa;
pub use time::GenTime;
pub use tsa::LocalTsa;
pub use verify::{TimestampReport, TimestampedData, verify_timestamp_token};

/// Something that obtains a timestamp token for an imprint: a local TSA, an HTTP client.
pub trait Timestamper {
    /// The digest algorithm the imprint should use (default SM3, GB/T 20520).
    fn digest_algorithm(&self) -> DigestAlgorithm {
        DigestAlgorithm::Sm3
    }

    /// A DER `TimeStampToken` (a `ContentInfo`) for `imprint`.
    ///
    /// # Errors
    /// Whatever the TSA or transport reports.
    fn timestamp(&self, imprint: &MessageImprint) -> Result<Vec<u8>>;

    /// An upper bound on the size of the tokens [`timestamp`](Self::timestamp) returns, when
    /// the timestamper knows one (a local TSA knows its certificate; a remote one does not).
    /// Signers that reserve room for a token ahead of time (a PDF's `/Contents`) use it, and a
    /// generous default otherwise.
    fn max_token_len(&self) -> Option<usize> {
        None
    }
}

/// `MessageImprint` (RFC 3161 §2.4.1).
///
/// ```text
/// MessageImprint ::= SEQUENCE  {
///      hashAlgorithm                AlgorithmIdentifier,
///      hashedMessage                OCTET STRING  }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct MessageImprint {
    /// The digest algorithm.
    pub hash_algorithm: AlgorithmIdentifierOwned,
    /// The digest.
    pub hashed_message: OctetString,
}

impl MessageImprint {
    /// An imprint of a digest computed with `alg` (parameters absent).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the digest length does not fit the algorithm.
    pub fn new(alg: DigestAlgorithm, digest: &[u8]) -> Result<Self> {
        if digest.len() != alg.output_len() {
            return Err(Error::InvalidInput(
                "digest length does not match its algorithm",
            ));
        }
        Ok(MessageImprint {
            hash_algorithm: AlgorithmIdentifierOwned {
                oid: alg.oid(),
                parameters: None,
            },
            hashed_message: OctetString::new(digest).map_err(malformed("MessageImprint"))?,
        })
    }

    /// The imprint of `data` with `alg`.
    ///
    /// # Errors
    /// As [`new`](Self::new) (never for a supported algorithm).
    pub fn of(alg: DigestAlgorithm, data: &[u8]) -> Result<Self> {
        Self::new(alg, &alg.digest(data))
    }

    /// Does this imprint match `data`? `None` when the algorithm is not supported.
    pub fn matches(&self, data: &[u8]) -> Option<bool> {
        let alg = DigestAlgorithm::from_oid(&self.hash_algorithm.oid)?;
        Some(alg.digest(data) == self.hashed_message.as_bytes())
    }
}

/// `TimeStampReq` (RFC 3161 §2.4.1; GB/T 20520-2006 §6.1 uses the same structure).
///
/// ```text
/// TimeStampReq ::= SEQUENCE  {
///    version                      INTEGER  { v1(1) },
///    messageImprint               MessageImprint,
///    reqPolicy             TSAPolicyId              OPTIONAL,
///    nonce                 INTEGER                  OPTIONAL,
///    certReq               BOOLEAN                  DEFAULT FALSE,
///    extensions            [0] IMPLICIT Extensions  OPTIONAL  }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct TimeStampReq {
    /// Always 1.
    pub version: u8,
    /// What is timestamped.
    pub message_imprint: MessageImprint,
    /// The policy asked for.
    #[asn1(optional = "true")]
    pub req_policy: Option<ObjectIdentifier>,
    /// A random number the TSA echoes.
    #[asn1(optional = "true")]
    pub nonce: Option<Int>,
    /// Ask the TSA to include its certificate.
    #[asn1(default = "Default::default")]
    pub cert_req: bool,
    /// Extensions.
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    pub extensions: Option<Extensions>,
}

impl TimeStampReq {
    /// A request for `imprint` with a fresh 64-bit random nonce and `certReq` = TRUE.
    ///
    /// ```
    /// use gmseal_cms::tsp::{MessageImprint, TimeStampReq};
    /// use gmseal_cms::DigestAlgorithm;
    /// let req = TimeStampReq::new(MessageImprint::of(DigestAlgorithm::Sm3, b"signature")?)?;
    /// assert!(req.cert_req && req.nonce.is_some());
    /// let der = req.to_der()?;
    /// # Ok::<(), gmseal_cms::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Random`] if the operating system's random generator fails.
    pub fn new(imprint: MessageImprint) -> Result<Self> {
        let mut nonce = [0u8; 8];
        getrandom::fill(&mut nonce).map_err(|e| Error::Random(e.to_string()))?;
        nonce[0] &= 0x7F; // positive
        nonce[0] |= 0x01; // minimal encoding keeps all 8 bytes
        Ok(TimeStampReq {
            version: 1,
            message_imprint: imprint,
            req_policy: None,
            nonce: Some(Int::new(&nonce).map_err(malformed("nonce"))?),
            cert_req: true,
            extensions: None,
        })
    }

    /// DER.
    ///
    /// # Errors
    /// [`Error::Malformed`] (encoding failure).
    pub fn to_der(&self) -> Result<Vec<u8>> {
        Encode::to_der(self).map_err(malformed("TimeStampReq"))
    }

    /// Decode.
    ///
    /// # Errors
    /// [`Error::Malformed`].
    pub fn from_der(der: &[u8]) -> Result<Self> {
        <Self as Decode>::from_der(der).map_err(malformed("TimeStampReq"))
    }
}

/// `PKIStatus` (RFC 3161 §2.4.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enumerated)]
#[asn1(type = "INTEGER")]
#[repr(u8)]
pub enum PkiStatus {
    /// A token is included.
    Granted = 0,
    /// A token is included, with modifications.
    GrantedWithMods = 1,
    /// Refused.
    Rejection = 2,
    /// Not yet.
    Waiting = 3,
    /// Revocation is imminent.
    RevocationWarning = 4,
    /// Revocation has occurred.
    RevocationNotification = 5,
}

/// `PKIStatusInfo` (RFC 3161 §2.4.2, from RFC 4210).
///
/// ```text
/// PKIStatusInfo ::= SEQUENCE {
///     status        PKIStatus,
///     statusString  PKIFreeText     OPTIONAL,
///     failInfo      PKIFailureInfo  OPTIONAL  }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct PkiStatusInfo {
    /// The status.
    pub status: PkiStatus,
    /// `PKIFreeText ::= SEQUENCE SIZE (1..MAX) OF UTF8String`.
    #[asn1(optional = "true")]
    pub status_string: Option<Vec<String>>,
    /// `PKIFailureInfo ::= BIT STRING`.
    #[asn1(optional = "true")]
    pub fail_info: Option<BitString>,
}

/// `TimeStampResp` (RFC 3161 §2.4.2).
///
/// ```text
/// TimeStampResp ::= SEQUENCE  {
///      status                  PKIStatusInfo,
///      timeStampToken          TimeStampToken     OPTIONAL  }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct TimeStampResp {
    /// The status.
    pub status: PkiStatusInfo,
    /// The token (a `ContentInfo` holding `SignedData`), kept as received.
    #[asn1(optional = "true")]
    pub time_stamp_token: Option<Any>,
}

impl TimeStampResp {
    /// Decode.
    ///
    /// # Errors
    /// [`Error::Malformed`].
    pub fn from_der(der: &[u8]) -> Result<Self> {
        <Self as Decode>::from_der(der).map_err(malformed("TimeStampResp"))
    }

    /// DER.
    ///
    /// # Errors
    /// [`Error::Malformed`] (encoding failure).
    pub fn to_der(&self) -> Result<Vec<u8>> {
        Encode::to_der(self).map_err(malformed("TimeStampResp"))
    }

    /// The token's DER if the status is granted and the token answers `request`: same
    /// imprint, same nonce, same policy if one was asked for (RFC 3161 §2.4.2). The token's
    /// signature is not verified here; use [`verify_timestamp_token`].
    ///
    /// # Errors
    /// [`Error::TimestampRefused`] for a status other than granted,
    /// [`Error::TimestampMismatch`] when the token does not answer the request,
    /// [`Error::Malformed`] when the token does not decode.
    pub fn into_token(self, request: &TimeStampReq) -> Result<Vec<u8>> {
        match self.status.status {
            PkiStatus::Granted | PkiStatus::GrantedWithMods => {}
            other => {
                return Err(Error::TimestampRefused {
                    status: other as u8,
                    fail_info: self.status.fail_info.as_ref().map(fail_bits),
                    text: self.status.status_string.map(|v| v.join("; ")),
                });
            }
        }
        let token = self
            .time_stamp_token
            .ok_or(Error::TimestampMismatch("status granted but no token"))?
            .to_der()
            .map_err(malformed("TimeStampToken"))?;
        let tst = TstInfo::from_token(&token)?;
        if tst.message_imprint != request.message_imprint {
            return Err(Error::TimestampMismatch("message imprint differs"));
        }
        if tst.nonce != request.nonce {
            return Err(Error::TimestampMismatch("nonce differs"));
        }
        if request.req_policy.is_some_and(|p| p != tst.policy) {
            return Err(Error::TimestampMismatch("policy differs"));
        }
        Ok(token)
    }
}

fn fail_bits(bits: &BitString) -> u32 {
    // Bit 0 is the most significant bit of the first octet (X.690 §8.6).
    bits.bits()
        .take(32)
        .enumerate()
        .fold(0u32, |acc, (i, b)| if b { acc | (1 << i) } else { acc })
}

/// `Accuracy` (RFC 3161 §2.4.2).
///
/// ```text
/// Accuracy ::= SEQUENCE {
///      seconds        INTEGER              OPTIONAL,
///      millis     [0] INTEGER  (1..999)    OPTIONAL,
///      micros     [1] INTEGER  (1..999)    OPTIONAL  }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Sequence)]
pub struct Accuracy {
    /// Seconds.
    #[asn1(optional = "true")]
    pub seconds: Option<u32>,
    /// Milliseconds.
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    pub millis: Option<u16>,
    /// Microseconds.
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    pub micros: Option<u16>,
}

/// `TSTInfo` (RFC 3161 §2.4.2; GB/T 20520-2006 §6.2).
///
/// ```text
/// TSTInfo ::= SEQUENCE  {
///    version                      INTEGER  { v1(1) },
///    policy                       TSAPolicyId,
///    messageImprint               MessageImprint,
///    serialNumber                 INTEGER,
///    genTime                      GeneralizedTime,
///    accuracy                     Accuracy                 OPTIONAL,
///    ordering                     BOOLEAN             DEFAULT FALSE,
///    nonce                        INTEGER                  OPTIONAL,
///    tsa                          [0] GeneralName          OPTIONAL,
///    extensions                   [1] IMPLICIT Extensions   OPTIONAL  }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct TstInfo {
    /// Always 1.
    pub version: u8,
    /// The TSA's policy.
    pub policy: ObjectIdentifier,
    /// What was timestamped.
    pub message_imprint: MessageImprint,
    /// Unique per token of this TSA.
    pub serial_number: Int,
    /// The time.
    pub gen_time: GenTime,
    /// Accuracy.
    #[asn1(optional = "true")]
    pub accuracy: Option<Accuracy>,
    /// Ordering.
    #[asn1(default = "Default::default")]
    pub ordering: bool,
    /// The request's nonce.
    #[asn1(optional = "true")]
    pub nonce: Option<Int>,
    /// The TSA's name.
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub tsa: Option<GeneralName>,
    /// Extensions.
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    pub extensions: Option<Extensions>,
}

impl TstInfo {
    /// Take the TSTInfo out of a token without verifying anything.
    ///
    /// # Errors
    /// [`Error::Malformed`] when the token or its content does not decode,
    /// [`Error::TimestampMismatch`] when the content type is not `id-ct-TSTInfo`.
    pub fn from_token(token: &[u8]) -> Result<Self> {
        let parsed = crate::parse::ParsedSignedData::from_der(
            token,
            false,
            &crate::parse::Limits::default(),
        )?;
        if parsed.econtent_type != crate::oid::TST_INFO {
            return Err(Error::TimestampMismatch(
                "content type is not id-ct-TSTInfo",
            ));
        }
        let octets = crate::verify::econtent_octets(&parsed)
            .ok_or(Error::TimestampMismatch("token carries no TSTInfo"))?;
        <Self as Decode>::from_der(octets).map_err(malformed("TSTInfo"))
    }
}
