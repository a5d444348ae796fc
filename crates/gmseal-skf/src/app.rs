//! An open application (GM/T 0016-2012 §7.2 access control, §7.4 files, §7.5 containers).

use std::ptr;
use std::sync::Arc;

use zeroize::Zeroizing;

use crate::container::Container;
use crate::decode::{FILE_ATTRIBUTE_LEN, FileInfo};
use crate::device::{DeviceInner, RawHandle, ulong};
use crate::error::{Error, Malformed, Result, SarCode};
use crate::library::{LibInner, checked_len, func};
use crate::name::{AsName, Name, c_name, check_c_string};
use crate::sys;

/// Which PIN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PinType {
    /// The administrator (SO) PIN: unblocks the user PIN.
    Admin,
    /// The user PIN: needed for private-key operations.
    User,
}

impl PinType {
    fn raw(self) -> u32 {
        match self {
            PinType::Admin => sys::ADMIN_TYPE,
            PinType::User => sys::USER_TYPE,
        }
    }
}

/// The state of a PIN (`SKF_GetPINInfo`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct PinInfo {
    /// Tries allowed before the PIN locks.
    pub max_retries: u32,
    /// Tries left; 0 means locked.
    pub remaining_retries: u32,
    /// Is the PIN still the factory default?
    pub default_pin: bool,
}

impl PinInfo {
    /// Is the PIN locked?
    pub fn is_locked(&self) -> bool {
        self.remaining_retries == 0
    }
}

/// Access rights of a file (`SECURE_*_ACCOUNT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Rights {
    /// Nobody.
    Never,
    /// The administrator.
    Admin,
    /// The user.
    User,
    /// Anyone.
    Anyone,
}

impl Rights {
    fn raw(self) -> u32 {
        match self {
            Rights::Never => sys::SECURE_NEVER_ACCOUNT,
            Rights::Admin => sys::SECURE_ADM_ACCOUNT,
            Rights::User => sys::SECURE_USER_ACCOUNT,
            Rights::Anyone => sys::SECURE_ANYONE_ACCOUNT,
        }
    }
}

/// Longest PIN passed to a library.
const MAX_PIN_LEN: usize = 64;

/// An open application. Cheap to clone; closed (`SKF_CloseApplication`, which also ends the
/// PIN's security state) when the last clone and every container opened from it are gone.
#[derive(Clone)]
pub struct Application {
    pub(crate) inner: Arc<AppInner>,
}

pub(crate) struct AppInner {
    pub(crate) dev: Arc<DeviceInner>,
    pub(crate) handle: RawHandle,
    name: Name,
}

impl Drop for AppInner {
    fn drop(&mut self) {
        if let Some(f) = self.dev.lib.fns.SKF_CloseApplication {
            let rc = {
                let _guard = self.dev.lib.lock();
                // SAFETY: the handle came from SKF_OpenApplication of this library and is
                // released exactly once.
                unsafe { f(self.handle.0) }
            };
            if let Err(e) = Error::check("SKF_CloseApplication", rc) {
                log::error!("{e}");
            }
        }
    }
}

impl std::fmt::Debug for Application {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Application")
            .field("name", &self.inner.name)
            .finish_non_exhaustive()
    }
}

/// A NUL-terminated PIN, zeroised on drop.
fn c_pin(pin: &str) -> Result<Zeroizing<Vec<u8>>> {
    check_c_string(pin.as_bytes(), "PIN", MAX_PIN_LEN)?;
    let mut v = Zeroizing::new(Vec::with_capacity(pin.len() + 1));
    v.extend_from_slice(pin.as_bytes());
    v.push(0);
    Ok(v)
}

/// Map the return of a PIN function: `SAR_PIN_INCORRECT` carries the remaining tries.
fn pin_result(function: &'static str, rc: u32, retries: u32) -> Result<()> {
    if rc == SarCode::PinIncorrect.value() {
        return Err(Error::PinIncorrect {
            function,
            remaining_retries: retries,
        });
    }
    Error::check(function, rc)
}

impl Application {
    pub(crate) fn new(dev: Arc<DeviceInner>, handle: sys::HAPPLICATION, name: Name) -> Self {
        Application {
            inner: Arc::new(AppInner {
                dev,
                handle: RawHandle(handle),
                name,
            }),
        }
    }

    fn lib(&self) -> &LibInner {
        &self.inner.dev.lib
    }

    fn h(&self) -> sys::HAPPLICATION {
        self.inner.handle.0
    }

