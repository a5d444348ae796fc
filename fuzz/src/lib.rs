//! What the fuzz targets and the seed generator (`examples/gen_seeds.rs`) share: a fixed test
//! PKI, the trust store and verifier options the verifying targets use, the content their
//! signatures cover, and small helpers for structure-aware targets.
//!
//! Everything here is deterministic: keys come from constant seeds, serial numbers and dates are
//! fixed, SM2 signing is deterministic (RFC 6979 nonces in RustCrypto's `sm2`) and verification
//! happens at a fixed time. A seed made by the generator therefore verifies in the target
//! (reaching the code after every signature check), and a crash reproduces from its input alone.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

use gmseal_cert::der::DateTime;
use gmseal_cert::issue::{CrlContents, Issuer, RevokedEntry, serial_from_bytes, validity};
use gmseal_cert::name::NameBuilder;
use gmseal_cert::profile::{Role, RootCa, SubCa};
use gmseal_cert::x509_cert::ext::pkix::CrlReason;
use gmseal_cert::x509_cert::name::Name;
use gmseal_cert::{ChainOptions, Crl, TrustStore};
use gmseal_cms::{CertChainVerifier, LocalTsa};
use gmseal_ses::verify::TimestampTokenVerifier;
use gmseal_ses::{Seal, SealBuilder, SesVersion};
use gmseal_sm2::{SoftwareSigner, Strictness};

pub use gmseal_testkit::pki::{KeyCert, Leaf, TestPki, date};

/// The bytes every generated signature covers, and that the verifying targets pass as the
/// signed content (attached CMS content, detached CMS digest, SES `dataHash`, timestamp
/// imprint).
pub const CONTENT: &[u8] = b"gmseal fuzz: the signed content";

/// The TSA policy of the fixture's [`tsa`].
pub const TSA_POLICY: &str = "1.2.156.112562.1.1";

/// The key seed of the system (platform) certificate; `register_json` verifies the platform
/// messages with `SoftwareSigner::from_bytes(&[SYSTEM_KEY_SEED; 32])`.
pub const SYSTEM_KEY_SEED: u8 = 7;

/// The time every verifying target validates certificates at (2026-06-01T00:00:00Z).
pub fn validation_time() -> DateTime {
    date(2026, 6, 1)
}

/// [`validation_time`] as a `SystemTime`.
pub fn validation_system_time() -> SystemTime {
    validation_time().to_system_time()
}

/// The signing time of generated signatures (2026-05-01T08:00:00Z), before the validation time
/// and inside every certificate's and seal's validity.
pub fn signing_time() -> DateTime {
    DateTime::new(2026, 5, 1, 8, 0, 0).expect("a valid time")
}

/// [`signing_time`] as a `SystemTime`.
pub fn signing_system_time() -> SystemTime {
    signing_time().to_system_time()
}

/// The fixed test PKI: root CA → sub CA → end-entity certificates for each role a target needs,
/// and a CRL of the sub CA that revokes one of them.
#[derive(Debug)]
pub struct Fixture {
    /// Root (key seed 0x11) and sub CA (0x12).
    pub pki: TestPki,
    /// Organisation signing certificate: the CMS signer and the seal holder (0x44).
    pub signer: KeyCert,
    /// Seal maker (0x33).
    pub maker: KeyCert,
    /// Timestamping authority (0x55).
    pub tsa: KeyCert,
    /// System certificate of a seal platform ([`SYSTEM_KEY_SEED`]).
    pub system: KeyCert,
    /// Organisation signing certificate revoked on 2026-03-01 (0x66).
    pub revoked: KeyCert,
    /// The sub CA's CRL listing `revoked`.
    pub crl: Crl,
    /// Root as anchor, sub CA as intermediate, the CRL.
    pub store: TrustStore,
}

fn ca_name(cn: &str) -> Name {
    NameBuilder::new()
        .country("CN")
        .and_then(|b| b.organization("gmseal"))
        .and_then(|b| b.common_name(cn))
        .expect("a valid CA name")
        .build()
}

