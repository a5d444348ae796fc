//! The token's state in the process: its configuration, and the objects behind the handles it
//! gave out.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use zeroize::Zeroizing;

use crate::config::{CONFIG_ENV, STORE_ENV, TokenConfig};
use crate::sar::{self, R};
use crate::store::{self, DeviceRecord};

/// A logged-in application: who, and the application key their PIN opened.
pub(crate) struct Login {
    pub(crate) admin: bool,
    pub(crate) app_key: Zeroizing<[u8; 32]>,
}

/// Cipher state of a session key.
pub(crate) struct CipherOp {
    pub(crate) encrypt: bool,
    pub(crate) iv: Vec<u8>,
    pub(crate) pkcs5: bool,
}

/// What a handle stands for.
pub(crate) enum Object {
    Device {
        name: String,
        locked: bool,
    },
    App {
        device: String,
        app: String,
        login: Option<Login>,
    },
    Container {
        device: String,
        app: String,
        app_handle: usize,
        name: String,
    },
    Hash {
        sm3: sm3::Sm3,
    },
    Key {
        alg: u32,
        key: Zeroizing<[u8; 16]>,
        op: Option<CipherOp>,
    },
}

/// The token's state.
pub(crate) struct Runtime {
    pub(crate) config: TokenConfig,
    objects: HashMap<usize, Object>,
    next: usize,
}

static RUNTIME: Mutex<Option<Runtime>> = Mutex::new(None);

/// Devices known present when the last event was reported (or at start).
pub(crate) static KNOWN_PRESENT: Mutex<Option<BTreeSet<String>>> = Mutex::new(None);

/// Run `f` on the state, initialising it at the first call.
pub(crate) fn with_rt<T>(f: impl FnOnce(&mut Runtime) -> R<T>) -> R<T> {
    let mut guard = RUNTIME.lock().unwrap_or_else(PoisonError::into_inner);
    if guard.is_none() {
        let config = locate_config().ok_or(sar::NOTINITIALIZE)?;
        let present = present_devices(&config.store);
        *KNOWN_PRESENT.lock().unwrap_or_else(PoisonError::into_inner) = Some(present);
        *guard = Some(Runtime {
            config,
            objects: HashMap::new(),
            next: 0x1000,
        });
    }
    match guard.as_mut() {
        Some(rt) => f(rt),
        None => Err(sar::FAIL),
    }
}

/// The path of this library as the loader knows it.
#[cfg(unix)]
fn own_path() -> Option<PathBuf> {
    use std::ffi::CStr;
    use std::os::unix::ffi::OsStrExt;
    // SAFETY: `Dl_info` is plain data; all-zero is a valid value that dladdr overwrites.
    let mut info: libc::Dl_info = unsafe { std::mem::zeroed() };
    let addr = own_path as fn() -> Option<PathBuf> as *const libc::c_void;
    // SAFETY: `addr` is the address of a function of this library, `info` a valid out-slot.
    let rc = unsafe { libc::dladdr(addr, &mut info) };
    if rc == 0 || info.dli_fname.is_null() {
        return None;
    }
    // SAFETY: dladdr succeeded, so `dli_fname` is a NUL-terminated path owned by the loader,
    // valid while the library is loaded; it is copied at once.
    let name = unsafe { CStr::from_ptr(info.dli_fname) };
    Some(PathBuf::from(std::ffi::OsStr::from_bytes(name.to_bytes())))
}

#[cfg(not(unix))]
fn own_path() -> Option<PathBuf> {
    None
}

/// The configuration file beside a library: `<library path>.json`.
pub fn sidecar_path(library: &Path) -> PathBuf {
    let mut s = library.as_os_str().to_os_string();
    s.push(".json");
    PathBuf::from(s)
}

fn locate_config() -> Option<TokenConfig> {
    if let Some(lib) = own_path() {
        let side = sidecar_path(&lib);
        if side.is_file() {
            return TokenConfig::read(&side).ok();
        }
    }
    if let Some(p) = std::env::var_os(CONFIG_ENV) {
        return TokenConfig::read(Path::new(&p)).ok();
    }
    std::env::var_os(STORE_ENV).map(TokenConfig::new)
}

