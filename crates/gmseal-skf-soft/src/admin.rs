//! Initialising a token: devices, applications with their PINs, containers, keys and
//! certificates. This is what a vendor's personalisation tool does; the SKF interface itself
//! offers no standard way to create an application without device authentication.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use gmseal_sm2::{PublicKey, SecretKey};

use crate::store::{
    self, ABSENT_FILE, AppRecord, ContainerRecord, DeviceRecord, KeyRecord, PinRecord,
};

/// Errors of the admin API.
#[derive(Debug)]
#[non_exhaustive]
pub enum AdminError {
    /// Reading or writing the store failed.
    Io(io::Error),
    /// No such device, application or container.
    NotFound {
        /// What.
        what: &'static str,
        /// Its name.
        name: String,
    },
    /// It already exists.
    Exists {
        /// What.
        what: &'static str,
        /// Its name.
        name: String,
    },
    /// The PIN given does not open the application key.
    WrongPin,
    /// A key or certificate could not be read.
    Key(gmseal_sm2::Error),
    /// A name is empty or too long.
    BadName {
        /// The name.
        name: String,
    },
}

impl fmt::Display for AdminError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AdminError::Io(e) => write!(f, "token store: {e}"),
            AdminError::NotFound { what, name } => write!(f, "no {what} named {name:?}"),
            AdminError::Exists { what, name } => write!(f, "{what} {name:?} exists already"),
            AdminError::WrongPin => f.write_str("wrong PIN"),
            AdminError::Key(e) => write!(f, "key: {e}"),
            AdminError::BadName { name } => write!(f, "bad name {name:?} (1 to 32 bytes, no NUL)"),
        }
    }
}

impl std::error::Error for AdminError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            AdminError::Io(e) => Some(e),
            AdminError::Key(e) => Some(e),
            _ => None,
        }
    }
}

impl From<io::Error> for AdminError {
    fn from(e: io::Error) -> Self {
        AdminError::Io(e)
    }
}

/// PINs and policy of a new application.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AppSpec {
    /// Admin (SO) PIN.
    pub admin_pin: String,
    /// User PIN.
    pub user_pin: String,
    /// Admin PIN tries.
    pub admin_retries: u32,
    /// User PIN tries.
    pub user_retries: u32,
    /// PBKDF2 iterations for the PIN-derived keys.
    pub kdf_iterations: u32,
}

impl AppSpec {
    /// PINs with 6 tries each (GmSSL's default) and 10 000 PBKDF2 iterations.
    pub fn new(admin_pin: impl Into<String>, user_pin: impl Into<String>) -> AppSpec {
        AppSpec {
            admin_pin: admin_pin.into(),
            user_pin: user_pin.into(),
            admin_retries: 6,
            user_retries: 6,
            kdf_iterations: 10_000,
        }
    }

    /// Set the number of tries of both PINs.
    #[must_use]
    pub fn retries(mut self, admin: u32, user: u32) -> Self {
        self.admin_retries = admin;
        self.user_retries = user;
        self
    }

    /// Set the PBKDF2 iteration count (tests under valgrind use few).
    #[must_use]
    pub fn kdf_iterations(mut self, n: u32) -> Self {
        self.kdf_iterations = n;
        self
    }
}

/// A token store directory.
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
}

fn check_name(name: &str, limit: usize) -> Result<(), AdminError> {
    if name.is_empty() || name.len() > limit || name.contains('\0') || name.contains('/') {
        return Err(AdminError::BadName {
            name: name.to_string(),
        });
    }
    Ok(())
}

impl Store {
    /// Open (creating the directory if needed).
    ///
    /// # Errors
    /// When the directory cannot be created.
    pub fn create(root: impl Into<PathBuf>) -> Result<Store, AdminError> {
        let root = root.into();
        fs::create_dir_all(&root)?;
        Ok(Store { root })
    }