fn key(seed: u8) -> SoftwareSigner {
    SoftwareSigner::from_bytes(&[seed; 32]).expect("a valid SM2 key")
}

impl Fixture {
    fn new() -> Fixture {
        let ca_validity = validity(date(2020, 1, 1), date(2045, 1, 1)).expect("validity");
        let root_key = key(0x11);
        let root = Issuer::new(&root_key)
            .issue_with_serial(
                RootCa::new(ca_name("gmseal fuzz root CA")),
                &root_key.public_key(),
                ca_validity,
                serial_from_bytes(&[0x01]).expect("serial"),
            )
            .expect("issue the root");
        let sub_key = key(0x12);
        let sub = Issuer::new(&root_key)
            .issue_with_serial(
                SubCa::new(ca_name("gmseal fuzz sub CA"), &root)
                    .expect("root is a CA")
                    .path_len(Some(0)),
                &sub_key.public_key(),
                ca_validity,
                serial_from_bytes(&[0x02]).expect("serial"),
            )
            .expect("issue the sub CA");
        let pki = TestPki {
            root: KeyCert {
                key: root_key,
                cert: root,
            },
            sub: KeyCert {
                key: sub_key,
                cert: sub,
            },
        };
        let leaf = |role, name, seed, serial| {
            pki.issue(Leaf::new(role, name).key_seed(seed).serial(serial))
        };
        let signer = leaf(Role::OrganisationSigning, "gmseal 测试有限公司", 0x44, 0x10);
        let maker = leaf(Role::SealMaker, "gmseal 印章制作有限公司", 0x33, 0x11);
        let tsa = leaf(Role::TimeStamping, "gmseal fuzz TSA", 0x55, 0x12);
        let system = leaf(Role::System, "gmseal fuzz platform", SYSTEM_KEY_SEED, 0x13);
        let revoked = leaf(
            Role::OrganisationSigning,
            "gmseal 已吊销有限公司",
            0x66,
            0x14,
        );
        let crl = Issuer::new(&pki.sub.key)
            .issue_crl(
                &pki.sub.cert,
                &CrlContents {
                    this_update: date(2026, 3, 1),
                    next_update: Some(date(2045, 1, 1)),
                    crl_number: 1,
                    revoked: vec![RevokedEntry {
                        serial: revoked.cert.serial().clone(),
                        date: date(2026, 3, 1),
                        reason: Some(CrlReason::KeyCompromise),
                    }],
                },
            )
            .expect("issue the CRL");
        let mut store = pki.store();
        store.add_crl(crl.clone()).expect("CRL");
        Fixture {
            pki,
            signer,
            maker,
            tsa,
            system,
            revoked,
            crl,
            store,
        }
    }

    /// The fixture (made on first use, once per process).
    pub fn get() -> &'static Fixture {
        static FIXTURE: OnceLock<Fixture> = OnceLock::new();
        FIXTURE.get_or_init(Fixture::new)
    }

    /// Root, sub CA and every end-entity certificate, as one PEM bundle.
    pub fn certificates_pem(&self) -> String {
        [
            &self.pki.root,
            &self.pki.sub,
            &self.signer,
            &self.maker,
            &self.tsa,
            &self.system,
            &self.revoked,
        ]
        .iter()
        .map(|kc| gmseal_sm2::key::pem_encode("CERTIFICATE", kc.cert.der()))
        .collect()
    }
}

/// Chain options of the verifying targets: the fixed validation time, CRLs used when present.
pub fn chain_options() -> ChainOptions {
    ChainOptions::at(validation_time())
}

/// The chain verifier over the fixture's store.
pub fn chain() -> &'static CertChainVerifier<'static> {
    static CHAIN: OnceLock<CertChainVerifier<'static>> = OnceLock::new();
    CHAIN.get_or_init(|| CertChainVerifier::new(&Fixture::get().store, chain_options()))
}

/// gmseal-cms verification options: the fixture's chain, the fixed validation time.
pub fn cms_options(strictness: Strictness) -> gmseal_cms::VerifyOptions<'static> {
    gmseal_cms::VerifyOptions {
        strictness,
        time: Some(validation_system_time()),
        chain: Some(chain()),
        ..gmseal_cms::VerifyOptions::default()
    }
}

