//! Verification reports: one per signature, each check with what, outcome and why.

use core::fmt;
use std::time::SystemTime;

use lopdf::ObjectId;

use crate::byte_range::ByteRange;
use crate::container::{Format, FormatSource};

/// The overall result of one signature (or of the document).
///
/// Closed on purpose: callers match on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Verdict {
    /// Every check passed: the signed bytes are intact, the signature verifies, the signer is
    /// trusted and nothing but seals, fields and annotations was added afterwards.
    Valid,
    /// The signature is intact but the signer could not be trusted (chain, validity, seal
    /// checks), or checks that matter could not be made.
    Indeterminate,
    /// The signature verifies but its certificate or seal is not trusted.
    Untrusted,
    /// The signed bytes, the signature or the document after it were altered, or the structure
    /// is one of the known PDF signature attacks.
    Tampered,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verdict::Valid => "valid",
            Verdict::Indeterminate => "indeterminate",
            Verdict::Untrusted => "untrusted",
            Verdict::Tampered => "tampered",
        })
    }
}

/// The outcome of one check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Outcome {
    /// The check passed.
    Pass,
    /// The check failed: the signature or document cannot be relied on.
    Fail,
    /// A tolerated deviation or a point of attention; does not fail the signature.
    Warn,
    /// The check could not be made (missing verifier, data or trust anchors).
    NotChecked,
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "FAIL",
            Outcome::Warn => "warn",
            Outcome::NotChecked => "not checked",
        })
    }
}

/// What a check is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CheckKind {
    /// The signature dictionary is well formed (`/Type`, `/ByteRange`, `/Contents`, ...).
    SignatureDictionary,
    /// `/ByteRange` has four numbers, starts at 0, does not overlap, stays in the file.
    ByteRange,
    /// The gap between the ranges is exactly the `/Contents` string of this dictionary.
    ContentsGap,
    /// The ranges end at the end of a revision, and that revision holds the signature.
    RevisionCoverage,
    /// The format (SubFilter and DER) was recognised.
    Format,
    /// The digest in the container equals SM3 of the byte ranges.
    Digest,
    /// The signature value verifies under the signer's key.
    Signature,
    /// The signer's certificate (validity, key usage, binding).
    Certificate,
    /// The certificate chain up to a trust anchor.
    CertificateChain,
    /// Seal checks: maker signature, seal validity, cert binding (GB/T 38540 §9).
    Seal,
    /// A timestamp token.
    Timestamp,
    /// `/M` and the container's signing time.
    SigningTime,
    /// What revisions after this signature changed.
    Modifications,
    /// The file's structure (revisions, cross-reference data, trailing bytes).
    Structure,
}

impl fmt::Display for CheckKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CheckKind::SignatureDictionary => "signature dictionary",
            CheckKind::ByteRange => "byte range",
            CheckKind::ContentsGap => "contents gap",
            CheckKind::RevisionCoverage => "revision coverage",
            CheckKind::Format => "format",
            CheckKind::Digest => "digest",
            CheckKind::Signature => "signature",
            CheckKind::Certificate => "certificate",
            CheckKind::CertificateChain => "certificate chain",
            CheckKind::Seal => "seal",
            CheckKind::Timestamp => "timestamp",
            CheckKind::SigningTime => "signing time",
            CheckKind::Modifications => "later modifications",
            CheckKind::Structure => "file structure",
        })
    }
}

/// One check: what, outcome, why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    /// What was checked.
    pub kind: CheckKind,
    /// The outcome.
    pub outcome: Outcome,
    /// Why, in a sentence.
    pub why: String,
}

impl Check {
    /// A check.
    pub fn new(kind: CheckKind, outcome: Outcome, why: impl Into<String>) -> Self {
        Check {
            kind,
            outcome,
            why: why.into(),
        }
    }

    /// A passed check.
    pub fn pass(kind: CheckKind, why: impl Into<String>) -> Self {
        Self::new(kind, Outcome::Pass, why)
    }

