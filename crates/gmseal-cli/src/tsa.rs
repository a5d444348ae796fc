//! `gmseal tsa request | reply | verify`: RFC 3161 / GB/T 20520 timestamps.

use std::path::PathBuf;
use std::process::ExitCode;

use gmseal_cms::tsp::{
    LocalTsa, MessageImprint, TimeStampReq, TimeStampResp, TimestampedData, TstInfo,
    verify_timestamp_token,
};
use gmseal_cms::{DigestAlgorithm, VerifyOptions};

use crate::error::{CliError, CliResult};
use crate::key::KeyArgs;
use crate::output::{Sensitivity, read_input, read_limited, write_new};
use crate::trust::TrustArgs;
use crate::util::read_certificate;

/// `gmseal tsa ...`
#[derive(Debug, clap::Subcommand)]
pub(crate) enum TsaCommand {
    /// Make a timestamp request (TimeStampReq) for a file, and send it to a TSA with --url.
    Request(RequestArgs),
    /// Answer a timestamp request as a local SM2 TSA (for offline flows and tests).
    Reply(ReplyArgs),
    /// Verify a timestamp token (or response) against the data it should cover.
    Verify(VerifyArgs),
}

/// Digest algorithms for imprints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum DigestArg {
    /// SM3 (GB/T 20520).
    Sm3,
    /// SHA-256 (for RSA/ECDSA TSAs).
    Sha256,
}

impl From<DigestArg> for DigestAlgorithm {
    fn from(d: DigestArg) -> Self {
        match d {
            DigestArg::Sm3 => DigestAlgorithm::Sm3,
            DigestArg::Sha256 => DigestAlgorithm::Sha256,
        }
    }
}

/// Arguments of `gmseal tsa request`.
#[derive(Debug, clap::Args)]
pub(crate) struct RequestArgs {
    /// The file to timestamp.
    file: PathBuf,
    /// The imprint's digest algorithm.
    #[arg(long, value_enum, default_value_t = DigestArg::Sm3)]
    digest: DigestArg,
    /// Send the request to this TSA (http:// only) and write its token instead of the request.
    #[arg(long, value_name = "URL")]
    url: Option<String>,
    /// Where to write the request (DER), or the token with --url.
    #[arg(long, short, value_name = "FILE")]
    out: PathBuf,
    /// Replace the output if it exists.
    #[arg(long)]
    force: bool,
}

/// Arguments of `gmseal tsa reply`.
#[derive(Debug, clap::Args)]
pub(crate) struct ReplyArgs {
    /// The request (DER TimeStampReq).
    request: PathBuf,
    /// The TSA's certificate (extended key usage timeStamping).
    #[arg(long, value_name = "FILE")]
    tsa_cert: PathBuf,
    /// The policy OID the TSA asserts.
    #[arg(long, value_name = "OID", default_value = "1.2.156.10197.6.1.1")]
    policy: String,
    #[command(flatten)]
    key: KeyArgs,
    /// Where to write the response (DER TimeStampResp).
    #[arg(long, short, value_name = "FILE")]
    out: PathBuf,
    /// Replace the output if it exists.
    #[arg(long)]
    force: bool,
}

/// Arguments of `gmseal tsa verify`.
#[derive(Debug, clap::Args)]
pub(crate) struct VerifyArgs {
    /// The token (DER TimeStampToken) or a response holding one (DER TimeStampResp).
    token: PathBuf,
    /// The timestamped file.
    #[arg(long, value_name = "FILE")]
    data: PathBuf,
    #[command(flatten)]
    trust: TrustArgs,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(cmd: TsaCommand) -> CliResult {
    match cmd {
        TsaCommand::Request(a) => request(&a),
        TsaCommand::Reply(a) => reply(&a),
        TsaCommand::Verify(a) => verify(&a),
    }
}

fn request(a: &RequestArgs) -> CliResult {
    let data = read_input(&a.file)?;
    let imprint = MessageImprint::of(a.digest.into(), &data)?;
    let req = TimeStampReq::new(imprint)?;
    let der = req.to_der()?;
    match &a.url {
        None => {
            write_new(&a.out, &der, a.force, Sensitivity::Public)?;
            say!(
                "timestamp request for {} written to {}",
                a.file.display(),
                a.out.display()
            );
        }
        Some(url) => {
            let answer = gmseal_cms::tsp::HttpTsa::new(url)?.post(&der)?;
            let token = TimeStampResp::from_der(&answer)?.into_token(&req)?;
            write_new(&a.out, &token, a.force, Sensitivity::Public)?;
            let tst = TstInfo::from_token(&token)?;
            say!(
                "timestamp token from {url} ({}) written to {}",
                tst.gen_time.datetime,
                a.out.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn reply(a: &ReplyArgs) -> CliResult {
    let request = read_limited(&a.request, 1 << 20)?;
    let cert = read_certificate(&a.tsa_cert)?;
    let policy = a
        .policy
        .parse()
        .map_err(|_| CliError::usage(format!("{} is not an OID", a.policy)))?;
    let key = a.key.load("TSA")?;
    let tsa = LocalTsa::new(&*key.signer, &cert, policy)?;
    let response = tsa.respond(&request)?;
    write_new(&a.out, &response, a.force, Sensitivity::Public)?;
    say!("timestamp response written to {}", a.out.display());
    Ok(ExitCode::SUCCESS)
}

/// A token, or the token inside a response.
fn token_of(bytes: Vec<u8>) -> CliResult<Vec<u8>> {
    if TstInfo::from_token(&bytes).is_ok() {
        return Ok(bytes);
    }
    let resp = TimeStampResp::from_der(&bytes)
        .map_err(|_| CliError::failed("neither a timestamp token nor a timestamp response"))?;
    let status = resp.status.status;
    let token = resp.time_stamp_token.ok_or_else(|| {
        CliError::failed(format!("the TSA did not grant a token (status {status:?})"))
    })?;
    Ok(der::Encode::to_der(&token)?)
}

fn verify(a: &VerifyArgs) -> CliResult {
    let chain = a.trust.load()?;
    let token =
        token_of(read_limited(&a.token, 1 << 20)?).map_err(|e| e.context(a.token.display()))?;
    let data = read_input(&a.data)?;
    let chain_verifier = chain.as_ref().map(crate::trust::Chain::verifier);
    let options = VerifyOptions {
        chain: chain_verifier
            .as_ref()
            .map(|v| v as &dyn gmseal_cms::ChainVerifier),
        ..VerifyOptions::default()
    };
    let report = verify_timestamp_token(&token, TimestampedData::Bytes(&data), &options)
        .map_err(|e| CliError::from(e).context(a.token.display()))?;
    let intact = report.integrity_ok();
    let trusted = match report.verdict() {
        gmseal_cms::Verdict::Valid => Some(true),
        gmseal_cms::Verdict::Untrusted => Some(false),
        _ if chain.is_none() => None,
        _ => Some(false),
    };
    if a.json {
        let v = serde_json::json!({
            "file": a.token.display().to_string(),
            "gen_time": report.tst_info.gen_time.datetime.to_string(),
            "policy": report.tst_info.policy.to_string(),
            "verdict": report.verdict().to_string(),
            "intact": intact,
            "trusted": trusted,
            "report": report.to_string(),
        });
        say!("{v:#}");
    } else {
        say_raw!("{report}");
        say!("  integrity: {}", if intact { "intact" } else { "BROKEN" });
        say!("  trust: {}", crate::ses_report::trust_text(trusted));
    }
    Ok(crate::exit_for(intact, trusted, a.trust.require_trust))
}
