//! Issuing certificates against a bare SM2 signature measured in the same run.
//!
//! Baseline `sm2/sign_prehash`: one SM2 signature of a 32-byte prehash with a prebuilt key —
//! the one asymmetric operation issuing a certificate needs. `issue/org_signing` adds everything
//! else: the profile, `x509-cert`'s builder, DER, SM3 over Z and the TBS, the DER signature,
//! and parsing the result back into a `Cert`. Also measured: SM2 key generation, chain
//! verification of a 3-certificate path and CRL issuing.
//!
//! After criterion's statistics the bench prints a summary from its own interleaved rounds
//! (median of 7 rounds of about 0.3 s each, one core): the issue/sign ratio and the figures
//! of spec 004 (LD/T 02 §7.3.3 c: certificate issuing ≥ 50,000 per hour, SM2 key generation
//! ≥ 450 pairs per second). Skipped when run with `--test` or `--list`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::Criterion;
use gmseal_cert::issue::{CrlContents, Issuer, RevokedEntry, serial_from_bytes, validity};
use gmseal_cert::name::NameBuilder;
use gmseal_cert::profile::{OrganisationSigning, RootCa, SubCa};
use gmseal_cert::subject::OrganisationSubject;
use gmseal_cert::{Cert, ChainOptions, TrustStore, verify_chain_certs};
use gmseal_sm2::SoftwareSigner;
use gmseal_sm2::signature::hazmat::PrehashSigner;
use x509_cert::time::Validity;

struct Setup {
    sub_key: SoftwareSigner,
    sub: Cert,
    subject: OrganisationSubject,
    leaf_key: SoftwareSigner,
    leaf: Cert,
    v: Validity,
    store: TrustStore,
}

fn setup() -> Setup {
    let v = validity(
        "2025-01-01T00:00:00Z".parse().unwrap(),
        "2035-01-01T00:00:00Z".parse().unwrap(),
    )
    .unwrap();
    let root_key = SoftwareSigner::from_bytes(&[1u8; 32]).unwrap();
    let name = |cn: &str| {
        NameBuilder::new()
            .country("CN")
            .unwrap()
            .common_name(cn)
            .unwrap()
            .build()
    };
    let root = Issuer::new(&root_key)
        .issue(RootCa::new(name("根CA")), &root_key.public_key(), v)
        .unwrap();
    let sub_key = SoftwareSigner::from_bytes(&[2u8; 32]).unwrap();
    let sub = Issuer::new(&root_key)
        .issue(
            SubCa::new(name("子CA"), &root).unwrap(),
            &sub_key.public_key(),
            v,
        )
        .unwrap();
    let subject = OrganisationSubject::new("测试有限公司", "91350100M000100Y43").unwrap();
    let leaf_key = SoftwareSigner::from_bytes(&[3u8; 32]).unwrap();
    let leaf = Issuer::new(&sub_key)
        .issue(
            OrganisationSigning::new(&subject, &sub).unwrap(),
            &leaf_key.public_key(),
            v,
        )
        .unwrap();
    let mut store = TrustStore::new();
    store.add_anchor(root.clone()).unwrap();
    store.add_intermediate(sub.clone()).unwrap();
    Setup {
        sub_key,
        sub,
        subject,
        leaf_key,
        leaf,
        v,
        store,
    }
}

fn issue_one(s: &Setup) -> Cert {
    Issuer::new(&s.sub_key)
        .issue(
            OrganisationSigning::new(&s.subject, &s.sub)
                .unwrap()
                .crl_distribution_point("http://crl.example.cn/sub.crl"),
            &s.leaf_key.public_key(),
            s.v,
        )
        .unwrap()
}

fn crl_contents() -> CrlContents {
    CrlContents {
        this_update: "2026-01-01T00:00:00Z".parse().unwrap(),
        next_update: Some("2026-02-01T00:00:00Z".parse().unwrap()),
        crl_number: 1,
        revoked: (0u32..100)
            .map(|i| RevokedEntry {
                serial: serial_from_bytes(&(0x1000_0000 + i).to_be_bytes()).unwrap(),
                date: "2025-12-01T00:00:00Z".parse().unwrap(),
                reason: None,
            })
            .collect(),
    }
}

fn bench(c: &mut Criterion, s: &Setup) {
    let e = [0x5Au8; 32];
    let opts = ChainOptions::at("2030-01-01T00:00:00Z".parse().unwrap());
    let mut g = c.benchmark_group("gmseal-cert");
    g.bench_function("sm2/sign_prehash", |b| {
        b.iter(|| s.sub_key.sign_prehash(black_box(&e)).unwrap())
    });
    g.bench_function("sm2/keygen", |b| {
        b.iter(|| SoftwareSigner::try_generate().unwrap())
    });
    g.bench_function("issue/org_signing", |b| b.iter(|| issue_one(s)));
    g.bench_function("verify/chain_of_3", |b| {
        b.iter(|| assert!(verify_chain_certs(&s.leaf, &[], &s.store, &opts).is_trusted()))
    });
    g.bench_function("issue/crl_100_entries", |b| {
        let contents = crl_contents();
        b.iter(|| {
            Issuer::new(&s.sub_key)
                .issue_crl(&s.sub, &contents)
                .unwrap()
        })
    });
    g.finish();
}

/// Operations per second of `f`: median of rounds interleaved with the other operations.
fn summary(s: &Setup) {
    let e = [0x5Au8; 32];
    let round = Duration::from_millis(300);
    let mut ops: [Vec<f64>; 3] = [Vec::new(), Vec::new(), Vec::new()];
    let time = |f: &mut dyn FnMut()| {
        let start = Instant::now();
        let mut n = 0u32;
        while start.elapsed() < round {
            f();
            n += 1;
        }
        f64::from(n) / start.elapsed().as_secs_f64()
    };
    for _ in 0..7 {
        ops[0].push(time(&mut || {
            black_box(s.sub_key.sign_prehash(black_box(&e)).unwrap());
        }));
        ops[1].push(time(&mut || {
            black_box(issue_one(s));
        }));
        ops[2].push(time(&mut || {
            black_box(SoftwareSigner::try_generate().unwrap());
        }));
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let sign = median(&mut ops[0]);
    let issue = median(&mut ops[1]);
    let keygen = median(&mut ops[2]);
    let per_hour = issue * 3600.0;
    let with_key = 1.0 / (1.0 / issue + 1.0 / keygen) * 3600.0;
    println!();
    println!("== gmseal-cert issuing summary (one core, median of 7 interleaved rounds) ==");
    println!("bare SM2 sign (prehash)       {sign:>10.0} /s   (baseline)");
    println!(
        "issue organisation signing    {issue:>10.0} /s   = {:.2} x the time of one SM2 signature",
        sign / issue
    );
    println!(
        "SM2 key generation            {keygen:>10.0} /s   spec 004 asks >= 450 /s: {:.0} x",
        keygen / 450.0
    );
    println!(
        "certificates per hour         {per_hour:>10.0}      spec 004 asks >= 50,000 /h: {:.0} x",
        per_hour / 50_000.0
    );
    println!(
        "  with a fresh key pair each  {with_key:>10.0}      ({:.0} x)",
        with_key / 50_000.0
    );
}

fn main() {
    let s = setup();
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c, &s);
    c.final_summary();
    let args: Vec<String> = std::env::args().collect();
    if !args.iter().any(|a| a == "--test" || a == "--list") {
        summary(&s);
    }
}
