//! Builder inputs: every missing or invalid field is a typed error naming it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod pki {
    include!("common/pki.rs");
}

use der::DateTime;
use gmseal_ses::{Error, SealBuilder, SesVersion, SignatureBuilder};

fn d(y: u16) -> DateTime {
    DateTime::new(y, 1, 1, 0, 0, 0).unwrap()
}

fn field(r: Result<gmseal_ses::Seal, Error>) -> &'static str {
    match r {
        Err(Error::InvalidInput { field, .. }) => field,
        other => panic!("{other:?}"),
    }
}

#[test]
fn seal_builder_refuses_bad_input() {
    let maker = pki::maker().0;
    let holder = pki::holder().1;
    let base = || {
        SealBuilder::new("E-1", "name", pki::maker().1)
            .holder_certificate(pki::holder().1)
            .validity(d(2025), d(2030))
            .picture("PNG", pki::png(), 40, 40)
    };
    assert!(base().sign(&maker).is_ok());
    assert_eq!(
        field(SealBuilder::new("", "n", pki::maker().1).sign(&maker)),
        "esID"
    );
    assert_eq!(
        field(
            SealBuilder::new("印章", "n", pki::maker().1)
                .holder_certificate(holder.clone())
                .sign(&maker)
        ),
        "esID"
    );
    assert_eq!(
        field(base().validity(d(2030), d(2025)).sign(&maker)),
        "validEnd"
    );
    assert_eq!(
        field(
            SealBuilder::new("E", "n", pki::maker().1)
                .holder_certificate(holder.clone())
                .picture("PNG", pki::png(), 1, 1)
                .sign(&maker)
        ),
        "validStart"
    );
    assert_eq!(
        field(
            SealBuilder::new("E", "n", pki::maker().1)
                .holder_certificate(holder.clone())
                .validity(d(2025), d(2030))
                .sign(&maker)
        ),
        "picture"
    );
    assert_eq!(
        field(base().picture("PNG", pki::png(), 0, 40).sign(&maker)),
        "picture"
    );
    assert_eq!(
        field(
            SealBuilder::new("E", "n", pki::maker().1)
                .validity(d(2025), d(2030))
                .picture("PNG", pki::png(), 40, 40)
                .sign(&maker)
        ),
        "certList"
    );
    assert_eq!(
        field(base().holder_certificate_sm3(&holder).sign(&maker)),
        "certList"
    );
    // UTCTime ends in 2049
    assert_eq!(
        field(
            base()
                .version(SesVersion::V1)
                .validity(d(2025), d(2055))
                .sign(&maker)
        ),
        "createDate"
    );
    assert!(base().validity(d(2025), d(2055)).sign(&maker).is_ok());
}

#[test]
fn es_id_rule_is_applied() {
    let maker = pki::maker().0;
    let rule = |id: &str| {
        if id.len() == 13 && id.bytes().all(|b| b.is_ascii_digit()) {
            Ok(())
        } else {
            Err(format!("{id} is not 13 digits"))
        }
    };
    let build = |id: &str| {
        SealBuilder::new(id, "n", pki::maker().1)
            .holder_certificate(pki::holder().1)
            .validity(d(2025), d(2030))
            .picture("PNG", pki::png(), 40, 40)
            .es_id_rule(rule)
            .sign(&maker)
    };
    assert!(build("3301020000001").is_ok());
    match build("E-1") {
        Err(Error::EsIdRejected { es_id, reason }) => {
            assert_eq!(es_id, "E-1");
            assert!(reason.contains("13 digits"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn signature_builder_refuses_bad_input() {
    let seal = pki::sample_seal(SesVersion::V4);
    let (key, cert) = pki::holder();
    match SignatureBuilder::new(&seal, cert.clone()).sign(&key) {
        Err(Error::InvalidInput {
            field: "dataHash", ..
        }) => {}
        other => panic!("{other:?}"),
    }
    match SignatureBuilder::new(&seal, cert.clone())
        .data(b"d")
        .property_info("/文档/Signature.xml")
        .sign(&key)
    {
        Err(Error::InvalidInput {
            field: "propertyInfo",
            ..
        }) => {}
        other => panic!("{other:?}"),
    }
    match SignatureBuilder::new(&seal, b"not a certificate".to_vec())
        .data(b"d")
        .sign(&key)
    {
        Err(Error::Certificate { .. }) => {}
        other => panic!("{other:?}"),
    }
    // the default time is now
    let sig = SignatureBuilder::new(&seal, cert)
        .data(b"d")
        .sign(&key)
        .unwrap();
    assert!(sig.signing_time().is_some());
}
