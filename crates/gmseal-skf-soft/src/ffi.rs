//! The exported C interface: the 78 `SKF_*` functions of GM/T 0016-2012 §7.
//!
//! Each export runs its body under [`std::panic::catch_unwind`]: a panic inside the token
//! becomes `SAR_FAIL` and never unwinds into the caller. Pointers from the caller are checked
//! for null; lengths the caller gives are respected (nothing is written past `*pulLen` bytes).
//! Structures are written byte by byte at the offsets of the standard, independently of the
//! binding's `#[repr(C)]` declarations, so the tests compare two readings of the layout.

use std::ffi::{CStr, c_char, c_void};
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::config::TokenConfig;
use crate::runtime::with_rt;
use crate::sar::{self, R};

mod access;
mod app;
mod container;
mod crypto;
mod device;
mod file;
mod unsupported;

#[allow(clippy::upper_case_acronyms)]
pub(crate) type ULONG = u32;
#[allow(clippy::upper_case_acronyms)]
pub(crate) type HANDLE = *mut c_void;
#[allow(clippy::upper_case_acronyms)]
pub(crate) type LPSTR = *mut c_char;
/// `BOOL` received by value: the low 32 bits (the binding passes a pointer-sized value).
#[allow(clippy::upper_case_acronyms)]
pub(crate) type BOOL = u32;

/// Run an export's body, catching panics and injecting the configured ones.
pub(crate) fn guard(name: &'static str, body: impl FnOnce() -> R) -> u32 {
    let result = catch_unwind(AssertUnwindSafe(|| {
        let inject =
            with_rt(|rt| Ok(rt.config.faults.panic_in.iter().any(|f| f == name))).unwrap_or(false);
        if inject {
            injected_panic(name);
        }
        body()
    }));
    match result {
        Ok(Ok(())) => sar::OK,
        Ok(Err(code)) => code,
        Err(_) => sar::FAIL,
    }
}

/// Unwind as a panic does, without the panic hook's message (the test logs stay readable):
/// the boundary's `catch_unwind` must stop it all the same.
fn injected_panic(name: &str) -> ! {
    std::panic::resume_unwind(Box::new(format!(
        "gmseal-skf-soft: injected panic in {name}"
    )))
}

/// Define exported functions; each body returns `R` and runs under [`guard`].
macro_rules! exports {
    ($( fn $name:ident ( $($arg:ident : $ty:ty),* $(,)? ) $body:block )*) => { $(
        #[doc = concat!("`", stringify!($name), "` (GM/T 0016-2012 §7).")]
        ///
        /// # Safety
        /// Pointer arguments must be null or valid for the accesses GM/T 0016 describes.
        #[unsafe(no_mangle)]
        #[allow(non_snake_case, unreachable_pub, clippy::missing_safety_doc)]
        pub unsafe extern "system" fn $name($($arg: $ty),*) -> u32 {
            $crate::ffi::guard(stringify!($name), || $body)
        }
    )* };
}
pub(crate) use exports;

/// The object id of a handle.
pub(crate) fn hid(h: HANDLE) -> usize {
    h as usize
}

/// A handle for an object id.
pub(crate) fn handle(id: usize) -> HANDLE {
    id as HANDLE
}

/// A NUL-terminated string argument.
///
/// # Safety
/// `p` must be null or point at a NUL-terminated string valid for reads during the call.
pub(crate) unsafe fn in_str<'a>(p: *const c_char) -> R<&'a [u8]> {
    if p.is_null() {
        return Err(sar::INVALIDPARAM);
    }
    // SAFETY: non-null, and the caller promises a NUL-terminated string.
    Ok(unsafe { CStr::from_ptr(p) }.to_bytes())
}

/// A byte buffer argument.
///
/// # Safety
/// `p` must be null or valid for `len` bytes of reads during the call.
pub(crate) unsafe fn in_bytes<'a>(p: *const u8, len: ULONG) -> R<&'a [u8]> {
    if len == 0 {
        return Ok(&[]);
    }
    if p.is_null() {
        return Err(sar::INVALIDPARAM);
    }
    // SAFETY: non-null and valid for `len` reads (caller's promise).
    Ok(unsafe { std::slice::from_raw_parts(p, len as usize) })
}

/// Write a ULONG out-parameter.
///
/// # Safety
/// `p` must be null or valid for a 4-byte write.
pub(crate) unsafe fn out_u32(p: *mut ULONG, v: ULONG) -> R {
    if p.is_null() {
        return Err(sar::INVALIDPARAM);
    }
    // SAFETY: non-null and writable (caller's promise); unaligned write for robustness.
    unsafe { p.write_unaligned(v) };
    Ok(())
}

