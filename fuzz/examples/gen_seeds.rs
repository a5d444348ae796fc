//! Writes the seed corpus of every fuzz target into `fuzz/seeds/<target>/`:
//!
//! * our own outputs, made with the fixed test PKI of `gmseal_fuzz` (so signed seeds verify in
//!   the verifying targets and reach the code after every signature check): certificates and a
//!   CRL, SignedData, timestamp requests, responses and tokens, seals and seal signatures v1/v4/v5,
//!   signed PDFs (format A and B) and OFDs (seal, SignedData, bare SM2), SystemRegister packages,
//!   signed platform messages, SKF blobs;
//! * files of the shared corpus (`../shared/corpus`, provenance in its SOURCES.md) and of
//!   `test-vectors/` (provenance in each SOURCES.md);
//! * for the structure-aware targets (`*_build_verify`, `*_sign_verify`), whose input is read by
//!   `arbitrary`, fixed pseudo-random byte strings of several lengths.
//!
//! Run from anywhere: `cargo run --manifest-path fuzz/Cargo.toml --release --example gen_seeds`
//! (fuzz/run.sh runs it when the seeds are missing). Files already in a seed directory are kept
//! (hand-made seeds and regression inputs); generated ones are overwritten. Deterministic except
//! for the timestamp tokens' serial numbers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use gmseal_cms::{CmsSigner, OidFamily, SignedDataBuilder, SignerIdKind, TimeStampReq};
use gmseal_fuzz::{
    BASE_OFD, CONTENT, Fixture, base_pdf, picture_png, seal, seal_builder, signing_system_time,
    signing_time, timestamp_request, tsa,
};
use gmseal_ofd::signed_value::cms::SignedDataSigner;
use gmseal_ofd::signed_value::raw_sm2::RawSm2Signer;
use gmseal_ofd::signed_value::ses::SesSigner;
use gmseal_ofd::{Rect, SignOptions as OfdSignOptions, Signer as OfdSigner, Stamp};
use gmseal_pdf::cms::CmsContents;
use gmseal_pdf::seal::SealContents;
use gmseal_pdf::{Placement, SealImage, SigFilter};
use gmseal_ses::{SesVersion, SignatureBuilder, TsaTimestamper};
use gmseal_sm2::{SignatureFormat, Sm2SignerExt};

struct Seeds {
    root: PathBuf,
    corpus: PathBuf,
    vectors: PathBuf,
    written: usize,
}

impl Seeds {
    fn put(&mut self, target: &str, name: &str, bytes: impl AsRef<[u8]>) {
        let dir = self.root.join(target);
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join(name), bytes).unwrap();
        self.written += 1;
    }

    /// Copy a file of the shared corpus (path relative to it).
    fn corpus(&mut self, target: &str, rel: &str) {
        let bytes = fs::read(self.corpus.join(rel)).unwrap_or_else(|e| panic!("corpus {rel}: {e}"));
        let name = rel.replace('/', "_");
        self.put(target, &name, bytes);
    }

    /// Copy a file of test-vectors/ (path relative to it).
    fn vector(&mut self, target: &str, rel: &str) {
        let bytes =
            fs::read(self.vectors.join(rel)).unwrap_or_else(|e| panic!("test-vectors {rel}: {e}"));
        let name = format!("tv_{}", rel.replace('/', "_"));
        self.put(target, &name, bytes);
    }

    /// `count` pseudo-random inputs (xorshift64 from a fixed seed) for a structure-aware target.
    fn random(&mut self, target: &str, count: usize) {
        let mut state = 0x9E37_79B9_7F4A_7C15_u64 ^ target.len() as u64;
        for i in 0..count {
            let len = 32 << (i % 6);
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    (state >> 24) as u8
                })
                .collect();
            self.put(target, &format!("random-{i:02}"), bytes);
        }
    }
}

/// Every entry of a zip archive whose name ends with `suffix`.
fn zip_entries(zip_bytes: &[u8], suffix: &str) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).unwrap();
    let mut out = Vec::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        if f.name().ends_with(suffix) {
            let mut v = Vec::new();
            f.read_to_end(&mut v).unwrap();
            out.push((f.name().to_owned(), v));
        }
    }
    out
}

