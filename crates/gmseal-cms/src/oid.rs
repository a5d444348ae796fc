//! Object identifiers of PKCS#7 / CMS, RFC 3161 and the signature algorithms this crate reads.
//!
//! The SM identifiers (SM2, SM3, the GM/T 0010 content types) live in [`gmseal_sm2::oid`] and
//! are re-exported here where a caller of this crate needs them.

use der::asn1::ObjectIdentifier;

pub use gmseal_sm2::oid::gmt0010;
pub use gmseal_sm2::oid::{SM2, SM2_SIGN, SM2_WITH_SM3, SM3};

const fn oid(s: &str) -> ObjectIdentifier {
    ObjectIdentifier::new_unwrap(s)
}

/// PKCS#7 `data` (RFC 2315 §8, RFC 5652 §4).
pub const PKCS7_DATA: ObjectIdentifier = oid("1.2.840.113549.1.7.1");
/// PKCS#7 `signedData` (RFC 2315 §9, RFC 5652 §5).
pub const PKCS7_SIGNED_DATA: ObjectIdentifier = oid("1.2.840.113549.1.7.2");

/// `contentType` attribute (RFC 5652 §11.1).
pub const CONTENT_TYPE: ObjectIdentifier = oid("1.2.840.113549.1.9.3");
/// `messageDigest` attribute (RFC 5652 §11.2).
pub const MESSAGE_DIGEST: ObjectIdentifier = oid("1.2.840.113549.1.9.4");
/// `signingTime` attribute (RFC 5652 §11.3).
pub const SIGNING_TIME: ObjectIdentifier = oid("1.2.840.113549.1.9.5");
/// `id-aa-timeStampToken` unsigned attribute (RFC 3161 Appendix A).
pub const TIME_STAMP_TOKEN: ObjectIdentifier = oid("1.2.840.113549.1.9.16.2.14");
/// `id-aa-signingCertificate` (ESS, RFC 2634 §5.4), required in RFC 3161 tokens.
pub const SIGNING_CERTIFICATE: ObjectIdentifier = oid("1.2.840.113549.1.9.16.2.12");
/// `id-aa-signingCertificateV2` (ESS, RFC 5035), allowed in tokens by RFC 5816.
pub const SIGNING_CERTIFICATE_V2: ObjectIdentifier = oid("1.2.840.113549.1.9.16.2.47");
/// `id-ct-TSTInfo` (RFC 3161 §2.4.2).
pub const TST_INFO: ObjectIdentifier = oid("1.2.840.113549.1.9.16.1.4");
/// `id-kp-timeStamping` extended key usage (RFC 3161 §2.3).
pub const KP_TIME_STAMPING: ObjectIdentifier = oid("1.3.6.1.5.5.7.3.8");

/// SHA-1.
pub const SHA1: ObjectIdentifier = oid("1.3.14.3.2.26");
/// SHA-256.
pub const SHA256: ObjectIdentifier = oid("2.16.840.1.101.3.4.2.1");
/// SHA-384.
pub const SHA384: ObjectIdentifier = oid("2.16.840.1.101.3.4.2.2");
/// SHA-512.
pub const SHA512: ObjectIdentifier = oid("2.16.840.1.101.3.4.2.3");

/// `rsaEncryption` (PKCS#1): RSA PKCS#1 v1.5, digest given by the digest algorithm.
pub const RSA_ENCRYPTION: ObjectIdentifier = oid("1.2.840.113549.1.1.1");
/// `sha1WithRSAEncryption`.
pub const SHA1_WITH_RSA: ObjectIdentifier = oid("1.2.840.113549.1.1.5");
/// `sha256WithRSAEncryption`.
pub const SHA256_WITH_RSA: ObjectIdentifier = oid("1.2.840.113549.1.1.11");
/// `sha384WithRSAEncryption`.
pub const SHA384_WITH_RSA: ObjectIdentifier = oid("1.2.840.113549.1.1.12");
/// `sha512WithRSAEncryption`.
pub const SHA512_WITH_RSA: ObjectIdentifier = oid("1.2.840.113549.1.1.13");
/// `id-ecPublicKey`: also written as a CMS signature algorithm by some ECDSA signers.
pub const EC_PUBLIC_KEY: ObjectIdentifier = oid("1.2.840.10045.2.1");
/// `ecdsa-with-SHA1`.
pub const ECDSA_WITH_SHA1: ObjectIdentifier = oid("1.2.840.10045.4.1");
/// `ecdsa-with-SHA256`.
pub const ECDSA_WITH_SHA256: ObjectIdentifier = oid("1.2.840.10045.4.3.2");
/// `ecdsa-with-SHA384`.
pub const ECDSA_WITH_SHA384: ObjectIdentifier = oid("1.2.840.10045.4.3.3");
/// `ecdsa-with-SHA512`.
pub const ECDSA_WITH_SHA512: ObjectIdentifier = oid("1.2.840.10045.4.3.4");
/// NIST P-256 (`secp256r1`).
pub const SECP256R1: ObjectIdentifier = oid("1.2.840.10045.3.1.7");
/// NIST P-384 (`secp384r1`).
pub const SECP384R1: ObjectIdentifier = oid("1.3.132.0.34");

/// Is `oid` a `signedData` content type of either family?
pub fn is_signed_data(oid: &ObjectIdentifier) -> bool {
    *oid == PKCS7_SIGNED_DATA || *oid == gmt0010::SIGNED_DATA
}

/// Is `oid` a `data` content type of either family?
pub fn is_data(oid: &ObjectIdentifier) -> bool {
    *oid == PKCS7_DATA || *oid == gmt0010::DATA
}
