//! §7.5 containers, and the container services of §7.6: export of the public key, key
//! generation and SM2 signing of a prehash.

use gmseal_sm2::signature::hazmat::PrehashSigner;
use gmseal_sm2::{SecretKey, SoftwareSigner};

use super::*;
use crate::admin::public_sec1;
use crate::ffi::device::sm2_ids;
use crate::runtime::{Object, Runtime};
use crate::store::{self, ContainerRecord, DeviceRecord, KeyRecord};

const MAX_CONTAINER_NAME: usize = 64;
const MAX_CERT: usize = 64 * 1024;

fn container_name(p: LPSTR) -> R<String> {
    let cfg = config()?;
    // SAFETY: the caller passes a NUL-terminated name.
    let name = name_in(unsafe { in_str(p) }?, &cfg)?;
    if name.is_empty() || name.len() > MAX_CONTAINER_NAME {
        return Err(sar::NAMELEN);
    }
    Ok(name)
}

/// Load the record and find the container behind handle `h`.
fn with_container<T>(
    rt: &Runtime,
    h: usize,
    f: impl FnOnce(&mut ContainerRecord) -> R<T>,
) -> R<(T, String, DeviceRecord)> {
    let (dev, app, _, name) = rt.container(h)?;
    let mut rec = rt.load(&dev)?;
    let c = rec
        .app_mut(&app)
        .ok_or(sar::APPLICATION_NOT_EXISTS)?
        .container_mut(&name)
        .ok_or(sar::FILE_NOT_EXIST)?;
    let out = f(c)?;
    Ok((out, dev, rec))
}

/// The 132-byte ECCPUBLICKEYBLOB of a SEC1 uncompressed point.
pub(crate) fn public_blob(sec1: &[u8]) -> R<[u8; 132]> {
    if sec1.len() != 65 || sec1[0] != 4 {
        return Err(sar::FAIL);
    }
    let mut b = [0u8; 132];
    b[..4].copy_from_slice(&256u32.to_ne_bytes());
    b[36..68].copy_from_slice(&sec1[1..33]);
    b[100..132].copy_from_slice(&sec1[33..65]);
    Ok(b)
}

fn open_container(h_app: usize, name: &str, create: bool) -> R<usize> {
    with_rt(|rt| {
        let (dev, app) = rt.app(h_app)?;
        let mut rec = rt.load(&dev)?;
        let a = rec.app_mut(&app).ok_or(sar::APPLICATION_NOT_EXISTS)?;
        if create {
            rt.user_key(h_app)?;
            if a.container(name).is_some() {
                return Err(sar::FILE_ALREADY_EXIST);
            }
            a.containers.push(ContainerRecord {
                name: name.to_string(),
                ..ContainerRecord::default()
            });
            rt.save(&dev, &rec)?;
        } else if a.container(name).is_none() {
            return Err(sar::FILE_NOT_EXIST);
        }
        Ok(rt.insert(Object::Container {
            device: dev,
            app,
            app_handle: h_app,
            name: name.to_string(),
        }))
    })
}

