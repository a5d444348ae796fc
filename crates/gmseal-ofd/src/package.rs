//! The OFD container: a zip archive read defensively (GB/T 33190-2016 §7.2).
//!
//! An OFD file comes from outside and is read as hostile. [`Package::from_bytes`] first walks
//! the central directory itself (see the `central_directory` module for why) and refuses: path
//! traversal, absolute names, backslashes and drive letters; duplicate names; local headers that
//! disagree with the central directory; overlapping entries; encrypted entries and compression
//! other than stored/deflate; more entries or more declared bytes than [`Limits`] allow. Every
//! read then checks that an entry decompresses to exactly its declared size (so the declared
//! sizes bound the work) and `zip` checks its CRC.
//!
//! ```
//! # fn main() -> Result<(), gmseal_ofd::Error> {
//! # let bytes = std::fs::read(gmseal_testkit::corpus("ofd/unsigned-helloworld.ofd"))?;
//! use gmseal_ofd::{Limits, Package};
//! let package = Package::from_bytes_with_limits(bytes, Limits::default())?;
//! let ofd_xml = package.read("OFD.xml")?;
//! assert!(ofd_xml.starts_with(b"<?xml"));
//! assert!(package.entries().iter().any(|e| e.path.as_str() == "Doc_0/Document.xml"));
//! # Ok(()) }
//! ```

mod central_directory;
pub(crate) mod writer;

use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::sync::Arc;

use crate::error::{Limit, PackageError};
use crate::path::PackagePath;

/// Bounds on the work and memory an untrusted package may cause. The defaults suit real
/// e-invoices and government documents (a few hundred entries, tens of megabytes) with a wide
/// margin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Most zip entries (default 20 000).
    pub max_entries: usize,
    /// Largest uncompressed size of one entry (default 512 MiB).
    pub max_entry_size: u64,
    /// Largest total uncompressed size of all entries (default 2 GiB).
    pub max_total_size: u64,
    /// Largest XML file parsed (default 64 MiB).
    pub max_xml_size: u64,
    /// Deepest XML nesting (default 256).
    pub max_xml_depth: usize,
    /// Most XML nodes (elements and text runs) in one file (default 4 000 000).
    pub max_xml_nodes: usize,
    /// Most signatures in one Signatures.xml (default 1 000).
    pub max_signatures: usize,
    /// Most references in one signature (default 100 000).
    pub max_references: usize,
    /// Most pages in one document (default 100 000).
    pub max_pages: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_entries: 20_000,
            max_entry_size: 512 << 20,
            max_total_size: 2 << 30,
            max_xml_size: 64 << 20,
            max_xml_depth: 256,
            max_xml_nodes: 4_000_000,
            max_signatures: 1_000,
            max_references: 100_000,
            max_pages: 100_000,
        }
    }
}

impl Limits {
    /// Set [`max_entries`](Self::max_entries).
    #[must_use]
    pub fn entries(mut self, n: usize) -> Self {
        self.max_entries = n;
        self
    }

    /// Set [`max_entry_size`](Self::max_entry_size).
    #[must_use]
    pub fn entry_size(mut self, n: u64) -> Self {
        self.max_entry_size = n;
        self
    }

    /// Set [`max_total_size`](Self::max_total_size).
    #[must_use]
    pub fn total_size(mut self, n: u64) -> Self {
        self.max_total_size = n;
        self
    }

    /// Set [`max_xml_size`](Self::max_xml_size).
    #[must_use]
    pub fn xml_size(mut self, n: u64) -> Self {
        self.max_xml_size = n;
        self
    }

    /// Set [`max_xml_depth`](Self::max_xml_depth).
    #[must_use]
    pub fn xml_depth(mut self, n: usize) -> Self {
        self.max_xml_depth = n;
        self
    }

    /// Set [`max_signatures`](Self::max_signatures).
    #[must_use]
    pub fn signatures(mut self, n: usize) -> Self {
        self.max_signatures = n;
        self
    }

    /// Set [`max_references`](Self::max_references).
    #[must_use]
    pub fn references(mut self, n: usize) -> Self {
        self.max_references = n;
        self
    }
}

/// How an entry's data are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Compression {
    /// Stored as is (method 0).
    Stored,
    /// Deflate (method 8).
    Deflated,
}

/// One file or directory of the package.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Entry {
    /// The checked name.
    pub path: PackagePath,
    /// Declared uncompressed size (enforced on every read).
    pub size: u64,
    /// Size of the stored data.
    pub compressed_size: u64,
    /// Compression.
    pub compression: Compression,
    /// CRC-32 from the central directory.
    pub crc32: u32,
}

