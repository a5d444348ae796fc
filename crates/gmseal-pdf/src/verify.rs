//! Verification: every signature of a PDF, one report each.
//!
//! For each signature field with a value (ISO 32000-1 §12.7.4.5) the signature dictionary is
//! read where it lies in the file, and checked against the published attack classes:
//!
//! * universal signature forgery: `/ByteRange` or `/Contents` missing, empty or malformed;
//! * signature wrapping: the gap between the two runs must be exactly this dictionary's
//!   `/Contents` string, the runs must end at the end of a revision, and the dictionary must
//!   lie inside them (not in an object stream);
//! * incremental saving: what every later revision changed is classified (additions of seals,
//!   fields and annotations are allowed; anything else is a modification), and bytes after the
//!   last revision are reported;
//! * shadow attacks: later revisions that alter pages, catalog or existing objects, or point
//!   objects at bytes prepared in an earlier revision.
//!
//! SM3 over the ranges is computed in one sequential pass over the file for all signatures at
//! once (a 1 MiB buffer, nothing else of the file in memory). `/Contents` goes to the
//! [`ContentsVerifier`] registered for its format.

mod diff;

use core::ops::Range;
use std::collections::HashSet;
use std::io::{Read, Seek, SeekFrom};

use lopdf::{Dictionary, Object, ObjectId};
use sm3::{Digest, Sm3};

use crate::byte_range::ByteRange;
use crate::container::{
    ContentsVerifier, Format, FormatSource, VerifyRequest, der_element_len, format_of_sub_filter,
    sniff_format,
};
use crate::error::Result;
use crate::reader::{Loaded, Reader};
use crate::report::{
    Change, Check, CheckKind, Finding, ModificationLevel, Outcome, RevisionInfo, SignatureReport,
    Verdict, VerificationReport,
};

/// Signature fields examined per document.
const MAX_SIGNATURES: usize = 1000;
/// Field tree bounds.
const MAX_FIELD_DEPTH: usize = 32;
const MAX_FIELDS: usize = 100_000;

/// How to verify.
///
/// ```
/// use gmseal_pdf::VerifyOptions;
/// let options = VerifyOptions::new().password("secret");
/// # let _ = options;
/// ```
#[derive(Default)]
pub struct VerifyOptions<'a> {
    verifiers: Vec<&'a dyn ContentsVerifier>,
    password: Option<String>,
}

impl core::fmt::Debug for VerifyOptions<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("VerifyOptions")
            .field("verifiers", &self.verifiers.len())
            .field("password", &self.password.as_ref().map(|_| "***"))
            .finish()
    }
}

impl<'a> VerifyOptions<'a> {
    /// No container verifiers: structure, byte ranges, digests and modifications are checked;
    /// signatures are reported as not checked.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add a verifier for a signature format (the first that accepts a signature is used).
    #[must_use]
    pub fn verifier(mut self, v: &'a dyn ContentsVerifier) -> Self {
        self.verifiers.push(v);
        self
    }

    /// The password of an encrypted document.
    #[must_use]
    pub fn password(mut self, password: impl Into<String>) -> Self {
        self.password = Some(password.into());
        self
    }
}

/// Verify a PDF held in memory.
///
/// # Errors
/// [`Error`](crate::Error) when the file cannot be read as a PDF at all, or a password is
/// needed. Signatures that do not verify are findings in the report.
pub fn verify_bytes(bytes: &[u8], options: &VerifyOptions<'_>) -> Result<VerificationReport> {
    verify(std::io::Cursor::new(bytes), options)
}

