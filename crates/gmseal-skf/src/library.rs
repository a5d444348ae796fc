//! A loaded SKF library: loading, the per-library call lock, device enumeration and events.

use std::path::{Path, PathBuf};
use std::ptr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};

use crate::device::Device;
use crate::error::{Error, Malformed, Result, SarCode};
use crate::name::{AsName, Name, c_name};
use crate::quirks::{LibraryConfig, Quirks};
use crate::sys;

/// Get a function pointer of the table or fail with [`Error::MissingFunction`].
macro_rules! func {
    ($lib:expr, $name:ident) => {
        $lib.fns.$name.ok_or($crate::Error::MissingFunction {
            function: stringify!($name),
        })?
    };
}
pub(crate) use func;

/// A loaded SKF library (cheap to clone; the library stays loaded while a clone, or a device,
/// application, container or other object opened from it, is alive).
///
/// Calls into one library are serialised by a lock (vendor libraries are not known to be
/// thread-safe), except [`Skf::wait_for_event`] and [`Skf::cancel_wait`], which must run while
/// other calls proceed. Different libraries are independent: each has its own lock, handles and
/// quirks. Opening the same file twice shares the lock (the system loader maps it once).
#[derive(Clone)]
pub struct Skf {
    pub(crate) inner: Arc<LibInner>,
}

pub(crate) struct LibInner {
    pub(crate) fns: sys::FunctionList,
    pub(crate) config: LibraryConfig,
    path: PathBuf,
    calls: Arc<Mutex<()>>,
    // Declared last: dropped after everything that uses the function pointers.
    _lib: libloading::Library,
}

impl std::fmt::Debug for Skf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Skf")
            .field("path", &self.inner.path)
            .field("quirks", &self.inner.config.quirks)
            .field("missing", &self.inner.fns.missing())
            .finish()
    }
}

/// The state of a device (`SKF_GetDevState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DeviceState {
    /// Not present.
    Absent,
    /// Present.
    Present,
    /// Unknown, or a value the standard does not define (kept).
    Unknown(u32),
}

/// What happened to a device (`SKF_WaitForDevEvent`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EventKind {
    /// Inserted.
    Inserted,
    /// Removed.
    Removed,
    /// A value the standard does not define.
    Other(u32),
}

/// A device event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceEvent {
    /// The device.
    pub device: Name,
    /// What happened.
    pub kind: EventKind,
}

/// Identity of a library file, so that two `Skf` of the same file share one call lock.
#[derive(Debug, Clone, PartialEq, Eq)]
enum FileKey {
    #[cfg(unix)]
    Inode(u64, u64),
    #[cfg_attr(unix, allow(dead_code))]
    Path(PathBuf),
}

fn file_key(path: &Path) -> FileKey {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let Ok(m) = std::fs::metadata(path) {
            return FileKey::Inode(m.dev(), m.ino());
        }
    }
    FileKey::Path(path.canonicalize().unwrap_or_else(|_| path.to_path_buf()))
}

type LockRegistry = Mutex<Vec<(FileKey, Weak<Mutex<()>>)>>;
static CALL_LOCKS: LockRegistry = Mutex::new(Vec::new());

fn call_lock_for(path: &Path) -> Arc<Mutex<()>> {
    let key = file_key(path);
    let mut reg = CALL_LOCKS.lock().unwrap_or_else(PoisonError::into_inner);
    reg.retain(|(_, w)| w.strong_count() > 0);
    if let Some(lock) = reg
        .iter()
        .find(|(k, _)| *k == key)
        .and_then(|(_, w)| w.upgrade())
    {
        return lock;
    }
    let lock = Arc::new(Mutex::new(()));
    reg.push((key, Arc::downgrade(&lock)));
    lock
}

fn load(path: &Path) -> std::result::Result<libloading::Library, libloading::Error> {
    #[cfg(unix)]
    {
        use libloading::os::unix::{Library, RTLD_LOCAL, RTLD_NOW};
        // SAFETY: loading runs the library's initialisers; the caller of `Skf::open` chose
        // the file as an SKF library (see its documentation). RTLD_LOCAL keeps its symbols
        // private, so several vendors' `SKF_*` do not interpose on one another.
        unsafe { Library::open(Some(path), RTLD_NOW | RTLD_LOCAL) }.map(Into::into)
    }
    #[cfg(not(unix))]
    {
        // SAFETY: as above; Windows keeps each DLL's exports separate.
        unsafe { libloading::Library::new(path) }
    }
}

