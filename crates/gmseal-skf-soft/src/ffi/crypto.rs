//! §7.6 device-level services: SM2 verification of a prehash, SM3 (with the Z option) and SM4
//! session keys.

use cbc::cipher::block_padding::{NoPadding, Pkcs7};
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyInit, KeyIvInit};
use gmseal_sm2::{DistId, PublicKey, Signature, Sm2VerifyingKey};
use sm3::Digest;
use zeroize::Zeroizing;

use super::*;
use crate::runtime::{CipherOp, Object};

const SGD_SM3: u32 = 0x1;
const SGD_SM4_ECB: u32 = 0x401;
const SGD_SM4_CBC: u32 = 0x402;

/// `BLOCKCIPHERPARAM`, received by value.
#[repr(C)]
#[derive(Clone, Copy)]
pub(crate) struct BlockCipherParam {
    iv: [u8; 32],
    iv_len: u32,
    padding_type: u32,
    feed_bit_len: u32,
}

/// Read a 132-byte ECCPUBLICKEYBLOB.
///
/// # Safety
/// `p` must be null or valid for 132 bytes of reads.
unsafe fn public_key_arg(p: *const u8) -> R<PublicKey> {
    // SAFETY: forwarded contract.
    let b = unsafe { in_bytes(p, 132) }?;
    if u32::from_ne_bytes([b[0], b[1], b[2], b[3]]) != 256
        || b[4..36].iter().chain(&b[68..100]).any(|x| *x != 0)
    {
        return Err(sar::INVALIDPARAM);
    }
    let mut sec1 = [0u8; 65];
    sec1[0] = 4;
    sec1[1..33].copy_from_slice(&b[36..68]);
    sec1[33..].copy_from_slice(&b[100..132]);
    PublicKey::from_sec1_bytes(&sec1).map_err(|_| sar::INVALIDPARAM)
}

/// Read a 128-byte ECCSIGNATUREBLOB.
///
/// # Safety
/// `p` must be null or valid for 128 bytes of reads.
unsafe fn signature_arg(p: *const u8) -> R<Signature> {
    // SAFETY: forwarded contract.
    let b = unsafe { in_bytes(p, 128) }?;
    gmseal_sm2::encoding::from_components(&b[..64], &b[64..]).map_err(|_| sar::INVALIDPARAM)
}

/// Verify a prehash signature.
///
/// # Safety
/// Pointers as in `SKF_ECCVerify`.
unsafe fn verify(h_dev: HANDLE, blob: *mut u8, data: *mut u8, len: ULONG, sig: *mut u8) -> R {
    with_rt(|rt| rt.device(hid(h_dev)).map(|_| ()))?;
    // SAFETY: forwarded contract.
    let pk = unsafe { public_key_arg(blob) }?;
    // SAFETY: forwarded contract.
    let sig = unsafe { signature_arg(sig) }?;
    // SAFETY: forwarded contract.
    let e = unsafe { in_bytes(data, len) }?;
    let e: &[u8; 32] = e.try_into().map_err(|_| sar::INDATALEN)?;
    Sm2VerifyingKey::new(pk, DistId::default())
        .verify_digest(e, &sig)
        .map_err(|_| sar::FAIL)
}

fn hash_final(h: usize) -> R<[u8; 32]> {
    // The object stays until SKF_CloseHandle; it starts over.
    with_rt(|rt| match rt.get_mut(h)? {
        Object::Hash { sm3, .. } => Ok(std::mem::replace(sm3, sm3::Sm3::new()).finalize().into()),
        _ => Err(sar::INVALIDHANDLE),
    })
}

/// Write a digest, with the configured fault.
///
/// # Safety
/// Two-call protocol pointers.
unsafe fn write_digest(out: *mut u8, len: *mut ULONG, d: &[u8; 32]) -> R {
    let faulty = config()?.faults.digest_overlong;
    // SAFETY: forwarded contract.
    unsafe { two_call(out, len, d) }?;
    if faulty {
        // SAFETY: forwarded contract.
        unsafe { out_u32(len, 100) }?;
    }
    Ok(())
}

