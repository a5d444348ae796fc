//! A container: a signing and an encryption key pair with their certificates
//! (GM/T 0016-2012 §7.5, and the container services of §7.6).

use std::sync::Arc;

use gmseal_sm2::{PublicKey, Signature};

use crate::app::AppInner;
use crate::decode;
use crate::device::{RawHandle, ulong};
use crate::error::{Error, Result, SarCode};
use crate::library::{LibInner, checked_len, func};
use crate::name::Name;
use crate::sys;

/// What a container holds (`SKF_GetContainerType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ContainerType {
    /// Empty or undefined.
    Empty,
    /// RSA key pairs.
    Rsa,
    /// ECC (SM2) key pairs.
    Ecc,
    /// A value the standard does not define.
    Other(u32),
}

/// Which key pair of a container.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyUsage {
    /// The signing key pair (generated on the device).
    Sign,
    /// The encryption key pair (imported wrapped).
    Encrypt,
}

impl KeyUsage {
    fn flag(self) -> sys::BOOL {
        match self {
            KeyUsage::Sign => sys::TRUE,
            KeyUsage::Encrypt => sys::FALSE,
        }
    }
}

/// Largest public key blob read (an RSA blob is 268 bytes).
const MAX_KEY_BLOB: usize = 512;

/// An open container. Cheap to clone; closed (`SKF_CloseContainer`) when the last clone is gone.
#[derive(Clone)]
pub struct Container {
    inner: Arc<ContainerInner>,
}

struct ContainerInner {
    app: Arc<AppInner>,
    handle: RawHandle,
    name: Name,
}

impl Drop for ContainerInner {
    fn drop(&mut self) {
        let lib = &self.app.dev.lib;
        if let Some(f) = lib.fns.SKF_CloseContainer {
            let rc = {
                let _guard = lib.lock();
                // SAFETY: the handle came from this library and is released exactly once.
                unsafe { f(self.handle.0) }
            };
            if let Err(e) = Error::check("SKF_CloseContainer", rc) {
                log::error!("{e}");
            }
        }
    }
}

impl std::fmt::Debug for Container {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Container")
            .field("name", &self.inner.name)
            .finish_non_exhaustive()
    }
}

impl Container {
    pub(crate) fn new(app: Arc<AppInner>, handle: sys::HCONTAINER, name: Name) -> Container {
        Container {
            inner: Arc::new(ContainerInner {
                app,
                handle: RawHandle(handle),
                name,
            }),
        }
    }

    fn lib(&self) -> &LibInner {
        &self.inner.app.dev.lib
    }

    fn h(&self) -> sys::HCONTAINER {
        self.inner.handle.0
    }

    /// The name it was opened by.
    pub fn name(&self) -> &Name {
        &self.inner.name
    }

    /// What the container holds (`SKF_GetContainerType`).
    ///
    /// # Errors
    /// The library's error.
    pub fn container_type(&self) -> Result<ContainerType> {
        let lib = self.lib();
        let f = func!(lib, SKF_GetContainerType);
        let mut t: u32 = 0;
        let rc = {
            let _guard = lib.lock();
            // SAFETY: `t` is a valid ULONG out-slot.
            unsafe { f(self.h(), &mut t) }
        };
        Error::check("SKF_GetContainerType", rc)?;
        Ok(match t {
            sys::CONTAINER_TYPE_EMPTY => ContainerType::Empty,
            sys::CONTAINER_TYPE_RSA => ContainerType::Rsa,
            sys::CONTAINER_TYPE_ECC => ContainerType::Ecc,
            other => ContainerType::Other(other),
        })
    }

    /// The raw public key blob (`SKF_ExportPublicKey`): an `ECCPUBLICKEYBLOB` or an
    /// `RSAPUBLICKEYBLOB`. Needs no PIN.
    ///
    /// # Errors
    /// The library's error or a malformed length.
    pub fn public_key_blob(&self, usage: KeyUsage) -> Result<Vec<u8>> {
        let lib = self.lib();
        let f = func!(lib, SKF_ExportPublicKey);
        // One call with a buffer large enough for either blob: some libraries do not answer
        // the length query for this function.
        let mut buf = vec![0u8; MAX_KEY_BLOB + 2];
        let mut len = MAX_KEY_BLOB as u32;
        let rc = {
            let _guard = lib.lock();
            // SAFETY: `buf` has MAX_KEY_BLOB writable bytes (plus slack), `len` says so.
            unsafe { f(self.h(), usage.flag(), buf.as_mut_ptr(), &mut len) }
        };
        Error::check("SKF_ExportPublicKey", rc)?;
        let n = checked_len("SKF_ExportPublicKey", len, MAX_KEY_BLOB)?;
        buf.truncate(n);
        Ok(buf)
    }

