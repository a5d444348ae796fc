//! An SKF container as a [`gmseal_sm2::Sm2Signer`].
//!
//! gmseal computes `Z` from the exported public key and the ID, hashes the message into
//! `e = SM3(Z ‖ M)`, and the device signs `e` only (`SKF_ECCSignData`). The signature blob's
//! right-aligned 64-byte `r` and `s` are converted and checked, and by default each signature is
//! verified under the public key before it is returned, so a faulty device cannot produce a
//! seal that does not verify.

use std::path::PathBuf;

use gmseal_sm2::signature::hazmat::PrehashSigner;
use gmseal_sm2::signature::{self, Keypair};
use gmseal_sm2::{DistId, PublicKey, Signature, Sm2VerifyingKey};
use zeroize::Zeroizing;

use crate::app::{Application, PinType};
use crate::container::{Container, ContainerType, KeyUsage};
use crate::error::{Error, Result};
use crate::library::Skf;
use crate::quirks::LibraryConfig;

/// The signing key of an SKF container.
///
/// ```no_run
/// use gmseal_skf::{SignerConfig, SkfSigner};
/// use gmseal_sm2::{DistId, Sm2SignerExt};
///
/// let config = SignerConfig::new("/opt/vendor/lib/libskf.so", "SEAL_APP", "SEAL_CON", "12345678");
/// let signer = SkfSigner::open(&config)?;
/// let signature = signer.sign_message(&DistId::default(), b"document")?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct SkfSigner {
    container: Container,
    application: Application,
    public_key: PublicKey,
    certificate: Option<Vec<u8>>,
    verify: bool,
}

impl std::fmt::Debug for SkfSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SkfSigner")
            .field("container", &self.container)
            .field("certificate", &self.certificate.as_ref().map(Vec::len))
            .field("verify", &self.verify)
            .finish_non_exhaustive()
    }
}

/// Where a signing key is: library, device, application, container and the user PIN.
#[derive(Clone)]
#[non_exhaustive]
pub struct SignerConfig {
    /// Path of the vendor's SKF library.
    pub library: PathBuf,
    /// How to open it.
    pub library_config: LibraryConfig,
    /// Device name; `None` for the first present device.
    pub device: Option<String>,
    /// Application name.
    pub application: String,
    /// Container name.
    pub container: String,
    /// User PIN.
    pub pin: Zeroizing<String>,
}

impl std::fmt::Debug for SignerConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignerConfig")
            .field("library", &self.library)
            .field("library_config", &self.library_config)
            .field("device", &self.device)
            .field("application", &self.application)
            .field("container", &self.container)
            .finish_non_exhaustive()
    }
}

impl SignerConfig {
    /// A configuration with the standard quirks and the first present device.
    pub fn new(
        library: impl Into<PathBuf>,
        application: impl Into<String>,
        container: impl Into<String>,
        pin: impl Into<String>,
    ) -> SignerConfig {
        SignerConfig {
            library: library.into(),
            library_config: LibraryConfig::default(),
            device: None,
            application: application.into(),
            container: container.into(),
            pin: Zeroizing::new(pin.into()),
        }
    }

    /// Use the named device.
    #[must_use]
    pub fn device(mut self, name: impl Into<String>) -> Self {
        self.device = Some(name.into());
        self
    }

    /// Open the library with this configuration (quirks, limits).
    #[must_use]
    pub fn library_config(mut self, config: LibraryConfig) -> Self {
        self.library_config = config;
        self
    }
}

impl SkfSigner {
    /// Load the library, connect, open the application, verify the user PIN and open the
    /// container.
    ///
    /// # Errors
    /// Any step's error: [`Error::PinIncorrect`] with the tries left, [`Error::NotFound`] for
    /// a missing device, the library's `SAR_*` codes otherwise.
    pub fn open(config: &SignerConfig) -> Result<SkfSigner> {
        let skf = Skf::open(&config.library, config.library_config.clone())?;
        let device = match &config.device {
            Some(name) => skf.connect(name.as_str())?,
            None => skf.connect_first()?,
        };
        let app = device.open_application(config.application.as_str())?;
        app.verify_pin(PinType::User, &config.pin)?;
        let container = app.open_container(config.container.as_str())?;
        SkfSigner::new(app, container)
    }

    /// A signer from an open container; `application` is the one it was opened from, with the
    /// user PIN verified.
    ///
    /// # Errors
    /// [`Error::NotAnEccContainer`] unless the container holds an SM2 key pair;
    /// [`Error::CertificateKeyMismatch`] when the signing certificate's key is not the
    /// container's; the library's error.
    pub fn new(application: Application, container: Container) -> Result<SkfSigner> {
        match container.container_type()? {
            ContainerType::Ecc => {}
            ContainerType::Empty => return Err(Error::NotAnEccContainer { container_type: 0 }),
            ContainerType::Rsa => return Err(Error::NotAnEccContainer { container_type: 1 }),
            ContainerType::Other(t) => return Err(Error::NotAnEccContainer { container_type: t }),
        }
        let public_key = container.public_key(KeyUsage::Sign)?;
        let certificate = container.certificate(KeyUsage::Sign)?;
        if let Some(der) = &certificate {
            let in_cert = gmseal_sm2::key::public_key_from_certificate_der(der)
                .map_err(gmseal_sm2::Error::from)?;
            if in_cert.key != public_key {
                return Err(Error::CertificateKeyMismatch);
            }
        }
        Ok(SkfSigner {
            container,
            application,
            public_key,
            certificate,
            verify: true,
        })
    }

    /// The signing certificate stored in the container (DER), if any.
    pub fn certificate(&self) -> Option<&[u8]> {
        self.certificate.as_deref()
    }

    /// The container.
    pub fn container(&self) -> &Container {
        &self.container
    }

    /// The application (e.g. to check the PIN state or clear it).
    pub fn application(&self) -> &Application {
        &self.application
    }

    /// Verify every signature under the public key before returning it (the default). Turn off
    /// only where the verification cost matters and the device is trusted.
    pub fn set_verify_signatures(&mut self, verify: bool) {
        self.verify = verify;
    }

    /// Sign a prehash, returning the binding's error type.
    ///
    /// # Errors
    /// The library's error, a malformed blob, or [`Error::SignatureDoesNotVerify`].
    pub fn sign_e(&self, e: &[u8; 32]) -> Result<Signature> {
        let sig = self.container.sign_prehash(e)?;
        if self.verify {
            // Z plays no part in verifying a prehash; the ID given here is unused.
            Sm2VerifyingKey::new(self.public_key, DistId::default())
                .verify_digest(e, &sig)
                .map_err(|_| Error::SignatureDoesNotVerify)?;
        }
        Ok(sig)
    }
}

impl Keypair for SkfSigner {
    type VerifyingKey = PublicKey;

    fn verifying_key(&self) -> PublicKey {
        self.public_key
    }
}

impl PrehashSigner<Signature> for SkfSigner {
    fn sign_prehash(&self, prehash: &[u8]) -> signature::Result<Signature> {
        let e = <&[u8; 32]>::try_from(prehash).map_err(|_| {
            signature::Error::from_source(Error::Sm2(gmseal_sm2::Error::DigestLength {
                len: prehash.len(),
            }))
        })?;
        self.sign_e(e).map_err(signature::Error::from_source)
    }
}
