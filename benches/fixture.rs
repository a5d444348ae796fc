//! The batch workload: one test PKI (root CA → sub CA → seal maker and seal holder), one
//! GB/T 38540 v4 seal, and any number of distinct one-page invoices, as OFD packages and as
//! PDFs, sealed with it (format B, `SES_Signature`); the ways of verifying a batch ([`Mode`]) and
//! the tamperings of the batch test. Included with `#[path]` by `benches/batch.rs`,
//! `tests/batch.rs` and `examples/batch-workload.rs`.
//!
//! Verifying one such document with trust anchors costs six SM2 verifications: the signer's
//! and the maker's signatures, and two certificate signatures in each of the two chains (leaf
//! → sub CA → root; the anchor's own signature is not checked). Four of the six, and the
//! maker's signature, are the same in every document of a batch: that is what the
//! verification cache saves.

#![allow(dead_code, unreachable_pub)]

use std::time::{Duration, SystemTime};

use gmseal_cert::profile::Role;
use gmseal_cert::{ChainOptions, TrustStore, VerifyCache};
use gmseal_cms::CertChainVerifier;
use gmseal_ofd::signed_value::ses::SesSigner;
use gmseal_ofd::{Rect, Stamp};
use gmseal_ses::der::DateTime;
use gmseal_ses::verify::TimestampTokenVerifier;
use gmseal_ses::{Seal, SealBuilder, SesVersion};
use gmseal_testkit::pki::{KeyCert, TestPki, date};

/// The signing time of every document (fixed, so that runs are comparable).
pub fn signing_time() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_272_000) // 2026-06-01T00:00:00Z
}

/// The PKI, the seal and the signers of the batch.
#[derive(Debug)]
pub struct BatchPki {
    /// Root and sub CA.
    pub pki: TestPki,
    /// The seal maker (制章者), issued by the sub CA.
    pub maker: KeyCert,
    /// The seal holder (the signer), issued by the sub CA.
    pub holder: KeyCert,
    /// The seal, made by `maker` for `holder`'s certificate.
    pub seal: Seal,
}

impl Default for BatchPki {
    fn default() -> Self {
        Self::new()
    }
}

impl BatchPki {
    /// A fresh PKI and seal.
    pub fn new() -> Self {
        let pki = TestPki::named("gmseal bench");
        let maker = pki.leaf(Role::SealMaker, "某某印章制作有限公司");
        let holder = pki.leaf(Role::OrganisationSigning, "某某有限公司");
        let seal = SealBuilder::new(
            "3301020000001",
            "某某有限公司发票专用章",
            maker.cert.der().to_vec(),
        )
        .version(SesVersion::V4)
        .holder_certificate(holder.cert.der().to_vec())
        .validity(date(2025, 1, 1), date(2035, 1, 1))
        .created(DateTime::new(2025, 1, 1, 0, 0, 0).unwrap())
        .picture("PNG", gmseal_pdf::image::test_png(64, 64), 40, 40)
        .sign(&maker.key)
        .unwrap();
        BatchPki {
            pki,
            maker,
            holder,
            seal,
        }
    }

    /// The trust store: the root as anchor, the sub CA as intermediate.
    pub fn store(&self) -> TrustStore {
        self.pki.store()
    }

    /// Seal an OFD package (a stamp on page 1).
    pub fn seal_ofd(&self, unsigned: &[u8]) -> Vec<u8> {
        let value = SesSigner::new(
            &self.seal,
            self.holder.cert.der().to_vec(),
            &self.holder.key,
        );
        let options = gmseal_ofd::SignOptions::default()
            .stamp(Stamp::at(0, Rect::new(150.0, 20.0, 40.0, 40.0)))
            .time(signing_time());
        gmseal_ofd::Signer::new(&value)
            .sign(unsigned, &options)
            .unwrap()
            .package
    }

