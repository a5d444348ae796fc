#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

/// `println!` that ends the process quietly when standard output is closed (`gmseal ... |
/// head`) instead of panicking.
macro_rules! say {
    () => { $crate::write_stdout(format_args!("\n")) };
    ($($t:tt)*) => { $crate::write_stdout(format_args!("{}\n", format_args!($($t)*))) };
}

/// `print!` with the same behaviour.
macro_rules! say_raw {
    ($($t:tt)*) => { $crate::write_stdout(format_args!($($t)*)) };
}

mod cert;
mod demo;
mod error;
mod key;
mod keygen;
mod ofd;
mod output;
mod register;
mod seal;
mod secret;
mod ses_report;
mod sign;
mod trust;
mod tsa;
mod util;
mod verify;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

use crate::error::{CliResult, EXIT_FAILURE, EXIT_OK};

/// Chinese electronic seals and SM2 signatures: keys, certificates, seals (GB/T 38540,
/// GM/T 0031), PDF and OFD seal signing and verification, seal-platform messages, SKF UKeys.
///
/// Outputs are written atomically; existing files are kept unless --force; inputs are never
/// modified unless --in-place. Passwords and PINs come from environment variables or a
/// prompt, never from the command line.
///
/// Exit codes: 0 success; 1 failure (a broken signature, a file that cannot be verified, a
/// wrong password, a missing file); 2 usage error.
#[derive(Debug, Parser)]
#[command(name = "gmseal", version, about, long_about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the end-to-end demonstration: CA, seal, signed PDF and OFD, verification, tampering.
    Demo {
        /// Keep the demo's files in this directory instead of a new temporary one.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
        /// Replace the demo's files in a non-empty DIR.
        #[arg(long)]
        force: bool,
    },
    /// Generate an SM2 key pair (PKCS#8 PEM private key, SubjectPublicKeyInfo PEM public key).
    Keygen(keygen::Args),
    /// Certificates: issue (every role profile), lint, verify a chain.
    #[command(subcommand)]
    Cert(cert::CertCommand),
    /// Electronic seals: make, show, verify.
    #[command(subcommand)]
    Seal(seal::SealCommand),
    /// Seal-sign a PDF or OFD document.
    #[command(subcommand)]
    Sign(sign::SignCommand),
    /// Verify the signatures of PDF and OFD files (detected from their content).
    Verify(verify::VerifyArgs),
    /// The SystemRegister registration package of a seal platform.
    #[command(subcommand)]
    Register(register::RegisterCommand),
    /// Seal-platform JSON messages: sign and verify.
    #[command(subcommand)]
    Platform(register::PlatformCommand),
    /// Timestamps (RFC 3161 / GB/T 20520): request, reply as a local TSA, verify.
    #[command(subcommand)]
    Tsa(tsa::TsaCommand),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Demo { dir, force } => demo::run(dir, force),
        Command::Keygen(args) => keygen::run(&args),
        Command::Cert(c) => cert::run(c),
        Command::Seal(c) => seal::run(c),
        Command::Sign(c) => sign::run(c),
        Command::Verify(a) => verify::run(&a),
        Command::Register(c) => register::run_register(c),
        Command::Platform(c) => register::run_platform(c),
        Command::Tsa(c) => tsa::run(c),
        Command::Completions { shell } => completions(shell),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("gmseal: {e}");
            e.exit_code()
        }
    }
}

fn completions(shell: clap_complete::Shell) -> CliResult {
    let mut cmd = Cli::command();
    clap_complete::generate(shell, &mut cmd, "gmseal", &mut std::io::stdout());
    Ok(ExitCode::SUCCESS)
}

/// Write to standard output; when it is closed (a pipe reader that stopped reading), exit
/// with status 141 as a process killed by SIGPIPE would, without a panic message.
pub(crate) fn write_stdout(args: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(141);
        }
        eprintln!("gmseal: cannot write to standard output: {e}");
        std::process::exit(i32::from(EXIT_FAILURE));
    }
}

/// The exit code of a verification: 1 when something is broken, or untrusted (or not checked)
/// under `--require-trust`; 0 otherwise.
pub(crate) fn exit_for(intact: bool, trusted: Option<bool>, require_trust: bool) -> ExitCode {
    let ok = intact && (!require_trust || trusted == Some(true));
    ExitCode::from(if ok { EXIT_OK } else { EXIT_FAILURE })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
