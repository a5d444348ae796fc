//! A connected device (GM/T 0016-2012 §7.1, and the device-level services of §7.6).

use std::ptr;
use std::sync::Arc;

use gmseal_sm2::{DistId, PublicKey, Signature};

use crate::app::Application;
use crate::crypto::{Hash, HashAlg, SessionKey, SymAlg};
use crate::decode::{self, DevInfo};
use crate::error::{ArgumentError, Error, Malformed, Result};
use crate::library::{LibInner, func};
use crate::name::{AsName, Name, c_name};
use crate::sys;

/// A raw handle of the library. It is only ever passed back to the library that returned it,
/// under that library's call lock.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RawHandle(pub(crate) sys::HANDLE);

// SAFETY: the handle is an opaque token of the library, never dereferenced by us; every use
// passes it to the library while holding the library's call lock, so no two threads use the
// library (and thus the handle) at the same time.
unsafe impl Send for RawHandle {}
// SAFETY: as above.
unsafe impl Sync for RawHandle {}

/// A connected device. Cheap to clone; disconnected (`SKF_DisConnectDev`) when the last clone
/// and every application, hash and key opened from it are gone.
#[derive(Clone)]
pub struct Device {
    pub(crate) inner: Arc<DeviceInner>,
}

pub(crate) struct DeviceInner {
    pub(crate) lib: Arc<LibInner>,
    pub(crate) handle: RawHandle,
    name: Name,
}

impl Drop for DeviceInner {
    fn drop(&mut self) {
        if let Some(f) = self.lib.fns.SKF_DisConnectDev {
            let rc = {
                let _guard = self.lib.lock();
                // SAFETY: the handle came from SKF_ConnectDev of this library and is released
                // exactly once, here.
                unsafe { f(self.handle.0) }
            };
            if let Err(e) = Error::check("SKF_DisConnectDev", rc) {
                log::error!("{e}");
            }
        }
    }
}

impl std::fmt::Debug for Device {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Device")
            .field("name", &self.inner.name)
            .finish_non_exhaustive()
    }
}

impl Device {
    pub(crate) fn new(lib: Arc<LibInner>, handle: sys::DEVHANDLE, name: Name) -> Device {
        Device {
            inner: Arc::new(DeviceInner {
                lib,
                handle: RawHandle(handle),
                name,
            }),
        }
    }

    fn lib(&self) -> &LibInner {
        &self.inner.lib
    }

    /// The name it was connected by.
    pub fn name(&self) -> &Name {
        &self.inner.name
    }

    /// Device information (`SKF_GetDevInfo`), read in the library's [`crate::DevInfoLayout`].
    ///
    /// # Errors
    /// The library's error.
    pub fn info(&self) -> Result<DevInfo> {
        let lib = self.lib();
        let f = func!(lib, SKF_GetDevInfo);
        // Larger than every layout (286, 294, 296 bytes), zeroed, and 4-byte aligned (a library
        // built without packing may store its ULONGs aligned): a library built with another
        // layout than configured writes inside the buffer and is read as garbage, not UB.
        let mut words = [0u32; 128];
        let rc = {
            let _guard = lib.lock();
            // SAFETY: `words` has 512 writable bytes, more than any DEVINFO layout, aligned for
            // every field type.
            unsafe { f(self.inner.handle.0, words.as_mut_ptr().cast()) }
        };
        Error::check("SKF_GetDevInfo", rc)?;
        let buf: Vec<u8> = words.iter().flat_map(|w| w.to_ne_bytes()).collect();
        DevInfo::parse(
            &buf,
            lib.config.quirks.devinfo_layout,
            lib.config.quirks.name_encoding,
        )
        .map_err(|p| Error::malformed("SKF_GetDevInfo", p))
    }

    /// Lock the device for exclusive use (`SKF_LockDev`); `timeout_ms` of `u32::MAX` waits for
    /// ever.
    ///
    /// # Errors
    /// The library's error (e.g. `SAR_TIMEOUTERR`).
    pub fn lock(&self, timeout_ms: u32) -> Result<()> {
        let lib = self.lib();
        let f = func!(lib, SKF_LockDev);
        let _guard = lib.lock();
        // SAFETY: a valid device handle of this library.
        Error::check("SKF_LockDev", unsafe { f(self.inner.handle.0, timeout_ms) })
    }

