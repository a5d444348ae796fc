//! A structural pass over the zip central directory, before the `zip` crate sees the archive.
//!
//! `zip` 5 keys its entries by name and silently keeps the last of two records with the same
//! name, reads the local header only to find the data, and trusts the declared entry count when
//! allocating. An OFD verifier must refuse archives on which two readers would disagree, so this
//! module walks the end-of-central-directory record (and its zip64 form), every central record
//! and every local header itself, checking: the record count against the limit before anything
//! is allocated, one disk, no bytes before the first entry, names that are safe and unique, local
//! header names equal to the central ones, entry data that do not overlap each other or the
//! central directory, and only stored/deflate, unencrypted entries. Decompression and the CRC
//! stay with `zip`.

use std::collections::HashSet;

use crate::error::{Limit, PackageError};
use crate::package::Limits;
use crate::path::PackagePath;

const EOCD_SIG: u32 = 0x0605_4b50;
const ZIP64_LOCATOR_SIG: u32 = 0x0706_4b50;
const ZIP64_EOCD_SIG: u32 = 0x0606_4b50;
const CENTRAL_SIG: u32 = 0x0201_4b50;
const LOCAL_SIG: u32 = 0x0403_4b50;
const EOCD_LEN: usize = 22;
const CENTRAL_LEN: usize = 46;
const LOCAL_LEN: usize = 30;

/// One central-directory record, as far as the checks need it.
#[derive(Debug, Clone)]
pub(crate) struct Record {
    pub(crate) raw_name: Vec<u8>,
    pub(crate) path: PackagePath,
    pub(crate) flags: u16,
    pub(crate) method: u16,
    pub(crate) crc32: u32,
    pub(crate) compressed: u64,
    pub(crate) uncompressed: u64,
    pub(crate) local_offset: u64,
}

/// The checked central directory.
#[derive(Debug)]
pub(crate) struct Directory {
    pub(crate) records: Vec<Record>,
    /// Pairs of names that differ only by ASCII case.
    pub(crate) case_twins: Vec<(String, String)>,
}

fn u16_at(d: &[u8], off: usize) -> Option<u16> {
    let b = d.get(off..off.checked_add(2)?)?;
    Some(u16::from_le_bytes([b[0], b[1]]))
}

