//! The on-disk store: one directory per device, holding `device.json`.
//!
//! ```text
//! <store>/
//!   <device name>/
//!     device.json      label, serial, applications (PIN records, files, containers, keys)
//!     absent           present only while the device is "unplugged"
//! ```
//!
//! `device.json` is replaced atomically (written to a temporary file, synced, renamed).
//!
//! Key protection: each application has a random 32-byte application key (AK). Private keys are
//! sealed under the AK; the AK is sealed twice, under a key derived from the user PIN and under
//! one derived from the admin PIN (PBKDF2-HMAC-SM3, per-PIN salt and iteration count). A PIN is
//! correct exactly when its copy of the AK opens, so the store holds no PIN hash, and a wrong
//! PIN cannot read any key. Unblocking re-seals the AK under the new user PIN with the copy the
//! admin PIN opens. Sealing is SM4-CBC (PKCS#7) then HMAC-SM3 over IV and cipher text.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit, block_padding::Pkcs7};
use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

/// Name of the device file.
pub const DEVICE_FILE: &str = "device.json";
/// Name of the marker that makes a device absent.
pub const ABSENT_FILE: &str = "absent";

/// Hex encoding of byte fields.
mod hexbytes {
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(v))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        hex::decode(text).map_err(serde::de::Error::custom)
    }

    pub(crate) mod opt {
        use serde::{Deserialize, Deserializer, Serializer};

        pub(crate) fn serialize<S: Serializer>(
            v: &Option<Vec<u8>>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            match v {
                Some(v) => s.serialize_some(&hex::encode(v)),
                None => s.serialize_none(),
            }
        }

        pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<Vec<u8>>, D::Error> {
            let text = Option::<String>::deserialize(d)?;
            text.map(|t| hex::decode(t).map_err(serde::de::Error::custom))
                .transpose()
        }
    }
}

/// A device.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceRecord {
    /// Label (`DEVINFO.Label`).
    pub label: String,
    /// Serial number.
    pub serial: String,
    /// Manufacturer.
    pub manufacturer: String,
    /// Applications.
    pub applications: Vec<AppRecord>,
}

/// An application.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppRecord {
    /// Name.
    pub name: String,
    /// Admin PIN.
    pub admin_pin: PinRecord,
    /// User PIN.
    pub user_pin: PinRecord,
    /// Who may create files (`SECURE_*_ACCOUNT`).
    pub create_file_rights: u32,
    /// Files.
    pub files: Vec<FileRecord>,
    /// Containers.
    pub containers: Vec<ContainerRecord>,
}

/// A PIN: its retry state and its sealed copy of the application key.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PinRecord {
    /// Tries allowed.
    pub max_retries: u32,
    /// Tries left (0 = locked).
    pub remaining: u32,
    /// Still the initial PIN?
    pub default_pin: bool,
    /// PBKDF2 salt.
    #[serde(with = "hexbytes")]
    pub salt: Vec<u8>,
    /// PBKDF2 iterations.
    pub iterations: u32,
    /// The application key sealed under the PIN-derived key.
    #[serde(with = "hexbytes")]
    pub sealed_app_key: Vec<u8>,
}

/// A file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileRecord {
    /// Name.
    pub name: String,
    /// Read rights.
    pub read_rights: u32,
    /// Write rights.
    pub write_rights: u32,
    /// Content (its length is the file size).
    #[serde(with = "hexbytes")]
    pub data: Vec<u8>,
}

/// A container.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContainerRecord {
    /// Name.
    pub name: String,
    /// Signing key pair.
    pub sign_key: Option<KeyRecord>,
    /// Encryption key pair.
    pub enc_key: Option<KeyRecord>,
    /// Signing certificate.
    #[serde(with = "hexbytes::opt", default)]
    pub sign_cert: Option<Vec<u8>>,
    /// Encryption certificate.
    #[serde(with = "hexbytes::opt", default)]
    pub enc_cert: Option<Vec<u8>>,
}

