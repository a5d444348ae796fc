//! `gmseal register make | verify` (the SystemRegister registration package) and
//! `gmseal platform sign | verify` (seal-platform JSON messages), with gmseal-register.

use std::path::PathBuf;
use std::process::ExitCode;

use gmseal_register::provincial::{self, SigningInput};
use gmseal_register::report::Report;
use gmseal_register::system_register::{
    BjcaHeader, BjcaRegisterInfo, BjcaSubSystemInfo, BjcaSystemInfo, ReadOptions,
    ReadSystemRegister, SignOptions, SystemRegister, SystemType, VerifyOptions,
};
use gmseal_sm2::Strictness;

use crate::error::{CliError, CliResult};
use crate::key::KeyArgs;
use crate::output::{Sensitivity, read_limited, write_new};
use crate::trust::TrustArgs;
use crate::util::read_certificate;

/// `gmseal register ...`
#[derive(Debug, clap::Subcommand)]
pub(crate) enum RegisterCommand {
    /// Build and sign a SystemRegister package (spec 001 appendix 1) with the system key.
    Make(Box<MakeArgs>),
    /// Verify a SystemRegister package: its signature under the embedded system certificate,
    /// its fields, and with --trust the certificate's chain.
    Verify(VerifyArgs),
}

/// `gmseal platform ...`
#[derive(Debug, clap::Subcommand)]
pub(crate) enum PlatformCommand {
    /// Sign a seal-platform JSON message: `signInfo` (SM2, base64 r||s) is appended, the
    /// text is otherwise kept byte for byte.
    Sign(PlatformSignArgs),
    /// Verify the `signInfo` of a seal-platform JSON message.
    Verify(PlatformVerifyArgs),
}

/// The system types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum SystemTypeArg {
    /// 1: management system.
    Manage,
    /// 2: status publishing system.
    StatusPublishing,
    /// 3: application system.
    Application,
}

/// Arguments of `gmseal register make`.
#[derive(Debug, clap::Args)]
pub(crate) struct MakeArgs {
    /// The system type.
    #[arg(long, value_enum, default_value_t = SystemTypeArg::Manage)]
    system_type: SystemTypeArg,
    /// The system certificate (its key signs the package: --key or the SKF container).
    #[arg(long, value_name = "FILE")]
    system_cert: PathBuf,
    /// The system's service address.
    #[arg(long, value_name = "URL")]
    service_url: String,
    /// The organisation's unified social credit code (checked).
    #[arg(long, value_name = "CODE")]
    org_code: String,
    /// The organisation's name.
    #[arg(long, value_name = "NAME")]
    org_name: String,
    /// The sub-system's organisation credit code.
    #[arg(long, value_name = "CODE", requires = "sub_org_name")]
    sub_org_code: Option<String>,
    /// The sub-system's organisation name.
    #[arg(long, value_name = "NAME", requires = "sub_org_code")]
    sub_org_name: Option<String>,
    /// Leave subSystemInfo out (the appendix makes it mandatory; some platforms omit it).
    #[arg(long, conflicts_with_all = ["sub_org_code", "sub_org_name"])]
    no_sub_system: bool,
    /// Header vendor identifier (vid).
    #[arg(long, value_name = "VID", default_value = "gmseal")]
    vendor: String,
    /// Write base64 text instead of DER.
    #[arg(long)]
    base64: bool,
    #[command(flatten)]
    key: KeyArgs,
    /// Where to write the package.
    #[arg(long, short, value_name = "FILE")]
    out: PathBuf,
    /// Replace the output if it exists.
    #[arg(long)]
    force: bool,
}

/// Arguments of `gmseal register verify`.
#[derive(Debug, clap::Args)]
pub(crate) struct VerifyArgs {
    /// The package (DER, or base64 text).
    package: PathBuf,
    /// Accept BER, PEM armour, raw r||s and the other deviations deployed platforms write, and
    /// list each one.
    #[arg(long)]
    lenient: bool,
    #[command(flatten)]
    trust: TrustArgs,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// What the platform signature covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum InputArg {
    /// Every top-level member but signInfo, sorted, `k=v` joined by `&` (the default).
    Sorted,
    /// The `data` member exactly as transmitted.
    DataExact,
    /// RFC 8785 canonical JSON of `data`.
    DataJcs,
}

