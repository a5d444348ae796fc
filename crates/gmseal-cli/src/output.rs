//! Nothing is ever lost: how `gmseal` reads its inputs and writes its outputs.
//!
//! * Every output is written to a temporary file in the destination directory, flushed to disk,
//!   and renamed into place only when complete: a crash or an error leaves either the old file
//!   or no file, never a partial one.
//! * An existing file is not replaced without `--force`; without it the rename itself refuses
//!   to replace a file that appeared meanwhile (no check-then-write race).
//! * An input is never modified, unless the command is given `--in-place`; then the new
//!   content replaces it atomically, keeping its permissions.
//! * Secrets (private keys) are created readable by their owner only.

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use crate::error::{CliError, CliResult, WithPath};

/// The largest input file read into memory (documents, seals, certificates).
pub(crate) const MAX_INPUT: u64 = 1 << 30;

/// Whether a file holds a secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Sensitivity {
    /// Anyone may read it (subject to the umask): documents, certificates, seals.
    Public,
    /// Owner only (0600): private keys.
    Secret,
}

/// Read a whole input file (at most [`MAX_INPUT`] bytes), with the path in any error.
pub(crate) fn read_input(path: &Path) -> CliResult<Vec<u8>> {
    read_limited(path, MAX_INPUT)
}

/// Read a whole file of at most `limit` bytes.
pub(crate) fn read_limited(path: &Path, limit: u64) -> CliResult<Vec<u8>> {
    if path.as_os_str() == "-" {
        let mut data = Vec::new();
        std::io::stdin()
            .take(limit + 1)
            .read_to_end(&mut data)
            .map_err(|e| CliError::failed(format!("cannot read standard input: {e}")))?;
        if data.len() as u64 > limit {
            return Err(CliError::failed(format!(
                "standard input is larger than {limit} bytes"
            )));
        }
        return Ok(data);
    }
    let file = File::open(path).with_path("cannot open", path)?;
    let meta = file.metadata().with_path("cannot read", path)?;
    if meta.is_dir() {
        return Err(CliError::failed(format!(
            "{} is a directory, not a file",
            path.display()
        )));
    }
    if meta.len() > limit {
        return Err(CliError::failed(format!(
            "{} is larger than {limit} bytes",
            path.display()
        )));
    }
    let mut data = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit + 1)
        .read_to_end(&mut data)
        .with_path("cannot read", path)?;
    if data.len() as u64 > limit {
        return Err(CliError::failed(format!(
            "{} is larger than {limit} bytes",
            path.display()
        )));
    }
    Ok(data)
}

/// Write a new file atomically: refuse to replace an existing file unless `force`.
pub(crate) fn write_new(
    path: &Path,
    data: &[u8],
    force: bool,
    sensitivity: Sensitivity,
) -> CliResult<()> {
    if !force && path.symlink_metadata().is_ok() {
        return Err(exists(path));
    }
    write_atomic(
        path,
        data,
        if force { Replace::Yes } else { Replace::No },
        sensitivity,
        None,
    )
}

/// Refuse early when any of `paths` exists and `force` is not given (for commands writing
/// several files, so that none is written when one would be refused).
pub(crate) fn refuse_existing(paths: &[&Path], force: bool) -> CliResult<()> {
    if force {
        return Ok(());
    }
    match paths.iter().find(|p| p.symlink_metadata().is_ok()) {
        Some(p) => Err(exists(p)),
        None => Ok(()),
    }
}
/// Replace `path` (an input given with `--in-place`) atomically, keeping its permissions.
pub(crate) fn replace_in_place(path: &Path, data: &[u8]) -> CliResult<()> {
    let permissions = std::fs::metadata(path)
        .with_path("cannot read", path)?
        .permissions();
    write_atomic(
        path,
        data,
        Replace::Yes,
        Sensitivity::Public,
        Some(permissions),
    )
}

