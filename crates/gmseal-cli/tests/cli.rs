//! The `gmseal` binary, end to end: every subcommand's happy path and its main error paths.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn gmseal() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gmseal"));
    // never inherit secrets from the developer's environment
    for v in [
        "GMSEAL_KEY_PASSWORD",
        "GMSEAL_SKF_PIN",
        "GMSEAL_NEW_KEY_PASSWORD",
    ] {
        c.env_remove(v);
    }
    c
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Run, expect failure with `code` and a message containing `needle` on stderr.
fn fails(cmd: &mut Command, code: i32, needle: &str) -> Output {
    let out = cmd.output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(code),
        "{cmd:?}\n--- stdout\n{}\n--- stderr\n{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(
        stderr(&out).contains(needle),
        "{cmd:?}: stderr lacks {needle:?}:\n{}",
        stderr(&out)
    );
    out
}

/// The demo's files (test PKI, seal, picture), made once per test in a temporary directory.
struct Fixture {
    _tmp: tempfile::TempDir,
    demo: PathBuf,
    work: PathBuf,
}

impl Fixture {
    fn new() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let demo = tmp.path().join("demo");
        let work = tmp.path().join("work");
        std::fs::create_dir(&work).unwrap();
        gmseal_testkit::run(gmseal().arg("demo").arg("--dir").arg(&demo));
        Fixture {
            _tmp: tmp,
            demo,
            work,
        }
    }

    fn d(&self, name: &str) -> PathBuf {
        self.demo.join(name)
    }

    fn w(&self, name: &str) -> PathBuf {
        self.work.join(name)
    }

    /// A small text file (not a seal, not a PDF, not a picture).
    fn text(&self) -> PathBuf {
        let p = self.w("note.txt");
        if !p.exists() {
            std::fs::write(&p, "just a note\n").unwrap();
        }
        p
    }

    /// The holder's key and certificate arguments.
    fn holder(&self, c: &mut Command) {
        c.arg("--seal")
            .arg(self.d("seal.esl"))
            .arg("--cert")
            .arg(self.d("organisation.pem"))
            .arg("--key")
            .arg(self.d("organisation.key.pem"));
    }

    /// `gmseal seal make` arguments for the demo's maker and organisation.
    fn seal_make(&self, out: &Path) -> Command {
        let mut c = gmseal();
        c.args([
            "seal",
            "make",
            "--name",
            "测试专用章",
            "--es-id",
            "3301020000002",
        ])
        .arg("--picture")
        .arg(self.d("seal.png"))
        .arg("--maker-cert")
        .arg(self.d("seal-maker.pem"))
        .arg("--holder-cert")
        .arg(self.d("organisation.pem"))
        .arg("--out")
        .arg(out);
        c
    }
}

#[test]
fn demo_runs_and_its_outputs_verify() {
    let f = Fixture::new();
    // the demo's own seal verifies with the command
    let out = gmseal_testkit::run(gmseal().args(["seal", "verify"]).arg(f.d("seal.esl")));
    let text = stdout(&out);
    assert!(text.contains("integrity: intact"), "{text}");
    let demo_text = stdout(&gmseal_testkit::run(
        gmseal()
            .arg("demo")
            .arg("--force")
            .arg("--dir")
            .arg(&f.demo),
    ));
    for needle in [
        "contract-sealed.pdf (PDF): intact",
        "contract-cms.pdf (PDF): intact",
        "contract-sealed-tampered.pdf (PDF): BROKEN",
        "contract-sealed.ofd (OFD): intact",
        "contract-sealed-tampered.ofd (OFD): BROKEN",
        "Done. The files are in",
    ] {
        assert!(demo_text.contains(needle), "{needle}: {demo_text}");
    }
    // and its certificates with OpenSSL
    if gmseal_testkit::oracle("openssl").is_some() {
        for leaf in ["seal-maker.pem", "organisation.pem"] {
            let out = gmseal_testkit::run_any(
                Command::new("openssl")
                    .arg("verify")
                    .arg("-CAfile")
                    .arg(f.d("root-ca.pem"))
                    .args(["-vfyopt", "distid:1234567812345678"])
                    .arg(f.d(leaf)),
            );
            assert!(
                out.status.success(),
                "{leaf}: {}{}",
                stdout(&out),
                stderr(&out)
            );
        }
        // a certificate signed by another key does not verify
        let out = gmseal_testkit::run_any(
            Command::new("openssl")
                .arg("verify")
                .arg("-CAfile")
                .arg(f.d("seal-maker.pem"))
                .args(["-vfyopt", "distid:1234567812345678"])
                .arg(f.d("organisation.pem")),
        );
        assert!(!out.status.success());
    }
    // its PDFs: qpdf finds them well formed, pdfsig sees the signatures
    for pdf in ["contract-sealed.pdf", "contract-cms.pdf"] {
        if gmseal_testkit::oracle("qpdf").is_some() {
            let out = gmseal_testkit::run_any(Command::new("qpdf").arg("--check").arg(f.d(pdf)));
            assert!(
                out.status.success(),
                "qpdf --check {pdf}: {}{}",
                stdout(&out),
                stderr(&out)
            );
            assert!(stdout(&out).contains("No syntax or stream encoding errors"));
        }
        if gmseal_testkit::oracle("pdfsig").is_some() {
            let out = gmseal_testkit::run_any(Command::new("pdfsig").arg(f.d(pdf)));
            let text = stdout(&out);
            assert!(
                text.contains("Signature #1") && text.contains("Total document signed"),
                "pdfsig {pdf}: {text}"
            );
        }
    }
    // and they verify with the command, trusted through the demo's root; the tampered one fails
    let out = gmseal_testkit::run(
        gmseal()
            .args(["verify", "--require-trust", "--trust"])
            .arg(f.d("trust"))
            .arg(f.d("contract-sealed.pdf"))
            .arg(f.d("contract-cms.pdf")),
    );
    assert!(
        stdout(&out).contains("2 files: 2 intact"),
        "{}",
        stdout(&out)
    );
    let out = fails(
        gmseal()
            .arg("verify")
            .arg(f.d("contract-sealed-tampered.pdf")),
        1,
        "",
    );
    assert!(stdout(&out).contains("BROKEN"), "{}", stdout(&out));
    // the unsigned sample has no signature: it cannot be verified
    let out = fails(gmseal().arg("verify").arg(f.d("contract.pdf")), 1, "");
    assert!(stdout(&out).contains("no signature"), "{}", stdout(&out));

    // many files in one run (in parallel, sharing a cache) give, file for file, the reports
    // of one run per file; tampered files mixed in stay broken
    let names = [
        "contract-sealed.pdf",
        "contract-sealed-tampered.pdf",
        "contract-cms.pdf",
        "contract-sealed.ofd",
        "contract-sealed-tampered.ofd",
    ];
    let files: Vec<PathBuf> = (0..4).flat_map(|_| names.map(|n| f.d(n))).collect();
    let run_json = |files: &[PathBuf]| -> serde_json::Value {
        let out = gmseal()
            .args(["verify", "--json", "--trust"])
            .arg(f.d("trust"))
            .args(files)
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let batch = run_json(&files);
    let batch_files = batch["files"].as_array().unwrap();
    assert_eq!(batch_files.len(), files.len());
    for (path, got) in files.iter().zip(batch_files) {
        let alone = run_json(std::slice::from_ref(path));
        assert_eq!(got, &alone["files"][0], "{}", path.display());
        let tampered = path.display().to_string().contains("tampered");
        assert_eq!(got["intact"], serde_json::Value::Bool(!tampered), "{got:#}");
    }
    assert_eq!(batch["summary"]["intact"], 12);

    // the demo never overwrites a non-empty directory without --force
    fails(gmseal().arg("demo").arg("--dir").arg(&f.demo), 1, "--force");
    gmseal_testkit::run(
        gmseal()
            .arg("demo")
            .arg("--force")
            .arg("--dir")
            .arg(&f.demo),
    );
}

#[test]
fn demo_without_arguments_uses_a_temporary_directory() {
    let out = gmseal_testkit::run(gmseal().arg("demo"));
    let text = stdout(&out);
    let dir = text
        .lines()
        .find_map(|l| l.strip_prefix("Done. The files are in "))
        .expect("the demo says where its files are");
    let dir = PathBuf::from(dir.trim());
    assert!(dir.join("seal.esl").is_file());
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn keygen_writes_loadable_keys_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("k.pem");
    gmseal_testkit::run(gmseal().arg("keygen").arg("--out").arg(&key));
    let secret = gmseal_sm2::key::load_private_key(&std::fs::read(&key).unwrap(), None).unwrap();
    let public =
        gmseal_sm2::key::load_public_key(&std::fs::read(dir.path().join("k.pub.pem")).unwrap())
            .unwrap();
    assert_eq!(secret.public_key(), public.key);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "private key readable by others: {mode:o}");
    }
    let before = std::fs::read(&key).unwrap();
    fails(gmseal().arg("keygen").arg("--out").arg(&key), 1, "--force");
    assert_eq!(std::fs::read(&key).unwrap(), before, "the key was changed");
    gmseal_testkit::run(gmseal().arg("keygen").arg("--force").arg("--out").arg(&key));
    assert_ne!(std::fs::read(&key).unwrap(), before);
}