    /// The SM2 public key of a key pair (`SKF_ExportPublicKey`, checked: 132-byte blob, bit
    /// length 256, zero padding, a point of the curve).
    ///
    /// # Errors
    /// The library's error or a malformed blob.
    pub fn public_key(&self, usage: KeyUsage) -> Result<PublicKey> {
        let blob = self.public_key_blob(usage)?;
        decode::ecc_public_key(&blob).map_err(|p| Error::malformed("SKF_ExportPublicKey", p))
    }

    /// The certificate of a key pair (`SKF_ExportCertificate`), `None` when there is none.
    /// Needs no PIN. The bytes are returned as the device holds them (normally DER).
    ///
    /// # Errors
    /// The library's error or a malformed length.
    pub fn certificate(&self, usage: KeyUsage) -> Result<Option<Vec<u8>>> {
        let lib = self.lib();
        let f = func!(lib, SKF_ExportCertificate);
        let h = self.h();
        let flag = usage.flag();
        let _guard = lib.lock();
        let res = lib.two_call("SKF_ExportCertificate", |buf, len| {
            // SAFETY: `buf` is null or has `*len` writable bytes; `len` is a valid ULONG.
            unsafe { f(h, flag, buf, len) }
        });
        match res {
            Ok(der) if der.is_empty() => Ok(None),
            Ok(der) => Ok(Some(der)),
            Err(e) if e.sar_code() == Some(SarCode::CertNotFound) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Store a certificate (`SKF_ImportCertificate`; needs the user PIN).
    ///
    /// # Errors
    /// The library's error.
    pub fn import_certificate(&self, usage: KeyUsage, der: &[u8]) -> Result<()> {
        let lib = self.lib();
        let f = func!(lib, SKF_ImportCertificate);
        let mut copy = der.to_vec();
        let len = ulong(copy.len())?;
        let _guard = lib.lock();
        // SAFETY: `copy` has `len` bytes and outlives the call.
        let rc = unsafe { f(self.h(), usage.flag(), copy.as_mut_ptr(), len) };
        Error::check("SKF_ImportCertificate", rc)
    }

    /// Generate the signing key pair on the device (`SKF_GenECCKeyPair` with the library's
    /// numbering of `SGD_SM2_1`; needs the user PIN).
    ///
    /// # Errors
    /// The library's error (`SAR_INVALIDPARAMERR` often means the other ID numbering, see
    /// [`crate::AlgIdVariant`]) or a malformed blob.
    pub fn generate_sign_key(&self) -> Result<PublicKey> {
        let lib = self.lib();
        let f = func!(lib, SKF_GenECCKeyPair);
        let mut blob = sys::ECCPUBLICKEYBLOB {
            BitLen: 0,
            XCoordinate: [0; 64],
            YCoordinate: [0; 64],
        };
        let rc = {
            let _guard = lib.lock();
            // SAFETY: `blob` is a valid, zeroed ECCPUBLICKEYBLOB to write.
            unsafe { f(self.h(), lib.config.quirks.alg_ids.sm2_sign(), &mut blob) }
        };
        Error::check("SKF_GenECCKeyPair", rc)?;
        decode::ecc_public_key(&decode::ecc_public_key_blob_bytes(&blob))
            .map_err(|p| Error::malformed("SKF_GenECCKeyPair", p))
    }

    /// Sign a 32-byte SM2 prehash `e = SM3(Z ‖ M)` with the signing key (`SKF_ECCSignData`;
    /// needs the user PIN). The returned signature is checked for well-formedness, not
    /// verified; [`crate::SkfSigner`] also verifies it.
    ///
    /// # Errors
    /// The library's error or a malformed signature blob.
    pub fn sign_prehash(&self, e: &[u8; 32]) -> Result<Signature> {
        let lib = self.lib();
        let f = func!(lib, SKF_ECCSignData);
        let mut data = *e;
        let mut blob = sys::ECCSIGNATUREBLOB {
            r: [0; 64],
            s: [0; 64],
        };
        let rc = {
            let _guard = lib.lock();
            // SAFETY: `data` has 32 readable bytes, `blob` is a valid ECCSIGNATUREBLOB to
            // write; both outlive the call.
            unsafe { f(self.h(), data.as_mut_ptr(), 32, &mut blob) }
        };
        Error::check("SKF_ECCSignData", rc)?;
        decode::ecc_signature(&decode::ecc_signature_blob_bytes(&blob))
            .map_err(|p| Error::malformed("SKF_ECCSignData", p))
    }

    /// Device and application this container belongs to, for device-level services.
    pub fn device(&self) -> crate::Device {
        crate::Device {
            inner: self.inner.app.dev.clone(),
        }
    }
}
