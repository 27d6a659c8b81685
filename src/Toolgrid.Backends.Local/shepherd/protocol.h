/*
 * protocol: the run file and the shepherd's other channels to the backend (README.md, "The run
 * file").
 *
 * The run file, <RunDirectory>/<runId>, is a header (magic, protocol version) and records, each a
 * list of NUL-terminated key/value pairs opened with (kind, version) and closed with ("end",
 * kind); a record without its closing pair is not written (yet). The backend writes the spec
 * record (whole, before the file gets its name); the shepherd appends "waiting", "started" and,
 * at the end, "exit", each in one write to the file opened O_APPEND, under the exclusive flock it
 * holds on the file for its whole life. Beside the file: RUNFILE.stop (the backend's stop
 * request), RUNFILE.log (the shepherd's diagnostics). Besides the file: a datagram to the notify
 * socket at each change, and the launcher's exit code.
 */
#ifndef TG_PROTOCOL_H
#define TG_PROTOCOL_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

#include "cgroup.h"
#include "io.h"
#include "isolation.h"

/* The launcher's exit codes, read by the backend (Protocol/LaunchOutcome.cs). */
enum launcher_exit {
    /* The command was started. */
    LX_STARTED = 0,
    /* The start failed: the run file's exit record says why; so does standard error. */
    LX_START_FAILED = 1,
    /* Usage error, or the run file cannot be used. */
    LX_USAGE = 2,
    /* Another shepherd holds the run's lock. */
    LX_BUSY = 3,
    /* The run was started before (the run file has a started or an exit record): not started again. */
    LX_ALREADY = 4,
    /* The shepherd ended before it reported. */
    LX_LOST = 5,
    /* The run is set up and held until its not_before (held.h): its shepherd gives the go then. */
    LX_WAITING = 6,
    /* The start's record did not fit on the disk: nothing of the start is in the run file and
     * nothing ran (no exit record); the backend starts it again once there is space. */
    LX_NO_SPACE = 7,
};

/* The run file: its path (the shepherd's argument), and its name in the run directory. */
extern const char *run_path;
extern const char *run_name;
/* The run directory, open: the files beside the run file are opened from it. */
extern int dir_fd;
/* Where the complete records end: a record that cannot be written whole is cut back to it. */
extern off_t run_complete_len;

/* A file beside the run file, named "<runId>.<suffix>" (the stop request, the diagnostics). */
void sibling_name(char *buf, size_t cap, const char *suffix);

/* Whether "<runId>.<suffix>" exists (e.g. "stop": a stop was requested). */
int sibling_exists(const char *suffix);

/* Diagnostics go to RUNFILE.log, opened on first use (a healthy run writes nothing). */
__attribute__((format(printf, 1, 2))) void note(const char *fmt, ...);

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

/* Adds a pair; one that does not fit is dropped (room is always kept for the closing pair). */
void record_add(struct record *r, const char *key, const char *value);

/* Adds a pair whose value is formatted (a number: at most 63 bytes). */
__attribute__((format(printf, 3, 4))) void record_addf(struct record *r, const char *key, const char *fmt, ...);

/* Starts a record of kind ("waiting", "started", "exit") with its version. */
void record_open(struct record *r, const char *kind);

/*
 * Closes the record and appends it to the run file in one write (the file is O_APPEND and the
 * shepherd holds its lock: nobody else writes it meanwhile). Durable: fdatasync'd. A write cut
 * short (a crash, a SIGKILL) leaves a record without its closing pair, which readers ignore.
 */
int record_append(struct record *r, int durable);

/* Whether a record_append that failed with errno saved did so for lack of space, leaving none of
 * the record in the file (it was cut off; a record written whole whose fdatasync failed stays). */
int no_space_left(int saved, off_t before);

/* The token (NUL-terminated) at *pos, or NULL when the data ends before its NUL. */
const char *next_token(const char *data, size_t len, size_t *pos);

/* What the run file holds: its complete records, and where the complete part ends. */
struct run_contents {
    char *data;
    size_t len;
    size_t complete_len;
    int has_spec, has_started, has_exit;
    /* The spec record's pairs: data[spec_begin, spec_end). */
    size_t spec_begin, spec_end;
};

/* Sends "<word> <runId>" ("waiting", "started", "exited") to the spec's notify socket, a datagram,
 * best effort: toolgridd rescans the run directory anyway. */
void notify(const char *word);

/* The shepherd's answer to the launcher, on its pipe, which it then closes: "started", "waiting",
 * "nospace", "failed" or "stopped", a newline and a message. EOF without an answer: the shepherd
 * ended first (LX_LOST). */
void tell_launcher(int fd, const char *word, const char *message);

/*
 * Opens the run file and takes its lock, then reads it. Returns -1 (with a launcher exit code
 * in *code) when the run is not to be started by this launcher.
 */
int open_run_file(struct run_contents *rc, int *code);

#endif
