//! §7.1 device management.

use std::sync::PoisonError;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::*;
use crate::config::{AlgIds, TokenConfig};
use crate::runtime::{KNOWN_PRESENT, Object, all_devices, present_devices};
use crate::store::DeviceRecord;

static CANCEL_WAIT: AtomicBool = AtomicBool::new(false);

const SGD_SM4_ECB: u32 = 0x401;
const SGD_SM4_CBC: u32 = 0x402;
const SGD_SM3: u32 = 0x1;

/// `SGD_SM2_1` and `SGD_SM2_3` in the configured numbering.
pub(crate) fn sm2_ids(cfg: &TokenConfig) -> (u32, u32) {
    match cfg.quirks.alg_ids {
        AlgIds::Legacy => (0x0002_0100, 0x0002_0400),
        _ => (0x0002_0200, 0x0002_0800),
    }
}

fn put_str(field: &mut [u8], text: &str, cfg: &TokenConfig) {
    if cfg.faults.devinfo_unterminated {
        // No NUL, and bytes that are neither UTF-8 nor GBK.
        for (i, b) in field.iter_mut().enumerate() {
            *b = if i % 2 == 0 { 0xFF } else { b'Z' };
        }
        return;
    }
    let bytes = name_out(text, cfg.quirks.gbk_names);
    let n = bytes.len().min(field.len().saturating_sub(1));
    field[..n].copy_from_slice(&bytes[..n]);
}

/// DEVINFO in the configured layout (294, 296 or 286 bytes).
fn devinfo(rec: &DeviceRecord, cfg: &TokenConfig) -> Vec<u8> {
    let size = match cfg.quirks.devinfo_size {
        296 => 296,
        286 => 286,
        _ => 294,
    };
    let mut b = vec![0u8; size];
    b[0] = 1;
    put_str(&mut b[2..66], &rec.manufacturer, cfg);
    put_str(&mut b[66..130], "gmseal", cfg);
    put_str(&mut b[130..162], &rec.label, cfg);
    put_str(&mut b[162..194], &rec.serial, cfg);
    b[194] = 1;
    b[196] = 1;
    let caps = if size == 296 { 200 } else { 198 };
    let (sm2_1, sm2_3) = sm2_ids(cfg);
    let mut values = vec![
        SGD_SM4_ECB | SGD_SM4_CBC,
        sm2_1 | sm2_3,
        SGD_SM3,
        SGD_SM4_ECB,
        1 << 20,
        1 << 19,
    ];
    if size != 286 {
        values.extend([1024, 4096]);
    }
    for (i, v) in values.into_iter().enumerate() {
        let at = caps + 4 * i;
        b[at..at + 4].copy_from_slice(&v.to_ne_bytes());
    }
    b
}