/// The timestamp verifier of the seal targets (the TSA's chain through the fixture's store).
///
/// It holds a `&dyn ChainVerifier` (not `Sync`), so it is made once per thread and leaked
/// (libFuzzer runs the target on one thread).
pub fn timestamp_verifier() -> &'static TimestampTokenVerifier<'static> {
    thread_local! {
        static TS: &'static TimestampTokenVerifier<'static> =
            Box::leak(Box::new(TimestampTokenVerifier::new(chain())));
    }
    TS.with(|ts| *ts)
}

/// gmseal-ses verification options: the fixture's chain and timestamp verifiers.
pub fn ses_options(strictness: Strictness) -> gmseal_ses::verify::VerifyOptions<'static> {
    gmseal_ses::verify::VerifyOptions::default()
        .with_strictness(strictness)
        .with_chain_verifier(chain())
        .with_timestamp_verifier(timestamp_verifier())
        .with_fallback_time(validation_time())
}

/// The fixture's TSA at the signing time (serial numbers start at random: tokens differ from
/// run to run in their serial number only).
pub fn tsa() -> LocalTsa<'static> {
    let f = Fixture::get();
    LocalTsa::new(
        &f.tsa.key,
        f.tsa.cert.der(),
        TSA_POLICY.parse().expect("OID"),
    )
    .expect("the TSA certificate holds the TSA key")
    .with_time(signing_system_time() + Duration::from_secs(60))
}

/// A small PNG (the seal picture of generated seals).
pub fn picture_png() -> &'static [u8] {
    static PNG: OnceLock<Vec<u8>> = OnceLock::new();
    PNG.get_or_init(|| gmseal_pdf::image::test_png(32, 32))
}

/// A seal builder of `version` for the fixture's signer, made by its seal maker, valid
/// 2025–2030.
pub fn seal_builder(version: SesVersion) -> SealBuilder {
    let f = Fixture::get();
    SealBuilder::new("3301020000001", "gmseal 测试专用章", f.maker.der())
        .version(version)
        .vendor_id("gmseal-fuzz")
        .holder_certificate(f.signer.der())
        .validity(date(2025, 1, 1), date(2030, 1, 1))
        .created(date(2025, 1, 1))
        .picture("PNG", picture_png().to_vec(), 40, 40)
}

/// The fixture's seal of `version` (made once).
pub fn seal(version: SesVersion) -> &'static Seal {
    static SEALS: OnceLock<[Seal; 3]> = OnceLock::new();
    let seals = SEALS.get_or_init(|| {
        let maker = &Fixture::get().maker.key;
        [SesVersion::V1, SesVersion::V4, SesVersion::V5]
            .map(|v| seal_builder(v).sign(maker).expect("make the fixture seal"))
    });
    match version {
        SesVersion::V1 => &seals[0],
        SesVersion::V4 => &seals[1],
        _ => &seals[2],
    }
}

/// A one-page PDF made with lopdf (the base document of `pdf_sign_verify`).
pub fn base_pdf() -> &'static [u8] {
    static PDF: OnceLock<Vec<u8>> = OnceLock::new();
    PDF.get_or_init(|| {
        use gmseal_pdf::lopdf::{Document, Object, Stream, dictionary};
        let mut doc = Document::with_version("1.7");
        let pages_id = doc.new_object_id();
        let font_id = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        });
        let content = b"BT /F1 24 Tf 72 720 Td (gmseal fuzz) Tj ET".to_vec();
        let content_id = doc.add_object(Stream::new(dictionary! {}, content));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Contents" => content_id,
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_id } },
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
            }),
        );
        let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog_id);
        let mut out = Vec::new();
        doc.save_to(&mut out).expect("write the base PDF");
        out
    })
}

/// The unsigned OFD every OFD signing target starts from (ofdrw's `helloworld.ofd`, a committed
/// seed of `ofd_package`).
pub const BASE_OFD: &[u8] = include_bytes!("../seeds/ofd_package/unsigned-helloworld.ofd");

