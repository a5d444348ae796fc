//! Signing: one seal per incremental update, every original byte left as it was.
//!
//! The pipeline (ISO 32000-1 §7.5.6, §12.8.1):
//!
//! 1. lopdf loads the document (with the password when encrypted) while SM3 already absorbs the
//!    original bytes on a second thread: they are the start of the first signed run whatever
//!    the update holds;
//! 2. the signature dictionary, the field, its widgets and appearances and the changed catalog,
//!    form and pages are staged in lopdf's [`IncrementalDocument`];
//! 3. the update is serialised by [`update`] with a `/ByteRange` placeholder and a zero-filled
//!    `/Contents`; the byte range is patched in place;
//! 4. the digest of the two runs goes to the [`ContentsSigner`] (format A or B), whose output
//!    is hex-encoded into the reserved `/Contents`;
//! 5. the original bytes and the update are written out.

mod repair;
mod update;

use std::collections::HashSet;
use std::io::Write;
use std::time::SystemTime;

use lopdf::{Dictionary, Document, IncrementalDocument, Object, ObjectId, StringFormat};
use sm3::{Digest, Sm3};

use crate::appearance::{self, Piece};
use crate::byte_range::{self, ByteRange};
use crate::container::{ContentsRequest, ContentsSigner};
use crate::error::{Error, Result};
use crate::field;
use crate::image::SealImage;
use crate::pdf_date;
use crate::placement::{Edge, Placement, RidingSeal};

/// Input below this size is hashed on the calling thread.
const PARALLEL_HASH_MIN: usize = 256 * 1024;

/// Annotation flags Print (4) and Locked (128) (ISO 32000-1 Table 165).
const WIDGET_FLAGS: i64 = 132;

/// How and where to sign.
///
/// ```
/// use gmseal_pdf::{Placement, SealImage, SignOptions};
/// # let png = gmseal_pdf::image::test_png(16, 16);
/// let options = SignOptions::new()
///     .field_name("Seal1")
///     .seal(SealImage::from_bytes(&png, 40.0, 40.0)?, Placement::new(1, 150.0, 230.0))
///     .reason("contract approval");
/// # Ok::<(), gmseal_pdf::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct SignOptions {
    field: FieldChoice,
    picture: Option<SealImage>,
    position: Position,
    reason: Option<String>,
    location: Option<String>,
    contact_info: Option<String>,
    name: Option<String>,
    signing_time: Option<SystemTime>,
    password: Option<String>,
}

#[derive(Clone, Debug, Default)]
enum FieldChoice {
    #[default]
    NewAuto,
    New(String),
    Existing(String),
}

#[derive(Clone, Debug, Default)]
enum Position {
    #[default]
    Invisible,
    InvisibleOn(u32),
    At(Placement),
    Riding(RidingSeal),
}

impl SignOptions {
    /// An invisible signature in a new field named `Seal1`, `Seal2`, ... on page 1.
    pub fn new() -> Self {
        Self::default()
    }

    /// Create the new signature field under this name (it must not exist).
    #[must_use]
    pub fn field_name(mut self, name: impl Into<String>) -> Self {
        self.field = FieldChoice::New(name.into());
        self
    }

    /// Sign the existing empty signature field of this fully qualified name; the seal picture,
    /// if given, is fitted into the field's widgets.
    #[must_use]
    pub fn existing_field(mut self, name: impl Into<String>) -> Self {
        self.field = FieldChoice::Existing(name.into());
        self
    }

    /// A visible seal: the picture at a position.
    #[must_use]
    pub fn seal(mut self, picture: SealImage, placement: Placement) -> Self {
        self.picture = Some(picture);
        self.position = Position::At(placement);
        self
    }

    /// A riding seal across the edge of several pages.
    #[must_use]
    pub fn riding_seal(mut self, picture: SealImage, riding: RidingSeal) -> Self {
        self.picture = Some(picture);
        self.position = Position::Riding(riding);
        self
    }

    /// The picture only (for [`existing_field`](Self::existing_field), whose widgets give the
    /// position).
    #[must_use]
    pub fn picture(mut self, picture: SealImage) -> Self {
        self.picture = Some(picture);
        self
    }

    /// An invisible signature whose widget is on this page.
    #[must_use]
    pub fn invisible_on_page(mut self, page: u32) -> Self {
        self.position = Position::InvisibleOn(page);
        self
    }

    /// `/Reason`.
    #[must_use]
    pub fn reason(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
    }

    /// `/Location`.
    #[must_use]
    pub fn location(mut self, location: impl Into<String>) -> Self {
        self.location = Some(location.into());
        self
    }