fn exists(path: &Path) -> CliError {
    CliError::failed(format!(
        "{} exists; not overwritten (use --force to replace it)",
        path.display()
    ))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Replace {
    Yes,
    No,
}

fn write_atomic(
    path: &Path,
    data: &[u8],
    replace: Replace,
    sensitivity: Sensitivity,
    permissions: Option<std::fs::Permissions>,
) -> CliResult<()> {
    let dir = parent_dir(path);
    if !dir.is_dir() {
        return Err(CliError::failed(format!(
            "cannot write {}: directory {} does not exist",
            path.display(),
            dir.display()
        )));
    }
    let mut builder = tempfile::Builder::new();
    builder.prefix(".gmseal-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = match sensitivity {
            Sensitivity::Public => 0o666, // less the umask
            Sensitivity::Secret => 0o600,
        };
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    #[cfg(not(unix))]
    let _ = sensitivity;
    let mut tmp = builder
        .tempfile_in(&dir)
        .with_path("cannot create a temporary file in", &dir)?;
    tmp.write_all(data).with_path("cannot write", tmp.path())?;
    if let Some(p) = permissions {
        tmp.as_file()
            .set_permissions(p)
            .with_path("cannot set permissions of", tmp.path())?;
    }
    tmp.as_file()
        .sync_all()
        .with_path("cannot flush", tmp.path())?;
    match replace {
        Replace::Yes => {
            tmp.persist(path).map_err(|e| {
                CliError::failed(format!("cannot write {}: {}", path.display(), e.error))
            })?;
        }
        Replace::No => {
            tmp.persist_noclobber(path).map_err(|e| {
                if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                    exists(path)
                } else {
                    CliError::failed(format!("cannot write {}: {}", path.display(), e.error))
                }
            })?;
        }
    }
    // Make the rename itself durable.
    #[cfg(unix)]
    if let Ok(d) = File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Where a command that transforms a document writes its result.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct OutputArgs {
    /// Where to write the result (default: beside the input, with `-signed` added to its name).
    #[arg(long, short, value_name = "FILE", conflicts_with = "in_place")]
    pub(crate) out: Option<PathBuf>,
    /// Replace the input file itself (atomically: the original stays intact until the new
    /// file is complete).
    #[arg(long)]
    pub(crate) in_place: bool,
    /// Replace the output file if it exists.
    #[arg(long)]
    pub(crate) force: bool,
}
impl OutputArgs {
    /// Resolve the destination for `input`, refusing to touch the input without `--in-place`.
    pub(crate) fn destination(&self, input: &Path, suffix: &str) -> CliResult<Destination> {
        if self.in_place {
            return Ok(Destination::InPlace(input.to_path_buf()));
        }
        let out = match &self.out {
            Some(o) => o.clone(),
            None => default_output(input, suffix)?,
        };
        if same_file(input, &out) {
            return Err(CliError::usage(format!(
                "the output {} is the input; use --in-place to replace the input",
                out.display()
            )));
        }
        if !self.force && out.symlink_metadata().is_ok() {
            return Err(exists(&out));
        }
        Ok(Destination::New {
            path: out,
            force: self.force,
        })
    }
}

/// A resolved destination.
#[derive(Debug, Clone)]
pub(crate) enum Destination {
    /// A new file (replacing an existing one only with `force`).
    New {
        /// The path.
        path: PathBuf,
        /// `--force` was given.
        force: bool,
    },
    /// The input itself.
    InPlace(PathBuf),
}
impl Destination {
    /// The path written.
    pub(crate) fn path(&self) -> &Path {
        match self {
            Destination::New { path, .. } | Destination::InPlace(path) => path,
        }
    }

    /// Write `data` there, atomically.
    pub(crate) fn write(&self, data: &[u8]) -> CliResult<()> {
        match self {
            Destination::New { path, force } => write_new(path, data, *force, Sensitivity::Public),
            Destination::InPlace(path) => replace_in_place(path, data),
        }
    }
}

/// `dir/name.pdf` → `dir/name-signed.pdf`.
fn default_output(input: &Path, suffix: &str) -> CliResult<PathBuf> {
    let stem = input
        .file_stem()
        .ok_or_else(|| CliError::usage(format!("{} has no file name", input.display())))?;
    let mut name = stem.to_os_string();
    name.push(suffix);
    if let Some(ext) = input.extension() {
        name.push(".");
        name.push(ext);
    }
    Ok(input.with_file_name(name))
}

/// Do two paths name the same existing file (or the same path)?
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn write_new_refuses_existing_files_and_force_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.bin");
        write_new(&p, b"one", false, Sensitivity::Public).unwrap();
        let e = write_new(&p, b"two", false, Sensitivity::Public).unwrap_err();
        assert!(e.to_string().contains("--force"), "{e}");
        assert_eq!(std::fs::read(&p).unwrap(), b"one");
        write_new(&p, b"two", true, Sensitivity::Public).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        // no temporary file left behind
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn secrets_are_owner_only_and_in_place_keeps_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let k = dir.path().join("k.pem");
        write_new(&k, b"secret", false, Sensitivity::Secret).unwrap();
        assert_eq!(
            std::fs::metadata(&k).unwrap().permissions().mode() & 0o777,
            0o600
        );
        let d = dir.path().join("d.pdf");
        std::fs::write(&d, b"old").unwrap();
        std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o640)).unwrap();
        replace_in_place(&d, b"new").unwrap();
        assert_eq!(std::fs::read(&d).unwrap(), b"new");
        assert_eq!(
            std::fs::metadata(&d).unwrap().permissions().mode() & 0o777,
            0o640
        );
    }

    #[test]
    fn destination_never_targets_the_input_without_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("doc.pdf");
        std::fs::write(&input, b"x").unwrap();
        let args = OutputArgs {
            out: Some(input.clone()),
            in_place: false,
            force: true,
        };
        assert!(args.destination(&input, "-signed").is_err());
        let args = OutputArgs {
            out: None,
            in_place: false,
            force: false,
        };
        let d = args.destination(&input, "-signed").unwrap();
        assert_eq!(d.path(), dir.path().join("doc-signed.pdf"));
    }

    #[test]
    fn a_missing_input_names_the_file() {
        let e = read_input(Path::new("/nonexistent/file.pdf")).unwrap_err();
        assert!(e.to_string().contains("/nonexistent/file.pdf"), "{e}");
    }
}