/// One change to a valid structure, chosen by the fuzzer: the structure-aware targets first
/// check that what they built verifies, then verify it again after one of these.
#[derive(Debug, Clone, arbitrary::Arbitrary)]
pub enum Mutation {
    /// XOR the byte at `at % len` with `mask | 1` (never a no-op).
    Flip {
        /// Position (reduced modulo the length).
        at: usize,
        /// Bits to flip.
        mask: u8,
    },
    /// Set the byte at `at % len`.
    Set {
        /// Position.
        at: usize,
        /// New value.
        value: u8,
    },
    /// Keep the first `at % len` bytes.
    Truncate {
        /// New length.
        at: usize,
    },
    /// Insert bytes at `at % (len + 1)`.
    Insert {
        /// Position.
        at: usize,
        /// What to insert.
        bytes: Vec<u8>,
    },
    /// Remove up to `count` bytes from `at % len`.
    Remove {
        /// Position.
        at: usize,
        /// How many.
        count: u8,
    },
}

impl Mutation {
    /// Apply to `data` (a no-op on empty data).
    pub fn apply(&self, data: &mut Vec<u8>) {
        let len = data.len();
        if len == 0 {
            return;
        }
        match self {
            Mutation::Flip { at, mask } => data[at % len] ^= mask | 1,
            Mutation::Set { at, value } => data[at % len] = *value,
            Mutation::Truncate { at } => data.truncate(at % len),
            Mutation::Insert { at, bytes } => {
                let at = at % (len + 1);
                data.splice(at..at, bytes.iter().copied());
            }
            Mutation::Remove { at, count } => {
                let at = at % len;
                let end = (at + usize::from(*count)).min(len);
                data.drain(at..end);
            }
        }
    }

    /// Does it certainly change `data` (of this length)?
    pub fn changes(&self, len: usize) -> bool {
        match self {
            Mutation::Flip { .. } => len > 0,
            Mutation::Set { .. } => false,
            Mutation::Truncate { at } => len > 0 && at % len < len,
            Mutation::Insert { bytes, .. } => !bytes.is_empty(),
            Mutation::Remove { count, .. } => len > 0 && *count > 0,
        }
    }
}

/// The timestamp request the timestamp targets answer: SM3 of [`CONTENT`], a fixed nonce,
/// `certReq` TRUE. The generated `TimeStampResp` seeds answer it, so `into_token` goes on to
/// the token's verification.
pub fn timestamp_request() -> gmseal_cms::TimeStampReq {
    use gmseal_cms::der::asn1::Int;
    gmseal_cms::TimeStampReq {
        version: 1,
        message_imprint: gmseal_cms::MessageImprint::of(gmseal_cms::DigestAlgorithm::Sm3, CONTENT)
            .expect("imprint"),
        req_policy: None,
        nonce: Some(Int::new(&[0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF]).expect("nonce")),
        cert_req: true,
        extensions: None,
    }
}

/// The OFD verifier of the OFD targets (`limits`, `strictness`): seals and SignedData checked
/// against the fixture's store, bare SM2 signatures with the fixture signer's key.
pub fn ofd_verifier(limits: gmseal_ofd::Limits, strictness: Strictness) -> gmseal_ofd::Verifier {
    use gmseal_ofd::signed_value::cms::{SignVerifier, SignedDataVerifier};
    use gmseal_ofd::signed_value::ses::SesVerifier;
    use gmseal_ofd::trust::CertChain;
    let f = Fixture::get();
    let chain = CertChain::with_options(f.store.clone(), chain_options());
    gmseal_ofd::Verifier::new()
        .limits(limits)
        .strictness(strictness)
        .seal_verifier(
            SesVerifier::new()
                .with_chain_verifier(chain.clone())
                .with_fallback_time(validation_system_time()),
        )
        .sign_verifier(
            SignVerifier::new()
                .with_key(f.signer.key.public_key())
                .signed_data(SignedDataVerifier::new().with_chain_verifier(chain)),
        )
}