    /// `/ContactInfo`.
    #[must_use]
    pub fn contact_info(mut self, contact: impl Into<String>) -> Self {
        self.contact_info = Some(contact.into());
        self
    }

    /// `/Name`: the signer's name.
    #[must_use]
    pub fn signer_name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The signing time (default: now).
    #[must_use]
    pub fn signing_time(mut self, time: SystemTime) -> Self {
        self.signing_time = Some(time);
        self
    }

    /// The password of an encrypted document (user or owner).
    #[must_use]
    pub fn password(mut self, password: impl Into<String>) -> Self {
        self.password = Some(password.into());
        self
    }
}

/// What signing produced.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Signed {
    /// The signature field's fully qualified name.
    pub field_name: String,
    /// The signature dictionary's object.
    pub dictionary: ObjectId,
    /// The signed byte ranges.
    pub byte_range: ByteRange,
    /// SM3 over them.
    pub digest: [u8; 32],
    /// Bytes of `/Contents` used by the signature (of the reserved size).
    pub contents_len: usize,
    /// Total length of the signed file.
    pub len: u64,
}

/// Sign `input` and return the signed file.
///
/// # Errors
/// See [`Error`]: unreadable input, a password needed, a field problem, the container failing.
pub fn sign(input: Vec<u8>, signer: &dyn ContentsSigner, options: &SignOptions) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(input.len() + 64 * 1024);
    sign_to(input, signer, options, &mut out)?;
    Ok(out)
}

/// Sign `input` and write the signed file to `out` (the original bytes, then the update).
///
/// # Errors
/// As [`sign`], plus write errors.
pub fn sign_to<W: Write + ?Sized>(
    input: Vec<u8>,
    signer: &dyn ContentsSigner,
    options: &SignOptions,
    out: &mut W,
) -> Result<Signed> {
    let header = find_header(&input)?;
    let (doc, prefix_hash) = load_and_hash(&input, options.password.as_deref())?;
    check_encryption(&doc)?;
    if field::certified_no_changes(&doc) {
        return Err(Error::CertifiedNoChanges);
    }
    let mut inc = IncrementalDocument::create_from(input, doc);
    let signing_time = options.signing_time.unwrap_or_else(SystemTime::now);
    let reserve = signer.max_contents_len();
    if reserve == 0 || reserve > 16 << 20 {
        return Err(Error::InvalidOption {
            option: "max_contents_len",
        });
    }

    let sig_id = add_signature_dictionary(&mut inc, signer, options, signing_time, reserve);
    let field_name = attach_field(&mut inc, options, sig_id)?;
    refresh_id(&mut inc, signing_time);

    let prev_len = inc.get_prev_documents_bytes().len();
    let mut upd = update::write(&inc, sig_id, header)?;

    // Patch /ByteRange, then hash the two runs.
    let base = prev_len as u64;
    let total = base + upd.bytes.len() as u64;
    if total > byte_range::MAX_FILE_LEN {
        return Err(Error::LimitExceeded {
            what: "signed file size",
            limit: byte_range::MAX_FILE_LEN,
        });
    }
    let gap = (base + upd.contents.start as u64)..(base + upd.contents.end as u64);
    let br = ByteRange::around(gap, total)?;
    let slot = upd.byte_range.clone();
    let padded = br.to_padded(slot.len())?;
    upd.bytes
        .get_mut(slot)
        .ok_or(Error::Placeholder { found: 0 })?
        .copy_from_slice(&padded);
    let mut sm3 = prefix_hash;
    sm3.update(upd.bytes.get(..upd.contents.start).unwrap_or_default());
    sm3.update(upd.bytes.get(upd.contents.end..).unwrap_or_default());
    let digest: [u8; 32] = sm3.finalize().into();

    let contents = signer
        .sign(&ContentsRequest {
            digest,
            signing_time,
            field_name: &field_name,
        })
        .map_err(Error::Container)?;
    if contents.len() > reserve {
        return Err(Error::ContentsTooLarge {
            reserved: reserve,
            needed: contents.len(),
        });
    }
    let hex_slot = upd
        .bytes
        .get_mut(upd.contents.start + 1..upd.contents.start + 1 + 2 * contents.len())
        .ok_or(Error::Placeholder { found: 0 })?;
    for (pair, b) in hex_slot.chunks_exact_mut(2).zip(&contents) {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        pair[0] = HEX[usize::from(b >> 4)];
        pair[1] = HEX[usize::from(b & 0xf)];
    }

    out.write_all(inc.get_prev_documents_bytes())?;
    out.write_all(&upd.bytes)?;
    out.flush()?;
    Ok(Signed {
        field_name,
        dictionary: sig_id,
        byte_range: br,
        digest,
        contents_len: contents.len(),
        len: total,
    })
}

