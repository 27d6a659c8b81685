/*
 * job: the job process between fork and exec, and its reaping (job.h).
 */
#define _GNU_SOURCE
#include "job.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/sched.h>

#include "cgroup.h"
#include "io.h"
#include "isolation.h"
#include "protocol.h"
#include "records.h"
#include "shepherd.h"
#include "spec.h"
#include "terminal.h"

pid_t job_pid = -1;
int job_launcher_fd = -1;
int job_execed;
int job_reaped;
/* 1 when clone3 created the job inside its cgroup: it need not join it. */
static int job_joined_at_fork;

void reap(void)
{
    for (;;) {
        int status;
        pid_t pid = waitpid(-1, &status, WNOHANG);
        if (pid < 0 && errno == EINTR) {
            continue;
        }
        if (pid <= 0) {
            return;
        }
        if (pid == job_pid && !job_reaped) {
            job_reaped = 1;
            out.status_known = 1;
            out.status = status;
            out.finished_at_ns = now_ns(CLOCK_REALTIME);
        }
    }
}

__attribute__((noreturn, format(printf, 2, 3))) void report_child_failure(int fd, const char *fmt, ...)
{
    char msg[MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    (void)write_all(fd, msg, strlen(msg));
    _exit(127);
}

/* Creates the missing directories of path's parent, but only inside the home (as the tool user). */
static void make_parents_in_home(const char *path)
{
    size_t home_len = strlen(spec.home);
    while (home_len > 1 && spec.home[home_len - 1] == '/') {
        home_len--;
    }
    if (strncmp(path, spec.home, home_len) != 0 || path[home_len] != '/') {
        return;
    }
    char buf[PATH_MAX];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
        return;
    }
    char *last = strrchr(buf, '/');
    if (last == NULL || last <= buf + home_len) {
        return;
    }
    for (char *p = buf + home_len + 1; p <= last; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(buf, 0770) < 0 && errno != EEXIST) {
                return;
            }
            *p = '/';
        }
    }
}

static int open_output(const char *path)
{
    if (path[0] == '\0') {
        return open("/dev/null", O_WRONLY | O_CLOEXEC);
    }
    /* O_NONBLOCK: a FIFO without a reader fails (ENXIO) instead of blocking the start forever. */
    int flags = O_WRONLY | O_APPEND | O_CREAT | O_NOCTTY | O_CLOEXEC | O_NONBLOCK;
    /* The tool's user and group (its maintainers) may read it, nobody else (nor less, if the umask says so). */
    int fd = open(path, flags, 0660);
    if (fd < 0 && errno == ENOENT) {
        make_parents_in_home(path);
        fd = open(path, flags, 0660);
    }
    if (fd >= 0) {
        int fl = fcntl(fd, F_GETFL);
        if (fl >= 0) {
            fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
        }
    }
    return fd;
}

static char *env_entry(const char *name, const char *value)
{
    size_t len = strlen(name) + strlen(value) + 2;
    char *entry = malloc(len);
    if (entry != NULL) {
        snprintf(entry, len, "%s=%s", name, value);
    }
    return entry;
}

/* A clean login-like environment, then the spec's variables (which win). */
static char **build_environment(const char *shell)
{
    char **env = calloc(spec.env_count + 8, sizeof *env);
    if (env == NULL) {
        return NULL;
    }
    size_t n = 0;
    env[n++] = env_entry("HOME", spec.home);
    env[n++] = env_entry("USER", spec.user);
    env[n++] = env_entry("LOGNAME", spec.user);
    env[n++] = env_entry("SHELL", shell);
    env[n++] = env_entry("PATH", "/usr/local/bin:/usr/bin:/bin");
    env[n++] = env_entry("LANG", "C.UTF-8");
    for (size_t i = 0; i < spec.env_count; i++) {
        const char *entry = spec.env[i];
        size_t name_len = (size_t)(strchr(entry, '=') - entry) + 1;
        size_t j = 0;
        while (j < n && strncmp(env[j], entry, name_len) != 0) {
            j++;
        }
        env[j] = (char *)entry;
        if (j == n) {
            n++;
        }
    }
    env[n] = NULL;
    return env;
}

