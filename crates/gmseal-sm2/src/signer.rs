//! The signer abstraction: anything that signs an SM2 prehash `e` and knows its public key.
//!
//! Seal making, seal signing, PDF and OFD signing and SystemRegister signing take a
//! `&dyn Sm2Signer`. A software key ([`SoftwareSigner`]), an SKF device container or a remote
//! signing service plug in by implementing two traits of the `signature` crate:
//!
//! * [`PrehashSigner<Signature>`]: sign the 32-byte `e = SM3(Z ‖ M)`;
//! * [`Keypair`] with `VerifyingKey = sm2::PublicKey`: the public key, from which Z is computed.
//!
//! Z and e are always computed here, in software, from the public key and the
//! [`DistId`](crate::DistId); the key only ever sees `e`. This is what SKF devices expect
//! (`SKF_ECCSignData` takes the digest) and it keeps the ID handling in one place.
//!
//! ```
//! use gmseal_sm2::{DistId, SoftwareSigner, Sm2Signer, Sm2SignerExt, Sm2VerifyingKey};
//!
//! fn seal(signer: &dyn Sm2Signer, data: &[u8]) -> gmseal_sm2::Result<sm2::dsa::Signature> {
//!     signer.sign_message(&DistId::default(), data)
//! }
//!
//! let key = SoftwareSigner::generate();
//! let sig = seal(&key, b"document").unwrap();
//! let vk = Sm2VerifyingKey::new(key.public_key(), DistId::default());
//! vk.verify(b"document", &sig).unwrap();
//! ```
//!
//! A hardware key implements the two traits:
//!
//! ```
//! use gmseal_sm2::signature::{Error, Keypair, hazmat::PrehashSigner};
//! use sm2::{PublicKey, dsa::Signature};
//!
//! struct Token { public: PublicKey /* , device handle ... */ }
//!
//! impl Keypair for Token {
//!     type VerifyingKey = PublicKey;
//!     fn verifying_key(&self) -> PublicKey { self.public }
//! }
//! impl PrehashSigner<Signature> for Token {
//!     fn sign_prehash(&self, e: &[u8]) -> Result<Signature, Error> {
//!         // send e to the device, convert the r||s it returns
//! #       let _ = e;
//!         Err(Error::new())
//!     }
//! }
//! // `Token` is now a `gmseal_sm2::Sm2Signer`.
//! fn assert_signer<T: gmseal_sm2::Sm2Signer>() {}
//! assert_signer::<Token>();
//! ```

use signature::Keypair;
use signature::hazmat::PrehashSigner;
use sm2::dsa::{Signature, SigningKey};
use sm2::elliptic_curve::Generate;
use sm2::{PublicKey, SecretKey};

use crate::digest::MessageHasher;
use crate::distid::DistId;
use crate::encoding::{SignatureFormat, encode};
use crate::error::{Error, KeyError, Result};
use crate::key;
use crate::verify::Sm2VerifyingKey;

/// An SM2 signing key: signs a prehash `e` and tells its public key.
///
/// Implemented for every type that implements [`PrehashSigner<Signature>`] and [`Keypair`] with
/// `VerifyingKey = PublicKey`. Object safe: take `&dyn Sm2Signer`.
pub trait Sm2Signer: PrehashSigner<Signature> + Keypair<VerifyingKey = PublicKey> {}

impl<T> Sm2Signer for T where
    T: PrehashSigner<Signature> + Keypair<VerifyingKey = PublicKey> + ?Sized
{
}

/// Conveniences on every [`Sm2Signer`]: hashing with Z and encoding.
pub trait Sm2SignerExt: Sm2Signer {
    /// The public key.
    fn public_key(&self) -> PublicKey {
        self.verifying_key()
    }

    /// A hasher primed with this key's Z for `id`; feed it the message, then
    /// [`sign_digest`](Self::sign_digest) the result.
    fn message_hasher(&self, id: &DistId) -> MessageHasher {
        MessageHasher::new(&self.verifying_key(), id)
    }

    /// Sign a prehash `e`.
    ///
    /// # Errors
    /// [`Error::Signer`] when the key (device, service) fails.
    fn sign_digest(&self, e: &[u8; 32]) -> Result<Signature> {
        self.sign_prehash(e).map_err(Error::Signer)
    }

    /// Sign `message` with Z over `id`: `sign(SM3(Z ‖ message))`.
    ///
    /// # Errors
    /// [`Error::Signer`] when the key fails.
    fn sign_message(&self, id: &DistId, message: &[u8]) -> Result<Signature> {
        let e = self.message_hasher(id).chain(message).finalize();
        self.sign_digest(&e)
    }

