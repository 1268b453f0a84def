/*
 * KySo fault-injecting PKCS#11 v2.40 module: forwards every call to a real module (SoftHSM by default) and
 * injects the faults that the control file asks for. Test-only code; README.md documents the control format.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fault-module.h"

#define DEFAULT_REAL_MODULE "/usr/lib/softhsm/libsofthsm2.so"

CK_FUNCTION_LIST_PTR fault_real;

/* Every entry point, in CK_FUNCTION_LIST order: names the functions, validates control lines, fills the list. */
#define ALL_FUNCTIONS(X)                                                                                        \
  X(C_Initialize) X(C_Finalize) X(C_GetInfo) X(C_GetFunctionList) X(C_GetSlotList) X(C_GetSlotInfo)              \
  X(C_GetTokenInfo) X(C_GetMechanismList) X(C_GetMechanismInfo) X(C_InitToken) X(C_InitPIN) X(C_SetPIN)          \
  X(C_OpenSession) X(C_CloseSession) X(C_CloseAllSessions) X(C_GetSessionInfo) X(C_GetOperationState)            \
  X(C_SetOperationState) X(C_Login) X(C_Logout) X(C_CreateObject) X(C_CopyObject) X(C_DestroyObject)             \
  X(C_GetObjectSize) X(C_GetAttributeValue) X(C_SetAttributeValue) X(C_FindObjectsInit) X(C_FindObjects)         \
  X(C_FindObjectsFinal) X(C_EncryptInit) X(C_Encrypt) X(C_EncryptUpdate) X(C_EncryptFinal) X(C_DecryptInit)      \
  X(C_Decrypt) X(C_DecryptUpdate) X(C_DecryptFinal) X(C_DigestInit) X(C_Digest) X(C_DigestUpdate) X(C_DigestKey) \
  X(C_DigestFinal) X(C_SignInit) X(C_Sign) X(C_SignUpdate) X(C_SignFinal) X(C_SignRecoverInit) X(C_SignRecover)  \
  X(C_VerifyInit) X(C_Verify) X(C_VerifyUpdate) X(C_VerifyFinal) X(C_VerifyRecoverInit) X(C_VerifyRecover)       \
  X(C_DigestEncryptUpdate) X(C_DecryptDigestUpdate) X(C_SignEncryptUpdate) X(C_DecryptVerifyUpdate)              \
  X(C_GenerateKey) X(C_GenerateKeyPair) X(C_WrapKey) X(C_UnwrapKey) X(C_DeriveKey) X(C_SeedRandom)               \
  X(C_GenerateRandom) X(C_GetFunctionStatus) X(C_CancelFunction) X(C_WaitForSlotEvent)

#define NAME_STRING(name) #name,
static const char *const function_names[] = {ALL_FUNCTIONS(NAME_STRING)};
#define FUNCTION_COUNT (sizeof function_names / sizeof function_names[0])

/* A function missing from ALL_FUNCTIONS would leave a NULL in the list and crash the caller, not us. */
_Static_assert(FUNCTION_COUNT == 68, "PKCS#11 v2.40 has 68 functions");
_Static_assert(sizeof(CK_FUNCTION_LIST) == offsetof(CK_FUNCTION_LIST, C_Initialize) + 68 * sizeof(void *),
               "CK_FUNCTION_LIST layout");

int fault_is_function_name(const char *name)
{
  for (size_t i = 0; i < FUNCTION_COUNT; i++)
    if (strcmp(function_names[i], name) == 0) return 1;
  return 0;
}

void fault_sleep_ms(long ms)
{
  struct timespec left = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&left, &left) == -1 && errno == EINTR) {
  }
}

/* One line per call, opened and closed each time so the count survives a crash; never any argument (PINs). */
static void log_call(const char *fn)
{
  const char *path = getenv("KYSO_FAULT_LOG");
  if (!path || !*path) return;
  int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return;
  char line[64];
  int n = snprintf(line, sizeof line, "%s\n", fn);
  /* One write() per line: O_APPEND keeps lines from concurrent threads whole. */
  if (write(fd, line, (size_t)n) != n) {
  }
  close(fd);
}

