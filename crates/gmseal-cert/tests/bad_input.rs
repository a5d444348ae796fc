//! Bad input gets a typed error, never a panic: truncated and garbage DER, trailing data,
//! oversized input, wrong algorithms, non-SM2 keys, duplicate and malformed extensions,
//! malformed extra certificates, too many of them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/pki.rs"]
mod pki;
#[path = "support/raw.rs"]
mod raw;

use gmseal_cert::chain::ChainLimits;
use gmseal_cert::signature::SignatureFailure;
use gmseal_cert::{
    Cert, ChainOptions, Crl, Error, Problem, Role, Structure, TrustStore, Verdict,
    parse_certificates, verify_chain, verify_chain_certs,
};
use gmseal_sm2::SoftwareSigner;
use gmseal_testkit::corpus;
use pki::Pki;
use raw::{cn, ext};

fn sheca_der() -> Vec<u8> {
    Cert::from_pem_or_der(
        &std::fs::read(corpus(
            "certs/nrcac-ca/2DA1A6BD0CE76C624E634B7D6A29D02A.pem",
        ))
        .unwrap(),
    )
    .unwrap()
    .der()
    .to_vec()
}

#[test]
fn every_truncation_is_a_der_error() {
    let der = sheca_der();
    for len in 0..der.len() {
        match Cert::from_der(&der[..len]) {
            Err(Error::Der {
                what: Structure::Certificate,
                ..
            }) => {}
            other => panic!("length {len}: {other:?}"),
        }
    }
    let crl_der = Crl::from_pem_or_der(
        &std::fs::read(corpus(
            "certs/openhitls/test_for_crl/sm2/sm2_with_userid/crl_verify/crl/root.crl",
        ))
        .unwrap(),
    )
    .unwrap()
    .der()
    .to_vec();
    for len in 0..crl_der.len() {
        assert!(matches!(
            Crl::from_der(&crl_der[..len]),
            Err(Error::Der {
                what: Structure::Crl,
                ..
            })
        ));
    }
}