    /// Release [`Device::lock`] (`SKF_UnlockDev`).
    ///
    /// # Errors
    /// The library's error.
    pub fn unlock(&self) -> Result<()> {
        let lib = self.lib();
        let f = func!(lib, SKF_UnlockDev);
        let _guard = lib.lock();
        // SAFETY: a valid device handle of this library.
        Error::check("SKF_UnlockDev", unsafe { f(self.inner.handle.0) })
    }

    /// `len` random bytes from the device (`SKF_GenRandom`).
    ///
    /// # Errors
    /// The library's error; [`ArgumentError::TooLong`] above the configured answer limit.
    pub fn random(&self, len: usize) -> Result<Vec<u8>> {
        let lib = self.lib();
        let f = func!(lib, SKF_GenRandom);
        if len > lib.config.max_answer_len {
            return Err(ArgumentError::TooLong {
                what: "random request",
                len,
                limit: lib.config.max_answer_len,
            }
            .into());
        }
        let ulen = ulong(len)?;
        let mut buf = vec![0u8; len];
        let rc = {
            let _guard = lib.lock();
            // SAFETY: `buf` has `ulen` writable bytes and outlives the call.
            unsafe { f(self.inner.handle.0, buf.as_mut_ptr(), ulen) }
        };
        Error::check("SKF_GenRandom", rc)?;
        Ok(buf)
    }

    /// The applications on the device (`SKF_EnumApplication`).
    ///
    /// # Errors
    /// The library's error, or a malformed name list.
    pub fn applications(&self) -> Result<Vec<Name>> {
        let lib = self.lib();
        let f = func!(lib, SKF_EnumApplication);
        let h = self.inner.handle.0;
        let _guard = lib.lock();
        lib.name_list("SKF_EnumApplication", |buf, len| {
            // SAFETY: `buf` is null or has `*len` writable bytes; `len` is a valid ULONG.
            unsafe { f(h, buf.cast(), len) }
        })
    }

    /// Open an application (`SKF_OpenApplication`).
    ///
    /// # Errors
    /// The library's error (`SAR_APPLICATION_NOT_EXISTS`, ...).
    pub fn open_application(&self, name: impl AsName) -> Result<Application> {
        let lib = self.lib();
        let f = func!(lib, SKF_OpenApplication);
        let enc = lib.config.quirks.name_encoding;
        let bytes = name.name_bytes(enc)?;
        let mut cname = c_name(&crate::RawName(&bytes), enc)?;
        let mut handle: sys::HAPPLICATION = ptr::null_mut();
        let rc = {
            let _guard = lib.lock();
            // SAFETY: `cname` is NUL-terminated, `handle` a valid out-slot; both outlive the
            // call.
            unsafe { f(self.inner.handle.0, cname.as_mut_ptr().cast(), &mut handle) }
        };
        Error::check("SKF_OpenApplication", rc)?;
        if handle.is_null() {
            return Err(Error::malformed(
                "SKF_OpenApplication",
                Malformed::NullHandle,
            ));
        }
        Ok(Application::new(
            self.inner.clone(),
            handle,
            Name::decode(&bytes, enc),
        ))
    }

    /// Verify an SM2 signature of a prehash `e` on the device (`SKF_ECCVerify`).
    ///
    /// # Errors
    /// The library's error when the signature does not verify (vendors differ in which code
    /// they return).
    pub fn ecc_verify(
        &self,
        public_key: &PublicKey,
        e: &[u8; 32],
        signature: &Signature,
    ) -> Result<()> {
        let lib = self.lib();
        let f = func!(lib, SKF_ECCVerify);
        let mut blob = decode::ecc_public_key_blob(public_key);
        let mut sig = decode::ecc_signature_blob(signature);
        let mut data = *e;
        let _guard = lib.lock();
        // SAFETY: the blobs and `data` are valid, correctly sized structures that outlive the
        // call; the library only reads them.
        let rc = unsafe {
            f(
                self.inner.handle.0,
                &mut blob,
                data.as_mut_ptr(),
                32,
                &mut sig,
            )
        };
        Error::check("SKF_ECCVerify", rc)
    }

