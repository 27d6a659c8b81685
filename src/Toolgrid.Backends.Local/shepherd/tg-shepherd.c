/*
 * tg-shepherd: the per-run shepherd of Toolgrid's local backend.
 *
 * One shepherd per run, in the pattern of sge_shepherd, slurmstepd and containerd-shim: it is
 * the parent of the run's command, puts it in its own cgroup(s) with the run's limits, starts it
 * as the tool's Unix user, enforces its timeout, stops it on request, and keeps its exit on disk.
 * It outlives toolgridd: a restart (or a SIGKILL) of toolgridd never touches a run.
 *
 * Usage: tg-shepherd RUNFILE        (absolute: <RunDirectory>/<runId>)
 *
 * The process toolgridd starts is the *launcher*: it takes the run's lock, forks the real
 * shepherd (in a new session, soon reparented to init), waits until the shepherd says the
 * command runs (or could not be started), and exits:
 *   0  the command was started
 *   1  the start failed (the run file's exit record says why; so does standard error)
 *   2  usage error, or the run file cannot be used
 *   3  another shepherd holds the run's lock
 *   4  the run was started before (the run file has a started or an exit record): not started again
 *   5  the shepherd ended before it reported
 *   6  the run is set up and held until its not_before (the spec's "not_before_ns"): its job
 *      process waits for the go, which the shepherd gives at that instant (see hold_until_due)
 *
 * The run file, and the order in which it is written, are described in README.md. In short: a
 * list of NUL-terminated key/value pairs, grouped in records that open with (kind, version)
 * and close with ("end", kind); a record without its closing pair is not written (yet). The
 * backend writes the spec record (whole, before the file gets its name); the shepherd appends
 * "started" and, at the end, "exit". The one guarantee that matters, "a run is started at most
 * once", rests on two facts: every start happens under an exclusive flock on the run file, and
 * the command is only exec'd after the started record is on disk, with the file's name (a
 * launcher that finds a complete started or exit record never starts the run again).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/sched.h>

#include "isolation.h"

#define RUN_MAGIC "tg-shepherd-run"
#define RUN_VERSION "2"
#define RECORD_VERSION "1"
#define RUN_MAX_BYTES (4 * 1024 * 1024)
#define MAX_GROUPS 65536
/* Overridable only to exercise the v2 code on a v1 host (see README.md, "Testing the v2 path"). */
#ifndef CGROUP_ROOT
#define CGROUP_ROOT "/sys/fs/cgroup"
#endif
#define MAX_CGROUP_DIRS 3
#define MSG_MAX 1024

enum launcher_exit {
    LX_STARTED = 0,
    LX_START_FAILED = 1,
    LX_USAGE = 2,
    LX_BUSY = 3,
    LX_ALREADY = 4,
    LX_LOST = 5,
    LX_WAITING = 6,
};

enum cgroup_mode { CG_NONE = 0, CG_V1 = 1, CG_V2 = 2 };

struct spec {
    const char *run_id;
    const char *command;
    uid_t uid;
    gid_t gid;
    const char *user;
    const char *home;
    const char *cwd;
    mode_t umask;
    const char *shell;
    gid_t *groups;
    size_t group_count;
    const char **env;
    size_t env_count;
    long long memory_bytes;
    long long cpu_millis;
    long long max_processes;
    const char *stdout_path;
    const char *stderr_path;
    long long timeout_ms;
    long long grace_ms;
    int cgroups_enabled;
    const char *cgroup_parent;
    const char *notify_socket;
    /* When the command may go (Unix epoch ns, CLOCK_REALTIME); 0 for at once. */
    long long not_before_ns;
    /* Whether the run gets its own view of /proc and /tmp (the spec's "isolation": auto or off). */
    int isolation_wanted;
};

struct cgroups {
    enum cgroup_mode mode;
    int count;
    char dir[MAX_CGROUP_DIRS][PATH_MAX];
    /* Indexes into dir, or -1. In v2 everything is dir[0]. */
    int memory, pids, cpu;
    /* v2: the run's cgroup, for clone3(CLONE_INTO_CGROUP). */
    int dir_fd;
    char warning[512];
};

struct outcome {
    int status_known;
    int status;
    int oom;
    int timed_out;
    int stopped;
    int start_failed;
    long long finished_at_ns;
    char message[MSG_MAX];
};

/* The run file: its path, its name in the run directory, and descriptors of both. The file is
 * opened O_APPEND: records are only ever added at its end. */
static const char *run_path;
static const char *run_name;
static int run_fd = -1;
static int dir_fd = -1;
static off_t run_complete_len;
static int log_fd = -1;
static struct spec spec;
static struct cgroups cg = {.memory = -1, .pids = -1, .cpu = -1, .dir_fd = -1};
/* The run's own /proc and /tmp (isolation.h). */
static struct isolation iso;
/* Interactive runs: see their section, before the shepherd. */
static int interactive_key(const char *key, const char *value);
static int interactive_requested(void);
static void interactive_child_stdio(int report_fd);

/* ------------------------------------------------------------------ small helpers */

static long long now_ns(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long monotonic_ms(void)
{
    return now_ns(CLOCK_MONOTONIC) / 1000000LL;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
    }
}

static int write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Reads an open file from its current offset to the end (at most max bytes) into a
 * NUL-terminated buffer the caller frees. */
static char *read_fd(int fd, size_t max, size_t *length)
{
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap + 1);
    if (buf == NULL) {
        errno = ENOMEM;
        return NULL;
    }
    for (;;) {
        if (len == cap) {
            if (cap >= max) {
                free(buf);
                errno = EFBIG;
                return NULL;
            }
            cap *= 2;
            char *bigger = realloc(buf, cap + 1);
            if (bigger == NULL) {
                free(buf);
                errno = ENOMEM;
                return NULL;
            }
            buf = bigger;
        }
        ssize_t n = read(fd, buf + len, cap - len);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            int saved = errno;
            free(buf);
            errno = saved;
            return NULL;
        }
        if (n == 0) {
            break;
        }
        len += (size_t)n;
    }
    buf[len] = '\0';
    if (length != NULL) {
        *length = len;
    }
    return buf;
}

/* Reads a whole file (at most max bytes) into a NUL-terminated buffer the caller frees. */
static char *read_file_at(int dirfd, const char *path, size_t max, size_t *length)
{
    int fd;
    do {
        fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        return NULL;
    }
    char *buf = read_fd(fd, max, length);
    int saved = errno;
    close(fd);
    errno = saved;
    return buf;
}

/* Writes a small value to a cgroup (or /proc) file. Returns 0, or -1 with errno. */
static int write_text(const char *path, const char *text)
{
    int fd;
    do {
        fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        return -1;
    }
    int rc = write_all(fd, text, strlen(text));
    int saved = errno;
    close(fd);
    errno = saved;
    return rc;
}

static int file_exists(const char *path)
{
    return access(path, F_OK) == 0;
}

/* A file beside the run file, named "<runId>.<suffix>" (the stop request, the diagnostics). */
static void sibling_name(char *buf, size_t cap, const char *suffix)
{
    snprintf(buf, cap, "%s.%s", run_name, suffix);
}