    /// A failed check.
    pub fn fail(kind: CheckKind, why: impl Into<String>) -> Self {
        Self::new(kind, Outcome::Fail, why)
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}: {}", self.outcome, self.kind, self.why)
    }
}

/// A structural finding: one of the published PDF signature attack classes or a deviation,
/// with the data that shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Finding {
    /// Universal signature forgery: `/ByteRange` missing or not an array of four integers.
    ByteRangeMissing,
    /// Universal signature forgery: `/Contents` missing, empty or not a string.
    ContentsMissing,
    /// `/ByteRange` is not a valid pair of runs.
    ByteRangeInvalid(crate::ByteRangeError),
    /// Signature wrapping: the gap is not exactly the `/Contents` string of this dictionary.
    GapIsNotContents {
        /// The gap the ranges leave.
        gap: core::ops::Range<u64>,
        /// Where the `/Contents` string really is, when known.
        contents: Option<core::ops::Range<u64>>,
    },
    /// Signature wrapping: the ranges do not end at the end of any revision.
    NotAtRevisionEnd {
        /// Where the ranges end.
        end: u64,
    },
    /// The signature dictionary lies outside the signed bytes or inside an object stream, so
    /// its `/ByteRange` is not protected.
    DictionaryNotCovered {
        /// The signature dictionary.
        object: ObjectId,
    },
    /// Incremental saving attack: bytes after the last revision that no cross-reference
    /// section describes (lenient readers may still use them).
    UnstructuredTrailingData {
        /// Where they start.
        offset: u64,
        /// How many.
        len: u64,
    },
    /// Shadow attack (hide-and-replace): a later revision points an object at bytes inside
    /// an earlier revision that the earlier revision did not use for it: an object prepared
    /// before signing and switched in afterwards.
    ShadowObject {
        /// The object.
        object: ObjectId,
        /// The revision that points at it.
        revision: usize,
        /// The file offset it points at.
        offset: u64,
    },
    /// `/Contents` has non-zero bytes after the signature's DER element.
    DataAfterContents {
        /// How many.
        len: usize,
    },
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Finding::ByteRangeMissing => f.write_str("/ByteRange is missing or not an array"),
            Finding::ContentsMissing => f.write_str("/Contents is missing, empty or not a string"),
            Finding::ByteRangeInvalid(e) => write!(f, "/ByteRange is invalid: {e}"),
            Finding::GapIsNotContents { gap, contents } => match contents {
                Some(c) => write!(
                    f,
                    "the unsigned gap {}..{} is not the /Contents string at {}..{}",
                    gap.start, gap.end, c.start, c.end
                ),
                None => write!(
                    f,
                    "the unsigned gap {}..{} is not a /Contents string of this dictionary",
                    gap.start, gap.end
                ),
            },
            Finding::NotAtRevisionEnd { end } => {
                write!(
                    f,
                    "the signed ranges end at byte {end}, not at the end of a revision"
                )
            }
            Finding::DictionaryNotCovered { object } => write!(
                f,
                "signature dictionary {} {} R is not inside the signed bytes",
                object.0, object.1
            ),
            Finding::UnstructuredTrailingData { offset, len } => write!(
                f,
                "{len} bytes after the last revision (from byte {offset}) that no cross-reference section describes"
            ),
            Finding::ShadowObject {
                object,
                revision,
                offset,
            } => write!(
                f,
                "revision {revision} points object {} {} R at byte {offset}, inside an earlier revision that did not use it (shadow object)",
                object.0, object.1
            ),
            Finding::DataAfterContents { len } => {
                write!(
                    f,
                    "{len} non-zero bytes after the signature inside /Contents"
                )
            }
        }
    }
}

/// How much a revision changed the document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ModificationLevel {
    /// Nothing changed.
    None,
    /// Only signatures, seals, form fields and annotations were added (or empty signature fields
    /// filled): what a later seal does.
    FormFilling,
    /// Existing content was changed: page content, catalog, existing objects, or the
    /// structure points at prepared objects.
    Modified,
}

impl fmt::Display for ModificationLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ModificationLevel::None => "none",
            ModificationLevel::FormFilling => "form filling",
            ModificationLevel::Modified => "modified",
        })
    }
}

