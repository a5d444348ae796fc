//! A generated OFD package: `pages` pages, each with text objects and one image (random bytes
//! behind a JPEG header, stored uncompressed, `image_bytes` long). 100 pages of 80 000 bytes give
//! the ≈8 MB, ≈200-file document of the benchmark. Deterministic.
#![allow(dead_code)]

use std::io::Write;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

const NS: &str = "http://www.ofdspec.org/2016";

fn noise(seed: u64, n: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut v = Vec::with_capacity(n);
    v.extend_from_slice(&[0xFF, 0xD8, 0xFF, 0xE0]);
    while v.len() < n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        v.extend_from_slice(&x.to_le_bytes());
    }
    v.truncate(n);
    v
}

/// A page's content: `lines` text objects, the first with `keyword` if given.
pub(crate) fn page_xml(index: usize, lines: usize, keyword: Option<&str>) -> String {
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:Page xmlns:ofd=\"{NS}\"><ofd:Content><ofd:Layer ID=\"{}\">",
        10_000 + index * 100
    );
    for l in 0..lines {
        let text = match (l, keyword) {
            (0, Some(k)) => format!("甲方：{k}"),
            _ => format!(
                "第{}页 第{}行 OFD 电子签章测试文本 line {l}",
                index + 1,
                l + 1
            ),
        };
        let n = text.chars().count();
        let deltas = vec!["4"; n.saturating_sub(1)].join(" ");
        s.push_str(&format!(
            "<ofd:TextObject ID=\"{}\" Boundary=\"20 {} 170 6\" Font=\"3\" Size=\"4\"><ofd:TextCode X=\"0\" Y=\"4\" DeltaX=\"{deltas}\">{text}</ofd:TextCode></ofd:TextObject>",
            10_000 + index * 100 + l + 1,
            30 + 8 * l,
        ));
    }
    s.push_str(&format!(
        "<ofd:ImageObject ID=\"{}\" ResourceID=\"{}\" Boundary=\"20 200 96 68\" CTM=\"96 0 0 68 0 0\"/>",
        10_000 + index * 100 + 99,
        200_000 + index
    ));
    s.push_str("</ofd:Layer></ofd:Content></ofd:Page>");
    s
}

/// Build the package.
pub(crate) fn generate(
    pages: usize,
    image_bytes: usize,
    keyword_page: Option<(usize, &str)>,
) -> Vec<u8> {
    let mut w = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflate = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    w.start_file("OFD.xml", deflate).unwrap();
    write!(
        w,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:OFD xmlns:ofd=\"{NS}\" Version=\"1.0\" DocType=\"OFD\"><ofd:DocBody><ofd:DocInfo><ofd:DocID>0123456789abcdef0123456789abcdef</ofd:DocID><ofd:CreationDate>2026-11-25</ofd:CreationDate><ofd:Creator>gmseal test generator</ofd:Creator></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
    )
    .unwrap();
    let mut doc = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:Document xmlns:ofd=\"{NS}\"><ofd:CommonData><ofd:MaxUnitID>{}</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes><ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes></ofd:CommonData><ofd:Pages>",
        300_000
    );
    for i in 0..pages {
        doc.push_str(&format!(
            "<ofd:Page ID=\"{}\" BaseLoc=\"Pages/Page_{i}/Content.xml\"/>",
            1 + i * 100
        ));
    }
    doc.push_str("</ofd:Pages></ofd:Document>");
    w.start_file("Doc_0/Document.xml", deflate).unwrap();
    w.write_all(doc.as_bytes()).unwrap();
    w.start_file("Doc_0/PublicRes.xml", deflate).unwrap();
    write!(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:Res xmlns:ofd=\"{NS}\" BaseLoc=\"Res\"><ofd:Fonts><ofd:Font ID=\"3\" FontName=\"宋体\" FamilyName=\"宋体\"/></ofd:Fonts></ofd:Res>").unwrap();
    let mut res = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:Res xmlns:ofd=\"{NS}\" BaseLoc=\"Res\"><ofd:MultiMedias>"
    );
    for i in 0..pages {
        res.push_str(&format!(
            "<ofd:MultiMedia ID=\"{}\" Type=\"Image\" Format=\"JPEG\"><ofd:MediaFile>image_{i}.jpg</ofd:MediaFile></ofd:MultiMedia>",
            200_000 + i
        ));
    }
    res.push_str("</ofd:MultiMedias></ofd:Res>");
    w.start_file("Doc_0/DocumentRes.xml", deflate).unwrap();
    w.write_all(res.as_bytes()).unwrap();
    for i in 0..pages {
        let kw = keyword_page.and_then(|(p, k)| (p == i).then_some(k));
        w.start_file(format!("Doc_0/Pages/Page_{i}/Content.xml"), deflate)
            .unwrap();
        w.write_all(page_xml(i, 29, kw).as_bytes()).unwrap();
        w.start_file(format!("Doc_0/Res/image_{i}.jpg"), stored)
            .unwrap();
        w.write_all(&noise(i as u64 + 1, image_bytes)).unwrap();
    }
    w.finish().unwrap().into_inner()
}