#[test]
fn encrypted_keys_need_the_right_password() {
    let f = Fixture::new();
    let key = f.w("maker-enc.pem");
    // an encrypted key of our own, from the environment
    gmseal_testkit::run(
        gmseal()
            .args(["keygen", "--encrypt", "--out"])
            .arg(&key)
            .env("GMSEAL_NEW_KEY_PASSWORD", "correct horse"),
    );
    let pem = std::fs::read_to_string(&key).unwrap();
    assert!(pem.contains("ENCRYPTED PRIVATE KEY"));
    let loaded = gmseal_sm2::key::load_private_key(pem.as_bytes(), Some(b"correct horse"));
    assert!(loaded.is_ok());
    // no password and no terminal: a clear message naming the variable
    fails(
        f.seal_make(&f.w("s.esl")).arg("--key").arg(&key),
        1,
        "GMSEAL_KEY_PASSWORD",
    );
    // the wrong password
    fails(
        f.seal_make(&f.w("s.esl"))
            .arg("--key")
            .arg(&key)
            .env("GMSEAL_KEY_PASSWORD", "wrong"),
        1,
        "wrong password",
    );
    // the right password, but the key is not the maker certificate's
    fails(
        f.seal_make(&f.w("s.esl"))
            .arg("--key")
            .arg(&key)
            .env("GMSEAL_KEY_PASSWORD", "correct horse"),
        1,
        "does not match",
    );
    assert!(!f.w("s.esl").exists());
}

#[test]
fn seal_make_show_verify() {
    let f = Fixture::new();
    for format in ["v4", "v1"] {
        let seal = f.w(&format!("seal-{format}.esl"));
        gmseal_testkit::run(
            f.seal_make(&seal)
                .args(["--format", format, "--key"])
                .arg(f.d("seal-maker.key.pem")),
        );
        let out = gmseal_testkit::run(gmseal().args(["seal", "show", "--json"]).arg(&seal));
        let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(v["name"], "测试专用章");
        assert_eq!(v["es_id"], "3301020000002");
        assert_eq!(v["picture"]["type"], "PNG");
        assert_eq!(v["validity_now"], "valid now");
        assert!(v["format"].as_str().unwrap().starts_with(format), "{v}");
        assert!(v["maker"]["subject"].as_str().unwrap().contains("印章制作"));

        let picture = f.w(&format!("picture-{format}.png"));
        let out = gmseal_testkit::run(
            gmseal()
                .args(["seal", "show"])
                .arg(&seal)
                .arg("--extract-picture")
                .arg(&picture),
        );
        assert!(stdout(&out).contains("测试专用章"));
        assert_eq!(
            std::fs::read(&picture).unwrap(),
            std::fs::read(f.d("seal.png")).unwrap()
        );

        let out = gmseal_testkit::run(gmseal().args(["seal", "verify"]).arg(&seal));
        assert!(
            stdout(&out).contains("integrity: intact"),
            "{}",
            stdout(&out)
        );
        let out = gmseal_testkit::run(gmseal().args(["seal", "verify", "--json"]).arg(&seal));
        let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(v["intact"], true);
        assert_eq!(v["trusted"], serde_json::Value::Null);
    }

    // an existing seal is not overwritten
    let seal = f.w("seal-v4.esl");
    let before = std::fs::read(&seal).unwrap();
    fails(
        f.seal_make(&seal)
            .arg("--key")
            .arg(f.d("seal-maker.key.pem")),
        1,
        "--force",
    );
    assert_eq!(std::fs::read(&seal).unwrap(), before);

    // a seal expired at --at
    let out = fails(
        gmseal()
            .args(["seal", "verify", "--at", "2099-01-01"])
            .arg(&seal),
        1,
        "",
    );
    assert!(stdout(&out).contains("BROKEN"), "{}", stdout(&out));

    // a tampered seal: one byte of the picture changed
    let mut bytes = before.clone();
    let at = bytes.len() / 2;
    bytes[at] ^= 1;
    let tampered = f.w("tampered.esl");
    std::fs::write(&tampered, &bytes).unwrap();
    let out = fails(gmseal().args(["seal", "verify"]).arg(&tampered), 1, "");
    assert!(stdout(&out).contains("FAILED"), "{}", stdout(&out));
}

