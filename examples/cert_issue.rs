//! gmseal-cert: issue a root CA and an organisation's signing certificate with the GM/T 0015
//! profiles, lint them, and verify the chain with a trust store.
//!
//! `cargo run -p gmseal-examples --example cert_issue`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use der::DateTime;
use gmseal_cert::issue::validity;
use gmseal_cert::name::NameBuilder;
use gmseal_cert::profile::{OrganisationSigning, RootCa};
use gmseal_cert::subject::{self, OrganisationSubject};
use gmseal_cert::{
    ChainOptions, Issuer, KeyUsageRequirement, Role, TrustStore, Verdict, lint, verify_chain_certs,
};
use gmseal_examples::BoxError;
use gmseal_sm2::SoftwareSigner;

fn run() -> Result<(), BoxError> {
    let valid = validity(
        DateTime::new(2025, 1, 1, 0, 0, 0)?,
        DateTime::new(2035, 1, 1, 0, 0, 0)?,
    )?;

    // The CA: any Sm2Signer can issue (a software key here, a UKey through gmseal-skf).
    let ca_key = SoftwareSigner::generate();
    let ca_name = NameBuilder::new()
        .country("CN")?
        .organization("示例CA")?
        .common_name("示例根CA")?
        .build();
    let ca = Issuer::new(&ca_key).issue(RootCa::new(ca_name), &ca_key.public_key(), valid)?;

    // An organisation's signing certificate: credit code in T and 2.5.4.1, name in G and CN.
    let org_key = SoftwareSigner::generate();
    let unit = OrganisationSubject::new("示例有限公司", "91350100M000100Y43")?;
    let org = Issuer::new(&ca_key).issue(
        OrganisationSigning::new(&unit, &ca)?,
        &org_key.public_key(),
        valid,
    )?;
    println!("issued {}", org.summary());
    println!(
        "credit code read back: {}",
        subject::credit_code(&org).unwrap().value
    );

    // The linter checks the profile of the role.
    for finding in lint::lint_with_issuer(&org, Role::OrganisationSigning, &ca) {
        println!("lint: {finding}");
    }
    assert!(!lint::has_errors(&lint::lint_with_issuer(
        &org,
        Role::OrganisationSigning,
        &ca
    )));

    // Path validation against a trust store, at a given time, for signing.
    let mut store = TrustStore::new();
    store.add_anchor(ca)?;
    let options = ChainOptions::at(DateTime::new(2026, 6, 1, 0, 0, 0)?)
        .with_leaf_key_usage(KeyUsageRequirement::Signing);
    let report = verify_chain_certs(&org, &[], &store, &options);
    print!("{report}");
    assert_eq!(report.verdict, Verdict::Trusted);
    Ok(())
}

fn main() -> Result<(), BoxError> {
    run()
}

#[test]
fn example_runs() {
    run().unwrap();
}