impl Entry {
    /// Is this a directory entry?
    pub fn is_dir(&self) -> bool {
        self.path.is_dir()
    }
}

/// Something odd about the container that is not an error, reported by the verifier.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PackageAnomaly {
    /// Two entries whose names differ only by ASCII case (GB/T 33190 paths are case-sensitive,
    /// but Windows-based readers may open either).
    CaseOnlyDuplicate {
        /// One name.
        first: String,
        /// The other.
        second: String,
    },
}

/// Archive bytes shared between clones of the zip reader without copying.
#[derive(Debug, Clone)]
pub(crate) struct SharedBytes(Arc<Vec<u8>>);

impl AsRef<[u8]> for SharedBytes {
    fn as_ref(&self) -> &[u8] {
        self.0.as_slice()
    }
}

/// A checked OFD package held in memory.
///
/// Cheap to share: reads take `&self` (each read clones the zip reader, which shares the bytes
/// and the directory).
#[derive(Debug, Clone)]
pub struct Package {
    data: SharedBytes,
    archive: zip::ZipArchive<Cursor<SharedBytes>>,
    entries: Vec<Entry>,
    /// Package path → (index in `entries`, zip index).
    index: HashMap<String, (usize, usize)>,
    anomalies: Vec<PackageAnomaly>,
    limits: Limits,
}

const CHUNK: usize = 64 * 1024;

