//! `gmseal keygen`: an SM2 key pair.

use std::path::PathBuf;
use std::process::ExitCode;

use gmseal_sm2::SoftwareSigner;
use gmseal_sm2::key::{private_key_to_encrypted_pem, public_key_to_pem};

use crate::error::CliResult;
use crate::output::{Sensitivity, refuse_existing, write_new};
use crate::secret;

/// Arguments of `gmseal keygen`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Where to write the private key (PKCS#8 PEM, readable by its owner only).
    #[arg(long, short, value_name = "FILE")]
    out: PathBuf,
    /// Where to write the public key (default: the private key's path with `.pub.pem`).
    #[arg(long, value_name = "FILE")]
    public_out: Option<PathBuf>,
    /// Encrypt the private key (PBES2: PBKDF2-HMAC-SM3, SM4-CBC) with a password read from
    /// $GMSEAL_NEW_KEY_PASSWORD (or --password-env) or asked for twice.
    #[arg(long)]
    encrypt: bool,
    /// The environment variable holding the new key's password.
    #[arg(long, value_name = "VAR", default_value = secret::NEW_PASSWORD_ENV, requires = "encrypt")]
    password_env: String,
    /// Replace existing files.
    #[arg(long)]
    force: bool,
}

pub(crate) fn run(args: &Args) -> CliResult {
    let public_out = args
        .public_out
        .clone()
        .unwrap_or_else(|| args.out.with_extension("pub.pem"));
    refuse_existing(&[&args.out, &public_out], args.force)?;
    let password = if args.encrypt {
        Some(secret::obtain_new(
            "password for the new key",
            &args.password_env,
        )?)
    } else {
        None
    };
    let key = SoftwareSigner::generate();
    let pem = match &password {
        Some(p) => private_key_to_encrypted_pem(key.secret_key(), p.as_bytes())?,
        None => key.to_pkcs8_pem(),
    };
    // The public key first: if it cannot be written, no orphan private key is left.
    write_new(
        &public_out,
        public_key_to_pem(&key.public_key()).as_bytes(),
        args.force,
        Sensitivity::Public,
    )?;
    write_new(&args.out, pem.as_bytes(), args.force, Sensitivity::Secret)?;
    say!(
        "private key: {}{}",
        args.out.display(),
        if args.encrypt { " (encrypted)" } else { "" }
    );
    say!("public key:  {}", public_out.display());
    Ok(ExitCode::SUCCESS)
}
