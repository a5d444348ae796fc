//! `gmseal cert issue | lint | verify`: SM2 certificates with gmseal-cert's role profiles
//! (GM/T 0015, GB/T 20518, the seal-platform subject rule), its linter and path validation.

use std::path::PathBuf;
use std::process::ExitCode;

use der::DateTime;
use gmseal_cert::issue::validity;
use gmseal_cert::lint::{self, Severity};
use gmseal_cert::name::NameBuilder;
use gmseal_cert::profile::{
    OrganisationEncryption, OrganisationSigning, Personal, RootCa, SealMaker, SubCa, SystemCert,
    TimeStamping,
};
use gmseal_cert::subject::{OrganisationSubject, PersonalSubject, SubjectPlace};
use gmseal_cert::{
    AlgorithmParameters, Cert, ChainOptions, KeyUsageRequirement, Role, verify_chain,
};
use gmseal_sm2::key::{load_public_key, public_key_to_pem};
use gmseal_sm2::{PublicKey, Sm2Signer, SoftwareSigner};
use x509_cert::name::Name;

use crate::error::{CliError, CliResult};
use crate::key::KeyArgs;
use crate::output::{Sensitivity, read_limited, refuse_existing, write_new};
use crate::trust::TrustArgs;
use crate::util::{add_days, now, parse_time};

/// `gmseal cert ...`
#[derive(Debug, clap::Subcommand)]
pub(crate) enum CertCommand {
    /// Issue a certificate with one of the role profiles (root CA, sub CA, organisation,
    /// personal, seal maker, system, timestamp authority).
    Issue(Box<IssueArgs>),
    /// Check certificates against the profile of their role (GM/T 0015, RFC 5280, the
    /// seal-platform subject rule); exit 1 when any error is found.
    Lint(LintArgs),
    /// Verify a certificate's chain to trust anchors (signatures, validity, CA rules, CRLs).
    Verify(VerifyArgs),
}

/// The role profiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ProfileArg {
    /// Self-signed root CA.
    RootCa,
    /// Subordinate CA.
    SubCa,
    /// An organisation's signing certificate (单位签名证书).
    #[value(alias = "org-sign")]
    OrganisationSigning,
    /// An organisation's encryption certificate (单位加密证书).
    #[value(alias = "org-enc")]
    OrganisationEncryption,
    /// A person's signing certificate.
    PersonalSigning,
    /// A person's encryption certificate.
    PersonalEncryption,
    /// The seal maker's certificate (制章者证书).
    SealMaker,
    /// A seal platform's system certificate.
    System,
    /// A timestamp authority's certificate.
    Tsa,
}

impl From<ProfileArg> for Role {
    fn from(p: ProfileArg) -> Self {
        match p {
            ProfileArg::RootCa => Role::RootCa,
            ProfileArg::SubCa => Role::SubCa,
            ProfileArg::OrganisationSigning => Role::OrganisationSigning,
            ProfileArg::OrganisationEncryption => Role::OrganisationEncryption,
            ProfileArg::PersonalSigning => Role::PersonalSigning,
            ProfileArg::PersonalEncryption => Role::PersonalEncryption,
            ProfileArg::SealMaker => Role::SealMaker,
            ProfileArg::System => Role::System,
            ProfileArg::Tsa => Role::TimeStamping,
        }
    }
}

/// The subject's name.
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Subject")]
pub(crate) struct SubjectArgs {
    /// Common name (CA, system and TSA profiles).
    #[arg(long, value_name = "NAME")]
    cn: Option<String>,
    /// Organisation (O).
    #[arg(long = "org", value_name = "NAME")]
    organization: Option<String>,
    /// Organisational unit (OU).
    #[arg(long = "ou", value_name = "NAME")]
    organizational_unit: Option<String>,
    /// Country (C).
    #[arg(long, value_name = "CC", default_value = "CN")]
    country: String,
    /// Province (ST).
    #[arg(long, value_name = "NAME")]
    province: Option<String>,
    /// Locality (L).
    #[arg(long, value_name = "NAME")]
    locality: Option<String>,
    /// The organisation's name (organisation and seal-maker profiles).
    #[arg(long, value_name = "NAME")]
    unit_name: Option<String>,
    /// The organisation's unified social credit code (GB 32100, checked).
    #[arg(long, value_name = "CODE")]
    credit_code: Option<String>,
    /// The person's name (personal profiles).
    #[arg(long, value_name = "NAME")]
    person_name: Option<String>,
    /// The person's resident ID number (GB 11643, checked), or with --other-document another
    /// document's number.
    #[arg(long, value_name = "NUMBER")]
    id_number: Option<String>,
    /// --id-number is not a resident ID (passport, ...).
    #[arg(long)]
    other_document: bool,
}

