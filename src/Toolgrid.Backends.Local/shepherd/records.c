/*
 * records: the shepherd's own fields of the waiting and started records, and the exit record
 * (records.h).
 */
#define _GNU_SOURCE
#include "records.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.h"
#include "job.h"
#include "shepherd.h"
#include "spec.h"

struct outcome out;

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

void record_add_shepherd(struct record *r)
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

void write_exit(long long started_at_ns)
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
