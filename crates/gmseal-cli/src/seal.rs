//! `gmseal seal make | show | verify`: electronic seals (GB/T 38540-2020, GM/T 0031-2014).

use std::path::PathBuf;
use std::process::ExitCode;

use der::DateTime;
use gmseal_ses::picture::PictureFormat;
use gmseal_ses::verify::{VerifyOptions, verify_seal};
use gmseal_ses::{HolderCertificates, Seal, SealBuilder, SesVersion, Strictness};

use crate::error::{CliError, CliResult};
use crate::key::KeyArgs;
use crate::output::{Sensitivity, read_limited, write_new};
use crate::ses_report;
use crate::trust::{Chain, TrustArgs};
use crate::util::{CertInfo, add_days, now, parse_time, read_certificate};

/// The largest seal file read.
const MAX_SEAL: u64 = 16 << 20;

/// `gmseal seal ...`
#[derive(Debug, clap::Subcommand)]
pub(crate) enum SealCommand {
    /// Make a seal (SESeal) as the seal maker: picture, holder certificates, validity, signed
    /// with the maker's key.
    Make(Box<MakeArgs>),
    /// Show a seal's fields, validity, certificates and picture.
    Show(ShowArgs),
    /// Verify a seal: structure, the maker's signature and certificate, validity now (or at
    /// --at), and the maker's chain with --trust.
    Verify(VerifyArgs),
}

/// The seal format to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum FormatArg {
    /// GB/T 38540-2020 (header version 4).
    V4,
    /// GM/T 0031-2014 (header version 1).
    V1,
    /// GM/T 0031-2025 (header version 5).
    V5,
}

impl From<FormatArg> for SesVersion {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::V4 => SesVersion::V4,
            FormatArg::V1 => SesVersion::V1,
            FormatArg::V5 => SesVersion::V5,
        }
    }
}

/// Arguments of `gmseal seal make`.
#[derive(Debug, clap::Args)]
pub(crate) struct MakeArgs {
    /// The seal picture (PNG, JPG, BMP, GIF, SVG or OFD; the type is recognised from the bytes).
    #[arg(long, value_name = "FILE")]
    picture: PathBuf,
    /// The picture's printed size in millimetres, WIDTHxHEIGHT.
    #[arg(long, value_name = "WxH", default_value = "40x40", value_parser = parse_size)]
    size: (i64, i64),
    /// The seal's name (e.g. 某某有限公司合同专用章).
    #[arg(long)]
    name: String,
    /// The seal's code (esID).
    #[arg(long, value_name = "CODE")]
    es_id: String,
    /// The seal type (1 = organisation seal, 2 = personal seal, as the platform assigns).
    #[arg(long = "type", value_name = "N", default_value_t = 1)]
    seal_type: i64,
    /// The seal maker's certificate (PEM or DER); its key signs the seal.
    #[arg(long, value_name = "FILE")]
    maker_cert: PathBuf,
    /// The certificate of a holder allowed to sign with the seal (repeat for several).
    #[arg(long = "holder-cert", value_name = "FILE", required = true)]
    holder_certs: Vec<PathBuf>,
    /// Start of validity (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ; default now).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    valid_from: Option<DateTime>,
    /// End of validity (default: --years after the start).
    #[arg(long, value_name = "TIME", value_parser = parse_time, conflicts_with = "years")]
    valid_to: Option<DateTime>,
    /// Validity in years from the start.
    #[arg(long, value_name = "N", default_value_t = 3)]
    years: u64,
    /// The seal format.
    #[arg(long, value_enum, default_value_t = FormatArg::V4)]
    format: FormatArg,
    /// The maker system's vendor identifier (header vid).
    #[arg(long, value_name = "VID", default_value = "gmseal")]
    vendor_id: String,
    #[command(flatten)]
    key: KeyArgs,
    /// Where to write the seal (DER).
    #[arg(long, short, value_name = "FILE")]
    out: PathBuf,
    /// Replace the output if it exists.
    #[arg(long)]
    force: bool,
}

fn parse_size(s: &str) -> Result<(i64, i64), String> {
    let bad = || format!("{s:?} is not WIDTHxHEIGHT in millimetres (e.g. 40x40)");
    let (w, h) = s.split_once(['x', 'X', '*']).ok_or_else(bad)?;
    let w: i64 = w.trim().parse().map_err(|_| bad())?;
    let h: i64 = h.trim().parse().map_err(|_| bad())?;
    if !(1..=1000).contains(&w) || !(1..=1000).contains(&h) {
        return Err(bad());
    }
    Ok((w, h))
}

