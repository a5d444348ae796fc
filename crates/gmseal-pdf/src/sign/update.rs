//! Serialising the incremental update (ISO 32000-1 §7.5.6): the staged objects, a
//! cross-reference section of the previous kind (table or stream) and the trailer.
//!
//! lopdf's `IncrementalDocument::save_to` is not used for this step, for three reasons, each a
//! defect or gap found in lopdf 0.47 (`shared/notes/pdf.md` §3.1):
//!
//! * **bytes before `%PDF-`**: lopdf counts new offsets from the first byte of the file while
//!   the original offsets (and lopdf's own `/Prev`) count from the header, so qpdf and others
//!   lose the chain. Here every offset written counts from the header, like the original's;
//! * **recovered cross-reference data**: when lopdf had to correct or rebuild the table, its
//!   update lists only the new objects (and omits `/Prev` after a rebuild), so strict readers
//!   cannot reach the page tree. Here such an update carries a *complete* section: every
//!   object at the position lopdf found for it;
//! * the signer needs the exact positions of the `/ByteRange` and `/Contents` placeholders,
//!   which `save_to` does not report (searching the output for them is fragile).
//!
//! Object bodies are still written by lopdf's `Writer::write_object`, and encrypted with
//! `lopdf::encryption::encrypt_object` (which leaves a signature's `/Contents` in clear, as
//! ISO 32000-1 §7.6.2 requires).

use core::ops::Range;
use std::collections::BTreeMap;
use std::io::Write;

use lopdf::xref::{XrefEntry, XrefType};
use lopdf::{Dictionary, IncrementalDocument, Object, ObjectId, Stream};

use crate::byte_range;
use crate::error::{Error, Result};

/// The serialised update and where its placeholders are.
#[derive(Debug)]
pub(super) struct Update {
    /// The bytes to append after the original file.
    pub(super) bytes: Vec<u8>,
    /// The `/ByteRange` array placeholder, within `bytes`.
    pub(super) byte_range: Range<usize>,
    /// The `/Contents` hex string, delimiters included, within `bytes`.
    pub(super) contents: Range<usize>,
}

/// Trailer keys that belong to the previous section only (or to a cross-reference stream's own
/// dictionary) and are not carried over.
const SECTION_KEYS: &[&[u8]] = &[
    b"Type",
    b"W",
    b"Index",
    b"Length",
    b"Filter",
    b"DecodeParms",
    b"XRefStm",
    b"Size",
    b"F",
    b"FFilter",
    b"FDecodeParms",
    b"DL",
    b"Prev",
];