fn crypt(h: usize, data: &[u8], encrypt: bool) -> R<Vec<u8>> {
    with_rt(|rt| {
        let Object::Key { alg, key, op, .. } = rt.get(h)? else {
            return Err(sar::INVALIDHANDLE);
        };
        let op = op.as_ref().ok_or(sar::NOTINITIALIZE)?;
        if op.encrypt != encrypt {
            return Err(sar::NOTINITIALIZE);
        }
        let k: [u8; 16] = **key;
        if (!op.pkcs5 || !encrypt) && data.len() % 16 != 0 {
            return Err(sar::INDATALEN);
        }
        let iv: [u8; 16] = if *alg == SGD_SM4_CBC {
            op.iv.as_slice().try_into().map_err(|_| sar::INVALIDPARAM)?
        } else {
            [0; 16]
        };
        let out = match (*alg, encrypt, op.pkcs5) {
            (SGD_SM4_ECB, true, true) => {
                ecb::Encryptor::<sm4::Sm4>::new(&k.into()).encrypt_padded_vec::<Pkcs7>(data)
            }
            (SGD_SM4_ECB, true, false) => {
                ecb::Encryptor::<sm4::Sm4>::new(&k.into()).encrypt_padded_vec::<NoPadding>(data)
            }
            (SGD_SM4_CBC, true, true) => cbc::Encryptor::<sm4::Sm4>::new(&k.into(), &iv.into())
                .encrypt_padded_vec::<Pkcs7>(data),
            (SGD_SM4_CBC, true, false) => cbc::Encryptor::<sm4::Sm4>::new(&k.into(), &iv.into())
                .encrypt_padded_vec::<NoPadding>(data),
            (SGD_SM4_ECB, false, true) => ecb::Decryptor::<sm4::Sm4>::new(&k.into())
                .decrypt_padded_vec::<Pkcs7>(data)
                .map_err(|_| sar::DECRYPTPAD)?,
            (SGD_SM4_ECB, false, false) => ecb::Decryptor::<sm4::Sm4>::new(&k.into())
                .decrypt_padded_vec::<NoPadding>(data)
                .map_err(|_| sar::DECRYPTPAD)?,
            (SGD_SM4_CBC, false, true) => cbc::Decryptor::<sm4::Sm4>::new(&k.into(), &iv.into())
                .decrypt_padded_vec::<Pkcs7>(data)
                .map_err(|_| sar::DECRYPTPAD)?,
            (SGD_SM4_CBC, false, false) => cbc::Decryptor::<sm4::Sm4>::new(&k.into(), &iv.into())
                .decrypt_padded_vec::<NoPadding>(data)
                .map_err(|_| sar::DECRYPTPAD)?,
            _ => return Err(sar::NOTSUPPORTYET),
        };
        Ok(out)
    })
}

fn init(h: usize, param: BlockCipherParam, encrypt: bool) -> R {
    let iv_len = (param.iv_len as usize).min(32);
    let pkcs5 = match param.padding_type {
        0 => false,
        1 => true,
        _ => return Err(sar::INVALIDPARAM),
    };
    with_rt(|rt| match rt.get_mut(h)? {
        Object::Key { op, .. } => {
            *op = Some(CipherOp {
                encrypt,
                iv: param.iv[..iv_len].to_vec(),
                pkcs5,
            });
            Ok(())
        }
        _ => Err(sar::INVALIDHANDLE),
    })
}

/// Run a cipher operation under the two-call protocol; the operation ends when output is
/// written.
///
/// # Safety
/// Pointers as in `SKF_Encrypt`.
unsafe fn run(
    h: HANDLE,
    data: *mut u8,
    len: ULONG,
    out: *mut u8,
    out_len: *mut ULONG,
    encrypt: bool,
) -> R {
    // SAFETY: forwarded contract.
    let input = Zeroizing::new(unsafe { in_bytes(data, len) }?.to_vec());
    let result = crypt(hid(h), &input, encrypt)?;
    // SAFETY: forwarded contract.
    unsafe { two_call(out, out_len, &result) }?;
    if !out.is_null() {
        with_rt(|rt| {
            if let Object::Key { op, .. } = rt.get_mut(hid(h))? {
                *op = None;
            }
            Ok(())
        })?;
    }
    Ok(())
}

