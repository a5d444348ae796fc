//! Cross-reference sections (ISO 32000-1 §7.5.4 tables, §7.5.8 streams, §7.5.8.4 hybrid files)
//! and their grouping into revisions.

use std::collections::{HashMap, HashSet};
use std::io::{Read, Seek};

use lopdf::{Dictionary, Object, Stream};

use super::lexer::ParseError;
use super::{MAX_SECTIONS, Reader, Revision, Section};
use crate::error::{Error, Result};

/// One cross-reference entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Entry {
    /// Free (deleted).
    Free,
    /// At a byte offset (from the header).
    InUse {
        /// Offset.
        offset: u64,
        /// Generation.
        generation: u16,
    },
    /// In an object stream.
    Compressed {
        /// The object stream's number.
        stream: u32,
        /// Index in it.
        index: u32,
    },
}

/// Largest cross-reference table read (bytes).
const MAX_TABLE_WINDOW: usize = 64 << 20;
/// Entries per section.
const MAX_ENTRIES: u64 = 10_000_000;

/// The offset the last `startxref` gives.
pub(super) fn find_startxref<R: Read + Seek>(r: &mut Reader<R>) -> Result<u64> {
    let mut tail = 2048u64;
    loop {
        let from = r.len.saturating_sub(tail);
        let buf = r.read_at(from, tail as usize)?;
        if let Some(i) = buf.windows(9).rposition(|w| w == b"startxref") {
            let rest = buf.get(i + 9..).unwrap_or_default();
            let digits: Vec<u8> = rest
                .iter()
                .skip_while(|c| c.is_ascii_whitespace())
                .take_while(|c| c.is_ascii_digit())
                .copied()
                .collect();
            if digits.is_empty() || digits.len() > 15 {
                return Err(Error::Malformed {
                    what: "startxref without an offset",
                    offset: Some(from + i as u64),
                });
            }
            return Ok(digits
                .iter()
                .fold(0u64, |a, &c| a * 10 + u64::from(c - b'0')));
        }
        if from == 0 || tail >= 1 << 24 {
            return Err(Error::Malformed {
                what: "no startxref",
                offset: None,
            });
        }
        tail *= 8;
    }
}

/// Follow the chain from `start`, read every section and group them into revisions.
pub(super) fn read_chain<R: Read + Seek>(r: &mut Reader<R>, start: u64) -> Result<()> {
    let mut seen = HashSet::new();
    let mut next = Some(start);
    let mut newest_first: Vec<Section> = Vec::new();
    while let Some(offset) = next.take() {
        if newest_first.len() >= MAX_SECTIONS || !seen.insert(offset) {
            r.notes
                .push("cross-reference chain loops or is too long".into());
            break;
        }
        let section = match read_section(r, offset) {
            Ok(s) => s,
            Err(e) if newest_first.is_empty() => return Err(e),
            Err(e) => {
                r.notes.push(format!(
                    "an older cross-reference section is unreadable: {e}"
                ));
                break;
            }
        };
        next = section
            .trailer
            .get(b"Prev")
            .and_then(Object::as_i64)
            .ok()
            .and_then(|p| u64::try_from(p).ok());
        newest_first.push(section);
    }
    // Oldest first; a section located before the end of the previous revision belongs to it
    // (a linearized file's first-page section), otherwise it starts a new revision.
    newest_first.reverse();
    let mut sections = newest_first;
    let mut revisions: Vec<Revision> = Vec::new();
    for (i, s) in sections.iter_mut().enumerate() {
        match revisions.last_mut() {
            Some(last) if s.pos < last.end => {
                last.sections.insert(0, i);
                last.end = last.end.max(s.end);
                s.revision = revisions.len() - 1;
            }
            _ => {
                let start = revisions.last().map_or(0, |l| l.end);
                s.revision = revisions.len();
                revisions.push(Revision {
                    sections: vec![i],
                    end: s.end,
                    start,
                });
            }
        }
    }
    r.sections = sections;
    r.revisions = revisions;
    Ok(())
}

/// Read the section at `offset` (a table or a stream).
fn read_section<R: Read + Seek>(r: &mut Reader<R>, offset: u64) -> Result<Section> {
    let mut pos = r.file_pos(offset);
    let mut looks = r.read_at(pos, 32)?;
    if r.header > 0 && !starts_section(&looks) {
        let alt = r.read_at(offset, 32)?;
        if starts_section(&alt) {
            r.notes.push(
                "cross-reference offsets count from the start of the file, not the header".into(),
            );
            pos = offset;
            looks = alt;
        }
    }
    let skip = looks.iter().take_while(|c| c.is_ascii_whitespace()).count();
    if looks.get(skip..skip + 4) == Some(b"xref") {
        read_table(r, pos + skip as u64)
    } else {
        read_stream_section(r, pos)
    }
}

