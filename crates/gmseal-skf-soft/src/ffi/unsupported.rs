//! The functions this token does not implement: `SAR_NOTSUPPORTYETERR`, with the signatures of
//! the standard (which matter for the stack on 32-bit Windows).
#![allow(unused_variables)]

use super::*;

type P = *mut u8;

exports! {
    fn SKF_Transmit(hDev: HANDLE, pbCommand: P, ulCommandLen: ULONG, pbData: P, pulDataLen: *mut ULONG) { Err(sar::NOTSUPPORTYET) }
    fn SKF_ChangeDevAuthKey(hDev: HANDLE, pbKeyValue: P, ulKeyLen: ULONG) { Err(sar::NOTSUPPORTYET) }
    fn SKF_DevAuth(hDev: HANDLE, pbAuthData: P, ulLen: ULONG) { Err(sar::NOTSUPPORTYET) }
    fn SKF_CreateApplication(hDev: HANDLE, szAppName: LPSTR, szAdminPin: LPSTR, dwAdminPinRetryCount: ULONG, szUserPin: LPSTR, dwUserPinRetryCount: ULONG, dwCreateFileRights: ULONG, phApplication: *mut HANDLE) { Err(sar::NOTSUPPORTYET) }
    fn SKF_DeleteApplication(hDev: HANDLE, szAppName: LPSTR) { Err(sar::NOTSUPPORTYET) }
    fn SKF_GenExtRSAKey(hDev: HANDLE, ulBitsLen: ULONG, pBlob: P) { Err(sar::NOTSUPPORTYET) }
    fn SKF_GenRSAKeyPair(hContainer: HANDLE, ulBitsLen: ULONG, pBlob: P) { Err(sar::NOTSUPPORTYET) }
    fn SKF_ImportRSAKeyPair(hContainer: HANDLE, ulSymAlgId: ULONG, pbWrappedKey: P, ulWrappedKeyLen: ULONG, pbEncryptedData: P, ulEncryptedDataLen: ULONG) { Err(sar::NOTSUPPORTYET) }
    fn SKF_RSASignData(hContainer: HANDLE, pbData: P, ulDataLen: ULONG, pbSignature: P, pulSignLen: *mut ULONG) { Err(sar::NOTSUPPORTYET) }
    fn SKF_RSAVerify(hDev: HANDLE, pRSAPubKeyBlob: P, pbData: P, ulDataLen: ULONG, pbSignature: P, ulSignLen: ULONG) { Err(sar::NOTSUPPORTYET) }
    fn SKF_RSAExportSessionKey(hContainer: HANDLE, ulAlgId: ULONG, pPubKey: P, pbData: P, pulDataLen: *mut ULONG, phSessionKey: *mut HANDLE) { Err(sar::NOTSUPPORTYET) }
    fn SKF_ExtRSAPubKeyOperation(hDev: HANDLE, pRSAPubKeyBlob: P, pbInput: P, ulInputLen: ULONG, pbOutput: P, pulOutputLen: *mut ULONG) { Err(sar::NOTSUPPORTYET) }
    fn SKF_ExtRSAPriKeyOperation(hDev: HANDLE, pRSAPriKeyBlob: P, pbInput: P, ulInputLen: ULONG, pbOutput: P, pulOutputLen: *mut ULONG) { Err(sar::NOTSUPPORTYET) }
    fn SKF_ImportECCKeyPair(hContainer: HANDLE, pEnvelopedKeyBlob: P) { Err(sar::NOTSUPPORTYET) }
    fn SKF_ECCExportSessionKey(hContainer: HANDLE, ulAlgId: ULONG, pPubKey: P, pData: P, phSessionKey: *mut HANDLE) { Err(sar::NOTSUPPORTYET) }
    fn SKF_ExtECCEncrypt(hDev: HANDLE, pECCPubKeyBlob: P, pbPlainText: P, ulPlainTextLen: ULONG, pCipherText: P) { Err(sar::NOTSUPPORTYET) }
    fn SKF_ExtECCDecrypt(hDev: HANDLE, pECCPriKeyBlob: P, pCipherText: P, pbPlainText: P, pulPlainTextLen: *mut ULONG) { Err(sar::NOTSUPPORTYET) }
    fn SKF_ExtECCSign(hDev: HANDLE, pECCPriKeyBlob: P, pbData: P, ulDataLen: ULONG, pSignature: P) { Err(sar::NOTSUPPORTYET) }
    fn SKF_GenerateAgreementDataWithECC(hContainer: HANDLE, ulAlgId: ULONG, pTempECCPubKeyBlob: P, pbID: P, ulIDLen: ULONG, phAgreementHandle: *mut HANDLE) { Err(sar::NOTSUPPORTYET) }
    fn SKF_GenerateAgreementDataAndKeyWithECC(hContainer: HANDLE, ulAlgId: ULONG, pSponsorECCPubKeyBlob: P, pSponsorTempECCPubKeyBlob: P, pTempECCPubKeyBlob: P, pbID: P, ulIDLen: ULONG, pbSponsorID: P, ulSponsorIDLen: ULONG, phKeyHandle: *mut HANDLE) { Err(sar::NOTSUPPORTYET) }
    fn SKF_GenerateKeyWithECC(hAgreementHandle: HANDLE, pECCPubKeyBlob: P, pTempECCPubKeyBlob: P, pbID: P, ulIDLen: ULONG, phKeyHandle: *mut HANDLE) { Err(sar::NOTSUPPORTYET) }
    fn SKF_ImportSessionKey(hContainer: HANDLE, ulAlgId: ULONG, pbWrapedData: P, ulWrapedLen: ULONG, phKey: *mut HANDLE) { Err(sar::NOTSUPPORTYET) }
    fn SKF_EncryptUpdate(hKey: HANDLE, pbData: P, ulDataLen: ULONG, pbEncryptedData: P, pulEncryptedLen: *mut ULONG) { Err(sar::NOTSUPPORTYET) }
    fn SKF_EncryptFinal(hKey: HANDLE, pbEncryptedData: P, pulEncryptedDataLen: *mut ULONG) { Err(sar::NOTSUPPORTYET) }
    fn SKF_DecryptUpdate(hKey: HANDLE, pbEncryptedData: P, ulEncryptedLen: ULONG, pbData: P, pulDataLen: *mut ULONG) { Err(sar::NOTSUPPORTYET) }
    fn SKF_DecryptFinal(hKey: HANDLE, pbDecryptedData: P, pulDecryptedDataLen: *mut ULONG) { Err(sar::NOTSUPPORTYET) }
    fn SKF_MacInit(hKey: HANDLE, pMacParam: P, phMac: *mut HANDLE) { Err(sar::NOTSUPPORTYET) }
    fn SKF_Mac(hMac: HANDLE, pbData: P, ulDataLen: ULONG, pbMacData: P, pulMacLen: *mut ULONG) { Err(sar::NOTSUPPORTYET) }
    fn SKF_MacUpdate(hMac: HANDLE, pbData: P, ulDataLen: ULONG) { Err(sar::NOTSUPPORTYET) }
    fn SKF_MacFinal(hMac: HANDLE, pbMacData: P, pulMacDataLen: *mut ULONG) { Err(sar::NOTSUPPORTYET) }
}
