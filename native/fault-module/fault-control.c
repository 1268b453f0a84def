/*
 * The control file (env KYSO_FAULT_CONTROL), read on every call because tests rewrite it while the process runs.
 * The grammar is in README.md. A `once` rule is consumed in memory; rewriting the file (new content, size,
 * mtime or inode) re-arms every rule, so the file on disk is never changed by the module.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fault-module.h"

#define CONTROL_MAX 16384
#define MAX_RULES 64
#define FN_NAME_MAX 40

typedef struct {
  enum fault_action action; /* FAULT_NONE here means "delay" */
  char fn[FN_NAME_MAX];     /* "*" matches every function */
  CK_RV rv;
  long delay_ms;
  int once;
  int consumed;
} call_rule;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static call_rule rules[MAX_RULES];
static int n_rules;
static fault_state settings;
static char last_text[CONTROL_MAX];
static ssize_t last_len = -1;
static struct stat last_stat;

#define N(x) {#x, x}
static const struct {
  const char *name;
  CK_RV rv;
} ckr_names[] = {
    N(CKR_OK), N(CKR_CANCEL), N(CKR_HOST_MEMORY), N(CKR_SLOT_ID_INVALID), N(CKR_GENERAL_ERROR),
    N(CKR_FUNCTION_FAILED), N(CKR_ARGUMENTS_BAD), N(CKR_NO_EVENT), N(CKR_NEED_TO_CREATE_THREADS), N(CKR_CANT_LOCK),
    N(CKR_ATTRIBUTE_READ_ONLY), N(CKR_ATTRIBUTE_SENSITIVE), N(CKR_ATTRIBUTE_TYPE_INVALID),
    N(CKR_ATTRIBUTE_VALUE_INVALID), N(CKR_ACTION_PROHIBITED), N(CKR_DATA_INVALID), N(CKR_DATA_LEN_RANGE),
    N(CKR_DEVICE_ERROR), N(CKR_DEVICE_MEMORY), N(CKR_DEVICE_REMOVED), N(CKR_ENCRYPTED_DATA_INVALID),
    N(CKR_ENCRYPTED_DATA_LEN_RANGE), N(CKR_FUNCTION_CANCELED), N(CKR_FUNCTION_NOT_PARALLEL),
    N(CKR_FUNCTION_NOT_SUPPORTED), N(CKR_KEY_HANDLE_INVALID), N(CKR_KEY_SIZE_RANGE), N(CKR_KEY_TYPE_INCONSISTENT),
    N(CKR_KEY_NOT_NEEDED), N(CKR_KEY_CHANGED), N(CKR_KEY_NEEDED), N(CKR_KEY_INDIGESTIBLE),
    N(CKR_KEY_FUNCTION_NOT_PERMITTED), N(CKR_KEY_NOT_WRAPPABLE), N(CKR_KEY_UNEXTRACTABLE), N(CKR_MECHANISM_INVALID),
    N(CKR_MECHANISM_PARAM_INVALID), N(CKR_OBJECT_HANDLE_INVALID), N(CKR_OPERATION_ACTIVE),
    N(CKR_OPERATION_NOT_INITIALIZED), N(CKR_PIN_INCORRECT), N(CKR_PIN_INVALID), N(CKR_PIN_LEN_RANGE),
    N(CKR_PIN_EXPIRED), N(CKR_PIN_LOCKED), N(CKR_SESSION_CLOSED), N(CKR_SESSION_COUNT),
    N(CKR_SESSION_HANDLE_INVALID), N(CKR_SESSION_PARALLEL_NOT_SUPPORTED), N(CKR_SESSION_READ_ONLY),
    N(CKR_SESSION_EXISTS), N(CKR_SESSION_READ_ONLY_EXISTS), N(CKR_SESSION_READ_WRITE_SO_EXISTS),
    N(CKR_SIGNATURE_INVALID), N(CKR_SIGNATURE_LEN_RANGE), N(CKR_TEMPLATE_INCOMPLETE), N(CKR_TEMPLATE_INCONSISTENT),
    N(CKR_TOKEN_NOT_PRESENT), N(CKR_TOKEN_NOT_RECOGNIZED), N(CKR_TOKEN_WRITE_PROTECTED),
    N(CKR_UNWRAPPING_KEY_SIZE_RANGE), N(CKR_UNWRAPPING_KEY_TYPE_INCONSISTENT), N(CKR_USER_ALREADY_LOGGED_IN),
    N(CKR_USER_NOT_LOGGED_IN), N(CKR_USER_PIN_NOT_INITIALIZED), N(CKR_USER_TYPE_INVALID),
    N(CKR_USER_ANOTHER_ALREADY_LOGGED_IN), N(CKR_USER_TOO_MANY_TYPES), N(CKR_WRAPPED_KEY_INVALID),
    N(CKR_WRAPPED_KEY_LEN_RANGE), N(CKR_WRAPPING_KEY_HANDLE_INVALID), N(CKR_WRAPPING_KEY_SIZE_RANGE),
    N(CKR_WRAPPING_KEY_TYPE_INCONSISTENT), N(CKR_RANDOM_SEED_NOT_SUPPORTED), N(CKR_RANDOM_NO_RNG),
    N(CKR_DOMAIN_PARAMS_INVALID), N(CKR_CURVE_NOT_SUPPORTED), N(CKR_BUFFER_TOO_SMALL), N(CKR_SAVED_STATE_INVALID),
    N(CKR_INFORMATION_SENSITIVE), N(CKR_STATE_UNSAVEABLE), N(CKR_CRYPTOKI_NOT_INITIALIZED),
    N(CKR_CRYPTOKI_ALREADY_INITIALIZED), N(CKR_MUTEX_BAD), N(CKR_MUTEX_NOT_LOCKED), N(CKR_NEW_PIN_MODE),
    N(CKR_NEXT_OTP), N(CKR_EXCEEDED_MAX_ITERATIONS), N(CKR_FIPS_SELF_TEST_FAILED), N(CKR_LIBRARY_LOAD_FAILED),
    N(CKR_PIN_TOO_WEAK), N(CKR_PUBLIC_KEY_INVALID), N(CKR_FUNCTION_REJECTED), N(CKR_VENDOR_DEFINED),
};