impl Package {
    /// Check and open a package with the default [`Limits`].
    ///
    /// # Errors
    /// [`PackageError`] (wrapped in [`Error::Package`](crate::Error::Package)) for a malformed
    /// or unsafe archive.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self, crate::Error> {
        Self::from_bytes_with_limits(bytes, Limits::default())
    }

    /// Read a file from disk and open it with the default [`Limits`].
    ///
    /// # Errors
    /// [`Error::Io`](crate::Error::Io) when the file cannot be read; otherwise as
    /// [`from_bytes`](Self::from_bytes).
    pub fn open(path: impl AsRef<std::path::Path>) -> Result<Self, crate::Error> {
        Self::from_bytes(std::fs::read(path)?)
    }

    /// Check and open a package.
    ///
    /// # Errors
    /// As [`from_bytes`](Self::from_bytes).
    pub fn from_bytes_with_limits(bytes: Vec<u8>, limits: Limits) -> Result<Self, crate::Error> {
        Ok(Self::open_checked(bytes, limits)?)
    }

    fn open_checked(bytes: Vec<u8>, limits: Limits) -> Result<Self, PackageError> {
        let dir = central_directory::scan(&bytes, &limits)?;
        let data = SharedBytes(Arc::new(bytes));
        let mut archive = zip::ZipArchive::new(Cursor::new(data.clone())).map_err(|source| {
            PackageError::Zip {
                entry: None,
                source,
            }
        })?;
        if archive.len() != dir.records.len() {
            return Err(PackageError::CentralDirectory {
                offset: archive.central_directory_start(),
                problem: "the zip library counts a different number of entries",
            });
        }
        let mut entries = Vec::with_capacity(dir.records.len());
        let mut index = HashMap::with_capacity(dir.records.len());
        for (i, rec) in dir.records.into_iter().enumerate() {
            let file = archive
                .by_index_raw(i)
                .map_err(|source| PackageError::Zip {
                    entry: Some(rec.path.as_str().to_owned()),
                    source,
                })?;
            if file.name_raw() != rec.raw_name.as_slice()
                || file.size() != rec.uncompressed
                || file.compressed_size() != rec.compressed
                || file.header_start() != rec.local_offset
            {
                return Err(PackageError::CentralDirectory {
                    offset: file.central_header_start(),
                    problem: "the zip library reads this record differently",
                });
            }
            drop(file);
            index.insert(rec.path.as_str().to_owned(), (entries.len(), i));
            entries.push(Entry {
                path: rec.path,
                size: rec.uncompressed,
                compressed_size: rec.compressed,
                compression: if rec.method == 0 {
                    Compression::Stored
                } else {
                    Compression::Deflated
                },
                crc32: rec.crc32,
            });
        }
        let anomalies = dir
            .case_twins
            .into_iter()
            .map(|(first, second)| PackageAnomaly::CaseOnlyDuplicate { first, second })
            .collect();
        Ok(Package {
            data,
            archive,
            entries,
            index,
            anomalies,
            limits,
        })
    }

    /// The limits this package was opened with.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The whole archive.
    pub fn bytes(&self) -> &[u8] {
        self.data.as_ref()
    }

    /// All entries, files and directories, in central-directory order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Files only (no directory entries).
    pub fn files(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| !e.is_dir())
    }

    /// The entry with this exact package path (no leading slash).
    pub fn entry(&self, path: &str) -> Option<&Entry> {
        self.index.get(path).and_then(|&(i, _)| self.entries.get(i))
    }

    /// Is there an entry with this exact path?
    pub fn contains(&self, path: &str) -> bool {
        self.index.contains_key(path)
    }

    /// The file whose path equals `path` ignoring ASCII case, when exactly one does.
    pub fn find_ignore_case(&self, path: &str) -> Option<&Entry> {
        let mut found = self
            .files()
            .filter(|e| e.path.as_str().eq_ignore_ascii_case(path));
        let first = found.next()?;
        if found.next().is_some() {
            return None;
        }
        Some(first)
    }

    /// Oddities that are not errors.
    pub fn anomalies(&self) -> &[PackageAnomaly] {
        &self.anomalies
    }

    fn zip_index(&self, path: &str) -> Result<(usize, &Entry), PackageError> {
        let &(i, z) = self.index.get(path).ok_or_else(|| PackageError::NotFound {
            name: path.to_owned(),
        })?;
        let e = self.entries.get(i).ok_or_else(|| PackageError::NotFound {
            name: path.to_owned(),
        })?;
        Ok((z, e))
    }

    /// Stream the decompressed bytes of `path` to `sink`, checking the declared size and the
    /// CRC. Returns the number of bytes.
    ///
    /// # Errors
    /// [`PackageError::NotFound`], [`PackageError::SizeMismatch`],
    /// [`PackageError::EntryData`] (corrupt data, CRC).
    pub fn stream(&self, path: &str, mut sink: impl FnMut(&[u8])) -> Result<u64, PackageError> {
        let (z, entry) = self.zip_index(path)?;
        let declared = entry.size;
        let mut archive = self.archive.clone();
        let mut file = archive.by_index(z).map_err(|source| PackageError::Zip {
            entry: Some(path.to_owned()),
            source,
        })?;
        let mut buf = vec![0u8; CHUNK.min(usize::try_from(declared).unwrap_or(CHUNK) + 1)];
        let mut total = 0u64;
        loop {
            let n = match file.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(source) => {
                    return Err(PackageError::EntryData {
                        name: path.to_owned(),
                        source,
                    });
                }
            };
            total += n as u64;
            if total > declared {
                return Err(PackageError::SizeMismatch {
                    name: path.to_owned(),
                    declared,
                    actual: total,
                });
            }
            if let Some(chunk) = buf.get(..n) {
                sink(chunk);
            }
        }
        if total != declared {
            return Err(PackageError::SizeMismatch {
                name: path.to_owned(),
                declared,
                actual: total,
            });
        }
        Ok(total)
    }

    /// The decompressed bytes of `path` (no leading slash).
    ///
    /// # Errors
    /// As [`stream`](Self::stream).
    pub fn read(&self, path: &str) -> Result<Vec<u8>, PackageError> {
        let size = self.zip_index(path)?.1.size;
        let mut out = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        self.stream(path, |c| out.extend_from_slice(c))?;
        Ok(out)
    }

    /// The bytes of an XML file, refused over [`Limits::max_xml_size`].
    ///
    /// # Errors
    /// [`PackageError::LimitExceeded`] or as [`read`](Self::read).
    pub fn read_xml(&self, path: &str) -> Result<Vec<u8>, PackageError> {
        let size = self.zip_index(path)?.1.size;
        if size > self.limits.max_xml_size {
            return Err(PackageError::LimitExceeded {
                limit: Limit::XmlSize,
                found: size,
                max: self.limits.max_xml_size,
                entry: Some(path.to_owned()),
            });
        }
        self.read(path)
    }

    /// SM3 of the decompressed bytes of `path`, streamed.
    ///
    /// # Errors
    /// As [`stream`](Self::stream).
    pub fn sm3(&self, path: &str) -> Result<[u8; 32], PackageError> {
        use sm3::Digest;
        let mut h = sm3::Sm3::new();
        self.stream(path, |c| h.update(c))?;
        Ok(h.finalize().into())
    }

    /// A clone of the zip reader, for the writer's raw copies.
    pub(crate) fn zip_archive(&self) -> zip::ZipArchive<Cursor<SharedBytes>> {
        self.archive.clone()
    }

    /// Zip index of the entry at position `i` of [`entries`](Self::entries).
    pub(crate) fn zip_index_of(&self, i: usize) -> Option<usize> {
        let e = self.entries.get(i)?;
        self.index.get(e.path.as_str()).map(|&(_, z)| z)
    }
}