static int sibling_exists(const char *suffix)
{
    char name[64];
    sibling_name(name, sizeof name, suffix);
    struct stat st;
    return fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

/* Diagnostics go to RUNFILE.log, opened on first use (a healthy run writes nothing). */
__attribute__((format(printf, 1, 2))) static void note(const char *fmt, ...)
{
    if (log_fd < 0 && dir_fd >= 0 && run_name != NULL) {
        char name[64];
        sibling_name(name, sizeof name, "log");
        log_fd = openat(dir_fd, name, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    }
    if (log_fd < 0) {
        return;
    }
    char line[MSG_MAX + 64];
    long long ms = now_ns(CLOCK_REALTIME) / 1000000LL;
    int n = snprintf(line, sizeof line, "%lld.%03lld [%d] ", ms / 1000, ms % 1000, (int)getpid());
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    va_end(ap);
    size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
    if (len > sizeof line - 2) {
        len = sizeof line - 2;
    }
    line[len++] = '\n';
    (void)write_all(log_fd, line, len);
}

/* ------------------------------------------------------------------ the run file */

/*
 * A record being built: NUL-terminated key/value pairs, opened with (kind, version) and closed
 * with ("end", kind). No value can hold a NUL (they are C strings), so nothing is escaped.
 */
struct record {
    char buf[(MAX_CGROUP_DIRS + ISOLATION_MAX_TMP) * PATH_MAX + 2 * MSG_MAX + 1024];
    size_t len;
    int overflow;
    const char *kind;
};

static void record_add(struct record *r, const char *key, const char *value)
{
    size_t k = strlen(key) + 1, v = strlen(value) + 1;
    /* Room is kept for the closing pair, so that a record is never cut short. */
    if (r->overflow || r->len + k + v + 64 > sizeof r->buf) {
        r->overflow = 1;
        return;
    }
    memcpy(r->buf + r->len, key, k);
    memcpy(r->buf + r->len + k, value, v);
    r->len += k + v;
}

__attribute__((format(printf, 3, 4))) static void record_addf(struct record *r, const char *key, const char *fmt, ...)
{
    char value[64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(value, sizeof value, fmt, ap);
    va_end(ap);
    record_add(r, key, value);
}

static void record_open(struct record *r, const char *kind)
{
    r->len = 0;
    r->overflow = 0;
    r->kind = kind;
    record_add(r, kind, RECORD_VERSION);
}

/*
 * Closes the record and appends it to the run file in one write (the file is O_APPEND and the
 * shepherd holds its lock: nobody else writes it meanwhile). Durable: fdatasync'd. A write cut
 * short (a crash, a SIGKILL) leaves a record without its closing pair, which readers ignore.
 */
static int record_append(struct record *r, int durable)
{
    size_t k = strlen("end") + 1, v = strlen(r->kind) + 1;
    memcpy(r->buf + r->len, "end", k);
    memcpy(r->buf + r->len + k, r->kind, v);
    r->len += k + v;
    if (write_all(run_fd, r->buf, r->len) < 0) {
        /* Cut what was written of it, so that a later record does not follow a torn one. */
        int saved = errno;
        if (ftruncate(run_fd, run_complete_len) < 0) {
            note("cannot cut a torn record off %s: %s", run_path, strerror(errno));
        }
        errno = saved;
        return -1;
    }
    run_complete_len += (off_t)r->len;
    return durable ? fdatasync(run_fd) : 0;
}

/* The token (NUL-terminated) at *pos, or NULL when the data ends before its NUL. */
static const char *next_token(const char *data, size_t len, size_t *pos)
{
    if (*pos >= len) {
        return NULL;
    }
    const char *start = data + *pos;
    const char *nul = memchr(start, '\0', len - *pos);
    if (nul == NULL) {
        return NULL;
    }
    *pos = (size_t)(nul - data) + 1;
    return start;
}

/* What the run file holds: its complete records, and where the complete part ends. */
struct run_contents {
    char *data;
    size_t len;
    size_t complete_len;
    int has_spec, has_started, has_exit;
    /* The spec record's pairs: data[spec_begin, spec_end). */
    size_t spec_begin, spec_end;
};

/* Parses the run file; -1 when it is not a run file of this version. */
static int parse_run_file(struct run_contents *rc)
{
    size_t pos = 0;
    const char *magic = next_token(rc->data, rc->len, &pos);
    const char *version = magic == NULL ? NULL : next_token(rc->data, rc->len, &pos);
    if (version == NULL || strcmp(magic, RUN_MAGIC) != 0 || strcmp(version, RUN_VERSION) != 0) {
        return -1;
    }
    rc->complete_len = pos;
    for (;;) {
        const char *kind = next_token(rc->data, rc->len, &pos);
        if (kind == NULL || next_token(rc->data, rc->len, &pos) == NULL) {
            return 0;
        }
        size_t begin = pos, end = 0;
        int closed = 0;
        while (!closed) {
            size_t at = pos;
            const char *key = next_token(rc->data, rc->len, &pos);
            const char *value = key == NULL ? NULL : next_token(rc->data, rc->len, &pos);
            if (value == NULL) {
                return 0;
            }
            if (strcmp(key, "end") == 0 && strcmp(value, kind) == 0) {
                closed = 1;
                end = at;
            }
        }
        rc->complete_len = pos;
        if (strcmp(kind, "spec") == 0 && !rc->has_spec) {
            rc->has_spec = 1;
            rc->spec_begin = begin;
            rc->spec_end = end;
        } else if (strcmp(kind, "started") == 0) {
            rc->has_started = 1;
        } else if (strcmp(kind, "exit") == 0) {
            rc->has_exit = 1;
        }
    }
}

static void notify(const char *word)
{
    if (spec.notify_socket == NULL || spec.notify_socket[0] == '\0') {
        return;
    }
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    if (strlen(spec.notify_socket) >= sizeof addr.sun_path) {
        return;
    }
    strcpy(addr.sun_path, spec.notify_socket);
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return;
    }
    char datagram[128];
    int n = snprintf(datagram, sizeof datagram, "%s %s", word, spec.run_id);
    /* Best effort: toolgridd may be down or restarting; it rescans the run directories. */
    (void)sendto(fd, datagram, (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL, (struct sockaddr *)&addr, sizeof addr);
    close(fd);
}

/* ------------------------------------------------------------------ the spec */

static int parse_number(const char *text, long long min, long long *out)
{
    if (text == NULL || *text == '\0') {
        return -1;
    }
    char *end;
    errno = 0;
    long long value = strtoll(text, &end, 10);
    if (errno != 0 || *end != '\0' || value < min) {
        return -1;
    }
    *out = value;
    return 0;
}

/* An octal file-mode creation mask, 0 to 0777 (the spec's "umask"). */
static int parse_umask(const char *text, mode_t *out)
{
    if (text[0] == '\0' || strlen(text) > 4 || strspn(text, "01234567") != strlen(text)) {
        return -1;
    }
    long value = strtol(text, NULL, 8);
    if (value > 0777) {
        return -1;
    }
    *out = (mode_t)value;
    return 0;
}

static int valid_run_id(const char *id)
{
    if (id == NULL || *id == '\0' || strlen(id) > 20) {
        return 0;
    }
    for (const char *p = id; *p; p++) {
        if (*p < '0' || *p > '9') {
            return 0;
        }
    }
    return 1;
}

static int valid_cgroup_parent(const char *parent)
{
    if (parent == NULL || *parent == '\0' || *parent == '/' || strlen(parent) > 200) {
        return 0;
    }
    for (const char *p = parent; *p; p++) {
        int ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
                 *p == '_' || *p == '.' || *p == '/';
        if (!ok) {
            return 0;
        }
    }
    return strstr(parent, "..") == NULL && strstr(parent, "//") == NULL && parent[strlen(parent) - 1] != '/';
}

/*
 * The spec record's pairs (see the run file above). NUL cannot occur in a command, a path, a
 * user name or an environment variable, so the format is unambiguous and needs no escaping.
 * Unknown keys are ignored; "env" repeats, one NAME=VALUE each, and so does "group" (the
 * user's supplementary groups, looked up by the backend: the shepherd reads no user database).
 */
static int load_spec(const struct run_contents *rc, char *msg, size_t cap)
{
    const char *data = rc->data;
    size_t begin = rc->spec_begin, len = rc->spec_end;
    size_t pairs = 0;
    for (size_t i = begin; i < len; i++) {
        pairs += data[i] == '\0';
    }
    pairs /= 2;
    spec.env = calloc(pairs + 1, sizeof *spec.env);
    spec.groups = calloc(pairs + 1, sizeof *spec.groups);
    if (spec.env == NULL || spec.groups == NULL) {
        snprintf(msg, cap, "out of memory");
        return -1;
    }

    const char *uid = NULL, *gid = NULL, *memory = NULL, *cpu = NULL, *procs = NULL, *timeout = NULL, *grace = NULL,
               *cgroups = NULL, *bad_group = NULL, *umask_text = NULL, *not_before = NULL, *isolation = NULL;
    for (size_t pos = begin; pos < len;) {
        const char *key = next_token(data, len, &pos);
        const char *value = key == NULL ? NULL : next_token(data, len, &pos);
        if (value == NULL) {
            snprintf(msg, cap, "the run's spec is malformed");
            return -1;
        }

        if (strcmp(key, "run_id") == 0) {
            spec.run_id = value;
        } else if (strcmp(key, "command") == 0) {
            spec.command = value;
        } else if (strcmp(key, "uid") == 0) {
            uid = value;
        } else if (strcmp(key, "gid") == 0) {
            gid = value;
        } else if (strcmp(key, "user") == 0) {
            spec.user = value;
        } else if (strcmp(key, "home") == 0) {
            spec.home = value;
        } else if (strcmp(key, "cwd") == 0) {
            spec.cwd = value;
        } else if (strcmp(key, "umask") == 0) {
            umask_text = value;
        } else if (strcmp(key, "shell") == 0) {
            spec.shell = value;
        } else if (strcmp(key, "group") == 0) {
            long long group;
            if (parse_number(value, 0, &group) < 0 || group > UINT32_MAX - 1 || spec.group_count >= MAX_GROUPS) {
                bad_group = value;
            } else {
                spec.groups[spec.group_count++] = (gid_t)group;
            }
        } else if (strcmp(key, "env") == 0) {
            spec.env[spec.env_count++] = value;
        } else if (strcmp(key, "memory_bytes") == 0) {
            memory = value;
        } else if (strcmp(key, "cpu_millis") == 0) {
            cpu = value;
        } else if (strcmp(key, "max_processes") == 0) {
            procs = value;
        } else if (strcmp(key, "stdout") == 0) {
            spec.stdout_path = value;
        } else if (strcmp(key, "stderr") == 0) {
            spec.stderr_path = value;
        } else if (strcmp(key, "timeout_ms") == 0) {
            timeout = value;
        } else if (strcmp(key, "grace_ms") == 0) {
            grace = value;
        } else if (strcmp(key, "cgroups") == 0) {
            cgroups = value;
        } else if (strcmp(key, "cgroup_parent") == 0) {
            spec.cgroup_parent = value;
        } else if (strcmp(key, "notify_socket") == 0) {
            spec.notify_socket = value;
        } else if (strcmp(key, "not_before_ns") == 0) {
            not_before = value;
        } else if (strcmp(key, "isolation") == 0) {
            isolation = value;
        } else if (interactive_key(key, value) < 0) {
            snprintf(msg, cap, "the run's spec has an invalid \"%s\"", key);
            return -1;
        }
    }

    long long number;
    const char *bad = NULL;
    if (!valid_run_id(spec.run_id)) {
        bad = "run_id";
    } else if (spec.command == NULL) {
        bad = "command";
    } else if (parse_number(uid, 0, &number) < 0 || number > UINT32_MAX - 1) {
        bad = "uid";
    } else if ((spec.uid = (uid_t)number, parse_number(gid, 0, &number) < 0 || number > UINT32_MAX - 1)) {
        bad = "gid";
    } else if ((spec.gid = (gid_t)number, spec.user == NULL || spec.user[0] == '\0')) {
        bad = "user";
    } else if (spec.home == NULL || spec.home[0] != '/') {
        bad = "home";
    } else if (memory != NULL && parse_number(memory, 0, &spec.memory_bytes) < 0) {
        bad = "memory_bytes";
    } else if (cpu != NULL && parse_number(cpu, 0, &spec.cpu_millis) < 0) {
        bad = "cpu_millis";
    } else if (procs != NULL && parse_number(procs, 0, &spec.max_processes) < 0) {
        bad = "max_processes";
    } else if (timeout != NULL && parse_number(timeout, 0, &spec.timeout_ms) < 0) {
        bad = "timeout_ms";
    } else if (grace != NULL && parse_number(grace, 0, &spec.grace_ms) < 0) {
        bad = "grace_ms";
    } else if (cgroups != NULL && strcmp(cgroups, "auto") != 0 && strcmp(cgroups, "off") != 0) {
        bad = "cgroups";
    } else if (isolation != NULL && strcmp(isolation, "auto") != 0 && strcmp(isolation, "off") != 0) {
        bad = "isolation";
    } else if (spec.cgroup_parent != NULL && !valid_cgroup_parent(spec.cgroup_parent)) {
        bad = "cgroup_parent";
    } else if (bad_group != NULL) {
        bad = "group";
    } else if (spec.shell != NULL && spec.shell[0] != '/') {
        bad = "shell";
    } else if (spec.cwd != NULL && spec.cwd[0] != '/') {
        bad = "cwd";
    } else if (umask_text != NULL && parse_umask(umask_text, &spec.umask) < 0) {
        bad = "umask";
    } else if (not_before != NULL && (parse_number(not_before, 1, &spec.not_before_ns) < 0 || interactive_requested())) {
        /* An interactive run waits for its attach, never for a time. */
        bad = "not_before_ns";
    }
    if (bad != NULL) {
        snprintf(msg, cap, "the run's spec has a missing or invalid \"%s\"", bad);
        return -1;
    }
    for (size_t i = 0; i < spec.env_count; i++) {
        const char *eq = strchr(spec.env[i], '=');
        if (eq == NULL || eq == spec.env[i]) {
            snprintf(msg, cap, "the run's spec has an invalid environment variable \"%s\"", spec.env[i]);
            return -1;
        }
    }
    spec.cgroups_enabled = cgroups == NULL || strcmp(cgroups, "auto") == 0;
    spec.isolation_wanted = isolation == NULL || strcmp(isolation, "auto") == 0;
    if (spec.cgroup_parent == NULL) {
        spec.cgroup_parent = "toolgrid";
    }
    if (spec.stdout_path == NULL) {
        spec.stdout_path = "";
    }
    if (spec.stderr_path == NULL) {
        spec.stderr_path = "";
    }
    if (spec.shell == NULL) {
        spec.shell = "/bin/sh";
    }
    if (spec.cwd == NULL) {
        spec.cwd = spec.home;
    }
    if (umask_text == NULL) {
        spec.umask = 0002;
    }
    return 0;
}

/* ------------------------------------------------------------------ cgroups */

static int controller_listed(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; (p = strstr(p, name)) != NULL; p += n) {
        int starts = p == list || p[-1] == ' ' || p[-1] == '\n';
        int ends = p[n] == '\0' || p[n] == ' ' || p[n] == '\n';
        if (starts && ends) {
            return 1;
        }
    }
    return 0;
}

static int mkdir_p(const char *path, mode_t mode, char *failed, size_t cap)
{
    char buf[PATH_MAX];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
        errno = ENAMETOOLONG;
        snprintf(failed, cap, "%s", path);
        return -1;
    }
    for (char *p = buf + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char saved = *p;
            *p = '\0';
            if (mkdir(buf, mode) < 0 && errno != EEXIST) {
                snprintf(failed, cap, "%s", buf);
                return -1;
            }
            *p = saved;
            if (saved == '\0') {
                return 0;
            }
        }
    }
}

