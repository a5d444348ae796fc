//! `gmseal sign pdf | ofd`: seal-sign a document with a seal file and the holder's key.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use der::Decode;
use gmseal_cms::tsp::HttpTsa;
use gmseal_pdf::cms::CmsContents;
use gmseal_pdf::seal::{SealContents, seal_picture};
use gmseal_pdf::{
    Anchor, ContentsSigner, Edge, Placement, RidingSeal, SealImage, SigFilter, SignOptions,
};
use gmseal_ses::Seal;

use crate::error::{CliError, CliResult};
use crate::key::{KeyArgs, LoadedSigner};
use crate::output::{OutputArgs, read_input, read_limited};
use crate::seal::{check_key_matches, read_seal};
use crate::util::read_certificate;

/// `gmseal sign ...`
#[derive(Debug, clap::Subcommand)]
pub(crate) enum SignCommand {
    /// Seal-sign a PDF: an incremental update with a visible seal (or riding seal, or none).
    Pdf(Box<PdfArgs>),
    /// Seal-sign an OFD (GB/T 33190 §18): a new signature, existing files untouched.
    Ofd(Box<OfdArgs>),
}

/// What every signing command needs: the seal, the holder's certificate and key, the output.
#[derive(Debug, clap::Args)]
pub(crate) struct Common {
    /// The seal file (DER SESeal). Required for --format seal; for --format cms it gives the
    /// picture.
    #[arg(long, value_name = "FILE")]
    seal: Option<PathBuf>,
    /// The signer's certificate (PEM or DER); default: the one in the SKF container.
    #[arg(long, value_name = "FILE")]
    cert: Option<PathBuf>,
    #[command(flatten)]
    key: KeyArgs,
    /// Accept a seal with the deviations deployed systems write.
    #[arg(long)]
    lenient: bool,
    /// Timestamp the signature at this TSA (http:// URL).
    #[arg(long, value_name = "URL")]
    tsa_url: Option<String>,
    #[command(flatten)]
    output: OutputArgs,
}

/// The PDF signature formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum PdfFormat {
    /// Format B: a GB/T 38540 SES_Signature in /Contents (/Filter /GM.PKILite by default).
    Seal,
    /// Format A: an SM2 CMS SignedData, adbe.pkcs7.detached (GM/T 0010).
    Cms,
}

/// `/Filter` + `/SubFilter` names of format B.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum SealFilterArg {
    /// /GM.PKILite /GM.sm2seal (the default).
    GmSm2seal,
    /// /GoMain.PKILite /GoMain.sm2seal.
    GomainSm2seal,
    /// Foxit's names.
    FoxitSm,
    /// /GM.PKILite /GM.sm2.
    GmSm2,
}

/// Which edge a riding seal goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum EdgeArg {
    /// Right edge.
    Right,
    /// Left edge.
    Left,
}