    /// Seal a PDF (format B, a visible seal on page 1).
    pub fn seal_pdf(&self, unsigned: Vec<u8>) -> Vec<u8> {
        let contents = gmseal_pdf::seal::SealContents::new(
            &self.seal,
            &self.holder.key,
            self.holder.cert.der().to_vec(),
        );
        let png = gmseal_pdf::image::test_png(64, 64);
        let options = gmseal_pdf::SignOptions::new()
            .seal(
                gmseal_pdf::SealImage::from_bytes(&png, 40.0, 40.0).unwrap(),
                gmseal_pdf::Placement::new(1, 150.0, 20.0),
            )
            .signing_time(signing_time());
        gmseal_pdf::sign(unsigned, &contents, &options).unwrap()
    }
}

/// The format of a document of the batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An OFD package.
    Ofd,
    /// A PDF.
    Pdf,
}

/// A sealed document of the batch.
#[derive(Debug, Clone)]
pub struct Document {
    /// OFD or PDF.
    pub kind: Kind,
    /// The file.
    pub bytes: Vec<u8>,
}

/// `ofd` sealed OFD invoices and `pdf` sealed PDF invoices, numbered from 1, interleaved
/// (OFD, PDF, OFD, ...) while both last.
pub fn sealed_invoices(pki: &BatchPki, ofd: usize, pdf: usize) -> Vec<Document> {
    let mut out = Vec::with_capacity(ofd + pdf);
    let (mut o, mut p) = (0, 0);
    while o < ofd || p < pdf {
        if o < ofd {
            o += 1;
            out.push(Document {
                kind: Kind::Ofd,
                bytes: pki.seal_ofd(&invoice_ofd(o)),
            });
        }
        if p < pdf {
            p += 1;
            out.push(Document {
                kind: Kind::Pdf,
                bytes: pki.seal_pdf(invoice_pdf(p)),
            });
        }
    }
    out
}

/// The lines of invoice `number`.
fn invoice_lines(number: usize) -> Vec<String> {
    vec![
        format!("电子发票 Electronic invoice No. 33010{number:08}"),
        "购买方 Buyer: 某某科技有限公司 91330100MA2XXXXX0Y".to_owned(),
        "销售方 Seller: 某某有限公司 91350100M000100Y43".to_owned(),
        format!(
            "项目 Item: 技术服务费 technical services x {}",
            1 + number % 7
        ),
        format!(
            "金额 Amount: {}.{:02} CNY",
            100 + number * 37 % 9000,
            number % 100
        ),
        format!("税额 Tax: {}.{:02} CNY", 6 + number * 3 % 540, number % 97),
        "开票人 Issued by: gmseal bench".to_owned(),
    ]
}

const NS: &str = "http://www.ofdspec.org/2016";

