/*
 * isolation: a run's own view of /proc, /tmp, /var/tmp and /dev/shm (isolation.h, README.md).
 */
#define _GNU_SOURCE
#include "isolation.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

/* The directories each run gets a private one of, in the order they are mounted. */
static const char *const private_dirs[ISOLATION_MAX_TMP] = {"/tmp", "/var/tmp"};

/* 1 when path is dir or inside it (both real paths). */
static int inside(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/' || (n == 1 && dir[0] == '/'));
}

/* A directory of the host that the run gets a private one of: a real directory, not a link. */
static int is_real_directory(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int isolation_prepare(struct isolation *iso, int wanted, const char *run_id, const char *home, char *msg, size_t cap)
{
    memset(iso, 0, sizeof *iso);
    if (!wanted) {
        snprintf(iso->warning, sizeof iso->warning,
                 "run isolation is turned off in the configuration: runs see every process of the host and share /tmp");
        return 0;
    }
    if (geteuid() != 0) {
        snprintf(iso->warning, sizeof iso->warning,
                 "the shepherd does not run as root: runs see every process of the host and share /tmp");
        return 0;
    }

    /* A home in there would be hidden from its own run by the private directory. */
    char real_home[PATH_MAX];
    if (realpath(home, real_home) != NULL) {
        for (int i = 0; i < ISOLATION_MAX_TMP; i++) {
            char real_dir[PATH_MAX];
            if (realpath(private_dirs[i], real_dir) != NULL && inside(real_home, real_dir)) {
                snprintf(msg, cap,
                         "the home %s is inside %s, which every run gets a private one of, so the run could not see it: "
                         "put the data root (Toolgrid:DataRoot) outside /tmp and /var/tmp",
                         home, private_dirs[i]);
                return -1;
            }
        }
    }

    iso->enabled = 1;
    for (int i = 0; i < ISOLATION_MAX_TMP; i++) {
        /* /var/tmp may be missing, or a link to /tmp (then it shows the run's /tmp). */
        if (!is_real_directory(private_dirs[i])) {
            continue;
        }
        char *parent = iso->tmp_parent[iso->tmp_count];
        snprintf(parent, PATH_MAX, "%s/toolgrid-run-%s-XXXXXX", private_dirs[i], run_id);
        /* mkdtemp makes it 0700, owned by root: nobody but root gets into it from the host. */
        if (mkdtemp(parent) == NULL) {
            snprintf(msg, cap, "cannot make the run's private %s (mkdtemp %s): %s", private_dirs[i], parent, strerror(errno));
            parent[0] = '\0';
            return -1;
        }
        iso->tmp_target[iso->tmp_count++] = private_dirs[i];
        char dir[PATH_MAX + 8];
        snprintf(dir, sizeof dir, "%s/tmp", parent);
        if (mkdir(dir, 0700) < 0 || chmod(dir, 01777) < 0) {
            snprintf(msg, cap, "cannot make the run's private %s (%s): %s", private_dirs[i], dir, strerror(errno));
            return -1;
        }
    }
    return 0;
}

static int mount_failed(const char *what, char *msg, size_t cap)
{
    snprintf(msg, cap,
             "cannot give the run its own %s: %s (set Toolgrid:Local:IsolateRuns to false to run without a private /proc and /tmp)",
             what, strerror(errno));
    return -1;
}

int isolation_enter(const struct isolation *iso, char *msg, size_t cap)
{
    if (!iso->enabled) {
        return 0;
    }
    if (unshare(CLONE_NEWNS) < 0) {
        return mount_failed("mount namespace (unshare)", msg, cap);
    }
    /* A slave: the host's later mounts still reach the run; nothing mounted here goes back. */
    if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0) {
        return mount_failed("mount namespace (making / a slave)", msg, cap);
    }

    /*
     * A new procfs instance (Linux >= 5.8 gives every mount its own options): the run's user sees
     * only the processes it may ptrace, its own. An older kernel refuses "invisible"; there all
     * procfs mounts of the PID namespace share their options, so hidepid=2 applies to the host's
     * /proc too (root and toolgridd still see everything).
     */
    unsigned long proc_flags = MS_NOSUID | MS_NODEV | MS_NOEXEC;
    if (mount("proc", "/proc", "proc", proc_flags, "hidepid=invisible") < 0 &&
        (errno != EINVAL || mount("proc", "/proc", "proc", proc_flags, "hidepid=2") < 0)) {
        return mount_failed("/proc (hidepid=invisible)", msg, cap);
    }

    for (int i = 0; i < iso->tmp_count; i++) {
        char source[PATH_MAX + 8], what[64];
        snprintf(source, sizeof source, "%s/tmp", iso->tmp_parent[i]);
        snprintf(what, sizeof what, "%s (bind mount)", iso->tmp_target[i]);
        if (mount(source, iso->tmp_target[i], NULL, MS_BIND, NULL) < 0 ||
            mount(NULL, iso->tmp_target[i], NULL, MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV, NULL) < 0) {
            return mount_failed(what, msg, cap);
        }
    }

    /* POSIX shared memory is a world-writable tmpfs too: a fresh one, gone with the namespace. */
    if (is_real_directory("/dev/shm") &&
        mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777") < 0) {
        return mount_failed("/dev/shm (tmpfs)", msg, cap);
    }
    return 0;
}

