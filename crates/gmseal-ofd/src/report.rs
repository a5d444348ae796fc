//! Verification reports: a closed [`Verdict`] per signature, per document and for the package,
//! with the [`Finding`]s that explain it and the [`Deviation`]s lenient mode tolerated.

use core::fmt;

use crate::geometry::Rect;
use crate::path::PathError;
use crate::xml::signatures::SignatureType;

/// The outcome of a verification. Closed on purpose: callers match on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Verdict {
    /// Everything checked out.
    Valid,
    /// Could not be decided: something could not be checked (no key, an unsupported digest, a
    /// deviation strict mode refuses, content no signature protects).
    Indeterminate,
    /// The signatures hold, but the signer or seal is not trusted (certificate, chain, validity).
    Untrusted,
    /// Something protected changed, or a signature value is wrong.
    Tampered,
}

impl Verdict {
    /// The worse of two verdicts (Tampered > Untrusted > Indeterminate > Valid).
    #[must_use]
    pub fn worst(self, other: Verdict) -> Verdict {
        self.max(other)
    }
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

/// A deviation from GB/T 33190 or from the signature format that real files contain. Lenient
/// mode tolerates it and lists it; strict mode reports it as [`Finding::NotTolerated`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Deviation {
    /// A `FileRef` without the leading `/`; resolved from the package root.
    FileRefNotAbsolute {
        /// The FileRef.
        file_ref: String,
    },
    /// `CheckMethod` is `SM3` in another letter case.
    CheckMethodCase {
        /// As written.
        found: String,
    },
    /// `CheckMethod` is a vendor OID taken to mean SM3 (dms360 `1.2.156.10197.1.401.2`).
    CheckMethodVendorOid {
        /// As written.
        found: String,
    },
    /// No `CheckMethod`; SM3 assumed.
    CheckMethodMissing,
    /// `Provider` written with child elements instead of attributes (dms360 iOFD).
    ProviderChildElements,
    /// `Provider` without a `ProviderName`.
    ProviderNameMissing,
    /// A `Signature/@BaseLoc` that is not found relative to Signatures.xml but is from the
    /// package root or the document directory.
    BaseLocResolvedElsewhere {
        /// As written.
        base_loc: String,
        /// Where it was found.
        found: String,
    },
    /// A location found only by ignoring letter case.
    PathCase {
        /// As written (resolved).
        written: String,
        /// The entry found.
        found: String,
    },
    /// `Signature/@Type` in another letter case.
    SignatureTypeCase {
        /// As written.
        found: String,
    },
    /// A root element outside the OFD namespace.
    Namespace {
        /// The file.
        file: String,
        /// Its namespace.
        namespace: Option<String>,
    },
    /// Several `MaxSignId` elements in Signatures.xml (ofdrw appends one per signature).
    MultipleMaxSignId {
        /// How many.
        count: usize,
    },
    /// The signature value's encoding (raw `r‖s`, BER ...), from gmseal-sm2.
    SignatureEncoding(gmseal_sm2::Deviation),
    /// A deviation reported by a signed-value back end (SES, CMS).
    Backend {
        /// What it tolerated.
        what: String,
    },
}

impl fmt::Display for Deviation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Deviation::FileRefNotAbsolute { file_ref } => {
                write!(f, "FileRef {file_ref:?} lacks the leading '/'")
            }
            Deviation::CheckMethodCase { found } => {
                write!(f, "CheckMethod {found:?} taken as SM3 (letter case)")
            }
            Deviation::CheckMethodVendorOid { found } => {
                write!(f, "CheckMethod {found:?} (vendor OID) taken as SM3")
            }
            Deviation::CheckMethodMissing => f.write_str("no CheckMethod; SM3 assumed"),
            Deviation::ProviderChildElements => {
                f.write_str("Provider written with child elements instead of attributes")
            }
            Deviation::ProviderNameMissing => f.write_str("Provider lacks ProviderName"),
            Deviation::BaseLocResolvedElsewhere { base_loc, found } => {
                write!(f, "BaseLoc {base_loc:?} found at /{found}")
            }
            Deviation::PathCase { written, found } => {
                write!(f, "/{written} found as /{found} (letter case differs)")
            }
            Deviation::SignatureTypeCase { found } => {
                write!(f, "Signature Type {found:?} in another letter case")
            }
            Deviation::Namespace { file, namespace } => {
                write!(
                    f,
                    "{file}: root element namespace {namespace:?} is not the OFD namespace"
                )
            }
            Deviation::MultipleMaxSignId { count } => {
                write!(f, "Signatures.xml has {count} MaxSignId elements")
            }
            Deviation::SignatureEncoding(d) => write!(f, "signature value encoding: {d}"),
            Deviation::Backend { what } => f.write_str(what),
        }
    }
}