/// Where `%PDF-` starts (ISO 32000-1 §7.5.2; readers accept it within the first 1024 bytes).
fn find_header(input: &[u8]) -> Result<usize> {
    let head = input.get(..input.len().min(1024)).unwrap_or(input);
    head.windows(5)
        .position(|w| w == b"%PDF-")
        .ok_or(Error::NotAPdf)
}

/// Load with lopdf while SM3 absorbs the original bytes.
fn load_and_hash(input: &[u8], password: Option<&str>) -> Result<(Document, Sm3)> {
    let load = || {
        let options = match password {
            Some(p) => lopdf::LoadOptions::with_password(p),
            None => lopdf::LoadOptions::default(),
        };
        Document::load_mem_with_options(input, options)
    };
    let hash = || Sm3::new().chain_update(input);
    let (doc, sm3) = if input.len() >= PARALLEL_HASH_MIN {
        std::thread::scope(|s| {
            let h = s.spawn(hash);
            let doc = load();
            // The hashing thread cannot panic (SM3 over a slice); fall back to hashing here.
            let sm3 = h.join().unwrap_or_else(|_| hash());
            (doc, sm3)
        })
    } else {
        (load(), hash())
    };
    let doc = doc.map_err(|e| match e {
        lopdf::Error::InvalidPassword => Error::WrongPassword,
        lopdf::Error::Decryption(d) => Error::UnsupportedEncryption(d.to_string()),
        lopdf::Error::UnsupportedSecurityHandler(h) => {
            Error::UnsupportedEncryption(String::from_utf8_lossy(&h).into_owned())
        }
        other => Error::Load(other),
    })?;
    Ok((doc, sm3))
}

/// An encrypted document must have been opened (lopdf tries the empty user password itself).
fn check_encryption(doc: &Document) -> Result<()> {
    if doc.is_encrypted() && doc.encryption_state.is_none() {
        return Err(Error::PasswordRequired);
    }
    Ok(())
}

fn text(s: &str) -> Object {
    lopdf::text_string(s)
}

/// Stage the signature dictionary (ISO 32000-1 Table 252) with its placeholders; `/ByteRange`
/// comes right before `/Contents`, last.
fn add_signature_dictionary(
    inc: &mut IncrementalDocument,
    signer: &dyn ContentsSigner,
    options: &SignOptions,
    signing_time: SystemTime,
    reserve: usize,
) -> ObjectId {
    let f = signer.sig_filter();
    let mut d = Dictionary::new();
    d.set("Type", Object::Name(b"Sig".to_vec()));
    d.set("Filter", Object::Name(f.filter));
    d.set("SubFilter", Object::Name(f.sub_filter));
    d.set(
        "M",
        Object::String(
            pdf_date::format(signing_time).into_bytes(),
            StringFormat::Literal,
        ),
    );
    if let Some(n) = &options.name {
        d.set("Name", text(n));
    }
    if let Some(r) = &options.reason {
        d.set("Reason", text(r));
    }
    if let Some(l) = &options.location {
        d.set("Location", text(l));
    }
    if let Some(c) = &options.contact_info {
        d.set("ContactInfo", text(c));
    }
    let mut app = Dictionary::new();
    app.set("Name", Object::Name(b"gmseal".to_vec()));
    app.set(
        "REx",
        Object::String(
            env!("CARGO_PKG_VERSION").as_bytes().to_vec(),
            StringFormat::Literal,
        ),
    );
    let mut build = Dictionary::new();
    build.set("App", Object::Dictionary(app));
    d.set("Prop_Build", Object::Dictionary(build));
    d.set("ByteRange", byte_range::placeholder_object());
    d.set(
        "Contents",
        Object::String(vec![0u8; reserve], StringFormat::Hexadecimal),
    );
    inc.new_document.add_object(Object::Dictionary(d))
}

/// A widget annotation dictionary.
fn widget(page: ObjectId, rect: [f64; 4], ap: ObjectId) -> Dictionary {
    let mut w = Dictionary::new();
    w.set("Type", Object::Name(b"Annot".to_vec()));
    w.set("Subtype", Object::Name(b"Widget".to_vec()));
    w.set("F", WIDGET_FLAGS);
    w.set("P", Object::Reference(page));
    w.set("Rect", appearance::rect_object(rect));
    let mut ap_dict = Dictionary::new();
    ap_dict.set("N", Object::Reference(ap));
    w.set("AP", Object::Dictionary(ap_dict));
    w
}