impl Skf {
    /// Load the SKF library at `path` with the given configuration.
    ///
    /// Functions the library lacks are reported by [`Skf::missing_functions`] and fail with
    /// [`Error::MissingFunction`] when called; the rest stays usable.
    ///
    /// The library is trusted to be an SKF library: its answers are checked (lengths, strings,
    /// blobs), but a library that corrupts memory cannot be defended against from the same
    /// process.
    ///
    /// # Errors
    /// [`Error::Load`] when the system loader fails, [`Error::NotAnSkfLibrary`] when the file
    /// exports no `SKF_*` function at all.
    pub fn open(path: impl AsRef<Path>, config: LibraryConfig) -> Result<Skf> {
        let path = path.as_ref();
        let lib = load(path).map_err(|source| Error::Load {
            path: path.to_path_buf(),
            source,
        })?;
        // SAFETY: the library is an SKF library (the caller's choice, see above), so each
        // `SKF_*` symbol it exports has the signature of GM/T 0016-2012 §7 declared in
        // `sys::functions`; the table is stored next to `lib`, which outlives it.
        let fns = unsafe { sys::FunctionList::load(&lib) };
        if fns.missing().len() == sys::FUNCTION_NAMES.len() {
            return Err(Error::NotAnSkfLibrary {
                path: path.to_path_buf(),
            });
        }
        Ok(Skf {
            inner: Arc::new(LibInner {
                fns,
                config,
                path: path.to_path_buf(),
                calls: call_lock_for(path),
                _lib: lib,
            }),
        })
    }

    /// Load with the standard quirks.
    ///
    /// # Errors
    /// As [`Skf::open`].
    pub fn open_standard(path: impl AsRef<Path>) -> Result<Skf> {
        Skf::open(path, LibraryConfig::default())
    }

    /// The path the library was loaded from.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// The configuration it was opened with.
    pub fn config(&self) -> &LibraryConfig {
        &self.inner.config
    }

    /// Its quirks.
    pub fn quirks(&self) -> &Quirks {
        &self.inner.config.quirks
    }

    /// The functions of GM/T 0016-2012 the library does not export.
    pub fn missing_functions(&self) -> Vec<&'static str> {
        self.inner.fns.missing()
    }

    /// Does the library export `name` (e.g. `"SKF_DigestInit"`)?
    pub fn has_function(&self, name: &str) -> bool {
        self.inner.fns.has(name)
    }

    /// The devices the driver knows (`SKF_EnumDev`); only present ones when `present_only`.
    ///
    /// # Errors
    /// The library's error, or a malformed name list.
    pub fn devices(&self, present_only: bool) -> Result<Vec<Name>> {
        let lib = &self.inner;
        let f = func!(lib, SKF_EnumDev);
        let present = if present_only { sys::TRUE } else { sys::FALSE };
        let _guard = lib.lock();
        lib.name_list("SKF_EnumDev", |buf, len| {
            // SAFETY: `buf` is null or points at `*len` writable bytes (plus slack), `len` at
            // a valid ULONG; both come from `name_list` and live across the call.
            unsafe { f(present, buf.cast(), len) }
        })
    }

    /// The state of a device (`SKF_GetDevState`).
    ///
    /// # Errors
    /// The library's error.
    pub fn device_state(&self, name: impl AsName) -> Result<DeviceState> {
        let lib = &self.inner;
        let f = func!(lib, SKF_GetDevState);
        let mut cname = c_name(&name, lib.config.quirks.name_encoding)?;
        let mut state: u32 = 0;
        let rc = {
            let _guard = lib.lock();
            // SAFETY: `cname` is NUL-terminated and outlives the call; `state` is a valid
            // ULONG to write.
            unsafe { f(cname.as_mut_ptr().cast(), &mut state) }
        };
        Error::check("SKF_GetDevState", rc)?;
        Ok(match state {
            sys::DEV_ABSENT_STATE => DeviceState::Absent,
            sys::DEV_PRESENT_STATE => DeviceState::Present,
            other => DeviceState::Unknown(other),
        })
    }

    /// Connect to a device (`SKF_ConnectDev`); disconnected when the last handle to it (and to
    /// everything opened from it) is dropped.
    ///
    /// # Errors
    /// The library's error.
    pub fn connect(&self, name: impl AsName) -> Result<Device> {
        let lib = &self.inner;
        let f = func!(lib, SKF_ConnectDev);
        let bytes = name.name_bytes(lib.config.quirks.name_encoding)?;
        let mut cname = c_name(&crate::RawName(&bytes), lib.config.quirks.name_encoding)?;
        let mut handle: sys::DEVHANDLE = ptr::null_mut();
        let rc = {
            let _guard = lib.lock();
            // SAFETY: `cname` is NUL-terminated and outlives the call; `handle` is a valid
            // out-slot.
            unsafe { f(cname.as_mut_ptr().cast(), &mut handle) }
        };
        Error::check("SKF_ConnectDev", rc)?;
        if handle.is_null() {
            return Err(Error::malformed("SKF_ConnectDev", Malformed::NullHandle));
        }
        Ok(Device::new(
            self.inner.clone(),
            handle,
            Name::decode(&bytes, lib.config.quirks.name_encoding),
        ))
    }

    /// Connect to the first present device.
    ///
    /// # Errors
    /// [`Error::NotFound`] when no device is present, or the library's error.
    pub fn connect_first(&self) -> Result<Device> {
        let first = self
            .devices(true)?
            .into_iter()
            .next()
            .ok_or(Error::NotFound {
                what: "present device",
                name: String::new(),
            })?;
        self.connect(&first)
    }

    /// Block until a device is inserted or removed (`SKF_WaitForDevEvent`).
    ///
    /// Does not take the library's call lock, so other calls proceed meanwhile;
    /// [`Skf::cancel_wait`] (from another thread) makes it return with the library's error.
    ///
    /// # Errors
    /// The library's error (also when cancelled), or a malformed answer.
    pub fn wait_for_event(&self) -> Result<DeviceEvent> {
        let lib = &self.inner;
        let f = func!(lib, SKF_WaitForDevEvent);
        const CAP: usize = 1024;
        let mut buf = vec![0u8; CAP + 2];
        let mut len = CAP as u32;
        let mut event: u32 = 0;
        // SAFETY: `buf` has `len` writable bytes (plus two spare zero bytes), `len` and
        // `event` are valid ULONGs; all outlive the call.
        let rc = unsafe { f(buf.as_mut_ptr().cast(), &mut len, &mut event) };
        Error::check("SKF_WaitForDevEvent", rc)?;
        let len = checked_len("SKF_WaitForDevEvent", len, CAP)?;
        let raw = crate::decode::c_string_field(buf.get(..len).unwrap_or_default());
        Ok(DeviceEvent {
            device: Name::decode(raw, lib.config.quirks.name_encoding),
            kind: match event {
                sys::DEV_EVENT_INSERTED => EventKind::Inserted,
                sys::DEV_EVENT_REMOVED => EventKind::Removed,
                other => EventKind::Other(other),
            },
        })
    }

    /// Make a blocked [`Skf::wait_for_event`] return (`SKF_CancelWaitForDevEvent`).
    ///
    /// # Errors
    /// The library's error.
    pub fn cancel_wait(&self) -> Result<()> {
        let lib = &self.inner;
        let f = func!(lib, SKF_CancelWaitForDevEvent);
        // SAFETY: no arguments.
        let rc = unsafe { f() };
        Error::check("SKF_CancelWaitForDevEvent", rc)
    }
}

