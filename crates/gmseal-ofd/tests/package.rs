//! The package reader refuses hostile archives with typed errors.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::io::Write;

use gmseal_ofd::path::PathError;
use gmseal_ofd::{Error, Limit, Limits, Package, PackageAnomaly, PackageError};

fn crc32(data: &[u8]) -> u32 {
    let mut c = !0u32;
    for &b in data {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 != 0 {
                (c >> 1) ^ 0xEDB8_8320
            } else {
                c >> 1
            };
        }
    }
    !c
}

#[derive(Clone)]
struct E {
    name: Vec<u8>,
    local_name: Option<Vec<u8>>,
    data: Vec<u8>,
    declared: Option<u32>,
    method: u16,
    flags: u16,
    crc: Option<u32>,
    offset: Option<u32>,
}

fn e(name: &str, data: &[u8]) -> E {
    E {
        name: name.as_bytes().to_vec(),
        local_name: None,
        data: data.to_vec(),
        declared: None,
        method: 0,
        flags: 0,
        crc: None,
        offset: None,
    }
}

/// A zip written byte by byte, so every field can lie.
fn raw_zip(entries: &[E], prefix: &[u8]) -> Vec<u8> {
    let mut out = prefix.to_vec();
    let base = prefix.len();
    let mut offsets = Vec::new();
    for x in entries {
        offsets.push((out.len() - base) as u32);
        let ln = x.local_name.as_ref().unwrap_or(&x.name);
        let crc = x.crc.unwrap_or_else(|| crc32(&x.data));
        let usize_ = x.declared.unwrap_or(x.data.len() as u32);
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        out.extend_from_slice(&20u16.to_le_bytes());
        out.extend_from_slice(&x.flags.to_le_bytes());
        out.extend_from_slice(&x.method.to_le_bytes());
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&(x.data.len() as u32).to_le_bytes());
        out.extend_from_slice(&usize_.to_le_bytes());
        out.extend_from_slice(&(ln.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(ln);
        out.extend_from_slice(&x.data);
    }
    let cd = out.len() - base;
    for (x, off) in entries.iter().zip(&offsets) {
        let crc = x.crc.unwrap_or_else(|| crc32(&x.data));
        let usize_ = x.declared.unwrap_or(x.data.len() as u32);
        out.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        out.extend_from_slice(&20u16.to_le_bytes());
        out.extend_from_slice(&20u16.to_le_bytes());
        out.extend_from_slice(&x.flags.to_le_bytes());
        out.extend_from_slice(&x.method.to_le_bytes());
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&(x.data.len() as u32).to_le_bytes());
        out.extend_from_slice(&usize_.to_le_bytes());
        out.extend_from_slice(&(x.name.len() as u16).to_le_bytes());
        out.extend_from_slice(&[0; 8]); // extra, comment, disk start, internal attributes
        out.extend_from_slice(&[0; 4]); // external attributes
        out.extend_from_slice(&x.offset.unwrap_or(*off).to_le_bytes());
        out.extend_from_slice(&x.name);
    }
    let cd_size = out.len() - base - cd;
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(cd_size as u32).to_le_bytes());
    out.extend_from_slice(&(cd as u32).to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

fn open(b: Vec<u8>) -> Result<Package, PackageError> {
    open_with(b, Limits::default())
}

fn open_with(b: Vec<u8>, l: Limits) -> Result<Package, PackageError> {
    match Package::from_bytes_with_limits(b, l) {
        Ok(p) => Ok(p),
        Err(Error::Package(e)) => Err(e),
        Err(e) => panic!("not a package error: {e}"),
    }
}

#[test]
fn a_well_formed_raw_zip_opens() {
    let p = open(raw_zip(&[e("OFD.xml", b"<a/>"), e("Doc_0/", b"")], b"")).unwrap();
    assert_eq!(p.read("OFD.xml").unwrap(), b"<a/>");
    assert_eq!(p.files().count(), 1);
}

#[test]
fn unsafe_names() {
    for (name, reason) in [
        ("../evil.xml", PathError::Traversal),
        ("Doc_0/../../evil.xml", PathError::Traversal),
        ("/etc/passwd", PathError::Absolute),
        ("Doc_0\\Document.xml", PathError::Backslash),
        ("C:/x.xml", PathError::Colon),
        ("a//b.xml", PathError::EmptySegment),
        ("a\u{1}b", PathError::ControlCharacter),
    ] {
        let r = open(raw_zip(&[e(name, b"x")], b""));
        assert!(
            matches!(&r, Err(PackageError::UnsafeEntryName { reason: got, .. }) if *got == reason),
            "{name}: {r:?}"
        );
    }
    let mut bad = e("x", b"x");
    bad.name = vec![b'a', 0xFF];
    bad.local_name = Some(bad.name.clone());
    assert!(matches!(
        open(raw_zip(&[bad], b"")),
        Err(PackageError::UnsafeEntryName {
            reason: PathError::NotUtf8,
            ..
        })
    ));
}

#[test]
fn duplicates_and_disagreeing_headers() {
    assert!(matches!(
        open(raw_zip(&[e("OFD.xml", b"1"), e("OFD.xml", b"2")], b"")),
        Err(PackageError::DuplicateEntry { name }) if name == "OFD.xml"
    ));
    let mut x = e("OFD.xml", b"1");
    x.local_name = Some(b"EVIL.xml".to_vec());
    assert!(matches!(
        open(raw_zip(&[x], b"")),
        Err(PackageError::LocalHeaderMismatch { local_name, .. }) if local_name == "EVIL.xml"
    ));
    // Case twins open, and are reported.
    let p = open(raw_zip(
        &[e("Doc_0/a.xml", b"1"), e("Doc_0/A.xml", b"2")],
        b"",
    ))
    .unwrap();
    assert_eq!(
        p.anomalies(),
        [PackageAnomaly::CaseOnlyDuplicate {
            first: "Doc_0/a.xml".into(),
            second: "Doc_0/A.xml".into()
        }]
    );
}

#[test]
fn overlapping_entries() {
    // Entry B's local header sits inside entry A's data.
    let inner = raw_zip(&[e("B", b"hello")], b"");
    let b_local_len = 30 + 1 + 5;
    let mut a = e("A", &inner[..b_local_len]);
    a.crc = None;
    let mut b = e("B", b"hello");
    b.offset = Some(30 + 1);
    let mut bytes = raw_zip(&[a, b], b"");
    // raw_zip also wrote B's own local header after A; the central record points inside A.
    let r = open(std::mem::take(&mut bytes));
    assert!(
        matches!(r, Err(PackageError::OverlappingEntries { .. })),
        "{r:?}"
    );
}

#[test]
fn sizes_that_lie() {
    // Declared smaller than real: reading stops one byte past the declaration.
    let mut x = e("OFD.xml", b"0123456789");
    x.declared = Some(5);
    let p = open(raw_zip(&[x], b"")).unwrap();
    assert!(matches!(
        p.read("OFD.xml"),
        Err(PackageError::SizeMismatch { declared: 5, .. } | PackageError::EntryData { .. })
    ));
    // Declared larger than real.
    let mut x = e("OFD.xml", b"0123456789");
    x.declared = Some(50);
    let p = open(raw_zip(&[x], b"")).unwrap();
    assert!(p.read("OFD.xml").is_err());
    // Bad CRC.
    let mut x = e("OFD.xml", b"0123456789");
    x.crc = Some(0);
    let p = open(raw_zip(&[x], b"")).unwrap();
    assert!(matches!(
        p.read("OFD.xml"),
        Err(PackageError::EntryData { .. })
    ));
}

/// A deflate bomb: 64 MiB of zeros in about 64 KiB.
fn bomb(declared: Option<u32>) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    w.start_file("Doc_0/bomb.xml", o).unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..64 {
        w.write_all(&zeros).unwrap();
    }
    let mut bytes = w.finish().unwrap().into_inner();
    if let Some(d) = declared {
        // Patch the uncompressed size in the local header (offset 22) and central record (24).
        bytes[22..26].copy_from_slice(&d.to_le_bytes());
        let cd = bytes
            .windows(4)
            .rposition(|w| w == 0x0201_4b50u32.to_le_bytes())
            .unwrap();
        bytes[cd + 24..cd + 28].copy_from_slice(&d.to_le_bytes());
    }
    bytes
}