/// Something a verification found. Each finding maps to the [`Verdict`] it implies.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Finding {
    /// A referenced file's digest differs from its `CheckValue`.
    DigestMismatch {
        /// Package path.
        file: String,
        /// The CheckValue.
        expected: Vec<u8>,
        /// SM3 of the file now.
        found: Vec<u8>,
    },
    /// A referenced file is not in the package.
    ReferencedFileMissing {
        /// The FileRef as written.
        file_ref: String,
    },
    /// A `FileRef` that is not a usable location.
    ReferenceUnusable {
        /// The FileRef as written.
        file_ref: String,
        /// Why.
        reason: PathError,
    },
    /// The same file is referenced twice with different CheckValues.
    ConflictingReferences {
        /// Package path.
        file: String,
    },
    /// The references use a digest gmseal does not compute.
    UnsupportedCheckMethod {
        /// As written.
        method: String,
    },
    /// The signature references no file.
    NoReferences,
    /// A deviation strict mode does not accept (lenient mode would tolerate it).
    NotTolerated(Deviation),
    /// The listed Signature.xml is not in the package.
    SignatureFileMissing {
        /// Package path looked for.
        path: String,
    },
    /// Signature.xml does not parse as GB/T 33190 requires.
    SignatureFileMalformed {
        /// What is wrong.
        error: String,
    },
    /// The signature value file is not in the package.
    SignedValueMissing {
        /// Location as written.
        loc: String,
    },
    /// The seal file (`Seal/BaseLoc`) is not in the package.
    SealFileMissing {
        /// Location as written.
        loc: String,
    },
    /// A check of the signed value failed or could not be made (see the check).
    SignedValue(Check),
    /// The signed-value back end could not read the value at all.
    SignedValueUnreadable {
        /// Why.
        reason: String,
    },
    /// No back end is configured for this kind of signature.
    NoVerifier {
        /// The kind.
        kind: SignatureType,
    },
    /// Two listed signatures use the same signature value file.
    SharedSignedValue {
        /// The other signature's ID.
        other: String,
    },
    /// A `StampAnnot/@PageRef` that names no page of the document.
    StampPageMissing {
        /// Stamp ID.
        stamp: String,
        /// PageRef.
        page_ref: String,
    },
    /// A stamp whose visible part lies outside its page.
    StampNotVisible {
        /// Stamp ID.
        stamp: String,
        /// Its boundary.
        boundary: Rect,
        /// The page box.
        page: Rect,
    },
    /// The seal sits on a page whose content this signature does not protect.
    StampPageNotProtected {
        /// Stamp ID.
        stamp: String,
        /// The page's content file.
        page_file: String,
    },
    /// A Type="Seal" signature with no stamp appearance (informational: the seal is not shown).
    SealWithoutStamp,
    /// `Relative` names a signature that is not in the list.
    RelativeMissing {
        /// The ID named.
        relative: String,
    },
    /// A file no signature protects: added after signing, or never protected.
    UncoveredFile {
        /// Package path.
        file: String,
    },
    /// A signature file in the package that Signatures.xml does not list (a signature was
    /// removed from the list, or planted).
    UnlistedSignature {
        /// Package path of the Signature.xml.
        file: String,
    },
    /// Two entries of Signatures.xml share an ID.
    DuplicateSignatureId {
        /// The ID.
        id: String,
    },
    /// Two entries of Signatures.xml name the same Signature.xml.
    DuplicateSignatureFile {
        /// Package path.
        file: String,
    },
    /// A document without signatures.
    NoSignatures,
    /// Two zip entries whose names differ only by letter case.
    CaseOnlyDuplicate {
        /// One.
        first: String,
        /// The other.
        second: String,
    },
}

