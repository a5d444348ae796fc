//! The verifier's reader: lazy, revision-aware, bounded.
//!
//! It reads a PDF from any `Read + Seek` without loading it: the cross-reference sections are
//! followed from `startxref` through `/Prev` (tables, streams and hybrid files, ISO 32000-1
//! §7.5.4–§7.5.8), grouped into revisions (the original file and each incremental update), and
//! objects are parsed only when asked for, as of any revision. That is what the byte-range and
//! modification checks need, and it keeps memory independent of the file size.
//!
//! Offsets count from the `%PDF-` header (files with leading bytes are read like lopdf and
//! qpdf read them), falling back to the absolute position. Encrypted files are decrypted with
//! lopdf's security handler.

pub(crate) mod lexer;
mod xref;

use core::ops::Range;
use std::collections::{HashMap, HashSet};
use std::io::{Read, Seek, SeekFrom};
use std::rc::Rc;

use lopdf::{Dictionary, Object, ObjectId, Stream};

use crate::error::{Error, Result};
use lexer::{ParseError, Parser};
pub(crate) use xref::Entry;

/// Largest window read to parse one object (dictionaries, not stream data).
const MAX_OBJECT_WINDOW: usize = 16 << 20;
/// Largest decoded object or cross-reference stream.
const MAX_DECODED_STREAM: usize = 64 << 20;
/// Cross-reference sections followed.
const MAX_SECTIONS: usize = 4096;
/// Objects loaded per reader (work budget against hostile files).
const MAX_LOADS: usize = 200_000;
/// Object streams kept decoded.
const OBJSTM_CACHE: usize = 16;

/// A cross-reference section as read.
#[derive(Debug)]
pub(crate) struct Section {
    /// File position of the section (`xref` keyword or the stream object).
    pub(crate) pos: u64,
    /// Where its revision's bytes end (after `%%EOF` and its end-of-line), as far as found.
    pub(crate) end: u64,
    /// The trailer (or the cross-reference stream's dictionary).
    pub(crate) trailer: Dictionary,
    /// Its entries (a hybrid file's `/XRefStm` entries merged in).
    pub(crate) entries: HashMap<u32, Entry>,
    /// The revision it belongs to.
    pub(crate) revision: usize,
}

/// A revision: the original document or one incremental update.
#[derive(Debug, Clone)]
pub(crate) struct Revision {
    /// Its sections (indices into `sections`), newest first.
    pub(crate) sections: Vec<usize>,
    /// Where its bytes end.
    pub(crate) end: u64,
    /// Where its bytes start (the previous revision's end).
    pub(crate) start: u64,
}

/// An object as loaded.
#[derive(Debug, Clone)]
pub(crate) struct Loaded {
    /// The object (a stream comes without its data).
    pub(crate) obj: Object,
    /// File position of `N G obj`, for an object not in an object stream.
    pub(crate) pos: Option<u64>,
    /// Where the object ends (after `endobj` when found).
    pub(crate) end: u64,
    /// The object stream holding it.
    pub(crate) container: Option<u32>,
    /// Positions of `/Contents` and `/ByteRange` values: key, depth, file range.
    pub(crate) spans: Vec<(&'static [u8], usize, Range<u64>)>,
    /// A stream's data: file range (undecoded).
    pub(crate) data: Option<Range<u64>>,
}

/// The lazy reader.
pub(crate) struct Reader<R> {
    src: R,
    pub(crate) len: u64,
    pub(crate) header: u64,
    pub(crate) sections: Vec<Section>,
    pub(crate) revisions: Vec<Revision>,
    crypt: Option<(lopdf::EncryptionState, Option<ObjectId>)>,
    objstm: Vec<((u32, u64), Rc<ObjStm>)>,
    loads: usize,
    /// Deviations met while reading (offsets from the file start, broken `/Prev`, ...).
    pub(crate) notes: Vec<String>,
}

/// A decoded object stream.
#[derive(Debug)]
struct ObjStm {
    data: Vec<u8>,
    /// `(object number, offset in data)` in order.
    index: Vec<(u32, usize)>,
}

impl<R: Read + Seek> Reader<R> {
    /// Open: header, cross-reference chain, revisions, encryption.
    pub(crate) fn open(mut src: R, password: Option<&str>) -> Result<Self> {
        let len = src.seek(SeekFrom::End(0))?;
        let mut r = Reader {
            src,
            len,
            header: 0,
            sections: Vec::new(),
            revisions: Vec::new(),
            crypt: None,
            objstm: Vec::new(),
            loads: 0,
            notes: Vec::new(),
        };
        let head = r.read_at(0, 1024)?;
        r.header = head
            .windows(5)
            .position(|w| w == b"%PDF-")
            .ok_or(Error::NotAPdf)? as u64;
        if r.header > 0 {
            r.notes
                .push(format!("{} bytes before the %PDF- header", r.header));
        }
        let start = xref::find_startxref(&mut r)?;
        xref::read_chain(&mut r, start)?;
        r.setup_encryption(password)?;
        Ok(r)
    }

