//! Test support: a CMS-free test container (raw SM2 over the digest), corpus access, oracles.
#![allow(dead_code, unreachable_pub)]

use std::path::{Path, PathBuf};
use std::process::Command;

use gmseal_pdf::{
    Check, CheckKind, ContainerError, ContainerReport, ContentsRequest, ContentsSigner,
    ContentsVerifier, Format, SigFilter, VerifyRequest,
};
use gmseal_sm2::encoding::{SignatureFormat, Strictness};
use gmseal_sm2::{DistId, Sm2Signer, Sm2SignerExt, Sm2VerifyingKey, SoftwareSigner};

/// Test-only container: `/Contents` = DER SM2 signature (default ID) over the 32-byte digest.
/// Signs through `&dyn Sm2Signer` like the real containers.
pub struct RawSm2<'a> {
    pub key: &'a dyn Sm2Signer,
    pub filter: SigFilter,
    pub reserve: usize,
}

impl<'a> RawSm2<'a> {
    pub fn new(key: &'a dyn Sm2Signer) -> Self {
        RawSm2 {
            key,
            filter: SigFilter::new(b"GMSEAL.Test", b"gmseal.test.rawsm2"),
            reserve: 128,
        }
    }
}

impl ContentsSigner for RawSm2<'_> {
    fn sig_filter(&self) -> SigFilter {
        self.filter.clone()
    }
    fn max_contents_len(&self) -> usize {
        self.reserve
    }
    fn sign(&self, request: &ContentsRequest<'_>) -> Result<Vec<u8>, ContainerError> {
        Ok(self.key.sign_message_encoded(
            &DistId::default(),
            &request.digest,
            SignatureFormat::Der,
        )?)
    }
}

/// Verifies [`RawSm2`] signatures with a known key.
pub struct RawSm2Verifier {
    pub key: Sm2VerifyingKey,
}

impl RawSm2Verifier {
    pub fn new(key: &dyn Sm2Signer) -> Self {
        RawSm2Verifier {
            key: Sm2VerifyingKey::new(key.public_key(), DistId::default()),
        }
    }
}

impl ContentsVerifier for RawSm2Verifier {
    fn accepts(&self, _format: Format, _sub_filter: Option<&[u8]>) -> bool {
        true
    }
    fn verify(&self, request: &VerifyRequest<'_>) -> ContainerReport {
        let check = match self.key.verify_encoded(
            &request.digest,
            request.contents,
            SignatureFormat::Der,
            Strictness::Strict,
        ) {
            Ok(_) => Check::pass(
                CheckKind::Signature,
                "raw SM2 signature over the digest verifies",
            ),
            Err(e) => Check::fail(CheckKind::Signature, format!("raw SM2 signature: {e}")),
        };
        let mut r = ContainerReport::new(vec![check]);
        r.signer = Some("test key".into());
        r
    }
}

pub fn key() -> SoftwareSigner {
    SoftwareSigner::from_bytes(&[7u8; 32]).unwrap()
}

/// `test-vectors/pdf` of this repository. (Not `gmseal_testkit::test_vectors`: the testkit's
/// repository root is fixed when it is compiled, and a target directory shared between
/// worktrees can hand this crate a testkit compiled in another one.)
pub fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test-vectors/pdf")
}

pub fn corpus_pdf(name: &str) -> Vec<u8> {
    gmseal_testkit::corpus_bytes(&format!("pdf/{name}"))
}

/// Every corpus input with its password.
pub fn corpus_inputs() -> Vec<(&'static str, Option<&'static str>)> {
    vec![
        ("pdf20-offset-start.pdf", None),
        ("pdf20-simple.pdf", None),
        ("pdf20-via-incremental-save.pdf", None),
        ("pyhanko-minimal-hybrid-xref.pdf", None),
        ("pyhanko-minimal-rc4.pdf", Some("usersecret")),
        ("pyhanko-minimal-two-fields.pdf", None),
        ("pyhanko-minimal-with-field-aes256.pdf", Some("usersecret")),
        ("qpdf-11-pages.pdf", None),
        ("qpdf-aes256-r6-user-view-owner-master.pdf", Some("view")),
        ("qpdf-bad-xref-entry.pdf", None),
        ("qpdf-linearized.pdf", None),
        ("qpdf-object-streams.pdf", None),
    ]
}

pub fn seal_png() -> Vec<u8> {
    gmseal_pdf::image::test_png(120, 120)
}

pub fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// A scratch directory; kept (and printed) when `GMSEAL_KEEP_DIR` names a directory.
pub fn out_dir(name: &str) -> (Option<tempfile::TempDir>, PathBuf) {
    match std::env::var_os("GMSEAL_KEEP_DIR") {
        Some(d) => {
            let p = PathBuf::from(d).join(name);
            std::fs::create_dir_all(&p).unwrap();
            (None, p)
        }
        None => {
            let t = tmp();
            let p = t.path().to_path_buf();
            (Some(t), p)
        }
    }
}

pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// `qpdf --check` must exit 0.
pub fn qpdf_check(path: &Path, password: Option<&str>) {
    let Some(qpdf) = gmseal_testkit::oracle("qpdf") else {
        return;
    };
    let mut cmd = Command::new(qpdf);
    if let Some(p) = password {
        cmd.arg(format!("--password={p}"));
    }
    cmd.arg("--check").arg(path);
    let out = gmseal_testkit::run_any(&mut cmd);
    assert!(
        out.status.code() == Some(0),
        "qpdf --check {} exited {:?}\n{}\n{}",
        path.display(),
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