/// Verify many PDFs held in memory with one set of options; the results come back in the
/// order of `documents`.
///
/// With the `parallel` feature (on by default) the documents are verified on rayon's thread
/// pool (`RAYON_NUM_THREADS` sets its size), else one after the other. For a batch under the
/// same certificates, give the verifiers one [`VerifyCache`](gmseal_ses::gmseal_cert::VerifyCache):
/// each chain, each seal's maker signature and each certificate is then verified or parsed
/// once for the whole batch, and every report is the one [`verify_bytes`] gives.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use gmseal_pdf::{seal::SealVerifier, VerifyOptions};
/// use gmseal_ses::gmseal_cert::{ChainOptions, TrustStore, VerifyCache};
/// use gmseal_ses::verify::CertChainVerifier;
///
/// # let (store, documents): (TrustStore, Vec<Vec<u8>>) = (TrustStore::new(), Vec::new());
/// let cache = VerifyCache::new();
/// let chain = CertChainVerifier::new(&store, ChainOptions::default().with_cache(cache.clone()));
/// let seal = SealVerifier::new(
///     gmseal_ses::verify::VerifyOptions::strict()
///         .with_chain_verifier(&chain)
///         .with_cache(cache),
/// );
/// let options = VerifyOptions::new().verifier(&seal);
/// for report in gmseal_pdf::verify_many(&documents, &options) {
///     println!("{}", report?.signatures.len());
/// }
/// # Ok(()) }
/// ```
pub fn verify_many<B: AsRef<[u8]> + Sync>(
    documents: &[B],
    options: &VerifyOptions<'_>,
) -> Vec<Result<VerificationReport>> {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        documents
            .par_iter()
            .map(|d| verify_bytes(d.as_ref(), options))
            .collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        documents
            .iter()
            .map(|d| verify_bytes(d.as_ref(), options))
            .collect()
    }
}

/// Verify a PDF read from `src` (a file, a cursor): only the structure and the signed ranges
/// are read, in a bounded buffer.
///
/// # Errors
/// As [`verify_bytes`], plus read errors.
pub fn verify<R: Read + Seek>(src: R, options: &VerifyOptions<'_>) -> Result<VerificationReport> {
    let mut r = Reader::open(src, options.password.as_deref())?;
    let mut checks: Vec<Check> = r
        .notes
        .iter()
        .map(|n| Check::new(CheckKind::Structure, Outcome::Warn, n.clone()))
        .collect();
    let mut findings = Vec::new();

    // Revisions and what each changed.
    let mut revisions = Vec::new();
    for (i, rev) in r.revisions.clone().iter().enumerate() {
        let changes = if i == 0 {
            Vec::new()
        } else {
            diff::revision_changes(&mut r, i)
        };
        let level = changes
            .iter()
            .map(Change::level)
            .max()
            .unwrap_or(ModificationLevel::None);
        let objects = rev
            .sections
            .iter()
            .filter_map(|&s| r.sections.get(s))
            .map(|s| s.entries.len())
            .sum();
        revisions.push(RevisionInfo {
            index: i,
            end: rev.end,
            xref_offsets: rev
                .sections
                .iter()
                .filter_map(|&s| r.sections.get(s).map(|s| s.pos))
                .collect(),
            objects,
            level,
            changes,
        });
    }
    // Bytes after the last revision.
    let last_end = r.revisions.last().map_or(0, |l| l.end);
    if let Some((offset, len)) = trailing_data(&mut r, last_end)? {
        findings.push(Finding::UnstructuredTrailingData { offset, len });
        checks.push(Check::fail(
            CheckKind::Structure,
            format!("{len} bytes after the last revision (from byte {offset}) are not described by any cross-reference section"),
        ));
    }

    // Signatures.
    let last = r.last_revision();
    let fields = signature_fields(&mut r, last);
    let mut pending: Vec<Pending> = fields
        .into_iter()
        .take(MAX_SIGNATURES)
        .map(|f| examine(&mut r, f, &revisions))
        .collect();
    let ranges: Vec<Option<[Range<u64>; 2]>> = pending
        .iter()
        .map(|p| {
            p.report
                .byte_range
                .as_ref()
                .filter(|b| b.end() <= r.len)
                .map(ByteRange::ranges)
        })
        .collect();
    let digests = hash_ranges(&mut r, &ranges)?;
    let signatures = pending
        .iter_mut()
        .zip(digests)
        .map(|(p, d)| finish(p, d, &options.verifiers, &revisions))
        .collect();
    Ok(VerificationReport {
        file_len: r.len,
        revisions,
        signatures,
        findings,
        checks,
    })
}

/// A signature field found in the form.
struct SigField {
    name: String,
    field: ObjectId,
    value: Object,
}