/*
 * Removes every entry of the directory open as fd but one subdirectory that is not empty, whose
 * name goes to sub. Returns 1 with sub, 0 when the directory is empty now, -1 (errno) on failure.
 */
static int empty_entries(int fd, dev_t device, char *sub)
{
    int scan = dup(fd);
    DIR *dir = scan < 0 ? NULL : fdopendir(scan);
    if (dir == NULL) {
        if (scan >= 0) {
            close(scan);
        }
        return -1;
    }
    int rc = 0;
    struct dirent *entry;
    errno = 0;
    while (rc == 0 && (entry = readdir(dir)) != NULL) {
        const char *name = entry->d_name;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
            continue;
        }
        struct stat st;
        if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
            rc = errno == ENOENT ? 0 : -1;
            continue;
        }
        if (!S_ISDIR(st.st_mode)) {
            rc = unlinkat(fd, name, 0) < 0 && errno != ENOENT ? -1 : 0;
        } else if (st.st_dev != device) {
            /* Nothing is mounted in there from the host's side; refuse to cross into one. */
            errno = EXDEV;
            rc = -1;
        } else if (unlinkat(fd, name, AT_REMOVEDIR) < 0 && errno != ENOENT) {
            if (errno != ENOTEMPTY && errno != EEXIST) {
                rc = -1;
            } else {
                snprintf(sub, NAME_MAX + 1, "%s", name);
                rc = 1;
            }
        }
        errno = 0;
    }
    int saved = errno;
    closedir(dir);
    errno = saved;
    return rc;
}

/*
 * rm -r without following links and without a descriptor per level: it goes down into one
 * subdirectory at a time and back up through "..", which nobody can change meanwhile (the run's
 * processes are gone, and the parent is root's, 0700). Depth and path length do not matter.
 */
static int remove_tree(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        return errno == ENOENT ? 0 : -1;
    }
    struct stat top;
    if (fstat(fd, &top) < 0) {
        close(fd);
        return -1;
    }
    long depth = 0;
    for (;;) {
        char sub[NAME_MAX + 1];
        int rc = empty_entries(fd, top.st_dev, sub);
        int next = -1;
        if (rc == 1) {
            next = openat(fd, sub, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            depth++;
        } else if (rc == 0 && depth > 0) {
            /* Empty now: back up; the parent's next pass removes it. */
            next = openat(fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            depth--;
        } else if (rc == 0) {
            close(fd);
            return rmdir(path) < 0 && errno != ENOENT ? -1 : 0;
        }
        int saved = errno;
        close(fd);
        if (next < 0) {
            errno = saved;
            return -1;
        }
        fd = next;
    }
}

int isolation_remove(struct isolation *iso, char *msg, size_t cap)
{
    int rc = 0;
    for (int i = 0; i < iso->tmp_count; i++) {
        if (iso->tmp_parent[i][0] != '\0' && remove_tree(iso->tmp_parent[i]) < 0) {
            snprintf(msg, cap, "cannot remove the run's private %s (%s): %s", iso->tmp_target[i], iso->tmp_parent[i],
                     strerror(errno));
            rc = -1;
        }
    }
    iso->tmp_count = 0;
    return rc;
}
