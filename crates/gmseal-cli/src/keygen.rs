//! `gmseal keygen`.

use std::path::PathBuf;
use std::process::ExitCode;

use gmseal_sm2::SoftwareSigner;
use gmseal_sm2::key::public_key_to_pem;

use crate::CliResult;

/// Arguments of `gmseal keygen`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Where to write the private key (PKCS#8 PEM).
    #[arg(long, short)]
    out: PathBuf,
    /// Where to write the public key (default: the private key's path with `.pub.pem`).
    #[arg(long)]
    public_out: Option<PathBuf>,
    /// Overwrite existing files.
    #[arg(long)]
    force: bool,
}

pub(crate) fn run(args: Args) -> CliResult {
    let key = SoftwareSigner::generate();
    let public_out = args
        .public_out
        .unwrap_or_else(|| args.out.with_extension("pub.pem"));
    crate::demo::write_new(&args.out, key.to_pkcs8_pem().as_bytes(), args.force)?;
    crate::demo::write_new(
        &public_out,
        public_key_to_pem(&key.public_key()).as_bytes(),
        args.force,
    )?;
    println!("private key: {}", args.out.display());
    println!("public key:  {}", public_out.display());
    Ok(ExitCode::SUCCESS)
}
