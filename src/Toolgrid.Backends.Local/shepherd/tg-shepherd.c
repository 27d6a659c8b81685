/*
 * tg-shepherd: the per-run shepherd of Toolgrid's local backend.
 *
 * One shepherd per run, in the pattern of sge_shepherd, slurmstepd and containerd-shim: it is
 * the parent of the run's command, puts it in its own cgroup(s) with the run's limits, starts it
 * as the tool's Unix user, enforces its timeout, stops it on request, and keeps its exit on disk.
 * It outlives toolgridd: a restart (or a SIGKILL) of toolgridd never touches a run.
 *
 * Usage: tg-shepherd RUNFILE        (absolute: <RunDirectory>/<runId>)
 *
 * The process toolgridd starts is the *launcher* (this file): it takes the run's lock, reads the
 * spec, forks the real shepherd (shepherd.h; in a new session, soon reparented to init), waits
 * until the shepherd says the command runs (or could not be started), and exits with one of the
 * codes of protocol.h (enum launcher_exit).
 *
 * The run file, and the order in which it is written, are described in README.md, beside this
 * file, which also says which file holds what. The one guarantee that matters, "a run is started
 * at most once", rests on two facts: every start happens under an exclusive flock on the run
 * file, and the command is only exec'd after the started record is on disk, with the file's name
 * (a launcher that finds a complete started or exit record never starts the run again).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "io.h"
#include "protocol.h"
#include "records.h"
#include "shepherd.h"
#include "spec.h"

/* Appends the exit record for a start that failed before any fork (the lock is held). */
static int fail_before_start(const char *message)
{
    snprintf(out.message, sizeof out.message, "%s", message);
    out.start_failed = 1;
    if (spec.run_id == NULL) {
        spec.run_id = run_name;
    }
    write_exit(0);
    fprintf(stderr, "tg-shepherd: %s\n", message);
    return LX_START_FAILED;
}

int main(int argc, char **argv)
{
    if (argc != 2 || argv[1][0] != '/') {
        fprintf(stderr, "usage: tg-shepherd /absolute/path/to/run/file\n");
        return LX_USAGE;
    }
    run_path = argv[1];

    /* Nothing of toolgridd's leaks into the run. */
    if (close_range(3, ~0U, 0) < 0) {
        for (int fd = 3; fd < 1024; fd++) {
            close(fd);
        }
    }
    for (int sig = 1; sig < NSIG; sig++) {
        signal(sig, SIG_DFL);
    }
    signal(SIGPIPE, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGCHLD);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigprocmask(SIG_SETMASK, &mask, NULL);

    struct run_contents rc;
    memset(&rc, 0, sizeof rc);
    int code;
    if (open_run_file(&rc, &code) < 0) {
        return code;
    }
    char msg[MSG_MAX];
    if (!rc.has_spec) {
        return fail_before_start("the run file has no spec");
    }
    if (load_spec(&rc, msg, sizeof msg) < 0) {
        return fail_before_start(msg);
    }

    int report[2];
    if (pipe2(report, O_CLOEXEC) < 0) {
        snprintf(msg, sizeof msg, "pipe failed: %s", strerror(errno));
        return fail_before_start(msg);
    }
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(msg, sizeof msg, "fork failed: %s", strerror(errno));
        return fail_before_start(msg);
    }
    if (pid == 0) {
        /* The shepherd: its own session, no terminal, no pipe back to toolgridd; it is reparented
         * to init when the launcher exits, so nothing done to toolgridd reaches it. */
        close(report[0]);
        setsid();
        int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
        if (null_fd >= 0) {
            dup2(null_fd, STDIN_FILENO);
            dup2(null_fd, STDOUT_FILENO);
            dup2(null_fd, STDERR_FILENO);
            close(null_fd);
        }
        return shepherd(report[1]);
    }

    /* The launcher: the lock stays held by the shepherd (same open file description). */
    close(report[1]);
    char answer[MSG_MAX + 16];
    size_t got = 0;
    for (;;) {
        ssize_t n = read(report[0], answer + got, sizeof answer - 1 - got);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        got += (size_t)n;
        if (got == sizeof answer - 1) {
            break;
        }
    }
    answer[got] = '\0';
    char *detail = strchr(answer, '\n');
    if (detail != NULL) {
        *detail++ = '\0';
    }
    if (strcmp(answer, "started") == 0) {
        return LX_STARTED;
    }
    if (strcmp(answer, "waiting") == 0) {
        return LX_WAITING;
    }
    if (strcmp(answer, "nospace") == 0) {
        fprintf(stderr, "tg-shepherd: %s\n", detail != NULL ? detail : answer);
        return LX_NO_SPACE;
    }
    if (strcmp(answer, "failed") == 0 || strcmp(answer, "stopped") == 0) {
        fprintf(stderr, "tg-shepherd: %s\n", detail != NULL ? detail : answer);
        return LX_START_FAILED;
    }
    fprintf(stderr, "tg-shepherd: the shepherd of %s ended before it reported the start\n", run_path);
    return LX_LOST;
}