/// Arguments of `gmseal sign pdf`.
#[derive(Debug, clap::Args)]
pub(crate) struct PdfArgs {
    /// The PDF to sign (never modified unless --in-place).
    input: PathBuf,
    #[command(flatten)]
    common: Common,
    /// The signature format.
    #[arg(long, value_enum, default_value_t = PdfFormat::Seal)]
    format: PdfFormat,
    /// Format B filter names.
    #[arg(long, value_enum, default_value_t = SealFilterArg::GmSm2seal)]
    filter: SealFilterArg,
    /// GM/T 0010 content-type OIDs instead of PKCS#7's (format A).
    #[arg(long)]
    gm_oids: bool,
    /// The page (from 1).
    #[arg(long, default_value_t = 1)]
    page: u32,
    /// Horizontal position of the seal's centre, in mm from the left edge of the page.
    #[arg(long, value_name = "MM", default_value_t = 150.0)]
    x: f64,
    /// Vertical position of the seal's centre, in mm from the top of the page.
    #[arg(long, value_name = "MM", default_value_t = 230.0)]
    y: f64,
    /// --x/--y give the seal's top-left corner instead of its centre.
    #[arg(long)]
    top_left: bool,
    /// The picture to show (PNG or JPEG; default: the seal's own picture).
    #[arg(long, value_name = "FILE")]
    picture: Option<PathBuf>,
    /// The picture's size in mm, WIDTHxHEIGHT (default: the seal's).
    #[arg(long, value_name = "WxH")]
    size: Option<String>,
    /// No visible seal (an invisible signature on --page).
    #[arg(long, conflicts_with_all = ["riding", "picture"])]
    invisible: bool,
    /// A riding seal (骑缝章) across the page edge, its centre this many mm from the top.
    #[arg(long, value_name = "Y_MM")]
    riding: Option<f64>,
    /// Pages of the riding seal, FIRST-LAST or FIRST- (default all).
    #[arg(long, value_name = "RANGE", requires = "riding")]
    riding_pages: Option<String>,
    /// The edge of the riding seal.
    #[arg(long, value_enum, default_value_t = EdgeArg::Right, requires = "riding")]
    riding_edge: EdgeArg,
    /// The signature field's name (default Seal1, Seal2, ...).
    #[arg(long, value_name = "NAME")]
    field: Option<String>,
    /// Sign an existing empty signature field (fully qualified name).
    #[arg(long, value_name = "NAME", conflicts_with = "field")]
    existing_field: Option<String>,
    /// /Reason.
    #[arg(long)]
    reason: Option<String>,
    /// /Location.
    #[arg(long)]
    location: Option<String>,
    /// /ContactInfo.
    #[arg(long)]
    contact: Option<String>,
    /// /Name.
    #[arg(long)]
    signer_name: Option<String>,
    /// The environment variable holding the password of an encrypted PDF.
    #[arg(long, value_name = "VAR")]
    pdf_password_env: Option<String>,
}

/// Arguments of `gmseal sign ofd`.
#[derive(Debug, clap::Args)]
pub(crate) struct OfdArgs {
    /// The OFD to sign (never modified unless --in-place).
    input: PathBuf,
    #[command(flatten)]
    common: Common,
    /// The page (from 1).
    #[arg(long, default_value_t = 1)]
    page: u32,
    /// Horizontal position of the seal's centre, in mm from the left edge of the page.
    #[arg(long, value_name = "MM", default_value_t = 150.0)]
    x: f64,
    /// Vertical position of the seal's centre, in mm from the top of the page.
    #[arg(long, value_name = "MM", default_value_t = 230.0)]
    y: f64,
}

pub(crate) fn run(cmd: SignCommand) -> CliResult {
    match cmd {
        SignCommand::Pdf(a) => pdf(&a),
        SignCommand::Ofd(a) => crate::ofd::sign(&a.input, &a.common, a.page, a.x, a.y),
    }
}

/// The signer's key, certificate and seal, checked against each other.
pub(crate) struct Holder {
    pub(crate) key: LoadedSigner,
    pub(crate) cert: Vec<u8>,
    pub(crate) seal: Option<Seal>,
}

impl Common {
    pub(crate) fn holder(&self, seal_required: bool) -> CliResult<Holder> {
        let seal = match &self.seal {
            Some(p) => Some(read_seal(p, self.lenient)?),
            None if seal_required => {
                return Err(CliError::usage("this format needs --seal FILE"));
            }
            None => None,
        };
        let key = self.key.load("signer's")?;
        let cert = match (&self.cert, &key.certificate) {
            (Some(p), _) => read_certificate(p)?,
            (None, Some(c)) => c.clone(),
            (None, None) => {
                return Err(CliError::usage(
                    "give the signer's certificate with --cert FILE (the key holds none)",
                ));
            }
        };
        check_key_matches(&*key.signer, &cert, "the signer's certificate")?;
        if let Some(s) = &seal {
            check_holder(s, &cert)?;
        }
        Ok(Holder { key, cert, seal })
    }

    pub(crate) fn output(&self) -> &OutputArgs {
        &self.output
    }

    pub(crate) fn tsa_url(&self) -> Option<&str> {
        self.tsa_url.as_deref()
    }
}

