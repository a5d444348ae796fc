//! Writing a signed package: every existing entry is copied raw (its compressed bytes, CRC and
//! sizes unchanged) except the few the signer replaces, and the new files are appended.

use std::collections::HashMap;
use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::{Compression, Package};
use crate::error::PackageError;
use crate::path::PackagePath;

/// A file to add to the package.
#[derive(Debug, Clone)]
pub(crate) struct NewFile {
    pub(crate) path: PackagePath,
    pub(crate) data: Vec<u8>,
    pub(crate) compression: Compression,
}

fn zip_err(entry: &str, source: zip::result::ZipError) -> PackageError {
    PackageError::Zip {
        entry: Some(entry.to_owned()),
        source,
    }
}

fn options(c: Compression) -> SimpleFileOptions {
    SimpleFileOptions::default().compression_method(match c {
        Compression::Stored => CompressionMethod::Stored,
        Compression::Deflated => CompressionMethod::Deflated,
    })
}

/// Write `package` with the files in `replace` given new contents (same name, same position)
/// and `add` appended.
pub(crate) fn rewrite(
    package: &Package,
    replace: &HashMap<String, Vec<u8>>,
    add: &[NewFile],
) -> Result<Vec<u8>, PackageError> {
    let extra: usize = replace.values().map(Vec::len).sum::<usize>()
        + add.iter().map(|f| f.data.len() + 128).sum::<usize>();
    let out = Cursor::new(Vec::with_capacity(package.bytes().len() + extra + 1024));
    let mut w = ZipWriter::new(out);
    let mut archive = package.zip_archive();
    for (i, entry) in package.entries().iter().enumerate() {
        let name = entry.path.as_str();
        if let Some(data) = replace.get(name) {
            w.start_file(name, options(entry.compression))
                .map_err(|e| zip_err(name, e))?;
            w.write_all(data)?;
            continue;
        }
        let z = package
            .zip_index_of(i)
            .ok_or_else(|| PackageError::NotFound {
                name: name.to_owned(),
            })?;
        let file = archive.by_index_raw(z).map_err(|e| zip_err(name, e))?;
        w.raw_copy_file(file).map_err(|e| zip_err(name, e))?;
    }
    for f in add {
        let name = f.path.as_str();
        w.start_file(name, options(f.compression))
            .map_err(|e| zip_err(name, e))?;
        w.write_all(&f.data)?;
    }
    let out = w.finish().map_err(|e| zip_err("(central directory)", e))?;
    Ok(out.into_inner())
}