/* A typo must not silently turn a fault test into a passthrough test, so every refused line is reported. */
static int refuse(int line_no, const char *why)
{
  fprintf(stderr, "kyso-fault: control line %d ignored: %s\n", line_no, why);
  return 0;
}

static int parse_ckr(const char *word, CK_RV *rv)
{
  char *end;
  if (word[0] >= '0' && word[0] <= '9') {
    unsigned long value = strtoul(word, &end, 0);
    if (*end) return 0;
    *rv = value;
    return 1;
  }
  for (size_t i = 0; i < sizeof ckr_names / sizeof ckr_names[0]; i++)
    if (strcmp(ckr_names[i].name, word) == 0) {
      *rv = ckr_names[i].rv;
      return 1;
    }
  return 0;
}

static int set_token(fault_state *st, int absent, const char *target, int line_no)
{
  if (!*target) {
    st->all_absent = absent;
    if (!absent) st->n_absent = 0;
    return 1;
  }
  int i;
  for (i = 0; i < st->n_absent && strcmp(st->absent[i], target) != 0; i++) {
  }
  if (!absent) {
    if (i < st->n_absent) memmove(st->absent[i], st->absent[i + 1], (size_t)(st->n_absent - i - 1) * FAULT_TARGET_MAX);
    if (i < st->n_absent) st->n_absent--;
  } else if (i == st->n_absent) {
    if (st->n_absent == FAULT_MAX_TARGETS || strlen(target) >= FAULT_TARGET_MAX) return refuse(line_no, "token target");
    strcpy(st->absent[st->n_absent++], target);
  }
  return 1;
}

static void parse_pin_flags(fault_state *st, char *rest, int line_no)
{
  char *save = NULL;
  for (char *w = strtok_r(rest, " \t|,", &save); w; w = strtok_r(NULL, " \t|,", &save)) {
    if (strcmp(w, "count-low") == 0) st->pin_flags |= CKF_USER_PIN_COUNT_LOW;
    else if (strcmp(w, "final-try") == 0) st->pin_flags |= CKF_USER_PIN_FINAL_TRY;
    else if (strcmp(w, "locked") == 0) st->pin_flags |= CKF_USER_PIN_LOCKED;
    else refuse(line_no, "unknown pin flag");
  }
}

static char *trim(char *s)
{
  while (*s == ' ' || *s == '\t') s++;
  char *end = s + strlen(s);
  while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r')) *--end = '\0';
  return s;
}

