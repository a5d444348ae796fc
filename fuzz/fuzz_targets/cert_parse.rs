//! Certificate and CRL parsing and verification (gmseal-cert): PEM bundles and DER, the
//! extension decoders, the identity readers, the linter, CRL validation and chain building
//! over whatever the input holds (its first certificate as trust anchor, the others as
//! intermediates and extra certificates, its CRLs in the store). No panic, bounded work.
#![no_main]

use gmseal_cert::chain::ChainLimits;
use gmseal_cert::gmt0015::{IdentifyCode, read_string_extension};
use gmseal_cert::lint::{lint, lint_pair};
use gmseal_cert::{
    Cert, ChainOptions, Crl, RevocationPolicy, Role, TrustStore, parse_certificates, parse_crls,
    subject, verify_chain_certs,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let certs: Vec<Cert> = match parse_certificates(data) {
        Ok(c) => c,
        Err(_) => Vec::new(),
    };
    let crls: Vec<Crl> = parse_crls(data).unwrap_or_default();
    let _ = IdentifyCode::from_ext_value(data);
    let _ = read_string_extension(
        gmseal_cert::oid::gmt0015_2023::UNIFIED_SOCIAL_CREDIT_CODE,
        data,
    );

    let mut store = TrustStore::new();
    for (i, c) in certs.iter().enumerate() {
        let _ = if i == 0 {
            store.add_anchor(c.clone())
        } else {
            store.add_intermediate(c.clone())
        };
    }
    for crl in &crls {
        let _ = store.add_crl(crl.clone());
        for c in &certs {
            let _ = crl.validate_for(c, &Default::default());
            let _ = crl.find(c.serial());
        }
        let _ = crl.entries().count();
    }
    let opts = ChainOptions::at(
        gmseal_cert::der::DateTime::new(2026, 1, 1, 0, 0, 0)
            .unwrap_or(gmseal_cert::der::DateTime::INFINITY),
    )
    .allow_empty_id(true)
    .with_revocation(RevocationPolicy::Require)
    .with_limits(ChainLimits {
        max_path_len: 6,
        max_signature_checks: 16,
        max_extra_certificates: 8,
    });
    for c in certs.iter().take(8) {
        let _ = c.summary().to_string();
        let _ = subject::credit_code(c);
        let _ = subject::id_number(c);
        let _ = subject::unit_name(c);
        for role in [
            Role::SubCa,
            Role::OrganisationSigning,
            Role::PersonalEncryption,
            Role::TimeStamping,
        ] {
            let _ = lint(c, role);
        }
        let report = verify_chain_certs(c, &certs, &store, &opts);
        let _ = report.to_string();
    }
    if let [a, b, ..] = certs.as_slice() {
        let _ = lint_pair(
            a,
            b,
            Role::OrganisationSigning,
            Role::OrganisationEncryption,
        );
    }
});
