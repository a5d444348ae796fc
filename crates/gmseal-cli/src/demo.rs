//! `gmseal demo`: what the workspace does, end to end, with nothing but this binary: no network,
//! no files from outside, no prompts.
//!
//! A test PKI (root CA, seal maker, organisation), a GB/T 38540 seal with a generated picture,
//! documents signed with it and verified, a tampered copy that fails, and where the files are.

mod picture;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use gmseal_cert::issue::validity;
use gmseal_cert::name::NameBuilder;
use gmseal_cert::profile::{OrganisationSigning, RootCa, SealMaker};
use gmseal_cert::subject::OrganisationSubject;
use gmseal_cert::{Cert, Issuer, TrustStore};
use gmseal_ses::verify::{SignedContent, VerifyOptions, verify, verify_seal};
use gmseal_ses::{SealBuilder, SesVersion, SignatureBuilder};
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
        &VerifyOptions::strict().with_chain_verifier(chain.as_ses()),
    );
    print_indented(&report.to_string());
    if !assess(&report).intact {
        return Err(CliError::failed("the demo's own seal does not verify"));
    }

    // 3. a document signed with the seal
    demo.step("A document signed with the seal (GB/T 38540 SES_Signature over its bytes)");
    let document = "gmseal demo document — 电子印章演示文件\n".as_bytes();
    let doc_path = demo.write("document.txt", document, Sensitivity::Public)?;
    let signature = SignatureBuilder::new(&seal, org_cert)
        .data(document)
        .sign(&org_key)?;
    let sig_path = demo.write("document.txt.ses", signature.as_der(), Sensitivity::Public)?;
    say!("    {} signs {}", sig_path.display(), doc_path.display());
    let report = verify(
        &signature,
        SignedContent::Bytes(document),
        &VerifyOptions::strict().with_chain_verifier(chain.as_ses()),
    );
    print_indented(&report.to_string());
    if !assess(&report).intact {
        return Err(CliError::failed("the demo's own signature does not verify"));
    }

    // 4. tampering
    demo.step("A tampered copy: one byte changed");
    let mut tampered = document.to_vec();
    if let Some(b) = tampered.first_mut() {
        *b ^= 0x20;
    }
    let tampered_path = demo.write("document-tampered.txt", &tampered, Sensitivity::Public)?;
    let report = verify(
        &signature,
        SignedContent::Bytes(&tampered),
        &VerifyOptions::strict().with_chain_verifier(chain.as_ses()),
    );
    print_indented(&report.to_string());
    if assess(&report).intact {
        return Err(CliError::failed("a tampered document verified"));
    }
    say!(
        "    {}: the signature no longer matches",
        tampered_path.display()
    );

    say!();
    say!("Done. The files are in {}", demo.dir.display());
    say!("Look at them with gmseal:");
    say!("  gmseal seal show {}", seal_path.display());
    say!(
        "  gmseal seal verify --trust {} {}",
        demo.path("trust").display(),
        seal_path.display()
    );
    say!("Check the certificates with OpenSSL (3.x):");
    say!(
        "  openssl verify -CAfile {} -vfyopt distid:1234567812345678 {}",
        demo.path("root-ca.pem").display(),
        demo.path("organisation.pem").display()
    );
    Ok(ExitCode::SUCCESS)
}

fn is_empty_dir(d: &Path) -> bool {
    std::fs::read_dir(d).is_ok_and(|mut r| r.next().is_none())
}

fn print_indented(text: &str) {
    for line in text.lines() {
        say!("    {line}");
    }
}