impl Finding {
    /// The verdict this finding implies on its own ([`Verdict::Valid`] for an informational
    /// finding).
    pub fn verdict(&self) -> Verdict {
        match self {
            Finding::DigestMismatch { .. }
            | Finding::ReferencedFileMissing { .. }
            | Finding::ConflictingReferences { .. }
            | Finding::SignatureFileMissing { .. }
            | Finding::SignatureFileMalformed { .. }
            | Finding::SignedValueMissing { .. }
            | Finding::SealFileMissing { .. }
            | Finding::SignedValueUnreadable { .. }
            | Finding::UnlistedSignature { .. } => Verdict::Tampered,
            Finding::SignedValue(c) => match c.outcome {
                Outcome::Fail => Verdict::Tampered,
                Outcome::Untrusted => Verdict::Untrusted,
                Outcome::Indeterminate => Verdict::Indeterminate,
                Outcome::Pass => Verdict::Valid,
            },
            Finding::ReferenceUnusable { .. }
            | Finding::UnsupportedCheckMethod { .. }
            | Finding::NoReferences
            | Finding::NotTolerated(_)
            | Finding::NoVerifier { .. }
            | Finding::SharedSignedValue { .. }
            | Finding::StampPageMissing { .. }
            | Finding::StampNotVisible { .. }
            | Finding::StampPageNotProtected { .. }
            | Finding::RelativeMissing { .. }
            | Finding::UncoveredFile { .. }
            | Finding::DuplicateSignatureId { .. }
            | Finding::DuplicateSignatureFile { .. }
            | Finding::NoSignatures
            | Finding::CaseOnlyDuplicate { .. } => Verdict::Indeterminate,
            Finding::SealWithoutStamp => Verdict::Valid,
        }
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Finding::DigestMismatch {
                file,
                expected,
                found,
            } => write!(
                f,
                "/{file} changed: CheckValue {} but SM3 is {}",
                hex(expected),
                hex(found)
            ),
            Finding::ReferencedFileMissing { file_ref } => {
                write!(f, "referenced file {file_ref} is not in the package")
            }
            Finding::ReferenceUnusable { file_ref, reason } => {
                write!(f, "FileRef {file_ref:?} is unusable: {reason}")
            }
            Finding::ConflictingReferences { file } => {
                write!(f, "/{file} is referenced twice with different CheckValues")
            }
            Finding::UnsupportedCheckMethod { method } => {
                write!(f, "CheckMethod {method:?} is not supported (SM3 only)")
            }
            Finding::NoReferences => f.write_str("the signature references no file"),
            Finding::NotTolerated(d) => write!(f, "not accepted in strict mode: {d}"),
            Finding::SignatureFileMissing { path } => write!(f, "/{path} is not in the package"),
            Finding::SignatureFileMalformed { error } => {
                write!(f, "Signature.xml is malformed: {error}")
            }
            Finding::SignedValueMissing { loc } => write!(f, "signed value {loc} is missing"),
            Finding::SealFileMissing { loc } => write!(f, "seal file {loc} is missing"),
            Finding::SignedValue(c) => write!(f, "{c}"),
            Finding::SignedValueUnreadable { reason } => {
                write!(f, "signed value unreadable: {reason}")
            }
            Finding::NoVerifier { kind } => {
                write!(f, "no verifier configured for Type=\"{kind}\" signatures")
            }
            Finding::SharedSignedValue { other } => {
                write!(f, "shares its signed value file with signature {other:?}")
            }
            Finding::StampPageMissing { stamp, page_ref } => {
                write!(
                    f,
                    "stamp {stamp:?} is on page ID {page_ref}, which the document lacks"
                )
            }
            Finding::StampNotVisible {
                stamp,
                boundary,
                page,
            } => write!(
                f,
                "stamp {stamp:?} at [{boundary}] is not visible on the page [{page}]"
            ),
            Finding::StampPageNotProtected { stamp, page_file } => write!(
                f,
                "stamp {stamp:?} sits on /{page_file}, which the signature does not protect"
            ),
            Finding::SealWithoutStamp => f.write_str("seal signature without a stamp appearance"),
            Finding::RelativeMissing { relative } => {
                write!(
                    f,
                    "Relative names signature {relative:?}, which is not listed"
                )
            }
            Finding::UncoveredFile { file } => {
                write!(
                    f,
                    "/{file} is not protected by any signature (added or never signed)"
                )
            }
            Finding::UnlistedSignature { file } => write!(
                f,
                "/{file} is a signature that Signatures.xml does not list (removed from the list?)"
            ),
            Finding::DuplicateSignatureId { id } => write!(f, "signature ID {id:?} is used twice"),
            Finding::DuplicateSignatureFile { file } => {
                write!(f, "/{file} is listed twice in Signatures.xml")
            }
            Finding::NoSignatures => f.write_str("the document has no signatures"),
            Finding::CaseOnlyDuplicate { first, second } => {
                write!(
                    f,
                    "entries /{first} and /{second} differ only by letter case"
                )
            }
        }
    }
}

