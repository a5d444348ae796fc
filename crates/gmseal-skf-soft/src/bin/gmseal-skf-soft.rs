//! Personalise a software SKF token from the command line.
//!
//! ```text
//! gmseal-skf-soft init STORE --device D --app A --container C --admin-pin P --user-pin U
//!                 [--label L] [--serial S] [--retries N] [--key KEY.pem] [--cert CERT.pem]
//! gmseal-skf-soft set-cert STORE --device D --app A --container C --cert CERT.pem [--encryption]
//! gmseal-skf-soft install STORE DIR [--config CONFIG.json]   prints the library to load
//! gmseal-skf-soft unplug|plug STORE DEVICE
//! gmseal-skf-soft show STORE
//! ```

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use gmseal_skf_soft::{AppSpec, Store, TokenConfig, fixture, store};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

struct Args {
    positional: Vec<String>,
    flags: HashMap<String, String>,
    switches: Vec<String>,
}

fn parse(args: impl Iterator<Item = String>) -> Args {
    let mut out = Args {
        positional: Vec::new(),
        flags: HashMap::new(),
        switches: Vec::new(),
    };
    let mut it = args.peekable();
    while let Some(a) = it.next() {
        if let Some(name) = a.strip_prefix("--") {
            match it.peek() {
                Some(v) if !v.starts_with("--") && name != "encryption" => {
                    let v = it.next().unwrap_or_default();
                    out.flags.insert(name.to_string(), v);
                }
                _ => out.switches.push(name.to_string()),
            }
        } else {
            out.positional.push(a);
        }
    }
    out
}

impl Args {
    fn flag(&self, name: &str) -> Res<&str> {
        self.flags
            .get(name)
            .map(String::as_str)
            .ok_or_else(|| format!("--{name} is required").into())
    }

    fn pos(&self, i: usize, what: &str) -> Res<&str> {
        self.positional
            .get(i)
            .map(String::as_str)
            .ok_or_else(|| format!("missing {what}").into())
    }
}

/// A certificate file: PEM or DER.
fn read_cert(path: &str) -> Res<Vec<u8>> {
    let bytes = std::fs::read(path)?;
    if gmseal_sm2::key::looks_like_pem(&bytes) {
        let blocks = gmseal_sm2::key::pem_blocks(&bytes)?;
        return blocks
            .into_iter()
            .find(|(label, _)| label == "CERTIFICATE")
            .map(|(_, der)| der)
            .ok_or_else(|| format!("{path}: no CERTIFICATE block").into());
    }
    Ok(bytes)
}

fn run(args: Args) -> Res<()> {
    let command = args.pos(0, "command (init, set-cert, install, plug, unplug, show)")?;
    let store_dir = PathBuf::from(args.pos(1, "store directory")?);
    let store = Store::create(&store_dir)?;
    match command {
        "init" => {
            let (device, app, container) = (
                args.flag("device")?,
                args.flag("app")?,
                args.flag("container")?,
            );
            let retries: u32 = args.flags.get("retries").map_or(Ok(6), |r| r.parse())?;
            let label = args.flags.get("label").map_or("soft token", String::as_str);
            let serial = args.flags.get("serial").map_or("SOFT-0001", String::as_str);
            if store_dir.join(device).join(store::DEVICE_FILE).exists() {
                eprintln!("device {device} exists; adding to it");
            } else {
                store.add_device(device, label, serial)?;
            }
            let user_pin = args.flag("user-pin")?;
            store.add_application(
                device,
                app,
                &AppSpec::new(args.flag("admin-pin")?, user_pin).retries(retries, retries),
            )?;
            store.add_container(device, app, container)?;
            let secret = match args.flags.get("key") {
                Some(path) => {
                    Some(gmseal_sm2::key::load_private_key(&std::fs::read(path)?, None)?.secret)
                }
                None => None,
            };
            let pk = store.set_sign_key(device, app, container, user_pin, secret.as_ref())?;
            println!("{}", gmseal_sm2::key::public_key_to_pem(&pk).trim_end());
            if let Some(cert) = args.flags.get("cert") {
                store.set_certificate(device, app, container, true, &read_cert(cert)?)?;
            }
        }
        "set-cert" => {
            let sign = !args.switches.iter().any(|s| s == "encryption");
            store.set_certificate(
                args.flag("device")?,
                args.flag("app")?,
                args.flag("container")?,
                sign,
                &read_cert(args.flag("cert")?)?,
            )?;
        }
        "install" => {
            let dir = PathBuf::from(args.pos(2, "directory to install the library into")?);
            std::fs::create_dir_all(&dir)?;
            let config = match args.flags.get("config") {
                Some(c) => TokenConfig::read(Path::new(c))?,
                None => TokenConfig::new(std::fs::canonicalize(&store_dir)?),
            };
            println!("{}", fixture::install(&dir, &config)?.display());
        }
        "plug" | "unplug" => {
            store.set_present(args.pos(2, "device")?, command == "plug")?;
        }
        "show" => {
            let mut devices: Vec<_> = std::fs::read_dir(&store_dir)?
                .flatten()
                .filter(|e| e.path().join(store::DEVICE_FILE).is_file())
                .collect();
            devices.sort_by_key(|e| e.file_name());
            for e in devices {
                let rec = store::load_device(&e.path())?;
                let absent = e.path().join(store::ABSENT_FILE).exists();
                println!(
                    "{} ({}, {}){}",
                    e.file_name().to_string_lossy(),
                    rec.label,
                    rec.serial,
                    if absent { " [unplugged]" } else { "" }
                );
                for a in &rec.applications {
                    println!(
                        "  {}: user PIN {}/{} tries, admin PIN {}/{}",
                        a.name,
                        a.user_pin.remaining,
                        a.user_pin.max_retries,
                        a.admin_pin.remaining,
                        a.admin_pin.max_retries
                    );
                    for c in &a.containers {
                        println!(
                            "    {}: sign key {}, sign cert {}",
                            c.name,
                            if c.sign_key.is_some() { "yes" } else { "no" },
                            c.sign_cert
                                .as_ref()
                                .map_or("none".to_string(), |d| format!("{} bytes", d.len()))
                        );
                    }
                }
            }
        }
        other => return Err(format!("unknown command {other}").into()),
    }
    Ok(())
}

fn main() -> ExitCode {
    match run(parse(std::env::args().skip(1))) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gmseal-skf-soft: {e}");
            ExitCode::FAILURE
        }
    }
}
