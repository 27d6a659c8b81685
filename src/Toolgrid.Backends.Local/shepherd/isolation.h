/*
 * isolation: what a run sees of the host besides its own files (see README.md, "Isolation").
 *
 * Each run gets a mount namespace of its own, a slave of the host's (mounts of the host still
 * reach it; nothing it mounts goes back): a new procfs instance on /proc with hidepid=invisible
 * (a run sees only the processes its user may ptrace: its tool's own), a private /tmp and
 * /var/tmp (a directory per run, 01777, inside a root-only 0700 parent on the host, bind-mounted
 * over them, like systemd's PrivateTmp) and a fresh tmpfs on /dev/shm. Host PIDs are kept: there
 * is no PID namespace, so a job is never PID 1 and SIGTERM means what it means elsewhere.
 *
 * The shepherd (root) makes the directories before it forks the job (isolation_prepare), the job
 * process enters the namespace and mounts as root before it drops to the tool's user
 * (isolation_enter), and the shepherd removes the directories once every process of the run is
 * gone (isolation_remove). Without root, or when the spec turns it off, nothing of this happens
 * and the run sees the host's /proc and /tmp.
 */
#ifndef TG_ISOLATION_H
#define TG_ISOLATION_H

#include <limits.h>
#include <stddef.h>

#define ISOLATION_MAX_TMP 2

struct isolation {
    /* 1 when the run gets its own mount namespace. */
    int enabled;
    int tmp_count;
    /* Where each private directory is mounted in the run ("/tmp", "/var/tmp"), and its root-only
     * parent on the host ("/tmp/toolgrid-run-<id>-XXXXXX"), which holds it as "tmp". */
    const char *tmp_target[ISOLATION_MAX_TMP];
    char tmp_parent[ISOLATION_MAX_TMP][PATH_MAX];
    /* Why the run is not isolated, when so. */
    char warning[256];
};

/*
 * In the shepherd, before the fork: decides whether the run is isolated (wanted by the spec, and
 * the shepherd is root) and makes its private directories. -1 with msg when the run cannot be
 * started: its home is inside /tmp or /var/tmp (which the run would not see), or a directory
 * cannot be made.
 */
int isolation_prepare(struct isolation *iso, int wanted, const char *run_id, const char *home, char *msg, size_t cap);

/* In the job process, as root, before it drops privileges: the namespace and the mounts. -1 with msg. */
int isolation_enter(const struct isolation *iso, char *msg, size_t cap);

/*
 * In the shepherd, once no process of the run is left: removes the private directories (and all
 * that the run left in them) without following a link. -1 with msg when something stays.
 */
int isolation_remove(struct isolation *iso, char *msg, size_t cap);

#endif
