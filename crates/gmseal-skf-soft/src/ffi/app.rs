//! §7.3 application management (creating and deleting applications is done with the admin API:
//! it needs device authentication, which this token does not offer).

use super::*;
use crate::runtime::Object;

exports! {
    fn SKF_EnumApplication(hDev: HANDLE, szAppName: LPSTR, pulSize: *mut ULONG) {
        let cfg = config()?;
        let names = with_rt(|rt| {
            let dev = rt.device(hid(hDev))?;
            Ok(rt.load(&dev)?.applications.iter().map(|a| a.name.clone()).collect::<Vec<_>>())
        })?;
        // SAFETY: the caller's buffer and size slot follow the two-call protocol.
        unsafe { name_list(&names, &cfg, szAppName.cast(), pulSize) }
    }

    fn SKF_OpenApplication(hDev: HANDLE, szAppName: LPSTR, phApplication: *mut HANDLE) {
        let cfg = config()?;
        // SAFETY: the caller passes a NUL-terminated name.
        let name = name_in(unsafe { in_str(szAppName) }?, &cfg)?;
        let id = with_rt(|rt| {
            let dev = rt.device(hid(hDev))?;
            if rt.load(&dev)?.app(&name).is_none() {
                return Err(sar::APPLICATION_NOT_EXISTS);
            }
            Ok(rt.insert(Object::App { device: dev, app: name.clone(), login: None }))
        })?;
        // SAFETY: a valid handle slot (caller's promise).
        unsafe { out_handle(phApplication, id) }
    }

    fn SKF_CloseApplication(hApplication: HANDLE) {
        with_rt(|rt| match rt.get(hid(hApplication))? {
            Object::App { .. } => {
                rt.remove(hid(hApplication));
                Ok(())
            }
            _ => Err(sar::INVALIDHANDLE),
        })
    }
}