exports! {
    fn SKF_WaitForDevEvent(szDevName: LPSTR, pulDevNameLen: *mut ULONG, pulEvent: *mut ULONG) {
        let cfg = config()?;
        loop {
            if CANCEL_WAIT.swap(false, Ordering::SeqCst) {
                return Err(sar::NOT_EVENT);
            }
            let now = present_devices(&cfg.store);
            let event = {
                let mut known = KNOWN_PRESENT.lock().unwrap_or_else(PoisonError::into_inner);
                let prev = known.get_or_insert_with(|| now.clone());
                if let Some(d) = now.difference(prev).next().cloned() {
                    prev.insert(d.clone());
                    Some((d, 1))
                } else if let Some(d) = prev.difference(&now).next().cloned() {
                    prev.remove(&d);
                    Some((d, 2))
                } else {
                    None
                }
            };
            if let Some((name, kind)) = event {
                let mut bytes = name_out(&name, cfg.quirks.gbk_names);
                bytes.push(0);
                // SAFETY: the caller passes a valid length slot and a buffer of that size.
                let cap = unsafe { in_u32(pulDevNameLen) }?;
                if (cap as usize) < bytes.len() {
                    // SAFETY: as above.
                    unsafe { out_u32(pulDevNameLen, bytes.len() as u32) }?;
                    return Err(sar::BUFFER_TOO_SMALL);
                }
                // SAFETY: `szDevName` has `cap >= bytes.len()` bytes.
                unsafe { out_bytes(szDevName.cast(), &bytes) }?;
                let reported = if cfg.faults.event_name_overlong { cap.saturating_add(100) } else { bytes.len() as u32 };
                // SAFETY: valid slots (caller's promise).
                unsafe { out_u32(pulDevNameLen, reported) }?;
                // SAFETY: as above.
                return unsafe { out_u32(pulEvent, kind) };
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn SKF_CancelWaitForDevEvent() {
        CANCEL_WAIT.store(true, Ordering::SeqCst);
        Ok(())
    }

    fn SKF_EnumDev(bPresent: BOOL, szNameList: LPSTR, pulSize: *mut ULONG) {
        let cfg = config()?;
        let names: Vec<String> = if bPresent != 0 {
            present_devices(&cfg.store).into_iter().collect()
        } else {
            all_devices(&cfg.store).into_iter().collect()
        };
        // SAFETY: the caller's buffer and size slot follow the two-call protocol.
        unsafe { name_list(&names, &cfg, szNameList.cast(), pulSize) }
    }

    fn SKF_ConnectDev(szName: LPSTR, phDev: *mut HANDLE) {
        let cfg = config()?;
        // SAFETY: the caller passes a NUL-terminated name.
        let name = name_in(unsafe { in_str(szName) }?, &cfg)?;
        let id = with_rt(|rt| {
            rt.check_present(&name)?;
            Ok(rt.insert(Object::Device { name: name.clone(), locked: false }))
        })?;
        // SAFETY: a valid handle slot (caller's promise).
        unsafe { out_handle(phDev, if cfg.faults.null_handle { 0 } else { id }) }
    }

    fn SKF_DisConnectDev(hDev: HANDLE) {
        with_rt(|rt| match rt.get(hid(hDev))? {
            Object::Device { .. } => {
                rt.remove(hid(hDev));
                Ok(())
            }
            _ => Err(sar::INVALIDHANDLE),
        })
    }

    fn SKF_GetDevState(szDevName: LPSTR, pulDevState: *mut ULONG) {
        let cfg = config()?;
        // SAFETY: the caller passes a NUL-terminated name.
        let name = name_in(unsafe { in_str(szDevName) }?, &cfg)?;
        let state = if present_devices(&cfg.store).contains(&name) {
            1
        } else if all_devices(&cfg.store).contains(&name) {
            0
        } else {
            2
        };
        // SAFETY: a valid slot (caller's promise).
        unsafe { out_u32(pulDevState, state) }
    }

    fn SKF_SetLabel(hDev: HANDLE, szLabel: LPSTR) {
        let cfg = config()?;
        // SAFETY: the caller passes a NUL-terminated label.
        let label = name_in(unsafe { in_str(szLabel) }?, &cfg)?;
        if label.len() >= 32 {
            return Err(sar::INVALIDPARAM);
        }
        with_rt(|rt| {
            let dev = rt.device(hid(hDev))?;
            let mut rec = rt.load(&dev)?;
            rec.label = label;
            rt.save(&dev, &rec)
        })
    }

    fn SKF_GetDevInfo(hDev: HANDLE, pDevInfo: *mut u8) {
        let cfg = config()?;
        let info = with_rt(|rt| {
            let dev = rt.device(hid(hDev))?;
            Ok(devinfo(&rt.load(&dev)?, &cfg))
        })?;
        // SAFETY: the caller passes a DEVINFO-sized buffer (the configured layout's size).
        unsafe { out_bytes(pDevInfo, &info) }
    }

    fn SKF_LockDev(hDev: HANDLE, ulTimeOut: ULONG) {
        let _ = ulTimeOut;
        with_rt(|rt| {
            let name = rt.device(hid(hDev))?;
            // Another handle of the same device holding the lock: time out at once.
            let _ = rt.get(hid(hDev))?;
            let me = hid(hDev);
            let held_elsewhere = rt.other_locks(me, &name);
            if held_elsewhere {
                return Err(sar::TIMEOUT);
            }
            if let Object::Device { locked, .. } = rt.get_mut(me)? {
                *locked = true;
            }
            Ok(())
        })
    }

    fn SKF_UnlockDev(hDev: HANDLE) {
        with_rt(|rt| match rt.get_mut(hid(hDev))? {
            Object::Device { locked, .. } => {
                *locked = false;
                Ok(())
            }
            _ => Err(sar::INVALIDHANDLE),
        })
    }

    fn SKF_GenRandom(hDev: HANDLE, pbRandom: *mut u8, ulRandomLen: ULONG) {
        with_rt(|rt| rt.device(hid(hDev)).map(|_| ()))?;
        let mut buf = vec![0u8; ulRandomLen as usize];
        getrandom::fill(&mut buf).map_err(|_| sar::GENRAND)?;
        // SAFETY: the caller's buffer has `ulRandomLen` bytes.
        unsafe { out_bytes(pbRandom, &buf) }
    }
}