static void cgroups_remove(void)
{
    if (cg.dir_fd >= 0) {
        close(cg.dir_fd);
        cg.dir_fd = -1;
    }
    for (int i = 0; i < cg.count; i++) {
        /* A cgroup whose last task is still exiting is briefly busy. */
        for (int attempt = 0; rmdir(cg.dir[i]) < 0 && errno == EBUSY && attempt < 200; attempt++) {
            sleep_ms(5);
        }
        if (file_exists(cg.dir[i])) {
            note("cannot remove cgroup %s: %s", cg.dir[i], strerror(errno));
        }
    }
}

static void cgroups_unusable(const char *why)
{
    cgroups_remove();
    cg.mode = CG_NONE;
    cg.count = 0;
    cg.memory = cg.pids = cg.cpu = -1;
    snprintf(cg.warning, sizeof cg.warning, "%s: runs have no memory/CPU/process limits", why);
}

static int cgroup_set(int index, const char *file, const char *value, char *msg, size_t cap)
{
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s", cg.dir[index], file);
    if (write_text(path, value) < 0) {
        snprintf(msg, cap, "cannot set %.900s to %s: %s", path, value, strerror(errno));
        return -1;
    }
    return 0;
}

static int cgroup_has(int index, const char *file)
{
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s", cg.dir[index], file);
    return file_exists(path);
}

/* Adds one cgroup directory: the parent (shared by all runs) and this run's own. */
static int cgroup_make(const char *hierarchy, char *msg, size_t cap, char *why, size_t why_cap)
{
    char *dir = cg.dir[cg.count];
    if (snprintf(dir, PATH_MAX, "%s/%s/run-%s", hierarchy, spec.cgroup_parent, spec.run_id) >= PATH_MAX) {
        snprintf(msg, cap, "cgroup path too long");
        return -1;
    }
    char failed[PATH_MAX];
    snprintf(failed, sizeof failed, "%s", dir);
    /* Usually only the run's own directory is missing; the parent is made once. */
    int rc = mkdir(dir, 0755);
    if (rc < 0 && errno == ENOENT) {
        rc = mkdir_p(dir, 0755, failed, sizeof failed);
    }
    if (rc < 0 && errno != EEXIST) {
        snprintf(why, why_cap, "cgroups are not writable (mkdir %s: %s)", failed, strerror(errno));
        return -1;
    }
    return cg.count++;
}

/* Enables the run's controllers for the children of dir; without cpu when that is refused. */
static int enable_controllers(const char *dir, int memory, int pids, int *cpu, char *why, size_t why_cap)
{
    char control[PATH_MAX + 32], wanted[64];
    snprintf(control, sizeof control, "%s/cgroup.subtree_control", dir);
    for (;;) {
        snprintf(wanted, sizeof wanted, "%s%s%s", memory ? "+memory " : "", pids ? "+pids " : "", *cpu ? "+cpu" : "");
        if (wanted[0] == '\0' || write_text(control, wanted) == 0) {
            return 0;
        }
        if (!*cpu) {
            snprintf(why, why_cap, "cgroups are not writable (%s: %s)", control, strerror(errno));
            return -1;
        }
        *cpu = 0;
    }
}