#[test]
fn seal_errors_are_clear() {
    let f = Fixture::new();
    // a missing file
    fails(
        gmseal().args(["seal", "show"]).arg(f.w("nope.esl")),
        1,
        "nope.esl",
    );
    // not a seal
    fails(
        gmseal().args(["seal", "verify"]).arg(f.text()),
        1,
        "is not a seal",
    );
    // not a picture
    fails(
        gmseal()
            .args(["seal", "make", "--name", "x", "--es-id", "1"])
            .arg("--picture")
            .arg(f.text())
            .arg("--maker-cert")
            .arg(f.d("seal-maker.pem"))
            .arg("--holder-cert")
            .arg(f.d("organisation.pem"))
            .arg("--key")
            .arg(f.d("seal-maker.key.pem"))
            .arg("--out")
            .arg(f.w("x.esl")),
        1,
        "not a PNG",
    );
    // a key file that is not a key
    fails(
        f.seal_make(&f.w("x.esl"))
            .arg("--key")
            .arg(f.d("seal-maker.pem")),
        1,
        "not a usable SM2 private key",
    );
    // a certificate file that is not a certificate
    fails(
        gmseal()
            .args(["seal", "make", "--name", "x", "--es-id", "1"])
            .arg("--picture")
            .arg(f.d("seal.png"))
            .arg("--maker-cert")
            .arg(f.text())
            .arg("--holder-cert")
            .arg(f.d("organisation.pem"))
            .arg("--key")
            .arg(f.d("seal-maker.key.pem"))
            .arg("--out")
            .arg(f.w("x.esl")),
        1,
        "not an X.509 certificate",
    );
    // no key at all is a usage error
    fails(&mut f.seal_make(&f.w("x.esl")), 2, "--key");
    assert!(!f.w("x.esl").exists());
}

#[test]
fn skf_signing_through_the_soft_token() {
    let f = Fixture::new();
    let maker_key =
        gmseal_sm2::key::load_private_key(&std::fs::read(f.d("seal-maker.key.pem")).unwrap(), None)
            .unwrap();
    let maker_cert = gmseal_sm2::key::pem_blocks(&std::fs::read(f.d("seal-maker.pem")).unwrap())
        .unwrap()
        .remove(0)
        .1;
    let token_dir = f.w("token");
    std::fs::create_dir(&token_dir).unwrap();
    let token = gmseal_skf_soft::TestToken::create(
        &token_dir,
        &gmseal_skf_soft::TestTokenSpec::default()
            .secret(maker_key.secret)
            .certificate(maker_cert),
    )
    .unwrap();
    let skf = |c: &mut Command| {
        c.arg("--skf-lib").arg(&token.library).args([
            "--skf-app",
            &token.application,
            "--container",
            &token.container,
        ]);
    };

    let seal = f.w("skf.esl");
    let mut c = f.seal_make(&seal);
    skf(&mut c);
    fails(&mut c, 1, "GMSEAL_SKF_PIN");
    let mut c = f.seal_make(&seal);
    skf(&mut c);
    fails(c.env("GMSEAL_SKF_PIN", "00000000"), 1, "PIN");
    assert!(!seal.exists());
    let mut c = f.seal_make(&seal);
    skf(&mut c);
    let out = gmseal_testkit::run(c.env("GMSEAL_SKF_PIN", &token.user_pin));
    assert!(stdout(&out).contains("SKF"), "{}", stdout(&out));
    gmseal_testkit::run(gmseal().args(["seal", "verify"]).arg(&seal));

    // a PIN given in another variable
    let seal2 = f.w("skf2.esl");
    let mut c = f.seal_make(&seal2);
    skf(&mut c);
    gmseal_testkit::run(
        c.args(["--pin-env", "MY_UKEY_PIN"])
            .env("MY_UKEY_PIN", &token.user_pin),
    );
    // a library that is not an SKF library
    let mut c = f.seal_make(&f.w("skf3.esl"));
    c.arg("--skf-lib")
        .arg(f.d("seal.png"))
        .args(["--skf-app", "A", "--container", "C"])
        .env("GMSEAL_SKF_PIN", "1");
    fails(&mut c, 1, "SKF");
    // --skf-lib without a container is a usage error
    fails(
        f.seal_make(&f.w("skf4.esl"))
            .arg("--skf-lib")
            .arg(&token.library)
            .args(["--skf-app", "SEAL_APP"]),
        2,
        "--container",
    );
}

#[test]
fn tsa_request_reply_verify() {
    let f = Fixture::new();
    let key_path = f.w("tsa.key.pem");
    let cert_path = f.w("tsa.pem");
    gmseal_testkit::run(
        gmseal()
            .args([
                "cert",
                "issue",
                "--profile",
                "tsa",
                "--cn",
                "gmseal test TSA",
            ])
            .arg("--new-key")
            .arg(&key_path)
            .arg("--issuer-cert")
            .arg(f.d("root-ca.pem"))
            .arg("--key")
            .arg(f.d("root-ca.key.pem"))
            .arg("--out")
            .arg(&cert_path),
    );
    let data = f.text();

    let req = f.w("req.tsq");
    gmseal_testkit::run(
        gmseal()
            .args(["tsa", "request"])
            .arg(&data)
            .arg("--out")
            .arg(&req),
    );
    if gmseal_testkit::oracle("openssl").is_some() {
        let out = gmseal_testkit::run(
            Command::new("openssl")
                .args(["ts", "-query", "-text", "-in"])
                .arg(&req),
        );
        assert!(stdout(&out).contains("Nonce"), "{}", stdout(&out));
    }
    let resp = f.w("resp.tsr");
    gmseal_testkit::run(
        gmseal()
            .args(["tsa", "reply"])
            .arg(&req)
            .arg("--tsa-cert")
            .arg(&cert_path)
            .arg("--key")
            .arg(&key_path)
            .arg("--out")
            .arg(&resp),
    );
    if gmseal_testkit::oracle("openssl").is_some() {
        let out = gmseal_testkit::run(
            Command::new("openssl")
                .args(["ts", "-reply", "-text", "-in"])
                .arg(&resp),
        );
        assert!(stdout(&out).contains("Granted"), "{}", stdout(&out));
    }
    let out = gmseal_testkit::run(
        gmseal()
            .args(["tsa", "verify"])
            .arg(&resp)
            .arg("--data")
            .arg(&data),
    );
    assert!(
        stdout(&out).contains("integrity: intact"),
        "{}",
        stdout(&out)
    );
    // with the trust anchor, and required
    let out = gmseal_testkit::run(
        gmseal()
            .args(["tsa", "verify", "--json", "--require-trust"])
            .arg(&resp)
            .arg("--data")
            .arg(&data)
            .arg("--trust")
            .arg(f.d("trust")),
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        (v["intact"].clone(), v["trusted"].clone()),
        (true.into(), true.into()),
        "{v}"
    );
    // other data: the imprint does not match
    let out = fails(
        gmseal()
            .args(["tsa", "verify"])
            .arg(&resp)
            .arg("--data")
            .arg(f.d("contract-sealed.pdf")),
        1,
        "",
    );
    assert!(stdout(&out).contains("BROKEN"), "{}", stdout(&out));
    // not a token
    fails(
        gmseal()
            .args(["tsa", "verify"])
            .arg(&data)
            .arg("--data")
            .arg(&data),
        1,
        "neither a timestamp token",
    );
}

