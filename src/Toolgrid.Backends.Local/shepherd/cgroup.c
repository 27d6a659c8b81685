/*
 * cgroup: the run's cgroups, v2 and v1 (cgroup.h).
 */
#define _GNU_SOURCE
#include "cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io.h"
#include "protocol.h"
#include "spec.h"

/* Overridable only to exercise the v2 code on a v1 host (see README.md, "Testing the v2 path"). */
#ifndef CGROUP_ROOT
#define CGROUP_ROOT "/sys/fs/cgroup"
#endif

struct cgroups cg = {.memory = -1, .pids = -1, .cpu = -1, .dir_fd = -1};

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

void cgroups_remove(void)
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
    /* why can hold a path: a longer warning is cut short, on purpose. GCC 12 says so once this is
     * inlined into a caller whose why is a path-sized buffer. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-truncation"
    snprintf(cg.warning, sizeof cg.warning, "%s: runs have no memory/CPU/process limits", why);
#pragma GCC diagnostic pop
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

int cgroup_has(int index, const char *file)
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

int cgroups_setup(char *msg, size_t cap)
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

int cgroup_pids(pid_t **pids)
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

const char *cgroup_mode_name(void)
{
    return cg.mode == CG_V2 ? "v2" : cg.mode == CG_V1 ? "v1" : "none";
}

int oom_killed(void)
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