#[test]
fn zip_bombs() {
    let honest = bomb(None);
    assert!(honest.len() < 1 << 20);
    // An honest declaration over the limit is refused when the package is opened.
    let r = open_with(honest, Limits::default().entry_size(16 << 20));
    assert!(matches!(
        r,
        Err(PackageError::LimitExceeded {
            limit: Limit::EntrySize,
            ..
        })
    ));
    // A lying declaration is caught while reading, after declared + 1 bytes.
    let p = open(bomb(Some(1000))).unwrap();
    assert!(matches!(
        p.read("Doc_0/bomb.xml"),
        Err(PackageError::SizeMismatch { declared: 1000, .. } | PackageError::EntryData { .. })
    ));
    // Total size and entry count.
    let two = raw_zip(&[e("a", &[0; 80]), e("b", &[0; 80])], b"");
    assert!(matches!(
        open_with(two.clone(), Limits::default().total_size(100)),
        Err(PackageError::LimitExceeded {
            limit: Limit::TotalSize,
            ..
        })
    ));
    assert!(matches!(
        open_with(two, Limits::default().entries(1)),
        Err(PackageError::LimitExceeded {
            limit: Limit::Entries,
            found: 2,
            ..
        })
    ));
}

#[test]
fn other_refusals() {
    assert!(matches!(
        open(b"not a zip at all".to_vec()),
        Err(PackageError::NotAZip)
    ));
    assert!(matches!(open(Vec::new()), Err(PackageError::NotAZip)));
    assert!(matches!(
        open(raw_zip(&[e("OFD.xml", b"x")], b"MZ prepended")),
        Err(PackageError::PrependedData { .. })
    ));
    let mut x = e("OFD.xml", b"x");
    x.flags = 1;
    assert!(matches!(
        open(raw_zip(&[x], b"")),
        Err(PackageError::Encrypted { .. })
    ));
    let mut x = e("OFD.xml", b"x");
    x.method = 12;
    assert!(matches!(
        open(raw_zip(&[x], b"")),
        Err(PackageError::UnsupportedCompression { .. })
    ));
    assert!(matches!(
        open(raw_zip(&[e("Doc_0/", b"data")], b"")),
        Err(PackageError::DirectoryWithData { .. })
    ));
    // Every truncation of a real package is an error, never a panic.
    let real = gmseal_testkit::corpus_bytes("ofd/unsigned-helloworld.ofd");
    for cut in 0..real.len() {
        assert!(open(real[..cut].to_vec()).is_err(), "cut at {cut}");
    }
}