impl From<InputArg> for SigningInput {
    fn from(i: InputArg) -> Self {
        match i {
            InputArg::Sorted => SigningInput::SortedKeyValue,
            InputArg::DataExact => SigningInput::DataExact,
            InputArg::DataJcs => SigningInput::DataJcs,
        }
    }
}

/// Arguments of `gmseal platform sign`.
#[derive(Debug, clap::Args)]
pub(crate) struct PlatformSignArgs {
    /// The JSON message, without signInfo.
    message: PathBuf,
    /// What the signature covers (confirm with the platform's golden vector).
    #[arg(long, value_enum, default_value_t = InputArg::Sorted)]
    signing_input: InputArg,
    #[command(flatten)]
    key: KeyArgs,
    /// Where to write the signed message.
    #[arg(long, short, value_name = "FILE")]
    out: PathBuf,
    /// Replace the output if it exists.
    #[arg(long)]
    force: bool,
}

/// Arguments of `gmseal platform verify`.
#[derive(Debug, clap::Args)]
pub(crate) struct PlatformVerifyArgs {
    /// The signed JSON message.
    message: PathBuf,
    /// The sender's certificate.
    #[arg(
        long,
        value_name = "FILE",
        required_unless_present = "register",
        conflicts_with = "register"
    )]
    cert: Option<PathBuf>,
    /// The sender's registration package: its system certificate verifies the message.
    #[arg(long, value_name = "FILE")]
    register: Option<PathBuf>,
    /// What the signature covers.
    #[arg(long, value_enum, default_value_t = InputArg::Sorted)]
    signing_input: InputArg,
    /// Accept line breaks in signValue, DER or 65-byte values, and report them.
    #[arg(long)]
    lenient: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run_register(cmd: RegisterCommand) -> CliResult {
    match cmd {
        RegisterCommand::Make(a) => make(&a),
        RegisterCommand::Verify(a) => verify(&a),
    }
}

pub(crate) fn run_platform(cmd: PlatformCommand) -> CliResult {
    match cmd {
        PlatformCommand::Sign(a) => platform_sign(&a),
        PlatformCommand::Verify(a) => platform_verify(&a),
    }
}

fn strictness(lenient: bool) -> Strictness {
    if lenient {
        Strictness::Lenient
    } else {
        Strictness::Strict
    }
}

fn make(a: &MakeArgs) -> CliResult {
    let cert = read_certificate(&a.system_cert)?;
    let system_type = match a.system_type {
        SystemTypeArg::Manage => SystemType::Manage,
        SystemTypeArg::StatusPublishing => SystemType::StatusPublishing,
        SystemTypeArg::Application => SystemType::Application,
    };
    let sub = match (&a.sub_org_code, &a.sub_org_name) {
        (Some(c), Some(n)) => Some(BjcaSubSystemInfo::new(c, n)?),
        _ if a.no_sub_system => None,
        _ => {
            return Err(CliError::usage(
                "give --sub-org-code CODE --sub-org-name NAME (or --no-sub-system)",
            ));
        }
    };
    let info = BjcaRegisterInfo::new(
        BjcaHeader::new("BJCARegisterInfo", 1, &a.vendor)?,
        BjcaSystemInfo::new(system_type, cert, &a.service_url, &a.org_code, &a.org_name)?,
        sub,
    );
    let key = a.key.load("system")?;
    let options = SignOptions {
        allow_missing_sub_system_info: a.no_sub_system,
        ..SignOptions::default()
    };
    let package = SystemRegister::sign(info, &*key.signer, &options)
        .map_err(|e| CliError::from(e).context("cannot sign the registration package"))?;
    let bytes = if a.base64 {
        package.to_base64()?.into_bytes()
    } else {
        package.to_der()?
    };
    write_new(&a.out, &bytes, a.force, Sensitivity::Public)?;
    say!(
        "registration package {} ({}, signed by {})",
        a.out.display(),
        if a.base64 { "base64" } else { "DER" },
        key.description
    );
    Ok(ExitCode::SUCCESS)
}

fn report_json(r: &Report) -> serde_json::Value {
    serde_json::json!({
        "valid": r.is_valid(),
        "checks": r.checks.iter().map(|c| serde_json::json!({
            "check": c.what, "status": c.outcome.to_string(), "detail": c.why,
        })).collect::<Vec<_>>(),
        "tolerated": r.deviations.iter().map(ToString::to_string).collect::<Vec<_>>(),
    })
}

