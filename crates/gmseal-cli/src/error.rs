//! What a command reports when it cannot do its job, and the exit code that goes with it.
//!
//! Exit codes (the same for every subcommand):
//!
//! | code | meaning |
//! |---|---|
//! | 0 | done; for `verify`: every signature intact (and trusted with `--require-trust`) |
//! | 1 | failed: a file is missing or malformed, a key or PIN is wrong, a signature is broken or cannot be verified |
//! | 2 | usage error: the command line is wrong (clap's own errors use 2 too) |

use std::fmt;
use std::path::Path;
use std::process::ExitCode;

/// Exit code: success.
pub(crate) const EXIT_OK: u8 = 0;
/// Exit code: failure (see the module documentation).
pub(crate) const EXIT_FAILURE: u8 = 1;
/// Exit code: usage error.
pub(crate) const EXIT_USAGE: u8 = 2;

/// A command's error: a message for the user and the exit code.
#[derive(Debug)]
pub(crate) struct CliError {
    usage: bool,
    message: String,
}

impl CliError {
    /// A usage error (exit code 2): the command line asks for something impossible.
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        CliError {
            usage: true,
            message: message.into(),
        }
    }

    /// A failure (exit code 1).
    pub(crate) fn failed(message: impl Into<String>) -> Self {
        CliError {
            usage: false,
            message: message.into(),
        }
    }

    /// The exit code for this error.
    pub(crate) fn exit_code(&self) -> ExitCode {
        ExitCode::from(if self.usage { EXIT_USAGE } else { EXIT_FAILURE })
    }

    /// Prefix the message with what was being done.
    pub(crate) fn context(self, what: impl fmt::Display) -> Self {
        CliError {
            usage: self.usage,
            message: format!("{what}: {}", self.message),
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Any library error becomes a failure whose message is the error and its sources.
impl<E: std::error::Error> From<E> for CliError {
    fn from(e: E) -> Self {
        CliError::failed(chain(&e))
    }
}

/// An error and its sources, joined with ": " (skipping a source already in the message).
pub(crate) fn chain(e: &dyn std::error::Error) -> String {
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = s.source();
    }
    message
}

/// Result of a command: the exit code, or an error to print.
pub(crate) type CliResult<T = ExitCode> = Result<T, CliError>;

/// Attach a path to an I/O (or any) error.
pub(crate) trait WithPath<T> {
    /// `"<what> <path>: <error>"`.
    fn with_path(self, what: &str, path: &Path) -> CliResult<T>;
}

impl<T, E: std::error::Error> WithPath<T> for Result<T, E> {
    fn with_path(self, what: &str, path: &Path) -> CliResult<T> {
        self.map_err(|e| CliError::failed(format!("{what} {}: {}", path.display(), chain(&e))))
    }
}