fn main() {
    let fuzz_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut s = Seeds {
        root: fuzz_dir.join("seeds"),
        corpus: fuzz_dir.join("../../shared/corpus"),
        vectors: fuzz_dir.join("../test-vectors"),
        written: 0,
    };
    assert!(
        s.corpus.is_dir(),
        "the shared corpus is expected at {}",
        s.corpus.display()
    );
    let f = Fixture::get();
    let tsa = tsa();
    let timestamper = TsaTimestamper::new(&tsa);

    // --- certificates and CRLs
    s.put(
        "cert_parse",
        "gmseal-fixture-chain.pem",
        f.certificates_pem(),
    );
    s.put("cert_parse", "gmseal-fixture-signer.der", f.signer.der());
    s.put(
        "cert_parse",
        "gmseal-fixture-root.der",
        f.pki.root.cert.der(),
    );
    s.put("cert_parse", "gmseal-fixture-sub.crl.der", f.crl.der());
    for rel in [
        "certs/emmansun/CFCA_TEST_SM2_OCA1.pem",
        "certs/emmansun/SHECA_SM2_issued_by_NRCAC_ROOTCA.pem",
        "certs/emmansun/dual_test_server_sign.pem",
        "certs/emmansun/openssl3_selfsigned_emptyid_sm2oid_spki.pem",
        "certs/openssl3-local/openssl-3.0.19_req-x509_distid-default.pem",
    ] {
        s.corpus("cert_parse", rel);
    }

    // --- CMS SignedData
    let cms = |family, detached: bool, raw: bool, ts: bool, who: &gmseal_fuzz::KeyCert| {
        let mut signer = CmsSigner::new(&who.key, who.certificate())
            .signing_time(Some(signing_system_time()))
            .signature_format(if raw {
                SignatureFormat::Raw
            } else {
                SignatureFormat::Der
            });
        if ts {
            signer = signer.timestamper(&tsa);
        }
        let b = SignedDataBuilder::new(family);
        let b = if detached {
            b.detached(gmseal_cms::ContentDigest::of(CONTENT))
        } else {
            b.attached(CONTENT.to_vec())
        };
        b.signer(signer).build().unwrap()
    };
    for (name, family) in [("pkcs7", OidFamily::Pkcs7), ("gmt0010", OidFamily::Gmt0010)] {
        s.put(
            "cms_signed_data",
            &format!("{name}-attached.der"),
            cms(family, false, false, false, &f.signer),
        );
        s.put(
            "cms_signed_data",
            &format!("{name}-detached.der"),
            cms(family, true, false, false, &f.signer),
        );
    }
    s.put(
        "cms_signed_data",
        "pkcs7-attached-timestamped.der",
        cms(OidFamily::Pkcs7, false, false, true, &f.signer),
    );
    s.put(
        "cms_signed_data",
        "gmt0010-attached-raw.der",
        cms(OidFamily::Gmt0010, false, true, false, &f.signer),
    );
    s.put(
        "cms_signed_data",
        "pkcs7-attached-revoked.der",
        cms(OidFamily::Pkcs7, false, false, false, &f.revoked),
    );
    let ski = SignedDataBuilder::new(OidFamily::Pkcs7)
        .attached(CONTENT.to_vec())
        .signer(
            CmsSigner::new(&f.signer.key, f.signer.certificate())
                .signer_id(SignerIdKind::SubjectKeyIdentifier)
                .without_signed_attributes(),
        )
        .build()
        .unwrap();
    s.put("cms_signed_data", "pkcs7-ski-no-signed-attributes.der", ski);

    // --- timestamps: the fixed request, the TSA's response to it, the token
    let request = timestamp_request();
    let request_der = request.to_der().unwrap();
    let response = tsa.respond(&request_der).unwrap();
    let token = gmseal_cms::TimeStampResp::from_der(&response)
        .unwrap()
        .into_token(&request)
        .unwrap();
    s.put("cms_timestamp_token", "request.der", &request_der);
    s.put("cms_timestamp_token", "response.der", &response);
    s.put("cms_timestamp_token", "token.der", &token);
    let bare = TimeStampReq::new(request.message_imprint.clone()).unwrap();
    s.put(
        "cms_timestamp_token",
        "request-minimal.der",
        bare.to_der().unwrap(),
    );

    // --- seals and seal signatures
    for (name, v) in [
        ("v1", SesVersion::V1),
        ("v4", SesVersion::V4),
        ("v5", SesVersion::V5),
    ] {
        let seal = seal(v);
        s.put("ses_seal", &format!("gmseal-{name}.esl"), seal.as_der());
        let mut b = SignatureBuilder::new(seal, f.signer.der())
            .data(CONTENT)
            .time(signing_time());
        if v != SesVersion::V1 {
            b = b.timestamper(&timestamper).property_info("gmseal fuzz");
        }
        let sig = b.sign(&f.signer.key).unwrap();
        s.put("ses_signature", &format!("gmseal-{name}.der"), sig.as_der());
    }
    let raw_seal = seal_builder(SesVersion::V4)
        .signature_format(SignatureFormat::Raw)
        .sign(&f.maker.key)
        .unwrap();
    s.put("ses_seal", "gmseal-v4-raw.esl", raw_seal.as_der());
    let v5_ts = seal_builder(SesVersion::V5)
        .sign_with_timestamp(&f.maker.key, Some(&timestamper))
        .unwrap();
    s.put("ses_seal", "gmseal-v5-timestamped.esl", v5_ts.as_der());
    s.vector("ses_seal", "ses/dms360-v1-seal.esl");
    s.vector("ses_signature", "ses/dms360-v1-SignedValue.dat");
    s.vector("ses_signature", "ses/ofdrw-v4-SignedValue.dat");
    for rel in [
        "ofd/seal-v4-continue-SESV4SignDoc.ofd",
        "ofd/seal-v1-tampered-n.ofd",
    ] {
        let bytes = fs::read(s.corpus.join(rel)).unwrap();
        for (i, (_, value)) in zip_entries(&bytes, "SignedValue.dat")
            .into_iter()
            .enumerate()
        {
            let stem = rel.trim_start_matches("ofd/").trim_end_matches(".ofd");
            if let Ok(sig) =
                gmseal_ses::SealSignature::from_der_with(&value, gmseal_ses::Strictness::Lenient)
            {
                s.put("ses_seal", &format!("{stem}-{i}.esl"), sig.seal().as_der());
            }
            s.put("ses_signature", &format!("{stem}-{i}.dat"), value);
        }
    }

    // --- PDF: format A (SM2 CMS, with a timestamp) and format B (a v4 seal signature)
    let place = |o: gmseal_pdf::SignOptions| {
        o.seal(
            SealImage::from_bytes(picture_png(), 40.0, 40.0).unwrap(),
            Placement::new(1, 100.0, 100.0),
        )
    };
    let options = place(gmseal_pdf::SignOptions::new().signing_time(signing_system_time()));
    let format_a = gmseal_pdf::sign(
        base_pdf().to_vec(),
        &CmsContents::new(&f.signer.key, f.signer.certificate()).timestamper(&tsa),
        &options,
    )
    .unwrap();
    let format_b = gmseal_pdf::sign(
        base_pdf().to_vec(),
        &SealContents::new(seal(SesVersion::V4), &f.signer.key, f.signer.der())
            .sig_filter(SigFilter::gm_sm2seal()),
        &options,
    )
    .unwrap();
    let both = gmseal_pdf::sign(
        format_a.clone(),
        &SealContents::new(seal(SesVersion::V1), &f.signer.key, f.signer.der()),
        &gmseal_pdf::SignOptions::new()
            .signing_time(signing_system_time())
            .invisible_on_page(1),
    )
    .unwrap();
    s.put("pdf_verify", "gmseal-unsigned.pdf", base_pdf());
    s.put("pdf_verify", "gmseal-format-a.pdf", &format_a);
    s.put("pdf_verify", "gmseal-format-b.pdf", &format_b);
    s.put("pdf_verify", "gmseal-format-a-then-b.pdf", &both);
    for name in [
        "pdf20-via-incremental-save.pdf",
        "pyhanko-minimal-hybrid-xref.pdf",
        "pyhanko-minimal-rc4.pdf",
        "pyhanko-minimal-two-fields.pdf",
        "pyhanko-minimal-with-field-aes256.pdf",
        "qpdf-bad-xref-entry.pdf",
        "qpdf-object-streams.pdf",
        "qpdf-linearized.pdf",
    ] {
        s.corpus("pdf_verify", &format!("pdf/{name}"));
    }
    // The signature dictionaries of our files, as pdf_sig_dict parses them.
    for (name, pdf) in [("format-a", &format_a), ("format-b", &format_b)] {
        let text = String::from_utf8_lossy(pdf);
        if let Some(at) = text.find("/Type /Sig").or_else(|| text.find("/Type/Sig")) {
            let start = text[..at].rfind("<<").unwrap_or(at);
            let end = text[at..].find("endobj").map_or(text.len(), |e| at + e);
            s.put(
                "pdf_sig_dict",
                &format!("gmseal-{name}.txt"),
                &pdf[start..end],
            );
        }
    }

    // --- OFD: a seal (v4 and v1), GB/T 35275 SignedData, a bare SM2 signature
    let ofd_options = OfdSignOptions::default()
        .time(signing_system_time())
        .stamp(Stamp::at(0, Rect::new(100.0, 50.0, 40.0, 40.0)));
    let v4 = SesSigner::new(seal(SesVersion::V4), f.signer.der(), &f.signer.key);
    let v1 = SesSigner::new(seal(SesVersion::V1), f.signer.der(), &f.signer.key);
    let sd = SignedDataSigner::new(&f.signer.key, f.signer.certificate());
    let raw = RawSm2Signer::new(&f.signer.key);
    let ofd_v4 = OfdSigner::new(&v4)
        .sign(BASE_OFD, &ofd_options)
        .unwrap()
        .package;
    let ofd_v1_then_sd = OfdSigner::new(&sd)
        .sign(
            &OfdSigner::new(&v1)
                .sign(BASE_OFD, &ofd_options)
                .unwrap()
                .package,
            &OfdSignOptions::default().time(signing_system_time()),
        )
        .unwrap()
        .package;
    let ofd_raw = OfdSigner::new(&raw)
        .sign(
            BASE_OFD,
            &OfdSignOptions::default().time(signing_system_time()),
        )
        .unwrap()
        .package;
    s.put("ofd_package", "gmseal-seal-v4.ofd", &ofd_v4);
    s.put(
        "ofd_package",
        "gmseal-seal-v1-then-signeddata.ofd",
        &ofd_v1_then_sd,
    );
    s.put("ofd_package", "gmseal-bare-sm2.ofd", &ofd_raw);
    for name in [
        "seal-v1-tampered-n.ofd",
        "seal-v4-continue-SESV4SignDoc.ofd",
        "seal-v4-riding-V4RideRight.ofd",
        "seal-v4-wholeprotected-allprotected.ofd",
    ] {
        s.corpus("ofd_package", &format!("ofd/{name}"));
    }
    for (i, (_, xml)) in zip_entries(&ofd_v1_then_sd, "Signature.xml")
        .into_iter()
        .enumerate()
    {
        s.put(
            "ofd_signature_xml",
            &format!("gmseal-Signature-{i}.xml"),
            xml,
        );
    }
    for (_, xml) in zip_entries(&ofd_v1_then_sd, "Signatures.xml") {
        s.put("ofd_signature_xml", "gmseal-Signatures.xml", xml);
    }
    for (_, xml) in zip_entries(&ofd_v4, "Document.xml") {
        s.put("ofd_signature_xml", "gmseal-Document.xml", xml);
    }

    // --- SystemRegister: DER, base64, PEM
    {
        use gmseal_register::system_register::{
            BjcaHeader, BjcaRegisterInfo, BjcaSubSystemInfo, BjcaSystemInfo, RegisterSigningInput,
            SignOptions, SystemRegister, SystemType,
        };
        for (i, input) in RegisterSigningInput::ALL.into_iter().enumerate() {
            let header = BjcaHeader::new("gmseal-fuzz-register", 1, "gmseal").unwrap();
            let system = BjcaSystemInfo::new(
                SystemType::Manage,
                f.system.der(),
                "https://seal.example.cn/api",
                "91350100M000100Y43",
                "gmseal 测试有限公司",
            )
            .unwrap();
            let sub = BjcaSubSystemInfo::new("91110000600037341L", "gmseal 子系统").unwrap();
            let options = SignOptions {
                signing_input: input,
                ..SignOptions::default()
            };
            let package = SystemRegister::sign(
                BjcaRegisterInfo::new(header, system, Some(sub)),
                &f.system.key,
                &options,
            )
            .unwrap();
            let der = package.to_der().unwrap();
            s.put("register_system_register", &format!("gmseal-{i}.der"), &der);
            if i == 0 {
                let b64 = gmseal_register::base64::encode(&der);
                s.put("register_system_register", "gmseal-0.b64", &b64);
                s.put(
                    "register_system_register",
                    "gmseal-0.pem",
                    gmseal_sm2::key::pem_encode("SYSTEM REGISTER", &der),
                );
            }
        }
    }

    // --- platform JSON messages: the spec samples, and each signed with the system key
    for name in [
        "seal_making_request",
        "seal_making_response",
        "seal_download_request",
        "seal_download_response",
        "revocation_request",
        "revocation_response",
    ] {
        let rel = format!("register/spec001_{name}.json");
        s.vector("register_json", &rel);
        let text = fs::read_to_string(s.vectors.join(&rel)).unwrap();
        // The spec's samples carry a placeholder signInfo: re-sign them without it, with the
        // fixture's system key, so register_json reaches the signature check.
        let limits = gmseal_register::json::Limits::default();
        let doc = gmseal_register::json::Document::parse(&text, &limits).unwrap();
        let unsigned = doc
            .members()
            .iter()
            .filter(|m| m.key != "signInfo")
            .map(|m| {
                let mut key = String::new();
                gmseal_register::json::write_string(&m.key, &mut key);
                format!("{key}:{}", &doc.text()[m.raw.clone()])
            })
            .collect::<Vec<_>>()
            .join(",");
        let signed = gmseal_register::provincial::sign_json(
            &format!("{{{unsigned}}}"),
            &f.system.key,
            &gmseal_register::provincial::SignOptions::default(),
        )
        .unwrap_or_else(|e| panic!("signing {rel}: {e}"));
        s.put(
            "register_json",
            &format!("gmseal-signed-{name}.json"),
            signed,
        );
    }

    // --- seal pictures
    s.put("register_picture", "gmseal-32x32.png", picture_png());
    s.put(
        "register_picture",
        "gmseal-120x80.png",
        gmseal_pdf::image::test_png(120, 80),
    );
    s.vector("register_picture", "pdf/seal-red.jpg");

    // --- SKF: blobs, name lists, DEVINFO, FILEATTRIBUTE, a certificate
    {
        use gmseal_skf::decode::{
            ecc_public_key_blob, ecc_public_key_blob_bytes, ecc_signature_blob,
            ecc_signature_blob_bytes,
        };
        let pk = f.signer.key.public_key();
        s.put(
            "skf_decode",
            "eccpublickeyblob",
            ecc_public_key_blob_bytes(&ecc_public_key_blob(&pk)),
        );
        let sig = f
            .signer
            .key
            .sign_message(&gmseal_sm2::DistId::default(), CONTENT)
            .unwrap();
        s.put(
            "skf_decode",
            "eccsignatureblob",
            ecc_signature_blob_bytes(&ecc_signature_blob(&sig)),
        );
        s.put(
            "skf_decode",
            "name-list",
            b"Container1\0SM2\0\xb2\xe2\xca\xd4\0\0",
        );
        let mut devinfo = vec![1u8, 0];
        for (text, len) in [
            (&b"gmseal soft token"[..], 64),
            (b"gmseal", 64),
            (b"fuzz", 32),
            (b"0123456789", 32),
        ] {
            let mut field = text.to_vec();
            field.resize(len, 0);
            devinfo.extend(field);
        }
        devinfo.extend([1, 0, 1, 0]);
        for v in [
            0x0000_0401u32,
            0x0002_0100,
            0x0000_0001,
            0x0000_0401,
            65536,
            32768,
            1024,
            4096,
        ] {
            devinfo.extend(v.to_ne_bytes());
        }
        devinfo.resize(gmseal_skf::DevInfoLayout::Packed.size(), 0);
        s.put("skf_decode", "devinfo-packed", &devinfo);
        let mut file = b"sealfile".to_vec();
        file.resize(32, 0);
        for v in [4096u32, 0x10, 0x11] {
            file.extend(v.to_ne_bytes());
        }
        s.put("skf_decode", "fileattribute", file);
        s.put("skf_decode", "certificate.der", f.signer.der());
    }

    // --- structure-aware targets
    for t in [
        "cms_build_verify",
        "ses_build_verify",
        "register_build_verify",
        "pdf_sign_verify",
        "ofd_sign_verify",
    ] {
        s.random(t, 12);
    }

    let total: u64 = walk(&s.root);
    println!(
        "wrote {} seed files to {} ({} KiB in seeds/)",
        s.written,
        s.root.display(),
        total / 1024
    );
}

fn walk(dir: &Path) -> u64 {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let m = e.metadata().unwrap();
            if m.is_dir() { walk(&e.path()) } else { m.len() }
        })
        .sum()
}