fn starts_section(b: &[u8]) -> bool {
    let skip = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    let b = b.get(skip..).unwrap_or_default();
    b.starts_with(b"xref") || b.first().is_some_and(u8::is_ascii_digit)
}

/// A classic table and its trailer.
fn read_table<R: Read + Seek>(r: &mut Reader<R>, pos: u64) -> Result<Section> {
    let parsed = r.with_window(pos, MAX_TABLE_WINDOW, |p| {
        p.expect_keyword(b"xref")?;
        let mut entries = HashMap::new();
        loop {
            let save = p.pos();
            p.skip_ws();
            let kw = p.keyword()?;
            if kw == b"trailer" {
                break;
            }
            p.set_pos(save);
            let first = p.unsigned()?;
            let count = p.unsigned()?;
            if count > MAX_ENTRIES || first > u64::from(u32::MAX) {
                return Err(ParseError::Invalid(
                    "cross-reference subsection too large",
                    p.pos(),
                ));
            }
            for i in 0..count {
                let off = p.unsigned()?;
                let generation = p.unsigned()?;
                let kind = p.keyword()?;
                let id = u32::try_from(first + i)
                    .map_err(|_| ParseError::Invalid("object number out of range", p.pos()))?;
                let e = match kind {
                    b"n" => Entry::InUse {
                        offset: off,
                        generation: u16::try_from(generation).unwrap_or(u16::MAX),
                    },
                    b"f" => Entry::Free,
                    _ => return Err(ParseError::Invalid("bad cross-reference entry", p.pos())),
                };
                // The first entry for a number in a section wins.
                entries.entry(id).or_insert(e);
            }
        }
        let trailer = match p.object()? {
            Object::Dictionary(d) => d,
            _ => return Err(ParseError::Invalid("trailer is not a dictionary", p.pos())),
        };
        Ok((entries, trailer, p.pos()))
    });
    let (mut entries, trailer, after) =
        parsed.map_err(|e| e.into_error("cross-reference table"))?;
    // Hybrid file: the stream's entries fill what the table leaves free or absent.
    if let Some(stm) = trailer
        .get(b"XRefStm")
        .and_then(Object::as_i64)
        .ok()
        .and_then(|o| u64::try_from(o).ok())
    {
        let at = r.file_pos(stm);
        match read_stream_section(r, at) {
            Ok(s) => {
                for (id, e) in s.entries {
                    match entries.get(&id) {
                        Some(Entry::InUse { .. }) => {}
                        _ => {
                            entries.insert(id, e);
                        }
                    }
                }
            }
            Err(e) => r.notes.push(format!("unreadable /XRefStm: {e}")),
        }
    }
    let end = revision_end(r, pos + after as u64)?;
    Ok(Section {
        pos,
        end,
        trailer,
        entries,
        revision: 0,
    })
}

/// A cross-reference stream (ISO 32000-1 §7.5.8).
fn read_stream_section<R: Read + Seek>(r: &mut Reader<R>, pos: u64) -> Result<Section> {
    let parsed = r.with_window(pos, 1 << 20, |p| {
        let header = p.object_header()?;
        let obj = p.object()?;
        let data = p.stream_start()?;
        Ok((header, obj, data))
    });
    let (_, obj, data) = parsed.map_err(|e| e.into_error("cross-reference stream"))?;
    let (Object::Dictionary(dict), Some(data_rel)) = (obj, data) else {
        return Err(Error::Malformed {
            what: "cross-reference section is neither a table nor a stream",
            offset: Some(pos),
        });
    };
    if dict.get(b"Type").and_then(Object::as_name).ok() != Some(b"XRef") {
        return Err(Error::Malformed {
            what: "cross-reference stream without /Type /XRef",
            offset: Some(pos),
        });
    }
    let length = dict
        .get(b"Length")
        .and_then(Object::as_i64)
        .ok()
        .and_then(|n| usize::try_from(n).ok())
        .filter(|&n| n <= super::MAX_DECODED_STREAM)
        .ok_or(Error::Malformed {
            what: "cross-reference stream without a direct /Length",
            offset: Some(pos),
        })?;
    let data_start = pos + data_rel as u64;
    let content = r.read_at(data_start, length)?;
    if content.len() != length {
        return Err(Error::Malformed {
            what: "cross-reference stream runs past the end of the file",
            offset: Some(pos),
        });
    }
    let entries = decode_stream_entries(&dict, content)?;
    let data_end = data_start + length as u64;
    let mut end_obj = data_end;
    for kw in [&b"endstream"[..], b"endobj"] {
        let buf = r.read_at(end_obj, 64)?;
        let skip = buf.iter().take_while(|c| c.is_ascii_whitespace()).count();
        if buf.get(skip..skip + kw.len()) == Some(kw) {
            end_obj += (skip + kw.len()) as u64;
        }
    }
    let end = revision_end(r, end_obj)?;
    Ok(Section {
        pos,
        end,
        trailer: dict,
        entries,
        revision: 0,
    })
}

