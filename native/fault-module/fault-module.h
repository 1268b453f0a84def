/*
 * Shared declarations of the KySo fault-injecting PKCS#11 module (see README.md for the control format).
 *
 * kyso-fault-pkcs11.c  loads the real module, gates every call, the entry points with behaviour of their own
 * fault-forward.c      the plain forwarders
 * fault-control.c      reads and parses the control file
 * fault-tokens.c       token presence, session bookkeeping, slot events
 * fault-auth.c         C_Login, PIN pad, CKA_ALWAYS_AUTHENTICATE
 */
#ifndef KYSO_FAULT_MODULE_H
#define KYSO_FAULT_MODULE_H

#include <p11-kit/pkcs11.h>

#define FAULT_MAX_TARGETS 8
#define FAULT_TARGET_MAX 64

enum fault_action { FAULT_NONE, FAULT_FAIL, FAULT_HANG, FAULT_CRASH };

/* What the call rules (fail/delay/hang/crash) say about one call. */
typedef struct {
  enum fault_action action;
  CK_RV rv;
  long delay_ms;
} fault_plan;

/* The control file's token-wide settings, copied out so no lock is held while they are used. */
typedef struct {
  int all_absent;
  int n_absent;
  char absent[FAULT_MAX_TARGETS][FAULT_TARGET_MAX]; /* slot index (decimal) or token label */
  CK_FLAGS pin_flags;
  int protected_auth_path;
  int always_authenticate;
  int slot_events;
} fault_state;

/* kyso-fault-pkcs11.c: each gate returns 1 with *rv set when the call must return without being forwarded. */
extern CK_FUNCTION_LIST_PTR fault_real;
int fault_is_function_name(const char *name);
void fault_sleep_ms(long ms);
int gate_global(const char *fn, fault_state *st, CK_RV *rv);
int gate_slot(const char *fn, CK_SLOT_ID slot, fault_state *st, CK_RV *rv);
int gate_session(const char *fn, CK_SESSION_HANDLE h, fault_state *st, CK_RV *rv);

/* fault-forward.c */
void forward_fill(CK_FUNCTION_LIST *list);

/* fault-control.c: fn NULL reads the settings only and consumes no `once` rule. */
void fault_control_read(const char *fn, fault_plan *plan, fault_state *state);

/* fault-tokens.c */
void tokens_reset(void);
void tokens_baseline(void);
int tokens_slot_present(const fault_state *st, CK_SLOT_ID slot);
CK_RV tokens_session_gate(const fault_state *st, CK_SESSION_HANDLE h);
int tokens_session_slot(CK_SESSION_HANDLE h, CK_SLOT_ID *slot);
void tokens_session_opened(CK_SESSION_HANDLE h, CK_SLOT_ID slot);
void tokens_session_closed(CK_SESSION_HANDLE h);
void tokens_slot_closed(CK_SLOT_ID slot);
int tokens_pending_context(CK_SESSION_HANDLE h);
void tokens_set_pending_context(CK_SESSION_HANDLE h, int pending);
int tokens_check_user_pin(CK_SLOT_ID slot, const unsigned char *pin, CK_ULONG len); /* -1 none, 0 no, 1 yes */
void tokens_remember_user_pin(CK_SLOT_ID slot, const unsigned char *pin, CK_ULONG len);
CK_RV tokens_get_slot_list(const fault_state *st, CK_BBOOL present, CK_SLOT_ID_PTR list, CK_ULONG_PTR count);
CK_RV tokens_wait_for_slot_event(CK_FLAGS flags, CK_SLOT_ID_PTR slot);

/* fault-auth.c */
CK_RV auth_login(const fault_state *st, CK_SESSION_HANDLE h, CK_USER_TYPE user, CK_UTF8CHAR_PTR pin, CK_ULONG len);
CK_RV auth_sign_init(const fault_state *st, CK_SESSION_HANDLE h, CK_MECHANISM_PTR mech, CK_OBJECT_HANDLE key);
/* CKR_USER_NOT_LOGGED_IN while a context-specific login is owed (once: the operation is then over), else CKR_OK. */
CK_RV auth_sign_gate(CK_SESSION_HANDLE h);
/* Finishes the real signing operation and throws the result away: a failed sign call ends the operation
 * (PKCS#11 v2.40, C_Sign), so a failure that never reached the real module must end its operation too. */
void auth_end_sign(CK_SESSION_HANDLE h, int single_part, CK_BYTE_PTR in, CK_ULONG in_len);
CK_RV auth_get_attribute_value(const fault_state *st, CK_SESSION_HANDLE h, CK_OBJECT_HANDLE obj,
                               CK_ATTRIBUTE_PTR tmpl, CK_ULONG count);

#endif