    /// The name it was opened by.
    pub fn name(&self) -> &Name {
        &self.inner.name
    }

    /// Verify a PIN (`SKF_VerifyPIN`). The user PIN's security state lasts until
    /// [`Application::clear_secure_state`] or until the application is closed.
    ///
    /// # Errors
    /// [`Error::PinIncorrect`] with the tries left, [`Error::PinLocked`], or the library's
    /// error.
    pub fn verify_pin(&self, pin_type: PinType, pin: &str) -> Result<()> {
        let lib = self.lib();
        let f = func!(lib, SKF_VerifyPIN);
        let mut cpin = c_pin(pin)?;
        let mut retries: u32 = 0;
        let rc = {
            let _guard = lib.lock();
            // SAFETY: `cpin` is NUL-terminated, `retries` a valid ULONG; both outlive the call.
            unsafe {
                f(
                    self.h(),
                    pin_type.raw(),
                    cpin.as_mut_ptr().cast(),
                    &mut retries,
                )
            }
        };
        pin_result("SKF_VerifyPIN", rc, retries)
    }

    /// Change a PIN (`SKF_ChangePIN`).
    ///
    /// # Errors
    /// As [`Application::verify_pin`].
    pub fn change_pin(&self, pin_type: PinType, old: &str, new: &str) -> Result<()> {
        let lib = self.lib();
        let f = func!(lib, SKF_ChangePIN);
        let mut old = c_pin(old)?;
        let mut new = c_pin(new)?;
        let mut retries: u32 = 0;
        let rc = {
            let _guard = lib.lock();
            // SAFETY: both PINs are NUL-terminated, `retries` a valid ULONG.
            unsafe {
                f(
                    self.h(),
                    pin_type.raw(),
                    old.as_mut_ptr().cast(),
                    new.as_mut_ptr().cast(),
                    &mut retries,
                )
            }
        };
        pin_result("SKF_ChangePIN", rc, retries)
    }

    /// Unblock the user PIN with the admin PIN and set a new user PIN (`SKF_UnblockPIN`).
    ///
    /// # Errors
    /// [`Error::PinIncorrect`] with the *admin* tries left, [`Error::PinLocked`] when the admin
    /// PIN is locked, or the library's error.
    pub fn unblock_pin(&self, admin_pin: &str, new_user_pin: &str) -> Result<()> {
        let lib = self.lib();
        let f = func!(lib, SKF_UnblockPIN);
        let mut admin = c_pin(admin_pin)?;
        let mut user = c_pin(new_user_pin)?;
        let mut retries: u32 = 0;
        let rc = {
            let _guard = lib.lock();
            // SAFETY: both PINs are NUL-terminated, `retries` a valid ULONG.
            unsafe {
                f(
                    self.h(),
                    admin.as_mut_ptr().cast(),
                    user.as_mut_ptr().cast(),
                    &mut retries,
                )
            }
        };
        pin_result("SKF_UnblockPIN", rc, retries)
    }

    /// The state of a PIN (`SKF_GetPINInfo`).
    ///
    /// # Errors
    /// The library's error; [`Malformed::UnexpectedValue`] when it reports more tries left
    /// than allowed.
    pub fn pin_info(&self, pin_type: PinType) -> Result<PinInfo> {
        let lib = self.lib();
        let f = func!(lib, SKF_GetPINInfo);
        let mut max: u32 = 0;
        let mut remaining: u32 = 0;
        let mut default: sys::BoolSlot = 0;
        let rc = {
            let _guard = lib.lock();
            // SAFETY: three valid out-slots; `default` is 8 bytes wide, enough for every
            // width of BOOL.
            unsafe {
                f(
                    self.h(),
                    pin_type.raw(),
                    &mut max,
                    &mut remaining,
                    &mut default,
                )
            }
        };
        Error::check("SKF_GetPINInfo", rc)?;
        // A maximum of 0 means "not reported" on some devices.
        if max != 0 && remaining > max {
            return Err(Error::malformed(
                "SKF_GetPINInfo",
                Malformed::UnexpectedValue {
                    what: "remaining PIN tries (above the maximum)",
                    value: remaining,
                },
            ));
        }
        Ok(PinInfo {
            max_retries: max,
            remaining_retries: remaining,
            default_pin: lib.config.quirks.bool_width.read(default),
        })
    }

