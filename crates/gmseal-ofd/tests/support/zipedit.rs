//! Rewriting a zip in tests: change, drop or add entries (everything is decompressed and
//! recompressed, which is what a tamperer with an ordinary zip tool does).
#![allow(dead_code)]

use std::io::{Read, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

/// All entries (name, bytes) in order.
pub(crate) fn entries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut a = ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..a.len())
        .map(|i| {
            let mut f = a.by_index(i).unwrap();
            let mut v = Vec::new();
            f.read_to_end(&mut v).unwrap();
            (f.name().to_owned(), v)
        })
        .collect()
}

/// Build a zip from entries (directories as names ending in '/').
pub(crate) fn build(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (n, d) in entries {
        if n.ends_with('/') {
            w.add_directory(n.trim_end_matches('/'), o).unwrap();
        } else {
            w.start_file(n.as_str(), o).unwrap();
            w.write_all(d).unwrap();
        }
    }
    w.finish().unwrap().into_inner()
}

/// Rewrite with `f` deciding each entry's new content (`None` drops it), then append `add`.
pub(crate) fn edit(
    bytes: &[u8],
    f: impl Fn(&str, &[u8]) -> Option<Vec<u8>>,
    add: &[(&str, &[u8])],
) -> Vec<u8> {
    let mut out: Vec<(String, Vec<u8>)> = entries(bytes)
        .into_iter()
        .filter_map(|(n, d)| f(&n, &d).map(|d| (n, d)))
        .collect();
    for (n, d) in add {
        out.push(((*n).to_owned(), d.to_vec()));
    }
    build(&out)
}

/// The content of one entry.
pub(crate) fn get(bytes: &[u8], name: &str) -> Vec<u8> {
    entries(bytes)
        .into_iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no entry {name}"))
        .1
}