/// One change a revision made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// The revision (0 = the original document).
    pub revision: usize,
    /// The object, when the change is about one.
    pub object: Option<ObjectId>,
    /// What changed.
    pub kind: ChangeKind,
}

impl Change {
    /// Whether this change is allowed after a signature (it adds, it does not alter).
    pub fn level(&self) -> ModificationLevel {
        self.kind.level()
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "revision {}: ", self.revision)?;
        if let Some((n, g)) = self.object {
            write!(f, "{n} {g} R: ")?;
        }
        write!(f, "{}", self.kind)
    }
}

/// What kind of change a revision made.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChangeKind {
    /// A new signature dictionary.
    AddedSignature,
    /// A new form field (`/T` name).
    AddedField {
        /// The field's partial name, when readable.
        name: Option<String>,
    },
    /// A new annotation (widget or other).
    AddedAnnotation {
        /// Its `/Subtype`.
        subtype: Option<String>,
    },
    /// A new object of another kind (appearance stream, image, ...): harmless unless referenced
    /// by a modification.
    AddedObject {
        /// Its `/Type` or `/Subtype`, when it has one.
        kind: Option<String>,
    },
    /// A page's `/Annots` (or an indirect annotation array) gained annotations.
    AnnotationsAdded {
        /// How many.
        count: usize,
    },
    /// `/AcroForm /Fields` (or an indirect field array) gained fields.
    FieldsAdded {
        /// How many.
        count: usize,
    },
    /// The interactive form dictionary changed in allowed keys (`/SigFlags`, `/DR`, `/DA`), or
    /// was added to the catalog.
    AcroFormUpdated,
    /// An empty signature field received its signature (`/V`, `/AP`).
    SignatureFieldFilled,
    /// An object was rewritten unchanged.
    Rewritten,
    /// A cross-reference entry that pointed at the wrong bytes now points at the object.
    Repaired,
    /// The document information dictionary changed.
    InfoChanged,
    /// A page was changed in other keys than `/Annots` (content, resources, boxes, ...).
    PageModified {
        /// The keys that differ.
        keys: Vec<String>,
    },
    /// The catalog was changed in other keys than `/AcroForm`.
    CatalogModified {
        /// The keys that differ.
        keys: Vec<String>,
    },
    /// The trailer's `/Root` points at another catalog.
    RootReplaced,
    /// An existing signature (dictionary or filled field) was altered.
    SignatureModified,
    /// Annotations or fields were removed.
    Removed {
        /// How many.
        count: usize,
    },
    /// An existing object was altered.
    ObjectModified {
        /// Its `/Type`, when it has one.
        kind: Option<String>,
        /// The keys that differ (empty for non-dictionaries or stream data).
        keys: Vec<String>,
    },
    /// An object in use was marked free.
    ObjectFreed,
    /// An object now points at bytes of an earlier revision it did not use there (shadow).
    ShadowReference {
        /// The file offset.
        offset: u64,
    },
    /// The encryption dictionary changed.
    EncryptionChanged,
    /// The object could not be read to classify the change.
    Unreadable,
}

