//! §7.2 access control: PINs. A wrong PIN decrements the counter, which is written to the store
//! before the error is returned.

use zeroize::Zeroizing;

use super::*;
use crate::runtime::{Login, Object, Runtime};

const MAX_PIN: usize = 64;

fn pin_arg<'a>(p: LPSTR) -> R<&'a [u8]> {
    // SAFETY: the caller passes a NUL-terminated PIN (or null, refused).
    let pin = unsafe { in_str(p) }?;
    if pin.is_empty() || pin.len() > MAX_PIN {
        return Err(sar::PIN_LEN_RANGE);
    }
    Ok(pin)
}

fn is_admin(pin_type: ULONG) -> R<bool> {
    match pin_type {
        0 => Ok(true),
        1 => Ok(false),
        _ => Err(sar::USER_TYPE_INVALID),
    }
}

/// The application key, or the SAR code and the tries left.
type PinOutcome = Result<Zeroizing<[u8; 32]>, (u32, u32)>;

/// Check a PIN of the application behind `h`: the application key, or the SAR code and the
/// tries left. The counter is persisted before this returns.
fn check_pin(rt: &mut Runtime, h: usize, admin: bool, pin: &[u8]) -> R<PinOutcome> {
    let (dev, app) = rt.app(h)?;
    let mut rec = rt.load(&dev)?;
    let outcome = {
        let a = rec.app_mut(&app).ok_or(sar::APPLICATION_NOT_EXISTS)?;
        let p = if admin {
            &mut a.admin_pin
        } else {
            &mut a.user_pin
        };
        if p.remaining == 0 {
            return Ok(Err((sar::PIN_LOCKED, 0)));
        }
        match p.unlock(pin) {
            Some(ak) => {
                let changed = p.remaining != p.max_retries;
                p.remaining = p.max_retries;
                (Ok(ak), changed)
            }
            None => {
                p.remaining -= 1;
                (Err((sar::PIN_INCORRECT, p.remaining)), true)
            }
        }
    };
    if outcome.1 {
        rt.save(&dev, &rec)?;
    }
    Ok(outcome.0)
}

fn set_login(rt: &mut Runtime, h: usize, login: Option<Login>) -> R {
    match rt.get_mut(h)? {
        Object::App { login: l, .. } => {
            *l = login;
            Ok(())
        }
        _ => Err(sar::INVALIDHANDLE),
    }
}

/// Report the tries left and return the code.
fn finish(outcome: Result<(), (u32, u32)>, retry: *mut ULONG) -> R {
    match outcome {
        Ok(()) => Ok(()),
        Err((code, remaining)) => {
            if !retry.is_null() {
                // SAFETY: non-null slot given by the caller for the retry count.
                unsafe { out_u32(retry, remaining) }?;
            }
            Err(code)
        }
    }
}

exports! {
    fn SKF_VerifyPIN(hApplication: HANDLE, ulPINType: ULONG, szPIN: LPSTR, pulRetryCount: *mut ULONG) {
        let admin = is_admin(ulPINType)?;
        let pin = pin_arg(szPIN)?;
        let h = hid(hApplication);
        let outcome = with_rt(|rt| match check_pin(rt, h, admin, pin)? {
            Ok(ak) => {
                set_login(rt, h, Some(Login { admin, app_key: ak }))?;
                Ok(Ok(()))
            }
            Err(e) => Ok(Err(e)),
        })?;
        finish(outcome, pulRetryCount)
    }

    fn SKF_ChangePIN(hApplication: HANDLE, ulPINType: ULONG, szOldPin: LPSTR, szNewPin: LPSTR, pulRetryCount: *mut ULONG) {
        let admin = is_admin(ulPINType)?;
        let old = pin_arg(szOldPin)?;
        let new = pin_arg(szNewPin)?;
        let h = hid(hApplication);
        let outcome = with_rt(|rt| match check_pin(rt, h, admin, old)? {
            Ok(ak) => {
                let (dev, app) = rt.app(h)?;
                let mut rec = rt.load(&dev)?;
                let a = rec.app_mut(&app).ok_or(sar::APPLICATION_NOT_EXISTS)?;
                let p = if admin { &mut a.admin_pin } else { &mut a.user_pin };
                p.reset(new, &ak).map_err(|_| sar::FAIL)?;
                rt.save(&dev, &rec)?;
                Ok(Ok(()))
            }
            Err(e) => Ok(Err(e)),
        })?;
        finish(outcome, pulRetryCount)
    }

    fn SKF_UnblockPIN(hApplication: HANDLE, szAdminPIN: LPSTR, szNewUserPIN: LPSTR, pulRetryCount: *mut ULONG) {
        let admin_pin = pin_arg(szAdminPIN)?;
        let new = pin_arg(szNewUserPIN)?;
        let h = hid(hApplication);
        let outcome = with_rt(|rt| match check_pin(rt, h, true, admin_pin)? {
            Ok(ak) => {
                let (dev, app) = rt.app(h)?;
                let mut rec = rt.load(&dev)?;
                let a = rec.app_mut(&app).ok_or(sar::APPLICATION_NOT_EXISTS)?;
                a.user_pin.reset(new, &ak).map_err(|_| sar::FAIL)?;
                rt.save(&dev, &rec)?;
                Ok(Ok(()))
            }
            Err(e) => Ok(Err(e)),
        })?;
        finish(outcome, pulRetryCount)
    }

    fn SKF_GetPINInfo(hApplication: HANDLE, ulPINType: ULONG, pulMaxRetryCount: *mut ULONG, pulRemainRetryCount: *mut ULONG, pbDefaultPin: *mut u8) {
        let admin = is_admin(ulPINType)?;
        let cfg = config()?;
        let (max, remaining, default) = with_rt(|rt| {
            let (dev, app) = rt.app(hid(hApplication))?;
            let rec = rt.load(&dev)?;
            let a = rec.app(&app).ok_or(sar::APPLICATION_NOT_EXISTS)?;
            let p = if admin { &a.admin_pin } else { &a.user_pin };
            Ok((p.max_retries, p.remaining, p.default_pin))
        })?;
        let remaining = if cfg.faults.pin_info_garbage { u32::MAX } else { remaining };
        // SAFETY: valid slots (caller's promise).
        unsafe { out_u32(pulMaxRetryCount, max) }?;
        // SAFETY: as above.
        unsafe { out_u32(pulRemainRetryCount, remaining) }?;
        let width = match cfg.quirks.bool_width {
            1 => 1,
            8 => 8,
            _ => 4,
        };
        let mut b = [0u8; 8];
        b[..8].copy_from_slice(&u64::from(default).to_ne_bytes());
        let bytes = if cfg!(target_endian = "little") { &b[..width] } else { &b[8 - width..] };
        // SAFETY: the caller's BOOL slot is at least `bool_width` bytes (the quirk under test).
        unsafe { out_bytes(pbDefaultPin, bytes) }
    }

    fn SKF_ClearSecureState(hApplication: HANDLE) {
        with_rt(|rt| {
            rt.app(hid(hApplication))?;
            set_login(rt, hid(hApplication), None)
        })
    }
}