exports! {
    fn SKF_CreateContainer(hApplication: HANDLE, szContainerName: LPSTR, phContainer: *mut HANDLE) {
        let name = container_name(szContainerName)?;
        let id = open_container(hid(hApplication), &name, true)?;
        // SAFETY: a valid handle slot (caller's promise).
        unsafe { out_handle(phContainer, id) }
    }

    fn SKF_DeleteContainer(hApplication: HANDLE, szContainerName: LPSTR) {
        let name = container_name(szContainerName)?;
        let h = hid(hApplication);
        with_rt(|rt| {
            let (dev, app) = rt.app(h)?;
            rt.user_key(h)?;
            let mut rec = rt.load(&dev)?;
            let a = rec.app_mut(&app).ok_or(sar::APPLICATION_NOT_EXISTS)?;
            if a.container(&name).is_none() {
                return Err(sar::FILE_NOT_EXIST);
            }
            a.containers.retain(|c| c.name != name);
            rt.save(&dev, &rec)
        })
    }

    fn SKF_OpenContainer(hApplication: HANDLE, szContainerName: LPSTR, phContainer: *mut HANDLE) {
        let name = container_name(szContainerName)?;
        let id = open_container(hid(hApplication), &name, false)?;
        // SAFETY: a valid handle slot (caller's promise).
        unsafe { out_handle(phContainer, id) }
    }

    fn SKF_CloseContainer(hContainer: HANDLE) {
        with_rt(|rt| match rt.get(hid(hContainer))? {
            Object::Container { .. } => {
                rt.remove(hid(hContainer));
                Ok(())
            }
            _ => Err(sar::INVALIDHANDLE),
        })
    }

    fn SKF_EnumContainer(hApplication: HANDLE, szContainerName: LPSTR, pulSize: *mut ULONG) {
        let cfg = config()?;
        let names = with_rt(|rt| {
            let (dev, app) = rt.app(hid(hApplication))?;
            let rec = rt.load(&dev)?;
            let a = rec.app(&app).ok_or(sar::APPLICATION_NOT_EXISTS)?;
            Ok(a.containers.iter().map(|c| c.name.clone()).collect::<Vec<_>>())
        })?;
        // SAFETY: the caller's buffer and size slot follow the two-call protocol.
        unsafe { name_list(&names, &cfg, szContainerName.cast(), pulSize) }
    }

    fn SKF_GetContainerType(hContainer: HANDLE, pulContainerType: *mut ULONG) {
        let t = with_rt(|rt| {
            with_container(rt, hid(hContainer), |c| {
                Ok(if c.sign_key.is_some() || c.enc_key.is_some() { 2 } else { 0 })
            })
            .map(|(t, _, _)| t)
        })?;
        // SAFETY: a valid slot (caller's promise).
        unsafe { out_u32(pulContainerType, t) }
    }

    fn SKF_ImportCertificate(hContainer: HANDLE, bSignFlag: BOOL, pbCert: *mut u8, ulCertLen: ULONG) {
        if ulCertLen as usize > MAX_CERT || ulCertLen == 0 {
            return Err(sar::INDATALEN);
        }
        // SAFETY: the caller's buffer holds `ulCertLen` bytes.
        let cert = unsafe { in_bytes(pbCert, ulCertLen) }?.to_vec();
        with_rt(|rt| {
            let (_, _, app_handle, _) = rt.container(hid(hContainer))?;
            rt.user_key(app_handle)?;
            let ((), dev, rec) = with_container(rt, hid(hContainer), |c| {
                if bSignFlag != 0 {
                    c.sign_cert = Some(cert);
                } else {
                    c.enc_cert = Some(cert);
                }
                Ok(())
            })?;
            rt.save(&dev, &rec)
        })
    }

    fn SKF_ExportCertificate(hContainer: HANDLE, bSignFlag: BOOL, pbCert: *mut u8, pulCertLen: *mut ULONG) {
        let cfg = config()?;
        let cert = with_rt(|rt| {
            with_container(rt, hid(hContainer), |c| {
                Ok(if bSignFlag != 0 { c.sign_cert.clone() } else { c.enc_cert.clone() })
            })
            .map(|(c, _, _)| c)
        })?
        .ok_or(sar::CERTNOTFOUND)?;
        let cap = if pbCert.is_null() {
            0
        } else {
            // SAFETY: a valid length slot (caller's promise).
            unsafe { in_u32(pulCertLen) }?
        };
        // SAFETY: the caller's buffer and length follow the two-call protocol.
        unsafe { two_call(pbCert, pulCertLen, &cert) }?;
        if cfg.faults.cert_overlong && !pbCert.is_null() {
            // SAFETY: as above.
            unsafe { out_u32(pulCertLen, cap.saturating_add(4096)) }?;
        }
        Ok(())
    }

    fn SKF_ExportPublicKey(hContainer: HANDLE, bSignFlag: BOOL, pbBlob: *mut u8, pulBlobLen: *mut ULONG) {
        let cfg = config()?;
        let sec1 = with_rt(|rt| {
            with_container(rt, hid(hContainer), |c| {
                let k = if bSignFlag != 0 { &c.sign_key } else { &c.enc_key };
                Ok(k.as_ref().map(|k| k.public.clone()))
            })
            .map(|(k, _, _)| k)
        })?
        .ok_or(sar::KEYNOTFOUND)?;
        let mut blob = public_blob(&sec1)?;
        if cfg.faults.pubkey_off_curve {
            blob[131] ^= 1;
        }
        if cfg.faults.pubkey_bad_padding {
            blob[4] = 1;
        }
        let data = if cfg.faults.pubkey_short { &blob[..100] } else { &blob[..] };
        let cap = if pbBlob.is_null() {
            0
        } else {
            // SAFETY: a valid length slot (caller's promise).
            unsafe { in_u32(pulBlobLen) }?
        };
        // SAFETY: the caller's buffer and length follow the two-call protocol.
        unsafe { two_call(pbBlob, pulBlobLen, data) }?;
        if cfg.faults.pubkey_overlong && !pbBlob.is_null() {
            // SAFETY: as above.
            unsafe { out_u32(pulBlobLen, cap.saturating_add(10)) }?;
        }
        Ok(())
    }

    fn SKF_GenECCKeyPair(hContainer: HANDLE, ulAlgId: ULONG, pBlob: *mut u8) {
        let cfg = config()?;
        if ulAlgId != sm2_ids(&cfg).0 {
            return Err(sar::INVALIDPARAM);
        }
        let secret: SecretKey = SoftwareSigner::try_generate().map_err(|_| sar::GENRAND)?.secret_key().clone();
        let public = public_sec1(&secret.public_key());
        let blob = public_blob(&public)?;
        with_rt(|rt| {
            let (_, _, app_handle, _) = rt.container(hid(hContainer))?;
            let ak = rt.user_key(app_handle)?;
            let sealed = store::seal(&ak, &secret.to_bytes()).map_err(|_| sar::FAIL)?;
            let ((), dev, rec) = with_container(rt, hid(hContainer), |c| {
                c.sign_key = Some(KeyRecord { public: public.clone(), sealed_secret: sealed });
                Ok(())
            })?;
            rt.save(&dev, &rec)
        })?;
        // SAFETY: the caller passes an ECCPUBLICKEYBLOB (132 bytes).
        unsafe { out_bytes(pBlob, &blob) }
    }

    fn SKF_ECCSignData(hContainer: HANDLE, pbData: *mut u8, ulDataLen: ULONG, pSignature: *mut u8) {
        let cfg = config()?;
        if ulDataLen != 32 {
            return Err(sar::INDATALEN);
        }
        // SAFETY: the caller's buffer holds `ulDataLen` bytes.
        let e = unsafe { in_bytes(pbData, ulDataLen) }?.to_vec();
        let secret = with_rt(|rt| {
            let (_, _, app_handle, _) = rt.container(hid(hContainer))?;
            let ak = rt.user_key(app_handle)?;
            let (sealed, _, _) = with_container(rt, hid(hContainer), |c| {
                c.sign_key.as_ref().map(|k| k.sealed_secret.clone()).ok_or(sar::KEYNOTFOUND)
            })?;
            store::open(&ak, &sealed).ok_or(sar::FAIL)
        })?;
        let signer = SoftwareSigner::from_bytes(&secret).map_err(|_| sar::FAIL)?;
        let sig = signer.sign_prehash(&e).map_err(|_| sar::FAIL)?;
        let rs = sig.to_bytes();
        let mut blob = [0u8; 128];
        blob[32..64].copy_from_slice(&rs[..32]);
        blob[96..128].copy_from_slice(&rs[32..]);
        if cfg.faults.signature_bad_padding {
            blob[0] = 0x80;
        }
        if cfg.faults.signature_wrong {
            blob[127] ^= 1;
        }
        if cfg.faults.signature_zero {
            blob[32..64].fill(0);
        }
        // SAFETY: the caller passes an ECCSIGNATUREBLOB (128 bytes).
        unsafe { out_bytes(pSignature, &blob) }
    }
}
