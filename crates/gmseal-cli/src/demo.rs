//! `gmseal demo`: what the workspace does, end to end, with nothing but this binary: no network,
//! no files from outside, no prompts.
//!
//! A test PKI (root CA, seal maker, organisation), a GB/T 38540 seal with a generated picture,
//! documents signed with it and verified, a tampered copy that fails, and where the files are.

mod picture;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use gmseal_ses::verify::{SignedContent, VerifyOptions, verify, verify_seal};
use gmseal_ses::{SealBuilder, SesVersion, SignatureBuilder};
use gmseal_sm2::SoftwareSigner;
use gmseal_sm2::key::public_key_to_pem;

use crate::error::{CliError, CliResult};
use crate::output::{Sensitivity, write_new};
use crate::pki::{Role, issue};
use crate::ses_report::assess;
use crate::util::{add_days, certificate_pem, now};

/// Names of the demo's test PKI.
const ROOT_DN: &str = "CN=gmseal demo root CA,O=gmseal demo,C=CN";
const MAKER_DN: &str = "CN=gmseal demo seal maker,O=gmseal demo seal maker,C=CN";
const ORG_DN: &str = "CN=gmseal demo organisation,O=gmseal demo organisation,C=CN";

struct Demo {
    dir: PathBuf,
    force: bool,
    step: usize,
}

impl Demo {
    fn step(&mut self, title: &str) {
        self.step += 1;
        println!();
        println!("[{}] {title}", self.step);
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    fn write(&self, name: &str, data: &[u8], sensitivity: Sensitivity) -> CliResult<PathBuf> {
        let p = self.path(name);
        write_new(&p, data, self.force, sensitivity)?;
        Ok(p)
    }

    /// A key pair and a certificate for it, written as `<name>.key.pem` and `<name>.pem`.
    fn party(
        &self,
        name: &str,
        issuer_key: Option<&SoftwareSigner>,
        issuer_dn: &str,
        subject_dn: &str,
        role: Role,
        days: u64,
    ) -> CliResult<(SoftwareSigner, Vec<u8>)> {
        let key = SoftwareSigner::generate();
        let cert = issue(
            issuer_key.unwrap_or(&key),
            issuer_dn,
            subject_dn,
            &key.public_key(),
            role,
            days,
        )?;
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
            certificate_pem(&cert).as_bytes(),
            Sensitivity::Public,
        )?;
        Ok((key, cert))
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
    println!(
        "gmseal demo: every file is written to {}",
        demo.dir.display()
    );

    // 1. the test PKI
    demo.step("A test PKI: root CA, seal maker, organisation (SM2 keys, SM3withSM2 certificates)");
    let (root_key, root_cert) =
        demo.party("root-ca", None, ROOT_DN, ROOT_DN, Role::RootCa, 3650)?;
    let (maker_key, maker_cert) = demo.party(
        "seal-maker",
        Some(&root_key),
        ROOT_DN,
        MAKER_DN,
        Role::Signing,
        1825,
    )?;
    let (org_key, org_cert) = demo.party(
        "organisation",
        Some(&root_key),
        ROOT_DN,
        ORG_DN,
        Role::Signing,
        1825,
    )?;
    let _ = root_cert;
    println!("    root CA       {ROOT_DN}");
    println!("    seal maker    {MAKER_DN}");
    println!("    organisation  {ORG_DN}");
    println!("    keys: *.key.pem (PKCS#8), certificates: *.pem");

    // 2. the seal
    demo.step("A GB/T 38540-2020 seal made by the seal maker for the organisation");
    let png = picture::seal_png()
        .map_err(|e| CliError::failed(format!("cannot draw the seal picture: {e}")))?;
    let picture_path = demo.write("seal.png", &png, Sensitivity::Public)?;
    let start = now();
    let seal = SealBuilder::new("0000000000001", "gmseal 演示合同专用章", maker_cert)
        .version(SesVersion::V4)
        .vendor_id("gmseal-demo")
        .holder_certificate(org_cert.clone())
        .validity(start, add_days(start, 3 * 365))
        .picture("PNG", png, 40, 40)
        .sign(&maker_key)?;
    let seal_path = demo.write("seal.esl", seal.as_der(), Sensitivity::Public)?;
    println!(
        "    {} ({}, \"{}\", valid {} to {}), picture {}",
        seal_path.display(),
        seal.version(),
        seal.name(),
        seal.valid_start(),
        seal.valid_end(),
        picture_path.display()
    );
    let report = verify_seal(&seal, Some(now()), &VerifyOptions::strict());
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
    println!("    {} signs {}", sig_path.display(), doc_path.display());
    let report = verify(
        &signature,
        SignedContent::Bytes(document),
        &VerifyOptions::strict(),
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
        &VerifyOptions::strict(),
    );
    print_indented(&report.to_string());
    if assess(&report).intact {
        return Err(CliError::failed("a tampered document verified"));
    }
    println!(
        "    {}: the signature no longer matches",
        tampered_path.display()
    );

    println!();
    println!("Done. The files are in {}", demo.dir.display());
    println!("Look at them with gmseal:");
    println!("  gmseal seal show {}", seal_path.display());
    println!("  gmseal seal verify {}", seal_path.display());
    println!("Check the certificates with OpenSSL (3.x):");
    println!(
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
        println!("    {line}");
    }
}
