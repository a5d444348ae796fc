//! Trust anchors: `--trust DIR` (certificates), `--intermediates`, `--crls`,
//! `--require-trust`; gmseal-cert's path validation plugged into the seal and CMS verifiers.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use der::DateTime;
use gmseal_cert::{ChainOptions, KeyUsageRequirement, Problem, TrustStore, Verdict, verify_chain};

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

    /// As gmseal-ses wants it.
    pub(crate) fn as_ses(&self) -> &dyn gmseal_ses::verify::ChainVerifier {
        self
    }

    /// As gmseal-cms wants it.
    pub(crate) fn as_cms(&self) -> &dyn gmseal_cms::ChainVerifier {
        self
    }

    fn check(
        &self,
        leaf: &[u8],
        extra: &[Vec<u8>],
        options: &ChainOptions,
    ) -> Result<(), (bool, String)> {
        let report = verify_chain(leaf, extra, &self.store, options)
            .map_err(|e| (false, crate::error::chain(&e)))?;
        match &report.verdict {
            Verdict::Trusted => Ok(()),
            Verdict::Untrusted { problem, .. } => Err((
                matches!(problem, Problem::Revoked(_)),
                report.verdict.to_string(),
            )),
            other => Err((false, other.to_string())),
        }
    }
}

impl gmseal_ses::verify::ChainVerifier for Chain {
    fn verify_chain(
        &self,
        certificate: &[u8],
        _role: gmseal_ses::CertRole,
        at: DateTime,
    ) -> Result<(), gmseal_ses::BoxError> {
        let options = ChainOptions::at(at).with_leaf_key_usage(KeyUsageRequirement::Signing);
        self.check(certificate, &[], &options)
            .map_err(|(_, why)| why.into())
    }
}

impl gmseal_cms::ChainVerifier for Chain {
    fn verify_chain(
        &self,
        signer: &x509_cert::Certificate,
        intermediates: &[x509_cert::Certificate],
        _crls: &[&[u8]],
        at: SystemTime,
    ) -> Result<gmseal_cms::ChainSummary, gmseal_cms::ChainError> {
        use der::Encode;
        let other = |e: &dyn std::fmt::Display| gmseal_cms::ChainError::Other(e.to_string());
        let leaf = signer.to_der().map_err(|e| other(&e))?;
        let extra = intermediates
            .iter()
            .map(Encode::to_der)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| other(&e))?;
        let options = ChainOptions::at_system_time(at).map_err(|e| other(&e))?;
        let report = verify_chain(&leaf, &extra, &self.store, &options)
            .map_err(|e| other(&crate::error::chain(&e)))?;
        match &report.verdict {
            Verdict::Trusted => Ok(gmseal_cms::ChainSummary::new(
                report.path.len(),
                !self.store.crls().is_empty(),
            )),
            Verdict::Untrusted {
                problem: Problem::Revoked(_),
                ..
            } => Err(gmseal_cms::ChainError::Revoked {
                subject: signer.tbs_certificate().subject().to_string(),
            }),
            v => Err(gmseal_cms::ChainError::NoPath(v.to_string())),
        }
    }
}