#[test]
fn cert_issue_every_profile_lint_and_verify() {
    let f = Fixture::new();
    let ca = |c: &mut Command| {
        c.arg("--issuer-cert")
            .arg(f.d("root-ca.pem"))
            .arg("--key")
            .arg(f.d("root-ca.key.pem"));
    };
    // a root of our own, self-signed with a new key
    let root = f.w("root.pem");
    gmseal_testkit::run(
        gmseal()
            .args([
                "cert",
                "issue",
                "--profile",
                "root-ca",
                "--cn",
                "Another root",
                "--org",
                "测试",
            ])
            .arg("--new-key")
            .arg(f.w("root.key.pem"))
            .arg("--out")
            .arg(&root),
    );
    let cases: &[(&str, &[&str])] = &[
        ("sub-ca", &["--cn", "测试二级CA", "--path-len", "0"]),
        (
            "organisation-signing",
            &[
                "--unit-name",
                "某某有限公司",
                "--credit-code",
                "91350100M000100Y43",
            ],
        ),
        (
            "org-enc",
            &[
                "--unit-name",
                "某某有限公司",
                "--credit-code",
                "91350100M000100Y43",
            ],
        ),
        (
            "personal-signing",
            &["--person-name", "张三", "--id-number", "11010519491231002X"],
        ),
        (
            "personal-encryption",
            &["--person-name", "张三", "--id-number", "11010519491231002X"],
        ),
        (
            "seal-maker",
            &[
                "--unit-name",
                "某某印章制作有限公司",
                "--credit-code",
                "91350100M000100Y43",
                "--crl-uri",
                "http://crl.example.cn/ca.crl",
            ],
        ),
        ("system", &["--cn", "某某电子印章平台"]),
        ("tsa", &["--cn", "某某时间戳服务"]),
    ];
    for (profile, extra) in cases {
        let out = f.w(&format!("{profile}.pem"));
        let mut c = gmseal();
        c.args(["cert", "issue", "--profile", profile])
            .args(*extra)
            .arg("--new-key")
            .arg(f.w(&format!("{profile}.key.pem")))
            .arg("--out")
            .arg(&out);
        ca(&mut c);
        gmseal_testkit::run(&mut c);
        // the role's linter finds no error
        let role = match *profile {
            "org-enc" => "organisation-encryption",
            p => p,
        };
        let lint = gmseal_testkit::run(
            gmseal()
                .args(["cert", "lint", "--role", role, "--issuer"])
                .arg(f.d("root-ca.pem"))
                .arg(&out),
        );
        assert!(
            stdout(&lint).contains("conforms"),
            "{profile}: {}",
            stdout(&lint)
        );
        // the chain verifies
        gmseal_testkit::run(
            gmseal()
                .args(["cert", "verify", "--trust"])
                .arg(f.d("trust"))
                .arg(&out),
        );
        // and OpenSSL agrees (default SM2 ID)
        if gmseal_testkit::oracle("openssl").is_some() {
            let o = gmseal_testkit::run_any(
                Command::new("openssl")
                    .arg("verify")
                    .arg("-CAfile")
                    .arg(f.d("root-ca.pem"))
                    .args(["-vfyopt", "distid:1234567812345678"])
                    .arg(&out),
            );
            assert!(
                o.status.success(),
                "{profile}: {}{}",
                stdout(&o),
                stderr(&o)
            );
        }
    }
    // a certificate of another root is not trusted: exit 1
    let out = fails(
        gmseal()
            .args(["cert", "verify", "--trust"])
            .arg(f.d("trust"))
            .arg(&root),
        1,
        "",
    );
    assert!(stdout(&out).contains("verdict"), "{}", stdout(&out));
    // the linter flags a role mismatch: a CA certificate linted as a seal maker
    fails(
        gmseal()
            .args(["cert", "lint", "--role", "seal-maker"])
            .arg(&root),
        1,
        "",
    );
    // the issuer key must be the issuer certificate's
    fails(
        gmseal()
            .args(["cert", "issue", "--profile", "system", "--cn", "x"])
            .arg("--new-key")
            .arg(f.w("x.key.pem"))
            .arg("--issuer-cert")
            .arg(f.d("root-ca.pem"))
            .arg("--key")
            .arg(f.d("organisation.key.pem"))
            .arg("--out")
            .arg(f.w("x.pem")),
        1,
        "not the issuer certificate's key",
    );
    assert!(!f.w("x.pem").exists() && !f.w("x.key.pem").exists());
    // a bad credit code is refused with the reason
    let mut c = gmseal();
    c.args([
        "cert",
        "issue",
        "--profile",
        "seal-maker",
        "--unit-name",
        "x",
        "--credit-code",
        "91350100M000100Y44",
    ])
    .arg("--new-key")
    .arg(f.w("y.key.pem"))
    .arg("--out")
    .arg(f.w("y.pem"));
    ca(&mut c);
    fails(&mut c, 1, "credit");
    // missing subject fields are usage errors
    let mut c = gmseal();
    c.args(["cert", "issue", "--profile", "seal-maker"])
        .arg("--new-key")
        .arg(f.w("z.key.pem"))
        .arg("--out")
        .arg(f.w("z.pem"));
    ca(&mut c);
    fails(&mut c, 2, "--unit-name");
}