/// Names of the devices present in a store.
pub(crate) fn present_devices(store_dir: &Path) -> BTreeSet<String> {
    all_devices(store_dir)
        .into_iter()
        .filter(|d| !store_dir.join(d).join(store::ABSENT_FILE).exists())
        .collect()
}

/// Names of all devices of a store.
pub(crate) fn all_devices(store_dir: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    if let Ok(entries) = std::fs::read_dir(store_dir) {
        for e in entries.flatten() {
            if e.path().join(store::DEVICE_FILE).is_file() {
                if let Some(n) = e.file_name().to_str() {
                    out.insert(n.to_string());
                }
            }
        }
    }
    out
}

impl Runtime {
    /// Register an object; its handle.
    pub(crate) fn insert(&mut self, obj: Object) -> usize {
        let h = self.next;
        self.next += 1;
        self.objects.insert(h, obj);
        h
    }

    pub(crate) fn remove(&mut self, h: usize) -> Option<Object> {
        self.objects.remove(&h)
    }

    pub(crate) fn get(&self, h: usize) -> R<&Object> {
        self.objects.get(&h).ok_or(sar::INVALIDHANDLE)
    }

    pub(crate) fn get_mut(&mut self, h: usize) -> R<&mut Object> {
        self.objects.get_mut(&h).ok_or(sar::INVALIDHANDLE)
    }

    /// Does another handle of `device` hold the device lock?
    pub(crate) fn other_locks(&self, me: usize, device: &str) -> bool {
        self.objects.iter().any(|(h, o)| {
            *h != me && matches!(o, Object::Device { name, locked: true } if name == device)
        })
    }

    pub(crate) fn dev_dir(&self, device: &str) -> PathBuf {
        self.config.store.join(device)
    }

    /// Fail with `SAR_DEVICE_REMOVED` when the device is unplugged or gone.
    pub(crate) fn check_present(&self, device: &str) -> R {
        let dir = self.dev_dir(device);
        if !dir.join(store::DEVICE_FILE).is_file() || dir.join(store::ABSENT_FILE).exists() {
            return Err(sar::DEVICE_REMOVED);
        }
        Ok(())
    }

    pub(crate) fn load(&self, device: &str) -> R<DeviceRecord> {
        self.check_present(device)?;
        store::load_device(&self.dev_dir(device)).map_err(|_| sar::FILE)
    }

    pub(crate) fn save(&self, device: &str, rec: &DeviceRecord) -> R {
        store::save_device(&self.dev_dir(device), rec).map_err(|_| sar::WRITEFILE)
    }

    /// The device name of a device handle.
    pub(crate) fn device(&self, h: usize) -> R<String> {
        match self.get(h)? {
            Object::Device { name, .. } => {
                self.check_present(name)?;
                Ok(name.clone())
            }
            _ => Err(sar::INVALIDHANDLE),
        }
    }

    /// Device and application names of an application handle.
    pub(crate) fn app(&self, h: usize) -> R<(String, String)> {
        match self.get(h)? {
            Object::App { device, app, .. } => {
                self.check_present(device)?;
                Ok((device.clone(), app.clone()))
            }
            _ => Err(sar::INVALIDHANDLE),
        }
    }

    /// The login of an application handle.
    pub(crate) fn login(&self, app_handle: usize) -> Option<&Login> {
        match self.objects.get(&app_handle) {
            Some(Object::App { login, .. }) => login.as_ref(),
            _ => None,
        }
    }

    /// The application key, if the user is logged in on the application handle.
    pub(crate) fn user_key(&self, app_handle: usize) -> R<Zeroizing<[u8; 32]>> {
        match self.login(app_handle) {
            Some(l) if !l.admin => Ok(l.app_key.clone()),
            _ => Err(sar::USER_NOT_LOGGED_IN),
        }
    }

    /// (device, app, app handle, container) of a container handle.
    pub(crate) fn container(&self, h: usize) -> R<(String, String, usize, String)> {
        match self.get(h)? {
            Object::Container {
                device,
                app,
                app_handle,
                name,
            } => {
                self.check_present(device)?;
                Ok((device.clone(), app.clone(), *app_handle, name.clone()))
            }
            _ => Err(sar::INVALIDHANDLE),
        }
    }
}
