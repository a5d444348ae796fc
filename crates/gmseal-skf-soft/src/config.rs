//! The token's configuration: where its store is, which vendor quirks it mimics, and which
//! faults it injects.
//!
//! The token reads it once, at its first call, from the first of:
//!
//! 1. `<path of the loaded library>.json` (e.g. `libgmseal_skf_soft.so.json`), so that two
//!    copies of the library loaded side by side can be configured differently;
//! 2. the file named by `GMSEAL_SKF_SOFT_CONFIG`;
//! 3. `GMSEAL_SKF_SOFT_STORE`: a store directory, with no quirks and no faults.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Environment variable naming a configuration file.
pub const CONFIG_ENV: &str = "GMSEAL_SKF_SOFT_CONFIG";
/// Environment variable naming a store directory.
pub const STORE_ENV: &str = "GMSEAL_SKF_SOFT_STORE";

/// The whole configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct TokenConfig {
    /// The store directory.
    pub store: PathBuf,
    /// Vendor variants to mimic.
    #[serde(default)]
    pub quirks: SoftQuirks,
    /// Misbehaviour to inject.
    #[serde(default)]
    pub faults: Faults,
}

impl TokenConfig {
    /// A configuration for `store` without quirks or faults.
    pub fn new(store: impl Into<PathBuf>) -> TokenConfig {
        TokenConfig {
            store: store.into(),
            quirks: SoftQuirks::default(),
            faults: Faults::default(),
        }
    }

    /// Read a configuration file.
    ///
    /// # Errors
    /// When the file cannot be read or parsed.
    pub fn read(path: &Path) -> std::io::Result<TokenConfig> {
        let text = std::fs::read(path)?;
        serde_json::from_slice(&text)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
    }

    /// Write it as JSON.
    ///
    /// # Errors
    /// When the file cannot be written.
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        let json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        crate::store::write_atomic(path, &json)
    }
}

/// The numbering of the SM2 algorithm IDs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum AlgIds {
    /// GM/T 0006-2012 (`SGD_SM2_1` = 0x00020200).
    #[default]
    Standard,
    /// One bit lower (`SGD_SM2_1` = 0x00020100).
    Legacy,
}

/// Vendor variants (see the notes on SKF quirks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[non_exhaustive]
pub struct SoftQuirks {
    /// SM2 ID numbering accepted by `SKF_GenECCKeyPair` and announced in DEVINFO.
    pub alg_ids: AlgIds,
    /// DEVINFO size written: 294 (packed), 296 (natural alignment) or 286 (no buffer sizes).
    pub devinfo_size: u32,
    /// Bytes written for a `BOOL*` out-parameter: 1, 4 or 8.
    pub bool_width: u32,
    /// End name lists with the extra NUL (the standard) or not.
    pub name_list_final_nul: bool,
    /// Names on the wire in GBK instead of UTF-8.
    pub gbk_names: bool,
}

impl Default for SoftQuirks {
    fn default() -> Self {
        SoftQuirks {
            alg_ids: AlgIds::Standard,
            devinfo_size: 294,
            bool_width: 4,
            name_list_final_nul: true,
            gbk_names: false,
        }
    }
}

/// Faults to inject, to test that a binding survives a misbehaving library. All off by default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[non_exhaustive]
pub struct Faults {
    /// Refuse the length query (null output buffer) with `SAR_INVALIDPARAMERR`, as some
    /// libraries do.
    pub no_length_query: bool,
    /// Name lists: claim more bytes written than the buffer holds.
    pub name_list_overlong: bool,
    /// Name lists: no NUL at all.
    pub name_list_unterminated: bool,
    /// Name lists: announce an absurd size (0xFFFFFFF0) in the length query.
    pub name_list_huge: bool,
    /// DEVINFO strings fill their arrays with no NUL and invalid UTF-8.
    pub devinfo_unterminated: bool,
    /// Exported public key: non-zero bytes in the padding of X.
    pub pubkey_bad_padding: bool,
    /// Exported public key: a length of 100.
    pub pubkey_short: bool,
    /// Exported public key: claim more bytes than the buffer holds.
    pub pubkey_overlong: bool,
    /// Exported public key: a point not on the curve.
    pub pubkey_off_curve: bool,
    /// Certificates: claim more bytes written than the buffer holds.
    pub cert_overlong: bool,
    /// Signatures: non-zero bytes in the padding of r.
    pub signature_bad_padding: bool,
    /// Signatures: a flipped bit in s (does not verify).
    pub signature_wrong: bool,
    /// Signatures: r = 0.
    pub signature_zero: bool,
    /// Digests: claim 100 bytes.
    pub digest_overlong: bool,
    /// PIN info: more tries left than allowed.
    pub pin_info_garbage: bool,
    /// `SKF_ConnectDev` succeeds with a null handle.
    pub null_handle: bool,
    /// `SKF_WaitForDevEvent` claims a name longer than the buffer.
    pub event_name_overlong: bool,
    /// Functions (by name, e.g. `SKF_GenRandom`) that panic inside the token; the panic must
    /// be caught at the boundary and turned into `SAR_FAIL`.
    pub panic_in: Vec<String>,
}