fn u32_at(d: &[u8], off: usize) -> Option<u32> {
    let b = d.get(off..off.checked_add(4)?)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

fn u64_at(d: &[u8], off: usize) -> Option<u64> {
    let b = d.get(off..off.checked_add(8)?)?;
    let mut a = [0u8; 8];
    a.copy_from_slice(b);
    Some(u64::from_le_bytes(a))
}

fn cd_err(offset: u64, problem: &'static str) -> PackageError {
    PackageError::CentralDirectory { offset, problem }
}

fn to_usize(v: u64, offset: u64) -> Result<usize, PackageError> {
    usize::try_from(v).map_err(|_| cd_err(offset, "offset does not fit in memory"))
}

struct Eocd {
    pos: usize,
    entries: u64,
    cd_size: u64,
    cd_offset: u64,
    /// Where the central directory must end: the zip64 record or the EOCD.
    cd_limit: usize,
}

fn find_eocd(d: &[u8]) -> Result<Eocd, PackageError> {
    if d.len() < EOCD_LEN {
        return Err(PackageError::NotAZip);
    }
    let lowest = d.len().saturating_sub(EOCD_LEN + usize::from(u16::MAX));
    let mut pos = d.len() - EOCD_LEN;
    // The last record whose comment runs exactly to the end of the file.
    let found = loop {
        if u32_at(d, pos) == Some(EOCD_SIG) {
            let comment = u16_at(d, pos + 20).map(usize::from);
            if comment == Some(d.len() - pos - EOCD_LEN) {
                break Some(pos);
            }
        }
        if pos == lowest {
            break None;
        }
        pos -= 1;
    };
    let pos = found.ok_or(PackageError::NotAZip)?;
    let at = pos as u64;
    let field16 = |o: usize| u16_at(d, pos + o).ok_or_else(|| cd_err(at, "truncated"));
    let field32 = |o: usize| u32_at(d, pos + o).ok_or_else(|| cd_err(at, "truncated"));
    let (disk, cd_disk) = (field16(4)?, field16(6)?);
    let (on_disk, total) = (field16(8)?, field16(10)?);
    let (cd_size, cd_offset) = (field32(12)?, field32(16)?);
    if total == u16::MAX || cd_size == u32::MAX || cd_offset == u32::MAX {
        return find_zip64(d, pos);
    }
    if disk != 0 || cd_disk != 0 || on_disk != total {
        return Err(PackageError::MultiDisk);
    }
    Ok(Eocd {
        pos,
        entries: u64::from(total),
        cd_size: u64::from(cd_size),
        cd_offset: u64::from(cd_offset),
        cd_limit: pos,
    })
}

fn find_zip64(d: &[u8], eocd: usize) -> Result<Eocd, PackageError> {
    let loc = eocd
        .checked_sub(20)
        .ok_or_else(|| cd_err(eocd as u64, "zip64 locator missing"))?;
    if u32_at(d, loc) != Some(ZIP64_LOCATOR_SIG) {
        return Err(cd_err(loc as u64, "zip64 locator missing"));
    }
    let trunc = || cd_err(loc as u64, "truncated zip64 locator");
    let (disk, rec, disks) = (
        u32_at(d, loc + 4).ok_or_else(trunc)?,
        u64_at(d, loc + 8).ok_or_else(trunc)?,
        u32_at(d, loc + 16).ok_or_else(trunc)?,
    );
    if disk != 0 || disks > 1 {
        return Err(PackageError::MultiDisk);
    }
    let rec = to_usize(rec, loc as u64)?;
    if rec >= loc || u32_at(d, rec) != Some(ZIP64_EOCD_SIG) {
        return Err(cd_err(rec as u64, "zip64 end of central directory missing"));
    }
    let trunc = || cd_err(rec as u64, "truncated zip64 end of central directory");
    let (rdisk, cd_disk) = (
        u32_at(d, rec + 16).ok_or_else(trunc)?,
        u32_at(d, rec + 20).ok_or_else(trunc)?,
    );
    let (on_disk, total) = (
        u64_at(d, rec + 24).ok_or_else(trunc)?,
        u64_at(d, rec + 32).ok_or_else(trunc)?,
    );
    if rdisk != 0 || cd_disk != 0 || on_disk != total {
        return Err(PackageError::MultiDisk);
    }
    Ok(Eocd {
        pos: eocd,
        entries: total,
        cd_size: u64_at(d, rec + 40).ok_or_else(trunc)?,
        cd_offset: u64_at(d, rec + 48).ok_or_else(trunc)?,
        cd_limit: rec,
    })
}

/// Apply the zip64 extended-information extra field (header 0x0001) to the values that are
/// saturated in the fixed record.
fn apply_zip64(
    extra: &[u8],
    uncompressed: &mut u64,
    compressed: &mut u64,
    local: &mut u64,
    at: u64,
) -> Result<(), PackageError> {
    let mut off = 0usize;
    while off + 4 <= extra.len() {
        let id = u16_at(extra, off).unwrap_or(0);
        let len = usize::from(u16_at(extra, off + 2).unwrap_or(0));
        let body = extra
            .get(off + 4..off + 4 + len)
            .ok_or_else(|| cd_err(at, "extra field overruns its record"))?;
        if id == 1 {
            let mut p = 0usize;
            for v in [uncompressed, compressed, local] {
                if *v == u64::from(u32::MAX) {
                    *v = u64_at(body, p).ok_or_else(|| cd_err(at, "short zip64 extra field"))?;
                    p += 8;
                }
            }
            return Ok(());
        }
        off += 4 + len;
    }
    Ok(())
}

/// Walk and check the central directory of `d`.
pub(crate) fn scan(d: &[u8], limits: &Limits) -> Result<Directory, PackageError> {
    let eocd = find_eocd(d)?;
    if eocd.entries > limits.max_entries as u64 {
        return Err(PackageError::LimitExceeded {
            limit: Limit::Entries,
            found: eocd.entries,
            max: limits.max_entries as u64,
            entry: None,
        });
    }
    let cd_start = to_usize(eocd.cd_offset, eocd.pos as u64)?;
    let cd_len = to_usize(eocd.cd_size, eocd.pos as u64)?;
    let cd_end = cd_start
        .checked_add(cd_len)
        .ok_or_else(|| cd_err(eocd.pos as u64, "size overflows"))?;
    if cd_end > eocd.cd_limit {
        if cd_end <= d.len() {
            return Err(cd_err(
                eocd.pos as u64,
                "central directory overlaps its end record",
            ));
        }
        return Err(cd_err(
            eocd.pos as u64,
            "central directory runs past the end",
        ));
    }
    if cd_end < eocd.cd_limit {
        // Bytes between the central directory and its end record: either a shifted archive
        // (data prepended) or junk. Both make offsets ambiguous.
        return Err(PackageError::PrependedData {
            len: (eocd.cd_limit - cd_end) as u64,
        });
    }

    // `entries` is bounded by the limit above, so this allocation is too.
    let mut records = Vec::with_capacity(usize::try_from(eocd.entries).unwrap_or(0));
    let mut off = cd_start;
    for _ in 0..eocd.entries {
        let at = off as u64;
        if off + CENTRAL_LEN > cd_end || u32_at(d, off) != Some(CENTRAL_SIG) {
            return Err(cd_err(at, "expected a central directory record"));
        }
        let f16 = |o: usize| u16_at(d, off + o).unwrap_or(0);
        let f32_ = |o: usize| u32_at(d, off + o).unwrap_or(0);
        let flags = f16(8);
        let method = f16(10);
        let crc32 = f32_(16);
        let mut compressed = u64::from(f32_(20));
        let mut uncompressed = u64::from(f32_(24));
        let name_len = usize::from(f16(28));
        let extra_len = usize::from(f16(30));
        let comment_len = usize::from(f16(32));
        let disk = f16(34);
        let mut local = u64::from(f32_(42));
        let name_start = off + CENTRAL_LEN;
        let extra_start = name_start + name_len;
        let next = extra_start + extra_len + comment_len;
        if next > cd_end {
            return Err(cd_err(at, "record runs past the central directory"));
        }
        let raw_name = d.get(name_start..extra_start).unwrap_or_default().to_vec();
        let extra = d
            .get(extra_start..extra_start + extra_len)
            .unwrap_or_default();
        apply_zip64(extra, &mut uncompressed, &mut compressed, &mut local, at)?;
        let lossy = String::from_utf8_lossy(&raw_name).into_owned();
        if disk != 0 && disk != u16::MAX {
            return Err(PackageError::MultiDisk);
        }
        let path = PackagePath::from_entry_name(&raw_name).map_err(|reason| {
            PackageError::UnsafeEntryName {
                name: lossy.clone(),
                reason,
            }
        })?;
        if flags & 1 != 0 {
            return Err(PackageError::Encrypted { name: lossy });
        }
        if method != 0 && method != 8 {
            return Err(PackageError::UnsupportedCompression {
                name: lossy,
                method: format!("method {method}"),
            });
        }
        if path.is_dir() && uncompressed != 0 {
            return Err(PackageError::DirectoryWithData { name: lossy });
        }
        records.push(Record {
            raw_name,
            path,
            flags,
            method,
            crc32,
            compressed,
            uncompressed,
            local_offset: local,
        });
        off = next;
    }
    if off != cd_end {
        return Err(cd_err(
            off as u64,
            "central directory size disagrees with its records",
        ));
    }

    // Names: unique, and case twins noted.
    let mut seen = HashSet::with_capacity(records.len());
    let mut folded = std::collections::HashMap::with_capacity(records.len());
    let mut case_twins = Vec::new();
    let mut total = 0u64;
    for r in &records {
        if !seen.insert(r.raw_name.as_slice()) {
            return Err(PackageError::DuplicateEntry {
                name: r.path.as_str().to_owned(),
            });
        }
        let lower = r.path.as_str().to_ascii_lowercase();
        if let Some(first) = folded.insert(lower, r.path.as_str()) {
            case_twins.push((first.to_owned(), r.path.as_str().to_owned()));
        }
        if r.uncompressed > limits.max_entry_size {
            return Err(PackageError::LimitExceeded {
                limit: Limit::EntrySize,
                found: r.uncompressed,
                max: limits.max_entry_size,
                entry: Some(r.path.as_str().to_owned()),
            });
        }
        total = total.saturating_add(r.uncompressed);
        if total > limits.max_total_size {
            return Err(PackageError::LimitExceeded {
                limit: Limit::TotalSize,
                found: total,
                max: limits.max_total_size,
                entry: None,
            });
        }
    }

    // Local headers: same name, data inside the archive, no overlaps.
    let mut spans: Vec<(u64, u64, usize)> = Vec::with_capacity(records.len());
    for (i, r) in records.iter().enumerate() {
        let lo = to_usize(r.local_offset, r.local_offset)?;
        if lo + LOCAL_LEN > cd_start || u32_at(d, lo) != Some(LOCAL_SIG) {
            return Err(cd_err(r.local_offset, "expected a local file header"));
        }
        let n = usize::from(u16_at(d, lo + 26).unwrap_or(0));
        let m = usize::from(u16_at(d, lo + 28).unwrap_or(0));
        let local_name = d
            .get(lo + LOCAL_LEN..lo + LOCAL_LEN + n)
            .unwrap_or_default();
        if local_name != r.raw_name.as_slice() {
            return Err(PackageError::LocalHeaderMismatch {
                name: r.path.as_str().to_owned(),
                local_name: String::from_utf8_lossy(local_name).into_owned(),
            });
        }
        let disagree = |field: &'static str| PackageError::LocalHeaderDisagrees {
            name: r.path.as_str().to_owned(),
            field,
        };
        let lflags = u16_at(d, lo + 6).unwrap_or(0);
        if u16_at(d, lo + 8) != Some(r.method) {
            return Err(disagree("compression method"));
        }
        if lflags & 1 != r.flags & 1 {
            return Err(disagree("encryption"));
        }
        // With a data descriptor (bit 3) the local CRC and sizes may be zero; zip64 entries
        // carry 0xFFFFFFFF there. Otherwise they must be the central ones.
        if lflags & 8 == 0 {
            let (crc, cs, us) = (
                u32_at(d, lo + 14).unwrap_or(0),
                u32_at(d, lo + 18).unwrap_or(0),
                u32_at(d, lo + 22).unwrap_or(0),
            );
            let same = |local: u32, central: u64| u64::from(local) == central || local == u32::MAX;
            if crc != r.crc32 {
                return Err(disagree("CRC-32"));
            }
            if !same(cs, r.compressed) {
                return Err(disagree("compressed size"));
            }
            if !same(us, r.uncompressed) {
                return Err(disagree("uncompressed size"));
            }
        }
        let data_end = (lo + LOCAL_LEN + n + m) as u64 + r.compressed;
        if data_end > cd_start as u64 {
            return Err(cd_err(
                r.local_offset,
                "entry data run into the central directory",
            ));
        }
        spans.push((r.local_offset, data_end, i));
    }
    spans.sort_unstable();
    if let Some(&(first, _, _)) = spans.first()
        && first != 0
    {
        return Err(PackageError::PrependedData { len: first });
    }
    for w in spans.windows(2) {
        if let [a, b] = w
            && b.0 < a.1
        {
            let name = |i: usize| {
                records
                    .get(i)
                    .map(|r| r.path.as_str().to_owned())
                    .unwrap_or_default()
            };
            return Err(PackageError::OverlappingEntries {
                first: name(a.2),
                second: name(b.2),
            });
        }
    }
    Ok(Directory {
        records,
        case_twins,
    })
}
