//! The `gmseal-skf-soft` command.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

fn tool() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gmseal-skf-soft"))
}

#[test]
fn init_install_show() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let out = tool()
        .arg("init")
        .arg(&store)
        .args(["--device", "K0", "--app", "APP", "--container", "CON"])
        .args([
            "--admin-pin",
            "12345678",
            "--user-pin",
            "88888888",
            "--retries",
            "4",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pem = String::from_utf8(out.stdout).unwrap();
    let pk = gmseal_sm2::key::load_public_key(pem.as_bytes())
        .unwrap()
        .key;
    // the key in the store is the one printed, and it is sealed (PIN needed)
    let rec = gmseal_skf_soft::store::load_device(&store.join("K0")).unwrap();
    let key = rec
        .app("APP")
        .unwrap()
        .container("CON")
        .unwrap()
        .sign_key
        .clone()
        .unwrap();
    assert_eq!(
        key.public,
        gmseal_sm2::sm2::PublicKey::to_sec1_bytes(&pk).to_vec()
    );

    let out = tool()
        .arg("install")
        .arg(&store)
        .arg(dir.path().join("lib"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let lib = String::from_utf8(out.stdout).unwrap();
    assert!(std::path::Path::new(lib.trim()).is_file());
    assert!(gmseal_skf_soft::sidecar_path(std::path::Path::new(lib.trim())).is_file());

    let out = tool().arg("unplug").arg(&store).arg("K0").output().unwrap();
    assert!(out.status.success());
    let out = tool().arg("show").arg(&store).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("K0 (soft token, SOFT-0001) [unplugged]"),
        "{text}"
    );
    assert!(text.contains("user PIN 4/4 tries"), "{text}");

    let out = tool().arg("frobnicate").arg(&store).output().unwrap();
    assert!(!out.status.success());
}