static int cgroups_setup_v2(const char *controllers, char *msg, size_t cap)
{
    char why[PATH_MAX + 128];
    int memory = controller_listed(controllers, "memory");
    int pids = controller_listed(controllers, "pids");
    int cpu = controller_listed(controllers, "cpu");
    /* Enable the controllers on the way down: root → parent → (the run's cgroup is a leaf). */
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s", CGROUP_ROOT);
    char parent[256];
    snprintf(parent, sizeof parent, "%s", spec.cgroup_parent);
    for (char *part = strtok(parent, "/");; part = strtok(NULL, "/")) {
        if (enable_controllers(path, memory, pids, &cpu, why, sizeof why) < 0) {
            cgroups_unusable(why);
            return 0;
        }
        if (part == NULL) {
            break;
        }
        size_t used = strlen(path);
        snprintf(path + used, sizeof path - used, "/%s", part);
        if (mkdir(path, 0755) < 0 && errno != EEXIST) {
            snprintf(why, sizeof why, "cgroups are not writable (mkdir %s: %s)", path, strerror(errno));
            cgroups_unusable(why);
            return 0;
        }
    }

    int i = cgroup_make(CGROUP_ROOT, msg, cap, why, sizeof why);
    if (i < 0) {
        cgroups_unusable(why);
        return 0;
    }
    cg.mode = CG_V2;
    cg.memory = memory ? i : -1;
    cg.pids = pids ? i : -1;
    cg.cpu = cpu ? i : -1;
    if (!cpu) {
        snprintf(cg.warning, sizeof cg.warning, "the cpu controller is not available: runs have no CPU limit");
    }

    char value[64];
    if (spec.memory_bytes > 0 && cg.memory >= 0) {
        snprintf(value, sizeof value, "%lld", spec.memory_bytes);
        if (cgroup_set(i, "memory.max", value, msg, cap) < 0) {
            return -1;
        }
        /* Swap would hide an out-of-memory condition: the limit is the limit. */
        if (cgroup_has(i, "memory.swap.max") && cgroup_set(i, "memory.swap.max", "0", msg, cap) < 0) {
            return -1;
        }
        /* Like v1's kill-leftovers: an OOM ends the whole run, not one random process of it. */
        if (cgroup_has(i, "memory.oom.group")) {
            (void)cgroup_set(i, "memory.oom.group", "1", msg, cap);
        }
    }
    if (spec.max_processes > 0 && cg.pids >= 0) {
        snprintf(value, sizeof value, "%lld", spec.max_processes);
        if (cgroup_set(i, "pids.max", value, msg, cap) < 0) {
            return -1;
        }
    }
    if (spec.cpu_millis > 0 && cg.cpu >= 0) {
        long long quota = spec.cpu_millis * 100;
        snprintf(value, sizeof value, "%lld 100000", quota < 1000 ? 1000 : quota);
        if (cgroup_set(i, "cpu.max", value, msg, cap) < 0) {
            return -1;
        }
    }
    cg.dir_fd = open(cg.dir[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    return 0;
}

static int cgroups_setup_v1(char *msg, size_t cap)
{
    char why[PATH_MAX + 128];
    /*
     * The job joins them in this order. Only the first join of a burst waits for an RCU grace
     * period (the kernel's cgroup_threadgroup_rwsem); measured on the test VM, the cpu join
     * after the memory one paid another few ms, pids first then memory does not. There is no
     * freezer cgroup: a kill fences the run's forks with pids.max instead (kill_run).
     */
    static const char *const names[] = {"pids", "memory", "cpu"};
    for (int n = 0; n < 3; n++) {
        char hierarchy[64], probe[96];
        snprintf(hierarchy, sizeof hierarchy, "%s/%s", CGROUP_ROOT, names[n]);
        snprintf(probe, sizeof probe, "%s/cgroup.procs", hierarchy);
        if (!file_exists(probe)) {
            continue;
        }
        int i = cgroup_make(hierarchy, msg, cap, why, sizeof why);
        if (i < 0) {
            cgroups_unusable(why);
            return 0;
        }
        switch (n) {
        case 0:
            cg.pids = i;
            break;
        case 1:
            cg.memory = i;
            break;
        default:
            cg.cpu = i;
            break;
        }
    }
    cg.mode = CG_V1;
    if (cg.cpu < 0) {
        snprintf(cg.warning, sizeof cg.warning, "the cpu cgroup is not mounted: runs have no CPU limit");
    }

    char value[64];
    if (spec.memory_bytes > 0) {
        snprintf(value, sizeof value, "%lld", spec.memory_bytes);
        if (cgroup_set(cg.memory, "memory.limit_in_bytes", value, msg, cap) < 0) {
            return -1;
        }
        /* Memory + swap gets the same limit, so swap never hides an out-of-memory condition. */
        if (cgroup_has(cg.memory, "memory.memsw.limit_in_bytes") &&
            cgroup_set(cg.memory, "memory.memsw.limit_in_bytes", value, msg, cap) < 0) {
            return -1;
        }
    }
    if (spec.max_processes > 0) {
        snprintf(value, sizeof value, "%lld", spec.max_processes);
        if (cgroup_set(cg.pids, "pids.max", value, msg, cap) < 0) {
            return -1;
        }
    }
    if (spec.cpu_millis > 0 && cg.cpu >= 0) {
        long long quota = spec.cpu_millis * 100;
        snprintf(value, sizeof value, "%lld", quota < 1000 ? 1000 : quota);
        if (cgroup_set(cg.cpu, "cpu.cfs_period_us", "100000", msg, cap) < 0 ||
            cgroup_set(cg.cpu, "cpu.cfs_quota_us", value, msg, cap) < 0) {
            return -1;
        }
    }
    return 0;
}

/*
 * Detects the cgroup version (the same rule as the backend's CgroupDetector) and creates the
 * run's cgroups. Returns -1 (with msg) only for a limit that cannot be set; cgroups that cannot
 * be used at all leave the run without them, with a warning recorded in RUNDIR/started.
 */
static int cgroups_setup(char *msg, size_t cap)
{
    if (!spec.cgroups_enabled) {
        cgroups_unusable("cgroups are turned off in the configuration");
        return 0;
    }
    if (geteuid() != 0) {
        cgroups_unusable("the shepherd does not run as root, so it cannot create cgroups");
        return 0;
    }
    char *controllers = read_file_at(AT_FDCWD, CGROUP_ROOT "/cgroup.controllers", 65536, NULL);
#ifdef TG_TEST_V2_WITHOUT_CONTROLLERS
    int v2 = controllers != NULL;
#else
    int v2 = controllers != NULL && controller_listed(controllers, "memory") && controller_listed(controllers, "pids");
#endif
    if (v2) {
        int rc = cgroups_setup_v2(controllers, msg, cap);
        free(controllers);
        return rc;
    }
    free(controllers);
    if (file_exists(CGROUP_ROOT "/memory/cgroup.procs") && file_exists(CGROUP_ROOT "/pids/cgroup.procs")) {
        return cgroups_setup_v1(msg, cap);
    }
    cgroups_unusable("no usable cgroup hierarchy (neither cgroup v2 with memory and pids, nor cgroup v1 memory and pids)");
    return 0;
}

/* The processes in the run's cgroup. Returns their count (0 when empty), or -1. */
static int cgroup_pids(pid_t **pids)
{
    int index = cg.mode == CG_V2 ? 0 : cg.pids;
    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/cgroup.procs", cg.dir[index]);
    char *text = read_file_at(AT_FDCWD, path, 16 * 1024 * 1024, NULL);
    if (text == NULL) {
        return -1;
    }
    size_t count = 0;
    for (char *p = text; *p; p++) {
        count += *p == '\n';
    }
    *pids = calloc(count + 1, sizeof **pids);
    if (*pids == NULL) {
        free(text);
        return -1;
    }
    int n = 0;
    for (char *line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        long value = strtol(line, NULL, 10);
        if (value > 0) {
            (*pids)[n++] = (pid_t)value;
        }
    }
    free(text);
    return n;
}

/* All descendants of this shepherd (without cgroups, the job's processes are exactly these: the
 * shepherd is a child subreaper, so orphans of the job are reparented to it, not to init). */
static int descendant_pids(pid_t **pids)
{
    DIR *proc = opendir("/proc");
    if (proc == NULL) {
        return -1;
    }
    size_t cap = 256, n = 0;
    pid_t *all = malloc(cap * sizeof *all), *parents = malloc(cap * sizeof *parents);
    struct dirent *entry;
    while (all != NULL && parents != NULL && (entry = readdir(proc)) != NULL) {
        if (entry->d_name[0] < '1' || entry->d_name[0] > '9') {
            continue;
        }
        char path[300];
        snprintf(path, sizeof path, "/proc/%s/stat", entry->d_name);
        char *stat = read_file_at(AT_FDCWD, path, 4096, NULL);
        char *close_paren = stat == NULL ? NULL : strrchr(stat, ')');
        int ppid;
        if (close_paren != NULL && sscanf(close_paren + 1, " %*c %d", &ppid) == 1) {
            if (n == cap) {
                cap *= 2;
                pid_t *a = realloc(all, cap * sizeof *all), *p = realloc(parents, cap * sizeof *parents);
                all = a != NULL ? a : all;
                parents = p != NULL ? p : parents;
                if (a == NULL || p == NULL) {
                    free(stat);
                    break;
                }
            }
            all[n] = (pid_t)atoi(entry->d_name);
            parents[n++] = (pid_t)ppid;
        }
        free(stat);
    }
    closedir(proc);
    *pids = calloc(n + 1, sizeof **pids);
    if (*pids == NULL || all == NULL || parents == NULL) {
        free(all);
        free(parents);
        return -1;
    }
    int found = 0;
    pid_t self = getpid();
    /* Breadth first over the parent links; n is small (one host's processes). */
    for (size_t i = 0; i < n; i++) {
        if (parents[i] == self) {
            (*pids)[found++] = all[i];
        }
    }
    for (int head = 0; head < found; head++) {
        for (size_t i = 0; i < n; i++) {
            if (parents[i] == (*pids)[head]) {
                (*pids)[found++] = all[i];
            }
        }
    }
    free(all);
    free(parents);
    return found;
}

static int run_pids(pid_t **pids)
{
    return cg.mode == CG_NONE ? descendant_pids(pids) : cgroup_pids(pids);
}

static pid_t job_pid = -1;
/* The launcher's pipe, which the job process inherits (until its exec) when it is forked. */
static int job_launcher_fd = -1;
static int job_joined_at_fork;
static int job_execed;
static int job_reaped;
static struct outcome out;

/* Reaps every child that has ended: the job, and orphans of the job adopted as subreaper. */
static void reap(void)
{
    for (;;) {
        int status;
        pid_t pid = waitpid(-1, &status, WNOHANG);
        if (pid < 0 && errno == EINTR) {
            continue;
        }
        if (pid <= 0) {
            return;
        }
        if (pid == job_pid && !job_reaped) {
            job_reaped = 1;
            out.status_known = 1;
            out.status = status;
            out.finished_at_ns = now_ns(CLOCK_REALTIME);
        }
    }
}

/* Sends a signal to every process of the run: the job's process group and its cgroup. */
static void signal_run(int sig)
{
    if (!job_reaped) {
        kill(-job_pid, sig);
    }
    pid_t *pids = NULL;
    int n = run_pids(&pids);
    for (int i = 0; i < n; i++) {
        kill(pids[i], sig);
    }
    free(pids);
}

/*
 * Fences the run's forks: with pids.max at 0 no process of the run can fork, so a list of its
 * processes read afterwards is complete until they are killed. This is what a freezer would
 * give (a fork bomb cannot fork between the read of cgroup.procs and the kills), without a
 * freezer cgroup made, joined and removed for every run: only a run that has something to
 * kill pays for it.
 */
static void fence_forks(void)
{
    if (cg.pids < 0) {
        return;
    }
    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/pids.max", cg.dir[cg.pids]);
    if (write_text(path, "0") < 0) {
        note("cannot fence the run's forks (%s): %s", path, strerror(errno));
    }
}

/*
 * SIGKILLs every process of the run until none is left. v2: cgroup.kill. Then, while anything
 * is left: fence the forks (once), kill everything listed, reap, repeat. pids.max bounds each
 * round, and the loop gives up after a bounded time rather than hang the shepherd.
 */
static void kill_run(void)
{
    if (!job_reaped) {
        kill(-job_pid, SIGKILL);
    }
    if (cg.mode == CG_V2 && cgroup_has(0, "cgroup.kill")) {
        char path[PATH_MAX + 32];
        snprintf(path, sizeof path, "%s/cgroup.kill", cg.dir[0]);
        (void)write_text(path, "1");
    }
    long long give_up = monotonic_ms() + 10000;
    long pause = 1;
    int fenced = 0;
    for (int round = 0;; round++) {
        pid_t *pids = NULL;
        int n = run_pids(&pids);
        if (n > 0 && !fenced && cg.pids >= 0) {
            /* Fenced, nothing can fork between this read of the list and the kills. */
            fence_forks();
            fenced = 1;
            free(pids);
            pids = NULL;
            n = run_pids(&pids);
        }
        for (int i = 0; i < n; i++) {
            kill(pids[i], SIGKILL);
        }
        free(pids);
        reap();
        if (n <= 0) {
            return;
        }
        if (monotonic_ms() > give_up) {
            note("gave up killing the run's processes after %d rounds; %d remain", round + 1, n);
            return;
        }
        sleep_ms(pause);
        pause = pause < 20 ? pause * 2 : 20;
    }
}

static int oom_killed(void)
{
    if (cg.memory < 0) {
        return 0;
    }
    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/%s", cg.dir[cg.memory], cg.mode == CG_V2 ? "memory.events" : "memory.oom_control");
    char *text = read_file_at(AT_FDCWD, path, 65536, NULL);
    if (text == NULL) {
        return 0;
    }
    int killed = 0;
    for (char *line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        long long count;
        if (sscanf(line, "oom_kill %lld", &count) == 1 && count > 0) {
            killed = 1;
        }
    }
    free(text);
    return killed;
}

/* ------------------------------------------------------------------ the job */

__attribute__((noreturn, format(printf, 2, 3))) static void report_child_failure(int fd, const char *fmt, ...)
{
    char msg[MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    (void)write_all(fd, msg, strlen(msg));
    _exit(127);
}

/* Creates the missing directories of path's parent, but only inside the home (as the tool user). */
static void make_parents_in_home(const char *path)
{
    size_t home_len = strlen(spec.home);
    while (home_len > 1 && spec.home[home_len - 1] == '/') {
        home_len--;
    }
    if (strncmp(path, spec.home, home_len) != 0 || path[home_len] != '/') {
        return;
    }
    char buf[PATH_MAX];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
        return;
    }
    char *last = strrchr(buf, '/');
    if (last == NULL || last <= buf + home_len) {
        return;
    }
    for (char *p = buf + home_len + 1; p <= last; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(buf, 0770) < 0 && errno != EEXIST) {
                return;
            }
            *p = '/';
        }
    }
}

static int open_output(const char *path)
{
    if (path[0] == '\0') {
        return open("/dev/null", O_WRONLY | O_CLOEXEC);
    }
    /* O_NONBLOCK: a FIFO without a reader fails (ENXIO) instead of blocking the start forever. */
    int flags = O_WRONLY | O_APPEND | O_CREAT | O_NOCTTY | O_CLOEXEC | O_NONBLOCK;
    /* The tool's user and group (its maintainers) may read it, nobody else (nor less, if the umask says so). */
    int fd = open(path, flags, 0660);
    if (fd < 0 && errno == ENOENT) {
        make_parents_in_home(path);
        fd = open(path, flags, 0660);
    }
    if (fd >= 0) {
        int fl = fcntl(fd, F_GETFL);
        if (fl >= 0) {
            fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
        }
    }
    return fd;
}