/// Arguments of `gmseal cert issue`.
#[derive(Debug, clap::Args)]
pub(crate) struct IssueArgs {
    /// The role profile.
    #[arg(long, value_enum)]
    profile: ProfileArg,
    #[command(flatten)]
    subject: SubjectArgs,
    /// The subject's public key (PEM or DER SubjectPublicKeyInfo, or a certificate).
    #[arg(long, value_name = "FILE", conflicts_with = "new_key", required_unless_present_any = ["new_key"])]
    subject_key: Option<PathBuf>,
    /// Generate the subject's key pair and write its private key (PKCS#8 PEM) here; for a root
    /// CA this key also signs the certificate.
    #[arg(long, value_name = "FILE")]
    new_key: Option<PathBuf>,
    /// The issuing CA's certificate (all profiles but root-ca); its key is --key or the SKF
    /// container.
    #[arg(long, value_name = "FILE")]
    issuer_cert: Option<PathBuf>,
    /// Start of validity (default now).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    valid_from: Option<DateTime>,
    /// Validity in days (default 3650 for CAs, 730 otherwise).
    #[arg(long, value_name = "N", conflicts_with = "valid_to")]
    days: Option<u64>,
    /// End of validity.
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    valid_to: Option<DateTime>,
    /// pathLenConstraint (CA profiles).
    #[arg(long, value_name = "N")]
    path_len: Option<u8>,
    /// Add a CRL distribution point.
    #[arg(long, value_name = "URI")]
    crl_uri: Vec<String>,
    /// Write NULL signature-algorithm parameters, as the national CAs do (default absent).
    #[arg(long)]
    null_params: bool,
    #[command(flatten)]
    key: KeyArgs,
    /// Where to write the certificate (PEM; DER with --der).
    #[arg(long, short, value_name = "FILE")]
    out: PathBuf,
    /// Write DER instead of PEM.
    #[arg(long)]
    der: bool,
    /// Replace existing files.
    #[arg(long)]
    force: bool,
}

