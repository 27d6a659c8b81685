/*
 * protocol: the run file's records, its lock, the files beside it, the notify socket and the
 * launcher's pipe (protocol.h, README.md).
 */
#define _GNU_SOURCE
#include "protocol.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "spec.h"

#define RUN_MAGIC "tg-shepherd-run"
#define RUN_VERSION "2"
#define RECORD_VERSION "1"
#define RUN_MAX_BYTES (4 * 1024 * 1024)

const char *run_path;
const char *run_name;
int dir_fd = -1;
off_t run_complete_len;
/* The run file, opened O_APPEND: records are only ever added at its end. */
static int run_fd = -1;
/* RUNFILE.log, once something was noted. */
static int log_fd = -1;

void sibling_name(char *buf, size_t cap, const char *suffix)
{
    snprintf(buf, cap, "%s.%s", run_name, suffix);
}

int sibling_exists(const char *suffix)
{
    char name[64];
    sibling_name(name, sizeof name, suffix);
    struct stat st;
    return fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

__attribute__((format(printf, 1, 2))) void note(const char *fmt, ...)
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

void record_add(struct record *r, const char *key, const char *value)
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

__attribute__((format(printf, 3, 4))) void record_addf(struct record *r, const char *key, const char *fmt, ...)
{
    char value[64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(value, sizeof value, fmt, ap);
    va_end(ap);
    record_add(r, key, value);
}

void record_open(struct record *r, const char *kind)
{
    r->len = 0;
    r->overflow = 0;
    r->kind = kind;
    record_add(r, kind, RECORD_VERSION);
}

int record_append(struct record *r, int durable)
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

int no_space_left(int saved, off_t before)
{
    return (saved == ENOSPC || saved == EDQUOT) && run_complete_len == before;
}

const char *next_token(const char *data, size_t len, size_t *pos)
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

void notify(const char *word)
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

void tell_launcher(int fd, const char *word, const char *message)
{
    if (fd < 0) {
        return;
    }
    char buf[MSG_MAX + 16];
    int n = snprintf(buf, sizeof buf, "%s\n%s", word, message);
    (void)write_all(fd, buf, n < (int)sizeof buf ? (size_t)n : sizeof buf - 1);
    close(fd);
}

int open_run_file(struct run_contents *rc, int *code)
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
