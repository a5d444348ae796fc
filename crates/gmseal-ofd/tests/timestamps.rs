//! Timestamps on OFD signatures: a seal signature (`SES_Signature.timeStamp`, through
//! gmseal-ses's `TsaTimestamper`) and a `Type="Sign"` SignedData (`id-aa-timeStampToken` in the
//! SignerInfo's unsigned attributes), both from gmseal-cms's `LocalTsa`, verified with the
//! shared adapters against a trust store of gmseal-cert-issued certificates, and tampered.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

#[path = "support/pki.rs"]
mod pki;
#[path = "support/zipedit.rs"]
mod zipedit;

use gmseal_cert::profile::Role;
use gmseal_cms::LocalTsa;
use gmseal_ofd::signed_value::cms::SignedDataSigner;
use gmseal_ofd::signed_value::cms::{SignVerifier, SignedDataVerifier};
use gmseal_ofd::signed_value::ses::{SesSigner, SesVerifier};
use gmseal_ofd::trust::CertChain;
use gmseal_ofd::{
    CheckKind, Outcome, Package, Rect, Report, SignOptions, Signer, Stamp, Verdict, Verifier,
};
use gmseal_ses::der::DateTime;
use gmseal_ses::{Seal, SealBuilder, TsaTimestamper};
use gmseal_testkit::pki::{KeyCert, TestPki};

fn policy() -> gmseal_cms::der::asn1::ObjectIdentifier {
    "1.2.156.112562.1.1".parse().unwrap()
}

struct Fixture {
    pki: &'static TestPki,
    holder: KeyCert,
    tsa: KeyCert,
    seal: Seal,
}

fn fixture() -> Fixture {
    let pki = TestPki::shared();
    let maker = pki.leaf(Role::SealMaker, "示例印章制作有限公司");
    let holder = pki.leaf(Role::OrganisationSigning, "示例有限公司");
    let tsa = pki.leaf(Role::TimeStamping, "gmseal test TSA");
    let now = std::time::SystemTime::now();
    let year = std::time::Duration::from_secs(365 * 86_400);
    let seal = SealBuilder::new("3501000000001", "示例有限公司合同专用章", maker.der())
        .holder_certificate(holder.der())
        .validity(
            DateTime::from_system_time(now - year).unwrap(),
            DateTime::from_system_time(now + year).unwrap(),
        )
        .created(DateTime::from_system_time(now - year).unwrap())
        .picture("PNG", pki::picture(), 40, 40)
        .sign(&maker.key)
        .unwrap();
    Fixture {
        pki,
        holder,
        tsa,
        seal,
    }
}

fn verify(v: &Verifier, package: &[u8]) -> Report {
    v.verify(&Package::from_bytes(package.to_vec()).unwrap())
        .unwrap()
}

fn outcomes(r: &Report, id: &str, kind: CheckKind) -> Vec<Outcome> {
    r.signature(id)
        .unwrap()
        .signed_value
        .as_ref()
        .unwrap()
        .checks
        .iter()
        .filter(|c| c.kind == kind)
        .map(|c| c.outcome)
        .collect()
}

fn timestamp(r: &Report, id: &str) -> Option<String> {
    r.signature(id)
        .unwrap()
        .signed_value
        .as_ref()
        .unwrap()
        .timestamp
        .clone()
}

/// `package` with the token inside the signed value of signature `id` altered: one bit of
/// the TSA's signature value (the token's last bytes).
fn tamper_token(package: &[u8], r: &Report, id: &str, token: &[u8]) -> Vec<u8> {
    let file = r.signature(id).unwrap().signed_value_file.clone().unwrap();
    let value = zipedit::get(package, &file);
    let at = value
        .windows(token.len())
        .position(|w| w == token)
        .expect("the token inside the signed value");
    let mut altered = value.clone();
    altered[at + token.len() - 5] ^= 0x01;
    zipedit::edit(
        package,
        |n, d| {
            Some(if n == file {
                altered.clone()
            } else {
                d.to_vec()
            })
        },
        &[],
    )
}