    /// The underlying source (for sequential passes).
    pub(crate) fn src_mut(&mut self) -> &mut R {
        &mut self.src
    }

    /// Read up to `max` bytes at `pos`.
    pub(crate) fn read_at(&mut self, pos: u64, max: usize) -> Result<Vec<u8>> {
        if pos >= self.len {
            return Ok(Vec::new());
        }
        let n = usize::try_from((self.len - pos).min(max as u64)).unwrap_or(max);
        let mut buf = vec![0u8; n];
        self.src.seek(SeekFrom::Start(pos))?;
        self.src.read_exact(&mut buf)?;
        Ok(buf)
    }

    /// Run `f` on a window of the file at `pos`, growing the window while `f` needs more.
    pub(crate) fn with_window<T>(
        &mut self,
        pos: u64,
        max: usize,
        mut f: impl FnMut(&mut Parser<'_>) -> core::result::Result<T, ParseError>,
    ) -> core::result::Result<T, WindowError> {
        let mut size = 4096usize;
        loop {
            let buf = self.read_at(pos, size).map_err(WindowError::Io)?;
            let complete = pos + buf.len() as u64 >= self.len;
            let mut p = Parser::new(&buf, 0, complete);
            match f(&mut p) {
                Ok(v) => return Ok(v),
                Err(ParseError::Incomplete) if !complete && size < max => {
                    size = (size * 8).min(max);
                }
                Err(ParseError::Incomplete) => return Err(WindowError::TooLarge),
                Err(ParseError::Invalid(what, at)) => {
                    return Err(WindowError::Invalid(what, pos + at as u64));
                }
            }
        }
    }

    /// The file position of an offset from a cross-reference entry or `startxref`.
    pub(crate) fn file_pos(&self, offset: u64) -> u64 {
        self.header.saturating_add(offset)
    }

    /// The entry for `id` as of revision `rev`.
    pub(crate) fn entry(&self, id: u32, rev: usize) -> Option<(Entry, usize)> {
        for r in (0..=rev.min(self.revisions.len().saturating_sub(1))).rev() {
            let revision = self.revisions.get(r)?;
            for &s in &revision.sections {
                if let Some(e) = self.sections.get(s).and_then(|s| s.entries.get(&id)) {
                    return Some((*e, r));
                }
            }
        }
        None
    }

    /// A trailer key as of revision `rev` (newest section that has it).
    pub(crate) fn trailer_value(&self, key: &[u8], rev: usize) -> Option<Object> {
        for r in (0..=rev.min(self.revisions.len().saturating_sub(1))).rev() {
            for &s in &self.revisions.get(r)?.sections {
                if let Ok(v) = self.sections.get(s)?.trailer.get(key) {
                    return Some(v.clone());
                }
            }
        }
        None
    }

    /// The newest revision.
    pub(crate) fn last_revision(&self) -> usize {
        self.revisions.len().saturating_sub(1)
    }

    /// Load object `id` as of revision `rev`.
    pub(crate) fn load(&mut self, id: ObjectId, rev: usize) -> Result<Loaded> {
        let (entry, _) = self.entry(id.0, rev).ok_or(Error::Malformed {
            what: "object not in the cross-reference data",
            offset: None,
        })?;
        self.load_entry(id, entry, rev, 0)
    }

    /// Load the object an entry points at.
    pub(crate) fn load_entry(
        &mut self,
        id: ObjectId,
        entry: Entry,
        rev: usize,
        depth: usize,
    ) -> Result<Loaded> {
        self.loads += 1;
        if self.loads > MAX_LOADS || depth > 8 {
            return Err(Error::LimitExceeded {
                what: "objects loaded",
                limit: MAX_LOADS as u64,
            });
        }
        let mut loaded = match entry {
            Entry::Free => {
                return Err(Error::Malformed {
                    what: "object is free",
                    offset: None,
                });
            }
            Entry::InUse { offset, generation } => {
                let at = self.file_pos(offset);
                match self.load_at(at, (id.0, generation), rev, depth) {
                    Ok(l) => l,
                    Err(e) if self.header > 0 => {
                        // Offsets from the first byte of the file rather than the header.
                        self.load_at(offset, (id.0, generation), rev, depth)
                            .map_err(|_| e)?
                    }
                    Err(e) => return Err(e),
                }
            }
            Entry::Compressed { stream, index } => {
                self.load_compressed(id.0, stream, index, rev, depth)?
            }
        };
        if loaded.container.is_none() {
            self.decrypt((id.0, entry_generation(entry)), &mut loaded.obj);
        }
        Ok(loaded)
    }

    /// Parse the indirect object at file position `at`, which must be `expected`.
    fn load_at(&mut self, at: u64, expected: ObjectId, rev: usize, depth: usize) -> Result<Loaded> {
        let parsed = self.with_window(at, MAX_OBJECT_WINDOW, |p| {
            let header = p.object_header()?;
            let obj = p.object()?;
            let stream = match obj {
                Object::Dictionary(_) => p.stream_start()?,
                _ => None,
            };
            let after = p.pos();
            let spans = core::mem::take(&mut p.spans);
            Ok((header, obj, stream, after, spans))
        });
        let (header, obj, stream, after, spans) = parsed.map_err(|e| e.into_error("object"))?;
        if header != expected {
            return Err(Error::Malformed {
                what: "object header does not match the cross-reference entry",
                offset: Some(at),
            });
        }
        let spans = spans
            .into_iter()
            .map(|(k, d, r)| (k, d, at + r.start as u64..at + r.end as u64))
            .collect();
        let mut end = at + after as u64;
        let (obj, data) = match (obj, stream) {
            (Object::Dictionary(dict), Some(data_rel)) => {
                let data_start = at + data_rel as u64;
                let length = match dict.get(b"Length") {
                    Ok(Object::Integer(n)) => u64::try_from(*n).ok(),
                    Ok(Object::Reference(lid)) => {
                        let lid = *lid;
                        self.entry(lid.0, rev)
                            .and_then(|(e, _)| self.load_entry(lid, e, rev, depth + 1).ok())
                            .and_then(|l| l.obj.as_i64().ok())
                            .and_then(|n| u64::try_from(n).ok())
                    }
                    _ => None,
                };
                let length = match length {
                    Some(n) if data_start + n <= self.len => n,
                    _ => self.find_endstream(data_start)?,
                };
                let data_end = data_start + length;
                end = self.after_endobj(data_end).unwrap_or(data_end);
                (
                    Object::Stream(Stream::new(dict, Vec::new()).with_compression(false)),
                    Some(data_start..data_end),
                )
            }
            (obj, _) => {
                if let Some(e) = self.after_keyword(end, b"endobj") {
                    end = e;
                }
                (obj, None)
            }
        };
        Ok(Loaded {
            obj,
            pos: Some(at),
            end,
            container: None,
            spans,
            data,
        })
    }

    /// Position after `kw` if it follows `pos` (after white space).
    fn after_keyword(&mut self, pos: u64, kw: &[u8]) -> Option<u64> {
        let buf = self.read_at(pos, 64).ok()?;
        let skip = buf.iter().take_while(|&&c| lexer::is_white(c)).count();
        buf.get(skip..skip + kw.len())
            .filter(|w| *w == kw)
            .map(|_| pos + (skip + kw.len()) as u64)
    }

    fn after_endobj(&mut self, data_end: u64) -> Option<u64> {
        let e = self.after_keyword(data_end, b"endstream")?;
        Some(self.after_keyword(e, b"endobj").unwrap_or(e))
    }

    /// A stream whose `/Length` is unusable: the data ends before `endstream`.
    fn find_endstream(&mut self, start: u64) -> Result<u64> {
        let mut pos = start;
        loop {
            let chunk = self.read_at(pos, 1 << 20)?;
            // Fewer than 9 bytes left cannot hold `endstream`: stop (advancing by
            // `len - 8` would not move at all).
            if chunk.len() < b"endstream".len() || pos - start > MAX_DECODED_STREAM as u64 {
                return Err(Error::Malformed {
                    what: "stream without endstream",
                    offset: Some(start),
                });
            }
            if let Some(i) = chunk.windows(9).position(|w| w == b"endstream") {
                let mut end = pos + i as u64;
                // The end-of-line before endstream is not data.
                let before = self.read_at(end.saturating_sub(2), 2)?;
                if before.ends_with(b"\r\n") {
                    end -= 2;
                } else if before.ends_with(b"\n") || before.ends_with(b"\r") {
                    end -= 1;
                }
                self.notes
                    .push(format!("stream at byte {start} has a wrong /Length"));
                return Ok(end.max(start));
            }
            pos += chunk.len().saturating_sub(8) as u64;
        }
    }

    /// A stream's data, decrypted (not decoded).
    pub(crate) fn stream_data(
        &mut self,
        id: ObjectId,
        loaded: &Loaded,
        max: usize,
    ) -> Result<Vec<u8>> {
        let Some(range) = loaded.data.clone() else {
            return Ok(Vec::new());
        };
        let n = range.end - range.start;
        if n > max as u64 {
            return Err(Error::LimitExceeded {
                what: "stream size",
                limit: max as u64,
            });
        }
        let data = self.read_at(range.start, n as usize)?;
        Ok(match (&self.crypt, loaded.container) {
            (Some((state, enc_id)), None) if Some(id) != *enc_id => {
                let mut s = Object::Stream(
                    Stream::new(Dictionary::new(), data.clone()).with_compression(false),
                );
                match lopdf::encryption::decrypt_object(state, id, &mut s) {
                    Ok(()) => match s {
                        Object::Stream(s) => s.content,
                        _ => data,
                    },
                    Err(_) => data,
                }
            }
            _ => data,
        })
    }

    /// A stream's data, decrypted and decoded (filters applied).
    pub(crate) fn decoded(&mut self, id: ObjectId, loaded: &Loaded) -> Result<Vec<u8>> {
        let raw = self.stream_data(id, loaded, MAX_DECODED_STREAM)?;
        let Object::Stream(s) = &loaded.obj else {
            return Ok(raw);
        };
        let stream = Stream::new(s.dict.clone(), raw);
        if stream.dict.get(b"Filter").is_err() {
            return Ok(stream.content);
        }
        stream
            .decompressed_content_with_limit(MAX_DECODED_STREAM)
            .map_err(|_| Error::Malformed {
                what: "stream data does not decode",
                offset: loaded.data.as_ref().map(|r| r.start),
            })
    }

    fn load_compressed(
        &mut self,
        id: u32,
        stream: u32,
        index: u32,
        rev: usize,
        depth: usize,
    ) -> Result<Loaded> {
        let (centry, _) = self.entry(stream, rev).ok_or(Error::Malformed {
            what: "object stream not in the cross-reference data",
            offset: None,
        })?;
        let Entry::InUse { offset, .. } = centry else {
            return Err(Error::Malformed {
                what: "object stream is itself compressed or free",
                offset: None,
            });
        };
        let key = (stream, offset);
        let objstm = match self.objstm.iter().find(|(k, _)| *k == key) {
            Some((_, o)) => Rc::clone(o),
            None => {
                let container =
                    self.load_entry((stream, entry_generation(centry)), centry, rev, depth + 1)?;
                let data = self.decoded((stream, entry_generation(centry)), &container)?;
                let dict = match &container.obj {
                    Object::Stream(s) => s.dict.clone(),
                    _ => Dictionary::new(),
                };
                let o = Rc::new(parse_objstm(&dict, data)?);
                if self.objstm.len() >= OBJSTM_CACHE {
                    self.objstm.remove(0);
                }
                self.objstm.push((key, Rc::clone(&o)));
                o
            }
        };
        let (num, off) = objstm
            .index
            .get(index as usize)
            .copied()
            .filter(|(n, _)| *n == id)
            .or_else(|| objstm.index.iter().copied().find(|(n, _)| *n == id))
            .ok_or(Error::Malformed {
                what: "object not in its object stream",
                offset: None,
            })?;
        let _ = num;
        let mut p = Parser::new(&objstm.data, off, true);
        let obj = p.object().map_err(|_| Error::Malformed {
            what: "object in an object stream",
            offset: None,
        })?;
        Ok(Loaded {
            obj,
            pos: None,
            end: 0,
            container: Some(stream),
            spans: Vec::new(),
            data: None,
        })
    }

    fn decrypt(&self, id: ObjectId, obj: &mut Object) {
        let Some((state, enc_id)) = &self.crypt else {
            return;
        };
        if Some(id) == *enc_id {
            return;
        }
        match obj {
            Object::Stream(s) => {
                let mut d = Object::Dictionary(core::mem::take(&mut s.dict));
                let _ = lopdf::encryption::decrypt_object(state, id, &mut d);
                if let Object::Dictionary(d) = d {
                    s.dict = d;
                }
            }
            other => {
                let _ = lopdf::encryption::decrypt_object(state, id, other);
            }
        }
    }

    /// Set up decryption from the newest `/Encrypt` (ISO 32000-1 §7.6).
    fn setup_encryption(&mut self, password: Option<&str>) -> Result<()> {
        let last = self.last_revision();
        let Some(enc) = self.trailer_value(b"Encrypt", last) else {
            return Ok(());
        };
        let (enc_id, dict) = match enc {
            Object::Reference(id) => {
                let l = self.load(id, last)?;
                (Some(id), l.obj.as_dict().cloned().unwrap_or_default())
            }
            Object::Dictionary(d) => (None, d),
            _ => {
                return Err(Error::Malformed {
                    what: "/Encrypt is not a dictionary",
                    offset: None,
                });
            }
        };
        let fake = enc_id.unwrap_or((u32::MAX, 0));
        let mut doc = lopdf::Document::new();
        doc.objects.insert(fake, Object::Dictionary(dict));
        doc.trailer.set("Encrypt", Object::Reference(fake));
        if let Some(idv) = self.trailer_value(b"ID", last) {
            doc.trailer.set("ID", idv);
        }
        let pw = if doc.authenticate_password("").is_ok() {
            String::new()
        } else {
            match password {
                None => return Err(Error::PasswordRequired),
                Some(p) if doc.authenticate_password(p).is_ok() => p.to_string(),
                Some(_) => return Err(Error::WrongPassword),
            }
        };
        let algorithm = lopdf::encryption::PasswordAlgorithm::try_from(&doc)
            .map_err(|e| Error::UnsupportedEncryption(e.to_string()))?;
        let sanitized = algorithm
            .sanitize_password(&pw)
            .map_err(|e| Error::UnsupportedEncryption(e.to_string()))?;
        let state = lopdf::EncryptionState::decode(&doc, sanitized)
            .map_err(|e| Error::UnsupportedEncryption(e.to_string()))?;
        self.crypt = Some((state, enc_id));
        Ok(())
    }

    /// Resolve a reference as of `rev` (one level); direct objects are returned as is.
    pub(crate) fn resolve(&mut self, obj: &Object, rev: usize) -> Option<Object> {
        match obj {
            Object::Reference(id) => self.load(*id, rev).ok().map(|l| l.obj),
            other => Some(other.clone()),
        }
    }
}

fn entry_generation(e: Entry) -> u16 {
    match e {
        Entry::InUse { generation, .. } => generation,
        _ => 0,
    }
}

/// Parse the header of an object stream (ISO 32000-1 §7.5.7).
fn parse_objstm(dict: &Dictionary, data: Vec<u8>) -> Result<ObjStm> {
    let bad = |what| Error::Malformed { what, offset: None };
    let n = dict
        .get(b"N")
        .and_then(Object::as_i64)
        .ok()
        .and_then(|n| usize::try_from(n).ok())
        .ok_or(bad("object stream without /N"))?;
    let first = dict
        .get(b"First")
        .and_then(Object::as_i64)
        .ok()
        .and_then(|n| usize::try_from(n).ok())
        .ok_or(bad("object stream without /First"))?;
    if n > data.len() / 2 + 1 || first > data.len() {
        return Err(bad("object stream header out of range"));
    }
    let mut p = Parser::new(&data, 0, true);
    let mut index = Vec::with_capacity(n);
    for _ in 0..n {
        let num = p.unsigned().map_err(|_| bad("object stream index"))?;
        let off = p.unsigned().map_err(|_| bad("object stream index"))?;
        let num = u32::try_from(num).map_err(|_| bad("object stream index"))?;
        let off = usize::try_from(off)
            .ok()
            .and_then(|o| o.checked_add(first))
            .filter(|&o| o <= data.len())
            .ok_or(bad("object stream offset"))?;
        index.push((num, off));
    }
    Ok(ObjStm { data, index })
}

/// What went wrong reading a window.
#[derive(Debug)]
pub(crate) enum WindowError {
    Io(Error),
    TooLarge,
    Invalid(&'static str, u64),
}

impl WindowError {
    pub(crate) fn into_error(self, _what: &'static str) -> Error {
        match self {
            WindowError::Io(e) => e,
            WindowError::TooLarge => Error::LimitExceeded {
                what: "object size",
                limit: MAX_OBJECT_WINDOW as u64,
            },
            WindowError::Invalid(what, at) => Error::Malformed {
                what,
                offset: Some(at),
            },
        }
    }
}

/// The set of object ids an array of references holds.
pub(crate) fn ref_set(obj: &Object) -> HashSet<ObjectId> {
    match obj {
        Object::Array(a) => a.iter().filter_map(|o| o.as_reference().ok()).collect(),
        _ => HashSet::new(),
    }
}
