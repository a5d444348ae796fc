//! Passwords and PINs: from an environment variable or a prompt on the terminal, never from the
//! command line (where `ps` and shell histories would show them) and never echoed.

use std::io::IsTerminal;

use zeroize::Zeroizing;

use crate::error::{CliError, CliResult};

/// Environment variable holding the password of an encrypted private key file.
pub(crate) const KEY_PASSWORD_ENV: &str = "GMSEAL_KEY_PASSWORD";
/// Environment variable holding the user PIN of an SKF device.
pub(crate) const SKF_PIN_ENV: &str = "GMSEAL_SKF_PIN";
/// Environment variable holding the password for a new encrypted key (`keygen --encrypt`).
pub(crate) const NEW_PASSWORD_ENV: &str = "GMSEAL_NEW_KEY_PASSWORD";

/// Obtain a secret: the environment variable `env` if set, otherwise a prompt without echo
/// when standard input is a terminal.
pub(crate) fn obtain(what: &str, env: &str) -> CliResult<Zeroizing<String>> {
    if let Some(v) = std::env::var_os(env) {
        let v = v
            .into_string()
            .map_err(|_| CliError::failed(format!("{env} is not valid UTF-8")))?;
        return Ok(Zeroizing::new(v));
    }
    if !std::io::stdin().is_terminal() {
        return Err(CliError::failed(format!(
            "{what} needed: set {env} or run in a terminal to be asked"
        )));
    }
    let v = rpassword::prompt_password(format!("{what}: "))
        .map_err(|e| CliError::failed(format!("cannot read the {what}: {e}")))?;
    Ok(Zeroizing::new(v))
}

/// Obtain a new secret: the environment variable if set, otherwise asked twice on the terminal.
pub(crate) fn obtain_new(what: &str, env: &str) -> CliResult<Zeroizing<String>> {
    if std::env::var_os(env).is_some() {
        let v = obtain(what, env)?;
        return non_empty(what, v);
    }
    let first = obtain(what, env)?;
    let second = obtain(&format!("{what} (again)"), env)?;
    if *first != *second {
        return Err(CliError::failed(format!("the two {what}s differ")));
    }
    non_empty(what, first)
}

fn non_empty(what: &str, v: Zeroizing<String>) -> CliResult<Zeroizing<String>> {
    if v.is_empty() {
        return Err(CliError::failed(format!("the {what} is empty")));
    }
    Ok(v)
}
