//! `gmseal demo`: what the workspace does, end to end, with nothing but this binary: no network,
//! no files from outside, no prompts.
//!
//! A test PKI (root CA, seal maker, organisation), a GB/T 38540 seal with a generated picture,
//! documents signed with it and verified, a tampered copy that fails, and where the files are.

mod picture;
mod sample;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use der::Decode;
use gmseal_cert::issue::validity;
use gmseal_cert::name::NameBuilder;
use gmseal_cert::profile::{OrganisationSigning, RootCa, SealMaker};
use gmseal_cert::subject::OrganisationSubject;
use gmseal_cert::{Cert, Issuer, TrustStore};
use gmseal_pdf::cms::CmsContents;
use gmseal_pdf::seal::{SealContents, seal_picture};
use gmseal_pdf::{Placement, SignOptions};
use gmseal_ses::verify::{VerifyOptions, verify_seal};
use gmseal_ses::{SealBuilder, SesVersion};
use gmseal_sm2::SoftwareSigner;
use gmseal_sm2::key::public_key_to_pem;

use crate::error::{CliError, CliResult};
use crate::output::{Sensitivity, write_new};
use crate::ses_report::assess;
use crate::trust::Chain;
use crate::util::{add_days, certificate_pem, now};

/// The demo's test PKI: names and unified social credit codes (check characters computed).
const ROOT_CN: &str = "gmseal demo root CA";
const MAKER_NAME: &str = "gmseal 演示印章制作有限公司";
const MAKER_CODE17: &str = "91330100MA0000001";
const ORG_NAME: &str = "gmseal 演示有限公司";
const ORG_CODE17: &str = "91330100MA0000002";
/// Where the seal goes on the sample page: its centre, in mm from the left and the top.
pub(crate) const SEAL_X_MM: f64 = 82.0;
pub(crate) const SEAL_Y_MM: f64 = 212.0;

/// A credit code from its first 17 characters.
fn credit_code(prefix17: &str) -> CliResult<String> {
    let check = gmseal_cert::identity::uscc_check_character(prefix17)
        .map_err(|e| CliError::failed(format!("credit code {prefix17}: {e}")))?;
    Ok(format!("{prefix17}{check}"))
}

struct Demo {
    dir: PathBuf,
    force: bool,
    step: usize,
}