    /// The directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn dev_dir(&self, device: &str) -> PathBuf {
        self.root.join(device)
    }

    fn load(&self, device: &str) -> Result<DeviceRecord, AdminError> {
        let dir = self.dev_dir(device);
        if !dir.join(store::DEVICE_FILE).exists() {
            return Err(AdminError::NotFound {
                what: "device",
                name: device.to_string(),
            });
        }
        Ok(store::load_device(&dir)?)
    }

    fn update<T>(
        &self,
        device: &str,
        f: impl FnOnce(&mut DeviceRecord) -> Result<T, AdminError>,
    ) -> Result<T, AdminError> {
        let mut rec = self.load(device)?;
        let out = f(&mut rec)?;
        store::save_device(&self.dev_dir(device), &rec)?;
        Ok(out)
    }

    /// Add a device.
    ///
    /// # Errors
    /// [`AdminError::Exists`], or a store error.
    pub fn add_device(&self, device: &str, label: &str, serial: &str) -> Result<(), AdminError> {
        check_name(device, 64)?;
        let dir = self.dev_dir(device);
        if dir.join(store::DEVICE_FILE).exists() {
            return Err(AdminError::Exists {
                what: "device",
                name: device.to_string(),
            });
        }
        fs::create_dir_all(&dir)?;
        store::save_device(
            &dir,
            &DeviceRecord {
                label: label.to_string(),
                serial: serial.to_string(),
                manufacturer: "gmseal soft token".to_string(),
                applications: Vec::new(),
            },
        )?;
        Ok(())
    }

    /// "Plug" or "unplug" a device.
    ///
    /// # Errors
    /// A store error.
    pub fn set_present(&self, device: &str, present: bool) -> Result<(), AdminError> {
        let marker = self.dev_dir(device).join(ABSENT_FILE);
        if present {
            match fs::remove_file(marker) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e.into()),
                _ => {}
            }
        } else {
            fs::write(marker, b"")?;
        }
        Ok(())
    }

    /// Add an application.
    ///
    /// # Errors
    /// [`AdminError::Exists`], or a store error.
    pub fn add_application(
        &self,
        device: &str,
        app: &str,
        spec: &AppSpec,
    ) -> Result<(), AdminError> {
        check_name(app, 32)?;
        self.update(device, |rec| {
            if rec.app(app).is_some() {
                return Err(AdminError::Exists {
                    what: "application",
                    name: app.to_string(),
                });
            }
            let ak = store::random32()?;
            rec.applications.push(AppRecord {
                name: app.to_string(),
                admin_pin: PinRecord::new(
                    spec.admin_pin.as_bytes(),
                    spec.admin_retries,
                    spec.kdf_iterations,
                    &ak,
                )?,
                user_pin: PinRecord::new(
                    spec.user_pin.as_bytes(),
                    spec.user_retries,
                    spec.kdf_iterations,
                    &ak,
                )?,
                create_file_rights: 0xFF,
                files: Vec::new(),
                containers: Vec::new(),
            });
            Ok(())
        })
    }

    /// Add an empty container.
    ///
    /// # Errors
    /// [`AdminError::Exists`], [`AdminError::NotFound`], or a store error.
    pub fn add_container(
        &self,
        device: &str,
        app: &str,
        container: &str,
    ) -> Result<(), AdminError> {
        check_name(container, 64)?;
        self.update(device, |rec| {
            let a = app_mut(rec, app)?;
            if a.container(container).is_some() {
                return Err(AdminError::Exists {
                    what: "container",
                    name: container.to_string(),
                });
            }
            a.containers.push(ContainerRecord {
                name: container.to_string(),
                ..ContainerRecord::default()
            });
            Ok(())
        })
    }

    /// Put a signing key into a container (generated when `secret` is `None`); the user PIN
    /// opens the application key the private key is sealed under.
    ///
    /// # Errors
    /// [`AdminError::WrongPin`], [`AdminError::NotFound`], or a store error.
    pub fn set_sign_key(
        &self,
        device: &str,
        app: &str,
        container: &str,
        user_pin: &str,
        secret: Option<&SecretKey>,
    ) -> Result<PublicKey, AdminError> {
        let secret = match secret {
            Some(s) => s.clone(),
            None => gmseal_sm2::SoftwareSigner::try_generate()
                .map_err(AdminError::Key)?
                .secret_key()
                .clone(),
        };
        self.update(device, |rec| {
            let a = app_mut(rec, app)?;
            let ak = a
                .user_pin
                .unlock(user_pin.as_bytes())
                .ok_or(AdminError::WrongPin)?;
            let c = a
                .container_mut(container)
                .ok_or_else(|| AdminError::NotFound {
                    what: "container",
                    name: container.to_string(),
                })?;
            let public = secret.public_key();
            c.sign_key = Some(KeyRecord {
                public: public_sec1(&public),
                sealed_secret: store::seal(&ak, &secret.to_bytes())?,
            });
            Ok(public)
        })
    }

    /// Store a certificate in a container (signing or encryption).
    ///
    /// # Errors
    /// [`AdminError::NotFound`], or a store error.
    pub fn set_certificate(
        &self,
        device: &str,
        app: &str,
        container: &str,
        sign: bool,
        der: &[u8],
    ) -> Result<(), AdminError> {
        self.update(device, |rec| {
            let c = app_mut(rec, app)?.container_mut(container).ok_or_else(|| {
                AdminError::NotFound {
                    what: "container",
                    name: container.to_string(),
                }
            })?;
            if sign {
                c.sign_cert = Some(der.to_vec());
            } else {
                c.enc_cert = Some(der.to_vec());
            }
            Ok(())
        })
    }

    /// Tries left of the user (`admin = false`) or admin PIN.
    ///
    /// # Errors
    /// [`AdminError::NotFound`], or a store error.
    pub fn pin_remaining(&self, device: &str, app: &str, admin: bool) -> Result<u32, AdminError> {
        let rec = self.load(device)?;
        let a = rec.app(app).ok_or_else(|| AdminError::NotFound {
            what: "application",
            name: app.to_string(),
        })?;
        Ok(if admin {
            a.admin_pin.remaining
        } else {
            a.user_pin.remaining
        })
    }
}

fn app_mut<'a>(rec: &'a mut DeviceRecord, app: &str) -> Result<&'a mut AppRecord, AdminError> {
    rec.app_mut(app).ok_or_else(|| AdminError::NotFound {
        what: "application",
        name: app.to_string(),
    })
}

/// SEC1 uncompressed encoding.
pub(crate) fn public_sec1(pk: &PublicKey) -> Vec<u8> {
    let (x, y) = gmseal_sm2::distid::coordinates(pk);
    let mut v = Vec::with_capacity(65);
    v.push(4);
    v.extend_from_slice(&x);
    v.extend_from_slice(&y);
    v
}
