//! Package paths and OFD locations (`ST_Loc`, GB/T 33190-2016 §7.3 / §8).
//!
//! Inside the zip, a file is named without a leading slash (`Doc_0/Document.xml`). In the XML,
//! a location is either absolute, from the package root (`/Doc_0/Document.xml`), or relative to
//! the directory of the file it is written in (`Pages/Page_0/Content.xml` in `Document.xml`).
//! [`PackagePath`] is the normalised form (no leading slash, no `.` or `..`), and
//! [`resolve`] turns a location into one.

use core::fmt;

/// Longest entry name or location accepted.
pub const MAX_PATH_LEN: usize = 1024;

/// Why a name or location is not a usable package path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PathError {
    /// Empty.
    Empty,
    /// Longer than [`MAX_PATH_LEN`] bytes.
    TooLong,
    /// An entry name that starts with `/` (absolute).
    Absolute,
    /// A `\` separator.
    Backslash,
    /// A drive letter (`C:`) or another `:`.
    Colon,
    /// A control character (including NUL).
    ControlCharacter,
    /// A `.` or `..` segment in an entry name, or `..` climbing above the package root.
    Traversal,
    /// An empty segment (`a//b`) in an entry name.
    EmptySegment,
    /// The name is not UTF-8.
    NotUtf8,
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PathError::Empty => "empty",
            PathError::TooLong => "too long",
            PathError::Absolute => "absolute name",
            PathError::Backslash => "backslash separator",
            PathError::Colon => "drive letter or colon",
            PathError::ControlCharacter => "control character",
            PathError::Traversal => "'.' or '..' segment (path traversal)",
            PathError::EmptySegment => "empty path segment",
            PathError::NotUtf8 => "not UTF-8",
        })
    }
}

impl std::error::Error for PathError {}

/// A normalised path of a file or directory in the package: no leading slash, `/`
/// separators, no `.`, `..` or empty segments.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PackagePath(String);

impl PackagePath {
    /// The package root (the empty path), as a directory.
    pub fn root() -> Self {
        PackagePath(String::new())
    }

    /// Check a zip entry name. A trailing `/` (directory entry) is allowed and kept.
    ///
    /// ```
    /// use gmseal_ofd::path::{PackagePath, PathError};
    /// assert!(PackagePath::from_entry_name(b"Doc_0/Document.xml").is_ok());
    /// assert_eq!(PackagePath::from_entry_name(b"../evil").unwrap_err(), PathError::Traversal);
    /// assert_eq!(PackagePath::from_entry_name(b"/etc/passwd").unwrap_err(), PathError::Absolute);
    /// ```
    ///
    /// # Errors
    /// The [`PathError`] that makes the name unsafe.
    pub fn from_entry_name(raw: &[u8]) -> Result<Self, PathError> {
        let name = core::str::from_utf8(raw).map_err(|_| PathError::NotUtf8)?;
        if name.is_empty() {
            return Err(PathError::Empty);
        }
        if name.len() > MAX_PATH_LEN {
            return Err(PathError::TooLong);
        }
        check_chars(name)?;
        if name.starts_with('/') {
            return Err(PathError::Absolute);
        }
        let body = name.strip_suffix('/').unwrap_or(name);
        if body.is_empty() {
            return Err(PathError::Empty);
        }
        for seg in body.split('/') {
            match seg {
                "" => return Err(PathError::EmptySegment),
                "." | ".." => return Err(PathError::Traversal),
                _ => {}
            }
        }
        Ok(PackagePath(name.to_owned()))
    }

    /// The path as stored in the zip (no leading slash).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The absolute location form, with a leading slash (`/Doc_0/Document.xml`).
    pub fn to_loc(&self) -> String {
        format!("/{}", self.0)
    }

    /// Is this a directory entry (trailing `/`) or the root?
    pub fn is_dir(&self) -> bool {
        self.0.is_empty() || self.0.ends_with('/')
    }

    /// The directory containing this file (the root for a top-level file), ending in `/`
    /// unless it is the root.
    pub fn parent(&self) -> PackagePath {
        let body = self.0.strip_suffix('/').unwrap_or(&self.0);
        match body.rfind('/') {
            Some(i) => PackagePath(body[..=i].to_owned()),
            None => PackagePath::root(),
        }
    }

    /// The last segment.
    pub fn file_name(&self) -> &str {
        let body = self.0.strip_suffix('/').unwrap_or(&self.0);
        body.rsplit('/').next().unwrap_or(body)
    }