/// Check a length written by the library against the capacity it was given.
pub(crate) fn checked_len(function: &'static str, len: u32, capacity: usize) -> Result<usize> {
    let len = usize::try_from(len).unwrap_or(usize::MAX);
    if len > capacity {
        return Err(Error::malformed(
            function,
            Malformed::LengthExceedsBuffer {
                claimed: len,
                capacity,
            },
        ));
    }
    Ok(len)
}

/// Buffer size tried when a library refuses the length query.
const LENGTH_QUERY_FALLBACK: usize = 16 * 1024;

/// Spare zero bytes after every output buffer, against libraries that write one NUL more than
/// they announced.
const SLACK: usize = 2;

impl LibInner {
    /// Take the call lock. Poisoning is ignored: the lock protects no data of ours, only the
    /// library from concurrent calls.
    pub(crate) fn lock(&self) -> MutexGuard<'_, ()> {
        self.calls.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A variable-length output by the two-call protocol: a length query with a null buffer,
    /// then the call with a buffer of that length. Call with the lock held.
    pub(crate) fn two_call(
        &self,
        function: &'static str,
        mut call: impl FnMut(*mut u8, *mut u32) -> u32,
    ) -> Result<Vec<u8>> {
        let limit = self.config.max_answer_len;
        let mut needed: u32 = 0;
        let rc = call(ptr::null_mut(), &mut needed);
        if rc != sys::SAR_OK && rc != sys::SAR_BUFFER_TOO_SMALL {
            // Some libraries refuse the length query (a null buffer) with an error; try once
            // with a buffer of a size that fits common answers. A real error comes back from
            // that call too.
            needed = u32::try_from(LENGTH_QUERY_FALLBACK.min(limit)).unwrap_or(u32::MAX);
        }
        // A library may grow its answer between the calls (a device plugged in); retry a
        // few times when it says the buffer is too small.
        for _ in 0..3 {
            let cap = usize::try_from(needed).unwrap_or(usize::MAX);
            if cap > limit {
                return Err(Error::malformed(
                    function,
                    Malformed::TooLarge { len: cap, limit },
                ));
            }
            if cap == 0 {
                return Ok(Vec::new());
            }
            let mut buf = vec![0u8; cap + SLACK];
            let mut len = needed;
            let rc = call(buf.as_mut_ptr(), &mut len);
            if rc == sys::SAR_BUFFER_TOO_SMALL && len > needed {
                needed = len;
                continue;
            }
            Error::check(function, rc)?;
            let len = checked_len(function, len, cap)?;
            buf.truncate(len);
            return Ok(buf);
        }
        Err(Error::Sar {
            function,
            code: SarCode::BufferTooSmall,
        })
    }

    /// A name list by the two-call protocol, decoded. Call with the lock held.
    pub(crate) fn name_list(
        &self,
        function: &'static str,
        call: impl FnMut(*mut u8, *mut u32) -> u32,
    ) -> Result<Vec<Name>> {
        let raw = self.two_call(function, call)?;
        let names = crate::decode::name_list(&raw, self.config.max_names)
            .map_err(|p| Error::malformed(function, p))?;
        Ok(names
            .into_iter()
            .map(|n| Name::decode(n, self.config.quirks.name_encoding))
            .collect())
    }
}
