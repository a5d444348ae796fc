//! `gmseal demo`: what the workspace can do, end to end, with nothing but this binary.
//!
//! It grows with the workspace: today it exercises the SM2 layer (keys, Z, DER and raw
//! signatures, strict and lenient verification, tamper detection).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use gmseal_sm2::encoding::{SignatureFormat, Strictness};
use gmseal_sm2::key::{load_private_key, public_key_to_pem};
use gmseal_sm2::{DistId, Sm2SignerExt, Sm2VerifyingKey, SoftwareSigner};

use crate::CliResult;

/// Write a file that must not exist yet (unless `force`), atomically: a temporary file in the
/// same directory, renamed into place when complete.
pub(crate) fn write_new(path: &Path, data: &[u8], force: bool) -> CliResult<()> {
    if path.exists() && !force {
        return Err(format!("{} exists (use --force to overwrite)", path.display()).into());
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(&dir)?;
    tmp.write_all(data)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

pub(crate) fn run(dir: Option<PathBuf>) -> CliResult {
    let (_guard, dir) = match dir {
        Some(d) => {
            std::fs::create_dir_all(&d)?;
            (None, d)
        }
        None => {
            let t = tempfile::Builder::new().prefix("gmseal-demo-").tempdir()?;
            let p = t.path().to_path_buf();
            (Some(t.keep()), p)
        }
    };
    println!("gmseal demo — files in {}", dir.display());
    println!();

    // 1. a key pair, written and read back the way a vendor would store it
    let key = SoftwareSigner::generate();
    let key_path = dir.join("signer.key.pem");
    let pin = b"demo-pin";
    let encrypted = gmseal_sm2::key::private_key_to_encrypted_pem(key.secret_key(), pin)?;
    write_new(&key_path, encrypted.as_bytes(), true)?;
    write_new(
        &dir.join("signer.pub.pem"),
        public_key_to_pem(&key.public_key()).as_bytes(),
        true,
    )?;
    let loaded = load_private_key(&std::fs::read(&key_path)?, Some(pin))?;
    println!(
        "[1] SM2 key pair generated; private key stored as PKCS#8 encrypted with PBES2/SM4-CBC"
    );
    println!(
        "    {} (read back: {})",
        key_path.display(),
        describe_notes(&loaded.notes)
    );

    // 2. sign a document with the default ID
    let document =
        b"gmseal demo document: \xe7\x94\xb5\xe5\xad\x90\xe5\x8d\xb0\xe7\xab\xa0\n".to_vec();
    let doc_path = dir.join("document.txt");
    write_new(&doc_path, &document, true)?;
    let id = DistId::default();
    let vk = Sm2VerifyingKey::new(key.public_key(), id.clone());
    let der = key.sign_message_encoded(&id, &document, SignatureFormat::Der)?;
    write_new(&dir.join("document.sig.der"), &der, true)?;
    println!("[2] signed {} with Z over ID {id}", doc_path.display());
    println!("    Z = {}", hex(vk.z()));
    println!("    e = SM3(Z || M) = {}", hex(&vk.digest(&document)));
    println!(
        "    signature (DER SEQUENCE{{r,s}}, {} bytes) = {}",
        der.len(),
        hex(&der)
    );

    // 3. verify, strictly
    let tolerated = vk.verify_encoded(&document, &der, SignatureFormat::Der, Strictness::Strict)?;
    println!(
        "[3] strict verification: VALID (deviations tolerated: {})",
        tolerated.len()
    );

    // 4. a raw r||s signature, as some deployed seal systems write it
    let raw = key.sign_message_encoded(&id, &document, SignatureFormat::Raw)?;
    match vk.verify_encoded(&document, &raw, SignatureFormat::Der, Strictness::Strict) {
        Err(e) => println!("[4] raw r||s signature, strict mode: REJECTED ({e})"),
        Ok(_) => return Err("strict mode accepted a raw signature".into()),
    }
    let tolerated =
        vk.verify_encoded(&document, &raw, SignatureFormat::Der, Strictness::Lenient)?;
    println!(
        "    lenient mode: VALID, tolerated: {}",
        tolerated
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    );

    // 5. tampering is caught
    let mut tampered = document.clone();
    tampered[0] ^= 0x20;
    write_new(&dir.join("document-tampered.txt"), &tampered, true)?;
    match vk.verify_encoded(&tampered, &der, SignatureFormat::Der, Strictness::Strict) {
        Err(e) => println!("[5] tampered copy: REJECTED ({e})"),
        Ok(_) => return Err("a tampered document verified".into()),
    }
    // 6. and so is a signature made with another ID (OpenSSL 3.0's default empty ID)
    let empty_id = key.sign_message_encoded(&DistId::EMPTY, &document, SignatureFormat::Der)?;
    match vk.verify_encoded(
        &document,
        &empty_id,
        SignatureFormat::Der,
        Strictness::Strict,
    ) {
        Err(e) => println!("[6] signature over the empty ID: REJECTED ({e})"),
        Ok(_) => return Err("an empty-ID signature verified under the default ID".into()),
    }
    println!();
    println!("Check it with OpenSSL:");
    println!(
        "  openssl pkeyutl -verify -pubin -inkey {} -rawin -digest sm3 -pkeyopt distid:1234567812345678 -in {} -sigfile {}",
        dir.join("signer.pub.pem").display(),
        doc_path.display(),
        dir.join("document.sig.der").display()
    );
    Ok(ExitCode::SUCCESS)
}

fn describe_notes(notes: &[gmseal_sm2::key::KeyNote]) -> String {
    if notes.is_empty() {
        "standard form".into()
    } else {
        notes
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02X}")).collect()
}