fn read_package(path: &std::path::Path, lenient: bool) -> CliResult<ReadSystemRegister> {
    let data = read_limited(path, 1 << 20)?;
    ReadSystemRegister::read(
        &data,
        &ReadOptions {
            strictness: strictness(lenient),
            ..ReadOptions::default()
        },
    )
    .map_err(|e| {
        CliError::from(e).context(format!(
            "{} is not a registration package{}",
            path.display(),
            if lenient { "" } else { " (try --lenient)" }
        ))
    })
}

fn verify(a: &VerifyArgs) -> CliResult {
    let chain = a.trust.load()?;
    let package = read_package(&a.package, a.lenient)?;
    let report = package.verify(&VerifyOptions {
        strictness: strictness(a.lenient),
        ..VerifyOptions::default()
    })?;
    let intact = report.is_valid();
    let trusted = match &chain {
        None => None,
        Some(c) => {
            let options = gmseal_cert::ChainOptions::default()
                .with_leaf_key_usage(gmseal_cert::KeyUsageRequirement::Signing);
            let r = gmseal_cert::verify_chain(
                report.certificate.der(),
                &[] as &[&[u8]],
                c.store(),
                &options,
            )?;
            Some(r.is_trusted())
        }
    };
    if a.json {
        let mut v = report_json(&report.report);
        v["file"] = a.package.display().to_string().into();
        v["intact"] = intact.into();
        v["trusted"] = trusted.into();
        v["system_cert"] = report.certificate.subject().into();
        say!("{v:#}");
    } else {
        say!("{}", a.package.display());
        say!("  system certificate: {}", report.certificate.subject());
        say_raw!("{report}");
        say!("  integrity: {}", if intact { "intact" } else { "BROKEN" });
        say!("  trust: {}", crate::ses_report::trust_text(trusted));
    }
    Ok(crate::exit_for(intact, trusted, a.trust.require_trust))
}

fn platform_sign(a: &PlatformSignArgs) -> CliResult {
    let text = read_text(&a.message)?;
    let key = a.key.load("sender's")?;
    let options = provincial::SignOptions {
        signing_input: a.signing_input.into(),
        ..provincial::SignOptions::default()
    };
    let signed = provincial::sign_json(&text, &*key.signer, &options)
        .map_err(|e| CliError::from(e).context(format!("cannot sign {}", a.message.display())))?;
    write_new(&a.out, signed.as_bytes(), a.force, Sensitivity::Public)?;
    say!(
        "signed message {} (key {})",
        a.out.display(),
        key.description
    );
    Ok(ExitCode::SUCCESS)
}

fn read_text(path: &std::path::Path) -> CliResult<String> {
    String::from_utf8(read_limited(path, 16 << 20)?)
        .map_err(|_| CliError::failed(format!("{} is not UTF-8 text", path.display())))
}

fn platform_verify(a: &PlatformVerifyArgs) -> CliResult {
    let text = read_text(&a.message)?;
    let key = match (&a.cert, &a.register) {
        (Some(p), _) => {
            let der = read_certificate(p)?;
            gmseal_sm2::key::public_key_from_certificate_der(&der)
                .map_err(|e| CliError::failed(format!("{}: {e}", p.display())))?
                .key
        }
        (None, Some(p)) => {
            let package = read_package(p, a.lenient)?;
            let report = package.verify(&VerifyOptions {
                strictness: strictness(a.lenient),
                ..VerifyOptions::default()
            })?;
            *report.certificate.public_key()
        }
        (None, None) => return Err(CliError::usage("give --cert FILE or --register FILE")),
    };
    let options = provincial::VerifyOptions {
        signing_input: a.signing_input.into(),
        strictness: strictness(a.lenient),
        ..provincial::VerifyOptions::default()
    };
    let report = provincial::verify_json(&text, &key, &options)
        .map_err(|e| CliError::from(e).context(a.message.display()))?;
    let valid = report.is_valid();
    if a.json {
        let mut v = report_json(&report);
        v["file"] = a.message.display().to_string().into();
        say!("{v:#}");
    } else {
        say!("{}", a.message.display());
        say_raw!("{report}");
        say!("  signature: {}", if valid { "intact" } else { "BROKEN" });
    }
    Ok(ExitCode::from(if valid { 0 } else { 1 }))
}