#[test]
fn a_corrupt_entry_is_never_valid() {
    let real = gmseal_testkit::corpus_bytes("ofd/sign-sm2-raw-DigitalSign.ofd");
    let key = {
        let pem = include_bytes!("../../../test-vectors/ofd/ofdrw-USER-cert.pem");
        let der = &gmseal_sm2::key::pem_blocks(pem).unwrap()[0].1;
        gmseal_sm2::key::public_key_from_certificate_der(der)
            .unwrap()
            .key
    };
    let v = gmseal_ofd::Verifier::new()
        .sign_verifier(gmseal_ofd::signed_value::raw_sm2::RawSm2Verifier::new().with_key(key));
    assert_eq!(
        v.verify(&Package::from_bytes(real.clone()).unwrap())
            .unwrap()
            .verdict,
        gmseal_ofd::Verdict::Valid
    );
    // Every byte of every entry's data and local header, except the header fields no reader
    // acts on (version needed, the high flag byte whose bits 0x55 touches are unused, date and
    // time), flipped in turn: the package is refused, the verification fails, or it says not
    // valid.
    let u16_at = |o: usize| usize::from(u16::from_le_bytes([real[o], real[o + 1]]));
    let u32_at =
        |o: usize| u32::from_le_bytes([real[o], real[o + 1], real[o + 2], real[o + 3]]) as usize;
    let mut at = 0;
    let mut flipped = 0;
    while real[at..at + 4] == 0x0403_4b50u32.to_le_bytes() {
        let end = at + 30 + u16_at(at + 26) + u16_at(at + 28) + u32_at(at + 18);
        let inert = |i: &usize| {
            (at + 4..at + 6).contains(i) || *i == at + 7 || (at + 10..at + 14).contains(i)
        };
        for i in (at..end).filter(|i| !inert(i)) {
            let mut b = real.clone();
            b[i] ^= 0x55;
            if let Ok(p) = Package::from_bytes(b)
                && let Ok(r) = v.verify(&p)
            {
                assert_ne!(r.verdict, gmseal_ofd::Verdict::Valid, "flip at {i}");
            }
            flipped += 1;
        }
        at = end;
    }
    assert!(flipped > 1500, "{flipped}");
}
