/*
 * Login faults: a locked PIN, a PIN pad (protected authentication path) and keys with CKA_ALWAYS_AUTHENTICATE.
 *
 * SoftHSM's own keys never need a context-specific login, so that login is answered here and never reaches
 * the real module: the PIN is compared with the one the last successful CKU_USER login of the token used
 * (kept in memory only, wiped at logout). A wrong PIN gets CKR_PIN_INCORRECT and the operation stays waiting.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "fault-module.h"

#define DEFAULT_PAD_PIN "1234"

static int is_private_key(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE obj)
{
  CK_OBJECT_CLASS cls = 0;
  CK_ATTRIBUTE attr = {CKA_CLASS, &cls, sizeof cls};
  return fault_real->C_GetAttributeValue(h, obj, &attr, 1) == CKR_OK && cls == CKO_PRIVATE_KEY;
}

CK_RV auth_login(const fault_state *st, CK_SESSION_HANDLE h, CK_USER_TYPE user, CK_UTF8CHAR_PTR pin, CK_ULONG len)
{
  CK_SLOT_ID slot;
  int known = tokens_session_slot(h, &slot);
  if ((st->pin_flags & CKF_USER_PIN_LOCKED) && user != CKU_SO) return CKR_PIN_LOCKED;
  /* pkcs11js cannot pass a NULL PIN, so an empty one also stands for "typed on the reader's pad". */
  if (st->protected_auth_path && (!pin || len == 0)) {
    const char *pad = getenv("KYSO_FAULT_PAD_PIN");
    if (!pad || !*pad) pad = DEFAULT_PAD_PIN;
    pin = (CK_UTF8CHAR_PTR)pad;
    len = strlen(pad);
  }
  if (user == CKU_CONTEXT_SPECIFIC && tokens_pending_context(h)) {
    int match = known ? tokens_check_user_pin(slot, pin, len) : -1;
    if (match < 0) return CKR_USER_NOT_LOGGED_IN;
    if (!match) return CKR_PIN_INCORRECT;
    tokens_set_pending_context(h, 0);
    return CKR_OK;
  }
  CK_RV rv = fault_real->C_Login(h, user, pin, len);
  if (rv == CKR_OK && user == CKU_USER && known) tokens_remember_user_pin(slot, pin, len);
  return rv;
}

CK_RV auth_sign_init(const fault_state *st, CK_SESSION_HANDLE h, CK_MECHANISM_PTR mech, CK_OBJECT_HANDLE key)
{
  CK_RV rv = fault_real->C_SignInit(h, mech, key);
  /* Only a successful init starts a new operation; a refused one (e.g. CKR_OPERATION_ACTIVE) changes nothing. */
  if (rv == CKR_OK) tokens_set_pending_context(h, st->always_authenticate && is_private_key(h, key));
  return rv;
}

CK_RV auth_sign_gate(CK_SESSION_HANDLE h)
{
  if (!tokens_pending_context(h)) return CKR_OK;
  tokens_set_pending_context(h, 0);
  return CKR_USER_NOT_LOGGED_IN;
}

void auth_end_sign(CK_SESSION_HANDLE h, int single_part, CK_BYTE_PTR in, CK_ULONG in_len)
{
  CK_ULONG len = 0;
  CK_RV rv = single_part ? fault_real->C_Sign(h, in, in_len, NULL, &len) : fault_real->C_SignFinal(h, NULL, &len);
  CK_BYTE *scratch = rv == CKR_OK ? malloc(len ? len : 1) : NULL;
  if (scratch && single_part) fault_real->C_Sign(h, in, in_len, scratch, &len);
  else if (scratch) fault_real->C_SignFinal(h, scratch, &len);
  free(scratch);
  tokens_set_pending_context(h, 0);
}

CK_RV auth_get_attribute_value(const fault_state *st, CK_SESSION_HANDLE h, CK_OBJECT_HANDLE obj,
                               CK_ATTRIBUTE_PTR tmpl, CK_ULONG count)
{
  CK_RV rv = fault_real->C_GetAttributeValue(h, obj, tmpl, count);
  /* These three still fill the other attributes (PKCS#11 v2.40, C_GetAttributeValue), so ours is patched in as well. */
  int filled = rv == CKR_OK || rv == CKR_ATTRIBUTE_SENSITIVE || rv == CKR_ATTRIBUTE_TYPE_INVALID ||
               rv == CKR_BUFFER_TOO_SMALL;
  if (!st->always_authenticate || !tmpl || !filled || !is_private_key(h, obj)) return rv;
  for (CK_ULONG i = 0; i < count; i++) {
    if (tmpl[i].type != CKA_ALWAYS_AUTHENTICATE) continue;
    if (!tmpl[i].pValue) {
      tmpl[i].ulValueLen = sizeof(CK_BBOOL);
    } else if (tmpl[i].ulValueLen >= sizeof(CK_BBOOL)) {
      *(CK_BBOOL *)tmpl[i].pValue = CK_TRUE;
      tmpl[i].ulValueLen = sizeof(CK_BBOOL);
    }
  }
  return rv;
}