impl Demo {
    fn step(&mut self, title: &str) {
        self.step += 1;
        say!();
        say!("[{}] {title}", self.step);
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    fn write(&self, name: &str, data: &[u8], sensitivity: Sensitivity) -> CliResult<PathBuf> {
        let p = self.path(name);
        write_new(&p, data, self.force, sensitivity)?;
        Ok(p)
    }

    /// Write a key pair and its certificate as `<name>.key.pem`, `<name>.pub.pem`, `<name>.pem`.
    fn party(&self, name: &str, key: &SoftwareSigner, cert: &Cert) -> CliResult<()> {
        self.write(
            &format!("{name}.key.pem"),
            key.to_pkcs8_pem().as_bytes(),
            Sensitivity::Secret,
        )?;
        self.write(
            &format!("{name}.pub.pem"),
            public_key_to_pem(&key.public_key()).as_bytes(),
            Sensitivity::Public,
        )?;
        self.write(
            &format!("{name}.pem"),
            certificate_pem(cert.der()).as_bytes(),
            Sensitivity::Public,
        )?;
        Ok(())
    }
}

pub(crate) fn run(dir: Option<PathBuf>, force: bool) -> CliResult {
    let dir = match dir {
        Some(d) => {
            std::fs::create_dir_all(&d)
                .map_err(|e| CliError::failed(format!("cannot create {}: {e}", d.display())))?;
            if !force && !is_empty_dir(&d) {
                return Err(CliError::failed(format!(
                    "{} is not empty; use --force to replace the demo's files in it",
                    d.display()
                )));
            }
            d
        }
        None => tempfile::Builder::new()
            .prefix("gmseal-demo-")
            .tempdir()
            .map_err(|e| CliError::failed(format!("cannot create a temporary directory: {e}")))?
            .keep(),
    };
    let mut demo = Demo {
        dir,
        force,
        step: 0,
    };
    say!(
        "gmseal demo: every file is written to {}",
        demo.dir.display()
    );

    // 1. the test PKI
    demo.step("A test PKI: root CA, seal maker, organisation (gmseal-cert's GM/T 0015 profiles)");
    let start = now();
    let ca_validity = validity(start, add_days(start, 3650))?;
    let leaf_validity = validity(start, add_days(start, 1825))?;
    let root_key = SoftwareSigner::generate();
    let root_name = NameBuilder::new()
        .country("CN")?
        .organization("gmseal demo")?
        .common_name(ROOT_CN)?
        .build();
    let root = Issuer::new(&root_key).issue(
        RootCa::new(root_name),
        &root_key.public_key(),
        ca_validity,
    )?;
    demo.party("root-ca", &root_key, &root)?;
    std::fs::create_dir_all(demo.path("trust"))
        .map_err(|e| CliError::failed(format!("cannot create the trust directory: {e}")))?;
    demo.write(
        "trust/root-ca.pem",
        certificate_pem(root.der()).as_bytes(),
        Sensitivity::Public,
    )?;

    let maker_key = SoftwareSigner::generate();
    let maker_subject = OrganisationSubject::new(MAKER_NAME, &credit_code(MAKER_CODE17)?)?;
    let maker = Issuer::new(&root_key).issue(
        SealMaker::new(&maker_subject, &root)?,
        &maker_key.public_key(),
        leaf_validity,
    )?;
    demo.party("seal-maker", &maker_key, &maker)?;

    let org_key = SoftwareSigner::generate();
    let org_subject = OrganisationSubject::new(ORG_NAME, &credit_code(ORG_CODE17)?)?;
    let org = Issuer::new(&root_key).issue(
        OrganisationSigning::new(&org_subject, &root)?,
        &org_key.public_key(),
        leaf_validity,
    )?;
    demo.party("organisation", &org_key, &org)?;
    let maker_cert = maker.der().to_vec();
    let org_cert = org.der().to_vec();
    for (what, c) in [
        ("root CA", &root),
        ("seal maker", &maker),
        ("organisation", &org),
    ] {
        say!("    {what:<13} {}", c.summary().subject);
    }
    say!("    keys: *.key.pem (PKCS#8), certificates: *.pem, trust anchor: trust/root-ca.pem");
    let mut store = TrustStore::new();
    store.add_anchor(root.clone())?;
    let chain = Chain::new(store);

    // 2. the seal
    demo.step("A GB/T 38540-2020 seal made by the seal maker for the organisation");
    let png = picture::seal_png()
        .map_err(|e| CliError::failed(format!("cannot draw the seal picture: {e}")))?;
    let picture_path = demo.write("seal.png", &png, Sensitivity::Public)?;
    let seal = SealBuilder::new("0000000000001", "gmseal 演示合同专用章", maker_cert)
        .version(SesVersion::V4)
        .vendor_id("gmseal-demo")
        .holder_certificate(org_cert.clone())
        .validity(start, add_days(start, 3 * 365))
        .picture("PNG", png, 40, 40)
        .sign(&maker_key)?;
    let seal_path = demo.write("seal.esl", seal.as_der(), Sensitivity::Public)?;
    say!(
        "    {} ({}, \"{}\", valid {} to {}), picture {}",
        seal_path.display(),
        seal.version(),
        seal.name(),
        seal.valid_start(),
        seal.valid_end(),
        picture_path.display()
    );
    let report = verify_seal(
        &seal,
        Some(now()),
        &VerifyOptions::strict().with_chain_verifier(&chain.verifier()),
    );
    print_indented(&report.to_string());
    if !assess(&report).intact {
        return Err(CliError::failed("the demo's own seal does not verify"));
    }

    // 3. the sample PDF, sealed in both formats
    let pdf = sample::contract_pdf();
    let pdf_path = demo.write("contract.pdf", &pdf, Sensitivity::Public)?;
    let picture =
        seal_picture(&seal).map_err(|e| CliError::failed(format!("the seal picture: {e}")))?;
    let place = || Placement::new(1, SEAL_X_MM, SEAL_Y_MM);

    demo.step("The sample PDF sealed with a GB/T 38540 seal signature (format B: /GM.sm2seal)");
    let contents = SealContents::new(&seal, &org_key, org_cert.clone());
    let options = SignOptions::new()
        .seal(picture.clone(), place())
        .reason("gmseal demo: format B");
    let signed = gmseal_pdf::sign(pdf.clone(), &contents, &options)?;
    let sealed_pdf = demo.write("contract-sealed.pdf", &signed, Sensitivity::Public)?;
    say!("    {} -> {}", pdf_path.display(), sealed_pdf.display());
    show(&sealed_pdf, &chain, true)?;

    demo.step("The sample PDF signed with SM2 CMS (format A: adbe.pkcs7.detached, GM/T 0010)");
    let org_x509 = x509_cert::Certificate::from_der(&org_cert)?;
    let contents = CmsContents::new(&org_key, org_x509);
    let options = SignOptions::new()
        .seal(picture, place())
        .reason("gmseal demo: format A");
    let signed = gmseal_pdf::sign(pdf, &contents, &options)?;
    let cms_pdf = demo.write("contract-cms.pdf", &signed, Sensitivity::Public)?;
    say!("    {} -> {}", pdf_path.display(), cms_pdf.display());
    show(&cms_pdf, &chain, true)?;

    // 4. OFD
    demo.step("The sample OFD sealed (GB/T 33190 §18)");
    let ofd_paths = crate::ofd::demo(&demo.dir, demo.force, &seal, &org_key, &org_cert, &chain)?;

    // 5. tampering
    demo.step("A tampered copy: the fee in the sealed PDF changed after signing");
    let mut tampered = std::fs::read(&sealed_pdf)
        .map_err(|e| CliError::failed(format!("cannot read {}: {e}", sealed_pdf.display())))?;
    if !sample::replace_same_length(
        &mut tampered,
        sample::AMOUNT.as_bytes(),
        sample::TAMPERED_AMOUNT.as_bytes(),
    ) {
        return Err(CliError::failed("the demo PDF has no fee to change"));
    }
    let tampered_pdf = demo.write(
        "contract-sealed-tampered.pdf",
        &tampered,
        Sensitivity::Public,
    )?;
    say!(
        "    {}: \"{}\" became \"{}\"",
        tampered_pdf.display(),
        sample::AMOUNT,
        sample::TAMPERED_AMOUNT
    );
    if show(&tampered_pdf, &chain, false)? {
        return Err(CliError::failed("a tampered document verified"));
    }

    say!();
    say!("Done. The files are in {}", demo.dir.display());
    say!("Open them in a PDF or OFD viewer:");
    let mut listed = vec![
        (pdf_path.clone(), "the sample contract (PDF)"),
        (
            sealed_pdf.clone(),
            "sealed, GB/T 38540 seal signature (PDF format B)",
        ),
        (cms_pdf.clone(), "signed, SM2 CMS (PDF format A)"),
        (tampered_pdf.clone(), "sealed, then tampered (PDF)"),
    ];
    listed.extend(ofd_paths.iter().cloned());
    let width = listed
        .iter()
        .map(|(p, _)| p.display().to_string().chars().count())
        .max()
        .unwrap_or(0);
    for (p, what) in &listed {
        say!("  {:<width$}  {what}", p.display().to_string());
    }
    say!("Check them with gmseal (and the seal, and the certificates):");
    let mut verify_line = format!("  gmseal verify --trust {}", demo.path("trust").display());
    for (p, _) in &listed {
        if p != &pdf_path && !p.ends_with("contract.ofd") {
            verify_line.push(' ');
            verify_line.push_str(&p.display().to_string());
        }
    }
    say!("{verify_line}");
    say!("  gmseal seal show {}", seal_path.display());
    say!(
        "  gmseal cert verify --trust {} {}",
        demo.path("trust").display(),
        demo.path("organisation.pem").display()
    );
    say!("and with other tools:");
    say!("  qpdf --check {}", sealed_pdf.display());
    say!("  pdfsig {}", cms_pdf.display());
    say!(
        "  openssl verify -CAfile {} -vfyopt distid:1234567812345678 {}",
        demo.path("root-ca.pem").display(),
        demo.path("organisation.pem").display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Verify a file as `gmseal verify` does and print the report; true when intact and trusted.
pub(crate) fn show(path: &Path, chain: &Chain, verbose: bool) -> CliResult<bool> {
    let r = crate::verify::verify_file(path, Some(chain), false, None, false);
    let mut text = Vec::new();
    r.render(&mut text, verbose);
    for line in text {
        say!("    {line}");
    }
    Ok(r.intact() && r.trusted() == Some(true))
}

/// The sample OFD contract.
pub(crate) fn sample_ofd() -> CliResult<Vec<u8>> {
    sample::contract_ofd()
        .map_err(|e| CliError::failed(format!("cannot write the sample OFD: {e}")))
}

/// A copy of an OFD package with the fee changed.
pub(crate) fn tampered_ofd(package: &[u8]) -> CliResult<Vec<u8>> {
    sample::tamper_ofd(package, sample::AMOUNT, sample::TAMPERED_AMOUNT)
        .map_err(|e| CliError::failed(format!("cannot rewrite the OFD: {e}")))
}

fn is_empty_dir(d: &Path) -> bool {
    std::fs::read_dir(d).is_ok_and(|mut r| r.next().is_none())
}

fn print_indented(text: &str) {
    for line in text.lines() {
        say!("    {line}");
    }
}