/// A one-page OFD invoice (GB/T 33190: OFD.xml, Document.xml, PublicRes.xml, one page of
/// text objects), about 1.5 KB, distinct per `number`.
pub fn invoice_ofd(number: usize) -> Vec<u8> {
    use std::io::Write;
    let mut objects = String::new();
    for (i, line) in invoice_lines(number).iter().enumerate() {
        objects.push_str(&format!(
            "<ofd:TextObject ID=\"{}\" Boundary=\"20 {} 170 6\" Font=\"3\" Size=\"4\"><ofd:TextCode X=\"0\" Y=\"4\">{line}</ofd:TextCode></ofd:TextObject>",
            10 + i,
            30 + 8 * i,
        ));
    }
    let files = [
        (
            "OFD.xml",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:OFD xmlns:ofd=\"{NS}\" Version=\"1.0\" DocType=\"OFD\"><ofd:DocBody><ofd:DocInfo><ofd:DocID>{number:032x}</ofd:DocID><ofd:Creator>gmseal bench</ofd:Creator></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
            ),
        ),
        (
            "Doc_0/Document.xml",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:Document xmlns:ofd=\"{NS}\"><ofd:CommonData><ofd:MaxUnitID>100</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 140</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData><ofd:Pages><ofd:Page ID=\"1\" BaseLoc=\"Pages/Page_0/Content.xml\"/></ofd:Pages></ofd:Document>"
            ),
        ),
        (
            "Doc_0/PublicRes.xml",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:Res xmlns:ofd=\"{NS}\" BaseLoc=\"Res\"><ofd:Fonts><ofd:Font ID=\"3\" FontName=\"宋体\" FamilyName=\"宋体\"/></ofd:Fonts></ofd:Res>"
            ),
        ),
        (
            "Doc_0/Pages/Page_0/Content.xml",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:Page xmlns:ofd=\"{NS}\"><ofd:Content><ofd:Layer ID=\"2\">{objects}</ofd:Layer></ofd:Content></ofd:Page>"
            ),
        ),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, body) in files {
        zip.start_file(name, options).unwrap();
        zip.write_all(body.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A one-page PDF invoice (text only, Helvetica), about 1.5 KB, distinct per `number`.
pub fn invoice_pdf(number: usize) -> Vec<u8> {
    use lopdf::{Document, Object, Stream, dictionary};
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let mut text = String::new();
    for (i, line) in invoice_lines(number).iter().enumerate() {
        // Helvetica has no CJK glyphs: keep the ASCII part of each line.
        let ascii: String = line.chars().filter(char::is_ascii).collect();
        text.push_str(&format!(
            "BT /F1 11 Tf 60 {} Td ({}) Tj ET\n",
            780 - 18 * i,
            ascii.trim()
        ));
    }
    let content = doc.add_object(Stream::new(lopdf::Dictionary::new(), text.into_bytes()));
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        "Contents" => content,
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Count" => 1, "Kids" => vec![Object::Reference(page)],
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// How a batch is verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A fresh verifier per document, no cache, one after the other (what a loop over
    /// `verify_bytes` did before the batch API).
    OneByOne,
    /// One verifier for the batch, without a cache, one after the other.
    Uncached,
    /// One verifier and one `VerifyCache` for the batch, one after the other.
    Cached,
    /// The batch API: one verifier, one cache, documents on rayon's thread pool.
    CachedParallel,
}

impl Mode {
    /// Every mode.
    pub const ALL: [Mode; 4] = [
        Mode::OneByOne,
        Mode::Uncached,
        Mode::Cached,
        Mode::CachedParallel,
    ];

    fn cache(self) -> Option<VerifyCache> {
        matches!(self, Mode::Cached | Mode::CachedParallel).then(VerifyCache::new)
    }
}

/// Verify OFD packages with trust anchors from `store`, as `mode` says.
pub fn verify_ofd(
    docs: &[Vec<u8>],
    store: &TrustStore,
    mode: Mode,
) -> Vec<Result<gmseal_ofd::Report, gmseal_ofd::Error>> {
    let verifier = |cache: Option<VerifyCache>| {
        let mut chain = gmseal_ofd::trust::CertChain::new(store.clone());
        if let Some(c) = cache {
            chain = chain.with_cache(c);
        }
        gmseal_ofd::Verifier::trusting(chain)
    };
    match mode {
        Mode::OneByOne => docs
            .iter()
            .map(|d| verifier(None).verify_bytes(d.clone()))
            .collect(),
        Mode::Uncached | Mode::Cached => {
            let v = verifier(mode.cache());
            docs.iter().map(|d| v.verify_bytes(d.clone())).collect()
        }
        Mode::CachedParallel => verifier(mode.cache()).verify_many(docs.to_vec()),
    }
}

/// Verify PDFs with trust anchors from `store` (seal and CMS signatures), as `mode` says.
pub fn verify_pdf(
    docs: &[Vec<u8>],
    store: &TrustStore,
    mode: Mode,
) -> Vec<gmseal_pdf::Result<gmseal_pdf::VerificationReport>> {
    fn with_verifier<T>(
        store: &TrustStore,
        cache: Option<VerifyCache>,
        f: impl FnOnce(&gmseal_pdf::VerifyOptions<'_>) -> T,
    ) -> T {
        let chain_options = ChainOptions {
            cache: cache.clone(),
            ..ChainOptions::default()
        };
        let chain = CertChainVerifier::new(store, chain_options);
        let ts = TimestampTokenVerifier::new(&chain);
        let mut ses = gmseal_ses::verify::VerifyOptions::strict()
            .with_chain_verifier(&chain)
            .with_timestamp_verifier(&ts);
        if let Some(c) = cache {
            ses = ses.with_cache(c);
        }
        let seal = gmseal_pdf::seal::SealVerifier::new(ses);
        let cms = gmseal_pdf::cms::CmsVerifier::new(gmseal_cms::VerifyOptions {
            chain: Some(&chain),
            ..gmseal_cms::VerifyOptions::default()
        });
        let options = gmseal_pdf::VerifyOptions::new()
            .verifier(&seal)
            .verifier(&cms);
        f(&options)
    }
    match mode {
        Mode::OneByOne => docs
            .iter()
            .map(|d| with_verifier(store, None, |o| gmseal_pdf::verify_bytes(d, o)))
            .collect(),
        Mode::Uncached | Mode::Cached => with_verifier(store, mode.cache(), |o| {
            docs.iter()
                .map(|d| gmseal_pdf::verify_bytes(d, o))
                .collect()
        }),
        Mode::CachedParallel => {
            with_verifier(store, mode.cache(), |o| gmseal_pdf::verify_many(docs, o))
        }
    }
}

/// Whether an OFD report says every signature is valid and trusted.
pub fn ofd_valid(r: &Result<gmseal_ofd::Report, gmseal_ofd::Error>) -> bool {
    r.as_ref()
        .is_ok_and(|r| r.verdict == gmseal_ofd::Verdict::Valid)
}

/// Whether a PDF report has signatures, all valid.
pub fn pdf_valid(r: &gmseal_pdf::Result<gmseal_pdf::VerificationReport>) -> bool {
    r.as_ref().is_ok_and(|r| {
        !r.signatures.is_empty()
            && r.signatures
                .iter()
                .all(|s| s.verdict == gmseal_pdf::Verdict::Valid)
    })
}

/// Rewrite the zip `bytes` with `f` giving each entry's new content.
pub fn edit_zip(bytes: &[u8], f: impl Fn(&str, Vec<u8>) -> Vec<u8>) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut a = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..a.len() {
        let mut e = a.by_index(i).unwrap();
        let mut data = Vec::new();
        e.read_to_end(&mut data).unwrap();
        let name = e.name().to_owned();
        if e.is_dir() {
            w.add_directory(name.trim_end_matches('/'), o).unwrap();
        } else {
            w.start_file(name.as_str(), o).unwrap();
            w.write_all(&f(&name, data)).unwrap();
        }
    }
    w.finish().unwrap().into_inner()
}

/// The content of entry `name` of the zip `bytes`.
pub fn zip_entry(bytes: &[u8], name: &str) -> Vec<u8> {
    use std::io::Read;
    let mut a = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut v = Vec::new();
    a.by_name(name).unwrap().read_to_end(&mut v).unwrap();
    v
}

/// Replace the first occurrence of `needle` in `bytes` (same length).
pub fn replace_first(bytes: &[u8], needle: &[u8], with: &[u8]) -> Vec<u8> {
    assert_eq!(needle.len(), with.len());
    let at = bytes
        .windows(needle.len())
        .position(|w| w == needle)
        .unwrap_or_else(|| panic!("{:?} not found", String::from_utf8_lossy(needle)));
    let mut out = bytes.to_vec();
    out[at..at + with.len()].copy_from_slice(with);
    out
}

/// The hexadecimal `/Contents` of the (single) signature of a PDF signed by gmseal: the
/// position and length of the hex digits.
pub fn pdf_contents(bytes: &[u8]) -> (usize, usize) {
    let doc = lopdf::Document::load_mem(bytes).unwrap();
    for (_, o) in doc.objects.iter() {
        if let Ok(d) = o.as_dict()
            && let Ok(r) = d.get(b"ByteRange").and_then(lopdf::Object::as_array)
        {
            let n: Vec<i64> = r.iter().map(|x| x.as_i64().unwrap()).collect();
            // [a b c d]: the gap between a+b and c is `<hex>`
            let start = usize::try_from(n[0] + n[1]).unwrap() + 1;
            let end = usize::try_from(n[2]).unwrap() - 1;
            return (start, end - start);
        }
    }
    panic!("no signature dictionary");
}