static char *env_entry(const char *name, const char *value)
{
    size_t len = strlen(name) + strlen(value) + 2;
    char *entry = malloc(len);
    if (entry != NULL) {
        snprintf(entry, len, "%s=%s", name, value);
    }
    return entry;
}

/* A clean login-like environment, then the spec's variables (which win). */
static char **build_environment(const char *shell)
{
    char **env = calloc(spec.env_count + 8, sizeof *env);
    if (env == NULL) {
        return NULL;
    }
    size_t n = 0;
    env[n++] = env_entry("HOME", spec.home);
    env[n++] = env_entry("USER", spec.user);
    env[n++] = env_entry("LOGNAME", spec.user);
    env[n++] = env_entry("SHELL", shell);
    env[n++] = env_entry("PATH", "/usr/local/bin:/usr/bin:/bin");
    env[n++] = env_entry("LANG", "C.UTF-8");
    for (size_t i = 0; i < spec.env_count; i++) {
        const char *entry = spec.env[i];
        size_t name_len = (size_t)(strchr(entry, '=') - entry) + 1;
        size_t j = 0;
        while (j < n && strncmp(env[j], entry, name_len) != 0) {
            j++;
        }
        env[j] = (char *)entry;
        if (j == n) {
            n++;
        }
    }
    env[n] = NULL;
    return env;
}

/*
 * The job, between fork and exec: its own session, the run's cgroups (joined as root, before
 * dropping privileges, unless clone3 created it inside them), the tool's user and groups (from
 * the spec: the backend looked them up), umask, home, output files opened as the tool user, a
 * clean environment. Then it waits for "go" (the started record is on disk) and execs the
 * command. Any failure is written to report_fd and ends the child with 127. Only plain system
 * calls and malloc here: after clone3, glibc's fork handlers have not run.
 */