/// Walk `/AcroForm /Fields` for signature fields with a value.
fn signature_fields<R: Read + Seek>(r: &mut Reader<R>, rev: usize) -> Vec<SigField> {
    let mut out = Vec::new();
    let Some(root) = r.trailer_value(b"Root", rev) else {
        return out;
    };
    let Some(Object::Dictionary(cat)) = r.resolve(&root, rev) else {
        return out;
    };
    let Some(form) = cat.get(b"AcroForm").ok().and_then(|f| r.resolve(f, rev)) else {
        return out;
    };
    let Some(fields) = form
        .as_dict()
        .ok()
        .and_then(|f| f.get(b"Fields").ok())
        .cloned()
    else {
        return out;
    };
    let Some(Object::Array(fields)) = r.resolve(&fields, rev) else {
        return out;
    };
    let mut seen = HashSet::new();
    let mut stack: Vec<(String, Option<Vec<u8>>, ObjectId, usize)> = fields
        .iter()
        .rev()
        .filter_map(|f| f.as_reference().ok())
        .map(|id| (String::new(), None, id, 0))
        .collect();
    while let Some((prefix, ft, id, depth)) = stack.pop() {
        if depth > MAX_FIELD_DEPTH || seen.len() > MAX_FIELDS || !seen.insert(id) {
            continue;
        }
        let Ok(l) = r.load(id, rev) else { continue };
        let Object::Dictionary(d) = l.obj else {
            continue;
        };
        let partial = d
            .get(b"T")
            .ok()
            .and_then(|t| lopdf::decode_text_string(t).ok());
        let name = match (&partial, prefix.is_empty()) {
            (Some(t), true) => t.clone(),
            (Some(t), false) => format!("{prefix}.{t}"),
            (None, _) => prefix.clone(),
        };
        let ft = d
            .get(b"FT")
            .and_then(Object::as_name)
            .ok()
            .map(<[u8]>::to_vec)
            .or(ft);
        let kids: Vec<ObjectId> = match d.get(b"Kids").ok().and_then(|k| r.resolve(k, rev)) {
            Some(Object::Array(k)) => k.iter().filter_map(|k| k.as_reference().ok()).collect(),
            _ => Vec::new(),
        };
        let mut field_kids = Vec::new();
        for k in kids {
            if let Ok(kl) = r.load(k, rev) {
                if kl.obj.as_dict().is_ok_and(|kd| kd.has(b"T")) {
                    field_kids.push(k);
                }
            }
        }
        if field_kids.is_empty() {
            if ft.as_deref() == Some(b"Sig") {
                if let Ok(v) = d.get(b"V") {
                    if !matches!(v, Object::Null) {
                        out.push(SigField {
                            name,
                            field: id,
                            value: v.clone(),
                        });
                    }
                }
            }
        } else {
            for k in field_kids.into_iter().rev() {
                stack.push((name.clone(), ft.clone(), k, depth + 1));
            }
        }
    }
    out
}

/// A report under construction.
struct Pending {
    report: SignatureReport,
    /// `/Contents`, padding stripped.
    contents: Option<Vec<u8>>,
}

fn string_value(d: &Dictionary, key: &[u8]) -> Option<String> {
    match d.get(key) {
        Ok(Object::Name(n)) => Some(String::from_utf8_lossy(n).into_owned()),
        _ => None,
    }
}

