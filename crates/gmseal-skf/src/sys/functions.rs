//! The 78 functions of GM/T 0016-2012 §7 as a table of optional function pointers.
//!
//! Every symbol is looked up when a library is opened; one that is missing stays `None` and the
//! call that needs it fails with [`crate::Error::MissingFunction`], so a vendor library that
//! lacks (say) the MAC functions is still usable for signing.

use super::*;

macro_rules! skf_functions {
    ($( $(#[$doc:meta])* fn $name:ident ( $($arg:ident : $ty:ty),* $(,)? ); )*) => {
        /// Function pointers resolved from one library; `None` where the library lacks the symbol.
        #[derive(Clone, Copy)]
        pub struct FunctionList {
            $( $(#[$doc])* pub $name: Option<unsafe extern "system" fn($($arg: $ty),*) -> ULONG>, )*
        }

        /// The names of all functions of the table, in the order of the standard.
        pub const FUNCTION_NAMES: &[&str] = &[ $( stringify!($name) ),* ];

        impl FunctionList {
            /// Resolve every symbol of the table in `lib`.
            ///
            /// # Safety
            /// `lib` must be an SKF library: each symbol found must be a function with the
            /// signature declared here (GM/T 0016-2012 §7) and the calling convention of
            /// `extern "system"`. The pointers are valid only while `lib` stays loaded.
            pub(crate) unsafe fn load(lib: &libloading::Library) -> Self {
                FunctionList {
                    $( $name: {
                        // SAFETY: the caller guarantees that the symbol, if present, has this
                        // type; the pointer is copied out and used only while `lib` is alive
                        // (the owner keeps the `Library` next to this table).
                        let sym = unsafe {
                            lib.get::<unsafe extern "system" fn($($ty),*) -> ULONG>(
                                concat!(stringify!($name), "\0").as_bytes(),
                            )
                        };
                        sym.ok().map(|s| *s)
                    }, )*
                }
            }

            /// The names of the functions the library lacks.
            pub fn missing(&self) -> Vec<&'static str> {
                let mut v = Vec::new();
                $( if self.$name.is_none() { v.push(stringify!($name)); } )*
                v
            }

            /// Is the named function (e.g. `"SKF_DigestInit"`) present?
            pub fn has(&self, name: &str) -> bool {
                match name {
                    $( stringify!($name) => self.$name.is_some(), )*
                    _ => false,
                }
            }
        }

        impl core::fmt::Debug for FunctionList {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.debug_struct("FunctionList")
                    .field("missing", &self.missing())
                    .finish_non_exhaustive()
            }
        }
    };
}

skf_functions! {
    // §7.1 device management
    fn SKF_WaitForDevEvent(szDevName: LPSTR, pulDevNameLen: *mut ULONG, pulEvent: *mut ULONG);
    fn SKF_CancelWaitForDevEvent();
    fn SKF_EnumDev(bPresent: BOOL, szNameList: LPSTR, pulSize: *mut ULONG);
    fn SKF_ConnectDev(szName: LPSTR, phDev: *mut DEVHANDLE);
    fn SKF_DisConnectDev(hDev: DEVHANDLE);
    fn SKF_GetDevState(szDevName: LPSTR, pulDevState: *mut ULONG);
    fn SKF_SetLabel(hDev: DEVHANDLE, szLabel: LPSTR);
    fn SKF_GetDevInfo(hDev: DEVHANDLE, pDevInfo: *mut DEVINFO);
    fn SKF_LockDev(hDev: DEVHANDLE, ulTimeOut: ULONG);
    fn SKF_UnlockDev(hDev: DEVHANDLE);
    fn SKF_Transmit(hDev: DEVHANDLE, pbCommand: *mut BYTE, ulCommandLen: ULONG, pbData: *mut BYTE, pulDataLen: *mut ULONG);
    // §7.2 access control
    fn SKF_ChangeDevAuthKey(hDev: DEVHANDLE, pbKeyValue: *mut BYTE, ulKeyLen: ULONG);
    fn SKF_DevAuth(hDev: DEVHANDLE, pbAuthData: *mut BYTE, ulLen: ULONG);
    fn SKF_ChangePIN(hApplication: HAPPLICATION, ulPINType: ULONG, szOldPin: LPSTR, szNewPin: LPSTR, pulRetryCount: *mut ULONG);
    fn SKF_GetPINInfo(hApplication: HAPPLICATION, ulPINType: ULONG, pulMaxRetryCount: *mut ULONG, pulRemainRetryCount: *mut ULONG, pbDefaultPin: *mut BoolSlot);
    fn SKF_VerifyPIN(hApplication: HAPPLICATION, ulPINType: ULONG, szPIN: LPSTR, pulRetryCount: *mut ULONG);
    fn SKF_UnblockPIN(hApplication: HAPPLICATION, szAdminPIN: LPSTR, szNewUserPIN: LPSTR, pulRetryCount: *mut ULONG);
    fn SKF_ClearSecureState(hApplication: HAPPLICATION);
    // §7.3 application management
    fn SKF_CreateApplication(hDev: DEVHANDLE, szAppName: LPSTR, szAdminPin: LPSTR, dwAdminPinRetryCount: DWORD, szUserPin: LPSTR, dwUserPinRetryCount: DWORD, dwCreateFileRights: DWORD, phApplication: *mut HAPPLICATION);
    fn SKF_EnumApplication(hDev: DEVHANDLE, szAppName: LPSTR, pulSize: *mut ULONG);
    fn SKF_DeleteApplication(hDev: DEVHANDLE, szAppName: LPSTR);
    fn SKF_OpenApplication(hDev: DEVHANDLE, szAppName: LPSTR, phApplication: *mut HAPPLICATION);
    fn SKF_CloseApplication(hApplication: HAPPLICATION);
    // §7.4 file management
    fn SKF_CreateFile(hApplication: HAPPLICATION, szFileName: LPSTR, ulFileSize: ULONG, ulReadRights: ULONG, ulWriteRights: ULONG);
    fn SKF_DeleteFile(hApplication: HAPPLICATION, szFileName: LPSTR);
    fn SKF_EnumFiles(hApplication: HAPPLICATION, szFileList: LPSTR, pulSize: *mut ULONG);
    fn SKF_GetFileInfo(hApplication: HAPPLICATION, szFileName: LPSTR, pFileInfo: *mut FILEATTRIBUTE);
    fn SKF_ReadFile(hApplication: HAPPLICATION, szFileName: LPSTR, ulOffset: ULONG, ulSize: ULONG, pbOutData: *mut BYTE, pulOutLen: *mut ULONG);
    fn SKF_WriteFile(hApplication: HAPPLICATION, szFileName: LPSTR, ulOffset: ULONG, pbData: *mut BYTE, ulSize: ULONG);
    // §7.5 container management
    fn SKF_CreateContainer(hApplication: HAPPLICATION, szContainerName: LPSTR, phContainer: *mut HCONTAINER);
    fn SKF_DeleteContainer(hApplication: HAPPLICATION, szContainerName: LPSTR);
    fn SKF_OpenContainer(hApplication: HAPPLICATION, szContainerName: LPSTR, phContainer: *mut HCONTAINER);
    fn SKF_CloseContainer(hContainer: HCONTAINER);
    fn SKF_EnumContainer(hApplication: HAPPLICATION, szContainerName: LPSTR, pulSize: *mut ULONG);
    fn SKF_GetContainerType(hContainer: HCONTAINER, pulContainerType: *mut ULONG);
    fn SKF_ImportCertificate(hContainer: HCONTAINER, bSignFlag: BOOL, pbCert: *mut BYTE, ulCertLen: ULONG);
    fn SKF_ExportCertificate(hContainer: HCONTAINER, bSignFlag: BOOL, pbCert: *mut BYTE, pulCertLen: *mut ULONG);
    // §7.6 cryptographic services
    fn SKF_GenRandom(hDev: DEVHANDLE, pbRandom: *mut BYTE, ulRandomLen: ULONG);
    fn SKF_GenExtRSAKey(hDev: DEVHANDLE, ulBitsLen: ULONG, pBlob: *mut RSAPRIVATEKEYBLOB);
    fn SKF_GenRSAKeyPair(hContainer: HCONTAINER, ulBitsLen: ULONG, pBlob: *mut RSAPUBLICKEYBLOB);
    fn SKF_ImportRSAKeyPair(hContainer: HCONTAINER, ulSymAlgId: ULONG, pbWrappedKey: *mut BYTE, ulWrappedKeyLen: ULONG, pbEncryptedData: *mut BYTE, ulEncryptedDataLen: ULONG);
    fn SKF_RSASignData(hContainer: HCONTAINER, pbData: *mut BYTE, ulDataLen: ULONG, pbSignature: *mut BYTE, pulSignLen: *mut ULONG);
    fn SKF_RSAVerify(hDev: DEVHANDLE, pRSAPubKeyBlob: *mut RSAPUBLICKEYBLOB, pbData: *mut BYTE, ulDataLen: ULONG, pbSignature: *mut BYTE, ulSignLen: ULONG);
    fn SKF_RSAExportSessionKey(hContainer: HCONTAINER, ulAlgId: ULONG, pPubKey: *mut RSAPUBLICKEYBLOB, pbData: *mut BYTE, pulDataLen: *mut ULONG, phSessionKey: *mut HANDLE);
    fn SKF_ExtRSAPubKeyOperation(hDev: DEVHANDLE, pRSAPubKeyBlob: *mut RSAPUBLICKEYBLOB, pbInput: *mut BYTE, ulInputLen: ULONG, pbOutput: *mut BYTE, pulOutputLen: *mut ULONG);
    fn SKF_ExtRSAPriKeyOperation(hDev: DEVHANDLE, pRSAPriKeyBlob: *mut RSAPRIVATEKEYBLOB, pbInput: *mut BYTE, ulInputLen: ULONG, pbOutput: *mut BYTE, pulOutputLen: *mut ULONG);
    fn SKF_GenECCKeyPair(hContainer: HCONTAINER, ulAlgId: ULONG, pBlob: *mut ECCPUBLICKEYBLOB);
    fn SKF_ImportECCKeyPair(hContainer: HCONTAINER, pEnvelopedKeyBlob: *mut ENVELOPEDKEYBLOB);
    fn SKF_ECCSignData(hContainer: HCONTAINER, pbData: *mut BYTE, ulDataLen: ULONG, pSignature: *mut ECCSIGNATUREBLOB);
    fn SKF_ECCVerify(hDev: DEVHANDLE, pECCPubKeyBlob: *mut ECCPUBLICKEYBLOB, pbData: *mut BYTE, ulDataLen: ULONG, pSignature: *mut ECCSIGNATUREBLOB);
    fn SKF_ECCExportSessionKey(hContainer: HCONTAINER, ulAlgId: ULONG, pPubKey: *mut ECCPUBLICKEYBLOB, pData: *mut ECCCIPHERBLOB, phSessionKey: *mut HANDLE);
    fn SKF_ExtECCEncrypt(hDev: DEVHANDLE, pECCPubKeyBlob: *mut ECCPUBLICKEYBLOB, pbPlainText: *mut BYTE, ulPlainTextLen: ULONG, pCipherText: *mut ECCCIPHERBLOB);
    fn SKF_ExtECCDecrypt(hDev: DEVHANDLE, pECCPriKeyBlob: *mut ECCPRIVATEKEYBLOB, pCipherText: *mut ECCCIPHERBLOB, pbPlainText: *mut BYTE, pulPlainTextLen: *mut ULONG);
    fn SKF_ExtECCSign(hDev: DEVHANDLE, pECCPriKeyBlob: *mut ECCPRIVATEKEYBLOB, pbData: *mut BYTE, ulDataLen: ULONG, pSignature: *mut ECCSIGNATUREBLOB);
    fn SKF_ExtECCVerify(hDev: DEVHANDLE, pECCPubKeyBlob: *mut ECCPUBLICKEYBLOB, pbData: *mut BYTE, ulDataLen: ULONG, pSignature: *mut ECCSIGNATUREBLOB);
    fn SKF_GenerateAgreementDataWithECC(hContainer: HCONTAINER, ulAlgId: ULONG, pTempECCPubKeyBlob: *mut ECCPUBLICKEYBLOB, pbID: *mut BYTE, ulIDLen: ULONG, phAgreementHandle: *mut HANDLE);
    fn SKF_GenerateAgreementDataAndKeyWithECC(hContainer: HANDLE, ulAlgId: ULONG, pSponsorECCPubKeyBlob: *mut ECCPUBLICKEYBLOB, pSponsorTempECCPubKeyBlob: *mut ECCPUBLICKEYBLOB, pTempECCPubKeyBlob: *mut ECCPUBLICKEYBLOB, pbID: *mut BYTE, ulIDLen: ULONG, pbSponsorID: *mut BYTE, ulSponsorIDLen: ULONG, phKeyHandle: *mut HANDLE);
    fn SKF_GenerateKeyWithECC(hAgreementHandle: HANDLE, pECCPubKeyBlob: *mut ECCPUBLICKEYBLOB, pTempECCPubKeyBlob: *mut ECCPUBLICKEYBLOB, pbID: *mut BYTE, ulIDLen: ULONG, phKeyHandle: *mut HANDLE);
    fn SKF_ExportPublicKey(hContainer: HCONTAINER, bSignFlag: BOOL, pbBlob: *mut BYTE, pulBlobLen: *mut ULONG);
    fn SKF_ImportSessionKey(hContainer: HCONTAINER, ulAlgId: ULONG, pbWrapedData: *mut BYTE, ulWrapedLen: ULONG, phKey: *mut HANDLE);
    fn SKF_SetSymmKey(hDev: DEVHANDLE, pbKey: *mut BYTE, ulAlgID: ULONG, phKey: *mut HANDLE);
    fn SKF_EncryptInit(hKey: HANDLE, EncryptParam: BLOCKCIPHERPARAM);
    fn SKF_Encrypt(hKey: HANDLE, pbData: *mut BYTE, ulDataLen: ULONG, pbEncryptedData: *mut BYTE, pulEncryptedLen: *mut ULONG);
    fn SKF_EncryptUpdate(hKey: HANDLE, pbData: *mut BYTE, ulDataLen: ULONG, pbEncryptedData: *mut BYTE, pulEncryptedLen: *mut ULONG);
    fn SKF_EncryptFinal(hKey: HANDLE, pbEncryptedData: *mut BYTE, pulEncryptedDataLen: *mut ULONG);
    fn SKF_DecryptInit(hKey: HANDLE, DecryptParam: BLOCKCIPHERPARAM);
    fn SKF_Decrypt(hKey: HANDLE, pbEncryptedData: *mut BYTE, ulEncryptedLen: ULONG, pbData: *mut BYTE, pulDataLen: *mut ULONG);
    fn SKF_DecryptUpdate(hKey: HANDLE, pbEncryptedData: *mut BYTE, ulEncryptedLen: ULONG, pbData: *mut BYTE, pulDataLen: *mut ULONG);
    fn SKF_DecryptFinal(hKey: HANDLE, pbDecryptedData: *mut BYTE, pulDecryptedDataLen: *mut ULONG);
    fn SKF_DigestInit(hDev: DEVHANDLE, ulAlgID: ULONG, pPubKey: *mut ECCPUBLICKEYBLOB, pucID: *mut BYTE, ulIDLen: ULONG, phHash: *mut HANDLE);
    fn SKF_Digest(hHash: HANDLE, pbData: *mut BYTE, ulDataLen: ULONG, pbHashData: *mut BYTE, pulHashLen: *mut ULONG);
    fn SKF_DigestUpdate(hHash: HANDLE, pbData: *mut BYTE, ulDataLen: ULONG);
    fn SKF_DigestFinal(hHash: HANDLE, pHashData: *mut BYTE, pulHashLen: *mut ULONG);
    fn SKF_MacInit(hKey: HANDLE, pMacParam: *mut BLOCKCIPHERPARAM, phMac: *mut HANDLE);
    fn SKF_Mac(hMac: HANDLE, pbData: *mut BYTE, ulDataLen: ULONG, pbMacData: *mut BYTE, pulMacLen: *mut ULONG);
    fn SKF_MacUpdate(hMac: HANDLE, pbData: *mut BYTE, ulDataLen: ULONG);
    fn SKF_MacFinal(hMac: HANDLE, pbMacData: *mut BYTE, pulMacDataLen: *mut ULONG);
    fn SKF_CloseHandle(hHandle: HANDLE);
}

const _: () = assert!(FUNCTION_NAMES.len() == 78);
