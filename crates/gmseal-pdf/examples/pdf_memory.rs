//! Peak memory of signing and verifying a large generated PDF (for the bench report).
//!
//! ```sh
//! cargo run --release -p gmseal-pdf --example pdf_memory -- gen 500 /tmp/big.pdf    # ~50 MB
//! cargo run --release -p gmseal-pdf --example pdf_memory -- sign /tmp/big.pdf /tmp/big-signed.pdf
//! cargo run --release -p gmseal-pdf --example pdf_memory -- verify /tmp/big-signed.pdf
//! ```
//!
//! Each command prints the process's peak resident set (`VmHWM`). The container is a test one
//! (raw SM2 over the digest).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../tests/suite/gen.rs"]
mod generate;

use std::io::BufWriter;

use gmseal_pdf::{
    Check, CheckKind, ContainerError, ContainerReport, ContentsRequest, ContentsSigner,
    ContentsVerifier, Format, Placement, SealImage, SigFilter, SignOptions, VerifyOptions,
    VerifyRequest,
};
use gmseal_sm2::encoding::{SignatureFormat, Strictness};
use gmseal_sm2::{DistId, Sm2SignerExt, Sm2VerifyingKey, SoftwareSigner};

struct Raw(SoftwareSigner);

impl ContentsSigner for Raw {
    fn sig_filter(&self) -> SigFilter {
        SigFilter::gm_sm2seal()
    }
    fn max_contents_len(&self) -> usize {
        8192
    }
    fn sign(&self, r: &ContentsRequest<'_>) -> Result<Vec<u8>, ContainerError> {
        Ok(self
            .0
            .sign_message_encoded(&DistId::default(), &r.digest, SignatureFormat::Der)?)
    }
}

struct RawVerify(Sm2VerifyingKey);

impl ContentsVerifier for RawVerify {
    fn accepts(&self, _: Format, _: Option<&[u8]>) -> bool {
        true
    }
    fn verify(&self, r: &VerifyRequest<'_>) -> ContainerReport {
        let ok = self
            .0
            .verify_encoded(
                &r.digest,
                r.contents,
                SignatureFormat::Der,
                Strictness::Strict,
            )
            .is_ok();
        ContainerReport::new(vec![if ok {
            Check::pass(CheckKind::Signature, "ok")
        } else {
            Check::fail(CheckKind::Signature, "bad")
        }])
    }
}

fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let key = SoftwareSigner::from_bytes(&[7u8; 32]).unwrap();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["gen", pages, out] => {
            let doc = generate::document(pages.parse().unwrap());
            std::fs::write(out, &doc).unwrap();
            println!("wrote {} bytes", doc.len());
        }
        ["sign", input, out] => {
            let bytes = std::fs::read(input).unwrap();
            let len = bytes.len() as u64;
            let png = gmseal_pdf::image::test_png(496, 496);
            let opts = SignOptions::new().seal(
                SealImage::from_bytes(&png, 42.0, 42.0).unwrap(),
                Placement::new(1, 150.0, 230.0),
            );
            let mut w = BufWriter::new(std::fs::File::create(out).unwrap());
            let s = gmseal_pdf::sign_to(bytes, &Raw(key), &opts, &mut w).unwrap();
            let peak = peak_kib();
            println!(
                "signed {} -> {} bytes; peak RSS {} KiB = {:.2} x the input",
                len,
                s.len,
                peak,
                peak as f64 * 1024.0 / len as f64
            );
        }
        ["verify", input] => {
            let f = std::fs::File::open(input).unwrap();
            let len = f.metadata().unwrap().len();
            let v = RawVerify(Sm2VerifyingKey::new(key.public_key(), DistId::default()));
            let r = gmseal_pdf::verify(f, &VerifyOptions::new().verifier(&v)).unwrap();
            let peak = peak_kib();
            println!(
                "verified {} bytes: {:?}; peak RSS {} KiB ({:.3} x the file)",
                len,
                r.verdict(),
                peak,
                peak as f64 * 1024.0 / len as f64
            );
        }
        _ => eprintln!("usage: pdf_memory gen <pages> <out> | sign <in> <out> | verify <in>"),
    }
}
