/*
 * The plain forwarders: gate the call (log, call rules, token presence), then hand it to the real module
 * unchanged. The functions with behaviour of their own are in kyso-fault-pkcs11.c.
 */
#include "fault-module.h"

/*
 * Plain forwarders. A shape is the parameter list and the matching argument list; the first parameter is
 * always `h` (session or slot) so the gate can find the token.
 */
typedef CK_SESSION_HANDLE SH;
typedef CK_OBJECT_HANDLE OH;
typedef CK_BYTE_PTR B;
typedef CK_ULONG UL;
typedef CK_ULONG_PTR ULP;
typedef CK_MECHANISM_PTR M;
typedef CK_ATTRIBUTE_PTR A;
typedef CK_OBJECT_HANDLE_PTR OHP;

#define IN_OUT (SH h, B a, UL b, B c, ULP d), (h, a, b, c, d)
#define OUT (SH h, B a, ULP b), (h, a, b)
#define IN (SH h, B a, UL b), (h, a, b)
#define MECH_KEY (SH h, M a, OH b), (h, a, b)
#define ONLY (SH h), (h)

#define FORWARD(name, kind, ...) FORWARD_(name, kind, __VA_ARGS__)
#define FORWARD_(name, kind, params, args)                                                                      \
  static CK_RV fw_##name params                                                                                 \
  {                                                                                                             \
    fault_state st;                                                                                             \
    CK_RV rv;                                                                                                   \
    if (gate_##kind(#name, h, &st, &rv)) return rv;                                                             \
    return fault_real->name args;                                                                               \
  }

FORWARD(C_GetMechanismList, slot, (CK_SLOT_ID h, CK_MECHANISM_TYPE_PTR a, ULP b), (h, a, b))
FORWARD(C_GetMechanismInfo, slot, (CK_SLOT_ID h, CK_MECHANISM_TYPE a, CK_MECHANISM_INFO_PTR b), (h, a, b))
FORWARD(C_InitToken, slot, (CK_SLOT_ID h, CK_UTF8CHAR_PTR a, UL b, CK_UTF8CHAR_PTR c), (h, a, b, c))
FORWARD(C_InitPIN, session, IN)
FORWARD(C_SetPIN, session, (SH h, B a, UL b, B c, UL d), (h, a, b, c, d))
FORWARD(C_GetSessionInfo, session, (SH h, CK_SESSION_INFO_PTR a), (h, a))
FORWARD(C_GetOperationState, session, OUT)
FORWARD(C_SetOperationState, session, (SH h, B a, UL b, OH c, OH d), (h, a, b, c, d))
FORWARD(C_CreateObject, session, (SH h, A a, UL b, OHP c), (h, a, b, c))
FORWARD(C_CopyObject, session, (SH h, OH a, A b, UL c, OHP d), (h, a, b, c, d))
FORWARD(C_DestroyObject, session, (SH h, OH a), (h, a))
FORWARD(C_GetObjectSize, session, (SH h, OH a, ULP b), (h, a, b))
FORWARD(C_SetAttributeValue, session, (SH h, OH a, A b, UL c), (h, a, b, c))
FORWARD(C_FindObjectsInit, session, (SH h, A a, UL b), (h, a, b))
FORWARD(C_FindObjects, session, (SH h, OHP a, UL b, ULP c), (h, a, b, c))
FORWARD(C_FindObjectsFinal, session, ONLY)
FORWARD(C_EncryptInit, session, MECH_KEY)
FORWARD(C_Encrypt, session, IN_OUT)
FORWARD(C_EncryptUpdate, session, IN_OUT)
FORWARD(C_EncryptFinal, session, OUT)
FORWARD(C_DecryptInit, session, MECH_KEY)
FORWARD(C_Decrypt, session, IN_OUT)
FORWARD(C_DecryptUpdate, session, IN_OUT)
FORWARD(C_DecryptFinal, session, OUT)
FORWARD(C_DigestInit, session, (SH h, M a), (h, a))
FORWARD(C_Digest, session, IN_OUT)
FORWARD(C_DigestUpdate, session, IN)
FORWARD(C_DigestKey, session, (SH h, OH a), (h, a))
FORWARD(C_DigestFinal, session, OUT)
FORWARD(C_SignRecoverInit, session, MECH_KEY)
FORWARD(C_SignRecover, session, IN_OUT)
FORWARD(C_VerifyInit, session, MECH_KEY)
FORWARD(C_Verify, session, (SH h, B a, UL b, B c, UL d), (h, a, b, c, d))
FORWARD(C_VerifyUpdate, session, IN)
FORWARD(C_VerifyFinal, session, IN)
FORWARD(C_VerifyRecoverInit, session, MECH_KEY)
FORWARD(C_VerifyRecover, session, IN_OUT)
FORWARD(C_DigestEncryptUpdate, session, IN_OUT)
FORWARD(C_DecryptDigestUpdate, session, IN_OUT)
FORWARD(C_SignEncryptUpdate, session, IN_OUT)
FORWARD(C_DecryptVerifyUpdate, session, IN_OUT)
FORWARD(C_GenerateKey, session, (SH h, M a, A b, UL c, OHP d), (h, a, b, c, d))
FORWARD(C_GenerateKeyPair, session, (SH h, M a, A b, UL c, A d, UL e, OHP f, OHP g), (h, a, b, c, d, e, f, g))
FORWARD(C_WrapKey, session, (SH h, M a, OH b, OH c, B d, ULP e), (h, a, b, c, d, e))
FORWARD(C_UnwrapKey, session, (SH h, M a, OH b, B c, UL d, A e, UL f, OHP g), (h, a, b, c, d, e, f, g))
FORWARD(C_DeriveKey, session, (SH h, M a, OH b, A c, UL d, OHP e), (h, a, b, c, d, e))
FORWARD(C_SeedRandom, session, IN)
FORWARD(C_GenerateRandom, session, IN)
FORWARD(C_GetFunctionStatus, session, ONLY)
FORWARD(C_CancelFunction, session, ONLY)

#define FILL(name) list->name = fw_##name;

void forward_fill(CK_FUNCTION_LIST *list)
{
  FILL(C_GetMechanismList) FILL(C_GetMechanismInfo) FILL(C_InitToken) FILL(C_InitPIN) FILL(C_SetPIN)
  FILL(C_GetSessionInfo) FILL(C_GetOperationState) FILL(C_SetOperationState) FILL(C_CreateObject)
  FILL(C_CopyObject) FILL(C_DestroyObject) FILL(C_GetObjectSize) FILL(C_SetAttributeValue) FILL(C_FindObjectsInit)
  FILL(C_FindObjects) FILL(C_FindObjectsFinal) FILL(C_EncryptInit) FILL(C_Encrypt) FILL(C_EncryptUpdate)
  FILL(C_EncryptFinal) FILL(C_DecryptInit) FILL(C_Decrypt) FILL(C_DecryptUpdate) FILL(C_DecryptFinal)
  FILL(C_DigestInit) FILL(C_Digest) FILL(C_DigestUpdate) FILL(C_DigestKey) FILL(C_DigestFinal)
  FILL(C_SignRecoverInit) FILL(C_SignRecover) FILL(C_VerifyInit) FILL(C_Verify) FILL(C_VerifyUpdate)
  FILL(C_VerifyFinal) FILL(C_VerifyRecoverInit) FILL(C_VerifyRecover) FILL(C_DigestEncryptUpdate)
  FILL(C_DecryptDigestUpdate) FILL(C_SignEncryptUpdate) FILL(C_DecryptVerifyUpdate) FILL(C_GenerateKey)
  FILL(C_GenerateKeyPair) FILL(C_WrapKey) FILL(C_UnwrapKey) FILL(C_DeriveKey) FILL(C_SeedRandom)
  FILL(C_GenerateRandom) FILL(C_GetFunctionStatus) FILL(C_CancelFunction)
}
