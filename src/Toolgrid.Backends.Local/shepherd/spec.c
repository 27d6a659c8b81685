/*
 * spec: the spec record's pairs, checked and with their defaults (spec.h).
 */
#define _GNU_SOURCE
#include "spec.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "terminal.h"

#define MAX_GROUPS 65536

struct spec spec;

int parse_number(const char *text, long long min, long long *out)
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

int valid_run_id(const char *id)
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

int load_spec(const struct run_contents *rc, char *msg, size_t cap)
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