/// The outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// Passed.
    Pass,
    /// Failed: the data do not match.
    Fail,
    /// Cryptographically fine, but not trusted (certificate, validity, chain).
    Untrusted,
    /// Could not be made.
    Indeterminate,
}

/// What a signed-value check is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CheckKind {
    /// The signature value over Signature.xml (or over the TBS structure binding it).
    SignatureValue,
    /// The digest of Signature.xml the value carries (`dataHash`, CMS `messageDigest`).
    DataHash,
    /// The Signature.xml path the value names (`propertyInfo`).
    PropertyInfo,
    /// The Seal.esl file equals the seal inside the signed value.
    SealFile,
    /// The seal maker's signature over the seal.
    SealMakerSignature,
    /// The seal's validity period at signing time.
    SealValidity,
    /// The signer certificate (validity, key usage, membership in the seal's list).
    SignerCertificate,
    /// The certificate chain up to a trust anchor.
    CertificateChain,
    /// The timestamp.
    Timestamp,
    /// The signature algorithm.
    Algorithm,
    /// Another check, named by the back end.
    Other(String),
}

impl fmt::Display for CheckKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CheckKind::SignatureValue => f.write_str("signature value"),
            CheckKind::DataHash => f.write_str("digest of Signature.xml"),
            CheckKind::PropertyInfo => f.write_str("Signature.xml path in the signed value"),
            CheckKind::SealFile => f.write_str("seal file"),
            CheckKind::SealMakerSignature => f.write_str("seal maker's signature"),
            CheckKind::SealValidity => f.write_str("seal validity"),
            CheckKind::SignerCertificate => f.write_str("signer certificate"),
            CheckKind::CertificateChain => f.write_str("certificate chain"),
            CheckKind::Timestamp => f.write_str("timestamp"),
            CheckKind::Algorithm => f.write_str("algorithm"),
            CheckKind::Other(s) => f.write_str(s),
        }
    }
}

/// One check of a signed value: what, outcome, why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// What was checked.
    pub kind: CheckKind,
    /// The outcome.
    pub outcome: Outcome,
    /// Why, in words.
    pub detail: String,
}

impl Check {
    /// A check.
    pub fn new(kind: CheckKind, outcome: Outcome, detail: impl Into<String>) -> Self {
        Check {
            kind,
            outcome,
            detail: detail.into(),
        }
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let o = match self.outcome {
            Outcome::Pass => "ok",
            Outcome::Fail => "FAILED",
            Outcome::Untrusted => "untrusted",
            Outcome::Indeterminate => "not checked",
        };
        write!(f, "{}: {o}", self.kind)?;
        if !self.detail.is_empty() {
            write!(f, " ({})", self.detail)?;
        }
        Ok(())
    }
}

/// The seal picture (`SES_ESPictrueInfo`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SealPicture {
    /// Picture type as written (`PNG`, `ofd`, `GIF` ...).
    pub kind: String,
    /// The picture bytes, unchanged.
    pub data: Vec<u8>,
    /// Width in mm.
    pub width_mm: f64,
    /// Height in mm.
    pub height_mm: f64,
}

impl SealPicture {
    /// A picture.
    pub fn new(kind: String, data: Vec<u8>, width_mm: f64, height_mm: f64) -> Self {
        SealPicture {
            kind,
            data,
            width_mm,
            height_mm,
        }
    }
}

