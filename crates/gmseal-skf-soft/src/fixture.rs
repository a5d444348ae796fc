//! Test support: find the built token, install copies of it with their own configuration, and
//! set up a token with a signing key in a directory.
//!
//! The token must be *loaded* (dlopen) by the code under test, never linked into it: its
//! `SKF_*` exports would otherwise be part of the test binary. A crate whose tests use it adds
//! `gmseal-skf-soft` as a dev-dependency: cargo then builds the cdylib (the crate's
//! `crate-type` includes it) before the tests, into the same directory as the test binary's
//! dependencies, where [`cdylib_path`] finds it. No nested `cargo build` is run (it could
//! deadlock on cargo's build-directory lock while `cargo test` holds it).

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use gmseal_sm2::{PublicKey, SecretKey};

use crate::admin::{AdminError, AppSpec, Store};
use crate::config::{Faults, SoftQuirks, TokenConfig};
use crate::runtime::sidecar_path;

/// Environment variable that overrides where the built token is.
pub const LIB_ENV: &str = "GMSEAL_SKF_SOFT_LIB";

/// File name of the token on this platform (`libgmseal_skf_soft.so`).
pub fn cdylib_file_name() -> String {
    format!(
        "{}gmseal_skf_soft{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    )
}

/// The built token: `$GMSEAL_SKF_SOFT_LIB` if set; otherwise the newest
/// `libgmseal_skf_soft.so` of the directory cargo built this crate into
/// (`<target>/<profile>/deps/`, found from this crate's `OUT_DIR`), next to the running
/// executable, or in its parent. A test binary lives in `<target>/<profile>/deps/`, an example
/// in `<target>/<profile>/examples/`.
///
/// # Errors
/// A message saying where it looked and how to build it.
pub fn cdylib_path() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os(LIB_ENV) {
        let p = PathBuf::from(p);
        return if p.is_file() {
            Ok(p)
        } else {
            Err(format!("{LIB_ENV}={} is not a file", p.display()))
        };
    }
    let name = cdylib_file_name();
    let mut dirs = Vec::new();
    // OUT_DIR = <target>/<profile>/build/gmseal-skf-soft-<hash>/out
    if let Some(profile) = Path::new(env!("OUT_DIR")).ancestors().nth(3) {
        dirs.push(profile.join("deps"));
        dirs.push(profile.to_path_buf());
    }
    if let Ok(exe) = std::env::current_exe() {
        if let Some(d) = exe.parent() {
            dirs.push(d.to_path_buf());
            if let Some(p) = d.parent() {
                dirs.push(p.to_path_buf());
                dirs.push(p.join("deps"));
            }
        }
    }
    let mut candidates: Vec<_> = dirs
        .iter()
        .map(|d| d.join(&name))
        .filter_map(|p| p.metadata().ok().map(|m| (m.modified().ok(), p)))
        .collect();
    candidates.sort();
    candidates.pop().map(|(_, p)| p).ok_or_else(|| {
        format!(
            "{name} not found in {dirs:?}; add gmseal-skf-soft as a dev-dependency \
             (cargo then builds it before the tests), run `cargo build -p gmseal-skf-soft`, or set {LIB_ENV}"
        )
    })
}

static INSTALLED: AtomicU64 = AtomicU64::new(0);

/// Copy the token into `dir` under a unique name and write its configuration beside it
/// (`<copy>.json`). Each copy is a separate library for the loader, with its own state.
///
/// # Errors
/// When the token is not built or files cannot be written.
pub fn install(dir: &Path, config: &TokenConfig) -> io::Result<PathBuf> {
    install_without(dir, config, &[])
}

/// Like [`install`], with the given `SKF_*` symbols hidden: their names are changed in the copy
/// (`SKF_` → `XKF_` in the symbol string tables), so the loader does not find them. This makes
/// a library that lacks optional functions without a second build.
///
/// # Errors
/// When the token is not built, a name is not found in it, or files cannot be written.
pub fn install_without(dir: &Path, config: &TokenConfig, hidden: &[&str]) -> io::Result<PathBuf> {
    let src = cdylib_path().map_err(io::Error::other)?;
    let mut bytes = std::fs::read(&src)?;
    if !hidden.is_empty() {
        hide_symbols(&mut bytes, hidden).map_err(|name| {
            io::Error::other(format!("symbol {name} not found in {}", src.display()))
        })?;
    }
    let n = INSTALLED.fetch_add(1, Ordering::Relaxed);
    let file = dir.join(format!(
        "{}gmseal_skf_soft_{}_{n}{}",
        std::env::consts::DLL_PREFIX,
        std::process::id(),
        std::env::consts::DLL_SUFFIX
    ));
    std::fs::write(&file, &bytes)?;
    config.write(&sidecar_path(&file))?;
    Ok(file)
}

