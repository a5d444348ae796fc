//! §7.4 file management.

use super::*;
use crate::runtime::Runtime;
use crate::store::FileRecord;

const MAX_FILE_NAME: usize = 32;
const MAX_FILE_SIZE: u32 = 1 << 20;

const ANYONE: u32 = 0xFF;
const ADMIN: u32 = 0x01;
const USER: u32 = 0x10;

/// May the application handle's current login act under `rights`?
fn allowed(rt: &Runtime, h: usize, rights: u32) -> bool {
    if rights == ANYONE {
        return true;
    }
    match rt.login(h) {
        Some(l) if l.admin => rights & ADMIN != 0,
        Some(_) => rights & USER != 0,
        None => false,
    }
}

fn file_name(p: LPSTR) -> R<String> {
    let cfg = config()?;
    // SAFETY: the caller passes a NUL-terminated name.
    let name = name_in(unsafe { in_str(p) }?, &cfg)?;
    if name.is_empty() || name.len() > MAX_FILE_NAME {
        return Err(sar::NAMELEN);
    }
    Ok(name)
}

exports! {
    fn SKF_CreateFile(hApplication: HANDLE, szFileName: LPSTR, ulFileSize: ULONG, ulReadRights: ULONG, ulWriteRights: ULONG) {
        let name = file_name(szFileName)?;
        if ulFileSize > MAX_FILE_SIZE {
            return Err(sar::NO_ROOM);
        }
        let h = hid(hApplication);
        with_rt(|rt| {
            let (dev, app) = rt.app(h)?;
            let mut rec = rt.load(&dev)?;
            let a = rec.app_mut(&app).ok_or(sar::APPLICATION_NOT_EXISTS)?;
            if !allowed(rt, h, a.create_file_rights) {
                return Err(sar::USER_NOT_LOGGED_IN);
            }
            if a.file_mut(&name).is_some() {
                return Err(sar::FILE_ALREADY_EXIST);
            }
            a.files.push(FileRecord {
                name,
                read_rights: ulReadRights,
                write_rights: ulWriteRights,
                data: vec![0; ulFileSize as usize],
            });
            rt.save(&dev, &rec)
        })
    }

    fn SKF_DeleteFile(hApplication: HANDLE, szFileName: LPSTR) {
        let name = file_name(szFileName)?;
        let h = hid(hApplication);
        with_rt(|rt| {
            let (dev, app) = rt.app(h)?;
            let mut rec = rt.load(&dev)?;
            let a = rec.app_mut(&app).ok_or(sar::APPLICATION_NOT_EXISTS)?;
            let f = a.file_mut(&name).ok_or(sar::FILE_NOT_EXIST)?;
            if !allowed(rt, h, f.write_rights) {
                return Err(sar::USER_NOT_LOGGED_IN);
            }
            a.files.retain(|f| f.name != name);
            rt.save(&dev, &rec)
        })
    }

    fn SKF_EnumFiles(hApplication: HANDLE, szFileList: LPSTR, pulSize: *mut ULONG) {
        let cfg = config()?;
        let names = with_rt(|rt| {
            let (dev, app) = rt.app(hid(hApplication))?;
            let rec = rt.load(&dev)?;
            let a = rec.app(&app).ok_or(sar::APPLICATION_NOT_EXISTS)?;
            Ok(a.files.iter().map(|f| f.name.clone()).collect::<Vec<_>>())
        })?;
        // SAFETY: the caller's buffer and size slot follow the two-call protocol.
        unsafe { name_list(&names, &cfg, szFileList.cast(), pulSize) }
    }

    fn SKF_GetFileInfo(hApplication: HANDLE, szFileName: LPSTR, pFileInfo: *mut u8) {
        let cfg = config()?;
        let name = file_name(szFileName)?;
        let (size, read, write) = with_rt(|rt| {
            let (dev, app) = rt.app(hid(hApplication))?;
            let mut rec = rt.load(&dev)?;
            let a = rec.app_mut(&app).ok_or(sar::APPLICATION_NOT_EXISTS)?;
            let f = a.file_mut(&name).ok_or(sar::FILE_NOT_EXIST)?;
            Ok((f.data.len() as u32, f.read_rights, f.write_rights))
        })?;
        // FILEATTRIBUTE: FileName[32], FileSize, ReadRights, WriteRights.
        let mut b = [0u8; 44];
        let n = name_out(&name, cfg.quirks.gbk_names);
        let len = n.len().min(31);
        b[..len].copy_from_slice(&n[..len]);
        b[32..36].copy_from_slice(&size.to_ne_bytes());
        b[36..40].copy_from_slice(&read.to_ne_bytes());
        b[40..44].copy_from_slice(&write.to_ne_bytes());
        // SAFETY: the caller passes a FILEATTRIBUTE (44 bytes).
        unsafe { out_bytes(pFileInfo, &b) }
    }

    fn SKF_ReadFile(hApplication: HANDLE, szFileName: LPSTR, ulOffset: ULONG, ulSize: ULONG, pbOutData: *mut u8, pulOutLen: *mut ULONG) {
        let name = file_name(szFileName)?;
        let h = hid(hApplication);
        let data = with_rt(|rt| {
            let (dev, app) = rt.app(h)?;
            let mut rec = rt.load(&dev)?;
            let a = rec.app_mut(&app).ok_or(sar::APPLICATION_NOT_EXISTS)?;
            let f = a.file_mut(&name).ok_or(sar::FILE_NOT_EXIST)?;
            if !allowed(rt, h, f.read_rights) {
                return Err(sar::USER_NOT_LOGGED_IN);
            }
            let start = (ulOffset as usize).min(f.data.len());
            let end = start.saturating_add(ulSize as usize).min(f.data.len());
            Ok(f.data[start..end].to_vec())
        })?;
        // SAFETY: the caller's buffer holds `*pulOutLen` bytes (two-call protocol).
        unsafe { two_call(pbOutData, pulOutLen, &data) }
    }

    fn SKF_WriteFile(hApplication: HANDLE, szFileName: LPSTR, ulOffset: ULONG, pbData: *mut u8, ulSize: ULONG) {
        let name = file_name(szFileName)?;
        // SAFETY: the caller's buffer holds `ulSize` bytes.
        let data = unsafe { in_bytes(pbData, ulSize) }?.to_vec();
        let h = hid(hApplication);
        with_rt(|rt| {
            let (dev, app) = rt.app(h)?;
            let mut rec = rt.load(&dev)?;
            let a = rec.app_mut(&app).ok_or(sar::APPLICATION_NOT_EXISTS)?;
            let f = a.file_mut(&name).ok_or(sar::FILE_NOT_EXIST)?;
            if !allowed(rt, h, f.write_rights) {
                return Err(sar::USER_NOT_LOGGED_IN);
            }
            let start = ulOffset as usize;
            let end = start.checked_add(data.len()).ok_or(sar::INDATALEN)?;
            if end > f.data.len() {
                return Err(sar::INDATALEN);
            }
            f.data[start..end].copy_from_slice(&data);
            rt.save(&dev, &rec)
        })
    }
}
