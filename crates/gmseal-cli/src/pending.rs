//! Subcommands whose library crates are not in this build yet (gmseal-cert's profiles,
//! gmseal-pdf, gmseal-ofd, gmseal-register): their command lines are defined, and running them
//! says what is missing.

use crate::error::{CliError, CliResult};

fn pending(what: &str, krate: &str) -> CliResult {
    Err(CliError::failed(format!(
        "{what} needs {krate}, which is not in this build yet"
    )))
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

pub(crate) fn register(_c: RegisterCommand) -> CliResult {
    pending("gmseal register", "gmseal-register")
}

pub(crate) fn platform(_c: PlatformCommand) -> CliResult {
    pending("gmseal platform", "gmseal-register")
}