/* `fail|delay|hang|crash <function|*> [<ckr>|<ms>] [once]` */
static int parse_call_rule(enum fault_action action, int is_delay, char *rest, int line_no)
{
  char *save = NULL;
  char *fn = strtok_r(rest, " \t", &save);
  char *arg = (action == FAULT_FAIL || is_delay) ? strtok_r(NULL, " \t", &save) : NULL;
  char *flag = strtok_r(NULL, " \t", &save);
  call_rule r = {.action = action};
  if (!fn || (strcmp(fn, "*") != 0 && !fault_is_function_name(fn))) return refuse(line_no, "unknown function");
  if ((action == FAULT_FAIL || is_delay) && !arg) return refuse(line_no, "missing value");
  if (action == FAULT_FAIL && !parse_ckr(arg, &r.rv)) return refuse(line_no, "unknown CKR value");
  if (is_delay) {
    char *end;
    r.delay_ms = strtol(arg, &end, 10);
    if (*end || r.delay_ms < 0) return refuse(line_no, "bad delay");
  }
  if (flag && strcmp(flag, "once") != 0) return refuse(line_no, "unknown flag");
  if (flag && strtok_r(NULL, " \t", &save)) return refuse(line_no, "extra words");
  if (n_rules == MAX_RULES) return refuse(line_no, "too many rules");
  r.once = flag != NULL;
  snprintf(r.fn, sizeof r.fn, "%s", fn);
  rules[n_rules++] = r;
  return 1;
}

static void parse_line(char *line, int line_no)
{
  char *hash = strchr(line, '#');
  if (hash) *hash = '\0';
  line = trim(line);
  if (!*line) return;
  size_t kw_len = strcspn(line, " \t");
  char *rest = trim(line + kw_len);
  line[kw_len] = '\0';

  if (strcmp(line, "fail") == 0) parse_call_rule(FAULT_FAIL, 0, rest, line_no);
  else if (strcmp(line, "delay") == 0) parse_call_rule(FAULT_NONE, 1, rest, line_no);
  else if (strcmp(line, "hang") == 0) parse_call_rule(FAULT_HANG, 0, rest, line_no);
  else if (strcmp(line, "crash") == 0) parse_call_rule(FAULT_CRASH, 0, rest, line_no);
  else if (strcmp(line, "pin-flags") == 0) parse_pin_flags(&settings, rest, line_no);
  else if (strcmp(line, "token") == 0) {
    size_t state_len = strcspn(rest, " \t");
    char *target = trim(rest + state_len);
    rest[state_len] = '\0';
    if (strcmp(rest, "absent") == 0) set_token(&settings, 1, target, line_no);
    else if (strcmp(rest, "present") == 0) set_token(&settings, 0, target, line_no);
    else refuse(line_no, "token absent|present");
  } else if (*rest) refuse(line_no, "unexpected words");
  else if (strcmp(line, "protected-auth-path") == 0) settings.protected_auth_path = 1;
  else if (strcmp(line, "always-authenticate") == 0) settings.always_authenticate = 1;
  else if (strcmp(line, "slot-events") == 0) settings.slot_events = 1;
  else refuse(line_no, "unknown keyword");
}

static void parse(char *text)
{
  n_rules = 0;
  memset(&settings, 0, sizeof settings);
  int line_no = 1;
  for (char *line = text; line; line_no++) {
    char *next = strchr(line, '\n');
    if (next) *next++ = '\0';
    parse_line(line, line_no);
    line = next;
  }
}

/* Call with the lock held. A missing file or unset env means no faults. */
static void reload(void)
{
  static char text[CONTROL_MAX];
  struct stat st;
  ssize_t len = 0;
  memset(&st, 0, sizeof st);
  const char *path = getenv("KYSO_FAULT_CONTROL");
  int fd = path && *path ? open(path, O_RDONLY | O_CLOEXEC) : -1;
  if (fd >= 0) {
    if (fstat(fd, &st) == 0) len = read(fd, text, CONTROL_MAX - 1);
    close(fd);
    if (len < 0) len = 0;
  }
  if (len == last_len && memcmp(text, last_text, (size_t)len) == 0 && st.st_ino == last_stat.st_ino &&
      st.st_mtim.tv_sec == last_stat.st_mtim.tv_sec && st.st_mtim.tv_nsec == last_stat.st_mtim.tv_nsec)
    return;
  memcpy(last_text, text, (size_t)len);
  last_len = len;
  last_stat = st;
  text[len] = '\0';
  parse(text);
}

void fault_control_read(const char *fn, fault_plan *plan, fault_state *state)
{
  pthread_mutex_lock(&lock);
  reload();
  *state = settings;
  if (plan) {
    plan->action = FAULT_NONE;
    plan->rv = CKR_OK;
    plan->delay_ms = 0;
  }
  /* In file order: delays add up until the first fail/hang/crash, which ends the call. */
  for (int i = 0; fn && plan && i < n_rules && plan->action == FAULT_NONE; i++) {
    call_rule *r = &rules[i];
    if (r->consumed || (strcmp(r->fn, "*") != 0 && strcmp(r->fn, fn) != 0)) continue;
    if (r->once) r->consumed = 1;
    plan->delay_ms += r->delay_ms;
    plan->action = r->action;
    plan->rv = r->rv;
  }
  pthread_mutex_unlock(&lock);
}
