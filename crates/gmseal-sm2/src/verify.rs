//! Verification with a public key whose Z is computed once.

use signature::hazmat::PrehashVerifier;
use sm2::PublicKey;
use sm2::dsa::{Signature, VerifyingKey};

use crate::digest::MessageHasher;
use crate::distid::{DistId, z_value};
use crate::encoding::{Deviation, SignatureFormat, Strictness, decode};
use crate::error::{Error, Result};

/// An SM2 public key bound to a distinguishing ID, with its Z precomputed.
///
/// Reuse one per key when verifying many signatures (certificate chains, batches): Z costs an
/// SM3 block compression per verification otherwise.
///
/// ```
/// use gmseal_sm2::{DistId, SoftwareSigner, Sm2SignerExt, Sm2VerifyingKey};
/// use gmseal_sm2::encoding::{SignatureFormat, Strictness};
/// let key = SoftwareSigner::generate();
/// let der = key.sign_message_encoded(&DistId::default(), b"hello", SignatureFormat::Der).unwrap();
/// let vk = Sm2VerifyingKey::new(key.public_key(), DistId::default());
/// let tolerated = vk.verify_encoded(b"hello", &der, SignatureFormat::Der, Strictness::Strict).unwrap();
/// assert!(tolerated.is_empty());
/// assert!(vk.verify_encoded(b"hullo", &der, SignatureFormat::Der, Strictness::Strict).is_err());
/// ```
#[derive(Clone, Debug)]
pub struct Sm2VerifyingKey {
    public: PublicKey,
    inner: VerifyingKey,
    id: DistId,
    z: [u8; 32],
}

impl Sm2VerifyingKey {
    /// Bind `public` to `id` and compute Z.
    pub fn new(public: PublicKey, id: DistId) -> Self {
        let z = z_value(&public, &id);
        // The sm2 crate's key is used for prehash verification only, where its own ID plays no
        // part; Z is ours, so IDs that are not UTF-8 work too.
        #[allow(clippy::expect_used)] // fails only for IDs over 8191 bytes; "" is not one
        let inner = VerifyingKey::new("", public).expect("empty ID is always valid");
        Sm2VerifyingKey {
            public,
            inner,
            id,
            z,
        }
    }

    /// The public key.
    pub fn public_key(&self) -> &PublicKey {
        &self.public
    }

    /// The ID.
    pub fn id(&self) -> &DistId {
        &self.id
    }

    /// Z for this key and ID.
    pub fn z(&self) -> &[u8; 32] {
        &self.z
    }

    /// A hasher primed with Z.
    pub fn hasher(&self) -> MessageHasher {
        MessageHasher::with_z(&self.z)
    }

    /// `e = SM3(Z ‖ message)`.
    pub fn digest(&self, message: &[u8]) -> [u8; 32] {
        self.hasher().chain(message).finalize()
    }

    /// Verify a signature over `message`.
    ///
    /// # Errors
    /// [`Error::VerificationFailed`].
    pub fn verify(&self, message: &[u8], signature: &Signature) -> Result<()> {
        self.verify_digest(&self.digest(message), signature)
    }

    /// Verify a signature over a prehash `e`.
    ///
    /// # Errors
    /// [`Error::VerificationFailed`].
    pub fn verify_digest(&self, e: &[u8; 32], signature: &Signature) -> Result<()> {
        self.inner
            .verify_prehash(e, signature)
            .map_err(|_| Error::VerificationFailed)
    }

    /// Decode an encoded signature and verify it over `message`; returns the deviations a
    /// lenient decode tolerated (empty in strict mode).
    ///
    /// # Errors
    /// [`Error::SignatureFormat`] when the bytes do not decode, [`Error::VerificationFailed`]
    /// when they do but the signature is wrong.
    pub fn verify_encoded(
        &self,
        message: &[u8],
        signature: &[u8],
        format: SignatureFormat,
        strictness: Strictness,
    ) -> Result<Vec<Deviation>> {
        self.verify_digest_encoded(&self.digest(message), signature, format, strictness)
    }

    /// As [`verify_encoded`](Self::verify_encoded), over a prehash.
    ///
    /// # Errors
    /// As [`verify_encoded`](Self::verify_encoded).
    pub fn verify_digest_encoded(
        &self,
        e: &[u8; 32],
        signature: &[u8],
        format: SignatureFormat,
        strictness: Strictness,
    ) -> Result<Vec<Deviation>> {
        let decoded = decode(signature, format, strictness)?;
        self.verify_digest(e, &decoded.signature)?;
        Ok(decoded.deviations)
    }
}

impl signature::Verifier<Signature> for Sm2VerifyingKey {
    fn verify(&self, msg: &[u8], signature: &Signature) -> signature::Result<()> {
        Sm2VerifyingKey::verify(self, msg, signature).map_err(signature::Error::from_source)
    }
}
