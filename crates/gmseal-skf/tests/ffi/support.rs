//! Setting up soft tokens for the tests.

use gmseal_skf::{Application, LibraryConfig, PinType, Quirks, SignerConfig, Skf, SkfSigner};
use gmseal_skf_soft::{TestToken, TestTokenSpec};
use tempfile::TempDir;

/// A token with a fresh key in a temporary directory (kept alive by the returned `TempDir`).
pub(crate) fn token(spec: &TestTokenSpec) -> (TempDir, TestToken) {
    let dir = tempfile::tempdir().unwrap();
    let t = TestToken::create(dir.path(), spec).unwrap();
    (dir, t)
}

/// A default token.
pub(crate) fn default_token() -> (TempDir, TestToken) {
    token(&TestTokenSpec::default())
}

/// Load a token's library with the given quirks.
pub(crate) fn open(t: &TestToken, quirks: Quirks) -> Skf {
    Skf::open(&t.library, LibraryConfig::with_quirks(quirks)).unwrap()
}

/// Connect and open the application (no PIN verified).
pub(crate) fn app(t: &TestToken, skf: &Skf) -> Application {
    skf.connect(t.device.as_str())
        .unwrap()
        .open_application(t.application.as_str())
        .unwrap()
}

/// Open the application and verify the user PIN.
pub(crate) fn logged_in(t: &TestToken, skf: &Skf) -> Application {
    let a = app(t, skf);
    a.verify_pin(PinType::User, &t.user_pin).unwrap();
    a
}

/// The signer configuration of a token.
pub(crate) fn signer_config(t: &TestToken, quirks: Quirks) -> SignerConfig {
    SignerConfig::new(&t.library, &t.application, &t.container, &t.user_pin)
        .device(&t.device)
        .library_config(LibraryConfig::with_quirks(quirks))
}

/// The token's signer, standard quirks.
pub(crate) fn signer(t: &TestToken) -> SkfSigner {
    SkfSigner::open(&signer_config(t, Quirks::STANDARD)).unwrap()
}