/// Page object of page `n` (1-based).
fn page_id(doc: &Document, n: u32) -> Result<ObjectId> {
    let pages = doc.get_pages();
    let count = u32::try_from(pages.len()).unwrap_or(u32::MAX);
    pages.get(&n).copied().ok_or(Error::PageOutOfRange {
        page: n,
        pages: count,
    })
}

/// Create or fill the signature field; returns its fully qualified name.
fn attach_field(
    inc: &mut IncrementalDocument,
    options: &SignOptions,
    sig: ObjectId,
) -> Result<String> {
    let name = match &options.field {
        FieldChoice::Existing(name) => {
            fill_existing(inc, options, name, sig)?;
            return Ok(name.clone());
        }
        FieldChoice::New(name) => {
            if name.is_empty() || name.contains('.') {
                return Err(Error::InvalidOption {
                    option: "field_name",
                });
            }
            if field::field_names(inc.get_prev_documents()).contains(name) {
                return Err(Error::DuplicateFieldName { name: name.clone() });
            }
            name.clone()
        }
        FieldChoice::NewAuto => field::fresh_name(inc.get_prev_documents()),
    };

    // The widgets: (page, rect, appearance form).
    let mut parts: Vec<(ObjectId, [f64; 4], ObjectId)> = Vec::new();
    match (&options.position, &options.picture) {
        (Position::Invisible | Position::InvisibleOn(_), _) => {
            let n = match options.position {
                Position::InvisibleOn(n) => n,
                _ => 1,
            };
            let page = page_id(inc.get_prev_documents(), n)?;
            let ap = appearance::add_empty_form(&mut inc.new_document);
            parts.push((page, [0.0; 4], ap));
        }
        (Position::At(p), Some(pic)) => {
            let page = page_id(inc.get_prev_documents(), p.page())?;
            let geo = field::page_geometry(inc.get_prev_documents(), page, p.page())?;
            let (w, h) = (pic.width_pt(), pic.height_pt());
            let (x, y) = p.top_left_pt(w, h);
            let placed = geo
                .place(x, y, w, h)
                .ok_or(Error::PlacementOutsidePage { page: p.page() })?;
            let img = appearance::embed_image(&mut inc.new_document, pic)?;
            let ap = appearance::add_form(
                &mut inc.new_document,
                img,
                &Piece {
                    bbox: (w, h),
                    draw: [0.0, 0.0, w, h],
                    matrix: placed.matrix,
                },
            );
            parts.push((page, placed.rect, ap));
        }
        (Position::Riding(r), Some(pic)) => {
            let pages = inc.get_prev_documents().get_pages();
            let count = u32::try_from(pages.len()).unwrap_or(u32::MAX);
            let last = r.last_page().unwrap_or(count);
            if r.first_page() == 0 || last > count || r.first_page() > last {
                return Err(Error::PageOutOfRange {
                    page: if last > count { last } else { r.first_page() },
                    pages: count,
                });
            }
            let k = f64::from(last - r.first_page() + 1);
            let (w, h) = (pic.width_pt(), pic.height_pt());
            let strip = w / k;
            let img = appearance::embed_image(&mut inc.new_document, pic)?;
            for (i, n) in (r.first_page()..=last).enumerate() {
                let page = page_id(inc.get_prev_documents(), n)?;
                let geo = field::page_geometry(inc.get_prev_documents(), page, n)?;
                let (dw, _) = geo.displayed_size();
                let x = match r.edge_kind() {
                    Edge::Right => dw - strip,
                    _ => 0.0,
                };
                let placed = geo
                    .place(x, r.y_pt() - h / 2.0, strip, h)
                    .ok_or(Error::PlacementOutsidePage { page: n })?;
                let ap = appearance::add_form(
                    &mut inc.new_document,
                    img,
                    &Piece {
                        bbox: (strip, h),
                        draw: [-(i as f64) * strip, 0.0, w, h],
                        matrix: placed.matrix,
                    },
                );
                parts.push((page, placed.rect, ap));
            }
        }
        (_, None) => {
            return Err(Error::InvalidOption {
                option: "seal picture",
            });
        }
    }

    let field_id = inc.new_document.new_object_id();
    let mut field_dict = Dictionary::new();
    field_dict.set("FT", Object::Name(b"Sig".to_vec()));
    field_dict.set("T", text(&name));
    field_dict.set("V", Object::Reference(sig));
    if let [(page, rect, ap)] = parts.as_slice() {
        // One widget: merged with the field.
        for (k, v) in widget(*page, *rect, *ap) {
            field_dict.set(k, v);
        }
        inc.new_document
            .objects
            .insert(field_id, Object::Dictionary(field_dict));
        field::add_annotation(inc, *page, field_id)?;
    } else {
        let mut kids = Vec::new();
        for (page, rect, ap) in &parts {
            let mut w = widget(*page, *rect, *ap);
            w.set("Parent", Object::Reference(field_id));
            let wid = inc.new_document.add_object(Object::Dictionary(w));
            field::add_annotation(inc, *page, wid)?;
            kids.push(Object::Reference(wid));
        }
        field_dict.set("Kids", Object::Array(kids));
        inc.new_document
            .objects
            .insert(field_id, Object::Dictionary(field_dict));
    }
    field::register_field(inc, field_id)?;
    Ok(name)
}