    /// A path built by the caller from trusted segments (used when the signer names new
    /// files); normalised like a location relative to the root.
    ///
    /// # Errors
    /// As [`resolve`].
    pub fn new(path: &str) -> Result<Self, PathError> {
        resolve(&PackagePath::root(), path).map(|r| r.path)
    }
}

impl fmt::Display for PackagePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "/{}", self.0)
    }
}

impl AsRef<str> for PackagePath {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// How a location was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LocForm {
    /// From the package root, with a leading `/`.
    Absolute,
    /// Relative to the directory of the file it is written in.
    Relative,
}

/// A resolved location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// The package path.
    pub path: PackagePath,
    /// How it was written.
    pub form: LocForm,
}

fn check_chars(s: &str) -> Result<(), PathError> {
    for c in s.chars() {
        if c.is_control() {
            return Err(PathError::ControlCharacter);
        }
        if c == '\\' {
            return Err(PathError::Backslash);
        }
        if c == ':' {
            return Err(PathError::Colon);
        }
    }
    Ok(())
}

/// Resolve a location written in a file whose directory is `base_dir`.
///
/// `.` segments and empty segments are dropped, `..` climbs one directory and may not climb
/// above the root. Surrounding whitespace is trimmed (XML text content).
///
/// ```
/// use gmseal_ofd::path::{resolve, LocForm, PackagePath};
/// let dir = PackagePath::new("Doc_0/Document.xml").unwrap().parent();
/// let r = resolve(&dir, "Pages/Page_0/Content.xml").unwrap();
/// assert_eq!(r.path.as_str(), "Doc_0/Pages/Page_0/Content.xml");
/// assert_eq!(r.form, LocForm::Relative);
/// assert_eq!(resolve(&dir, "/OFD.xml").unwrap().path.as_str(), "OFD.xml");
/// assert_eq!(resolve(&dir, "../Res/a.png").unwrap().path.as_str(), "Res/a.png");
/// assert!(resolve(&dir, "../../x").is_err());
/// ```
///
/// # Errors
/// [`PathError`] for empty, over-long, backslash, colon, control characters or traversal
/// above the root.
pub fn resolve(base_dir: &PackagePath, loc: &str) -> Result<Resolved, PathError> {
    let loc = loc.trim();
    if loc.is_empty() {
        return Err(PathError::Empty);
    }
    if loc.len() > MAX_PATH_LEN {
        return Err(PathError::TooLong);
    }
    check_chars(loc)?;
    let (form, rest, mut segs): (LocForm, &str, Vec<&str>) = match loc.strip_prefix('/') {
        Some(rest) => (LocForm::Absolute, rest, Vec::new()),
        None => {
            let base = base_dir.0.strip_suffix('/').unwrap_or(&base_dir.0);
            let segs = if base.is_empty() {
                Vec::new()
            } else {
                base.split('/').collect()
            };
            (LocForm::Relative, loc, segs)
        }
    };
    for seg in rest.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if segs.pop().is_none() {
                    return Err(PathError::Traversal);
                }
            }
            s => segs.push(s),
        }
    }
    if segs.is_empty() {
        return Err(PathError::Empty);
    }
    Ok(Resolved {
        path: PackagePath(segs.join("/")),
        form,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn entry_names() {
        for bad in [
            &b""[..],
            b"/a",
            b"a/../b",
            b"./a",
            b"a//b",
            b"a\\b",
            b"C:/x",
            b"a\0b",
            b"\xff",
            b"/",
        ] {
            assert!(PackagePath::from_entry_name(bad).is_err(), "{bad:?}");
        }
        let d = PackagePath::from_entry_name(b"Doc_0/").unwrap();
        assert!(d.is_dir());
        let f = PackagePath::from_entry_name(b"Doc_0/Signs/Sign_0/Signature.xml").unwrap();
        assert_eq!(f.parent().as_str(), "Doc_0/Signs/Sign_0/");
        assert_eq!(f.file_name(), "Signature.xml");
        assert_eq!(
            PackagePath::from_entry_name(b"OFD.xml")
                .unwrap()
                .parent()
                .as_str(),
            ""
        );
    }

    #[test]
    fn locations() {
        let root = PackagePath::root();
        assert_eq!(
            resolve(&root, "Doc_0/Document.xml").unwrap().path.as_str(),
            "Doc_0/Document.xml"
        );
        assert_eq!(
            resolve(&root, " /Doc_0//./a.xml ").unwrap().path.as_str(),
            "Doc_0/a.xml"
        );
        assert_eq!(resolve(&root, "..").unwrap_err(), PathError::Traversal);
        assert_eq!(resolve(&root, "/").unwrap_err(), PathError::Empty);
    }
}