impl ChangeKind {
    /// Whether the change only adds (allowed after a signature) or alters.
    pub fn level(&self) -> ModificationLevel {
        match self {
            ChangeKind::AddedSignature
            | ChangeKind::AddedField { .. }
            | ChangeKind::AddedAnnotation { .. }
            | ChangeKind::AddedObject { .. }
            | ChangeKind::AnnotationsAdded { .. }
            | ChangeKind::FieldsAdded { .. }
            | ChangeKind::AcroFormUpdated
            | ChangeKind::SignatureFieldFilled
            | ChangeKind::InfoChanged => ModificationLevel::FormFilling,
            ChangeKind::Rewritten | ChangeKind::Repaired => ModificationLevel::None,
            _ => ModificationLevel::Modified,
        }
    }
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChangeKind::AddedSignature => f.write_str("signature added"),
            ChangeKind::AddedField { name } => match name {
                Some(n) => write!(f, "form field {n:?} added"),
                None => f.write_str("form field added"),
            },
            ChangeKind::AddedAnnotation { subtype } => match subtype {
                Some(s) => write!(f, "{s} annotation added"),
                None => f.write_str("annotation added"),
            },
            ChangeKind::AddedObject { kind } => match kind {
                Some(k) => write!(f, "{k} object added"),
                None => f.write_str("object added"),
            },
            ChangeKind::AnnotationsAdded { count } => write!(f, "{count} annotation(s) listed"),
            ChangeKind::FieldsAdded { count } => write!(f, "{count} field(s) listed"),
            ChangeKind::AcroFormUpdated => f.write_str("interactive form updated"),
            ChangeKind::SignatureFieldFilled => f.write_str("empty signature field signed"),
            ChangeKind::Rewritten => f.write_str("rewritten unchanged"),
            ChangeKind::Repaired => f.write_str("broken cross-reference entry corrected"),
            ChangeKind::InfoChanged => f.write_str("document information changed"),
            ChangeKind::PageModified { keys } => write!(f, "page modified ({})", keys.join(", ")),
            ChangeKind::CatalogModified { keys } => {
                write!(f, "catalog modified ({})", keys.join(", "))
            }
            ChangeKind::RootReplaced => f.write_str("document catalog replaced"),
            ChangeKind::SignatureModified => f.write_str("existing signature altered"),
            ChangeKind::Removed { count } => write!(f, "{count} annotation(s) or field(s) removed"),
            ChangeKind::ObjectModified { kind, keys } => {
                match kind {
                    Some(k) => write!(f, "{k} object modified")?,
                    None => f.write_str("object modified")?,
                }
                if !keys.is_empty() {
                    write!(f, " ({})", keys.join(", "))?;
                }
                Ok(())
            }
            ChangeKind::ObjectFreed => f.write_str("object deleted"),
            ChangeKind::ShadowReference { offset } => write!(
                f,
                "points at byte {offset} of an earlier revision (prepared shadow object)"
            ),
            ChangeKind::EncryptionChanged => f.write_str("encryption dictionary changed"),
            ChangeKind::Unreadable => f.write_str("changed object could not be read"),
        }
    }
}

/// One revision of the file: the original or an incremental update.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RevisionInfo {
    /// Index, 0 = the original document.
    pub index: usize,
    /// Where its bytes end (after `%%EOF` and its end-of-line).
    pub end: u64,
    /// Offsets of its cross-reference sections.
    pub xref_offsets: Vec<u64>,
    /// Number of objects its sections define.
    pub objects: usize,
    /// How much it changed the document relative to the previous revision.
    pub level: ModificationLevel,
    /// What it changed.
    pub changes: Vec<Change>,
}

/// What a format B signature says about its seal (GB/T 38540-2020 §5: `SES_SealInfo`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SealInfo {
    /// `esID`, the seal's code.
    pub es_id: String,
    /// The seal's name (`property.name`).
    pub name: String,
    /// `property.type` (GM/T 0031-2014: 1 organisation, 2 personal; deployed seals use other
    /// values too).
    pub seal_type: i64,
    /// `header.Vid`, the identifier of the seal-making system's vendor.
    pub vendor_id: String,
    /// The picture's `type` as written (`PNG`, `JPG`, `OFD`, ...).
    pub picture_type: String,
    /// The picture file.
    pub picture: Vec<u8>,
    /// Width in millimetres.
    pub width_mm: i64,
    /// Height in millimetres.
    pub height_mm: i64,
}