__attribute__((noreturn)) static void job_child(int report_fd, int go_fd)
{
    for (int sig = 1; sig < NSIG; sig++) {
        signal(sig, SIG_DFL);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (setsid() < 0) {
        report_child_failure(report_fd, "setsid failed: %s", strerror(errno));
    }
    /* A held run's launcher is told "waiting" long before the exec: it must not wait for that. */
    if (spec.not_before_ns > 0 && job_launcher_fd >= 0) {
        close(job_launcher_fd);
    }
    char pid_text[32];
    snprintf(pid_text, sizeof pid_text, "%d", (int)getpid());
    for (int i = 0; i < cg.count && !job_joined_at_fork; i++) {
        char path[PATH_MAX + 32];
        snprintf(path, sizeof path, "%s/cgroup.procs", cg.dir[i]);
        if (write_text(path, pid_text) < 0) {
            report_child_failure(report_fd, "cannot join cgroup %s: %s", cg.dir[i], strerror(errno));
        }
    }
    /* Mounts need root: before the switch to the tool's user. */
    char isolation_msg[MSG_MAX];
    if (isolation_enter(&iso, isolation_msg, sizeof isolation_msg) < 0) {
        report_child_failure(report_fd, "%s", isolation_msg);
    }

    /* The same uid (single-user mode, or a tool run as the platform's own user): no switch. */
    if (spec.uid != geteuid()) {
        if (setgroups(spec.group_count, spec.groups) < 0) {
            report_child_failure(report_fd, "cannot set the groups of %s: %s", spec.user, strerror(errno));
        }
        if (setgid(spec.gid) < 0) {
            report_child_failure(report_fd, "cannot switch to group %u: %s", (unsigned)spec.gid, strerror(errno));
        }
        if (setuid(spec.uid) < 0) {
            report_child_failure(report_fd, "cannot switch to user %s (uid %u): %s", spec.user, (unsigned)spec.uid,
                                 strerror(errno));
        }
    }
    umask(spec.umask);
    if (chdir(spec.cwd) < 0) {
        report_child_failure(report_fd, "cannot change to the %s %s as %s: %s",
                             strcmp(spec.cwd, spec.home) == 0 ? "home directory" : "working directory", spec.cwd, spec.user,
                             strerror(errno));
    }

    int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (in < 0 || dup2(in, STDIN_FILENO) < 0) {
        report_child_failure(report_fd, "cannot open /dev/null: %s", strerror(errno));
    }
    int outfd = open_output(spec.stdout_path);
    if (outfd < 0) {
        report_child_failure(report_fd, "cannot open %s for writing as %s: %s", spec.stdout_path, spec.user,
                             strerror(errno));
    }
    int errfd = strcmp(spec.stdout_path, spec.stderr_path) == 0 ? outfd : open_output(spec.stderr_path);
    if (errfd < 0) {
        report_child_failure(report_fd, "cannot open %s for writing as %s: %s", spec.stderr_path, spec.user,
                             strerror(errno));
    }
    if (dup2(outfd, STDOUT_FILENO) < 0 || dup2(errfd, STDERR_FILENO) < 0) {
        report_child_failure(report_fd, "cannot redirect the output: %s", strerror(errno));
    }
    interactive_child_stdio(report_fd);

    char **env = build_environment(spec.shell);
    if (env == NULL) {
        report_child_failure(report_fd, "out of memory");
    }
    char *argv[] = {"sh", "-c", (char *)spec.command, NULL};

    /* Wait for the shepherd's "go": without it (the shepherd died, or the run was stopped
     * before it started) the command must not run, or it could run twice. */
    char go;
    ssize_t got;
    do {
        got = read(go_fd, &go, 1);
    } while (got < 0 && errno == EINTR);
    if (got != 1) {
        _exit(126);
    }
    execve("/bin/sh", argv, env);
    report_child_failure(report_fd, "cannot execute /bin/sh: %s", strerror(errno));
}

/* ------------------------------------------------------------------ the shepherd */

static const char *cgroup_mode_name(void)
{
    return cg.mode == CG_V2 ? "v2" : cg.mode == CG_V1 ? "v1" : "none";
}

/* Appends the exit record, durably: with it the run has ended, whatever happens next. */
static void write_exit(long long started_at_ns)
{
    if (out.finished_at_ns == 0) {
        out.finished_at_ns = now_ns(CLOCK_REALTIME);
    }
    static struct record r;
    record_open(&r, "exit");
    record_add(&r, "run_id", spec.run_id);
    record_addf(&r, "pid", "%d", job_execed ? (int)job_pid : 0);
    record_addf(&r, "started_at_ns", "%lld", job_execed ? started_at_ns : 0);
    record_addf(&r, "finished_at_ns", "%lld", out.finished_at_ns);
    if (out.status_known && WIFEXITED(out.status)) {
        record_addf(&r, "exit_code", "%d", WEXITSTATUS(out.status));
    } else if (out.status_known && WIFSIGNALED(out.status)) {
        record_addf(&r, "signal", "%d", WTERMSIG(out.status));
    } else if (out.stopped && !out.start_failed) {
        record_addf(&r, "signal", "%d", SIGTERM);
    }
    record_addf(&r, "oom", "%d", out.oom);
    record_addf(&r, "timed_out", "%d", out.timed_out);
    record_addf(&r, "stopped", "%d", out.stopped);
    record_addf(&r, "start_failed", "%d", out.start_failed);
    record_add(&r, "cgroups", cgroup_mode_name());
    record_add(&r, "message", out.message);
    if (record_append(&r, 1) < 0) {
        note("cannot write the exit record to %s: %s", run_path, strerror(errno));
    }
}

static void tell_launcher(int fd, const char *word, const char *message)
{
    if (fd < 0) {
        return;
    }
    char buf[MSG_MAX + 16];
    int n = snprintf(buf, sizeof buf, "%s\n%s", word, message);
    (void)write_all(fd, buf, n < (int)sizeof buf ? (size_t)n : sizeof buf - 1);
    close(fd);
}

/* The grace period of the latest stop request (RUNFILE.stop), or the spec's. */
static long long stop_grace_ms(void)
{
    char name[64];
    sibling_name(name, sizeof name, "stop");
    char *text = read_file_at(dir_fd, name, 64, NULL);
    long long grace;
    if (text != NULL) {
        text[strcspn(text, "\n")] = '\0';
    }
    int ok = text != NULL && parse_number(text, 0, &grace) == 0;
    free(text);
    return ok ? grace : spec.grace_ms;
}

static long long proc_start_time(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    char *stat = read_file_at(AT_FDCWD, path, 4096, NULL);
    char *close_paren = stat == NULL ? NULL : strrchr(stat, ')');
    unsigned long long start = 0;
    if (close_paren != NULL) {
        /* Field 22 (starttime); close_paren + 2 is field 3. */
        sscanf(close_paren + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
               &start);
    }
    free(stat);
    return (long long)start;
}

/*
 * Forks the job. On cgroup v2 the child is created inside the run's cgroup (clone3 with
 * CLONE_INTO_CGROUP), which takes only the read side of the kernel's cgroup_threadgroup_rwsem;
 * moving a process by writing cgroup.procs takes the write side, whose first use after a quiet
 * moment waits for an RCU grace period (milliseconds, more on a busy host). v1 has no such
 * clone: the child joins by writing cgroup.procs, as does v2 when clone3 is refused.
 */
static pid_t fork_job(void)
{
#ifdef CLONE_INTO_CGROUP
    if (cg.mode == CG_V2 && cg.dir_fd >= 0) {
        struct clone_args args;
        memset(&args, 0, sizeof args);
        args.flags = CLONE_INTO_CGROUP;
        args.exit_signal = SIGCHLD;
        args.cgroup = (uint64_t)cg.dir_fd;
        long pid = syscall(SYS_clone3, &args, sizeof args);
        if (pid >= 0) {
            job_joined_at_fork = 1;
            return (pid_t)pid;
        }
        note("clone3 into %s failed (%s): forking and joining it instead", cg.dir[0], strerror(errno));
    }
#endif
    return fork();
}

/* ------------------------------------------------------------------ interactive runs
 *
 * An interactive run (the spec's "interactive": "pty" or "pipes") gets, as its standard streams,
 * a pseudo-terminal (its controlling terminal, of the spec's window size, owned by the tool's
 * user) or a pair of pipes, standard output and error merged. The shepherd makes them before the
 * fork and listens on RUNFILE.attach (a Unix socket, 0600, in the root-only run directory). The
 * first connection (from root) receives the caller's ends with SCM_RIGHTS, "pty" + the master,
 * or "pipes" + the input's write end and the output's read end, and only then is the command
 * let go: nothing it prints is lost. The socket is removed then: a run is attached once.
 *
 * The launcher is told "started" once the started record is on disk, before the attach (the
 * backend's start returns; the caller attaches when it sees the run running). Until the attach,
 * a stop or the timeout ends the run before its command ran, and so does ATTACH_TIMEOUT_MS
 * without an attach. The connection stays open for the session: when it closes (the terminal
 * was disposed, or toolgridd died) the run is hung up, SIGHUP to all of it, SIGKILL after the
 * grace period. The shepherd keeps no end of the terminal or of the pipes: once the job and
 * everything it left are gone, the caller reads the end of the output (EIO on the master, EOF on
 * the pipe).
 */
#define ATTACH_TIMEOUT_MS (5LL * 60 * 1000)

enum interactive_mode { IA_NONE = 0, IA_PTY = 1, IA_PIPES = 2 };

static struct {
    enum interactive_mode mode;
    long rows, cols;
    int master_fd, slave_fd; /* IA_PTY */
    int in[2], out[2];       /* IA_PIPES: the job's input and output */
    int listen_fd, conn_fd;
    int launcher_fd; /* the launcher's pipe: the job must not hold it while it waits for the attach */
    char socket_path[sizeof ((struct sockaddr_un *)0)->sun_path];
    int hangup_sent;
} ia = {.master_fd = -1, .slave_fd = -1, .in = {-1, -1}, .out = {-1, -1}, .listen_fd = -1, .conn_fd = -1, .launcher_fd = -1};

/* A spec pair of interactive runs: 1 when it is one (and valid), -1 when invalid, 0 otherwise. */
static int interactive_key(const char *key, const char *value)
{
    if (strcmp(key, "interactive") == 0) {
        if (strcmp(value, "pty") == 0) {
            ia.mode = IA_PTY;
        } else if (strcmp(value, "pipes") == 0) {
            ia.mode = IA_PIPES;
        } else if (strcmp(value, "no") == 0) {
            ia.mode = IA_NONE;
        } else {
            return -1;
        }
        return 1;
    }
    if (strcmp(key, "tty_rows") == 0 || strcmp(key, "tty_cols") == 0) {
        char *end;
        errno = 0;
        long number = strtol(value, &end, 10);
        if (errno != 0 || *value == '\0' || *end != '\0' || number < 1 || number > 65535) {
            return -1;
        }
        *(key[4] == 'r' ? &ia.rows : &ia.cols) = number;
        return 1;
    }
    return 0;
}

/* The fields the waiting and started records share: who to signal (this shepherd, checked by its
 * start time against a recycled pid) and the run's cgroups. */
static void record_add_shepherd(struct record *r)
{
    record_addf(r, "shepherd_pid", "%d", (int)getpid());
    record_addf(r, "shepherd_start_time", "%lld", proc_start_time(getpid()));
    record_add(r, "cgroups", cgroup_mode_name());
    for (int i = 0; i < cg.count; i++) {
        record_add(r, "cgroup_dir", cg.dir[i]);
    }
    /* The private directories' parents, so that the backend removes them if the shepherd dies. */
    record_add(r, "isolation", iso.enabled ? "private" : "none");
    for (int i = 0; i < iso.tmp_count; i++) {
        record_add(r, "private_tmp", iso.tmp_parent[i]);
    }
}

/* Drains the signalfd; 1 when a stop (SIGTERM/SIGINT) was among the signals, not only SIGCHLD. */
static int stop_signalled(int sig_fd)
{
    struct signalfd_siginfo info;
    int stop = 0;
    while (read(sig_fd, &info, sizeof info) == (ssize_t)sizeof info) {
        stop |= info.ssi_signo != SIGCHLD;
    }
    return stop;
}

static int interactive_requested(void)
{
    return ia.mode != IA_NONE;
}

static void close_fd(int *fd)
{
    if (*fd >= 0) {
        close(*fd);
        *fd = -1;
    }
}

static void interactive_unlisten(void)
{
    if (ia.listen_fd >= 0) {
        close_fd(&ia.listen_fd);
        unlink(ia.socket_path);
    }
}

/* Makes the run's terminal (or pipes) and its attach socket, before the fork. -1 with msg. */
static int interactive_setup(int launcher_fd, char *msg, size_t cap)
{
    if (ia.mode == IA_NONE) {
        return 0;
    }
    ia.launcher_fd = launcher_fd;
    if (ia.mode == IA_PTY) {
        ia.master_fd = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
        int unlock = 0;
        if (ia.master_fd < 0 || ioctl(ia.master_fd, TIOCSPTLCK, &unlock) < 0) {
            snprintf(msg, cap, "cannot open a pseudo-terminal: %s", strerror(errno));
            return -1;
        }
#ifdef TIOCGPTPEER
        ia.slave_fd = ioctl(ia.master_fd, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
#endif
        unsigned int number;
        if (ia.slave_fd < 0 && ioctl(ia.master_fd, TIOCGPTN, &number) == 0) {
            char name[64];
            snprintf(name, sizeof name, "/dev/pts/%u", number);
            ia.slave_fd = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
        }
        if (ia.slave_fd < 0) {
            snprintf(msg, cap, "cannot open the pseudo-terminal's slave: %s", strerror(errno));
            return -1;
        }
        /* The tool's own terminal, as a login's: its user owns it, nobody else reads it. */
        struct winsize size = {.ws_row = (unsigned short)(ia.rows > 0 ? ia.rows : 24),
                               .ws_col = (unsigned short)(ia.cols > 0 ? ia.cols : 80)};
        if (fchown(ia.slave_fd, spec.uid, spec.gid) < 0 || fchmod(ia.slave_fd, 0600) < 0 ||
            ioctl(ia.slave_fd, TIOCSWINSZ, &size) < 0) {
            snprintf(msg, cap, "cannot set up the pseudo-terminal: %s", strerror(errno));
            return -1;
        }
    } else if (pipe2(ia.in, O_CLOEXEC) < 0 || pipe2(ia.out, O_CLOEXEC) < 0) {
        snprintf(msg, cap, "pipe failed: %s", strerror(errno));
        return -1;
    }

    if (snprintf(ia.socket_path, sizeof ia.socket_path, "%s.attach", run_path) >= (int)sizeof ia.socket_path) {
        snprintf(msg, cap, "the attach socket's path %s.attach is too long (at most %zu bytes)", run_path,
                 sizeof ia.socket_path - 1);
        return -1;
    }
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    memcpy(addr.sun_path, ia.socket_path, sizeof addr.sun_path);
    ia.listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (ia.listen_fd < 0) {
        snprintf(msg, cap, "socket failed: %s", strerror(errno));
        return -1;
    }
    unlink(ia.socket_path);
    mode_t mask = umask(0177);
    int bound = bind(ia.listen_fd, (struct sockaddr *)&addr, sizeof addr);
    umask(mask);
    if (bound < 0 || listen(ia.listen_fd, 4) < 0) {
        snprintf(msg, cap, "cannot listen on %s: %s", ia.socket_path, strerror(errno));
        close_fd(&ia.listen_fd);
        return -1;
    }
    return 0;
}

/* In the shepherd, after the fork: the job's ends are the job's alone. */
static void interactive_after_fork(void)
{
    close_fd(&ia.slave_fd);
    close_fd(&ia.in[0]);
    close_fd(&ia.out[1]);
}

/* In the job, as its user, before the exec: the terminal (its controlling one) or the pipes. */
static void interactive_child_stdio(int report_fd)
{
    if (ia.mode == IA_NONE) {
        return;
    }
    /* The launcher waits for EOF on its pipe: it is told "started" before the exec. */
    close(ia.launcher_fd);
    int in = ia.in[0], out_fd = ia.out[1];
    if (ia.mode == IA_PTY) {
        /* A session leader without a terminal (setsid) takes this one as its own. */
        if (ioctl(ia.slave_fd, TIOCSCTTY, 0) < 0) {
            report_child_failure(report_fd, "cannot make the pseudo-terminal the controlling terminal: %s",
                                 strerror(errno));
        }
        in = out_fd = ia.slave_fd;
    }
    if (dup2(in, STDIN_FILENO) < 0 || dup2(out_fd, STDOUT_FILENO) < 0 || dup2(out_fd, STDERR_FILENO) < 0) {
        report_child_failure(report_fd, "cannot redirect the standard streams: %s", strerror(errno));
    }
    /* Everything else (the master, the shepherd's ends, the socket) is close-on-exec. */
}

/* Passes the caller's ends to a connection from root. 0 when attached. */
static int interactive_accept(void)
{
    int fd = accept4(ia.listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    struct ucred peer;
    socklen_t len = sizeof peer;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &len) < 0 || peer.uid != 0) {
        note("refused an attach from uid %d", len == sizeof peer ? (int)peer.uid : -1);
        close(fd);
        return -1;
    }
    int fds[2] = {ia.master_fd, -1};
    size_t count = 1;
    const char *word = "pty";
    if (ia.mode == IA_PIPES) {
        fds[0] = ia.in[1];
        fds[1] = ia.out[0];
        count = 2;
        word = "pipes";
    }
    union {
        char buf[CMSG_SPACE(sizeof fds)];
        struct cmsghdr align;
    } control;
    memset(&control, 0, sizeof control);
    struct iovec iov = {.iov_base = (void *)word, .iov_len = strlen(word)};
    struct msghdr message = {
        .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = CMSG_SPACE(count * sizeof(int))};
    struct cmsghdr *c = CMSG_FIRSTHDR(&message);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(count * sizeof(int));
    memcpy(CMSG_DATA(c), fds, count * sizeof(int));
    ssize_t sent;
    do {
        sent = sendmsg(fd, &message, MSG_NOSIGNAL);
    } while (sent < 0 && errno == EINTR);
    if (sent < 0) {
        note("cannot pass the terminal to the attach: %s", strerror(errno));
        close(fd);
        return -1;
    }
    ia.conn_fd = fd;
    close_fd(&ia.master_fd);
    close_fd(&ia.in[1]);
    close_fd(&ia.out[0]);
    interactive_unlisten();
    return 0;
}

/*
 * After the started record, instead of the go: tells the launcher the run started, then waits
 * for the attach. 1 when attached (the caller lets the job go); 0 when the run ends before its
 * command ran: stopped, timed out, not attached in time, or the job could not get ready (its
 * report says why). */
static int interactive_attached(int sig_fd, int report_fd, int *launcher_fd, long long started_mono)
{
    notify("started");
    tell_launcher(*launcher_fd, "started", "");
    *launcher_fd = -1;
    long long attach_by = started_mono + ATTACH_TIMEOUT_MS;
    long long timeout_at = spec.timeout_ms > 0 ? started_mono + spec.timeout_ms : -1;
    for (;;) {
        long long now = monotonic_ms();
        if (timeout_at >= 0 && now >= timeout_at) {
            out.timed_out = 1;
            out.stopped = 1;
            snprintf(out.message, sizeof out.message, "ran past its timeout of %lld.%03lld s before it was attached",
                     spec.timeout_ms / 1000, spec.timeout_ms % 1000);
            break;
        }
        if (now >= attach_by) {
            out.stopped = 1;
            snprintf(out.message, sizeof out.message, "nobody attached to the interactive run within %lld s",
                     ATTACH_TIMEOUT_MS / 1000);
            break;
        }
        long long wake = timeout_at >= 0 && timeout_at < attach_by ? timeout_at : attach_by;
        struct pollfd pfd[3] = {{.fd = sig_fd, .events = POLLIN},
                                {.fd = ia.listen_fd, .events = POLLIN},
                                {.fd = report_fd, .events = POLLIN}};
        if (poll(pfd, 3, (int)(wake - now > INT_MAX ? INT_MAX : wake - now)) < 0 && errno != EINTR) {
            note("poll failed: %s", strerror(errno));
            sleep_ms(10);
        }
        if (stop_signalled(sig_fd)) {
            out.stopped = 1;
            snprintf(out.message, sizeof out.message, "stopped before it was attached");
            break;
        }
        if (pfd[2].revents != 0) {
            /* The job ended before the go: what it wrote (read by the caller) says why. */
            if (out.message[0] == '\0') {
                snprintf(out.message, sizeof out.message, "the job process ended before it could start");
            }
            out.start_failed = 1;
            break;
        }
        if ((pfd[1].revents & POLLIN) != 0 && interactive_accept() == 0) {
            return 1;
        }
    }
    interactive_unlisten();
    return 0;
}

/* Polls the signals and, in an attached session, its connection; a closed one hangs the run up. */
static int interactive_poll(struct pollfd *sig_pfd, int wait_ms)
{
    struct pollfd pfd[2] = {*sig_pfd, {.fd = ia.conn_fd, .events = POLLIN}};
    int ready = poll(pfd, ia.conn_fd >= 0 ? 2 : 1, wait_ms);
    sig_pfd->revents = pfd[0].revents;
    if (ready > 0 && ia.conn_fd >= 0 && pfd[1].revents != 0) {
        char ignored[256];
        ssize_t n = recv(ia.conn_fd, ignored, sizeof ignored, MSG_DONTWAIT);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
            close_fd(&ia.conn_fd);
            if (!job_reaped) {
                signal_run(SIGHUP);
                ia.hangup_sent = 1;
            }
        }
    }
    return ready;
}

