//! Batch verification of sealed invoices, for profiling with callgrind.
//!
//! Usage: `cargo run --release -p gmseal-benches --example batch-workload -- <N> [ofd|pdf|mixed] [one-by-one|uncached|cached|parallel]` — makes N
//! sealed invoices from one test PKI (setup), then verifies them with trust anchors inside
//! `verify_batch` (count only that part with `valgrind --tool=callgrind --collect-atstart=no
//! --toggle-collect='*verify_batch*'`; see `benches/run-all.sh`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../fixture.rs"]
mod fixture;

use fixture::{
    BatchPki, Kind, Mode, ofd_valid, pdf_valid, sealed_invoices, verify_ofd, verify_pdf,
};
use gmseal_cert::TrustStore;

#[inline(never)]
fn verify_batch(ofd: &[Vec<u8>], pdf: &[Vec<u8>], store: &TrustStore, mode: Mode) -> usize {
    verify_ofd(ofd, store, mode)
        .iter()
        .filter(|r| ofd_valid(r))
        .count()
        + verify_pdf(pdf, store, mode)
            .iter()
            .filter(|r| pdf_valid(r))
            .count()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().map(|a| a.parse().unwrap()).unwrap_or(100);
    let mix = args.next().unwrap_or_else(|| "mixed".into());
    let mode = match args.next().as_deref() {
        None | Some("one-by-one") => Mode::OneByOne,
        Some("uncached") => Mode::Uncached,
        Some("cached") => Mode::Cached,
        Some("parallel") => Mode::CachedParallel,
        Some(other) => panic!("unknown mode {other}"),
    };
    let (o, p) = match mix.as_str() {
        "ofd" => (n, 0),
        "pdf" => (0, n),
        _ => (n - n / 2, n / 2),
    };
    let pki = BatchPki::new();
    let docs = sealed_invoices(&pki, o, p);
    let of_kind = |k| -> Vec<Vec<u8>> {
        docs.iter()
            .filter(|d| d.kind == k)
            .map(|d| d.bytes.clone())
            .collect()
    };
    let (ofd, pdf) = (of_kind(Kind::Ofd), of_kind(Kind::Pdf));
    let valid = verify_batch(&ofd, &pdf, &pki.store(), mode);
    println!("{n} documents ({mix}), {valid} valid, {mode:?}");
    assert_eq!(valid, n);
}