/// An SM2 key pair.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyRecord {
    /// Public key, SEC1 uncompressed (65 bytes).
    #[serde(with = "hexbytes")]
    pub public: Vec<u8>,
    /// Private scalar sealed under the application key.
    #[serde(with = "hexbytes")]
    pub sealed_secret: Vec<u8>,
}

impl DeviceRecord {
    /// The application of that name.
    pub fn app(&self, name: &str) -> Option<&AppRecord> {
        self.applications.iter().find(|a| a.name == name)
    }

    /// The application of that name, mutably.
    pub fn app_mut(&mut self, name: &str) -> Option<&mut AppRecord> {
        self.applications.iter_mut().find(|a| a.name == name)
    }
}

impl AppRecord {
    /// The container of that name.
    pub fn container(&self, name: &str) -> Option<&ContainerRecord> {
        self.containers.iter().find(|c| c.name == name)
    }

    /// The container of that name, mutably.
    pub fn container_mut(&mut self, name: &str) -> Option<&mut ContainerRecord> {
        self.containers.iter_mut().find(|c| c.name == name)
    }

    /// The file of that name, mutably.
    pub fn file_mut(&mut self, name: &str) -> Option<&mut FileRecord> {
        self.files.iter_mut().find(|f| f.name == name)
    }
}

