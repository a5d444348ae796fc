//! Picture access: declared type and size, and the format sniffed from the bytes, including a
//! picture that is itself an OFD package.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod pki {
    include!("common/pki.rs");
}

use std::io::Write;

use der::DateTime;
use gmseal_ses::picture::PictureFormat;
use gmseal_ses::{Seal, SealBuilder};

fn ofd_package() -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("OFD.xml", opts).unwrap();
        zip.write_all(b"<ofd:OFD xmlns:ofd=\"http://www.ofdspec.org/2016\" Version=\"1.0\"/>")
            .unwrap();
        zip.start_file("Doc_0/Document.xml", opts).unwrap();
        zip.write_all(b"<ofd:Document/>").unwrap();
        zip.finish().unwrap();
    }
    out.into_inner()
}

fn seal_with(picture_type: &str, data: Vec<u8>) -> Seal {
    let (maker, maker_cert) = pki::maker();
    SealBuilder::new("E", "picture", maker_cert)
        .holder_certificate(pki::holder().1)
        .validity(
            DateTime::new(2025, 1, 1, 0, 0, 0).unwrap(),
            DateTime::new(2030, 1, 1, 0, 0, 0).unwrap(),
        )
        .picture(picture_type, data, 30, 20)
        .sign(&maker)
        .unwrap()
}

#[test]
fn declared_and_sniffed_formats() {
    let cases: Vec<(&str, Vec<u8>, PictureFormat)> = vec![
        ("PNG", pki::png(), PictureFormat::Png),
        ("png", pki::png(), PictureFormat::Png),
        (
            "JPG",
            vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F'],
            PictureFormat::Jpeg,
        ),
        (
            "jpeg",
            vec![0xFF, 0xD8, 0xFF, 0xDB, 0, 0],
            PictureFormat::Jpeg,
        ),
        (
            "GIF",
            b"GIF89a\x01\x00\x01\x00".to_vec(),
            PictureFormat::Gif,
        ),
        (
            "BMP",
            [b"BM".as_slice(), &[0u8; 60]].concat(),
            PictureFormat::Bmp,
        ),
        (
            "SVG",
            b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>".to_vec(),
            PictureFormat::Svg,
        ),
        ("ofd", ofd_package(), PictureFormat::Ofd),
    ];
    for (declared, data, format) in cases {
        let seal = seal_with(declared, data.clone());
        let p = seal.picture();
        assert_eq!(p.declared_type, declared);
        assert_eq!(p.declared, format, "{declared}");
        assert_eq!(p.sniffed, format, "{declared}");
        assert!(p.type_matches());
        assert_eq!(p.data, data.as_slice());
        assert_eq!((p.width_mm, p.height_mm), (30, 20));
    }
}

#[test]
fn mismatches_are_visible() {
    // declared PNG, really a JPEG
    let seal = seal_with("PNG", vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 0]);
    let p = seal.picture();
    assert_eq!(
        (p.declared, p.sniffed),
        (PictureFormat::Png, PictureFormat::Jpeg)
    );
    assert!(!p.type_matches());
    // a zip that is not an OFD
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        zip.start_file("a.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(b"x").unwrap();
        zip.finish().unwrap();
    }
    assert_eq!(
        PictureFormat::sniff(&out.into_inner()),
        PictureFormat::Unknown
    );
    assert_eq!(PictureFormat::from_declared("tiff"), PictureFormat::Unknown);
}