/// Read a ULONG in/out parameter.
///
/// # Safety
/// `p` must be null or valid for a 4-byte read.
pub(crate) unsafe fn in_u32(p: *const ULONG) -> R<ULONG> {
    if p.is_null() {
        return Err(sar::INVALIDPARAM);
    }
    // SAFETY: non-null and readable (caller's promise).
    Ok(unsafe { p.read_unaligned() })
}

/// Write a handle out-parameter.
///
/// # Safety
/// `p` must be null or valid for a pointer-sized write.
pub(crate) unsafe fn out_handle(p: *mut HANDLE, id: usize) -> R {
    if p.is_null() {
        return Err(sar::INVALIDPARAM);
    }
    // SAFETY: non-null and writable (caller's promise).
    unsafe { p.write_unaligned(handle(id)) };
    Ok(())
}

/// Copy bytes to a caller's buffer of known sufficient size.
///
/// # Safety
/// `p` must be valid for `data.len()` bytes of writes.
pub(crate) unsafe fn out_bytes(p: *mut u8, data: &[u8]) -> R {
    if p.is_null() {
        return Err(sar::INVALIDPARAM);
    }
    // SAFETY: the caller guarantees room for `data.len()` bytes; the regions cannot overlap
    // (`data` is ours).
    unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), p, data.len()) };
    Ok(())
}

/// The two-call output protocol: null buffer → length; too small → `SAR_BUFFER_TOO_SMALL` with
/// the length; otherwise copy and set the length.
///
/// # Safety
/// `len` must be valid for reads and writes; `buf` null or valid for `*len` bytes of writes.
pub(crate) unsafe fn two_call(buf: *mut u8, len: *mut ULONG, data: &[u8]) -> R {
    let need = ULONG::try_from(data.len()).map_err(|_| sar::FAIL)?;
    // Never called with the state's lock held (see `config`).
    if buf.is_null() && config()?.faults.no_length_query {
        return Err(sar::INVALIDPARAM);
    }
    if buf.is_null() {
        // SAFETY: forwarded contract.
        return unsafe { out_u32(len, need) };
    }
    // SAFETY: forwarded contract.
    let cap = unsafe { in_u32(len) }?;
    if cap < need {
        // SAFETY: forwarded contract.
        unsafe { out_u32(len, need) }?;
        return Err(sar::BUFFER_TOO_SMALL);
    }
    // SAFETY: `buf` holds `cap >= need` bytes.
    unsafe { out_bytes(buf, data) }?;
    // SAFETY: forwarded contract.
    unsafe { out_u32(len, need) }
}

/// A snapshot of the configuration (never call [`with_rt`] inside another `with_rt`: the
/// state's lock is not re-entrant).
pub(crate) fn config() -> R<TokenConfig> {
    with_rt(|rt| Ok(rt.config.clone()))
}

/// Decode a name received from the caller (UTF-8, or GBK with the quirk).
pub(crate) fn name_in(raw: &[u8], cfg: &TokenConfig) -> R<String> {
    if cfg.quirks.gbk_names {
        let (text, had_errors) = encoding_rs::GBK.decode_without_bom_handling(raw);
        if had_errors {
            return Err(sar::NAMELEN);
        }
        Ok(text.into_owned())
    } else {
        String::from_utf8(raw.to_vec()).map_err(|_| sar::NAMELEN)
    }
}

/// Encode a name for the caller.
pub(crate) fn name_out(name: &str, gbk: bool) -> Vec<u8> {
    if gbk {
        encoding_rs::GBK.encode(name).0.into_owned()
    } else {
        name.as_bytes().to_vec()
    }
}

/// Write a name list with the configured quirks and faults.
///
/// # Safety
/// As [`two_call`].
pub(crate) unsafe fn name_list(
    names: &[String],
    cfg: &TokenConfig,
    buf: *mut u8,
    len: *mut ULONG,
) -> R {
    let (quirks, faults) = (&cfg.quirks, &cfg.faults);
    let mut data = Vec::new();
    for n in names {
        data.extend_from_slice(&name_out(n, quirks.gbk_names));
        if !faults.name_list_unterminated {
            data.push(0);
        }
    }
    if quirks.name_list_final_nul && !faults.name_list_unterminated {
        data.push(0);
    }
    if faults.name_list_huge {
        // SAFETY: forwarded contract.
        return unsafe { out_u32(len, 0xFFFF_FFF0) };
    }
    if buf.is_null() {
        // SAFETY: forwarded contract.
        return unsafe { two_call(buf, len, &data) };
    }
    // SAFETY: forwarded contract.
    let cap = unsafe { in_u32(len) }?;
    // SAFETY: forwarded contract.
    unsafe { two_call(buf, len, &data) }?;
    if faults.name_list_overlong {
        // SAFETY: forwarded contract.
        unsafe { out_u32(len, cap.saturating_add(64)) }?;
    }
    Ok(())
}