/// What a signed-value back end reports.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct SignedValueReport {
    /// The format recognised (`SES_Signature v4`, `bare SM2 signature (DER)` ...).
    pub format: String,
    /// Every check made.
    pub checks: Vec<Check>,
    /// Signer certificate (DER), when the value carries one.
    pub signer_certificate: Option<Vec<u8>>,
    /// A description of the signer (subject, key) for display.
    pub signer: Option<String>,
    /// Seal name, for seals.
    pub seal_name: Option<String>,
    /// Seal ID (`esID`), for seals.
    pub seal_id: Option<String>,
    /// Seal picture, for seals.
    pub picture: Option<SealPicture>,
    /// Signing time the value states.
    pub signing_time: Option<String>,
    /// The `genTime` of a timestamp over the signature value that verified (with a trusted TSA
    /// when trust anchors are configured): the time the signature is proven to have existed.
    pub timestamp: Option<String>,
    /// Deviations the back end tolerated.
    pub tolerated: Vec<Deviation>,
}

impl SignedValueReport {
    /// An empty report for `format`.
    pub fn new(format: impl Into<String>) -> Self {
        SignedValueReport {
            format: format.into(),
            ..Default::default()
        }
    }

    /// Add a check.
    pub fn push(&mut self, kind: CheckKind, outcome: Outcome, detail: impl Into<String>) {
        self.checks.push(Check::new(kind, outcome, detail));
    }

    /// The verdict implied by the checks.
    pub fn verdict(&self) -> Verdict {
        self.checks.iter().fold(Verdict::Valid, |v, c| {
            v.worst(Finding::SignedValue(c.clone()).verdict())
        })
    }
}

/// The check of one `Reference`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ReferenceCheck {
    /// `FileRef` as written.
    pub file_ref: String,
    /// The package path it resolved to.
    pub path: Option<String>,
    /// The outcome.
    pub outcome: ReferenceOutcome,
}

/// Outcome of one reference.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReferenceOutcome {
    /// The file's SM3 equals its CheckValue.
    Match,
    /// It does not.
    Mismatch {
        /// The CheckValue.
        expected: Vec<u8>,
        /// SM3 now.
        found: Vec<u8>,
    },
    /// The file is not in the package.
    Missing,
    /// Not checked (unsupported CheckMethod, unusable FileRef, strict mode).
    NotChecked,
}

/// The check of one stamp appearance.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct StampCheck {
    /// `ID`.
    pub id: String,
    /// `PageRef` (page object ID).
    pub page_ref: String,
    /// 0-based index of that page in the document.
    pub page_index: Option<usize>,
    /// The page's Content.xml.
    pub page_file: Option<String>,
    /// `Boundary` in mm.
    pub boundary: Rect,
    /// `Clip` in mm (relative to the boundary).
    pub clip: Option<Rect>,
    /// The page box the stamp was checked against.
    pub page_box: Option<Rect>,
    /// Does the visible part of the stamp lie on the page?
    pub visible: Option<bool>,
    /// Does this signature protect the page's content?
    pub page_protected: Option<bool>,
}

/// The verification of one signature.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SignatureReport {
    /// `ID` in Signatures.xml.
    pub id: String,
    /// `Type`.
    pub kind: SignatureType,
    /// Package path of Signature.xml.
    pub signature_file: String,
    /// Package path of the signed value file.
    pub signed_value_file: Option<String>,
    /// The verdict.
    pub verdict: Verdict,
    /// Provider name.
    pub provider: Option<String>,
    /// `SignatureMethod`.
    pub signature_method: Option<String>,
    /// `SignatureDateTime`.
    pub signature_date_time: Option<String>,
    /// `CheckMethod` as written.
    pub check_method: Option<String>,
    /// One entry per Reference.
    pub references: Vec<ReferenceCheck>,
    /// One entry per StampAnnot.
    pub stamps: Vec<StampCheck>,
    /// What the signed-value back end found.
    pub signed_value: Option<SignedValueReport>,
    /// Does this signature protect Signatures.xml (so no later signature can be added)?
    pub protects_signature_list: bool,
    /// Findings, most severe first.
    pub findings: Vec<Finding>,
    /// Deviations tolerated (lenient mode).
    pub tolerated: Vec<Deviation>,
}