    /// Sign and encode.
    ///
    /// # Errors
    /// [`Error::Signer`] when the key fails.
    fn sign_message_encoded(
        &self,
        id: &DistId,
        message: &[u8],
        format: SignatureFormat,
    ) -> Result<Vec<u8>> {
        self.sign_message(id, message).map(|s| encode(&s, format))
    }

    /// Sign, then verify the result under the public key before returning it. Use with devices
    /// and remote services, whose output is not trusted blindly.
    ///
    /// # Errors
    /// [`Error::Signer`] when the key fails, [`Error::SignerMisbehaved`] when its signature does
    /// not verify.
    fn sign_message_checked(&self, id: &DistId, message: &[u8]) -> Result<Signature> {
        let vk = Sm2VerifyingKey::new(self.verifying_key(), id.clone());
        let e = vk.digest(message);
        let sig = self.sign_digest(&e)?;
        vk.verify_digest(&e, &sig)
            .map_err(|_| Error::SignerMisbehaved)?;
        Ok(sig)
    }
}

impl<T: Sm2Signer + ?Sized> Sm2SignerExt for T {}

/// A software SM2 key held in memory (zeroised on drop).
#[derive(Clone)]
pub struct SoftwareSigner {
    secret: SecretKey,
    signing: SigningKey,
    public: PublicKey,
}

impl core::fmt::Debug for SoftwareSigner {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SoftwareSigner")
            .field("public", &hex_point(&self.public))
            .finish_non_exhaustive()
    }
}

fn hex_point(pk: &PublicKey) -> String {
    pk.to_sec1_bytes()
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect()
}

impl SoftwareSigner {
    /// A fresh random key from the operating system's generator.
    ///
    /// # Panics
    /// Never in practice: only if the operating system's random generator is unavailable.
    #[allow(clippy::expect_used)]
    pub fn generate() -> Self {
        Self::try_generate().expect("operating system random generator failed")
    }

    /// A fresh random key.
    ///
    /// # Errors
    /// [`Error::Signer`] if the operating system's random generator fails.
    pub fn try_generate() -> Result<Self> {
        let secret = SecretKey::try_generate()
            .map_err(|e| Error::Signer(signature::Error::from_source(e)))?;
        Ok(Self::from_secret_key(secret))
    }

    /// Wrap an existing secret key.
    pub fn from_secret_key(secret: SecretKey) -> Self {
        let public = secret.public_key();
        // The sm2 crate's key is used for prehash signing only, where its ID plays no part.
        #[allow(clippy::expect_used)] // fails only for IDs over 8191 bytes; "" is not one
        let signing = SigningKey::new("", &secret).expect("empty ID is always valid");
        SoftwareSigner {
            secret,
            signing,
            public,
        }
    }

    /// A key from 32 big-endian bytes.
    ///
    /// # Errors
    /// [`KeyError::InvalidScalar`] for zero or values not below n.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let secret = SecretKey::from_slice(bytes).map_err(|_| KeyError::InvalidScalar)?;
        Ok(Self::from_secret_key(secret))
    }

    /// Load from PEM or DER (see [`key::load_private_key`]).
    ///
    /// # Errors
    /// The [`KeyError`] of the loader.
    pub fn from_pem_or_der(input: &[u8], password: Option<&[u8]>) -> Result<Self> {
        Ok(Self::from_secret_key(
            key::load_private_key(input, password)?.secret,
        ))
    }

    /// The public key.
    pub fn public_key(&self) -> PublicKey {
        self.public
    }

    /// The secret key.
    pub fn secret_key(&self) -> &SecretKey {
        &self.secret
    }

    /// The private key as unencrypted PKCS#8 PEM.
    pub fn to_pkcs8_pem(&self) -> zeroize::Zeroizing<String> {
        key::private_key_to_pem(&self.secret)
    }
}

impl Keypair for SoftwareSigner {
    type VerifyingKey = PublicKey;

    fn verifying_key(&self) -> PublicKey {
        self.public
    }
}

impl PrehashSigner<Signature> for SoftwareSigner {
    fn sign_prehash(&self, prehash: &[u8]) -> signature::Result<Signature> {
        if prehash.len() != 32 {
            return Err(signature::Error::from_source(Error::DigestLength {
                len: prehash.len(),
            }));
        }
        self.signing.sign_prehash(prehash)
    }
}
