/*
 * spec: what to start, read from the run file's spec record (README.md, "The spec record"). The
 * backend writes it (Protocol/ShepherdSpec.cs) and has looked up the user's shell and groups: the
 * shepherd reads no user database.
 */
#ifndef TG_SPEC_H
#define TG_SPEC_H

#include <stddef.h>
#include <sys/types.h>

#include "protocol.h"

/* The run's spec, with its defaults filled in by load_spec. */
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

/* The spec of this shepherd's run. */
extern struct spec spec;

/* A decimal number, at least min. 0, or -1 when text is not one. */
int parse_number(const char *text, long long min, long long *out);

/* Whether id is a run id: 1 to 20 decimal digits (it is also the run file's name). */
int valid_run_id(const char *id);

/*
 * Reads the spec record's pairs into spec; -1 with msg when one is missing or invalid. NUL cannot occur in a command, a path, a
 * user name or an environment variable, so the format is unambiguous and needs no escaping.
 * Unknown keys are ignored; "env" repeats, one NAME=VALUE each, and so does "group" (the
 * user's supplementary groups, looked up by the backend: the shepherd reads no user database).
 */
int load_spec(const struct run_contents *rc, char *msg, size_t cap);

#endif
