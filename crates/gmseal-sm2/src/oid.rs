//! Object identifiers of the SM algorithms and of the GM/T 0010 message syntax.
//!
//! The OID database of `const-oid` has no `1.2.156.10197` arc, so the identifiers the workspace
//! needs are collected here, one constant each, grouped by the document that assigns them
//! (GM/T 0006-2012 / GB/T 33560-2017 for algorithms, GM/T 0010-2012 / GB/T 35275-2017 for the
//! signed-message content types).

use der::asn1::ObjectIdentifier;

/// `id-ecPublicKey` (RFC 5480): the key algorithm of SM2 public keys in X.509 and PKCS#8.
pub const ID_EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");

/// `sm2p256v1` / SM2 (GM/T 0006): the curve, and in some files also the key algorithm.
pub const SM2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.156.10197.1.301");
/// SM2-1, the SM2 digital signature algorithm (GM/T 0006; the `digestEncryptionAlgorithm` of
/// GB/T 35275 SignedData).
pub const SM2_SIGN: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.156.10197.1.301.1");
/// SM2-2, the SM2 key exchange protocol.
pub const SM2_KEY_EXCHANGE: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.156.10197.1.301.2");
/// SM2-3, SM2 public-key encryption.
pub const SM2_ENCRYPT: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.156.10197.1.301.3");

/// SM3 hash algorithm.
pub const SM3: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.156.10197.1.401");
/// HMAC with SM3.
pub const HMAC_SM3: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.156.10197.1.401.2");

/// SM2 signature with SM3 (`sm2sign-with-sm3`, "SM3withSM2"): certificates, CRLs, seals.
pub const SM2_WITH_SM3: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.156.10197.1.501");
/// SM2 signature with SHA-1 (seen in old tables; not produced by gmseal).
pub const SM2_WITH_SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.156.10197.1.502");
/// SM2 signature with SHA-256 (seen in old tables; not produced by gmseal).
pub const SM2_WITH_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.156.10197.1.503");
/// RSA signature with SM3.
pub const RSA_WITH_SM3: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.156.10197.1.504");

/// SM4 block cipher.
pub const SM4: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.156.10197.1.104");
/// SM4 in ECB mode.
pub const SM4_ECB: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.156.10197.1.104.1");
/// SM4 in CBC mode (parameters: the IV as an OCTET STRING).
pub const SM4_CBC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.156.10197.1.104.2");
/// SM4 in OFB mode.
pub const SM4_OFB: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.156.10197.1.104.3");
/// SM4 in CFB mode.
pub const SM4_CFB: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.156.10197.1.104.4");
/// SM4 in CTR mode.
pub const SM4_CTR: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.156.10197.1.104.7");
/// SM4 in GCM mode.
pub const SM4_GCM: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.156.10197.1.104.8");

/// Content types of GM/T 0010-2012 / GB/T 35275-2017 (the SM2 profile of PKCS#7).
pub mod gmt0010 {
    use der::asn1::ObjectIdentifier;

    /// `data`.
    pub const DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.156.10197.6.1.4.2.1");
    /// `signedData`.
    pub const SIGNED_DATA: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("1.2.156.10197.6.1.4.2.2");
    /// `envelopedData`.
    pub const ENVELOPED_DATA: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("1.2.156.10197.6.1.4.2.3");
    /// `signedAndEnvelopedData`.
    pub const SIGNED_AND_ENVELOPED_DATA: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("1.2.156.10197.6.1.4.2.4");
    /// `encryptedData`.
    pub const ENCRYPTED_DATA: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("1.2.156.10197.6.1.4.2.5");
    /// `keyAgreementInfo`.
    pub const KEY_AGREEMENT_INFO: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("1.2.156.10197.6.1.4.2.6");
}

/// Is `oid` one of the identifiers real files use for an SM2 signature with SM3?
///
/// GB/T 35275 names SM2-1 (`1.2.156.10197.1.301.1`), certificates use `sm2sign-with-sm3`
/// (`1.2.156.10197.1.501`), and some signers write the bare curve OID (`1.2.156.10197.1.301`).
pub fn is_sm2_signature_algorithm(oid: &ObjectIdentifier) -> bool {
    *oid == SM2_WITH_SM3 || *oid == SM2_SIGN || *oid == SM2
}

/// A human-readable name for the SM OIDs of this module, for reports.
pub fn name(oid: &ObjectIdentifier) -> Option<&'static str> {
    const NAMES: &[(ObjectIdentifier, &str)] = &[
        (ID_EC_PUBLIC_KEY, "id-ecPublicKey"),
        (SM2, "sm2p256v1"),
        (SM2_SIGN, "sm2-1 (SM2 signature)"),
        (SM2_KEY_EXCHANGE, "sm2-2 (SM2 key exchange)"),
        (SM2_ENCRYPT, "sm2-3 (SM2 encryption)"),
        (SM3, "sm3"),
        (HMAC_SM3, "hmac-sm3"),
        (SM2_WITH_SM3, "sm2sign-with-sm3"),
        (SM2_WITH_SHA1, "sm2sign-with-sha1"),
        (SM2_WITH_SHA256, "sm2sign-with-sha256"),
        (RSA_WITH_SM3, "rsa-with-sm3"),
        (SM4, "sm4"),
        (SM4_ECB, "sm4-ecb"),
        (SM4_CBC, "sm4-cbc"),
        (SM4_OFB, "sm4-ofb"),
        (SM4_CFB, "sm4-cfb"),
        (SM4_CTR, "sm4-ctr"),
        (SM4_GCM, "sm4-gcm"),
        (gmt0010::DATA, "gmt0010-data"),
        (gmt0010::SIGNED_DATA, "gmt0010-signedData"),
        (gmt0010::ENVELOPED_DATA, "gmt0010-envelopedData"),
        (
            gmt0010::SIGNED_AND_ENVELOPED_DATA,
            "gmt0010-signedAndEnvelopedData",
        ),
        (gmt0010::ENCRYPTED_DATA, "gmt0010-encryptedData"),
        (gmt0010::KEY_AGREEMENT_INFO, "gmt0010-keyAgreementInfo"),
    ];
    NAMES.iter().find(|(o, _)| o == oid).map(|(_, n)| *n)
}
