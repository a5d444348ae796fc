//! Hash objects and session keys (GM/T 0016-2012 §7.6): SM3 on the device (with the Z option)
//! and SM4 through `SKF_SetSymmKey` / `SKF_Encrypt*` / `SKF_Decrypt*`.

use std::sync::Arc;

use crate::device::{DeviceInner, RawHandle, ulong};
use crate::error::{ArgumentError, Error, Result};
use crate::library::{checked_len, func};
use crate::sys;

/// A hash algorithm of `SKF_DigestInit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HashAlg {
    /// `SGD_SM3`.
    Sm3,
    /// `SGD_SHA1`.
    Sha1,
    /// `SGD_SHA256`.
    Sha256,
}

impl HashAlg {
    /// The `SGD_*` identifier.
    pub fn id(self) -> u32 {
        match self {
            HashAlg::Sm3 => sys::SGD_SM3,
            HashAlg::Sha1 => sys::SGD_SHA1,
            HashAlg::Sha256 => sys::SGD_SHA256,
        }
    }
}

/// A symmetric algorithm and mode of a session key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SymAlg {
    /// `SGD_SM4_ECB`.
    Sm4Ecb,
    /// `SGD_SM4_CBC`.
    Sm4Cbc,
    /// Another `SGD_*` identifier (vendor or SM1/SSF33), passed unchanged.
    Other(u32),
}

impl SymAlg {
    /// The `SGD_*` identifier.
    pub fn id(self) -> u32 {
        match self {
            SymAlg::Sm4Ecb => sys::SGD_SM4_ECB,
            SymAlg::Sm4Cbc => sys::SGD_SM4_CBC,
            SymAlg::Other(id) => id,
        }
    }
}

/// Padding of a block cipher operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Padding {
    /// None: the data must be a multiple of the block size.
    #[default]
    None,
    /// PKCS#5 (PKCS#7 on 16-byte blocks).
    Pkcs5,
}

/// Parameters of a block cipher operation (`BLOCKCIPHERPARAM`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BlockCipherParam {
    /// IV (empty for ECB), at most 32 bytes.
    pub iv: Vec<u8>,
    /// Padding.
    pub padding: Padding,
    /// Feedback bit length (CFB/OFB only).
    pub feed_bit_len: u32,
}

impl BlockCipherParam {
    fn to_raw(&self) -> Result<sys::BLOCKCIPHERPARAM> {
        if self.iv.len() > sys::MAX_IV_LEN {
            return Err(ArgumentError::TooLong {
                what: "IV",
                len: self.iv.len(),
                limit: sys::MAX_IV_LEN,
            }
            .into());
        }
        let mut raw = sys::BLOCKCIPHERPARAM {
            IV: [0; sys::MAX_IV_LEN],
            IVLen: ulong(self.iv.len())?,
            PaddingType: match self.padding {
                Padding::None => sys::PADDING_NONE,
                Padding::Pkcs5 => sys::PADDING_PKCS5,
            },
            FeedBitLen: self.feed_bit_len,
        };
        raw.IV[..self.iv.len()].copy_from_slice(&self.iv);
        Ok(raw)
    }
}

/// A library object closed with `SKF_CloseHandle` on drop.
struct Object {
    dev: Arc<DeviceInner>,
    handle: RawHandle,
}

impl Drop for Object {
    fn drop(&mut self) {
        if let Some(f) = self.dev.lib.fns.SKF_CloseHandle {
            let rc = {
                let _guard = self.dev.lib.lock();
                // SAFETY: the handle came from this library and is released exactly once.
                unsafe { f(self.handle.0) }
            };
            if let Err(e) = Error::check("SKF_CloseHandle", rc) {
                log::error!("{e}");
            }
        }
    }
}

/// A hash object on the device (`SKF_DigestInit`); closed on drop.
pub struct Hash {
    obj: Object,
}

impl std::fmt::Debug for Hash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hash").finish_non_exhaustive()
    }
}

/// Longest digest accepted from the library.
const MAX_DIGEST: usize = 64;

impl Hash {
    pub(crate) fn new(dev: Arc<DeviceInner>, handle: sys::HANDLE) -> Hash {
        Hash {
            obj: Object {
                dev,
                handle: RawHandle(handle),
            },
        }
    }

    /// Absorb data (`SKF_DigestUpdate`).
    ///
    /// # Errors
    /// The library's error.
    pub fn update(&mut self, data: &[u8]) -> Result<()> {
        let lib = &self.obj.dev.lib;
        let f = func!(lib, SKF_DigestUpdate);
        let mut copy = data.to_vec();
        let len = ulong(copy.len())?;
        let _guard = lib.lock();
        // SAFETY: `copy` holds `len` readable bytes (a private copy, in case the library
        // writes through its non-const pointer) and outlives the call.
        let rc = unsafe { f(self.obj.handle.0, copy.as_mut_ptr(), len) };
        Error::check("SKF_DigestUpdate", rc)
    }

