// A small SM2 test PKI for gmseal-ses's tests, doc examples and bench: a root CA and leaf
// certificates built with x509-cert's builder and signed through gmseal-sm2 (DER signatures,
// default ID). Dev-only; included with `include!` (no inner attributes here).
#[allow(
    dead_code,
    unreachable_pub,
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::too_many_arguments
)]
pub mod pki_impl {
    use std::str::FromStr;
    use std::time::Duration;

    use der::asn1::BitString;
    use der::{DateTime, Encode};
    use gmseal_sm2::signature::Keypair;
    use gmseal_sm2::{DistId, PublicKey, SoftwareSigner, Sm2SignerExt};
    use gmseal_ses::{Seal, SealBuilder, SesVersion};
    use spki::{AlgorithmIdentifierOwned, DynSignatureAlgorithmIdentifier, SubjectPublicKeyInfoRef};
    use x509_cert::builder::profile::BuilderProfile;
    use x509_cert::builder::{Builder, CertificateBuilder};
    use x509_cert::ext::pkix::{BasicConstraints, KeyUsage, KeyUsages};
    use x509_cert::ext::{Extension, ToExtension};
    use x509_cert::name::Name;
    use x509_cert::serial_number::SerialNumber;
    use x509_cert::time::{Time, Validity};
    use x509_cert::TbsCertificate;