/// Refuse to sign with a seal that does not list the signer (GB/T 38540 §7.3 would report
/// the signature as not bound to the seal).
fn check_holder(seal: &Seal, cert: &[u8]) -> CliResult<()> {
    let listed = match seal.holder_certificates() {
        gmseal_ses::HolderCertificates::Certificates(list) => list.contains(&cert),
        gmseal_ses::HolderCertificates::Digests(list) => {
            let sm3 = gmseal_sm2::digest::sm3(cert);
            list.iter().any(|d| d.value.as_bytes() == sm3.as_slice())
        }
    };
    if listed {
        Ok(())
    } else {
        Err(CliError::failed(format!(
            "the signer's certificate is not among the holders of the seal \"{}\" ({}): \
             the seal maker must list it",
            seal.name(),
            seal.es_id()
        )))
    }
}

/// A seal-signature timestamper over HTTP (the seal's `timeStamp`).
pub(crate) fn ses_timestamper(
    url: &str,
) -> CliResult<impl Fn(&[u8]) -> Result<Vec<u8>, gmseal_ses::BoxError>> {
    let tsa = HttpTsa::new(url)?;
    Ok(
        move |value: &[u8]| -> Result<Vec<u8>, gmseal_ses::BoxError> {
            use gmseal_cms::tsp::{MessageImprint, TimeStampReq, TimeStampResp};
            let req =
                TimeStampReq::new(MessageImprint::of(gmseal_cms::DigestAlgorithm::Sm3, value)?)?;
            let answer = tsa.post(&req.to_der()?)?;
            Ok(TimeStampResp::from_der(&answer)?.into_token(&req)?)
        },
    )
}

fn parse_size(s: &str) -> CliResult<(f64, f64)> {
    let bad = || CliError::usage(format!("{s:?} is not WIDTHxHEIGHT in millimetres"));
    let (w, h) = s.split_once(['x', 'X']).ok_or_else(bad)?;
    let w: f64 = w.trim().parse().map_err(|_| bad())?;
    let h: f64 = h.trim().parse().map_err(|_| bad())?;
    if !(w > 0.0 && h > 0.0 && w <= 1000.0 && h <= 1000.0) {
        return Err(bad());
    }
    Ok((w, h))
}

fn parse_pages(s: &str) -> CliResult<(u32, Option<u32>)> {
    let bad = || CliError::usage(format!("{s:?} is not a page range (3-5 or 3-)"));
    let (a, b) = s.split_once('-').unwrap_or((s, s));
    let first: u32 = a.trim().parse().map_err(|_| bad())?;
    let last = if b.trim().is_empty() {
        None
    } else {
        Some(b.trim().parse::<u32>().map_err(|_| bad())?)
    };
    Ok((first, last))
}

fn picture(a: &PdfArgs, seal: Option<&Seal>) -> CliResult<Option<SealImage>> {
    if a.invisible {
        return Ok(None);
    }
    let size = a.size.as_deref().map(parse_size).transpose()?;
    let image = match (&a.picture, seal) {
        (Some(p), s) => {
            let bytes = read_limited(p, 16 << 20)?;
            let (w, h) = size.unwrap_or_else(|| {
                s.map_or((40.0, 40.0), |s| {
                    let p = s.picture();
                    (p.width_mm as f64, p.height_mm as f64)
                })
            });
            SealImage::from_bytes(&bytes, w, h)
                .map_err(|e| CliError::failed(format!("{}: {e}", p.display())))?
        }
        (None, Some(s)) => {
            let img = seal_picture(s).map_err(|e| {
                CliError::failed(format!(
                    "the seal's picture cannot be drawn in a PDF ({e}); give --picture PNG"
                ))
            })?;
            match size {
                Some((w, h)) => SealImage::from_bytes(s.picture().data, w, h)
                    .map_err(|e| CliError::failed(e.to_string()))?,
                None => img,
            }
        }
        (None, None) => {
            return Err(CliError::usage(
                "nothing to show: give --seal, --picture, or --invisible",
            ));
        }
    };
    Ok(Some(image))
}