/// The structural checks of one signature (everything but the digest and the container).
fn examine<R: Read + Seek>(r: &mut Reader<R>, f: SigField, revisions: &[RevisionInfo]) -> Pending {
    let last = r.last_revision();
    let mut checks = Vec::new();
    let mut findings = Vec::new();
    // The signature dictionary and where it is.
    let (dict_id, loaded): (Option<ObjectId>, Option<Loaded>) = match &f.value {
        Object::Reference(id) => (Some(*id), r.load(*id, last).ok()),
        Object::Dictionary(_) => (None, r.load(f.field, last).ok()),
        _ => (None, None),
    };
    let depth = if dict_id.is_some() { 1 } else { 2 };
    let dict: Option<Dictionary> = match (&f.value, &loaded) {
        (Object::Dictionary(d), _) => Some(d.clone()),
        (_, Some(l)) => l.obj.as_dict().ok().cloned(),
        _ => None,
    };
    let mut report = SignatureReport {
        field_name: f.name.clone(),
        field: f.field,
        dictionary: dict_id,
        filter: None,
        sub_filter: None,
        format: Format::Unknown,
        format_source: FormatSource::None,
        byte_range: None,
        revision: None,
        covers_whole_file: false,
        digest: None,
        claimed_time: None,
        signing_time: None,
        timestamp: None,
        signer: None,
        signer_certificate: None,
        seal: None,
        checks: Vec::new(),
        findings: Vec::new(),
        changes_after: Vec::new(),
        modification: ModificationLevel::None,
        verdict: Verdict::Tampered,
    };
    let Some(dict) = dict else {
        checks.push(Check::fail(
            CheckKind::SignatureDictionary,
            "the field's value is not a readable signature dictionary",
        ));
        findings.push(Finding::ByteRangeMissing);
        report.checks = checks;
        report.findings = findings;
        return Pending {
            report,
            contents: None,
        };
    };
    report.filter = string_value(&dict, b"Filter");
    report.sub_filter = string_value(&dict, b"SubFilter");
    match string_value(&dict, b"Type").as_deref() {
        Some("Sig") => checks.push(Check::pass(CheckKind::SignatureDictionary, "/Type /Sig")),
        Some("DocTimeStamp") => checks.push(Check::new(
            CheckKind::SignatureDictionary,
            Outcome::Warn,
            "a document timestamp (/Type /DocTimeStamp)",
        )),
        Some(other) => checks.push(Check::new(
            CheckKind::SignatureDictionary,
            Outcome::Warn,
            format!("unexpected /Type /{other}"),
        )),
        None => checks.push(Check::new(
            CheckKind::SignatureDictionary,
            Outcome::Warn,
            "no /Type (tolerated: /Type is optional in a signature dictionary)",
        )),
    }
    report.claimed_time = dict
        .get(b"M")
        .ok()
        .and_then(|m| m.as_str().ok())
        .and_then(crate::pdf_date::parse);

    // /ByteRange.
    let br = match dict.get(b"ByteRange") {
        Ok(Object::Array(a)) => match ByteRange::from_objects(a) {
            Ok(br) => Some(br),
            Err(e) => {
                checks.push(Check::fail(CheckKind::ByteRange, format!("/ByteRange {e}")));
                findings.push(Finding::ByteRangeInvalid(e));
                None
            }
        },
        _ => {
            checks.push(Check::fail(
                CheckKind::ByteRange,
                "/ByteRange is missing or not an array",
            ));
            findings.push(Finding::ByteRangeMissing);
            None
        }
    };
    let br = br.and_then(|br| {
        if br.end() > r.len {
            let e = crate::ByteRangeError::PastEndOfFile {
                end: br.end(),
                len: r.len,
            };
            checks.push(Check::fail(CheckKind::ByteRange, format!("/ByteRange {e}")));
            findings.push(Finding::ByteRangeInvalid(e));
            None
        } else {
            checks.push(Check::pass(
                CheckKind::ByteRange,
                format!("{br}: starts at 0, two runs in order, inside the file"),
            ));
            Some(br)
        }
    });

    // /Contents.
    let contents_span = loaded.as_ref().and_then(|l| {
        l.spans
            .iter()
            .find(|(k, d, _)| *k == b"Contents" && *d == depth)
            .map(|(_, _, s)| s.clone())
    });
    let contents = match dict.get(b"Contents") {
        Ok(Object::String(s, fmt)) if !s.is_empty() && s.iter().any(|&b| b != 0) => {
            if *fmt != lopdf::StringFormat::Hexadecimal {
                checks.push(Check::new(
                    CheckKind::SignatureDictionary,
                    Outcome::Warn,
                    "/Contents is a literal string, not a hexadecimal one",
                ));
            }
            Some(strip_padding(s, &mut findings))
        }
        _ => {
            checks.push(Check::fail(
                CheckKind::SignatureDictionary,
                "/Contents is missing, empty, all zeros or not a string",
            ));
            findings.push(Finding::ContentsMissing);
            None
        }
    };

    if let Some(br) = &br {
        // The gap must be exactly this dictionary's /Contents string.
        match &contents_span {
            Some(span) if *span == br.gap() => checks.push(Check::pass(
                CheckKind::ContentsGap,
                format!(
                    "the gap {}..{} is exactly the /Contents string",
                    span.start, span.end
                ),
            )),
            other => {
                checks.push(Check::fail(
                    CheckKind::ContentsGap,
                    format!(
                        "the unsigned gap {}..{} is not this dictionary's /Contents string",
                        br.gap().start,
                        br.gap().end
                    ),
                ));
                findings.push(Finding::GapIsNotContents {
                    gap: br.gap(),
                    contents: other.clone(),
                });
            }
        }
        // The ranges must end where a revision ends.
        let rev = revisions.iter().position(|rv| {
            rv.end == br.end()
                || (rv.end > br.end() && rv.end - br.end() <= 2 && eol_only(r, br.end(), rv.end))
        });
        match rev {
            Some(i) => {
                report.revision = Some(i);
                checks.push(Check::pass(
                    CheckKind::RevisionCoverage,
                    format!(
                        "the ranges cover revision {i} entirely (it ends at byte {})",
                        br.end()
                    ),
                ));
            }
            None => {
                checks.push(Check::fail(
                    CheckKind::RevisionCoverage,
                    format!(
                        "the ranges end at byte {}, which is not the end of a revision",
                        br.end()
                    ),
                ));
                findings.push(Finding::NotAtRevisionEnd { end: br.end() });
            }
        }
        // The dictionary must lie inside the signed bytes.
        let covered = loaded.as_ref().is_some_and(|l| {
            l.container.is_none()
                && l.pos.is_some_and(|p| p < br.gap().start)
                && l.end >= br.gap().end
                && l.end <= br.end()
        });
        if !covered {
            let object = dict_id.unwrap_or(f.field);
            checks.push(Check::fail(
                CheckKind::RevisionCoverage,
                "the signature dictionary is not inside the signed bytes (or sits in an object stream)",
            ));
            findings.push(Finding::DictionaryNotCovered { object });
        }
        report.covers_whole_file = br.end() == r.len;
    }
    report.byte_range = br;
    report.checks = checks;
    report.findings = findings;
    Pending { report, contents }
}

