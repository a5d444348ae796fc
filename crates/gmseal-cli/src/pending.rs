//! Subcommands whose library crates are not in this build yet (gmseal-cert's profiles,
//! gmseal-pdf, gmseal-ofd, gmseal-register): their command lines are defined, and running them
//! says what is missing.

use std::path::PathBuf;

use crate::error::{CliError, CliResult};

fn pending(what: &str, krate: &str) -> CliResult {
    Err(CliError::failed(format!(
        "{what} needs {krate}, which is not in this build yet"
    )))
}

/// `gmseal sign ...`
#[derive(Debug, clap::Subcommand)]
pub(crate) enum SignCommand {
    /// Seal-sign a PDF.
    Pdf,
    /// Seal-sign an OFD.
    Ofd,
}

/// Arguments of `gmseal verify`.
#[derive(Debug, clap::Args)]
pub(crate) struct VerifyArgs {
    /// The PDF and OFD files.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// `gmseal register ...`
#[derive(Debug, clap::Subcommand)]
pub(crate) enum RegisterCommand {
    /// Build and sign a SystemRegister package.
    Make,
    /// Verify a SystemRegister package.
    Verify,
}

/// `gmseal platform ...`
#[derive(Debug, clap::Subcommand)]
pub(crate) enum PlatformCommand {
    /// Sign a seal-platform JSON message.
    Sign,
    /// Verify a seal-platform JSON message.
    Verify,
}

pub(crate) fn sign(c: SignCommand) -> CliResult {
    match c {
        SignCommand::Pdf => pending("gmseal sign pdf", "gmseal-pdf"),
        SignCommand::Ofd => pending("gmseal sign ofd", "gmseal-ofd"),
    }
}

pub(crate) fn verify(_a: &VerifyArgs) -> CliResult {
    pending("gmseal verify", "gmseal-pdf and gmseal-ofd")
}

pub(crate) fn register(_c: RegisterCommand) -> CliResult {
    pending("gmseal register", "gmseal-register")
}

pub(crate) fn platform(_c: PlatformCommand) -> CliResult {
    pending("gmseal platform", "gmseal-register")
}