/// Sign an existing empty signature field: `/V` on the field, the picture fitted into each
/// visible widget.
fn fill_existing(
    inc: &mut IncrementalDocument,
    options: &SignOptions,
    name: &str,
    sig: ObjectId,
) -> Result<()> {
    let found =
        field::find_field(inc.get_prev_documents(), name).ok_or_else(|| Error::FieldNotFound {
            name: name.to_string(),
        })?;
    if !found.is_sig {
        return Err(Error::NotASignatureField {
            name: name.to_string(),
        });
    }
    if found.has_value {
        return Err(Error::FieldAlreadySigned {
            name: name.to_string(),
        });
    }
    field::update_dict(inc, found.id, |d| d.set("V", Object::Reference(sig)))?;
    let img = match &options.picture {
        Some(p) => Some((appearance::embed_image(&mut inc.new_document, p)?, p)),
        None => None,
    };
    let mut seen = HashSet::new();
    for w in found.widgets {
        if !seen.insert(w) {
            continue;
        }
        let Some((rect, page_hint)) = field::widget_rect_and_page(inc.get_prev_documents(), w)
        else {
            continue;
        };
        let (rw, rh) = (rect[2] - rect[0], rect[3] - rect[1]);
        let ap = match img {
            Some((img, pic)) if rw > 0.0 && rh > 0.0 => {
                let rotate = field::page_of_widget(inc.get_prev_documents(), w, page_hint)
                    .and_then(|(n, p)| field::page_geometry(inc.get_prev_documents(), p, n).ok())
                    .map_or(0, |g| g.rotate);
                let (bw, bh) = if rotate % 180 == 0 {
                    (rw, rh)
                } else {
                    (rh, rw)
                };
                let s = (bw / pic.width_pt()).min(bh / pic.height_pt()).min(1.0);
                let (dw, dh) = (pic.width_pt() * s, pic.height_pt() * s);
                let geo = crate::placement::PageGeometry::new([0.0, 0.0, bw, bh], rotate);
                let matrix = geo
                    .place(0.0, 0.0, bw, bh)
                    .map_or([1.0, 0.0, 0.0, 1.0, 0.0, 0.0], |p| p.matrix);
                appearance::add_form(
                    &mut inc.new_document,
                    img,
                    &Piece {
                        bbox: (bw, bh),
                        draw: [(bw - dw) / 2.0, (bh - dh) / 2.0, dw, dh],
                        matrix,
                    },
                )
            }
            _ => appearance::add_empty_form(&mut inc.new_document),
        };
        field::update_dict(inc, w, |d| {
            let mut ap_dict = Dictionary::new();
            ap_dict.set("N", Object::Reference(ap));
            d.set("AP", Object::Dictionary(ap_dict));
        })?;
    }
    field::register_sig_flags(inc)?;
    Ok(())
}

/// A new second `/ID` element for the updated file (ISO 32000-1 §14.4), the first kept.
fn refresh_id(inc: &mut IncrementalDocument, time: SystemTime) {
    let first = match inc.new_document.trailer.get(b"ID") {
        Ok(Object::Array(a)) => a.first().and_then(|f| f.as_str().ok()).map(<[u8]>::to_vec),
        _ => None,
    };
    let first = first.unwrap_or_default();
    let nanos = time
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let seed = Sm3::new()
        .chain_update(&first)
        .chain_update(nanos.to_be_bytes())
        .chain_update((inc.get_prev_documents_bytes().len() as u64).to_be_bytes())
        .finalize();
    let second = seed.get(..16).unwrap_or_default().to_vec();
    let first = if first.is_empty() {
        second.clone()
    } else {
        first
    };
    inc.new_document.trailer.set(
        "ID",
        Object::Array(vec![
            Object::String(first, StringFormat::Hexadecimal),
            Object::String(second, StringFormat::Hexadecimal),
        ]),
    );
}