#[test]
fn sign_pdf_both_formats_and_verify() {
    let f = Fixture::new();
    let input = f.w("contract.pdf");
    std::fs::copy(f.d("contract.pdf"), &input).unwrap();
    let original = std::fs::read(&input).unwrap();

    // format B to the default output name, beside the input
    let mut c = gmseal();
    c.args(["sign", "pdf"])
        .arg(&input)
        .args(["--x", "100", "--y", "200"]);
    f.holder(&mut c);
    gmseal_testkit::run(&mut c);
    let sealed = f.w("contract-signed.pdf");
    assert!(sealed.is_file());
    assert_eq!(
        std::fs::read(&input).unwrap(),
        original,
        "the input was modified"
    );
    // not again without --force
    let mut c = gmseal();
    c.args(["sign", "pdf"]).arg(&input);
    f.holder(&mut c);
    fails(&mut c, 1, "--force");

    // format A, GM/T 0010 OIDs, then a second seal on top of the first (format B, riding seal)
    let cms = f.w("cms.pdf");
    let mut c = gmseal();
    c.args([
        "sign",
        "pdf",
        "--format",
        "cms",
        "--gm-oids",
        "--reason",
        "approved",
    ])
    .arg(&input)
    .arg("--out")
    .arg(&cms);
    f.holder(&mut c);
    gmseal_testkit::run(&mut c);
    let mut c = gmseal();
    c.args(["sign", "pdf", "--in-place", "--riding", "120"])
        .arg(&cms);
    f.holder(&mut c);
    gmseal_testkit::run(&mut c);

    let out = gmseal_testkit::run(
        gmseal()
            .args(["verify", "--json", "--trust"])
            .arg(f.d("trust"))
            .arg(&sealed)
            .arg(&cms),
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["summary"]["files"], 2);
    assert_eq!(v["summary"]["intact"], 2, "{v:#}");
    assert_eq!(v["summary"]["exit_code"], 0);
    let files = v["files"].as_array().unwrap();
    assert_eq!(files[0]["signatures"].as_array().unwrap().len(), 1);
    assert_eq!(files[1]["signatures"].as_array().unwrap().len(), 2);
    assert_eq!(files[1]["trusted"], true);
    for pdf in [&sealed, &cms] {
        if gmseal_testkit::oracle("qpdf").is_some() {
            let o = gmseal_testkit::run_any(Command::new("qpdf").arg("--check").arg(pdf));
            assert!(o.status.success(), "{}", stdout(&o));
        }
    }
    // without trust anchors: intact, trust not checked, exit 0; --require-trust makes it 1
    let out = gmseal_testkit::run(gmseal().arg("verify").arg(&sealed));
    assert!(
        stdout(&out).contains("trust: not checked"),
        "{}",
        stdout(&out)
    );
    fails(
        gmseal()
            .args(["verify", "--require-trust", "--trust"])
            .arg(f.w("other-root.pem"))
            .arg(&sealed),
        1,
        "other-root.pem",
    );
    // trusted by another root only: untrusted, exit 1 with --require-trust
    gmseal_testkit::run(
        gmseal()
            .args([
                "cert",
                "issue",
                "--profile",
                "root-ca",
                "--cn",
                "Other root",
            ])
            .arg("--new-key")
            .arg(f.w("other-root.key.pem"))
            .arg("--out")
            .arg(f.w("other-root.pem")),
    );
    let out = gmseal_testkit::run(
        gmseal()
            .args(["verify", "--trust"])
            .arg(f.w("other-root.pem"))
            .arg(&sealed),
    );
    assert!(stdout(&out).contains("NOT TRUSTED"), "{}", stdout(&out));
    fails(
        gmseal()
            .args(["verify", "--require-trust", "--trust"])
            .arg(f.w("other-root.pem"))
            .arg(&sealed),
        1,
        "",
    );
    // one broken file among good ones: exit 1, the report names it
    let out = fails(
        gmseal()
            .arg("verify")
            .arg(&sealed)
            .arg(f.d("contract-sealed-tampered.pdf"))
            .arg(f.text()),
        1,
        "",
    );
    let text = stdout(&out);
    assert!(text.contains("not a PDF or OFD"), "{text}");
    assert!(text.contains("3 files: 1 intact"), "{text}");
}

#[test]
fn sign_pdf_errors_are_clear() {
    let f = Fixture::new();
    // not a PDF
    let mut c = gmseal();
    c.args(["sign", "pdf"]).arg(f.text());
    f.holder(&mut c);
    fails(&mut c, 1, "not a PDF");
    // a missing input
    let mut c = gmseal();
    c.args(["sign", "pdf"]).arg(f.w("missing.pdf"));
    f.holder(&mut c);
    fails(&mut c, 1, "missing.pdf");
    // the output is the input without --in-place
    let input = f.w("c.pdf");
    std::fs::copy(f.d("contract.pdf"), &input).unwrap();
    let mut c = gmseal();
    c.args(["sign", "pdf"])
        .arg(&input)
        .arg("--out")
        .arg(&input)
        .arg("--force");
    f.holder(&mut c);
    fails(&mut c, 2, "--in-place");
    // the signer's key does not match the certificate
    let mut c = gmseal();
    c.args(["sign", "pdf"])
        .arg(&input)
        .arg("--seal")
        .arg(f.d("seal.esl"))
        .arg("--cert")
        .arg(f.d("organisation.pem"))
        .arg("--key")
        .arg(f.d("seal-maker.key.pem"));
    fails(&mut c, 1, "does not match");
    // a signer who is not a holder of the seal: refused by the seal layer
    let mut c = gmseal();
    c.args(["sign", "pdf"])
        .arg(&input)
        .arg("--seal")
        .arg(f.d("seal.esl"))
        .arg("--cert")
        .arg(f.d("seal-maker.pem"))
        .arg("--key")
        .arg(f.d("seal-maker.key.pem"));
    fails(&mut c, 1, "not among the holders");
    assert!(!f.w("c-signed.pdf").exists());
    // format B without a seal is a usage error
    let mut c = gmseal();
    c.args(["sign", "pdf"])
        .arg(&input)
        .arg("--cert")
        .arg(f.d("organisation.pem"))
        .arg("--key")
        .arg(f.d("organisation.key.pem"));
    fails(&mut c, 2, "--seal");
}

#[test]
fn sign_pdf_with_an_skf_key_and_its_certificate() {
    let f = Fixture::new();
    let org_key = gmseal_sm2::key::load_private_key(
        &std::fs::read(f.d("organisation.key.pem")).unwrap(),
        None,
    )
    .unwrap();
    let org_cert = gmseal_sm2::key::pem_blocks(&std::fs::read(f.d("organisation.pem")).unwrap())
        .unwrap()
        .remove(0)
        .1;
    let token_dir = f.w("token");
    std::fs::create_dir(&token_dir).unwrap();
    let token = gmseal_skf_soft::TestToken::create(
        &token_dir,
        &gmseal_skf_soft::TestTokenSpec::default()
            .secret(org_key.secret)
            .certificate(org_cert),
    )
    .unwrap();
    let out = f.w("ukey.pdf");
    // the certificate comes from the container: no --cert
    gmseal_testkit::run(
        gmseal()
            .args(["sign", "pdf"])
            .arg(f.d("contract.pdf"))
            .arg("--seal")
            .arg(f.d("seal.esl"))
            .arg("--skf-lib")
            .arg(&token.library)
            .args([
                "--skf-app",
                &token.application,
                "--container",
                &token.container,
            ])
            .arg("--out")
            .arg(&out)
            .env("GMSEAL_SKF_PIN", &token.user_pin),
    );
    gmseal_testkit::run(
        gmseal()
            .args(["verify", "--require-trust", "--trust"])
            .arg(f.d("trust"))
            .arg(&out),
    );
}