    /// An SM2 key as x509-cert's builder wants it.
    struct Issuer<'a>(&'a SoftwareSigner);

    impl Keypair for Issuer<'_> {
        type VerifyingKey = PublicKey;
        fn verifying_key(&self) -> PublicKey {
            self.0.public_key()
        }
    }

    impl DynSignatureAlgorithmIdentifier for Issuer<'_> {
        fn signature_algorithm_identifier(&self) -> spki::Result<AlgorithmIdentifierOwned> {
            Ok(AlgorithmIdentifierOwned {
                oid: gmseal_sm2::oid::SM2_WITH_SM3,
                parameters: None,
            })
        }
    }

    struct Profile {
        issuer: Name,
        subject: Name,
        ca: bool,
        usage: KeyUsage,
    }

    impl BuilderProfile for Profile {
        fn get_issuer(&self, _subject: &Name) -> Name {
            self.issuer.clone()
        }
        fn get_subject(&self) -> Name {
            self.subject.clone()
        }
        fn build_extensions(
            &self,
            _spk: SubjectPublicKeyInfoRef<'_>,
            _issuer_spk: SubjectPublicKeyInfoRef<'_>,
            tbs: &TbsCertificate,
        ) -> x509_cert::builder::Result<Vec<Extension>> {
            let bc = BasicConstraints {
                ca: self.ca,
                path_len_constraint: None,
            };
            Ok(vec![
                bc.to_extension(tbs.subject(), &[])?,
                self.usage.to_extension(tbs.subject(), &[])?,
            ])
        }
    }

    /// What a leaf certificate should look like.
    #[derive(Clone, Copy, Debug)]
    pub struct LeafSpec {
        pub seed: u8,
        pub not_before: DateTime,
        pub not_after: DateTime,
        pub digital_signature: bool,
    }

    impl LeafSpec {
        pub fn new(seed: u8) -> Self {
            LeafSpec {
                seed,
                not_before: DateTime::new(2020, 1, 1, 0, 0, 0).unwrap(),
                not_after: DateTime::new(2040, 1, 1, 0, 0, 0).unwrap(),
                digital_signature: true,
            }
        }
    }

    fn time(t: DateTime) -> Time {
        Time::try_from(t.to_system_time()).unwrap()
    }

    fn build(
        issuer_key: &SoftwareSigner,
        issuer: &str,
        subject: &str,
        subject_key: &PublicKey,
        serial: u8,
        validity: Validity,
        ca: bool,
        usage: KeyUsage,
    ) -> Vec<u8> {
        let spki = spki::SubjectPublicKeyInfoOwned::from_key(subject_key).unwrap();
        let profile = Profile {
            issuer: Name::from_str(issuer).unwrap(),
            subject: Name::from_str(subject).unwrap(),
            ca,
            usage,
        };
        let mut builder =
            CertificateBuilder::new(profile, SerialNumber::from(serial), validity, spki).unwrap();
        let signer = Issuer(issuer_key);
        let tbs = builder.finalize(&signer).unwrap();
        let sig = issuer_key
            .sign_message_encoded(&DistId::default(), &tbs, gmseal_sm2::SignatureFormat::Der)
            .unwrap();
        builder
            .assemble(BitString::from_bytes(&sig).unwrap(), &signer)
            .unwrap()
            .to_der()
            .unwrap()
    }

    pub const ROOT_DN: &str = "CN=gmseal test root,O=gmseal,C=CN";

    /// The root CA: key and self-signed certificate.
    pub fn root() -> (SoftwareSigner, Vec<u8>) {
        let key = SoftwareSigner::from_bytes(&[0x11; 32]).unwrap();
        let validity = Validity::new(
            time(DateTime::new(2019, 1, 1, 0, 0, 0).unwrap()),
            time(DateTime::new(2045, 1, 1, 0, 0, 0).unwrap()),
        );
        let usage = KeyUsage(KeyUsages::KeyCertSign | KeyUsages::CRLSign);
        let cert = build(&key, ROOT_DN, ROOT_DN, &key.public_key(), 1, validity, true, usage);
        (key, cert)
    }

    /// A leaf certificate issued by the root.
    pub fn leaf_with(cn: &str, spec: LeafSpec) -> (SoftwareSigner, Vec<u8>) {
        let (root_key, _) = root();
        let key = SoftwareSigner::from_bytes(&[spec.seed; 32]).unwrap();
        let usage = if spec.digital_signature {
            KeyUsage(KeyUsages::DigitalSignature | KeyUsages::NonRepudiation)
        } else {
            KeyUsage(KeyUsages::KeyEncipherment.into())
        };
        let validity = Validity::new(time(spec.not_before), time(spec.not_after));
        let subject = format!("CN={cn},O=gmseal,C=CN");
        let cert = build(
            &root_key,
            ROOT_DN,
            &subject,
            &key.public_key(),
            spec.seed,
            validity,
            false,
            usage,
        );
        (key, cert)
    }

    /// A leaf certificate with a key derived from its name.
    pub fn leaf(cn: &str) -> (SoftwareSigner, Vec<u8>) {
        let seed = cn.bytes().fold(0x21u8, |a, b| a.wrapping_mul(31).wrapping_add(b)) | 1;
        leaf_with(cn, LeafSpec::new(seed))
    }

    /// The seal maker.
    pub fn maker() -> (SoftwareSigner, Vec<u8>) {
        leaf_with("gmseal seal maker", LeafSpec::new(0x33))
    }

    /// The seal holder (signer).
    pub fn holder() -> (SoftwareSigner, Vec<u8>) {
        leaf_with("gmseal seal holder", LeafSpec::new(0x44))
    }

    /// A PNG-looking picture.
    pub fn png() -> Vec<u8> {
        let mut v = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        v.extend_from_slice(&[0u8; 64]);
        v
    }

    /// A seal of `version` for `holder()`, made by `maker()`, valid 2025–2030.
    pub fn sample_builder(version: SesVersion) -> SealBuilder {
        let (_, maker_cert) = maker();
        let (_, holder_cert) = holder();
        SealBuilder::new("3301020000001", "gmseal 测试专用章", maker_cert)
            .version(version)
            .vendor_id("gmseal-test")
            .holder_certificate(holder_cert)
            .validity(
                DateTime::new(2025, 1, 1, 0, 0, 0).unwrap(),
                DateTime::new(2030, 1, 1, 0, 0, 0).unwrap(),
            )
            .picture("PNG", png(), 40, 40)
    }

    /// `sample_builder(version)`, signed.
    pub fn sample_seal(version: SesVersion) -> Seal {
        sample_builder(version).sign(&maker().0).unwrap()
    }

    /// Unused here, kept for callers that want one.
    pub fn years(n: u64) -> Duration {
        Duration::from_secs(n * 365 * 86400)
    }
}
#[allow(unused_imports, unreachable_pub)]
pub use pki_impl::*;