/// Decode the rows of a cross-reference stream.
fn decode_stream_entries(dict: &Dictionary, content: Vec<u8>) -> Result<HashMap<u32, Entry>> {
    let bad = |what| Error::Malformed { what, offset: None };
    let stream = Stream::new(dict.clone(), content);
    let data = if stream.dict.get(b"Filter").is_ok() {
        stream
            .decompressed_content_with_limit(super::MAX_DECODED_STREAM)
            .map_err(|_| bad("cross-reference stream does not decode"))?
    } else {
        stream.content
    };
    let w: Vec<usize> = dict
        .get(b"W")
        .and_then(Object::as_array)
        .map_err(|_| bad("cross-reference stream without /W"))?
        .iter()
        .map(|o| {
            o.as_i64()
                .ok()
                .and_then(|v| usize::try_from(v).ok())
                .filter(|&v| v <= 8)
        })
        .collect::<Option<_>>()
        .ok_or(bad("bad /W"))?;
    let [w0, w1, w2] = w.as_slice() else {
        return Err(bad("bad /W"));
    };
    let (w0, w1, w2) = (*w0, *w1, *w2);
    let row = w0 + w1 + w2;
    if row == 0 {
        return Err(bad("bad /W"));
    }
    let size = dict.get(b"Size").and_then(Object::as_i64).unwrap_or(0);
    let index: Vec<i64> = match dict.get(b"Index").and_then(Object::as_array) {
        Ok(a) => a.iter().map(|o| o.as_i64().unwrap_or(-1)).collect(),
        Err(_) => vec![0, size],
    };
    let field = |b: &[u8]| b.iter().fold(0u64, |a, &c| a << 8 | u64::from(c));
    let mut entries = HashMap::new();
    let mut rows = data.chunks_exact(row);
    for pair in index.chunks(2) {
        let [first, count] = pair else { break };
        let (Ok(first), Ok(count)) = (u64::try_from(*first), u64::try_from(*count)) else {
            return Err(bad("bad /Index"));
        };
        if count > MAX_ENTRIES {
            return Err(bad("cross-reference stream too large"));
        }
        for i in 0..count {
            let Some(r) = rows.next() else { break };
            let t = if w0 == 0 { 1 } else { field(&r[..w0]) };
            let f2 = field(&r[w0..w0 + w1]);
            let f3 = field(&r[w0 + w1..]);
            let Ok(id) = u32::try_from(first + i) else {
                break;
            };
            let e = match t {
                0 => Entry::Free,
                1 => Entry::InUse {
                    offset: f2,
                    generation: u16::try_from(f3).unwrap_or(u16::MAX),
                },
                2 => Entry::Compressed {
                    stream: u32::try_from(f2).map_err(|_| bad("object stream number"))?,
                    index: u32::try_from(f3).map_err(|_| bad("object stream index"))?,
                },
                // Unknown types are references to the null object (§7.5.8.3).
                _ => continue,
            };
            entries.entry(id).or_insert(e);
        }
    }
    Ok(entries)
}

/// After a section: `startxref N %%EOF` and its end-of-line; the position after them (or
/// `pos` when they are not there).
fn revision_end<R: Read + Seek>(r: &mut Reader<R>, pos: u64) -> Result<u64> {
    let buf = r.read_at(pos, 256)?;
    let Some(i) = buf.windows(5).position(|w| w == b"%%EOF") else {
        return Ok(pos);
    };
    // Only white space and `startxref N` may come between.
    let between = buf.get(..i).unwrap_or_default();
    let ok = between
        .split(|c| c.is_ascii_whitespace())
        .filter(|t| !t.is_empty())
        .all(|t| t == b"startxref" || t.iter().all(u8::is_ascii_digit));
    if !ok {
        return Ok(pos);
    }
    let mut end = i + 5;
    match (buf.get(end), buf.get(end + 1)) {
        (Some(b'\r'), Some(b'\n')) => end += 2,
        (Some(b'\r' | b'\n'), _) => end += 1,
        _ => {}
    }
    Ok(pos + end as u64)
}
