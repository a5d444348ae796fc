// The test PKI of gmseal-ses's tests, doc examples and bench: gmseal-testkit's PKI issued with
// gmseal-cert's profiles (root CA → sub CA → seal maker and seal holder certificates), plus a
// sample seal. Dev-only; included with `include!` (no inner attributes here).
#[allow(
    dead_code,
    unused_imports,
    unreachable_pub,
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used
)]
pub mod pki_impl {
    use std::sync::OnceLock;

    use der::DateTime;
    use gmseal_cert::TrustStore;
    use gmseal_cert::profile::Role;
    use gmseal_ses::{Seal, SealBuilder, SesVersion};
    use gmseal_sm2::SoftwareSigner;
    pub use gmseal_testkit::pki::{CrlReason, KeyCert, Leaf, TestPki, date};

    /// The PKI every test of a process shares.
    pub fn pki() -> &'static TestPki {
        TestPki::shared()
    }

    /// Its trust store: the root as anchor, the sub CA as intermediate.
    pub fn store() -> TrustStore {
        pki().store()
    }

    /// The root CA: key and DER.
    pub fn root() -> (SoftwareSigner, Vec<u8>) {
        (pki().root.key.clone(), pki().root.der())
    }

    /// The sub CA that issues the end-entity certificates: key and DER.
    pub fn sub_ca() -> (SoftwareSigner, Vec<u8>) {
        (pki().sub.key.clone(), pki().sub.der())
    }

    fn once(cell: &'static OnceLock<KeyCert>, make: impl FnOnce() -> KeyCert) -> (SoftwareSigner, Vec<u8>) {
        let kc = cell.get_or_init(make);
        (kc.key.clone(), kc.der())
    }

    /// The seal maker: a seal-maker certificate (digitalSignature, nonRepudiation).
    pub fn maker() -> (SoftwareSigner, Vec<u8>) {
        static MAKER: OnceLock<KeyCert> = OnceLock::new();
        once(&MAKER, || {
            pki().issue(Leaf::new(Role::SealMaker, "gmseal 印章制作有限公司").key_seed(0x33))
        })
    }

    /// The seal holder (signer): an organisation signing certificate.
    pub fn holder() -> (SoftwareSigner, Vec<u8>) {
        static HOLDER: OnceLock<KeyCert> = OnceLock::new();
        once(&HOLDER, || {
            pki().issue(Leaf::new(Role::OrganisationSigning, "gmseal 测试有限公司").key_seed(0x44))
        })
    }

    /// What a leaf certificate should look like.
    #[derive(Clone, Copy, Debug)]
    pub struct LeafSpec {
        /// The key: 32 copies of this byte.
        pub seed: u8,
        pub not_before: DateTime,
        pub not_after: DateTime,
        /// An organisation signing certificate when true, an encryption certificate (no
        /// digitalSignature) when false.
        pub digital_signature: bool,
    }

    impl LeafSpec {
        pub fn new(seed: u8) -> Self {
            LeafSpec {
                seed,
                not_before: date(2020, 1, 1),
                not_after: date(2040, 1, 1),
                digital_signature: true,
            }
        }
    }

    /// A certificate for the unit `name`, issued by the sub CA.
    pub fn leaf_with(name: &str, spec: LeafSpec) -> (SoftwareSigner, Vec<u8>) {
        let role = if spec.digital_signature {
            Role::OrganisationSigning
        } else {
            Role::OrganisationEncryption
        };
        let kc = pki().issue(
            Leaf::new(role, name)
                .key_seed(spec.seed)
                .validity(spec.not_before, spec.not_after),
        );
        let der = kc.der();
        (kc.key, der)
    }

    /// A signing certificate with a key derived from its name.
    pub fn leaf(name: &str) -> (SoftwareSigner, Vec<u8>) {
        let seed = name.bytes().fold(0x21u8, |a, b| a.wrapping_mul(31).wrapping_add(b)) | 1;
        leaf_with(name, LeafSpec::new(seed))
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
            .validity(date(2025, 1, 1), date(2030, 1, 1))
            .picture("PNG", png(), 40, 40)
    }

    /// `sample_builder(version)`, signed.
    pub fn sample_seal(version: SesVersion) -> Seal {
        sample_builder(version).sign(&maker().0).unwrap()
    }
}
#[allow(unused_imports, unreachable_pub)]
pub use pki_impl::*;