/* Logs the call and applies its call rules; returns 1 with *rv set when the call must return now. */
static int apply_rules(const char *fn, fault_state *st, CK_RV *rv)
{
  fault_plan plan;
  log_call(fn);
  fault_control_read(fn, &plan, st);
  if (plan.delay_ms > 0) fault_sleep_ms(plan.delay_ms);
  switch (plan.action) {
  case FAULT_CRASH:
    abort();
  case FAULT_HANG:
    for (;;) sleep(3600);
  case FAULT_FAIL:
    *rv = plan.rv;
    return 1;
  case FAULT_NONE:
    break;
  }
  return 0;
}

int gate_global(const char *fn, fault_state *st, CK_RV *rv)
{
  if (apply_rules(fn, st, rv)) return 1;
  if (!fault_real) {
    *rv = CKR_CRYPTOKI_NOT_INITIALIZED;
    return 1;
  }
  return 0;
}

int gate_slot(const char *fn, CK_SLOT_ID slot, fault_state *st, CK_RV *rv)
{
  if (gate_global(fn, st, rv)) return 1;
  if (!tokens_slot_present(st, slot)) {
    *rv = CKR_TOKEN_NOT_PRESENT;
    return 1;
  }
  return 0;
}

int gate_session(const char *fn, CK_SESSION_HANDLE h, fault_state *st, CK_RV *rv)
{
  if (gate_global(fn, st, rv)) return 1;
  *rv = tokens_session_gate(st, h);
  return *rv != CKR_OK;
}


static pthread_once_t load_once = PTHREAD_ONCE_INIT;

static void load_real(void)
{
  const char *path = getenv("KYSO_FAULT_REAL_MODULE");
  if (!path || !*path) path = DEFAULT_REAL_MODULE;
  /* Never dlclose'd: vendor modules can deadlock while unloading, and C_Initialize may come again. */
  void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    fprintf(stderr, "kyso-fault: cannot load the real module %s: %s\n", path, dlerror());
    return;
  }
  CK_C_GetFunctionList get = (CK_C_GetFunctionList)dlsym(lib, "C_GetFunctionList");
  CK_FUNCTION_LIST_PTR list = NULL;
  if (!get || get(&list) != CKR_OK || !list) {
    fprintf(stderr, "kyso-fault: %s has no usable C_GetFunctionList\n", path);
    return;
  }
  fault_real = list;
}

static CK_RV fw_C_Initialize(CK_VOID_PTR args)
{
  fault_state st;
  CK_RV rv;
  if (apply_rules("C_Initialize", &st, &rv)) return rv;
  pthread_once(&load_once, load_real);
  if (!fault_real) return CKR_GENERAL_ERROR;
  /* SoftHSM corrupts its heap when two threads sign at once unless it may use OS locks: always allow them. */
  CK_C_INITIALIZE_ARGS init;
  memset(&init, 0, sizeof init);
  if (args) init = *(CK_C_INITIALIZE_ARGS_PTR)args;
  init.flags |= CKF_OS_LOCKING_OK;
  rv = fault_real->C_Initialize(&init);
  if (rv == CKR_OK) {
    tokens_reset();
    tokens_baseline();
  }
  return rv;
}

static CK_RV fw_C_Finalize(CK_VOID_PTR reserved)
{
  fault_state st;
  CK_RV rv;
  if (gate_global("C_Finalize", &st, &rv)) return rv;
  rv = fault_real->C_Finalize(reserved);
  tokens_reset();
  return rv;
}

static CK_RV fw_C_GetInfo(CK_INFO_PTR info)
{
  fault_state st;
  CK_RV rv;
  if (gate_global("C_GetInfo", &st, &rv)) return rv;
  return fault_real->C_GetInfo(info);
}

static CK_RV fw_C_GetSlotList(CK_BBOOL present, CK_SLOT_ID_PTR list, CK_ULONG_PTR count)
{
  fault_state st;
  CK_RV rv;
  if (gate_global("C_GetSlotList", &st, &rv)) return rv;
  return tokens_get_slot_list(&st, present, list, count);
}