/// The report of one signature.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct SignatureReport {
    /// The fully qualified field name.
    pub field_name: String,
    /// The field object.
    pub field: ObjectId,
    /// The signature dictionary object (`None` if it is direct in the field).
    pub dictionary: Option<ObjectId>,
    /// `/Filter`.
    pub filter: Option<String>,
    /// `/SubFilter`.
    pub sub_filter: Option<String>,
    /// The format of `/Contents`.
    pub format: Format,
    /// How the format was determined.
    pub format_source: FormatSource,
    /// `/ByteRange`, when valid.
    pub byte_range: Option<ByteRange>,
    /// The revision the signature signs (whose end its ranges reach).
    pub revision: Option<usize>,
    /// Whether the ranges reach the end of the file.
    pub covers_whole_file: bool,
    /// SM3 over the byte ranges.
    pub digest: Option<[u8; 32]>,
    /// `/M`.
    pub claimed_time: Option<SystemTime>,
    /// The container's signing time.
    pub signing_time: Option<SystemTime>,
    /// The `genTime` of a verified timestamp over the signature value (see
    /// [`ContainerReport::timestamp`](crate::ContainerReport::timestamp)).
    pub timestamp: Option<SystemTime>,
    /// Signer description from the container.
    pub signer: Option<String>,
    /// The signer's certificate (DER), from the container.
    pub signer_certificate: Option<Vec<u8>>,
    /// The seal, for format B signatures.
    pub seal: Option<SealInfo>,
    /// Every check, in the order made.
    pub checks: Vec<Check>,
    /// Attack classes and deviations found, most serious first.
    pub findings: Vec<Finding>,
    /// What revisions after this signature changed.
    pub changes_after: Vec<Change>,
    /// The highest level of those changes.
    pub modification: ModificationLevel,
    /// The outcome.
    pub verdict: Verdict,
}

impl SignatureReport {
    /// The checks that failed.
    pub fn failures(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| c.outcome == Outcome::Fail)
    }

    /// The first check of a kind.
    pub fn check(&self, kind: CheckKind) -> Option<&Check> {
        self.checks.iter().find(|c| c.kind == kind)
    }
}

impl fmt::Display for SignatureReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "signature field {:?}: {}", self.field_name, self.verdict)?;
        writeln!(
            f,
            "  format: {} ({})",
            self.format,
            self.sub_filter.as_deref().unwrap_or("no SubFilter")
        )?;
        if let Some(br) = &self.byte_range {
            writeln!(
                f,
                "  byte range: {br}{}",
                if self.covers_whole_file {
                    ", whole file"
                } else {
                    ", not the whole file"
                }
            )?;
        }
        if let Some(seal) = &self.seal {
            writeln!(f, "  seal: {} ({})", seal.name, seal.es_id)?;
        }
        if let Some(t) = self
            .timestamp
            .and_then(|t| der::DateTime::from_system_time(t).ok())
        {
            writeln!(f, "  timestamp: {t}")?;
        }
        for c in &self.checks {
            writeln!(f, "  {c}")?;
        }
        for x in &self.findings {
            writeln!(f, "  finding: {x}")?;
        }
        for c in &self.changes_after {
            writeln!(f, "  later: {c}")?;
        }
        Ok(())
    }
}

/// The report on a whole document.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct VerificationReport {
    /// File length.
    pub file_len: u64,
    /// The revisions, oldest first.
    pub revisions: Vec<RevisionInfo>,
    /// One report per signature field with a value, in field order.
    pub signatures: Vec<SignatureReport>,
    /// Document-level findings (trailing data, structure deviations).
    pub findings: Vec<Finding>,
    /// Document-level checks (structure).
    pub checks: Vec<Check>,
}

impl VerificationReport {
    /// The worst verdict over all signatures and the document-level findings; `None` when the
    /// document has no signature.
    pub fn verdict(&self) -> Option<Verdict> {
        let worst = self.signatures.iter().map(|s| s.verdict).max()?;
        if self.findings.is_empty() {
            Some(worst)
        } else {
            Some(Verdict::Tampered)
        }
    }
}

impl fmt::Display for VerificationReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} bytes, {} revision(s), {} signature(s)",
            self.file_len,
            self.revisions.len(),
            self.signatures.len()
        )?;
        for c in &self.checks {
            writeln!(f, "{c}")?;
        }
        for x in &self.findings {
            writeln!(f, "finding: {x}")?;
        }
        for s in &self.signatures {
            write!(f, "{s}")?;
        }
        Ok(())
    }
}
