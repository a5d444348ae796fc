//! Trust anchors: `--trust DIR` (certificates and CRLs), `--require-trust`.

use std::path::PathBuf;

use crate::error::{CliError, CliResult};

/// Where trust comes from.
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Trust")]
pub(crate) struct TrustArgs {
    /// A directory (or file) of trust anchor certificates (PEM or DER); repeat for several.
    /// Without it, certificate chains are reported as not checked.
    #[arg(long = "trust", value_name = "DIR")]
    pub(crate) trust: Vec<PathBuf>,
    /// Intermediate CA certificates (a file or directory); repeat for several.
    #[arg(long = "intermediates", value_name = "DIR", requires = "trust")]
    pub(crate) intermediates: Vec<PathBuf>,
    /// CRLs to check revocation against (a file or directory); repeat for several.
    #[arg(long = "crls", value_name = "DIR", requires = "trust")]
    pub(crate) crls: Vec<PathBuf>,
    /// Fail (exit 1) unless every certificate chains to a trust anchor.
    #[arg(long)]
    pub(crate) require_trust: bool,
}

/// A configured chain verifier.
#[derive(Debug)]
pub(crate) struct Chain {
    _private: (),
}

impl Chain {
    /// As gmseal-ses wants it.
    pub(crate) fn as_ses(&self) -> &dyn gmseal_ses::verify::ChainVerifier {
        self
    }
}

impl Chain {
    /// As gmseal-cms wants it.
    pub(crate) fn as_cms(&self) -> &dyn gmseal_cms::ChainVerifier {
        self
    }
}

impl gmseal_cms::ChainVerifier for Chain {
    fn verify_chain(
        &self,
        _signer: &x509_cert::Certificate,
        _intermediates: &[x509_cert::Certificate],
        _crls: &[&[u8]],
        _at: std::time::SystemTime,
    ) -> Result<gmseal_cms::ChainSummary, gmseal_cms::ChainError> {
        Err(gmseal_cms::ChainError::Other(
            "chain verification is not available in this build".into(),
        ))
    }
}

impl gmseal_ses::verify::ChainVerifier for Chain {
    fn verify_chain(
        &self,
        _certificate: &[u8],
        _role: gmseal_ses::CertRole,
        _at: der::DateTime,
    ) -> Result<(), gmseal_ses::BoxError> {
        Err("chain verification is not available in this build".into())
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
        Err(CliError::failed(
            "--trust needs gmseal-cert's chain verification, which is not in this build yet",
        ))
    }
}