#[test]
fn register_and_platform_messages() {
    let f = Fixture::new();
    let sys_key = f.w("sys.key.pem");
    let sys = f.w("sys.pem");
    gmseal_testkit::run(
        gmseal()
            .args([
                "cert",
                "issue",
                "--profile",
                "system",
                "--cn",
                "演示印章平台",
            ])
            .arg("--new-key")
            .arg(&sys_key)
            .arg("--issuer-cert")
            .arg(f.d("root-ca.pem"))
            .arg("--key")
            .arg(f.d("root-ca.key.pem"))
            .arg("--out")
            .arg(&sys),
    );
    let make = |out: &Path, extra: &[&str]| {
        let mut c = gmseal();
        c.args([
            "register",
            "make",
            "--service-url",
            "https://seal.example.cn/ess",
        ])
        .args([
            "--org-code",
            "91350100M000100Y43",
            "--org-name",
            "省公共资源交易中心",
        ])
        .args([
            "--sub-org-code",
            "91110000600037341L",
            "--sub-org-name",
            "二级电子印章平台",
        ])
        .arg("--system-cert")
        .arg(&sys)
        .arg("--key")
        .arg(&sys_key)
        .args(extra)
        .arg("--out")
        .arg(out);
        c
    };
    let reg = f.w("reg.der");
    gmseal_testkit::run(&mut make(&reg, &[]));
    let reg64 = f.w("reg.b64");
    gmseal_testkit::run(&mut make(&reg64, &["--base64"]));
    if gmseal_testkit::oracle("openssl").is_some() {
        let out = gmseal_testkit::run(
            Command::new("openssl")
                .args(["asn1parse", "-inform", "DER", "-in"])
                .arg(&reg),
        );
        assert!(
            stdout(&out).contains("BJCARegisterInfo"),
            "{}",
            stdout(&out)
        );
    }
    for p in [&reg, &reg64] {
        let out = gmseal_testkit::run(
            gmseal()
                .args(["register", "verify", "--json", "--require-trust", "--trust"])
                .arg(f.d("trust"))
                .arg(p),
        );
        let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(
            (v["intact"].clone(), v["trusted"].clone()),
            (true.into(), true.into()),
            "{v}"
        );
    }
    // a changed byte in the signed part breaks it
    let mut bytes = std::fs::read(&reg).unwrap();
    let at = bytes.windows(5).position(|w| w == b"https").unwrap();
    bytes[at] = b'H';
    let bad = f.w("bad.der");
    std::fs::write(&bad, &bytes).unwrap();
    let out = fails(gmseal().args(["register", "verify"]).arg(&bad), 1, "");
    assert!(stdout(&out).contains("BROKEN"), "{}", stdout(&out));
    // an invalid credit code is refused
    fails(
        gmseal()
            .args(["register", "make", "--service-url", "x", "--no-sub-system"])
            .args(["--org-code", "91350100M000100Y44", "--org-name", "x"])
            .arg("--system-cert")
            .arg(&sys)
            .arg("--key")
            .arg(&sys_key)
            .arg("--out")
            .arg(f.w("r2.der")),
        1,
        "91350100M000100Y44",
    );
    // not a package
    fails(
        gmseal().args(["register", "verify"]).arg(f.text()),
        1,
        "not a registration package",
    );

    // platform messages
    let msg = f.w("msg.json");
    std::fs::write(
        &msg,
        r#"{"data":{"yzbm":["XXCA43011112345678"]},"tokenInfo":"t"}"#,
    )
    .unwrap();
    let signed = f.w("msg.signed.json");
    gmseal_testkit::run(
        gmseal()
            .args(["platform", "sign"])
            .arg(&msg)
            .arg("--key")
            .arg(&sys_key)
            .arg("--out")
            .arg(&signed),
    );
    let text = std::fs::read_to_string(&signed).unwrap();
    assert!(
        text.starts_with(r#"{"data":{"yzbm":["XXCA43011112345678"]},"tokenInfo":"t","signInfo":"#),
        "{text}"
    );
    gmseal_testkit::run(
        gmseal()
            .args(["platform", "verify"])
            .arg(&signed)
            .arg("--cert")
            .arg(&sys),
    );
    gmseal_testkit::run(
        gmseal()
            .args(["platform", "verify"])
            .arg(&signed)
            .arg("--register")
            .arg(&reg),
    );
    // another key, a changed member, another signing input: broken
    fails(
        gmseal()
            .args(["platform", "verify"])
            .arg(&signed)
            .arg("--cert")
            .arg(f.d("organisation.pem")),
        1,
        "",
    );
    let bad = f.w("msg.bad.json");
    std::fs::write(&bad, text.replace("\"t\"", "\"u\"")).unwrap();
    fails(
        gmseal()
            .args(["platform", "verify"])
            .arg(&bad)
            .arg("--cert")
            .arg(&sys),
        1,
        "",
    );
    fails(
        gmseal()
            .args(["platform", "verify", "--signing-input", "data-exact"])
            .arg(&signed)
            .arg("--cert")
            .arg(&sys),
        1,
        "",
    );
    // signing twice is refused; not JSON is an error
    fails(
        gmseal()
            .args(["platform", "sign"])
            .arg(&signed)
            .arg("--key")
            .arg(&sys_key)
            .arg("--out")
            .arg(f.w("twice.json")),
        1,
        "signInfo",
    );
    fails(
        gmseal()
            .args(["platform", "sign"])
            .arg(f.d("seal.png"))
            .arg("--key")
            .arg(&sys_key)
            .arg("--out")
            .arg(f.w("png.json")),
        1,
        "",
    );
}

#[test]
fn sign_ofd_and_verify() {
    let f = Fixture::new();
    let input = f.w("contract.ofd");
    std::fs::copy(f.d("contract.ofd"), &input).unwrap();
    let original = std::fs::read(&input).unwrap();
    let mut c = gmseal();
    c.args(["sign", "ofd"])
        .arg(&input)
        .args(["--page", "1", "--x", "60", "--y", "100"]);
    f.holder(&mut c);
    gmseal_testkit::run(&mut c);
    assert_eq!(
        std::fs::read(&input).unwrap(),
        original,
        "the input was modified"
    );
    let signed = f.w("contract-signed.ofd");
    // a second seal, in place
    let mut c = gmseal();
    c.args(["sign", "ofd", "--in-place"])
        .arg(&signed)
        .args(["--x", "150", "--y", "200"]);
    f.holder(&mut c);
    gmseal_testkit::run(&mut c);
    let out = gmseal_testkit::run(
        gmseal()
            .args(["verify", "--json", "--require-trust", "--trust"])
            .arg(f.d("trust"))
            .arg(&signed),
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["files"][0]["format"], "OFD");
    assert_eq!(
        v["files"][0]["signatures"].as_array().unwrap().len(),
        2,
        "{v:#}"
    );
    assert_eq!(v["files"][0]["trusted"], true);
    // errors: a PDF is not an OFD; no seal is a usage error
    let mut c = gmseal();
    c.args(["sign", "ofd"])
        .arg(f.d("contract.pdf"))
        .arg("--out")
        .arg(f.w("x.ofd"));
    f.holder(&mut c);
    fails(&mut c, 1, "not an OFD");
    fails(
        gmseal()
            .args(["sign", "ofd"])
            .arg(&input)
            .arg("--cert")
            .arg(f.d("organisation.pem"))
            .arg("--key")
            .arg(f.d("organisation.key.pem"))
            .arg("--out")
            .arg(f.w("y.ofd")),
        2,
        "--seal",
    );
}

#[test]
fn verify_the_corpus_ofd_files_as_their_sources_say() {
    let corpus = |name: &str| gmseal_testkit::corpus(&format!("ofd/{name}"));
    for (name, code, state) in [
        ("seal-v4-continue-SESV4SignDoc.ofd", 0, "intact"),
        ("seal-v4-wholeprotected-allprotected.ofd", 0, "intact"),
        ("seal-v4-riding-V4RideRight.ofd", 0, "intact"),
        ("seal-v1-tampered-n.ofd", 1, "BROKEN"),
        ("seal-v4-two-sigs-first-broken-h.ofd", 1, "BROKEN"),
        // a bare SM2 signature without a certificate: no key to check it with
        ("sign-sm2-raw-DigitalSign.ofd", 1, "CANNOT VERIFY"),
        ("unsigned-helloworld.ofd", 1, "CANNOT VERIFY"),
    ] {
        let out = gmseal().arg("verify").arg(corpus(name)).output().unwrap();
        assert_eq!(out.status.code(), Some(code), "{name}: {}", stdout(&out));
        assert!(
            stdout(&out).lines().next().unwrap_or("").ends_with(state),
            "{name}: {}",
            stdout(&out)
        );
    }
    // several files at once: one summary, exit 1 because some are broken
    let out = fails(
        gmseal()
            .arg("verify")
            .arg(corpus("seal-v4-continue-SESV4SignDoc.ofd"))
            .arg(corpus("seal-v1-tampered-n.ofd")),
        1,
        "",
    );
    assert!(
        stdout(&out).contains("2 files: 1 intact"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn usage_errors_exit_2() {
    fails(gmseal().arg("no-such-command"), 2, "");
    fails(&mut gmseal(), 2, "Usage");
    fails(gmseal().args(["seal", "make"]), 2, "required");
    fails(
        gmseal().args(["seal", "verify", "x.esl", "--require-trust"]),
        2,
        "--trust",
    );
    fails(
        gmseal().args(["seal", "verify", "x.esl", "--at", "yesterday"]),
        2,
        "not a time",
    );
}

#[test]
fn every_subcommand_has_help() {
    for path in [
        &[][..],
        &["demo"],
        &["keygen"],
        &["cert"],
        &["cert", "issue"],
        &["cert", "lint"],
        &["cert", "verify"],
        &["seal"],
        &["seal", "make"],
        &["seal", "show"],
        &["seal", "verify"],
        &["sign"],
        &["sign", "pdf"],
        &["sign", "ofd"],
        &["verify"],
        &["register"],
        &["register", "make"],
        &["register", "verify"],
        &["platform"],
        &["platform", "sign"],
        &["platform", "verify"],
        &["tsa"],
        &["tsa", "request"],
        &["tsa", "reply"],
        &["tsa", "verify"],
        &["completions"],
    ] {
        let out = gmseal_testkit::run(gmseal().args(path).arg("--help"));
        assert!(
            stdout(&out).contains("Usage: gmseal"),
            "{path:?}: {}",
            stdout(&out)
        );
    }
}

#[test]
fn completions_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = gmseal_testkit::run(gmseal().args(["completions", shell]));
        let text = stdout(&out);
        assert!(
            text.contains("gmseal") && text.contains("keygen"),
            "{shell}"
        );
    }
}

/// A TSA over HTTP on 127.0.0.1 for the life of the test process, answering each
/// `application/timestamp-query` with `gmseal tsa reply` under `cert` and `key`. Returns its URL.
fn http_tsa(dir: &Path, cert: &Path, key: &Path) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/tsa", listener.local_addr().unwrap());
    let (dir, cert, key) = (dir.to_path_buf(), cert.to_path_buf(), key.to_path_buf());
    std::thread::spawn(move || {
        for (n, stream) in listener.incoming().enumerate() {
            let mut stream = stream.unwrap();
            let mut raw = Vec::new();
            let mut buf = [0u8; 4096];
            // the header, then Content-Length bytes of body
            let body = loop {
                let k = stream.read(&mut buf).unwrap();
                assert!(k > 0, "the client closed early");
                raw.extend_from_slice(&buf[..k]);
                if let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
                    let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
                    assert!(head.contains("application/timestamp-query"), "{head}");
                    let len: usize = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .unwrap()
                        .trim()
                        .parse()
                        .unwrap();
                    while raw.len() < end + 4 + len {
                        let k = stream.read(&mut buf).unwrap();
                        raw.extend_from_slice(&buf[..k]);
                    }
                    break raw[end + 4..end + 4 + len].to_vec();
                }
            };
            let (req, resp) = (dir.join(format!("{n}.tsq")), dir.join(format!("{n}.tsr")));
            std::fs::write(&req, body).unwrap();
            gmseal_testkit::run(
                gmseal()
                    .args(["tsa", "reply"])
                    .arg(&req)
                    .arg("--tsa-cert")
                    .arg(&cert)
                    .arg("--key")
                    .arg(&key)
                    .arg("--out")
                    .arg(&resp),
            );
            let answer = std::fs::read(&resp).unwrap();
            write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/timestamp-reply\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n",
                answer.len()
            )
            .unwrap();
            stream.write_all(&answer).unwrap();
        }
    });
    url
}