/// Arguments of `gmseal seal show`.
#[derive(Debug, clap::Args)]
pub(crate) struct ShowArgs {
    /// The seal file (DER SESeal).
    seal: PathBuf,
    /// Write the seal picture to this file.
    #[arg(long, value_name = "FILE")]
    extract_picture: Option<PathBuf>,
    /// Write the maker's certificate (PEM) to this file.
    #[arg(long, value_name = "FILE")]
    extract_maker_cert: Option<PathBuf>,
    /// Replace extracted files if they exist.
    #[arg(long)]
    force: bool,
    /// Accept the deviations deployed systems write, and list them.
    #[arg(long)]
    lenient: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// Arguments of `gmseal seal verify`.
#[derive(Debug, clap::Args)]
pub(crate) struct VerifyArgs {
    /// The seal file (DER SESeal).
    seal: PathBuf,
    /// Check the seal's validity at this time instead of now.
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    at: Option<DateTime>,
    /// Accept the deviations deployed systems write, and list them.
    #[arg(long)]
    lenient: bool,
    #[command(flatten)]
    trust: TrustArgs,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(cmd: SealCommand) -> CliResult {
    match cmd {
        SealCommand::Make(a) => make(*a),
        SealCommand::Show(a) => show(&a),
        SealCommand::Verify(a) => verify(&a),
    }
}

fn make(a: MakeArgs) -> CliResult {
    let picture = read_limited(&a.picture, 4 << 20)?;
    let format = PictureFormat::sniff(&picture);
    if format == PictureFormat::Unknown {
        return Err(CliError::failed(format!(
            "{}: not a PNG, JPG, BMP, GIF, SVG or OFD picture",
            a.picture.display()
        )));
    }
    let maker_cert = read_certificate(&a.maker_cert)?;
    let start = a.valid_from.unwrap_or_else(now);
    let end = a.valid_to.unwrap_or_else(|| add_days(start, a.years * 365));
    if end <= start {
        return Err(CliError::usage("the seal's validity ends before it starts"));
    }
    let mut builder = SealBuilder::new(a.es_id.as_str(), a.name.as_str(), maker_cert.clone())
        .version(a.format.into())
        .vendor_id(a.vendor_id.as_str())
        .seal_type(a.seal_type)
        .validity(start, end)
        .picture(format.to_string(), picture, a.size.0, a.size.1);
    for p in &a.holder_certs {
        builder = builder.holder_certificate(read_certificate(p)?);
    }
    let key = a.key.load("seal maker's")?;
    check_key_matches(&*key.signer, &maker_cert, "the seal maker's certificate")?;
    let seal = builder
        .sign(&*key.signer)
        .map_err(|e| CliError::from(e).context("cannot make the seal"))?;
    write_new(&a.out, seal.as_der(), a.force, Sensitivity::Public)?;
    say!(
        "seal {} ({}, {}) valid {} to {}, signed by {}",
        a.out.display(),
        seal.version(),
        seal.name(),
        seal.valid_start(),
        seal.valid_end(),
        key.description
    );
    Ok(ExitCode::SUCCESS)
}

/// Refuse a key that does not belong to the certificate it signs with.
pub(crate) fn check_key_matches(
    signer: &dyn gmseal_sm2::Sm2Signer,
    cert: &[u8],
    what: &str,
) -> CliResult<()> {
    let key = gmseal_sm2::key::public_key_from_certificate_der(cert)
        .map_err(|e| CliError::failed(format!("{what} has no usable SM2 key: {e}")))?;
    if key.key != signer.verifying_key() {
        return Err(CliError::failed(format!(
            "the key does not match {what} (wrong key file or container?)"
        )));
    }
    Ok(())
}

/// Read a seal file.
pub(crate) fn read_seal(path: &std::path::Path, lenient: bool) -> CliResult<Seal> {
    let der = read_limited(path, MAX_SEAL)?;
    let strictness = if lenient {
        Strictness::Lenient
    } else {
        Strictness::Strict
    };
    Seal::from_der_with(&der, strictness).map_err(|e| {
        CliError::from(e).context(format!(
            "{} is not a seal{}",
            path.display(),
            if lenient { "" } else { " (try --lenient)" }
        ))
    })
}

fn show(a: &ShowArgs) -> CliResult {
    let seal = read_seal(&a.seal, a.lenient)?;
    let picture = seal.picture();
    let maker = CertInfo::of(seal.maker_certificate());
    let holders: Vec<String> = match seal.holder_certificates() {
        HolderCertificates::Certificates(c) => c
            .iter()
            .map(|d| {
                CertInfo::of(d)
                    .map_or_else(|| "(undecodable certificate)".into(), |i| i.to_string())
            })
            .collect(),
        HolderCertificates::Digests(d) => d
            .iter()
            .map(|x| format!("certificate digest {}", hex::encode(x.value.as_bytes())))
            .collect(),
    };
    let now = now();
    let validity = if now < seal.valid_start() {
        "not yet valid"
    } else if now > seal.valid_end() {
        "expired"
    } else {
        "valid now"
    };
    if a.json {
        let v = serde_json::json!({
            "file": a.seal.display().to_string(),
            "format": seal.version().to_string(),
            "es_id": seal.es_id(),
            "name": seal.name(),
            "type": seal.seal_type(),
            "vendor_id": seal.header().vid.to_string(),
            "created": seal.create_date().to_string(),
            "valid_start": seal.valid_start().to_string(),
            "valid_end": seal.valid_end().to_string(),
            "validity_now": validity,
            "picture": {
                "type": picture.declared_type,
                "detected": picture.sniffed.to_string(),
                "bytes": picture.data.len(),
                "width_mm": picture.width_mm,
                "height_mm": picture.height_mm,
            },
            "maker": maker.as_ref().map(CertInfo::json),
            "holders": holders,
            "maker_signature_algorithm": seal.maker_signature_algorithm().to_string(),
            "timestamp": seal.time_stamp().is_some(),
            "tolerated": seal.deviations().iter().map(ToString::to_string).collect::<Vec<_>>(),
        });
        say!("{v:#}");
    } else {
        say!("seal {}", a.seal.display());
        say!("  format:      {}", seal.version());
        say!("  code (esID): {}", seal.es_id());
        say!("  name:        {}", seal.name());
        say!("  type:        {}", seal.seal_type());
        say!("  vendor:      {}", seal.header().vid);
        say!("  created:     {}", seal.create_date());
        say!(
            "  valid:       {} to {} ({validity})",
            seal.valid_start(),
            seal.valid_end()
        );
        say!(
            "  picture:     {} ({} detected), {} bytes, {} x {} mm",
            picture.declared_type,
            picture.sniffed,
            picture.data.len(),
            picture.width_mm,
            picture.height_mm
        );
        match &maker {
            Some(m) => say!("  maker:       {m}"),
            None => say!("  maker:       (certificate does not decode)"),
        }
        for h in &holders {
            say!("  holder:      {h}");
        }
        say!(
            "  signed with: {}{}",
            seal.maker_signature_algorithm(),
            if seal.time_stamp().is_some() {
                ", timestamped"
            } else {
                ""
            }
        );
        for d in seal.deviations() {
            say!("  tolerated:   {d}");
        }
    }
    if let Some(p) = &a.extract_picture {
        write_new(p, picture.data, a.force, Sensitivity::Public)?;
        if !a.json {
            say!("picture written to {}", p.display());
        }
    }
    if let Some(p) = &a.extract_maker_cert {
        let pem = crate::util::certificate_pem(seal.maker_certificate());
        write_new(p, pem.as_bytes(), a.force, Sensitivity::Public)?;
        if !a.json {
            say!("maker certificate written to {}", p.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn verify(a: &VerifyArgs) -> CliResult {
    let chain = a.trust.load()?;
    let seal = read_seal(&a.seal, a.lenient)?;
    let mut options = if a.lenient {
        VerifyOptions::lenient()
    } else {
        VerifyOptions::strict()
    };
    let chain_verifier = chain.as_ref().map(Chain::verifier);
    let timestamps = chain_verifier
        .as_ref()
        .map(|v| gmseal_ses::verify::TimestampTokenVerifier::new(v));
    if let (Some(v), Some(t)) = (&chain_verifier, &timestamps) {
        options = options.with_chain_verifier(v).with_timestamp_verifier(t);
    }
    let at = a.at.unwrap_or_else(now);
    let report = verify_seal(&seal, Some(at), &options);
    let assessment = ses_report::assess(&report);
    if a.json {
        let mut v = ses_report::json(&report);
        v["file"] = a.seal.display().to_string().into();
        say!("{v:#}");
    } else {
        say!(
            "seal {} ({}, {})",
            a.seal.display(),
            seal.name(),
            seal.es_id()
        );
        say_raw!("{report}");
        say!(
            "  integrity: {}",
            if assessment.intact {
                "intact"
            } else {
                "BROKEN"
            }
        );
        say!("  trust: {}", ses_report::trust_text(assessment.trusted));
    }
    Ok(crate::exit_for(
        assessment.intact,
        assessment.trusted,
        a.trust.require_trust,
    ))
}
