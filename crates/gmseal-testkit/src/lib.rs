//! Test support for the gmseal workspace (never published).
//!
//! * [`corpus`]: files of the shared test corpus (`../shared/corpus` beside the repository, or
//!   `$GMSEAL_CORPUS`), resolved from this crate's manifest directory;
//! * [`vectors`]: `gm-vectors.json`, parsed;
//! * [`oracle`]: an outside tool (`openssl`, `qpdf`, `pdfsig`, ...). When it is missing the test
//!   fails if `GMSEAL_REQUIRE_ORACLES` or `CI` is set (as `.ci/run` does), and is skipped with a
//!   loud message otherwise;
//! * [`run`]: run a command and return its output, failing the test with everything it printed;
//! * `pki` (feature `pki`): a test PKI issued with gmseal-cert's profiles — root CA, sub CA,
//!   end-entity certificates per role, CRLs, trust stores.
#![forbid(unsafe_code)]
#![allow(clippy::panic, clippy::expect_used, clippy::unwrap_used)]

#[cfg(feature = "pki")]
pub mod pki;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
///
/// Found from the `CARGO_MANIFEST_DIR` cargo sets when it runs a test (the crate under test),
/// walking up to the directory that holds `test-vectors/`; the path this crate was compiled at
/// is only the fallback (it is stale when several checkouts share one target directory).
pub fn repo_root() -> PathBuf {
    let start = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    let mut dir = start.canonicalize().expect("manifest directory");
    loop {
        if dir.join("test-vectors").is_dir() && dir.join("Cargo.toml").is_file() {
            return dir;
        }
        if !dir.pop() {
            return Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../..")
                .canonicalize()
                .expect("repository root");
        }
    }
}

/// A file or directory of the repository's `test-vectors/`.
pub fn test_vectors(rel: &str) -> PathBuf {
    repo_root().join("test-vectors").join(rel)
}

/// The shared corpus directory.
pub fn corpus_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("GMSEAL_CORPUS") {
        return PathBuf::from(dir);
    }
    let dir = repo_root().join("../shared/corpus");
    assert!(
        dir.is_dir(),
        "test corpus not found at {} (set GMSEAL_CORPUS to its location)",
        dir.display()
    );
    dir
}

/// A file or directory of the shared corpus.
pub fn corpus(rel: &str) -> PathBuf {
    let p = corpus_dir().join(rel);
    assert!(p.exists(), "corpus file missing: {}", p.display());
    p
}

/// Read a corpus file.
pub fn corpus_bytes(rel: &str) -> Vec<u8> {
    std::fs::read(corpus(rel)).expect("read corpus file")
}

/// `gm-vectors.json`.
pub fn vectors() -> serde_json::Value {
    let text = std::fs::read_to_string(corpus("vectors/gm-vectors.json")).expect("read vectors");
    serde_json::from_str(&text).expect("parse gm-vectors.json")
}

/// Decode hex (upper or lower case); `"0"` is a single zero byte.
pub fn unhex(s: &str) -> Vec<u8> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let s = if s.len() % 2 == 1 { format!("0{s}") } else { s };
    hex::decode(s).expect("hex")
}

/// Are missing oracles failures (CI) rather than skips (a developer's machine)?
pub fn oracles_required() -> bool {
    std::env::var_os("GMSEAL_REQUIRE_ORACLES").is_some() || std::env::var_os("CI").is_some()
}

/// Find an outside tool on `PATH`.
///
/// Returns `None` (after printing a loud notice) when the tool is missing on a developer's
/// machine; panics when it is missing in CI.
pub fn oracle(name: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(name))
            .find(|p| p.is_file())
    });
    match found {
        Some(p) => Some(p),
        None if oracles_required() => panic!(
            "outside tool `{name}` is required (GMSEAL_REQUIRE_ORACLES/CI is set) but not on PATH; .ci/run installs it"
        ),
        None => {
            eprintln!(
                "\n*** SKIPPED: `{name}` is not installed; this oracle test did not run. \
                 Install it (see .ci/run) or set GMSEAL_REQUIRE_ORACLES=1 to make this a failure. ***\n"
            );
            None
        }
    }
}

/// Run a command, panicking with its output if it fails.
pub fn run(cmd: &mut Command) -> Output {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    if !out.status.success() {
        panic!(
            "{cmd:?} failed with {}\n--- stdout\n{}\n--- stderr\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    out
}

/// Run a command and return its output whatever the exit status.
pub fn run_any(cmd: &mut Command) -> Output {
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"))
}
