//! Signing keys: a private key file, or a container on an SKF device (a "UKey").

use std::path::PathBuf;

use gmseal_skf::{LibraryConfig, Quirks, SignerConfig, SkfSigner};
use gmseal_sm2::KeyError;
use gmseal_sm2::key::load_private_key;
use gmseal_sm2::{Sm2Signer, SoftwareSigner};

use crate::error::{CliError, CliResult};
use crate::output::read_limited;
use crate::secret;

/// The largest key or certificate file read.
const MAX_KEY_FILE: u64 = 1 << 20;

/// Where the signing key is: `--key FILE`, or `--skf-lib PATH --skf-app APP --container NAME`.
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Signing key (a file, or an SKF device)")]
pub(crate) struct KeyArgs {
    /// Private key file: PKCS#8 or SEC1, PEM or DER, optionally encrypted (PBES2 with AES or
    /// SM4); its password is read from $GMSEAL_KEY_PASSWORD (or --password-env) or asked for.
    #[arg(long, value_name = "FILE", conflicts_with = "skf_lib")]
    pub(crate) key: Option<PathBuf>,
    /// The environment variable holding the key file's password.
    #[arg(long, value_name = "VAR", default_value = secret::KEY_PASSWORD_ENV)]
    pub(crate) password_env: String,
    /// The vendor's SKF library (GM/T 0016) of the UKey holding the key.
    #[arg(long, value_name = "PATH", requires_all = ["skf_app", "container"])]
    pub(crate) skf_lib: Option<PathBuf>,
    /// The SKF application holding the container.
    #[arg(long, value_name = "APP", requires = "skf_lib")]
    pub(crate) skf_app: Option<String>,
    /// The SKF container holding the signing key.
    #[arg(long, value_name = "NAME", requires = "skf_lib")]
    pub(crate) container: Option<String>,
    /// The SKF device (default: the first one present).
    #[arg(long, value_name = "DEVICE", requires = "skf_lib")]
    pub(crate) skf_device: Option<String>,
    /// Vendor quirks of the SKF library.
    #[arg(long, value_name = "PRESET", requires = "skf_lib", default_value = "standard",
          value_parser = ["standard", "legacy-header", "gbk"])]
    pub(crate) skf_quirks: String,
    /// The environment variable holding the user PIN of the SKF application.
    #[arg(long, value_name = "VAR", default_value = secret::SKF_PIN_ENV)]
    pub(crate) pin_env: String,
}

/// A signer ready to use, and the certificate the device holds for it, if any.
pub(crate) struct LoadedSigner {
    /// The signer.
    pub(crate) signer: Box<dyn Sm2Signer>,
    /// The container's signing certificate (SKF only).
    pub(crate) certificate: Option<Vec<u8>>,
    /// Where the key is, for messages.
    pub(crate) description: String,
}

impl std::fmt::Debug for LoadedSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoadedSigner")
            .field("description", &self.description)
            .finish_non_exhaustive()
    }
}

impl KeyArgs {
    /// Is a key given at all?
    pub(crate) fn is_given(&self) -> bool {
        self.key.is_some() || self.skf_lib.is_some()
    }

    /// Load the signer, asking for the password or PIN when needed.
    pub(crate) fn load(&self, role: &str) -> CliResult<LoadedSigner> {
        if let Some(lib) = &self.skf_lib {
            return self.load_skf(lib);
        }
        let Some(path) = &self.key else {
            return Err(CliError::usage(format!(
                "no {role} key: give --key FILE, or --skf-lib PATH --skf-app APP --container NAME"
            )));
        };
        let data = read_limited(path, MAX_KEY_FILE)?;
        let loaded = match load_private_key(&data, None) {
            Ok(k) => k,
            Err(KeyError::PasswordRequired) => {
                let password = secret::obtain(
                    &format!("password of {}", path.display()),
                    &self.password_env,
                )?;
                load_private_key(&data, Some(password.as_bytes())).map_err(|e| match e {
                    KeyError::DecryptionFailed => CliError::failed(format!(
                        "cannot decrypt {}: wrong password (or a corrupt file)",
                        path.display()
                    )),
                    e => CliError::failed(format!("{}: {e}", path.display())),
                })?
            }
            Err(e) => {
                return Err(CliError::failed(format!(
                    "{} is not a usable SM2 private key: {e}",
                    path.display()
                )));
            }
        };
        Ok(LoadedSigner {
            signer: Box::new(SoftwareSigner::from_secret_key(loaded.secret)),
            certificate: None,
            description: path.display().to_string(),
        })
    }

    fn load_skf(&self, lib: &std::path::Path) -> CliResult<LoadedSigner> {
        let (Some(app), Some(container)) = (&self.skf_app, &self.container) else {
            return Err(CliError::usage(
                "--skf-lib needs --skf-app APP and --container NAME",
            ));
        };
        let quirks = Quirks::preset(&self.skf_quirks).ok_or_else(|| {
            CliError::usage(format!("unknown SKF quirks preset {}", self.skf_quirks))
        })?;
        let pin = secret::obtain(&format!("user PIN of {app}"), &self.pin_env)?;
        let mut config = SignerConfig::new(lib, app.as_str(), container.as_str(), pin.as_str())
            .library_config(LibraryConfig::with_quirks(quirks));
        if let Some(d) = &self.skf_device {
            config = config.device(d.as_str());
        }
        let signer = SkfSigner::open(&config)
            .map_err(|e| CliError::from(e).context(format!("SKF {}", lib.display())))?;
        let certificate = signer.certificate().map(<[u8]>::to_vec);
        Ok(LoadedSigner {
            signer: Box::new(signer),
            certificate,
            description: format!("SKF {}:{app}/{container}", lib.display()),
        })
    }
}