    /// Finish (`SKF_DigestFinal`).
    ///
    /// # Errors
    /// The library's error or a malformed length.
    pub fn finalize(self) -> Result<Vec<u8>> {
        let lib = &self.obj.dev.lib;
        let f = func!(lib, SKF_DigestFinal);
        let mut buf = [0u8; MAX_DIGEST + 2];
        let mut len = MAX_DIGEST as u32;
        let rc = {
            let _guard = lib.lock();
            // SAFETY: `buf` has MAX_DIGEST writable bytes (plus slack), `len` says so.
            unsafe { f(self.obj.handle.0, buf.as_mut_ptr(), &mut len) }
        };
        Error::check("SKF_DigestFinal", rc)?;
        let len = checked_len("SKF_DigestFinal", len, MAX_DIGEST)?;
        Ok(buf.get(..len).unwrap_or_default().to_vec())
    }

    /// Hash `data` in one call (`SKF_Digest`).
    ///
    /// # Errors
    /// The library's error or a malformed length.
    pub fn digest(self, data: &[u8]) -> Result<Vec<u8>> {
        let lib = &self.obj.dev.lib;
        let f = func!(lib, SKF_Digest);
        let mut copy = data.to_vec();
        let data_len = ulong(copy.len())?;
        let mut buf = [0u8; MAX_DIGEST + 2];
        let mut len = MAX_DIGEST as u32;
        let rc = {
            let _guard = lib.lock();
            // SAFETY: `copy` has `data_len` bytes, `buf` MAX_DIGEST writable bytes.
            unsafe {
                f(
                    self.obj.handle.0,
                    copy.as_mut_ptr(),
                    data_len,
                    buf.as_mut_ptr(),
                    &mut len,
                )
            }
        };
        Error::check("SKF_Digest", rc)?;
        let len = checked_len("SKF_Digest", len, MAX_DIGEST)?;
        Ok(buf.get(..len).unwrap_or_default().to_vec())
    }
}

/// A session key on the device; closed on drop.
pub struct SessionKey {
    obj: Object,
    alg: SymAlg,
}

impl std::fmt::Debug for SessionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionKey")
            .field("alg", &self.alg)
            .finish_non_exhaustive()
    }
}

type InitFn = unsafe extern "system" fn(sys::HANDLE, sys::BLOCKCIPHERPARAM) -> u32;
type CryptFn = unsafe extern "system" fn(sys::HANDLE, *mut u8, u32, *mut u8, *mut u32) -> u32;

impl SessionKey {
    pub(crate) fn new(dev: Arc<DeviceInner>, handle: sys::HANDLE, alg: SymAlg) -> SessionKey {
        SessionKey {
            obj: Object {
                dev,
                handle: RawHandle(handle),
            },
            alg,
        }
    }

    /// The algorithm.
    pub fn alg(&self) -> SymAlg {
        self.alg
    }

    /// Encrypt `data` in one operation (`SKF_EncryptInit` + `SKF_Encrypt`).
    ///
    /// # Errors
    /// The library's error or a malformed length.
    pub fn encrypt(&self, param: &BlockCipherParam, data: &[u8]) -> Result<Vec<u8>> {
        let lib = &self.obj.dev.lib;
        let init = func!(lib, SKF_EncryptInit);
        let run = func!(lib, SKF_Encrypt);
        self.crypt(("SKF_EncryptInit", init), ("SKF_Encrypt", run), param, data)
    }

    /// Decrypt `data` in one operation (`SKF_DecryptInit` + `SKF_Decrypt`).
    ///
    /// # Errors
    /// The library's error (e.g. `SAR_DECRYPTPADERR`) or a malformed length.
    pub fn decrypt(&self, param: &BlockCipherParam, data: &[u8]) -> Result<Vec<u8>> {
        let lib = &self.obj.dev.lib;
        let init = func!(lib, SKF_DecryptInit);
        let run = func!(lib, SKF_Decrypt);
        self.crypt(("SKF_DecryptInit", init), ("SKF_Decrypt", run), param, data)
    }

    fn crypt(
        &self,
        (init_name, init): (&'static str, InitFn),
        (run_name, run): (&'static str, CryptFn),
        param: &BlockCipherParam,
        data: &[u8],
    ) -> Result<Vec<u8>> {
        let lib = &self.obj.dev.lib;
        let raw = param.to_raw()?;
        let mut input = zeroize::Zeroizing::new(data.to_vec());
        let in_len = ulong(input.len())?;
        // Output is at most one block longer than the input (padding); the library is given
        // exactly that capacity and its length is checked against it.
        let cap = input.len().saturating_add(32);
        let mut out = vec![0u8; cap + 2];
        let mut out_len = ulong(cap)?;
        let _guard = lib.lock();
        // SAFETY: `raw` is passed by value as the standard declares; the handle is a session
        // key of this library.
        Error::check(init_name, unsafe { init(self.obj.handle.0, raw) })?;
        // SAFETY: `input` has `in_len` bytes, `out` has `out_len` writable bytes (plus
        // slack); all outlive the call.
        let rc = unsafe {
            run(
                self.obj.handle.0,
                input.as_mut_ptr(),
                in_len,
                out.as_mut_ptr(),
                &mut out_len,
            )
        };
        Error::check(run_name, rc)?;
        let len = checked_len(run_name, out_len, cap)?;
        out.truncate(len);
        Ok(out)
    }
}
