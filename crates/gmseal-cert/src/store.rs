//! Trust anchors, intermediate certificates and CRLs for chain verification.

use std::path::Path;

use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;

use crate::cert::{Cert, MAX_CERTIFICATE_LEN, parse_certificates};
use crate::crl::{Crl, MAX_CRL_LEN, parse_crls};
use crate::error::{Error, Result};
use crate::name::names_match;

/// At most this many certificates (anchors plus intermediates) and this many CRLs per store.
pub const MAX_STORE_ITEMS: usize = 100_000;

/// Trust anchors, untrusted intermediates and CRLs.
///
/// Anchors are trusted as configured: their own signature is not checked, their validity and
/// CA constraints are. Intermediates are only candidates for path building. Certificates are
/// kept once (a second copy of the same DER is ignored).
///
/// ```
/// # let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/certs/nrcac-ca");
/// use gmseal_cert::TrustStore;
/// let mut store = TrustStore::new();
/// store.add_anchors(&std::fs::read(format!("{dir}/ROOTCA_NRCAC_root_sm2.pem")).unwrap()).unwrap();
/// assert_eq!(store.anchors().len(), 1);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustStore {
    anchors: Vec<Cert>,
    intermediates: Vec<Cert>,
    crls: Vec<Crl>,
}

impl TrustStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add trust anchors from PEM (any number of certificates) or DER. Returns how many were
    /// added.
    ///
    /// # Errors
    /// The parse error of the first bad certificate (nothing is added then);
    /// [`Error::TooMany`].
    pub fn add_anchors(&mut self, pem_or_der: &[u8]) -> Result<usize> {
        let certs = parse_certificates(pem_or_der)?;
        self.add_certs(certs, true)
    }

    /// Add intermediate (untrusted) certificates from PEM or DER.
    ///
    /// # Errors
    /// As [`add_anchors`](Self::add_anchors).
    pub fn add_intermediates(&mut self, pem_or_der: &[u8]) -> Result<usize> {
        let certs = parse_certificates(pem_or_der)?;
        self.add_certs(certs, false)
    }

    /// Add CRLs from PEM (any number of `X509 CRL` blocks) or DER.
    ///
    /// # Errors
    /// The parse error of the first bad CRL; [`Error::TooMany`].
    pub fn add_crls(&mut self, pem_or_der: &[u8]) -> Result<usize> {
        let crls = parse_crls(pem_or_der)?;
        let n = crls.len();
        for c in crls {
            self.add_crl(c)?;
        }
        Ok(n)
    }

    /// Add a parsed anchor.
    ///
    /// # Errors
    /// [`Error::TooMany`].
    pub fn add_anchor(&mut self, cert: Cert) -> Result<()> {
        self.add_certs(vec![cert], true).map(|_| ())
    }

    /// Add a parsed intermediate.
    ///
    /// # Errors
    /// [`Error::TooMany`].
    pub fn add_intermediate(&mut self, cert: Cert) -> Result<()> {
        self.add_certs(vec![cert], false).map(|_| ())
    }

    /// Add a parsed CRL.
    ///
    /// # Errors
    /// [`Error::TooMany`].
    pub fn add_crl(&mut self, crl: Crl) -> Result<()> {
        if self.crls.len() >= MAX_STORE_ITEMS {
            return Err(Error::TooMany {
                what: "CRLs in a trust store",
                limit: MAX_STORE_ITEMS,
            });
        }
        if !self.crls.iter().any(|c| c.der() == crl.der()) {
            self.crls.push(crl);
        }
        Ok(())
    }

    fn add_certs(&mut self, certs: Vec<Cert>, anchor: bool) -> Result<usize> {
        if self.anchors.len() + self.intermediates.len() + certs.len() > MAX_STORE_ITEMS {
            return Err(Error::TooMany {
                what: "certificates in a trust store",
                limit: MAX_STORE_ITEMS,
            });
        }
        let mut added = 0;
        for c in certs {
            let list = if anchor {
                &mut self.anchors
            } else {
                &mut self.intermediates
            };
            if !list.contains(&c) {
                list.push(c);
                added += 1;
            }
        }
        Ok(added)
    }

    /// Add every certificate file of a directory (not recursive) as trust anchors: files
    /// ending `.pem`, `.crt`, `.cer`, `.der`. Returns how many certificates were added.
    ///
    /// # Errors
    /// [`Error::Io`], or [`Error::File`] naming the first file that does not parse.
    pub fn add_anchors_from_dir(&mut self, dir: impl AsRef<Path>) -> Result<usize> {
        self.load_dir(dir.as_ref(), DirKind::Anchors)
    }

    /// Add every certificate file of a directory as intermediates.
    ///
    /// # Errors
    /// As [`add_anchors_from_dir`](Self::add_anchors_from_dir).
    pub fn add_intermediates_from_dir(&mut self, dir: impl AsRef<Path>) -> Result<usize> {
        self.load_dir(dir.as_ref(), DirKind::Intermediates)
    }

    /// Add every CRL file of a directory (`.crl`, `.pem`, `.der`).
    ///
    /// # Errors
    /// As [`add_anchors_from_dir`](Self::add_anchors_from_dir).
    pub fn add_crls_from_dir(&mut self, dir: impl AsRef<Path>) -> Result<usize> {
        self.load_dir(dir.as_ref(), DirKind::Crls)
    }

    fn load_dir(&mut self, dir: &Path, kind: DirKind) -> Result<usize> {
        let io = |e| Error::Io {
            path: dir.to_path_buf(),
            source: e,
        };
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .map_err(io)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .filter(|p| {
                let ext = p
                    .extension()
                    .and_then(|e| e.to_str())
                    .map(str::to_ascii_lowercase);
                match kind {
                    DirKind::Crls => matches!(ext.as_deref(), Some("crl" | "pem" | "der")),
                    _ => matches!(ext.as_deref(), Some("pem" | "crt" | "cer" | "der")),
                }
            })
            .collect();
        paths.sort();
        let limit = match kind {
            DirKind::Crls => MAX_CRL_LEN,
            _ => MAX_CERTIFICATE_LEN * 64,
        };
        let mut total = 0;
        for path in paths {
            let file_err = |source: Error| Error::File {
                path: path.clone(),
                source: Box::new(source),
            };
            let len = std::fs::metadata(&path)
                .map_err(|e| Error::Io {
                    path: path.clone(),
                    source: e,
                })?
                .len();
            if len > limit as u64 {
                return Err(file_err(Error::TooLarge {
                    what: match kind {
                        DirKind::Crls => crate::error::Structure::Crl,
                        _ => crate::error::Structure::Certificate,
                    },
                    len: usize::try_from(len).unwrap_or(usize::MAX),
                    limit,
                }));
            }
            let bytes = std::fs::read(&path).map_err(|e| Error::Io {
                path: path.clone(),
                source: e,
            })?;
            total += match kind {
                DirKind::Anchors => self.add_anchors(&bytes),
                DirKind::Intermediates => self.add_intermediates(&bytes),
                DirKind::Crls => self.add_crls(&bytes),
            }
            .map_err(file_err)?;
        }
        Ok(total)
    }

    /// The trust anchors.
    pub fn anchors(&self) -> &[Cert] {
        &self.anchors
    }

    /// The intermediates.
    pub fn intermediates(&self) -> &[Cert] {
        &self.intermediates
    }

    /// The CRLs.
    pub fn crls(&self) -> &[Crl] {
        &self.crls
    }

    /// Is `cert` (byte for byte) a trust anchor?
    pub fn is_anchor(&self, cert: &Cert) -> bool {
        self.anchors.contains(cert)
    }

    /// CRLs whose issuer name matches `issuer`.
    pub fn crls_issued_by<'a>(&'a self, issuer: &'a Name) -> impl Iterator<Item = &'a Crl> + 'a {
        self.crls
            .iter()
            .filter(move |c| names_match(c.issuer(), issuer))
    }

    /// All certificates (anchors first).
    pub fn certificates(&self) -> impl Iterator<Item = &Cert> {
        self.anchors.iter().chain(self.intermediates.iter())
    }

    /// The certificate CMS's `IssuerAndSerialNumber` names, among anchors and intermediates.
    pub fn find_by_issuer_serial(&self, issuer: &Name, serial: &SerialNumber) -> Option<&Cert> {
        self.certificates()
            .find(|c| c.matches_issuer_serial(issuer, serial))
    }

    /// The certificate whose subjectKeyIdentifier is `ski`.
    pub fn find_by_ski(&self, ski: &[u8]) -> Option<&Cert> {
        self.certificates().find(|c| c.matches_ski(ski))
    }
}

/// Find the certificate `IssuerAndSerialNumber` names among `certs` (e.g. a SignedData's
/// certificate set).
pub fn find_by_issuer_serial<'a>(
    certs: &'a [Cert],
    issuer: &Name,
    serial: &SerialNumber,
) -> Option<&'a Cert> {
    certs
        .iter()
        .find(|c| c.matches_issuer_serial(issuer, serial))
}

/// Find the certificate whose subjectKeyIdentifier is `ski` among `certs`.
pub fn find_by_ski<'a>(certs: &'a [Cert], ski: &[u8]) -> Option<&'a Cert> {
    certs.iter().find(|c| c.matches_ski(ski))
}

#[derive(Clone, Copy)]
enum DirKind {
    Anchors,
    Intermediates,
    Crls,
}