#[test]
fn seal_and_sign_signatures_with_timestamps_verify_and_tampered_tokens_are_reported() {
    let f = fixture();
    let tsa_der = f.tsa.der();
    let tsa = LocalTsa::new(&f.tsa.key, &tsa_der, policy()).unwrap();
    let ses_tsa = TsaTimestamper::new(&tsa);
    let doc = gmseal_testkit::corpus_bytes("ofd/unsigned-helloworld.ofd");

    // A seal signature with a timestamp ...
    let stamp = SignOptions::default().stamp(Stamp::at(0, Rect::new(100.0, 50.0, 40.0, 40.0)));
    let sealed =
        Signer::new(&SesSigner::new(&f.seal, f.holder.der(), &f.holder.key).timestamper(&ses_tsa))
            .sign(&doc, &stamp)
            .unwrap()
            .package;
    // ... then a GB/T 35275 Type="Sign" signature with one.
    let both = Signer::new(
        &SignedDataSigner::new(&f.holder.key, f.holder.certificate()).timestamper(&tsa),
    )
    .sign(&sealed, &SignOptions::default())
    .unwrap()
    .package;

    let trusting = Verifier::trusting(CertChain::new(f.pki.store()));
    let r = verify(&trusting, &both);
    assert_eq!(r.verdict, Verdict::Valid, "{r}");
    let ids: Vec<String> = r.signatures().map(|s| s.id.clone()).collect();
    let (seal_id, sign_id) = (ids[0].as_str(), ids[1].as_str());
    for id in [seal_id, sign_id] {
        assert_eq!(
            outcomes(&r, id, CheckKind::Timestamp),
            vec![Outcome::Pass],
            "{id}: {r}"
        );
        assert!(timestamp(&r, id).is_some(), "{id}: {r}");
    }
    let sign_value = r.signature(sign_id).unwrap().signed_value.as_ref().unwrap();
    assert_eq!(
        sign_value.signer_certificate.as_deref(),
        Some(f.holder.der().as_slice())
    );

    // Before the hook, a present SES timestamp was "not verified": a seal verifier with a chain
    // verifier and no timestamp verifier still says so, and the signature is not Valid.
    let chain_only = Verifier::new()
        .seal_verifier(SesVerifier::new().with_chain_verifier(CertChain::new(f.pki.store())))
        .sign_verifier(SignVerifier::new().signed_data(
            SignedDataVerifier::new().with_chain_verifier(CertChain::new(f.pki.store())),
        ));
    let r2 = verify(&chain_only, &both);
    assert_eq!(
        outcomes(&r2, seal_id, CheckKind::Timestamp),
        vec![Outcome::Indeterminate],
        "{r2}"
    );
    assert_eq!(
        r2.signature(seal_id).unwrap().verdict,
        Verdict::Indeterminate,
        "{r2}"
    );
    assert_eq!(timestamp(&r2, seal_id), None);
    // (SignedData verifies its token with the chain verifier it has.)
    assert_eq!(
        r2.signature(sign_id).unwrap().verdict,
        Verdict::Valid,
        "{r2}"
    );

    // The seal signature's token altered (on the package with the seal only: the Sign
    // signature protects the seal's SignedValue.dat): the seal signature itself is intact,
    // the timestamp is rejected, the signature untrusted.
    let r1 = verify(&trusting, &sealed);
    assert_eq!(r1.verdict, Verdict::Valid, "{r1}");
    let sig = gmseal_ses::SealSignature::from_der(&zipedit::get(
        &sealed,
        &r1.signature(seal_id)
            .unwrap()
            .signed_value_file
            .clone()
            .unwrap(),
    ))
    .unwrap();
    let token = sig.time_stamp().unwrap().to_vec();
    let bad = tamper_token(&sealed, &r1, seal_id, &token);
    let rb = verify(&trusting, &bad);
    let s = rb.signature(seal_id).unwrap();
    assert_eq!(
        outcomes(&rb, seal_id, CheckKind::Timestamp),
        vec![Outcome::Untrusted],
        "{rb}"
    );
    assert_eq!(
        outcomes(&rb, seal_id, CheckKind::SignatureValue),
        vec![Outcome::Pass],
        "{rb}"
    );
    assert_eq!(s.verdict, Verdict::Untrusted, "{rb}");
    assert!(rb.to_string().contains("timestamp rejected"), "{rb}");
    assert_eq!(timestamp(&rb, seal_id), None);

    // The Sign signature's token altered: SignedData's signature holds, its timestamp fails.
    let sign_file = r
        .signature(sign_id)
        .unwrap()
        .signed_value_file
        .clone()
        .unwrap();
    let value = zipedit::get(&both, &sign_file);
    let parsed =
        gmseal_cms::ParsedSignedData::from_der(&value, false, &gmseal_cms::Limits::default())
            .unwrap();
    let attr = parsed.signers[0]
        .info
        .unsigned_attrs
        .as_ref()
        .unwrap()
        .iter()
        .find(|a| a.oid == gmseal_cms::oid::TIME_STAMP_TOKEN)
        .expect("id-aa-timeStampToken");
    let token = gmseal_cms::der::Encode::to_der(attr.values.iter().next().unwrap()).unwrap();
    let bad = tamper_token(&both, &r, sign_id, &token);
    let rb = verify(&trusting, &bad);
    assert!(
        outcomes(&rb, sign_id, CheckKind::Timestamp).contains(&Outcome::Untrusted),
        "{rb}"
    );
    assert_eq!(
        outcomes(&rb, sign_id, CheckKind::SignatureValue),
        vec![Outcome::Pass],
        "{rb}"
    );
    assert_eq!(
        rb.signature(sign_id).unwrap().verdict,
        Verdict::Untrusted,
        "{rb}"
    );
    assert_eq!(
        rb.signature(seal_id).unwrap().verdict,
        Verdict::Valid,
        "{rb}"
    );
    assert_eq!(timestamp(&rb, sign_id), None);
}

