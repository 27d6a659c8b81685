/*
 * cgroup: the run's cgroups, v2 or v1, with its limits (memory, processes, CPU), the list of the
 * processes in them, the OOM verdict, and their removal (README.md, "Cgroups"). The version is
 * detected with the same rule as the backend's Cgroups/CgroupDetector.cs.
 */
#ifndef TG_CGROUP_H
#define TG_CGROUP_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

#define MAX_CGROUP_DIRS 3

enum cgroup_mode { CG_NONE = 0, CG_V1 = 1, CG_V2 = 2 };

/* The run's cgroups: one directory on v2, one per hierarchy (pids, memory, cpu) on v1. */
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

extern struct cgroups cg;

/* Removes the run's cgroups, once they are empty (a failure is noted in RUNFILE.log). */
void cgroups_remove(void);

/* Whether the cgroup dir[index] has this file (a controller's knob, e.g. "cgroup.kill"). */
int cgroup_has(int index, const char *file);

/*
 * Detects the cgroup version (the same rule as the backend's CgroupDetector) and creates the
 * run's cgroups. Returns -1 (with msg) only for a limit that cannot be set; cgroups that cannot
 * be used at all leave the run without them, with a warning recorded in the started record.
 */
int cgroups_setup(char *msg, size_t cap);

/* The processes in the run's cgroup. Returns their count (0 when empty), or -1. */
int cgroup_pids(pid_t **pids);

/* "v2", "v1" or "none", as the records say it. */
const char *cgroup_mode_name(void);

/* Whether the kernel OOM-killed a process of the run (memory.events or memory.oom_control, oom_kill). */
int oom_killed(void);

#endif