exports! {
    fn SKF_ECCVerify(hDev: HANDLE, pECCPubKeyBlob: *mut u8, pbData: *mut u8, ulDataLen: ULONG, pSignature: *mut u8) {
        // SAFETY: the caller's blobs and data follow GM/T 0016.
        unsafe { verify(hDev, pECCPubKeyBlob, pbData, ulDataLen, pSignature) }
    }

    fn SKF_ExtECCVerify(hDev: HANDLE, pECCPubKeyBlob: *mut u8, pbData: *mut u8, ulDataLen: ULONG, pSignature: *mut u8) {
        // SAFETY: as above.
        unsafe { verify(hDev, pECCPubKeyBlob, pbData, ulDataLen, pSignature) }
    }

    fn SKF_DigestInit(hDev: HANDLE, ulAlgID: ULONG, pPubKey: *mut u8, pucID: *mut u8, ulIDLen: ULONG, phHash: *mut HANDLE) {
        if ulAlgID != SGD_SM3 {
            return Err(sar::NOTSUPPORTYET);
        }
        let mut sm3 = sm3::Sm3::new();
        if ulIDLen != 0 && !pPubKey.is_null() {
            // SAFETY: a 132-byte blob (caller's promise).
            let pk = unsafe { public_key_arg(pPubKey) }?;
            // SAFETY: `ulIDLen` bytes (caller's promise).
            let id = DistId::new(unsafe { in_bytes(pucID, ulIDLen) }?.to_vec()).map_err(|_| sar::INDATALEN)?;
            sm3.update(gmseal_sm2::z_value(&pk, &id));
        }
        let id = with_rt(|rt| {
            rt.device(hid(hDev))?;
            Ok(rt.insert(Object::Hash { sm3 }))
        })?;
        // SAFETY: a valid handle slot (caller's promise).
        unsafe { out_handle(phHash, id) }
    }

    fn SKF_DigestUpdate(hHash: HANDLE, pbData: *mut u8, ulDataLen: ULONG) {
        // SAFETY: `ulDataLen` bytes (caller's promise).
        let data = unsafe { in_bytes(pbData, ulDataLen) }?;
        with_rt(|rt| match rt.get_mut(hid(hHash))? {
            Object::Hash { sm3, .. } => {
                sm3.update(data);
                Ok(())
            }
            _ => Err(sar::INVALIDHANDLE),
        })
    }

    fn SKF_DigestFinal(hHash: HANDLE, pHashData: *mut u8, pulHashLen: *mut ULONG) {
        if pHashData.is_null() {
            // SAFETY: a valid length slot (caller's promise).
            return unsafe { out_u32(pulHashLen, 32) };
        }
        let d = hash_final(hid(hHash))?;
        // SAFETY: two-call protocol pointers.
        unsafe { write_digest(pHashData, pulHashLen, &d) }
    }

    fn SKF_Digest(hHash: HANDLE, pbData: *mut u8, ulDataLen: ULONG, pbHashData: *mut u8, pulHashLen: *mut ULONG) {
        if pbHashData.is_null() {
            // SAFETY: a valid length slot (caller's promise).
            return unsafe { out_u32(pulHashLen, 32) };
        }
        // SAFETY: `ulDataLen` bytes (caller's promise).
        let data = unsafe { in_bytes(pbData, ulDataLen) }?;
        with_rt(|rt| match rt.get_mut(hid(hHash))? {
            Object::Hash { sm3, .. } => {
                sm3.update(data);
                Ok(())
            }
            _ => Err(sar::INVALIDHANDLE),
        })?;
        let d = hash_final(hid(hHash))?;
        // SAFETY: two-call protocol pointers.
        unsafe { write_digest(pbHashData, pulHashLen, &d) }
    }

    fn SKF_SetSymmKey(hDev: HANDLE, pbKey: *mut u8, ulAlgID: ULONG, phKey: *mut HANDLE) {
        if ulAlgID != SGD_SM4_ECB && ulAlgID != SGD_SM4_CBC {
            return Err(sar::NOTSUPPORTYET);
        }
        // SAFETY: an SM4 key is 16 bytes (caller's promise).
        let k = unsafe { in_bytes(pbKey, 16) }?;
        let mut key = Zeroizing::new([0u8; 16]);
        key.copy_from_slice(k);
        let id = with_rt(|rt| {
            rt.device(hid(hDev))?;
            Ok(rt.insert(Object::Key { alg: ulAlgID, key, op: None }))
        })?;
        // SAFETY: a valid handle slot (caller's promise).
        unsafe { out_handle(phKey, id) }
    }

    fn SKF_EncryptInit(hKey: HANDLE, EncryptParam: BlockCipherParam) {
        init(hid(hKey), EncryptParam, true)
    }

    fn SKF_Encrypt(hKey: HANDLE, pbData: *mut u8, ulDataLen: ULONG, pbEncryptedData: *mut u8, pulEncryptedLen: *mut ULONG) {
        // SAFETY: pointers per GM/T 0016 (caller's promise).
        unsafe { run(hKey, pbData, ulDataLen, pbEncryptedData, pulEncryptedLen, true) }
    }

    fn SKF_DecryptInit(hKey: HANDLE, DecryptParam: BlockCipherParam) {
        init(hid(hKey), DecryptParam, false)
    }

    fn SKF_Decrypt(hKey: HANDLE, pbEncryptedData: *mut u8, ulEncryptedLen: ULONG, pbData: *mut u8, pulDataLen: *mut ULONG) {
        // SAFETY: pointers per GM/T 0016 (caller's promise).
        unsafe { run(hKey, pbEncryptedData, ulEncryptedLen, pbData, pulDataLen, false) }
    }

    fn SKF_CloseHandle(hHandle: HANDLE) {
        with_rt(|rt| match rt.get(hid(hHandle))? {
            Object::Hash { .. } | Object::Key { .. } => {
                rt.remove(hid(hHandle));
                Ok(())
            }
            _ => Err(sar::INVALIDHANDLE),
        })
    }
}