/// Rename every NUL-delimited string `SKF_<name>` listed in `hidden` to `XKF_<name>`, in one
/// pass over the file (string tables hold symbol names as NUL-terminated strings preceded by the
/// previous string's NUL). Returns the first name never found.
fn hide_symbols(bytes: &mut [u8], hidden: &[&str]) -> Result<(), String> {
    let mut found = vec![false; hidden.len()];
    let mut i = 1;
    while i + 4 < bytes.len() {
        if bytes[i] == b'S' && bytes[i - 1] == 0 && &bytes[i + 1..i + 4] == b"KF_" {
            let end = bytes[i..]
                .iter()
                .position(|b| *b == 0)
                .map_or(bytes.len(), |n| i + n);
            if let Some(k) = hidden.iter().position(|h| h.as_bytes() == &bytes[i..end]) {
                bytes[i] = b'X';
                found[k] = true;
            }
            i = end;
        } else {
            i += 1;
        }
    }
    match found.iter().position(|f| !f) {
        Some(k) => Err(hidden[k].to_string()),
        None => Ok(()),
    }
}

/// What [`TestToken::create`] sets up.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TestTokenSpec {
    /// Signing key to import; a fresh one when `None`.
    pub secret: Option<SecretKey>,
    /// Signing certificate (DER) to store.
    pub certificate: Option<Vec<u8>>,
    /// Vendor quirks to mimic.
    pub quirks: SoftQuirks,
    /// Faults to inject.
    pub faults: Faults,
    /// PIN tries.
    pub retries: u32,
}

impl Default for TestTokenSpec {
    fn default() -> Self {
        TestTokenSpec {
            secret: None,
            certificate: None,
            quirks: SoftQuirks::default(),
            faults: Faults::default(),
            retries: 6,
        }
    }
}

impl TestTokenSpec {
    /// Import this signing key instead of generating one.
    #[must_use]
    pub fn secret(mut self, secret: SecretKey) -> Self {
        self.secret = Some(secret);
        self
    }

    /// Store this signing certificate (DER).
    #[must_use]
    pub fn certificate(mut self, der: impl Into<Vec<u8>>) -> Self {
        self.certificate = Some(der.into());
        self
    }

    /// Mimic these vendor quirks.
    #[must_use]
    pub fn quirks(mut self, quirks: SoftQuirks) -> Self {
        self.quirks = quirks;
        self
    }

    /// Inject these faults.
    #[must_use]
    pub fn faults(mut self, faults: Faults) -> Self {
        self.faults = faults;
        self
    }

    /// Allow this many PIN tries.
    #[must_use]
    pub fn retries(mut self, retries: u32) -> Self {
        self.retries = retries;
        self
    }
}

/// A token in a directory, ready to sign: one device, application and container with a signing
/// key (and a certificate if given), and an installed copy of the library.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TestToken {
    /// The library copy to load.
    pub library: PathBuf,
    /// The store directory.
    pub store: PathBuf,
    /// Device name.
    pub device: String,
    /// Application name.
    pub application: String,
    /// Container name.
    pub container: String,
    /// Admin PIN.
    pub admin_pin: String,
    /// User PIN.
    pub user_pin: String,
    /// The signing public key.
    pub public_key: PublicKey,
}

impl TestToken {
    /// Device name used.
    pub const DEVICE: &'static str = "SoftKey0";
    /// Application name used.
    pub const APPLICATION: &'static str = "SEAL_APP";
    /// Container name used.
    pub const CONTAINER: &'static str = "SEAL_CON";
    /// Admin PIN used.
    pub const ADMIN_PIN: &'static str = "12345678";
    /// User PIN used.
    pub const USER_PIN: &'static str = "88888888";

    /// Set up in `dir` (which must exist; a temporary directory in tests).
    ///
    /// # Errors
    /// When files cannot be written or the token is not built.
    pub fn create(dir: &Path, spec: &TestTokenSpec) -> Result<TestToken, AdminError> {
        let store_dir = dir.join("store");
        let store = Store::create(&store_dir)?;
        store.add_device(Self::DEVICE, "gmseal test key", "SN-0001")?;
        store.add_application(
            Self::DEVICE,
            Self::APPLICATION,
            // Few PBKDF2 iterations: tests (also under valgrind) verify PINs often.
            &AppSpec::new(Self::ADMIN_PIN, Self::USER_PIN)
                .retries(spec.retries, spec.retries)
                .kdf_iterations(64),
        )?;
        store.add_container(Self::DEVICE, Self::APPLICATION, Self::CONTAINER)?;
        let public_key = store.set_sign_key(
            Self::DEVICE,
            Self::APPLICATION,
            Self::CONTAINER,
            Self::USER_PIN,
            spec.secret.as_ref(),
        )?;
        if let Some(cert) = &spec.certificate {
            store.set_certificate(Self::DEVICE, Self::APPLICATION, Self::CONTAINER, true, cert)?;
        }
        let config = TokenConfig {
            store: store_dir.clone(),
            quirks: spec.quirks,
            faults: spec.faults.clone(),
        };
        let library = install(dir, &config)?;
        Ok(TestToken {
            library,
            store: store_dir,
            device: Self::DEVICE.to_string(),
            application: Self::APPLICATION.to_string(),
            container: Self::CONTAINER.to_string(),
            admin_pin: Self::ADMIN_PIN.to_string(),
            user_pin: Self::USER_PIN.to_string(),
            public_key,
        })
    }

    /// The admin API on this token's store.
    ///
    /// # Errors
    /// When the store directory cannot be opened.
    pub fn admin(&self) -> Result<Store, AdminError> {
        Store::create(&self.store)
    }
}