    /// End the PIN's security state (`SKF_ClearSecureState`).
    ///
    /// # Errors
    /// The library's error.
    pub fn clear_secure_state(&self) -> Result<()> {
        let lib = self.lib();
        let f = func!(lib, SKF_ClearSecureState);
        let _guard = lib.lock();
        // SAFETY: a valid application handle of this library.
        Error::check("SKF_ClearSecureState", unsafe { f(self.h()) })
    }

    /// The containers (`SKF_EnumContainer`).
    ///
    /// # Errors
    /// The library's error or a malformed name list.
    pub fn containers(&self) -> Result<Vec<Name>> {
        let lib = self.lib();
        let f = func!(lib, SKF_EnumContainer);
        let h = self.h();
        let _guard = lib.lock();
        lib.name_list("SKF_EnumContainer", |buf, len| {
            // SAFETY: `buf` is null or has `*len` writable bytes; `len` is a valid ULONG.
            unsafe { f(h, buf.cast(), len) }
        })
    }

    fn container_call(
        &self,
        function: &'static str,
        f: unsafe extern "system" fn(sys::HAPPLICATION, sys::LPSTR, *mut sys::HCONTAINER) -> u32,
        name: impl AsName,
    ) -> Result<Container> {
        let lib = self.lib();
        let enc = lib.config.quirks.name_encoding;
        let bytes = name.name_bytes(enc)?;
        let mut cname = c_name(&crate::RawName(&bytes), enc)?;
        let mut handle: sys::HCONTAINER = ptr::null_mut();
        let rc = {
            let _guard = lib.lock();
            // SAFETY: `cname` is NUL-terminated, `handle` a valid out-slot.
            unsafe { f(self.h(), cname.as_mut_ptr().cast(), &mut handle) }
        };
        Error::check(function, rc)?;
        if handle.is_null() {
            return Err(Error::malformed(function, Malformed::NullHandle));
        }
        Ok(Container::new(
            self.inner.clone(),
            handle,
            Name::decode(&bytes, enc),
        ))
    }

    /// Open a container (`SKF_OpenContainer`).
    ///
    /// # Errors
    /// The library's error.
    pub fn open_container(&self, name: impl AsName) -> Result<Container> {
        let f = func!(self.lib(), SKF_OpenContainer);
        self.container_call("SKF_OpenContainer", f, name)
    }

    /// Create a container (`SKF_CreateContainer`; needs the user PIN).
    ///
    /// # Errors
    /// The library's error.
    pub fn create_container(&self, name: impl AsName) -> Result<Container> {
        let f = func!(self.lib(), SKF_CreateContainer);
        self.container_call("SKF_CreateContainer", f, name)
    }

    fn name_call(
        &self,
        function: &'static str,
        f: unsafe extern "system" fn(sys::HAPPLICATION, sys::LPSTR) -> u32,
        name: impl AsName,
    ) -> Result<()> {
        let lib = self.lib();
        let mut cname = c_name(&name, lib.config.quirks.name_encoding)?;
        let _guard = lib.lock();
        // SAFETY: `cname` is NUL-terminated and outlives the call.
        Error::check(function, unsafe { f(self.h(), cname.as_mut_ptr().cast()) })
    }

    /// Delete a container (`SKF_DeleteContainer`; needs the user PIN).
    ///
    /// # Errors
    /// The library's error.
    pub fn delete_container(&self, name: impl AsName) -> Result<()> {
        let f = func!(self.lib(), SKF_DeleteContainer);
        self.name_call("SKF_DeleteContainer", f, name)
    }

    /// The files (`SKF_EnumFiles`).
    ///
    /// # Errors
    /// The library's error or a malformed name list.
    pub fn files(&self) -> Result<Vec<Name>> {
        let lib = self.lib();
        let f = func!(lib, SKF_EnumFiles);
        let h = self.h();
        let _guard = lib.lock();
        lib.name_list("SKF_EnumFiles", |buf, len| {
            // SAFETY: `buf` is null or has `*len` writable bytes; `len` is a valid ULONG.
            unsafe { f(h, buf.cast(), len) }
        })
    }

    /// Create a file (`SKF_CreateFile`).
    ///
    /// # Errors
    /// The library's error.
    pub fn create_file(
        &self,
        name: impl AsName,
        size: u32,
        read: Rights,
        write: Rights,
    ) -> Result<()> {
        let lib = self.lib();
        let f = func!(lib, SKF_CreateFile);
        let mut cname = c_name(&name, lib.config.quirks.name_encoding)?;
        let _guard = lib.lock();
        // SAFETY: `cname` is NUL-terminated and outlives the call.
        let rc = unsafe {
            f(
                self.h(),
                cname.as_mut_ptr().cast(),
                size,
                read.raw(),
                write.raw(),
            )
        };
        Error::check("SKF_CreateFile", rc)
    }