__attribute__((noreturn)) void job_child(int report_fd, int go_fd)
{
    for (int sig = 1; sig < NSIG; sig++) {
        signal(sig, SIG_DFL);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (setsid() < 0) {
        report_child_failure(report_fd, "setsid failed: %s", strerror(errno));
    }
    /* A held run's launcher is told "waiting" long before the exec: it must not wait for that. */
    if (spec.not_before_ns > 0 && job_launcher_fd >= 0) {
        close(job_launcher_fd);
    }
    char pid_text[32];
    snprintf(pid_text, sizeof pid_text, "%d", (int)getpid());
    for (int i = 0; i < cg.count && !job_joined_at_fork; i++) {
        char path[PATH_MAX + 32];
        snprintf(path, sizeof path, "%s/cgroup.procs", cg.dir[i]);
        if (write_text(path, pid_text) < 0) {
            report_child_failure(report_fd, "cannot join cgroup %s: %s", cg.dir[i], strerror(errno));
        }
    }
    /* Mounts need root: before the switch to the tool's user. */
    char isolation_msg[MSG_MAX];
    if (isolation_enter(&iso, isolation_msg, sizeof isolation_msg) < 0) {
        report_child_failure(report_fd, "%s", isolation_msg);
    }

    /* The same uid (single-user mode, or a tool run as the platform's own user): no switch. */
    if (spec.uid != geteuid()) {
        if (setgroups(spec.group_count, spec.groups) < 0) {
            report_child_failure(report_fd, "cannot set the groups of %s: %s", spec.user, strerror(errno));
        }
        if (setgid(spec.gid) < 0) {
            report_child_failure(report_fd, "cannot switch to group %u: %s", (unsigned)spec.gid, strerror(errno));
        }
        if (setuid(spec.uid) < 0) {
            report_child_failure(report_fd, "cannot switch to user %s (uid %u): %s", spec.user, (unsigned)spec.uid,
                                 strerror(errno));
        }
    }
    umask(spec.umask);
    if (chdir(spec.cwd) < 0) {
        report_child_failure(report_fd, "cannot change to the %s %s as %s: %s",
                             strcmp(spec.cwd, spec.home) == 0 ? "home directory" : "working directory", spec.cwd, spec.user,
                             strerror(errno));
    }

    int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (in < 0 || dup2(in, STDIN_FILENO) < 0) {
        report_child_failure(report_fd, "cannot open /dev/null: %s", strerror(errno));
    }
    int outfd = open_output(spec.stdout_path);
    if (outfd < 0) {
        report_child_failure(report_fd, "cannot open %s for writing as %s: %s", spec.stdout_path, spec.user,
                             strerror(errno));
    }
    int errfd = strcmp(spec.stdout_path, spec.stderr_path) == 0 ? outfd : open_output(spec.stderr_path);
    if (errfd < 0) {
        report_child_failure(report_fd, "cannot open %s for writing as %s: %s", spec.stderr_path, spec.user,
                             strerror(errno));
    }
    if (dup2(outfd, STDOUT_FILENO) < 0 || dup2(errfd, STDERR_FILENO) < 0) {
        report_child_failure(report_fd, "cannot redirect the output: %s", strerror(errno));
    }
    interactive_child_stdio(report_fd);

    char **env = build_environment(spec.shell);
    if (env == NULL) {
        report_child_failure(report_fd, "out of memory");
    }
    char *argv[] = {"sh", "-c", (char *)spec.command, NULL};

    /* Wait for the shepherd's "go": without it (the shepherd died, or the run was stopped
     * before it started) the command must not run, or it could run twice. */
    char go;
    ssize_t got;
    do {
        got = read(go_fd, &go, 1);
    } while (got < 0 && errno == EINTR);
    if (got != 1) {
        _exit(126);
    }
    execve("/bin/sh", argv, env);
    report_child_failure(report_fd, "cannot execute /bin/sh: %s", strerror(errno));
}

pid_t fork_job(void)
{
#ifdef CLONE_INTO_CGROUP
    if (cg.mode == CG_V2 && cg.dir_fd >= 0) {
        struct clone_args args;
        memset(&args, 0, sizeof args);
        args.flags = CLONE_INTO_CGROUP;
        args.exit_signal = SIGCHLD;
        args.cgroup = (uint64_t)cg.dir_fd;
        long pid = syscall(SYS_clone3, &args, sizeof args);
        if (pid >= 0) {
            job_joined_at_fork = 1;
            return (pid_t)pid;
        }
        note("clone3 into %s failed (%s): forking and joining it instead", cg.dir[0], strerror(errno));
    }
#endif
    return fork();
}