#[test]
fn trailing_data_and_garbage() {
    let mut der = sheca_der();
    der.push(0);
    assert!(matches!(Cert::from_der(&der), Err(Error::Der { .. })));
    assert!(matches!(Cert::from_der(b"hello"), Err(Error::Der { .. })));
    assert!(matches!(Cert::from_der(&[]), Err(Error::Der { .. })));
    assert!(matches!(
        Cert::from_pem_or_der(b"-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n"),
        Err(Error::Pem(_))
    ));
    assert!(matches!(
        parse_certificates(b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"),
        Err(Error::NothingFound { .. })
    ));
    // A CRL is not a certificate and the other way round.
    let crl = std::fs::read(corpus(
        "certs/openhitls/test_for_crl/sm2/sm2_with_userid/extension_crl/root.crl",
    ))
    .unwrap();
    assert!(Cert::from_pem_or_der(&crl).is_err());
    assert!(Crl::from_pem_or_der(&sheca_der()).is_err());
}

#[test]
fn oversized_input() {
    let big = vec![0u8; gmseal_cert::cert::MAX_CERTIFICATE_LEN + 1];
    assert!(matches!(
        Cert::from_der(&big),
        Err(Error::TooLarge {
            what: Structure::Certificate,
            ..
        })
    ));
    let big = vec![0u8; gmseal_cert::crl::MAX_CRL_LEN + 1];
    assert!(matches!(Crl::from_der(&big), Err(Error::TooLarge { .. })));
}

/// Replace every occurrence of `from` by `to` (same length).
fn patch(der: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let mut out = der.to_vec();
    let mut n = 0;
    let mut i = 0;
    while i + from.len() <= out.len() {
        if out[i..i + from.len()] == *from {
            out[i..i + from.len()].copy_from_slice(to);
            n += 1;
            i += from.len();
        } else {
            i += 1;
        }
    }
    assert!(n > 0);
    out
}

const SM3_WITH_SM2: [u8; 10] = [0x06, 0x08, 0x2A, 0x81, 0x1C, 0xCF, 0x55, 0x01, 0x83, 0x75];
const SM2_WITH_SHA1: [u8; 10] = [0x06, 0x08, 0x2A, 0x81, 0x1C, 0xCF, 0x55, 0x01, 0x83, 0x76];
const SM2_CURVE: [u8; 10] = [0x06, 0x08, 0x2A, 0x81, 0x1C, 0xCF, 0x55, 0x01, 0x82, 0x2D];
const P256_CURVE: [u8; 10] = [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];

#[test]
fn wrong_algorithm_and_wrong_key() {
    let pki = Pki::new();
    let store = pki.store();
    let opts = ChainOptions::at("2030-01-01T00:00:00Z".parse().unwrap());
    let leaf = pki.leaf(Role::SealMaker);
    // SM2-with-SHA1 in both algorithm identifiers.
    let der = patch(leaf.der(), &SM3_WITH_SM2, &SM2_WITH_SHA1);
    let r = verify_chain(&der, &[] as &[&[u8]], &store, &opts).unwrap();
    assert_eq!(
        r.verdict,
        Verdict::Untrusted {
            cert: 0,
            problem: Problem::Signature(SignatureFailure::UnsupportedAlgorithm(
                "1.2.156.10197.1.502".parse().unwrap()
            ))
        }
    );
    // A P-256 key where an SM2 key should be: the certificate parses, its key does not load,
    // and as an issuer it fails with a typed reason.
    let der = patch(pki.sub.der(), &SM2_CURVE, &P256_CURVE);
    let bad_sub = Cert::from_der(&der).unwrap();
    assert!(matches!(bad_sub.public_key(), Err(Error::PublicKey(_))));
    let mut s = TrustStore::new();
    s.add_anchor(pki.root.clone()).unwrap();
    s.add_intermediate(bad_sub).unwrap();
    let r = verify_chain_certs(leaf, &[], &s, &opts);
    assert_eq!(
        r.verdict,
        Verdict::Untrusted {
            cert: 0,
            problem: Problem::Signature(SignatureFailure::IssuerKey)
        }
    );
}

#[test]
fn duplicate_and_malformed_extensions() {
    let pki = Pki::new();
    // authorityKeyIdentifier's OID patched into subjectKeyIdentifier's (which comes first):
    // two SKIs.
    let der = patch(
        pki.sub.der(),
        &[0x06, 0x03, 0x55, 0x1D, 0x23],
        &[0x06, 0x03, 0x55, 0x1D, 0x0E],
    );
    match Cert::from_der(&der) {
        Err(Error::DuplicateExtension { oid }) => assert_eq!(oid.to_string(), "2.5.29.14"),
        other => panic!("{other:?}"),
    }
    // The other way round: the first extension, now an AKI, holds an OCTET STRING.
    let der = patch(
        pki.sub.der(),
        &[0x06, 0x03, 0x55, 0x1D, 0x0E],
        &[0x06, 0x03, 0x55, 0x1D, 0x23],
    );
    match Cert::from_der(&der) {
        Err(Error::MalformedExtension { oid, .. }) => assert_eq!(oid.to_string(), "2.5.29.35"),
        other => panic!("{other:?}"),
    }
    // cRLDistributionPoints' OID patched into keyUsage's: a second keyUsage, or one that does
    // not decode.
    let der = patch(
        pki.leaf(Role::System).der(),
        &[0x06, 0x03, 0x55, 0x1D, 0x1F],
        &[0x06, 0x03, 0x55, 0x1D, 0x13],
    );
    assert!(matches!(
        Cert::from_der(&der),
        Err(Error::DuplicateExtension { .. })
    ));
    // The issuer refuses to produce a certificate whose basicConstraints does not decode.
    let k = SoftwareSigner::generate();
    let err = gmseal_cert::issue::Issuer::new(&k)
        .issue(
            raw::RawProfile {
                subject: cn("x"),
                issuer: cn("x"),
                issuer_key: k.public_key(),
                extensions: vec![ext("2.5.29.19", true, &[0x05, 0x00])],
            },
            &k.public_key(),
            pki::validity_2025_2045(),
        )
        .unwrap_err();
    assert!(
        matches!(err, Error::MalformedExtension { ref oid, .. } if oid.to_string() == "2.5.29.19"),
        "{err:?}"
    );
}

#[test]
fn too_many_and_malformed_extra_certificates() {
    let pki = Pki::new();
    let store = pki.store();
    let leaf = pki.leaf(Role::System).der();
    let opts = ChainOptions::default().with_limits(ChainLimits {
        max_extra_certificates: 2,
        ..ChainLimits::default()
    });
    let extra = vec![pki.sub.der(); 3];
    assert!(matches!(
        verify_chain(leaf, &extra, &store, &opts),
        Err(Error::TooMany { .. })
    ));
    let extra: Vec<&[u8]> = vec![pki.sub.der(), b"junk"];
    assert!(matches!(
        verify_chain(leaf, &extra, &store, &ChainOptions::default()),
        Err(Error::ExtraCertificate { index: 1, .. })
    ));
    assert!(matches!(
        verify_chain(b"junk", &[] as &[&[u8]], &store, &ChainOptions::default()),
        Err(Error::Der { .. })
    ));
}
