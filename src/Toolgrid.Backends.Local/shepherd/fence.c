/*
 * fence: signalling and killing the run's processes (fence.h).
 */
#define _GNU_SOURCE
#include "fence.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup.h"
#include "io.h"
#include "job.h"
#include "protocol.h"

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

void signal_run(int sig)
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

void kill_run(void)
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