/// Read a device record.
pub fn load_device(dir: &Path) -> io::Result<DeviceRecord> {
    let text = fs::read(dir.join(DEVICE_FILE))?;
    serde_json::from_slice(&text).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

/// Replace a device record atomically.
pub fn save_device(dir: &Path, record: &DeviceRecord) -> io::Result<()> {
    let json = serde_json::to_vec_pretty(record).map_err(io::Error::other)?;
    write_atomic(&dir.join(DEVICE_FILE), &json)
}

/// Write `data` to `path` atomically: temporary file in the same directory, fsync, rename,
/// fsync of the directory.
pub fn write_atomic(path: &Path, data: &[u8]) -> io::Result<()> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp: PathBuf = dir.join(format!(
        ".{}.tmp-{}-{}",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("file"),
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(data)?;
        f.sync_all()?;
        fs::rename(&tmp, path)?;
        if let Ok(d) = fs::File::open(dir) {
            // Best effort: not every platform can sync a directory.
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// 32 random bytes.
pub fn random32() -> io::Result<Zeroizing<[u8; 32]>> {
    let mut k = Zeroizing::new([0u8; 32]);
    getrandom::fill(&mut *k).map_err(|e| io::Error::other(e.to_string()))?;
    Ok(k)
}

/// The key derived from a PIN.
pub fn pin_key(pin: &[u8], salt: &[u8], iterations: u32) -> Zeroizing<[u8; 32]> {
    let mut k = Zeroizing::new([0u8; 32]);
    pbkdf2::pbkdf2_hmac::<sm3::Sm3>(pin, salt, iterations, &mut *k);
    k
}

type HmacSm3 = Hmac<sm3::Sm3>;

/// Seal `plain` under a 32-byte key: `IV ‖ SM4-CBC(k[..16], plain) ‖ HMAC-SM3(k[16..], IV ‖ ct)`.
pub fn seal(key: &[u8; 32], plain: &[u8]) -> io::Result<Vec<u8>> {
    let mut iv = [0u8; 16];
    getrandom::fill(&mut iv).map_err(|e| io::Error::other(e.to_string()))?;
    let mut enc_key = [0u8; 16];
    enc_key.copy_from_slice(&key[..16]);
    let enc = cbc::Encryptor::<sm4::Sm4>::new(&enc_key.into(), &iv.into());
    let ct = enc.encrypt_padded_vec::<Pkcs7>(plain);
    let mut out = Vec::with_capacity(16 + ct.len() + 32);
    out.extend_from_slice(&iv);
    out.extend_from_slice(&ct);
    let mut mac = <HmacSm3 as KeyInit>::new_from_slice(&key[16..])
        .map_err(|e| io::Error::other(e.to_string()))?;
    mac.update(&out);
    out.extend_from_slice(&mac.finalize().into_bytes());
    Ok(out)
}

/// Open what [`seal`] made; `None` when the key is wrong or the data was changed.
pub fn open(key: &[u8; 32], sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    if sealed.len() < 16 + 16 + 32 || (sealed.len() - 48) % 16 != 0 {
        return None;
    }
    let (body, tag) = sealed.split_at(sealed.len() - 32);
    let mut mac = <HmacSm3 as KeyInit>::new_from_slice(&key[16..]).ok()?;
    mac.update(body);
    mac.verify_slice(tag).ok()?;
    let (iv, ct) = body.split_at(16);
    let mut enc_key = [0u8; 16];
    enc_key.copy_from_slice(&key[..16]);
    let mut iv16 = [0u8; 16];
    iv16.copy_from_slice(iv);
    let dec = cbc::Decryptor::<sm4::Sm4>::new(&enc_key.into(), &iv16.into());
    let mut buf = Zeroizing::new(ct.to_vec());
    let n = dec.decrypt_padded::<Pkcs7>(&mut buf).ok()?.len();
    buf.truncate(n);
    Some(buf)
}

impl PinRecord {
    /// A new PIN record sealing `app_key` under `pin`.
    pub fn new(
        pin: &[u8],
        max_retries: u32,
        iterations: u32,
        app_key: &[u8; 32],
    ) -> io::Result<PinRecord> {
        let salt = random32()?;
        let k = pin_key(pin, &salt[..16], iterations);
        Ok(PinRecord {
            max_retries,
            remaining: max_retries,
            default_pin: true,
            salt: salt[..16].to_vec(),
            iterations,
            sealed_app_key: seal(&k, app_key)?,
        })
    }

    /// The application key, if `pin` is right (the retry counter is not touched).
    pub fn unlock(&self, pin: &[u8]) -> Option<Zeroizing<[u8; 32]>> {
        let k = pin_key(pin, &self.salt, self.iterations);
        let plain = open(&k, &self.sealed_app_key)?;
        let mut ak = Zeroizing::new([0u8; 32]);
        if plain.len() != 32 {
            return None;
        }
        ak.copy_from_slice(&plain);
        Some(ak)
    }

    /// Re-seal the application key under a new PIN (counter reset).
    pub fn reset(&mut self, pin: &[u8], app_key: &[u8; 32]) -> io::Result<()> {
        let fresh = PinRecord::new(pin, self.max_retries, self.iterations, app_key)?;
        *self = PinRecord {
            default_pin: false,
            ..fresh
        };
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn sealing_round_trips_and_detects_tampering() {
        let k = random32().unwrap();
        let sealed = seal(&k, b"private scalar").unwrap();
        assert_eq!(&**open(&k, &sealed).unwrap(), b"private scalar");
        let other = random32().unwrap();
        assert!(open(&other, &sealed).is_none());
        for i in [0, 16, sealed.len() - 1] {
            let mut bad = sealed.clone();
            bad[i] ^= 1;
            assert!(open(&k, &bad).is_none(), "byte {i}");
        }
        assert!(open(&k, &sealed[..40]).is_none());
    }

    #[test]
    fn pin_records_open_only_with_their_pin() {
        let ak = random32().unwrap();
        let mut rec = PinRecord::new(b"123456", 3, 16, &ak).unwrap();
        assert_eq!(*rec.unlock(b"123456").unwrap(), *ak);
        assert!(rec.unlock(b"123457").is_none());
        rec.reset(b"654321", &ak).unwrap();
        assert!(rec.unlock(b"123456").is_none());
        assert_eq!(*rec.unlock(b"654321").unwrap(), *ak);
        assert!(!rec.default_pin);
        // the record holds no PIN in the clear
        let json = serde_json::to_string(&rec).unwrap();
        assert!(!json.contains("654321") && !json.contains(&hex::encode(b"654321")));
    }

    #[test]
    fn atomic_write_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f.json");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left"
        );
    }
}
