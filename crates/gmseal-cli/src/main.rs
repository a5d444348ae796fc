//! `gmseal`: the command-line face of the gmseal workspace.
#![forbid(unsafe_code)]

mod demo;
mod keygen;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Chinese electronic seals and SM2 signatures (GB/T 38540, GM/T 0031, GM/T 0010, SM2/SM3).
#[derive(Debug, Parser)]
#[command(name = "gmseal", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the end-to-end demonstration in a temporary directory (or DIR).
    Demo {
        /// Keep the demo's files in this directory instead of a temporary one.
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Generate an SM2 key pair: PKCS#8 PEM private key and SubjectPublicKeyInfo PEM public key.
    Keygen(keygen::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Demo { dir } => demo::run(dir),
        Command::Keygen(args) => keygen::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("gmseal: {e}");
            ExitCode::from(1)
        }
    }
}

/// The error type of the commands: a message for the user.
type CliResult<T = ExitCode> = Result<T, Box<dyn std::error::Error>>;
