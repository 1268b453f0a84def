/*
 * Token presence ("token absent/present"), the sessions it affects, the remembered user PIN that a
 * context-specific login is checked against, and C_WaitForSlotEvent.
 *
 * Unplugging is simulated without touching the real module while the token is "out": calls on its sessions
 * get CKR_DEVICE_REMOVED. When a call first sees it back, the real module's sessions for that slot are closed,
 * because a real token forgets its sessions and its login when pulled out; the old handles then get
 * CKR_SESSION_HANDLE_INVALID. (Closing at reinsertion rather than at removal keeps the real module from
 * freeing a session that another thread may still be using.)
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "fault-module.h"

#define MAX_SLOTS 64
#define PIN_MAX 256

typedef struct {
  CK_SLOT_ID id;
  int observed_present; /* as last seen by a call: a change unplugs or replugs the token */
  int reported_present; /* as last reported by C_WaitForSlotEvent */
  int has_user_pin;
  CK_ULONG user_pin_len;
  unsigned char user_pin[PIN_MAX];
} slot_state;

typedef struct {
  CK_SESSION_HANDLE h;
  CK_SLOT_ID slot;
  int unplugged;       /* its token was pulled out after it was opened */
  int pending_context; /* always-authenticate: C_SignInit done, C_Login(CKU_CONTEXT_SPECIFIC) not yet */
} session_state;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static slot_state slots[MAX_SLOTS];
static int n_slots;
static session_state *sessions;
static size_t n_sessions, cap_sessions;
/* Bumped by C_Initialize and C_Finalize so that a blocked C_WaitForSlotEvent returns. */
static unsigned long generation;

static void wipe_pin(slot_state *s)
{
  explicit_bzero(s->user_pin, sizeof s->user_pin);
  s->user_pin_len = 0;
  s->has_user_pin = 0;
}

/* Lock held. A slot seen for the first time starts in its current state, so first sight is never an event. */
static slot_state *slot_get(CK_SLOT_ID id, int present)
{
  for (int i = 0; i < n_slots; i++)
    if (slots[i].id == id) return &slots[i];
  if (n_slots == MAX_SLOTS) return NULL;
  slot_state *s = &slots[n_slots++];
  memset(s, 0, sizeof *s);
  s->id = id;
  s->observed_present = s->reported_present = present;
  return s;
}

/* Lock held. */
static session_state *session_find(CK_SESSION_HANDLE h)
{
  for (size_t i = 0; i < n_sessions; i++)
    if (sessions[i].h == h) return &sessions[i];
  return NULL;
}

void tokens_reset(void)
{
  pthread_mutex_lock(&lock);
  for (int i = 0; i < n_slots; i++) wipe_pin(&slots[i]);
  n_slots = 0;
  n_sessions = 0;
  generation++;
  pthread_mutex_unlock(&lock);
}

/* The real module's slots (tokenPresent FALSE); the caller frees. NULL with *rv set on failure. */
static CK_SLOT_ID *real_slots(CK_ULONG *n, CK_RV *rv)
{
  *rv = fault_real->C_GetSlotList(CK_FALSE, NULL, n);
  if (*rv != CKR_OK) return NULL;
  CK_SLOT_ID *all = calloc(*n ? *n : 1, sizeof *all);
  if (!all) {
    *rv = CKR_HOST_MEMORY;
    return NULL;
  }
  *rv = fault_real->C_GetSlotList(CK_FALSE, all, n);
  if (*rv != CKR_OK) {
    free(all);
    return NULL;
  }
  return all;
}

static int is_index(const char *target)
{
  if (!*target) return 0;
  for (const char *c = target; *c; c++)
    if (*c < '0' || *c > '9') return 0;
  return 1;
}

static int targeted(const fault_state *st, CK_SLOT_ID slot)
{
  char label[33] = "";
  CK_TOKEN_INFO info;
  if (fault_real->C_GetTokenInfo(slot, &info) == CKR_OK) {
    memcpy(label, info.label, 32);
    for (int i = 31; i >= 0 && label[i] == ' '; i--) label[i] = '\0';
  }
  for (int t = 0; t < st->n_absent; t++) {
    if (!is_index(st->absent[t])) {
      if (strcmp(st->absent[t], label) == 0) return 1;
      continue;
    }
    CK_ULONG n, index = strtoul(st->absent[t], NULL, 10);
    CK_RV rv;
    CK_SLOT_ID *all = real_slots(&n, &rv);
    int hit = all && index < n && all[index] == slot;
    free(all);
    if (hit) return 1;
  }
  return 0;
}

