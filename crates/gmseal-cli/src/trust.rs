//! Trust anchors: `--trust DIR` (certificates), `--intermediates`, `--crls`,
//! `--require-trust`; gmseal-cert's path validation plugged into the seal and CMS verifiers.

use std::path::{Path, PathBuf};

use gmseal_cert::{ChainOptions, TrustStore, VerifyCache};
use gmseal_cms::CertChainVerifier;

use crate::error::{CliError, CliResult};

/// Where trust comes from.
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Trust")]
pub(crate) struct TrustArgs {
    /// Trust anchor certificates: a directory of .pem/.crt/.cer/.der files, or one file (PEM
    /// may hold several); repeat for several. Without it, chains are reported as not checked.
    #[arg(long = "trust", value_name = "DIR")]
    pub(crate) trust: Vec<PathBuf>,
    /// Intermediate CA certificates (a directory or a file); repeat for several.
    #[arg(long = "intermediates", value_name = "DIR", requires = "trust")]
    pub(crate) intermediates: Vec<PathBuf>,
    /// CRLs to check revocation against (a directory or a file); repeat for several.
    #[arg(long = "crls", value_name = "DIR", requires = "trust")]
    pub(crate) crls: Vec<PathBuf>,
    /// Fail (exit 1) unless every certificate chains to a trust anchor.
    #[arg(long)]
    pub(crate) require_trust: bool,
}

/// A configured chain verifier: gmseal-cert's path validation over a trust store.
#[derive(Debug)]
pub(crate) struct Chain {
    store: TrustStore,
}

#[derive(Clone, Copy)]
enum Kind {
    Anchors,
    Intermediates,
    Crls,
}

fn load_into(store: &mut TrustStore, path: &Path, kind: Kind) -> CliResult<usize> {
    let what = match kind {
        Kind::Anchors => "trust anchors",
        Kind::Intermediates => "intermediate certificates",
        Kind::Crls => "CRLs",
    };
    let err = |e: gmseal_cert::Error| {
        CliError::failed(format!(
            "cannot load {what} from {}: {}",
            path.display(),
            crate::error::chain(&e)
        ))
    };
    if path.is_dir() {
        match kind {
            Kind::Anchors => store.add_anchors_from_dir(path),
            Kind::Intermediates => store.add_intermediates_from_dir(path),
            Kind::Crls => store.add_crls_from_dir(path),
        }
        .map_err(err)
    } else {
        let data = crate::output::read_limited(path, 64 << 20)?;
        match kind {
            Kind::Anchors => store.add_anchors(&data),
            Kind::Intermediates => store.add_intermediates(&data),
            Kind::Crls => store.add_crls(&data),
        }
        .map_err(err)
    }
}

impl TrustArgs {
    /// The chain verifier, when trust anchors are given.
    pub(crate) fn load(&self) -> CliResult<Option<Chain>> {
        if self.trust.is_empty() {
            if self.require_trust {
                return Err(CliError::usage(
                    "--require-trust needs trust anchors: give --trust DIR",
                ));
            }
            return Ok(None);
        }
        let mut store = TrustStore::new();
        let mut anchors = 0;
        for p in &self.trust {
            anchors += load_into(&mut store, p, Kind::Anchors)?;
        }
        if anchors == 0 {
            return Err(CliError::failed(format!(
                "no trust anchor certificate found in {}",
                self.trust
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        for p in &self.intermediates {
            load_into(&mut store, p, Kind::Intermediates)?;
        }
        for p in &self.crls {
            load_into(&mut store, p, Kind::Crls)?;
        }
        Ok(Some(Chain { store }))
    }
}

impl Chain {
    /// A verifier over `store`.
    pub(crate) fn new(store: TrustStore) -> Self {
        Chain { store }
    }

    /// The trust store.
    pub(crate) fn store(&self) -> &TrustStore {
        &self.store
    }

    /// gmseal-cms's adapter over the store: the chain verifier of the CMS, seal and timestamp
    /// verifiers (the leaf key usage each asks for, the validation time each gives).
    pub(crate) fn verifier(&self) -> CertChainVerifier<'_> {
        self.verifier_cached(None)
    }

    /// As [`verifier`](Self::verifier), sharing `cache` (certificate and CRL signatures
    /// verified once for all the files of a `gmseal verify` run).
    pub(crate) fn verifier_cached(&self, cache: Option<&VerifyCache>) -> CertChainVerifier<'_> {
        let options = ChainOptions {
            cache: cache.cloned(),
            ..ChainOptions::default()
        };
        CertChainVerifier::new(&self.store, options)
    }
}