/* Not gated on presence: the slot (the reader) stays, only the token leaves it. */
static CK_RV fw_C_GetSlotInfo(CK_SLOT_ID slot, CK_SLOT_INFO_PTR info)
{
  fault_state st;
  CK_RV rv;
  if (gate_global("C_GetSlotInfo", &st, &rv)) return rv;
  rv = fault_real->C_GetSlotInfo(slot, info);
  if (rv == CKR_OK && !tokens_slot_present(&st, slot)) info->flags &= ~CKF_TOKEN_PRESENT;
  return rv;
}

static CK_RV fw_C_GetTokenInfo(CK_SLOT_ID slot, CK_TOKEN_INFO_PTR info)
{
  fault_state st;
  CK_RV rv;
  if (gate_slot("C_GetTokenInfo", slot, &st, &rv)) return rv;
  rv = fault_real->C_GetTokenInfo(slot, info);
  if (rv != CKR_OK) return rv;
  info->flags |= st.pin_flags;
  if (st.protected_auth_path) info->flags |= CKF_PROTECTED_AUTHENTICATION_PATH;
  return rv;
}

static CK_RV fw_C_OpenSession(CK_SLOT_ID slot, CK_FLAGS flags, CK_VOID_PTR app, CK_NOTIFY notify,
                              CK_SESSION_HANDLE_PTR session)
{
  fault_state st;
  CK_RV rv;
  if (gate_slot("C_OpenSession", slot, &st, &rv)) return rv;
  rv = fault_real->C_OpenSession(slot, flags, app, notify, session);
  if (rv == CKR_OK) tokens_session_opened(*session, slot);
  return rv;
}

/* Closing is never refused for an absent token: the application must be able to clean up after an unplug. */
static CK_RV fw_C_CloseSession(CK_SESSION_HANDLE h)
{
  fault_state st;
  CK_RV rv;
  if (gate_global("C_CloseSession", &st, &rv)) return rv;
  /* Forget first: once the real module frees the handle, another thread may get it back from C_OpenSession. */
  tokens_session_closed(h);
  return fault_real->C_CloseSession(h);
}

static CK_RV fw_C_CloseAllSessions(CK_SLOT_ID slot)
{
  fault_state st;
  CK_RV rv;
  if (gate_global("C_CloseAllSessions", &st, &rv)) return rv;
  tokens_slot_closed(slot);
  return fault_real->C_CloseAllSessions(slot);
}

static CK_RV fw_C_Login(CK_SESSION_HANDLE h, CK_USER_TYPE user, CK_UTF8CHAR_PTR pin, CK_ULONG len)
{
  fault_state st;
  CK_RV rv;
  if (gate_session("C_Login", h, &st, &rv)) return rv;
  return auth_login(&st, h, user, pin, len);
}

static CK_RV fw_C_Logout(CK_SESSION_HANDLE h)
{
  fault_state st;
  CK_RV rv;
  CK_SLOT_ID slot;
  if (gate_session("C_Logout", h, &st, &rv)) return rv;
  rv = fault_real->C_Logout(h);
  if (rv == CKR_OK && tokens_session_slot(h, &slot)) tokens_remember_user_pin(slot, NULL, 0);
  return rv;
}

static CK_RV fw_C_GetAttributeValue(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE obj, CK_ATTRIBUTE_PTR tmpl, CK_ULONG n)
{
  fault_state st;
  CK_RV rv;
  if (gate_session("C_GetAttributeValue", h, &st, &rv)) return rv;
  return auth_get_attribute_value(&st, h, obj, tmpl, n);
}

static CK_RV fw_C_SignInit(CK_SESSION_HANDLE h, CK_MECHANISM_PTR mech, CK_OBJECT_HANDLE key)
{
  fault_state st;
  CK_RV rv;
  if (gate_session("C_SignInit", h, &st, &rv)) return rv;
  return auth_sign_init(&st, h, mech, key);
}

/*
 * A refused sign call (injected, token removed, context login owed) must end the real operation as a real
 * failure would, or the application's next C_SignInit gets CKR_OPERATION_ACTIVE from the real module.
 * CKR_BUFFER_TOO_SMALL is the one failure that leaves the operation active.
 */