int tokens_slot_present(const fault_state *st, CK_SLOT_ID slot)
{
  int present = !st->all_absent && !(st->n_absent > 0 && targeted(st, slot));
  int replugged = 0;
  pthread_mutex_lock(&lock);
  slot_state *s = slot_get(slot, present);
  if (s && s->observed_present && !present) {
    for (size_t i = 0; i < n_sessions; i++)
      if (sessions[i].slot == slot) sessions[i].unplugged = 1;
    wipe_pin(s);
  }
  if (s && !s->observed_present && present) replugged = 1;
  if (s) s->observed_present = present;
  pthread_mutex_unlock(&lock);
  if (replugged) fault_real->C_CloseAllSessions(slot);
  return present;
}

void tokens_baseline(void)
{
  fault_state st;
  CK_ULONG n;
  CK_RV rv;
  fault_control_read(NULL, NULL, &st);
  CK_SLOT_ID *all = real_slots(&n, &rv);
  for (CK_ULONG i = 0; all && i < n; i++) tokens_slot_present(&st, all[i]);
  free(all);
}

CK_RV tokens_session_gate(const fault_state *st, CK_SESSION_HANDLE h)
{
  CK_SLOT_ID slot;
  if (!tokens_session_slot(h, &slot)) return CKR_OK; /* not opened through us: the real module decides */
  if (!tokens_slot_present(st, slot)) return CKR_DEVICE_REMOVED;
  pthread_mutex_lock(&lock);
  session_state *s = session_find(h);
  int unplugged = s && s->unplugged;
  pthread_mutex_unlock(&lock);
  return unplugged ? CKR_SESSION_HANDLE_INVALID : CKR_OK;
}

int tokens_session_slot(CK_SESSION_HANDLE h, CK_SLOT_ID *slot)
{
  pthread_mutex_lock(&lock);
  session_state *s = session_find(h);
  if (s) *slot = s->slot;
  pthread_mutex_unlock(&lock);
  return s != NULL;
}

void tokens_session_opened(CK_SESSION_HANDLE h, CK_SLOT_ID slot)
{
  pthread_mutex_lock(&lock);
  session_state *s = session_find(h);
  if (!s && n_sessions == cap_sessions) {
    size_t cap = cap_sessions ? cap_sessions * 2 : 16;
    session_state *grown = realloc(sessions, cap * sizeof *grown);
    if (grown) {
      sessions = grown;
      cap_sessions = cap;
    }
  }
  if (!s && n_sessions < cap_sessions) s = &sessions[n_sessions++];
  if (s) *s = (session_state){.h = h, .slot = slot};
  pthread_mutex_unlock(&lock);
}

/* Lock held. The token logs out when its last session closes (PKCS#11 v2.40, C_CloseSession), so the
 * remembered PIN goes too. */
static void forget_pin_if_idle(CK_SLOT_ID slot)
{
  for (size_t i = 0; i < n_sessions; i++)
    if (sessions[i].slot == slot) return;
  for (int i = 0; i < n_slots; i++)
    if (slots[i].id == slot) wipe_pin(&slots[i]);
}

void tokens_session_closed(CK_SESSION_HANDLE h)
{
  pthread_mutex_lock(&lock);
  session_state *s = session_find(h);
  if (s) {
    CK_SLOT_ID slot = s->slot;
    *s = sessions[--n_sessions];
    forget_pin_if_idle(slot);
  }
  pthread_mutex_unlock(&lock);
}

void tokens_slot_closed(CK_SLOT_ID slot)
{
  pthread_mutex_lock(&lock);
  for (size_t i = 0; i < n_sessions;)
    if (sessions[i].slot == slot) sessions[i] = sessions[--n_sessions];
    else i++;
  forget_pin_if_idle(slot);
  pthread_mutex_unlock(&lock);
}

int tokens_pending_context(CK_SESSION_HANDLE h)
{
  pthread_mutex_lock(&lock);
  session_state *s = session_find(h);
  int pending = s && s->pending_context;
  pthread_mutex_unlock(&lock);
  return pending;
}