/// Serialise the staged update of `inc`. `header` is where `%PDF-` starts in the previous
/// bytes: offsets count from there.
pub(super) fn write(inc: &IncrementalDocument, sig: ObjectId, header: usize) -> Result<Update> {
    let prev = inc.get_prev_documents();
    let body = inc
        .get_prev_documents_bytes()
        .get(header..)
        .unwrap_or_default();
    // The offset the first byte of the update will have.
    let base = body.len();
    let new = &inc.new_document;
    let mut out: Vec<u8> = Vec::with_capacity(64 * 1024);
    if inc.get_prev_documents_bytes().last() != Some(&b'\n') {
        out.push(b'\n');
    }
    let mut offsets: BTreeMap<u32, (u64, u16)> = BTreeMap::new();
    let mut placeholders = None;
    let state = prev.encryption_state.as_ref();
    for (&(id, generation), object) in &new.objects {
        let at = (base + out.len()) as u64;
        offsets.insert(id, (at, generation));
        let mut body = Vec::new();
        match state {
            Some(state) => {
                let mut enc = object.clone();
                lopdf::encryption::encrypt_object(state, (id, generation), &mut enc)
                    .map_err(|e| Error::Write(lopdf::Error::Decryption(e)))?;
                lopdf::Writer::write_object(&mut body, &enc).map_err(io)?;
            }
            None => lopdf::Writer::write_object(&mut body, object).map_err(io)?,
        }
        writeln!(out, "{id} {generation} obj")?;
        if lopdf::Writer::need_separator(object) {
            out.push(b' ');
        }
        let start = out.len();
        out.extend_from_slice(&body);
        if (id, generation) == sig {
            placeholders = Some(locate_placeholders(&body, start)?);
        }
        out.extend_from_slice(b"\nendobj\n");
    }
    let (byte_range, contents) = placeholders.ok_or(Error::Placeholder { found: 0 })?;

    // The cross-reference entries: the new objects, plus every object of the document when
    // lopdf had to recover the previous table.
    let entries = super::repair::corrected_entries(
        body,
        &prev.reference_table.entries,
        prev.xref_recovery.is_some(),
    )
    .unwrap_or_default();
    let mut max_id = prev.max_id.max(new.max_id);
    let xref_at = (base + out.len()) as u64;
    let mut trailer = Dictionary::new();
    for (k, v) in new.trailer.iter() {
        if !SECTION_KEYS.contains(&k.as_slice()) {
            trailer.set(k.clone(), v.clone());
        }
    }
    if let Ok(Object::Integer(p)) = new.trailer.get(b"Prev") {
        if *p > 0 {
            trailer.set("Prev", *p);
        }
    }
    if let Some(state) = state {
        let id = state
            .encrypt_object_id()
            .ok_or(Error::UnsupportedEncryption(
                "the /Encrypt object id is unknown".into(),
            ))?;
        trailer.set("Encrypt", Object::Reference(id));
    }
    let compressed = entries
        .values()
        .any(|e| matches!(e, XrefEntry::Compressed { .. }));
    let as_stream = compressed
        || matches!(
            prev.reference_table.cross_reference_type,
            XrefType::CrossReferenceStream
        );
    let too_far = |o: u64| o > u64::from(u32::MAX);
    if as_stream {
        let stream_id = max_id.checked_add(1).ok_or(Error::LimitExceeded {
            what: "object numbers",
            limit: u64::from(u32::MAX),
        })?;
        max_id = stream_id;
        let mut rows: BTreeMap<u32, (u8, u64, u16)> = BTreeMap::new();
        for (id, e) in &entries {
            match e {
                XrefEntry::Normal { offset, generation } => {
                    rows.insert(*id, (1, u64::from(*offset), *generation));
                }
                XrefEntry::Compressed { container, index } => {
                    rows.insert(*id, (2, u64::from(*container), *index));
                }
                _ => {}
            }
        }
        for (id, (o, g)) in &offsets {
            rows.insert(*id, (1, *o, *g));
        }
        rows.insert(stream_id, (1, xref_at, 0));
        let mut data = Vec::with_capacity(rows.len() * 8);
        let mut index = Vec::new();
        let mut run: Option<(u32, i64)> = None;
        for (id, (t, f2, f3)) in &rows {
            if too_far(*f2) {
                return Err(Error::LimitExceeded {
                    what: "file offset in a cross-reference stream",
                    limit: u64::from(u32::MAX),
                });
            }
            data.push(*t);
            data.extend_from_slice(&(*f2 as u32).to_be_bytes());
            data.extend_from_slice(&f3.to_be_bytes());
            run = match run {
                Some((start, n)) if i64::from(start) + n == i64::from(*id) => Some((start, n + 1)),
                Some((start, n)) => {
                    index.push(Object::Integer(i64::from(start)));
                    index.push(Object::Integer(n));
                    Some((*id, 1))
                }
                None => Some((*id, 1)),
            };
        }
        if let Some((start, n)) = run {
            index.push(Object::Integer(i64::from(start)));
            index.push(Object::Integer(n));
        }
        let mut dict = trailer;
        dict.set("Type", Object::Name(b"XRef".to_vec()));
        dict.set("Size", i64::from(max_id) + 1);
        dict.set("Index", Object::Array(index));
        dict.set("W", Object::Array(vec![1.into(), 4.into(), 2.into()]));
        let mut stream = Stream::new(dict, data);
        stream.compress().map_err(Error::Write)?;
        writeln!(out, "{stream_id} 0 obj")?;
        lopdf::Writer::write_object(&mut out, &Object::Stream(stream)).map_err(io)?;
        out.extend_from_slice(b"\nendobj\n");
    } else {
        out.extend_from_slice(b"xref\n");
        // Object 0 heads the free list (ISO 32000-1 §7.5.4).
        let mut rows: BTreeMap<u32, (u64, u16)> = BTreeMap::new();
        rows.insert(0, (0, 65535));
        for (id, e) in &entries {
            if let XrefEntry::Normal { offset, generation } = e {
                rows.insert(*id, (u64::from(*offset), *generation));
            }
        }
        rows.extend(offsets.iter().map(|(k, v)| (*k, *v)));
        let mut subsections: Vec<(u32, Vec<(u64, u16)>)> = Vec::new();
        for (id, v) in rows {
            match subsections.last_mut() {
                Some((start, items)) if u64::from(*start) + items.len() as u64 == u64::from(id) => {
                    items.push(v);
                }
                _ => subsections.push((id, vec![v])),
            }
        }
        for (start, items) in &subsections {
            writeln!(out, "{start} {}", items.len())?;
            for (i, (o, g)) in items.iter().enumerate() {
                let kind = if *start == 0 && i == 0 { 'f' } else { 'n' };
                if *o > byte_range::MAX_FILE_LEN {
                    return Err(Error::LimitExceeded {
                        what: "file offset in a cross-reference table",
                        limit: byte_range::MAX_FILE_LEN,
                    });
                }
                write!(out, "{o:010} {g:05} {kind}\r\n")?;
            }
        }
        trailer.set("Size", i64::from(max_id) + 1);
        out.extend_from_slice(b"trailer\n");
        lopdf::Writer::write_object(&mut out, &Object::Dictionary(trailer)).map_err(io)?;
        out.push(b'\n');
    }
    write!(out, "startxref\n{xref_at}\n%%EOF\n")?;
    Ok(Update {
        bytes: out,
        byte_range,
        contents,
    })
}

fn io(e: std::io::Error) -> Error {
    Error::Io(e)
}

/// Find the `/ByteRange` placeholder and the `/Contents` hex string in the serialised signature
/// dictionary `body` (which starts at `start` in the update).
fn locate_placeholders(body: &[u8], start: usize) -> Result<(Range<usize>, Range<usize>)> {
    let hits: Vec<usize> = body
        .windows(byte_range::PLACEHOLDER.len())
        .enumerate()
        .filter(|(_, w)| *w == byte_range::PLACEHOLDER)
        .map(|(i, _)| i)
        .collect();
    let [br] = hits.as_slice() else {
        return Err(Error::Placeholder { found: hits.len() });
    };
    let after = br + byte_range::PLACEHOLDER.len();
    let rest = body.get(after..).unwrap_or_default();
    const KEY: &[u8] = b"/Contents<";
    if !rest.starts_with(KEY) {
        return Err(Error::Placeholder { found: 0 });
    }
    let open = after + KEY.len() - 1;
    let close = body
        .get(open..)
        .and_then(|r| r.iter().position(|&b| b == b'>'))
        .map(|p| open + p)
        .ok_or(Error::Placeholder { found: 0 })?;
    Ok((start + br..start + after, start + open..start + close + 1))
}