/// Bytes `from..to` are only end-of-line characters.
fn eol_only<R: Read + Seek>(r: &mut Reader<R>, from: u64, to: u64) -> bool {
    r.read_at(from, (to - from) as usize)
        .is_ok_and(|b| b.iter().all(|&c| c == b'\r' || c == b'\n'))
}

/// The DER element at the start of `/Contents` (trailing zero padding stripped).
fn strip_padding(s: &[u8], findings: &mut Vec<Finding>) -> Vec<u8> {
    match der_element_len(s) {
        Some(n) => {
            let rest = s.get(n..).unwrap_or_default();
            let extra = rest.iter().rev().skip_while(|&&b| b == 0).count();
            if extra > 0 {
                findings.push(Finding::DataAfterContents { len: extra });
            }
            s.get(..n).unwrap_or_default().to_vec()
        }
        None => {
            let n = s.len() - s.iter().rev().take_while(|&&b| b == 0).count();
            s.get(..n).unwrap_or_default().to_vec()
        }
    }
}

/// Non-white-space bytes after `end`: their offset and count.
fn trailing_data<R: Read + Seek>(r: &mut Reader<R>, end: u64) -> Result<Option<(u64, u64)>> {
    let mut pos = end;
    while pos < r.len {
        let chunk = r.read_at(pos, 1 << 20)?;
        if let Some(i) = chunk
            .iter()
            .position(|c| !crate::reader::lexer::is_white(*c))
        {
            let at = pos + i as u64;
            return Ok(Some((at, r.len - at)));
        }
        pos += chunk.len() as u64;
        if chunk.is_empty() {
            break;
        }
    }
    Ok(None)
}