#[test]
fn a_token_from_a_tsa_the_store_does_not_know_is_indeterminate() {
    let f = fixture();
    let other = TestPki::named("foreign");
    let foreign = other.leaf(Role::TimeStamping, "foreign TSA");
    let foreign_der = foreign.der();
    let tsa = LocalTsa::new(&foreign.key, &foreign_der, policy()).unwrap();
    let ses_tsa = TsaTimestamper::new(&tsa);
    let doc = gmseal_testkit::corpus_bytes("ofd/unsigned-helloworld.ofd");
    let sealed =
        Signer::new(&SesSigner::new(&f.seal, f.holder.der(), &f.holder.key).timestamper(&ses_tsa))
            .sign(
                &doc,
                &SignOptions::default().stamp(Stamp::at(0, Rect::new(100.0, 50.0, 40.0, 40.0))),
            )
            .unwrap()
            .package;
    let r = verify(&Verifier::trusting(CertChain::new(f.pki.store())), &sealed);
    let id = r.signatures().next().unwrap().id.clone();
    assert_eq!(
        outcomes(&r, &id, CheckKind::Timestamp),
        vec![Outcome::Indeterminate],
        "{r}"
    );
    assert_eq!(
        r.signature(&id).unwrap().verdict,
        Verdict::Indeterminate,
        "{r}"
    );
}

/// A gmseal-cms timestamper that asks its TSA for a token over other bytes than the signature
/// value it is given: a real token from the trusted TSA, over another signature.
struct OverOtherValue<'a>(&'a LocalTsa<'a>);

impl gmseal_cms::Timestamper for OverOtherValue<'_> {
    fn timestamp(&self, _imprint: &gmseal_cms::MessageImprint) -> gmseal_cms::Result<Vec<u8>> {
        let other = gmseal_cms::MessageImprint::of(
            gmseal_cms::DigestAlgorithm::Sm3,
            b"the signature value of another signature",
        )?;
        gmseal_cms::Timestamper::timestamp(self.0, &other)
    }
}

#[test]
fn a_trusted_token_over_another_signature_value_is_not_accepted() {
    let f = fixture();
    let tsa_der = f.tsa.der();
    let tsa = LocalTsa::new(&f.tsa.key, &tsa_der, policy()).unwrap();
    let ses_tsa = TsaTimestamper::new(&tsa);
    // The seal signature's token: genuine, from the trusted TSA, over another value.
    let over_other = |_value: &[u8]| -> Result<Vec<u8>, gmseal_ses::BoxError> {
        gmseal_ses::Timestamper::timestamp(&ses_tsa, b"the signature value of another signature")
    };
    let doc = gmseal_testkit::corpus_bytes("ofd/unsigned-helloworld.ofd");
    let stamp = SignOptions::default().stamp(Stamp::at(0, Rect::new(100.0, 50.0, 40.0, 40.0)));
    let sealed = Signer::new(
        &SesSigner::new(&f.seal, f.holder.der(), &f.holder.key).timestamper(&over_other),
    )
    .sign(&doc, &stamp)
    .unwrap()
    .package;
    let trusting = Verifier::trusting(CertChain::new(f.pki.store()));
    let r = verify(&trusting, &sealed);
    let id = r.signatures().next().unwrap().id.clone();
    assert_eq!(
        outcomes(&r, &id, CheckKind::SignatureValue),
        vec![Outcome::Pass],
        "{r}"
    );
    // The signature itself holds; the timestamp is rejected, the signature untrusted.
    assert_eq!(
        outcomes(&r, &id, CheckKind::Timestamp),
        vec![Outcome::Untrusted],
        "{r}"
    );
    assert!(r.to_string().contains("imprint"), "{r}");
    assert_eq!(r.signature(&id).unwrap().verdict, Verdict::Untrusted, "{r}");
    assert_eq!(r.verdict, Verdict::Untrusted, "{r}");
    assert_eq!(timestamp(&r, &id), None);

    // The Sign signature's token, likewise.
    let other = OverOtherValue(&tsa);
    let signed = Signer::new(
        &SignedDataSigner::new(&f.holder.key, f.holder.certificate()).timestamper(&other),
    )
    .sign(&doc, &SignOptions::default())
    .unwrap()
    .package;
    let r = verify(&trusting, &signed);
    let id = r.signatures().next().unwrap().id.clone();
    assert_eq!(
        outcomes(&r, &id, CheckKind::SignatureValue),
        vec![Outcome::Pass],
        "{r}"
    );
    assert_eq!(
        outcomes(&r, &id, CheckKind::Timestamp),
        vec![Outcome::Untrusted],
        "{r}"
    );
    assert_eq!(r.signature(&id).unwrap().verdict, Verdict::Untrusted, "{r}");
    assert_eq!(r.verdict, Verdict::Untrusted, "{r}");
    assert_eq!(timestamp(&r, &id), None);
}