/// Arguments of `gmseal cert lint`.
#[derive(Debug, clap::Args)]
pub(crate) struct LintArgs {
    /// Certificate files (PEM may hold several).
    #[arg(required = true)]
    certs: Vec<PathBuf>,
    /// The role the certificates are meant for.
    #[arg(long, value_enum)]
    role: ProfileArg,
    /// The issuer's certificate, to check the signature and key identifiers.
    #[arg(long, value_name = "FILE")]
    issuer: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// Arguments of `gmseal cert verify`.
#[derive(Debug, clap::Args)]
pub(crate) struct VerifyArgs {
    /// The certificate to verify (the leaf).
    cert: PathBuf,
    /// Certificates that may help build the path (a file; repeat for several).
    #[arg(long, value_name = "FILE")]
    extra: Vec<PathBuf>,
    /// The time to verify at (default now).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    at: Option<DateTime>,
    /// Require a signing key usage (digitalSignature or nonRepudiation) of the leaf.
    #[arg(long)]
    signing: bool,
    #[command(flatten)]
    trust: TrustArgs,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(cmd: CertCommand) -> CliResult {
    match cmd {
        CertCommand::Issue(a) => issue(&a),
        CertCommand::Lint(a) => lint_cmd(&a),
        CertCommand::Verify(a) => verify(&a),
    }
}

/// Read one certificate file as a gmseal-cert `Cert`.
pub(crate) fn read_cert(path: &std::path::Path) -> CliResult<Cert> {
    let data = read_limited(path, 4 << 20)?;
    Cert::from_pem_or_der(&data).map_err(|e| {
        CliError::failed(format!(
            "{} is not a usable certificate: {}",
            path.display(),
            crate::error::chain(&e)
        ))
    })
}

fn place(s: &SubjectArgs) -> SubjectPlace {
    SubjectPlace {
        country: Some(s.country.clone()),
        province: s.province.clone(),
        locality: s.locality.clone(),
        organization: s.organization.clone(),
        organizational_unit: s.organizational_unit.clone(),
    }
}

fn plain_name(s: &SubjectArgs) -> CliResult<Name> {
    let cn =
        s.cn.as_deref()
            .ok_or_else(|| CliError::usage("this profile needs --cn NAME"))?;
    let mut b = NameBuilder::new().country(&s.country)?;
    if let Some(v) = &s.province {
        b = b.state(v)?;
    }
    if let Some(v) = &s.locality {
        b = b.locality(v)?;
    }
    if let Some(v) = &s.organization {
        b = b.organization(v)?;
    }
    if let Some(v) = &s.organizational_unit {
        b = b.organizational_unit(v)?;
    }
    Ok(b.common_name(cn)?.build())
}

fn organisation(s: &SubjectArgs) -> CliResult<OrganisationSubject> {
    let (Some(name), Some(code)) = (&s.unit_name, &s.credit_code) else {
        return Err(CliError::usage(
            "this profile needs --unit-name NAME and --credit-code CODE",
        ));
    };
    Ok(OrganisationSubject::new(name, code)?.with_place(place(s)))
}

fn person(s: &SubjectArgs) -> CliResult<PersonalSubject> {
    let (Some(name), Some(id)) = (&s.person_name, &s.id_number) else {
        return Err(CliError::usage(
            "this profile needs --person-name NAME and --id-number NUMBER",
        ));
    };
    let p = if s.other_document {
        PersonalSubject::other_document(name, id)?
    } else {
        PersonalSubject::resident(name, id)?
    };
    Ok(p.with_place(place(s)))
}

fn subject_public_key(path: &std::path::Path) -> CliResult<PublicKey> {
    let data = read_limited(path, 1 << 20)?;
    if let Ok(k) = load_public_key(&data) {
        return Ok(k.key);
    }
    if let Ok(c) = Cert::from_pem_or_der(&data) {
        return Ok(*c.public_key()?);
    }
    Err(CliError::failed(format!(
        "{} holds no SM2 public key (or certificate)",
        path.display()
    )))
}

/// Issue with the profile's common setters applied.
macro_rules! issue_with {
    ($issuer:expr, $profile:expr, $args:expr, $key:expr, $validity:expr) => {{
        let mut p = $profile;
        for uri in &$args.crl_uri {
            p = p.crl_distribution_point(uri.as_str());
        }
        $issuer.issue(p, $key, $validity)
    }};
}

fn issue(a: &IssueArgs) -> CliResult {
    let role: Role = a.profile.into();
    let mut outputs = vec![a.out.as_path()];
    if let Some(k) = &a.new_key {
        outputs.push(k);
    }
    refuse_existing(&outputs, a.force)?;
    if a.path_len.is_some() && !role.is_ca() {
        return Err(CliError::usage("--path-len is for CA profiles"));
    }

    // the subject key, and for a root the signer
    let new_key = a.new_key.as_ref().map(|_| SoftwareSigner::generate());
    let subject_key = match (&new_key, &a.subject_key) {
        (Some(k), _) => k.public_key(),
        (None, Some(p)) => subject_public_key(p)?,
        (None, None) => return Err(CliError::usage("give --subject-key FILE or --new-key FILE")),
    };
    let loaded;
    let signer: &dyn Sm2Signer = match (&new_key, role) {
        (Some(k), Role::RootCa) if !a.key.is_given() => k,
        _ => {
            loaded = a.key.load("issuer's")?;
            &*loaded.signer
        }
    };
    let issuer_cert = match (&a.issuer_cert, role) {
        (Some(_), Role::RootCa) => {
            return Err(CliError::usage(
                "a root CA is self-signed: no --issuer-cert",
            ));
        }
        (Some(p), _) => Some(read_cert(p)?),
        (None, Role::RootCa) => None,
        (None, _) => return Err(CliError::usage("this profile needs --issuer-cert FILE")),
    };

    let start = a.valid_from.unwrap_or_else(now);
    let end = match (a.valid_to, a.days) {
        (Some(t), _) => t,
        (None, Some(d)) => add_days(start, d),
        (None, None) => add_days(start, if role.is_ca() { 3650 } else { 730 }),
    };
    let valid = validity(start, end)?;
    let mut issuer = gmseal_cert::Issuer::new(signer).verify_after_signing(true);
    if a.null_params {
        issuer = issuer.with_parameters(AlgorithmParameters::Null);
    }
    let s = &a.subject;
    let ca = issuer_cert.as_ref();
    let need_ca = || ca.ok_or_else(|| CliError::usage("this profile needs --issuer-cert FILE"));
    let cert = match a.profile {
        ProfileArg::RootCa => issue_with!(
            issuer,
            RootCa::new(plain_name(s)?).path_len(a.path_len),
            a,
            &subject_key,
            valid
        ),
        ProfileArg::SubCa => issue_with!(
            issuer,
            SubCa::new(plain_name(s)?, need_ca()?)?.path_len(a.path_len),
            a,
            &subject_key,
            valid
        ),
        ProfileArg::OrganisationSigning => issue_with!(
            issuer,
            OrganisationSigning::new(&organisation(s)?, need_ca()?)?,
            a,
            &subject_key,
            valid
        ),
        ProfileArg::OrganisationEncryption => issue_with!(
            issuer,
            OrganisationEncryption::new(&organisation(s)?, need_ca()?)?,
            a,
            &subject_key,
            valid
        ),
        ProfileArg::SealMaker => issue_with!(
            issuer,
            SealMaker::new(&organisation(s)?, need_ca()?)?,
            a,
            &subject_key,
            valid
        ),
        ProfileArg::PersonalSigning => issue_with!(
            issuer,
            Personal::signing(&person(s)?, need_ca()?)?,
            a,
            &subject_key,
            valid
        ),
        ProfileArg::PersonalEncryption => issue_with!(
            issuer,
            Personal::encryption(&person(s)?, need_ca()?)?,
            a,
            &subject_key,
            valid
        ),
        ProfileArg::System => issue_with!(
            issuer,
            SystemCert::new(plain_name(s)?, need_ca()?)?,
            a,
            &subject_key,
            valid
        ),
        ProfileArg::Tsa => issue_with!(
            issuer,
            TimeStamping::new(plain_name(s)?, need_ca()?)?,
            a,
            &subject_key,
            valid
        ),
    }
    .map_err(|e| match e {
        gmseal_cert::Error::SignerKeyMismatch => CliError::failed(
            "the signing key is not the issuer certificate's key (for a root CA: not the subject key)",
        ),
        e => CliError::from(e).context("cannot issue the certificate"),
    })?;

    if let (Some(path), Some(k)) = (&a.new_key, &new_key) {
        write_new(
            path,
            k.to_pkcs8_pem().as_bytes(),
            a.force,
            Sensitivity::Secret,
        )?;
        let pub_path = path.with_extension("pub.pem");
        if !pub_path.exists() || a.force {
            write_new(
                &pub_path,
                public_key_to_pem(&k.public_key()).as_bytes(),
                a.force,
                Sensitivity::Public,
            )?;
        }
    }
    let bytes = if a.der {
        cert.der().to_vec()
    } else {
        crate::util::certificate_pem(cert.der()).into_bytes()
    };
    write_new(&a.out, &bytes, a.force, Sensitivity::Public)?;
    say!(
        "{} certificate {}",
        profile_label(a.profile),
        a.out.display()
    );
    say!("  {}", cert.summary());
    for f in lint_of(&cert, role, ca) {
        if f.severity >= Severity::Warning {
            say!("  lint {f}");
        }
    }
    if let Some(p) = &a.new_key {
        say!("  private key {}", p.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn profile_label(p: ProfileArg) -> &'static str {
    match p {
        ProfileArg::RootCa => "root CA",
        ProfileArg::SubCa => "subordinate CA",
        ProfileArg::OrganisationSigning => "organisation signing",
        ProfileArg::OrganisationEncryption => "organisation encryption",
        ProfileArg::PersonalSigning => "personal signing",
        ProfileArg::PersonalEncryption => "personal encryption",
        ProfileArg::SealMaker => "seal maker",
        ProfileArg::System => "system",
        ProfileArg::Tsa => "timestamp authority",
    }
}

fn lint_of(cert: &Cert, role: Role, issuer: Option<&Cert>) -> Vec<lint::Finding> {
    match issuer {
        Some(i) => lint::lint_with_issuer(cert, role, i),
        None => lint::lint(cert, role),
    }
}

fn lint_cmd(a: &LintArgs) -> CliResult {
    let issuer = a.issuer.as_deref().map(read_cert).transpose()?;
    let mut any_error = false;
    let mut json = Vec::new();
    for path in &a.certs {
        let data = read_limited(path, 4 << 20)?;
        let certs = gmseal_cert::parse_certificates(&data).map_err(|e| {
            CliError::failed(format!(
                "{} is not a certificate file: {}",
                path.display(),
                crate::error::chain(&e)
            ))
        })?;
        for cert in &certs {
            let findings = lint_of(cert, a.role.into(), issuer.as_ref());
            let errors = lint::has_errors(&findings);
            any_error |= errors;
            if a.json {
                json.push(serde_json::json!({
                    "file": path.display().to_string(),
                    "subject": cert.summary().subject,
                    "errors": errors,
                    "findings": findings.iter().map(|f| serde_json::json!({
                        "severity": f.severity.to_string(),
                        "finding": f.kind.to_string(),
                    })).collect::<Vec<_>>(),
                }));
            } else {
                say!(
                    "{}: {} — {}",
                    path.display(),
                    cert.summary().subject,
                    if errors { "ERRORS" } else { "conforms" }
                );
                for f in &findings {
                    say!("  {f}");
                }
            }
        }
    }
    if a.json {
        say!("{:#}", serde_json::Value::Array(json));
    }
    Ok(ExitCode::from(if any_error { 1 } else { 0 }))
}

fn verify(a: &VerifyArgs) -> CliResult {
    let Some(chain) = a.trust.load()? else {
        return Err(CliError::usage(
            "cert verify needs trust anchors: --trust DIR",
        ));
    };
    let leaf = read_limited(&a.cert, 4 << 20)?;
    let leaf = Cert::from_pem_or_der(&leaf)
        .map_err(|e| CliError::failed(format!("{} is not a certificate: {e}", a.cert.display())))?;
    let mut extra = Vec::new();
    for p in &a.extra {
        let data = read_limited(p, 4 << 20)?;
        for c in gmseal_cert::parse_certificates(&data)? {
            extra.push(c.der().to_vec());
        }
    }
    let mut options = ChainOptions::at(a.at.unwrap_or_else(now));
    if a.signing {
        options = options.with_leaf_key_usage(KeyUsageRequirement::Signing);
    }
    let report = verify_chain(leaf.der(), &extra, chain.store(), &options)?;
    if a.json {
        let v = serde_json::json!({
            "file": a.cert.display().to_string(),
            "trusted": report.is_trusted(),
            "verdict": report.verdict.to_string(),
            "time": report.time.to_string(),
            "path": report.path.iter().map(|p| p.summary.to_string()).collect::<Vec<_>>(),
            "failures": report
                .failures()
                .map(|c| format!("certificate [{}]: {}: {}", c.cert, c.kind, c.outcome))
                .collect::<Vec<_>>(),
            "report": report.to_string(),
        });
        say!("{v:#}");
    } else {
        say!("{}", a.cert.display());
        say_raw!("{report}");
    }
    Ok(ExitCode::from(if report.is_trusted() { 0 } else { 1 }))
}