/// SM3 of each signature's ranges, all in one sequential pass over the file.
fn hash_ranges<R: Read + Seek>(
    r: &mut Reader<R>,
    ranges: &[Option<[Range<u64>; 2]>],
) -> Result<Vec<Option<[u8; 32]>>> {
    let mut states: Vec<Option<Sm3>> = ranges
        .iter()
        .map(|x| x.as_ref().map(|_| Sm3::new()))
        .collect();
    let end = ranges
        .iter()
        .flatten()
        .map(|[_, b]| b.end)
        .max()
        .unwrap_or(0);
    // At most 1 MiB, and no more than the ranges need (a small document needs no 1 MiB of
    // zeroed memory).
    let mut buf = vec![0u8; usize::try_from(end.min(1 << 20)).unwrap_or(1 << 20)];
    let mut pos = 0u64;
    let src = r.src_mut();
    src.seek(SeekFrom::Start(0))?;
    while pos < end {
        let want = usize::try_from((end - pos).min(buf.len() as u64)).unwrap_or(buf.len());
        let chunk = buf.get_mut(..want).unwrap_or_default();
        src.read_exact(chunk)?;
        let chunk_range = pos..pos + want as u64;
        for (state, rr) in states.iter_mut().zip(ranges) {
            let (Some(state), Some(rr)) = (state.as_mut(), rr.as_ref()) else {
                continue;
            };
            for run in rr {
                let s = run.start.max(chunk_range.start);
                let e = run.end.min(chunk_range.end);
                if s < e {
                    let a = (s - pos) as usize;
                    let b = (e - pos) as usize;
                    state.update(chunk.get(a..b).unwrap_or_default());
                }
            }
        }
        pos += want as u64;
    }
    Ok(states
        .into_iter()
        .map(|s| s.map(|s| s.finalize().into()))
        .collect())
}