static CK_RV refuse_sign(CK_SESSION_HANDLE h, CK_RV rv, int single_part, CK_BYTE_PTR in, CK_ULONG in_len)
{
  if (rv != CKR_BUFFER_TOO_SMALL && fault_real) auth_end_sign(h, single_part, in, in_len);
  return rv;
}

static CK_RV fw_C_Sign(CK_SESSION_HANDLE h, CK_BYTE_PTR in, CK_ULONG in_len, CK_BYTE_PTR out, CK_ULONG_PTR out_len)
{
  fault_state st;
  CK_RV rv;
  if (gate_session("C_Sign", h, &st, &rv) || (rv = auth_sign_gate(h)) != CKR_OK)
    return refuse_sign(h, rv, 1, in, in_len);
  return fault_real->C_Sign(h, in, in_len, out, out_len);
}

static CK_RV fw_C_SignUpdate(CK_SESSION_HANDLE h, CK_BYTE_PTR part, CK_ULONG len)
{
  fault_state st;
  CK_RV rv;
  if (gate_session("C_SignUpdate", h, &st, &rv) || (rv = auth_sign_gate(h)) != CKR_OK)
    return refuse_sign(h, rv, 0, NULL, 0);
  return fault_real->C_SignUpdate(h, part, len);
}

static CK_RV fw_C_SignFinal(CK_SESSION_HANDLE h, CK_BYTE_PTR out, CK_ULONG_PTR out_len)
{
  fault_state st;
  CK_RV rv;
  if (gate_session("C_SignFinal", h, &st, &rv) || (rv = auth_sign_gate(h)) != CKR_OK)
    return refuse_sign(h, rv, 0, NULL, 0);
  return fault_real->C_SignFinal(h, out, out_len);
}

static CK_RV fw_C_WaitForSlotEvent(CK_FLAGS flags, CK_SLOT_ID_PTR slot, CK_VOID_PTR reserved)
{
  fault_state st;
  CK_RV rv;
  (void)reserved;
  if (gate_global("C_WaitForSlotEvent", &st, &rv)) return rv;
  return tokens_wait_for_slot_event(flags, slot);
}

static CK_RV fw_C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list);

#define CUSTOM(name) .name = fw_##name,
static CK_FUNCTION_LIST fault_list = {
    .version = {CRYPTOKI_VERSION_MAJOR, CRYPTOKI_VERSION_MINOR},
    CUSTOM(C_Initialize) CUSTOM(C_Finalize) CUSTOM(C_GetInfo) CUSTOM(C_GetFunctionList) CUSTOM(C_GetSlotList)
    CUSTOM(C_GetSlotInfo) CUSTOM(C_GetTokenInfo) CUSTOM(C_OpenSession) CUSTOM(C_CloseSession)
    CUSTOM(C_CloseAllSessions) CUSTOM(C_Login) CUSTOM(C_Logout) CUSTOM(C_GetAttributeValue) CUSTOM(C_SignInit)
    CUSTOM(C_Sign) CUSTOM(C_SignUpdate) CUSTOM(C_SignFinal) CUSTOM(C_WaitForSlotEvent)};

static pthread_once_t fill_once = PTHREAD_ONCE_INIT;

static void fill_list(void)
{
  forward_fill(&fault_list);
  /* A NULL entry would crash the caller far from here, so refuse to start with one. */
  void (*entries[FUNCTION_COUNT])(void);
  memcpy(entries, &fault_list.C_Initialize, sizeof entries);
  for (size_t i = 0; i < FUNCTION_COUNT; i++)
    if (!entries[i]) {
      fprintf(stderr, "kyso-fault: %s is missing from the function list\n", function_names[i]);
      abort();
    }
}

static CK_RV fw_C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list)
{
  log_call("C_GetFunctionList");
  if (!list) return CKR_ARGUMENTS_BAD;
  pthread_once(&fill_once, fill_list);
  *list = &fault_list;
  return CKR_OK;
}

/* The only exported symbol (built with -fvisibility=hidden), so nothing here can interpose the real module. */
__attribute__((visibility("default"))) CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list)
{
  return fw_C_GetFunctionList(list);
}