    /// Delete a file (`SKF_DeleteFile`).
    ///
    /// # Errors
    /// The library's error.
    pub fn delete_file(&self, name: impl AsName) -> Result<()> {
        let f = func!(self.lib(), SKF_DeleteFile);
        self.name_call("SKF_DeleteFile", f, name)
    }

    /// A file's attributes (`SKF_GetFileInfo`).
    ///
    /// # Errors
    /// The library's error.
    pub fn file_info(&self, name: impl AsName) -> Result<FileInfo> {
        let lib = self.lib();
        let f = func!(lib, SKF_GetFileInfo);
        let mut cname = c_name(&name, lib.config.quirks.name_encoding)?;
        // A zeroed, 4-byte aligned buffer a little larger than FILEATTRIBUTE, read by offset.
        let mut words = [0u32; 16];
        let rc = {
            let _guard = lib.lock();
            // SAFETY: `words` has 64 writable bytes, more than the 44 of FILEATTRIBUTE, aligned
            // for its ULONGs; `cname` is NUL-terminated.
            unsafe {
                f(
                    self.h(),
                    cname.as_mut_ptr().cast(),
                    words.as_mut_ptr().cast(),
                )
            }
        };
        Error::check("SKF_GetFileInfo", rc)?;
        let buf: Vec<u8> = words.iter().flat_map(|w| w.to_ne_bytes()).collect();
        FileInfo::parse(&buf[..FILE_ATTRIBUTE_LEN], lib.config.quirks.name_encoding)
            .map_err(|p| Error::malformed("SKF_GetFileInfo", p))
    }

    /// Read `len` bytes of a file from `offset` (`SKF_ReadFile`); fewer at the end of the file.
    ///
    /// # Errors
    /// The library's error, or a length larger than asked for.
    pub fn read_file_at(&self, name: impl AsName, offset: u32, len: u32) -> Result<Vec<u8>> {
        let lib = self.lib();
        let f = func!(lib, SKF_ReadFile);
        let cap = usize::try_from(len).unwrap_or(usize::MAX);
        if cap > lib.config.max_answer_len {
            return Err(Error::malformed(
                "SKF_ReadFile",
                Malformed::TooLarge {
                    len: cap,
                    limit: lib.config.max_answer_len,
                },
            ));
        }
        let mut cname = c_name(&name, lib.config.quirks.name_encoding)?;
        let mut buf = vec![0u8; cap + 2];
        let mut out_len = len;
        let rc = {
            let _guard = lib.lock();
            // SAFETY: `buf` has `len` writable bytes (plus slack), `out_len` says so.
            unsafe {
                f(
                    self.h(),
                    cname.as_mut_ptr().cast(),
                    offset,
                    len,
                    buf.as_mut_ptr(),
                    &mut out_len,
                )
            }
        };
        Error::check("SKF_ReadFile", rc)?;
        let n = checked_len("SKF_ReadFile", out_len, cap)?;
        buf.truncate(n);
        Ok(buf)
    }

    /// Read a whole file (size from [`Application::file_info`]).
    ///
    /// # Errors
    /// As [`Application::read_file_at`].
    pub fn read_file(&self, name: impl AsName) -> Result<Vec<u8>> {
        let enc = self.lib().config.quirks.name_encoding;
        let bytes = name.name_bytes(enc)?;
        let info = self.file_info(crate::RawName(&bytes))?;
        self.read_file_at(crate::RawName(&bytes), 0, info.size)
    }

    /// Write `data` into a file at `offset` (`SKF_WriteFile`).
    ///
    /// # Errors
    /// The library's error.
    pub fn write_file(&self, name: impl AsName, offset: u32, data: &[u8]) -> Result<()> {
        let lib = self.lib();
        let f = func!(lib, SKF_WriteFile);
        let mut cname = c_name(&name, lib.config.quirks.name_encoding)?;
        let mut copy = data.to_vec();
        let len = ulong(copy.len())?;
        let _guard = lib.lock();
        // SAFETY: `copy` has `len` bytes, `cname` is NUL-terminated; both outlive the call.
        let rc = unsafe {
            f(
                self.h(),
                cname.as_mut_ptr().cast(),
                offset,
                copy.as_mut_ptr(),
                len,
            )
        };
        Error::check("SKF_WriteFile", rc)
    }
}