    /// Start a digest on the device (`SKF_DigestInit`). With `z = Some((key, id))` and SM3 the
    /// device prepends Z (GM/T 0016-2012 §7.6.34), so the result is the SM2 prehash `e`.
    ///
    /// # Errors
    /// The library's error.
    pub fn digest(&self, alg: HashAlg, z: Option<(&PublicKey, &DistId)>) -> Result<Hash> {
        let lib = self.lib();
        let f = func!(lib, SKF_DigestInit);
        let mut blob = z.map(|(k, _)| decode::ecc_public_key_blob(k));
        let mut id: Vec<u8> = z.map(|(_, id)| id.as_bytes().to_vec()).unwrap_or_default();
        let id_len = ulong(id.len())?;
        let blob_ptr = blob
            .as_mut()
            .map_or(ptr::null_mut(), |b| b as *mut sys::ECCPUBLICKEYBLOB);
        let id_ptr = if id.is_empty() {
            ptr::null_mut()
        } else {
            id.as_mut_ptr()
        };
        let mut handle: sys::HANDLE = ptr::null_mut();
        let rc = {
            let _guard = lib.lock();
            // SAFETY: `blob_ptr` is null or points at a valid blob, `id_ptr` at `id_len` bytes
            // (or null with length 0); both outlive the call; `handle` is a valid out-slot.
            unsafe {
                f(
                    self.inner.handle.0,
                    alg.id(),
                    blob_ptr,
                    id_ptr,
                    id_len,
                    &mut handle,
                )
            }
        };
        Error::check("SKF_DigestInit", rc)?;
        if handle.is_null() {
            return Err(Error::malformed("SKF_DigestInit", Malformed::NullHandle));
        }
        Ok(Hash::new(self.inner.clone(), handle))
    }

    /// `e = SM3(Z ‖ message)` computed by the device: a cross-check of gmseal's own
    /// computation (which is what signing uses).
    ///
    /// # Errors
    /// The library's error or a digest of the wrong length.
    pub fn sm2_prehash(&self, key: &PublicKey, id: &DistId, message: &[u8]) -> Result<[u8; 32]> {
        let mut h = self.digest(HashAlg::Sm3, Some((key, id)))?;
        h.update(message)?;
        let out = h.finalize()?;
        <[u8; 32]>::try_from(out.as_slice()).map_err(|_| {
            Error::malformed(
                "SKF_DigestFinal",
                Malformed::DigestLength { len: out.len() },
            )
        })
    }

    /// Import a plain symmetric key as a session key (`SKF_SetSymmKey`), for
    /// [`SessionKey::encrypt`] and [`SessionKey::decrypt`].
    ///
    /// # Errors
    /// [`ArgumentError::TooLong`] unless the key has 16 bytes; the library's error (the device
    /// may not offer the algorithm).
    pub fn set_symmetric_key(&self, alg: SymAlg, key: &[u8]) -> Result<SessionKey> {
        let lib = self.lib();
        let f = func!(lib, SKF_SetSymmKey);
        if key.len() != 16 {
            return Err(ArgumentError::TooLong {
                what: "SM4 key",
                len: key.len(),
                limit: 16,
            }
            .into());
        }
        let mut k = zeroize::Zeroizing::new(key.to_vec());
        let mut handle: sys::HANDLE = ptr::null_mut();
        let rc = {
            let _guard = lib.lock();
            // SAFETY: `k` holds the 16 key bytes the algorithm reads; `handle` is a valid
            // out-slot.
            unsafe { f(self.inner.handle.0, k.as_mut_ptr(), alg.id(), &mut handle) }
        };
        Error::check("SKF_SetSymmKey", rc)?;
        if handle.is_null() {
            return Err(Error::malformed("SKF_SetSymmKey", Malformed::NullHandle));
        }
        Ok(SessionKey::new(self.inner.clone(), handle, alg))
    }
}

/// A length as ULONG.
pub(crate) fn ulong(len: usize) -> Result<u32> {
    u32::try_from(len).map_err(|_| {
        Error::Argument(ArgumentError::TooLong {
            what: "buffer",
            len,
            limit: u32::MAX as usize,
        })
    })
}
