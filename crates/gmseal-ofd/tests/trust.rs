//! Chains through gmseal-cert: a root CA issues the seal maker's and the holder's certificates;
//! the verifier trusting that root says Valid, one trusting another root says Untrusted.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

#[path = "support/pki.rs"]
mod pki;

use gmseal_cert::issue::{Issuer, validity};
use gmseal_cert::name::NameBuilder;
use gmseal_cert::profile::{OrganisationSigning, RootCa, SealMaker};
use gmseal_cert::subject::OrganisationSubject;
use gmseal_cert::{Cert, TrustStore};
use gmseal_cms::der::Decode;
use gmseal_ofd::signed_value::cms::SignedDataSigner;
use gmseal_ofd::signed_value::ses::SesSigner;
use gmseal_ofd::trust::CertChain;
use gmseal_ofd::{
    CheckKind, Outcome, Package, Rect, SignOptions, Signer, Stamp, Verdict, Verifier,
};
use gmseal_ses::SealBuilder;
use gmseal_ses::der::DateTime;
use gmseal_sm2::SoftwareSigner;

struct Ca {
    key: SoftwareSigner,
    cert: Cert,
}

fn time(offset_days: i64) -> DateTime {
    let now = std::time::SystemTime::now();
    let d = std::time::Duration::from_secs(offset_days.unsigned_abs() * 86_400);
    DateTime::from_system_time(if offset_days < 0 { now - d } else { now + d }).unwrap()
}

fn root(name: &str) -> Ca {
    let key = SoftwareSigner::generate();
    let subject = NameBuilder::new()
        .country("CN")
        .unwrap()
        .organization(name)
        .unwrap()
        .common_name(name)
        .unwrap()
        .build();
    let cert = Issuer::new(&key)
        .issue(
            RootCa::new(subject),
            &key.public_key(),
            validity(time(-30), time(3650)).unwrap(),
        )
        .unwrap();
    Ca { key, cert }
}

#[test]
fn seals_and_signed_data_chain_to_a_root() {
    let ca = root("示例根CA");
    let v = validity(time(-1), time(365)).unwrap();
    let unit = OrganisationSubject::new("示例印章制作有限公司", "91350100M000100Y43").unwrap();
    let maker_key = SoftwareSigner::generate();
    let maker = Issuer::new(&ca.key)
        .issue(
            SealMaker::new(&unit, &ca.cert).unwrap(),
            &maker_key.public_key(),
            v,
        )
        .unwrap();
    let holder_key = SoftwareSigner::generate();
    let holder = Issuer::new(&ca.key)
        .issue(
            OrganisationSigning::new(&unit, &ca.cert).unwrap(),
            &holder_key.public_key(),
            v,
        )
        .unwrap();
    let seal = SealBuilder::new(
        "3501000000001",
        "示例有限公司合同专用章",
        maker.der().to_vec(),
    )
    .holder_certificate(holder.der().to_vec())
    .validity(time(-1), time(365))
    .created(time(0))
    .picture("PNG", pki::picture(), 40, 40)
    .sign(&maker_key)
    .unwrap();

    let doc = gmseal_testkit::corpus_bytes("ofd/unsigned-helloworld.ofd");
    let o = SignOptions::default().stamp(Stamp::at(0, Rect::new(100.0, 50.0, 40.0, 40.0)));
    let sealed = Signer::new(&SesSigner::new(&seal, holder.der().to_vec(), &holder_key))
        .sign(&doc, &o)
        .unwrap()
        .package;
    let cms_cert = gmseal_cms::x509_cert::Certificate::from_der(holder.der()).unwrap();
    let both = Signer::new(&SignedDataSigner::new(&holder_key, cms_cert))
        .sign(&sealed, &SignOptions::default())
        .unwrap()
        .package;

    let mut store = TrustStore::new();
    store.add_anchor(ca.cert.clone()).unwrap();
    let r = Verifier::trusting(CertChain::new(store))
        .verify(&Package::from_bytes(both.clone()).unwrap())
        .unwrap();
    assert_eq!(r.verdict, Verdict::Valid, "{r}");
    for s in r.signatures() {
        let chain = s
            .signed_value
            .as_ref()
            .unwrap()
            .checks
            .iter()
            .filter(|c| c.kind == CheckKind::CertificateChain)
            .count();
        assert!(chain >= 1, "{r}");
    }

    // Another root: no path to a trust anchor, so the chains cannot be decided (Indeterminate,
    // as gmseal-cert and ETSI EN 319 102-1 classify a missing issuer); every other check passes.
    let mut other = TrustStore::new();
    other.add_anchor(root("另一个根CA").cert).unwrap();
    let r = Verifier::trusting(CertChain::new(other))
        .verify(&Package::from_bytes(both).unwrap())
        .unwrap();
    assert_eq!(r.verdict, Verdict::Indeterminate, "{r}");
    let s = r.signature("s001").unwrap();
    for c in &s.signed_value.as_ref().unwrap().checks {
        let want = if c.kind == CheckKind::CertificateChain {
            Outcome::Indeterminate
        } else {
            Outcome::Pass
        };
        assert_eq!(c.outcome, want, "{c}");
    }
}
