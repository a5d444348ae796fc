//! OFD signing and verification (gmseal-ofd): not in this build yet.

use std::path::Path;

use crate::error::{CliError, CliResult};
use crate::sign::Common;
use crate::trust::Chain;
use crate::verify::FileResult;

/// `gmseal sign ofd`.
pub(crate) fn sign(_input: &Path, _common: &Common, _page: u32, _x: f64, _y: f64) -> CliResult {
    Err(CliError::failed(
        "gmseal sign ofd needs gmseal-ofd, which is not in this build yet",
    ))
}

/// Verify an OFD held in memory into `r`.
pub(crate) fn verify(_data: &[u8], _chain: Option<&Chain>, _lenient: bool, r: &mut FileResult) {
    r.error = Some("OFD verification needs gmseal-ofd, which is not in this build yet".into());
}

/// The demo's OFD step: skipped until gmseal-ofd is in this build.
pub(crate) fn demo(
    dir: &Path,
    force: bool,
    _seal: &gmseal_ses::Seal,
    _key: &gmseal_sm2::SoftwareSigner,
    _cert: &[u8],
    _chain: &Chain,
) -> CliResult<Vec<std::path::PathBuf>> {
    let ofd = crate::demo::sample_ofd()?;
    let path = dir.join("contract.ofd");
    crate::output::write_new(&path, &ofd, force, crate::output::Sensitivity::Public)?;
    say!(
        "    {} written; sealing it is skipped: gmseal-ofd is not in this build yet",
        path.display()
    );
    Ok(vec![path])
}