/// `gmseal cert issue --profile tsa` under `issuer` (certificate and key), into `cert`/`key`.
fn issue_tsa(issuer: (&Path, &Path), cert: &Path, key: &Path) {
    gmseal_testkit::run(
        gmseal()
            .args([
                "cert",
                "issue",
                "--profile",
                "tsa",
                "--cn",
                "gmseal test TSA",
            ])
            .arg("--new-key")
            .arg(key)
            .arg("--issuer-cert")
            .arg(issuer.0)
            .arg("--key")
            .arg(issuer.1)
            .arg("--out")
            .arg(cert),
    );
}

#[test]
fn sign_ofd_with_a_timestamp_and_verify_it_against_the_trust_store() {
    let f = Fixture::new();
    let tsa_dir = f.w("tsa");
    std::fs::create_dir(&tsa_dir).unwrap();
    let (cert, key) = (f.w("tsa.pem"), f.w("tsa.key.pem"));
    issue_tsa((&f.d("root-ca.pem"), &f.d("root-ca.key.pem")), &cert, &key);
    let url = http_tsa(&tsa_dir, &cert, &key);

    let signed = f.w("stamped.ofd");
    let mut c = gmseal();
    c.args(["sign", "ofd"])
        .arg(f.d("contract.ofd"))
        .args(["--x", "60", "--y", "100", "--tsa-url", &url, "--out"])
        .arg(&signed);
    f.holder(&mut c);
    gmseal_testkit::run(&mut c);

    let verify_json = |extra: &[&str], file: &Path| {
        let out = gmseal()
            .args(["verify", "--json", "--verbose"])
            .args(extra)
            .arg(file)
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        (out.status.code(), v)
    };
    let trust = f.d("trust");
    let trust = trust.to_str().unwrap();
    // With the trust store: the timestamp verified, its time reported, the signature trusted.
    let (code, v) = verify_json(&["--require-trust", "--trust", trust], &signed);
    let s = &v["files"][0]["signatures"][0];
    assert_eq!(code, Some(0), "{v:#}");
    assert_eq!(s["trusted"], true, "{v:#}");
    assert_eq!(s["verdict"], "valid", "{v:#}");
    let checks = s["checks"].as_array().unwrap();
    let ts: Vec<_> = checks
        .iter()
        .filter(|c| c["check"] == "timestamp")
        .collect();
    assert_eq!(ts.len(), 1, "{v:#}");
    assert_eq!(ts[0]["status"], "pass", "{v:#}");
    let time = s["timestamp"].as_str().unwrap();
    assert!(time.ends_with('Z') && time.len() == 20, "{time}");
    // The human report says so too.
    let out = gmseal_testkit::run(gmseal().args(["verify", "--trust", trust]).arg(&signed));
    assert!(
        stdout(&out).contains(&format!("timestamped: {time} (verified)")),
        "{}",
        stdout(&out)
    );
    // A PDF seal (format B) timestamped by the same TSA: the same report.
    let pdf = f.w("stamped.pdf");
    let mut c = gmseal();
    c.args(["sign", "pdf"])
        .arg(f.d("contract.pdf"))
        .args(["--x", "100", "--y", "200", "--tsa-url", &url, "--out"])
        .arg(&pdf);
    f.holder(&mut c);
    gmseal_testkit::run(&mut c);
    let (code, v) = verify_json(&["--require-trust", "--trust", trust], &pdf);
    let s = &v["files"][0]["signatures"][0];
    assert_eq!(code, Some(0), "{v:#}");
    assert_eq!(s["verdict"], "valid", "{v:#}");
    assert_eq!(s["timestamp"].as_str().unwrap().len(), 20, "{v:#}");

    // Without a trust store the token is not verified: no proven time, trust not checked.
    let (code, v) = verify_json(&[], &signed);
    let s = &v["files"][0]["signatures"][0];
    assert_eq!(code, Some(0), "{v:#}");
    assert_eq!(s["timestamp"], serde_json::Value::Null, "{v:#}");
    assert_eq!(s["trusted"], serde_json::Value::Null, "{v:#}");

    // A TSA under another root: the signature is intact, its timestamp not trusted, and
    // --require-trust fails.
    let (root, root_key) = (f.w("other-root.pem"), f.w("other-root.key.pem"));
    gmseal_testkit::run(
        gmseal()
            .args([
                "cert",
                "issue",
                "--profile",
                "root-ca",
                "--cn",
                "Another root",
            ])
            .arg("--new-key")
            .arg(&root_key)
            .arg("--out")
            .arg(&root),
    );
    let (cert2, key2) = (f.w("tsa2.pem"), f.w("tsa2.key.pem"));
    issue_tsa((&root, &root_key), &cert2, &key2);
    let tsa2_dir = f.w("tsa2");
    std::fs::create_dir(&tsa2_dir).unwrap();
    let url2 = http_tsa(&tsa2_dir, &cert2, &key2);
    let foreign = f.w("foreign-tsa.ofd");
    let mut c = gmseal();
    c.args(["sign", "ofd"])
        .arg(f.d("contract.ofd"))
        .args(["--x", "60", "--y", "100", "--tsa-url", &url2, "--out"])
        .arg(&foreign);
    f.holder(&mut c);
    gmseal_testkit::run(&mut c);
    let (code, v) = verify_json(&["--require-trust", "--trust", trust], &foreign);
    let s = &v["files"][0]["signatures"][0];
    assert_eq!(code, Some(1), "{v:#}");
    assert_eq!(s["intact"], true, "{v:#}");
    assert_eq!(s["trusted"], false, "{v:#}");
    assert_ne!(s["verdict"], "valid", "{v:#}");
    assert_eq!(s["timestamp"], serde_json::Value::Null, "{v:#}");
    assert!(
        s["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p.as_str().unwrap().contains("timestamp")),
        "{v:#}"
    );
    let (code, _) = verify_json(&["--trust", trust], &foreign);
    assert_eq!(code, Some(0));
}

#[test]
fn verify_writes_the_platform_report_for_pdf_and_ofd() {
    let f = Fixture::new();
    let seal = gmseal_ses::Seal::from_der(&std::fs::read(f.d("seal.esl")).unwrap()).unwrap();
    let picture = seal.picture().data.to_vec();
    let trust = f.d("trust");
    let report = |file: &Path, out: &Path| -> (Option<i32>, serde_json::Value) {
        let o = gmseal()
            .args(["verify", "--trust"])
            .arg(&trust)
            .arg("--platform-report")
            .arg(out)
            .arg(file)
            .output()
            .unwrap();
        let v = serde_json::from_slice(&std::fs::read(out).unwrap()).unwrap();
        (o.status.code(), v)
    };
    for (name, kind) in [
        ("contract-sealed.pdf", "PDF"),
        ("contract-sealed.ofd", "OFD"),
    ] {
        let file = f.d(name);
        let out = f.w(&format!("{name}.platform.json"));
        let (code, v) = report(&file, &out);
        assert_eq!(code, Some(0), "{kind}: {v:#}");
        assert_eq!(v["code"], "0", "{v:#}");
        let data = &v["data"];
        assert_eq!(data["fileName"], name, "{v:#}");
        assert_eq!(
            data["fileSize"],
            std::fs::metadata(&file).unwrap().len(),
            "{v:#}"
        );
        assert_eq!(data["signCount"], 1, "{v:#}");
        assert_eq!(data["verifyResult"], true, "{kind}: {v:#}");
        let d = &data["details"][0];
        assert_eq!(d["sealCode"], seal.es_id(), "{v:#}");
        assert_eq!(
            gmseal_register::base64::decode_strict(
                "sealPicBase64",
                d["sealPicBase64"].as_str().unwrap()
            )
            .unwrap(),
            picture,
            "{kind}"
        );
        assert!(d["certOwner"].as_str().unwrap().contains("CN="), "{v:#}");
        assert_eq!(d["signTime"].as_str().unwrap().len(), 19, "{v:#}");
        let flow = d["flowVoList"].as_array().unwrap();
        assert!(flow.len() >= 4, "{v:#}");
        assert!(flow.iter().all(|s| s["status"] == 1), "{kind}: {v:#}");

        // The demo's tampered copy: verifyResult false, a failed step.
        let bad = f.d(&name.replace(".", "-tampered."));
        let out = f.w(&format!("{name}.tampered.json"));
        let (code, v) = report(&bad, &out);
        assert_eq!(code, Some(1), "{kind}: {v:#}");
        assert_eq!(v["data"]["verifyResult"], false, "{kind}: {v:#}");
        assert!(
            v["data"]["details"][0]["flowVoList"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s["status"] == 0 && s["step"] == "文档完整性"),
            "{kind}: {v:#}"
        );
    }
    // The report exists: not replaced without --force, replaced with it.
    let out = f.w("contract-sealed.pdf.platform.json");
    fails(
        gmseal()
            .arg("verify")
            .arg("--platform-report")
            .arg(&out)
            .arg(f.d("contract-sealed.pdf")),
        1,
        "--force",
    );
    gmseal_testkit::run(
        gmseal()
            .args(["verify", "--force", "--platform-report"])
            .arg(&out)
            .arg(f.d("contract-sealed.pdf")),
    );
    // Without trust anchors the chain is not checked: not verified for the platform.
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(v["data"]["verifyResult"], false, "{v:#}");
    // One document per report.
    fails(
        gmseal()
            .arg("verify")
            .arg("--platform-report")
            .arg(f.w("two.json"))
            .arg(f.d("contract-sealed.pdf"))
            .arg(f.d("contract-sealed.ofd")),
        2,
        "one FILE",
    );
}