/// Who protects one file of the package.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FileCoverage {
    /// Package path.
    pub file: String,
    /// IDs of the signatures whose references name it and still match.
    pub protected_by: Vec<String>,
    /// IDs of the signatures whose references name it but no longer match.
    pub changed_for: Vec<String>,
    /// IDs of the signatures whose references name it but whose digest could not be checked.
    pub unchecked_for: Vec<String>,
    /// The ID of the signature this file belongs to (its Signature.xml, signed value, seal).
    pub part_of: Option<String>,
}

impl FileCoverage {
    /// Is the file protected by at least one signature (or part of one)?
    pub fn is_covered(&self) -> bool {
        !self.protected_by.is_empty()
            || !self.changed_for.is_empty()
            || !self.unchecked_for.is_empty()
            || self.part_of.is_some()
    }
}

/// The verification of one document (`DocBody`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct DocumentReport {
    /// Index of the DocBody.
    pub index: usize,
    /// Package path of Document.xml.
    pub document_file: String,
    /// Package path of Signatures.xml.
    pub signatures_file: Option<String>,
    /// The verdict: the worst of the signatures and the document-level findings.
    pub verdict: Verdict,
    /// One report per listed signature.
    pub signatures: Vec<SignatureReport>,
    /// Document-level findings (unlisted signatures, duplicates).
    pub findings: Vec<Finding>,
    /// Deviations tolerated at document level.
    pub tolerated: Vec<Deviation>,
}

/// The verification of a package.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Report {
    /// The worst verdict of the documents and the package-level findings.
    pub verdict: Verdict,
    /// One report per document.
    pub documents: Vec<DocumentReport>,
    /// Every file of the package and who protects it.
    pub coverage: Vec<FileCoverage>,
    /// Package-level findings: files no signature protects, case-only duplicates.
    pub findings: Vec<Finding>,
    /// Deviations tolerated at package level.
    pub tolerated: Vec<Deviation>,
}

impl Report {
    /// Files no signature protects (excluding the signature lists, which are checked for
    /// consistency instead).
    pub fn uncovered(&self) -> impl Iterator<Item = &str> {
        self.findings.iter().filter_map(|f| match f {
            Finding::UncoveredFile { file } => Some(file.as_str()),
            _ => None,
        })
    }

    /// All signature reports of all documents.
    pub fn signatures(&self) -> impl Iterator<Item = &SignatureReport> {
        self.documents.iter().flat_map(|d| d.signatures.iter())
    }

    /// The signature with this ID (first document that has it).
    pub fn signature(&self, id: &str) -> Option<&SignatureReport> {
        self.signatures().find(|s| s.id == id)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "package: {}", self.verdict)?;
        for d in &self.documents {
            writeln!(
                f,
                "document {} (/{}): {}",
                d.index, d.document_file, d.verdict
            )?;
            for s in &d.signatures {
                writeln!(
                    f,
                    "  signature {} (Type={}, /{}): {}",
                    s.id, s.kind, s.signature_file, s.verdict
                )?;
                let ok = s
                    .references
                    .iter()
                    .filter(|r| r.outcome == ReferenceOutcome::Match)
                    .count();
                writeln!(f, "    references: {ok}/{} match", s.references.len())?;
                if let Some(v) = &s.signed_value {
                    writeln!(f, "    signed value: {}", v.format)?;
                    for c in &v.checks {
                        writeln!(f, "      {c}")?;
                    }
                }
                for st in &s.stamps {
                    writeln!(
                        f,
                        "    stamp {} on page {} at [{}]",
                        st.id,
                        st.page_index
                            .map_or("?".to_owned(), |i| (i + 1).to_string()),
                        st.boundary
                    )?;
                }
                for x in &s.findings {
                    writeln!(f, "    ! {x}")?;
                }
                for t in &s.tolerated {
                    writeln!(f, "    ~ tolerated: {t}")?;
                }
            }
            for x in &d.findings {
                writeln!(f, "  ! {x}")?;
            }
            for t in &d.tolerated {
                writeln!(f, "  ~ tolerated: {t}")?;
            }
        }
        for x in &self.findings {
            writeln!(f, "! {x}")?;
        }
        for t in &self.tolerated {
            writeln!(f, "~ tolerated: {t}")?;
        }
        Ok(())
    }
}