/* Once, after a hang-up: 1 (the caller kills the run after the grace period, as a stop). */
static int interactive_hung_up(void)
{
    if (ia.hangup_sent != 1) {
        return 0;
    }
    ia.hangup_sent = 2;
    return 1;
}

/*
 * A run started ahead of its due time (the spec's not_before_ns), once set up: its cgroups made,
 * its job process forked (in them, as the tool's user, its output open), waiting for the go. It
 * is held here until the realtime clock reaches not_before. First the "waiting" record is
 * appended (not durable: it only tells the backend whom to signal for a stop; after a crash
 * nothing ran and the next launcher starts the run), then the launcher is told "waiting".
 * Returns 1 when the run is due; 0 when it ended before its command ran (out says how): stopped
 * (SIGTERM/SIGINT, or RUNFILE.stop already there), the job process ended (its report, read by
 * the caller, says why), or the record could not be written.
 */
static int hold_until_due(int sig_fd, int report_fd, int *launcher_fd)
{
    static struct record r;
    record_open(&r, "waiting");
    record_add(&r, "run_id", spec.run_id);
    record_addf(&r, "pid", "%d", (int)job_pid);
    record_addf(&r, "not_before_ns", "%lld", spec.not_before_ns);
    record_add_shepherd(&r);
    if (record_append(&r, 0) < 0) {
        snprintf(out.message, sizeof out.message, "cannot write the waiting record to %s: %s", run_path, strerror(errno));
        out.start_failed = 1;
        return 0;
    }
    notify("waiting");
    tell_launcher(*launcher_fd, "waiting", "");
    *launcher_fd = -1;
    /* The backend writes RUNFILE.stop before it looks for the waiting record: one sees the other. */
    if (sibling_exists("stop")) {
        out.stopped = 1;
        snprintf(out.message, sizeof out.message, "stopped before it started");
        return 0;
    }
    for (;;) {
        long long left = spec.not_before_ns - now_ns(CLOCK_REALTIME);
        if (left <= 0) {
            return 1;
        }
        /* At most a second at a time: a step of the realtime clock is followed within it. */
        if (left > 1000000000LL) {
            left = 1000000000LL;
        }
        struct timespec ts = {.tv_sec = (time_t)(left / 1000000000LL), .tv_nsec = (long)(left % 1000000000LL)};
        struct pollfd pfd[2] = {{.fd = sig_fd, .events = POLLIN}, {.fd = report_fd, .events = POLLIN}};
        if (ppoll(pfd, 2, &ts, NULL) < 0 && errno != EINTR) {
            note("poll failed: %s", strerror(errno));
            sleep_ms(10);
        }
        if (stop_signalled(sig_fd)) {
            out.stopped = 1;
            snprintf(out.message, sizeof out.message, "stopped before it started");
            return 0;
        }
        if (pfd[1].revents != 0) {
            /* The job ended before the go: what it wrote (read by the caller) says why. */
            snprintf(out.message, sizeof out.message, "the job process ended before it could start");
            out.start_failed = 1;
            return 0;
        }
    }
}

/* Once no process of the run is left: its cgroups and its private directories go. */
static void release_run(void)
{
    cgroups_remove();
    char msg[MSG_MAX];
    if (isolation_remove(&iso, msg, sizeof msg) < 0) {
        note("%s", msg);
    }
}

static int shepherd(int launcher_fd)
{
    /* Signals arrive through a signalfd: no handlers, no races with waitpid. */
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGCHLD);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    int sig_fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
    if (sig_fd < 0) {
        snprintf(out.message, sizeof out.message, "signalfd failed: %s", strerror(errno));
        out.start_failed = 1;
        write_exit(0);
        tell_launcher(launcher_fd, "failed", out.message);
        return 1;
    }
    /* Orphans of the job come to the shepherd, not to (a slow) init: it reaps them at once. */
    prctl(PR_SET_CHILD_SUBREAPER, 1);

    char msg[MSG_MAX] = "";
    if (cgroups_setup(msg, sizeof msg) < 0) {
        snprintf(out.message, sizeof out.message, "%s", msg);
        out.start_failed = 1;
        cgroups_remove();
        write_exit(0);
        tell_launcher(launcher_fd, "failed", out.message);
        return 1;
    }
    if (cg.warning[0] != '\0') {
        note("%s", cg.warning);
    }

    if (interactive_setup(launcher_fd, msg, sizeof msg) < 0) {
        snprintf(out.message, sizeof out.message, "%s", msg);
        out.start_failed = 1;
        interactive_unlisten();
        cgroups_remove();
        write_exit(0);
        tell_launcher(launcher_fd, "failed", out.message);
        return 1;
    }

    if (isolation_prepare(&iso, spec.isolation_wanted, spec.run_id, spec.home, msg, sizeof msg) < 0) {
        snprintf(out.message, sizeof out.message, "%s", msg);
        out.start_failed = 1;
        interactive_unlisten();
        release_run();
        write_exit(0);
        tell_launcher(launcher_fd, "failed", out.message);
        return 1;
    }
    if (iso.warning[0] != '\0') {
        note("%s", iso.warning);
    }

    int report[2], go[2];
    if (pipe2(report, O_CLOEXEC) < 0 || pipe2(go, O_CLOEXEC) < 0) {
        snprintf(out.message, sizeof out.message, "pipe failed: %s", strerror(errno));
        out.start_failed = 1;
        release_run();
        write_exit(0);
        tell_launcher(launcher_fd, "failed", out.message);
        return 1;
    }
    long long started_at_ns = now_ns(CLOCK_REALTIME);
    job_launcher_fd = launcher_fd;
    job_pid = fork_job();
    if (job_pid < 0) {
        snprintf(out.message, sizeof out.message, "fork failed: %s", strerror(errno));
        out.start_failed = 1;
        release_run();
        write_exit(0);
        tell_launcher(launcher_fd, "failed", out.message);
        return 1;
    }
    if (job_pid == 0) {
        close(report[0]);
        close(go[1]);
        job_child(report[1], go[0]);
    }
    close(report[1]);
    close(go[0]);
    interactive_after_fork();
    int due = 1;
    if (spec.not_before_ns > 0 && now_ns(CLOCK_REALTIME) < spec.not_before_ns) {
        due = hold_until_due(sig_fd, report[0], &launcher_fd);
        /* The command is let go now: that is when it starts (and its timeout counts from). */
        started_at_ns = now_ns(CLOCK_REALTIME);
    }
    long long started_mono = monotonic_ms();

    /*
     * The commit point of "started at most once": the started record is on disk before the
     * exec, and so is the run file's name (fsync of the run directory: the backend renamed the
     * file into place without one). After a crash, a launcher finds it and starts nothing.
     */
    static struct record r;
    record_open(&r, "started");
    record_add(&r, "run_id", spec.run_id);
    record_addf(&r, "pid", "%d", (int)job_pid);
    record_addf(&r, "started_at_ns", "%lld", started_at_ns);
    record_add_shepherd(&r);
    record_add(&r, "warning", cg.warning);
    if (!due) {
        /* Ended while held (stopped, or the job process failed): nothing ran, no started record. */
        close(go[1]);
    } else if (record_append(&r, 1) < 0 || fsync(dir_fd) < 0) {
        snprintf(out.message, sizeof out.message, "cannot write the started record to %s: %s", run_path, strerror(errno));
        close(go[1]);
        out.start_failed = 1;
    } else if (sibling_exists("stop")) {
        /* Stopped between the spawn and now (the backend writes RUNFILE.stop before it looks for us). */
        close(go[1]);
        out.stopped = 1;
        snprintf(out.message, sizeof out.message, "stopped before it started");
    } else if (ia.mode != IA_NONE && !interactive_attached(sig_fd, report[0], &launcher_fd, started_mono)) {
        /* An interactive run that ends before its attach: its command never runs. */
        close(go[1]);
    } else {
        char word = 'g';
        if (write_all(go[1], &word, 1) < 0) {
            snprintf(out.message, sizeof out.message, "the job process ended before it could start");
            out.start_failed = 1;
        }
        close(go[1]);
    }

    /* EOF: the exec happened. Bytes: the child's reason for failing to start. */
    char failure[MSG_MAX] = "";
    size_t got = 0;
    for (;;) {
        ssize_t n = read(report[0], failure + got, sizeof failure - 1 - got);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        got += (size_t)n;
        if (got == sizeof failure - 1) {
            break;
        }
    }
    failure[got] = '\0';
    close(report[0]);

    if (got > 0 || out.start_failed || out.stopped) {
        if (got > 0) {
            snprintf(out.message, sizeof out.message, "%s", failure);
            out.start_failed = 1;
        }
        while (waitpid(job_pid, NULL, 0) < 0 && errno == EINTR) {
        }
        job_reaped = 1;
        kill_run();
        release_run();
        write_exit(started_at_ns);
        notify("exited");
        tell_launcher(launcher_fd, out.stopped ? "stopped" : "failed", out.message);
        return 0;
    }

    job_execed = 1;
    notify("started");
    tell_launcher(launcher_fd, "started", "");

    long long timeout_at = spec.timeout_ms > 0 ? started_mono + spec.timeout_ms : -1;
    long long kill_at = -1;
    int killed = 0;
    while (!job_reaped) {
        long long now = monotonic_ms();
        if (timeout_at >= 0 && now >= timeout_at && kill_at < 0) {
            out.timed_out = 1;
            snprintf(out.message, sizeof out.message, "ran past its timeout of %lld.%03lld s and was stopped",
                     spec.timeout_ms / 1000, spec.timeout_ms % 1000);
            signal_run(SIGTERM);
            kill_at = now + spec.grace_ms;
        }
        if (kill_at >= 0 && now >= kill_at && !killed) {
            kill_run();
            killed = 1;
        }
        long long wake = -1;
        if (timeout_at >= 0 && kill_at < 0) {
            wake = timeout_at;
        }
        if (kill_at >= 0 && !killed) {
            wake = kill_at;
        }
        int wait_ms = wake < 0 ? -1 : (int)(wake > now ? (wake - now > INT_MAX ? INT_MAX : wake - now) : 0);
        struct pollfd pfd = {.fd = sig_fd, .events = POLLIN};
        int ready = interactive_poll(&pfd, wait_ms);
        if (ready < 0 && errno != EINTR) {
            note("poll failed: %s", strerror(errno));
            sleep_ms(10);
        }
        struct signalfd_siginfo info;
        while (read(sig_fd, &info, sizeof info) == (ssize_t)sizeof info) {
            if (info.ssi_signo == SIGCHLD) {
                continue;
            }
            /* SIGTERM/SIGINT: a graceful stop. A later stop may shorten the grace, never lengthen it. */
            long long grace = stop_grace_ms();
            long long at = monotonic_ms() + grace;
            if (!out.stopped && !out.timed_out) {
                out.stopped = 1;
                snprintf(out.message, sizeof out.message, "stopped");
            }
            if (kill_at < 0 || at < kill_at) {
                if (kill_at < 0) {
                    signal_run(SIGTERM);
                }
                kill_at = at;
            }
        }
        reap();
        if (interactive_hung_up() && kill_at < 0) {
            /* The session's terminal went away: SIGHUP was sent; the grace period of a stop follows. */
            kill_at = monotonic_ms() + spec.grace_ms;
        }
    }

    /* The job's main process has ended: whatever it left behind goes with it (like systemd's
     * KillMode=control-group), so a daemonized child never outlives its run. */
    kill_run();
    out.oom = oom_killed();
    if (out.oom && out.message[0] == '\0') {
        snprintf(out.message, sizeof out.message, "went over its memory limit of %lld bytes and was killed",
                 spec.memory_bytes);
    }
    release_run();
    write_exit(started_at_ns);
    notify("exited");
    return 0;
}