void tokens_set_pending_context(CK_SESSION_HANDLE h, int pending)
{
  pthread_mutex_lock(&lock);
  session_state *s = session_find(h);
  if (s) s->pending_context = pending;
  pthread_mutex_unlock(&lock);
}

int tokens_check_user_pin(CK_SLOT_ID slot, const unsigned char *pin, CK_ULONG len)
{
  int result = -1;
  pthread_mutex_lock(&lock);
  slot_state *s = slot_get(slot, 1);
  if (s && s->has_user_pin)
    result = pin && len == s->user_pin_len && memcmp(pin, s->user_pin, len) == 0;
  pthread_mutex_unlock(&lock);
  return result;
}

void tokens_remember_user_pin(CK_SLOT_ID slot, const unsigned char *pin, CK_ULONG len)
{
  pthread_mutex_lock(&lock);
  slot_state *s = slot_get(slot, 1);
  if (s) {
    wipe_pin(s);
    if (pin && len <= PIN_MAX) {
      memcpy(s->user_pin, pin, len);
      s->user_pin_len = len;
      s->has_user_pin = 1;
    }
  }
  pthread_mutex_unlock(&lock);
}

CK_RV tokens_get_slot_list(const fault_state *st, CK_BBOOL present, CK_SLOT_ID_PTR list, CK_ULONG_PTR count)
{
  CK_ULONG n = 0, kept = 0;
  CK_RV rv;
  if (!count) return CKR_ARGUMENTS_BAD;
  rv = fault_real->C_GetSlotList(present, NULL, &n);
  if (rv != CKR_OK) return rv;
  CK_SLOT_ID *all = calloc(n ? n : 1, sizeof *all);
  if (!all) return CKR_HOST_MEMORY;
  rv = fault_real->C_GetSlotList(present, all, &n);
  /* Every slot is looked at, even with tokenPresent FALSE, so an unplug is noticed as early as possible. */
  for (CK_ULONG i = 0; rv == CKR_OK && i < n; i++)
    if (tokens_slot_present(st, all[i]) || !present) all[kept++] = all[i];
  if (rv == CKR_OK && list && *count < kept) rv = CKR_BUFFER_TOO_SMALL;
  else if (rv == CKR_OK && list) memcpy(list, all, kept * sizeof *all);
  if (rv == CKR_OK || rv == CKR_BUFFER_TOO_SMALL) *count = kept;
  free(all);
  return rv;
}

static int poll_event(const fault_state *st, CK_SLOT_ID_PTR slot, CK_RV *rv)
{
  CK_ULONG n;
  CK_SLOT_ID *all = real_slots(&n, rv);
  int found = 0;
  for (CK_ULONG i = 0; all && !found && i < n; i++) {
    int present = tokens_slot_present(st, all[i]);
    pthread_mutex_lock(&lock);
    slot_state *s = slot_get(all[i], present);
    if (s && s->reported_present != present) {
      s->reported_present = present;
      *slot = all[i];
      found = 1;
    }
    pthread_mutex_unlock(&lock);
  }
  free(all);
  return found;
}

CK_RV tokens_wait_for_slot_event(CK_FLAGS flags, CK_SLOT_ID_PTR slot)
{
  if (!slot) return CKR_ARGUMENTS_BAD;
  pthread_mutex_lock(&lock);
  unsigned long started = generation;
  pthread_mutex_unlock(&lock);
  for (;;) {
    fault_state st;
    CK_RV rv = CKR_OK;
    fault_control_read(NULL, NULL, &st);
    /* Like SoftHSM unless asked for, so the default matches the real token under the wrapper. */
    if (!st.slot_events) return CKR_FUNCTION_NOT_SUPPORTED;
    if (poll_event(&st, slot, &rv)) return CKR_OK;
    if (rv != CKR_OK) return rv;
    if (flags & CKF_DONT_BLOCK) return CKR_NO_EVENT;
    fault_sleep_ms(50);
    pthread_mutex_lock(&lock);
    int finalized = generation != started;
    pthread_mutex_unlock(&lock);
    if (finalized) return CKR_CRYPTOKI_NOT_INITIALIZED;
  }
}