fn pdf(a: &PdfArgs) -> CliResult {
    let destination = a.common.output().destination(&a.input, "-signed")?;
    let holder = a.common.holder(a.format == PdfFormat::Seal)?;
    let input = read_input(&a.input)?;
    if !looks_like_pdf(&input) {
        return Err(CliError::failed(format!(
            "{} is not a PDF",
            a.input.display()
        )));
    }
    let mut options = SignOptions::new();
    match picture(a, holder.seal.as_ref())? {
        None => options = options.invisible_on_page(a.page),
        Some(img) => match a.riding {
            Some(y) => {
                let (first, last) = a
                    .riding_pages
                    .as_deref()
                    .map_or(Ok((1, None)), parse_pages)?;
                let edge = match a.riding_edge {
                    EdgeArg::Right => Edge::Right,
                    EdgeArg::Left => Edge::Left,
                };
                options =
                    options.riding_seal(img, RidingSeal::new(y).pages(first, last).edge(edge));
            }
            None => {
                let mut p = Placement::new(a.page, a.x, a.y);
                if a.top_left {
                    p = p.anchor(Anchor::TopLeft);
                }
                options = options.seal(img, p);
            }
        },
    }
    if let Some(f) = &a.field {
        options = options.field_name(f.as_str());
    }
    if let Some(f) = &a.existing_field {
        options = options.existing_field(f.as_str());
    }
    if let Some(v) = &a.reason {
        options = options.reason(v.as_str());
    }
    if let Some(v) = &a.location {
        options = options.location(v.as_str());
    }
    if let Some(v) = &a.contact {
        options = options.contact_info(v.as_str());
    }
    if let Some(v) = &a.signer_name {
        options = options.signer_name(v.as_str());
    }
    if let Some(var) = &a.pdf_password_env {
        let pw = crate::secret::obtain(&format!("password of {}", a.input.display()), var)?;
        options = options.password(pw.as_str());
    }

    let http;
    let ses_tsa;
    let signed = match a.format {
        PdfFormat::Seal => {
            let seal = holder
                .seal
                .as_ref()
                .ok_or_else(|| CliError::usage("--format seal needs --seal FILE"))?;
            let filter = match a.filter {
                SealFilterArg::GmSm2seal => SigFilter::gm_sm2seal(),
                SealFilterArg::GomainSm2seal => SigFilter::gomain_sm2seal(),
                SealFilterArg::FoxitSm => SigFilter::foxit_sm(),
                SealFilterArg::GmSm2 => SigFilter::gm_sm2(),
            };
            let mut contents = SealContents::new(seal, &*holder.key.signer, holder.cert.clone())
                .sig_filter(filter);
            if let Some(url) = a.common.tsa_url() {
                ses_tsa = ses_timestamper(url)?;
                contents = contents.timestamper(&ses_tsa);
            }
            sign_pdf(input, &contents, &options, &a.input)?
        }
        PdfFormat::Cms => {
            let cert = x509_cert::Certificate::from_der(&holder.cert)?;
            let mut contents = CmsContents::new(&*holder.key.signer, cert);
            if a.gm_oids {
                contents = contents.oid_family(gmseal_cms::OidFamily::Gmt0010);
            }
            if let Some(url) = a.common.tsa_url() {
                http = HttpTsa::new(url)?;
                contents = contents.timestamper(&http);
            }
            sign_pdf(input, &contents, &options, &a.input)?
        }
    };
    destination.write(&signed)?;
    say!(
        "signed {} -> {} ({}, key {})",
        a.input.display(),
        destination.path().display(),
        match a.format {
            PdfFormat::Seal => "GB/T 38540 seal signature",
            PdfFormat::Cms => "SM2 CMS signature",
        },
        holder.key.description
    );
    Ok(ExitCode::SUCCESS)
}

fn sign_pdf(
    input: Vec<u8>,
    contents: &dyn ContentsSigner,
    options: &SignOptions,
    path: &Path,
) -> CliResult<Vec<u8>> {
    gmseal_pdf::sign(input, contents, options)
        .map_err(|e| CliError::from(e).context(format!("cannot sign {}", path.display())))
}

/// `%PDF-` within the first KiB (some files have junk before the header).
pub(crate) fn looks_like_pdf(data: &[u8]) -> bool {
    data.get(..data.len().min(1024))
        .is_some_and(|head| head.windows(5).any(|w| w == b"%PDF-"))
}