/* Appends the exit record for a start that failed before any fork (the lock is held). */
static int fail_before_start(const char *message)
{
    snprintf(out.message, sizeof out.message, "%s", message);
    out.start_failed = 1;
    if (spec.run_id == NULL) {
        spec.run_id = run_name;
    }
    write_exit(0);
    fprintf(stderr, "tg-shepherd: %s\n", message);
    return LX_START_FAILED;
}

/*
 * Opens the run file and takes its lock, then reads it. Returns -1 (with a launcher exit code
 * in *code) when the run is not to be started by this launcher.
 */
static int open_run_file(struct run_contents *rc, int *code)
{
    const char *slash = strrchr(run_path, '/');
    run_name = slash + 1;
    char dir[PATH_MAX];
    if (slash == run_path) {
        snprintf(dir, sizeof dir, "/");
    } else if ((size_t)(slash - run_path) < sizeof dir) {
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - run_path), run_path);
    } else {
        fprintf(stderr, "tg-shepherd: the path %s is too long\n", run_path);
        *code = LX_USAGE;
        return -1;
    }
    if (!valid_run_id(run_name)) {
        fprintf(stderr, "tg-shepherd: %s is not a run file (its name is not a run id)\n", run_path);
        *code = LX_USAGE;
        return -1;
    }
    do {
        dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    } while (dir_fd < 0 && errno == EINTR);
    do {
        run_fd = dir_fd < 0 ? -1 : openat(dir_fd, run_name, O_RDWR | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
    } while (run_fd < 0 && errno == EINTR);
    if (run_fd < 0) {
        /* EISDIR: a run directory of the previous protocol (README.md): never started by this shepherd. */
        fprintf(stderr, "tg-shepherd: cannot open the run file %s: %s\n", run_path, strerror(errno));
        *code = LX_USAGE;
        return -1;
    }
    /* The backend probes the lock now and then (a shared lock for a moment): retry briefly. */
    int locked = 0;
    for (int attempt = 0; attempt < 50 && !locked; attempt++) {
        if (flock(run_fd, LOCK_EX | LOCK_NB) == 0) {
            locked = 1;
        } else if (errno == EWOULDBLOCK || errno == EINTR) {
            sleep_ms(2);
        } else {
            fprintf(stderr, "tg-shepherd: cannot lock %s: %s\n", run_path, strerror(errno));
            *code = LX_USAGE;
            return -1;
        }
    }
    if (!locked) {
        fprintf(stderr, "tg-shepherd: run %s already has a shepherd\n", run_path);
        *code = LX_BUSY;
        return -1;
    }
    rc->data = read_fd(run_fd, RUN_MAX_BYTES, &rc->len);
    if (rc->data == NULL) {
        fprintf(stderr, "tg-shepherd: cannot read the run file %s: %s\n", run_path, strerror(errno));
        *code = LX_USAGE;
        return -1;
    }
    if (parse_run_file(rc) < 0) {
        fprintf(stderr, "tg-shepherd: %s is not a tg-shepherd run file (version %s)\n", run_path, RUN_VERSION);
        *code = LX_USAGE;
        return -1;
    }
    if (rc->has_started || rc->has_exit) {
        fprintf(stderr, "tg-shepherd: run %s was started before; it is not started again\n", run_path);
        *code = LX_ALREADY;
        return -1;
    }
    /*
     * A record cut short, under a lock nobody held: the shepherd that wrote it died before its
     * start was committed (the started record is made durable before the go, so a record that
     * is not whole was never followed by an exec). It is cut off, and the run starts now.
     */
    if (rc->complete_len < rc->len) {
        if (ftruncate(run_fd, (off_t)rc->complete_len) < 0) {
            fprintf(stderr, "tg-shepherd: cannot cut the unfinished record off %s: %s\n", run_path, strerror(errno));
            *code = LX_USAGE;
            return -1;
        }
        note("cut off an unfinished record of %zu bytes (an earlier shepherd died before the start)",
             rc->len - rc->complete_len);
    }
    run_complete_len = (off_t)rc->complete_len;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2 || argv[1][0] != '/') {
        fprintf(stderr, "usage: tg-shepherd /absolute/path/to/run/file\n");
        return LX_USAGE;
    }
    run_path = argv[1];

    /* Nothing of toolgridd's leaks into the run. */
    if (close_range(3, ~0U, 0) < 0) {
        for (int fd = 3; fd < 1024; fd++) {
            close(fd);
        }
    }
    for (int sig = 1; sig < NSIG; sig++) {
        signal(sig, SIG_DFL);
    }
    signal(SIGPIPE, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGCHLD);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigprocmask(SIG_SETMASK, &mask, NULL);

    struct run_contents rc;
    memset(&rc, 0, sizeof rc);
    int code;
    if (open_run_file(&rc, &code) < 0) {
        return code;
    }
    char msg[MSG_MAX];
    if (!rc.has_spec) {
        return fail_before_start("the run file has no spec");
    }
    if (load_spec(&rc, msg, sizeof msg) < 0) {
        return fail_before_start(msg);
    }

    int report[2];
    if (pipe2(report, O_CLOEXEC) < 0) {
        snprintf(msg, sizeof msg, "pipe failed: %s", strerror(errno));
        return fail_before_start(msg);
    }
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(msg, sizeof msg, "fork failed: %s", strerror(errno));
        return fail_before_start(msg);
    }
    if (pid == 0) {
        /* The shepherd: its own session, no terminal, no pipe back to toolgridd; it is reparented
         * to init when the launcher exits, so nothing done to toolgridd reaches it. */
        close(report[0]);
        setsid();
        int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
        if (null_fd >= 0) {
            dup2(null_fd, STDIN_FILENO);
            dup2(null_fd, STDOUT_FILENO);
            dup2(null_fd, STDERR_FILENO);
            close(null_fd);
        }
        return shepherd(report[1]);
    }

    /* The launcher: the lock stays held by the shepherd (same open file description). */
    close(report[1]);
    char answer[MSG_MAX + 16];
    size_t got = 0;
    for (;;) {
        ssize_t n = read(report[0], answer + got, sizeof answer - 1 - got);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        got += (size_t)n;
        if (got == sizeof answer - 1) {
            break;
        }
    }
    answer[got] = '\0';
    char *detail = strchr(answer, '\n');
    if (detail != NULL) {
        *detail++ = '\0';
    }
    if (strcmp(answer, "started") == 0) {
        return LX_STARTED;
    }
    if (strcmp(answer, "waiting") == 0) {
        return LX_WAITING;
    }
    if (strcmp(answer, "failed") == 0 || strcmp(answer, "stopped") == 0) {
        fprintf(stderr, "tg-shepherd: %s\n", detail != NULL ? detail : answer);
        return LX_START_FAILED;
    }
    fprintf(stderr, "tg-shepherd: the shepherd of %s ended before it reported the start\n", run_path);
    return LX_LOST;
}