/// Format, container, time, later changes, verdict.
fn finish(
    p: &mut Pending,
    digest: Option<[u8; 32]>,
    verifiers: &[&dyn ContentsVerifier],
    revisions: &[RevisionInfo],
) -> SignatureReport {
    let report = &mut p.report;
    report.digest = digest;
    // Format.
    let sub = report.sub_filter.clone();
    if let Some(c) = &p.contents {
        let named = sub
            .as_deref()
            .and_then(|s| format_of_sub_filter(s.as_bytes()));
        let sniffed = sniff_format(c);
        let (format, source) = match (named, sniffed) {
            (Some(n), Format::Unknown) => (n, FormatSource::SubFilter),
            (Some(n), s) if s == n => (n, FormatSource::SubFilter),
            (Some(_), s) => (s, FormatSource::SniffedAgainstSubFilter),
            (None, Format::Unknown) => (Format::Unknown, FormatSource::None),
            (None, s) => (s, FormatSource::Sniffed),
        };
        report.format = format;
        report.format_source = source;
        let why = match source {
            FormatSource::SubFilter => {
                format!("{format} from /SubFilter /{}", sub.as_deref().unwrap_or(""))
            }
            FormatSource::Sniffed => format!(
                "{format}, recognised from the DER (/SubFilter {})",
                sub.as_deref().unwrap_or("missing")
            ),
            FormatSource::SniffedAgainstSubFilter => {
                format!("{format} by its DER although /SubFilter says otherwise")
            }
            _ => format!(
                "/SubFilter {} and the DER are not a known format",
                sub.as_deref().unwrap_or("missing")
            ),
        };
        let outcome = match source {
            FormatSource::SubFilter | FormatSource::Sniffed => Outcome::Pass,
            _ => Outcome::Warn,
        };
        report
            .checks
            .push(Check::new(CheckKind::Format, outcome, why));
    }
    // The container.
    match (&p.contents, digest) {
        (Some(c), Some(d)) => {
            let req = VerifyRequest {
                contents: c,
                digest: d,
                format: report.format,
                sub_filter: sub.as_deref().map(str::as_bytes),
                claimed_time: report.claimed_time,
            };
            match verifiers
                .iter()
                .find(|v| v.accepts(report.format, req.sub_filter))
            {
                Some(v) => {
                    let cr = v.verify(&req);
                    report.signer = cr.signer;
                    report.signing_time = cr.signing_time.or(cr.timestamp);
                    report.timestamp = cr.timestamp;
                    report.signer_certificate = cr.signer_certificate;
                    report.seal = cr.seal;
                    report.checks.extend(cr.checks);
                }
                None => report.checks.push(Check::new(
                    CheckKind::Signature,
                    Outcome::NotChecked,
                    format!("no verifier registered for {}", report.format),
                )),
            }
        }
        (Some(_), None) => report.checks.push(Check::new(
            CheckKind::Digest,
            Outcome::NotChecked,
            "no valid byte range to hash",
        )),
        _ => {}
    }
    // Times.
    if let (Some(m), Some(s)) = (report.claimed_time, report.signing_time) {
        let diff = m
            .duration_since(s)
            .or_else(|_| s.duration_since(m))
            .map(|d| d.as_secs())
            .unwrap_or(0);
        report.checks.push(if diff > 3600 {
            Check::new(
                CheckKind::SigningTime,
                Outcome::Warn,
                format!("/M and the container's signing time differ by {diff} s"),
            )
        } else {
            Check::pass(
                CheckKind::SigningTime,
                "/M agrees with the container's signing time",
            )
        });
    }
    // Later revisions.
    let after = report.revision.map(|r| r + 1).or_else(|| {
        report
            .byte_range
            .as_ref()
            .and_then(|br| revisions.iter().position(|rv| rv.end > br.end()))
    });
    if let Some(first) = after {
        report.changes_after = revisions
            .iter()
            .skip(first)
            .flat_map(|rv| rv.changes.iter().cloned())
            .filter(|c| c.level() != ModificationLevel::None)
            .collect();
    }
    for c in &report.changes_after {
        if let crate::report::ChangeKind::ShadowReference { offset } = c.kind {
            if let Some(object) = c.object {
                report.findings.push(Finding::ShadowObject {
                    object,
                    revision: c.revision,
                    offset,
                });
            }
        }
    }
    report.modification = report
        .changes_after
        .iter()
        .map(Change::level)
        .max()
        .unwrap_or(ModificationLevel::None);
    let later = revisions
        .len()
        .saturating_sub(after.unwrap_or(revisions.len()));
    report.checks.push(match report.modification {
        ModificationLevel::None if later == 0 => {
            Check::pass(CheckKind::Modifications, "no later revision")
        }
        ModificationLevel::None => Check::pass(
            CheckKind::Modifications,
            format!("{later} later revision(s) changed nothing"),
        ),
        ModificationLevel::FormFilling => Check::pass(
            CheckKind::Modifications,
            format!("{later} later revision(s) only added signatures, fields or annotations"),
        ),
        ModificationLevel::Modified => Check::fail(
            CheckKind::Modifications,
            format!(
                "later revisions modified the document: {}",
                report
                    .changes_after
                    .iter()
                    .filter(|c| c.level() == ModificationLevel::Modified)
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        ),
    });
    report.verdict = verdict(report);
    report.clone()
}

/// The verdict from the checks: integrity failures → tampered; trust failures → untrusted;
/// checks not made or not decidable (an indeterminate chain or timestamp) → indeterminate.
fn verdict(r: &SignatureReport) -> Verdict {
    use CheckKind::*;
    let failed = |kinds: &[CheckKind]| {
        r.checks
            .iter()
            .any(|c| c.outcome == Outcome::Fail && kinds.contains(&c.kind))
    };
    let unchecked = |kinds: &[CheckKind]| {
        r.checks
            .iter()
            .any(|c| c.outcome == Outcome::NotChecked && kinds.contains(&c.kind))
    };
    let integrity = [
        SignatureDictionary,
        ByteRange,
        ContentsGap,
        RevisionCoverage,
        Digest,
        Signature,
        Modifications,
        Structure,
    ];
    let blocking_findings = r
        .findings
        .iter()
        .any(|f| !matches!(f, Finding::DataAfterContents { .. }));
    if failed(&integrity) || blocking_findings {
        return Verdict::Tampered;
    }
    if failed(&[Certificate, CertificateChain, Seal, Timestamp]) {
        return Verdict::Untrusted;
    }
    let signature_checked = r
        .checks
        .iter()
        .any(|c| c.kind == Signature && c.outcome == Outcome::Pass);
    // A timestamp present but not verified (no timestamp verifier, an indeterminate TSA
    // chain) rules out Valid as a chain not checked does (decision 13).
    if !signature_checked
        || unchecked(&[
            Signature,
            Digest,
            Certificate,
            CertificateChain,
            Seal,
            Timestamp,
        ])
    {
        return Verdict::Indeterminate;
    }
    Verdict::Valid
}
