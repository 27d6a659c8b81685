/*
 * shepherd: one run from its set-up to its exit record (shepherd.h).
 */
#define _GNU_SOURCE
#include "shepherd.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "fence.h"
#include "held.h"
#include "io.h"
#include "job.h"
#include "protocol.h"
#include "records.h"
#include "spec.h"
#include "supervise.h"
#include "terminal.h"

struct isolation iso;

/* Once no process of the run is left: its cgroups and its private directories go. */
static void release_run(void)
{
    cgroups_remove();
    char msg[MSG_MAX];
    if (isolation_remove(&iso, msg, sizeof msg) < 0) {
        note("%s", msg);
    }
}

int shepherd(int launcher_fd)
{
    /* Signals arrive through a signalfd: no handlers, no races with waitpid. */
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGCHLD);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    int sig_fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
    if (sig_fd < 0) {
        snprintf(out.message, sizeof out.message, "signalfd failed: %s", strerror(errno));
        out.start_failed = 1;
        write_exit(0);
        tell_launcher(launcher_fd, "failed", out.message);
        return 1;
    }
    /* Orphans of the job come to the shepherd, not to (a slow) init: it reaps them at once. */
    prctl(PR_SET_CHILD_SUBREAPER, 1);

    char msg[MSG_MAX] = "";
    if (cgroups_setup(msg, sizeof msg) < 0) {
        snprintf(out.message, sizeof out.message, "%s", msg);
        out.start_failed = 1;
        cgroups_remove();
        write_exit(0);
        tell_launcher(launcher_fd, "failed", out.message);
        return 1;
    }
    if (cg.warning[0] != '\0') {
        note("%s", cg.warning);
    }

    if (interactive_setup(launcher_fd, msg, sizeof msg) < 0) {
        snprintf(out.message, sizeof out.message, "%s", msg);
        out.start_failed = 1;
        interactive_unlisten();
        cgroups_remove();
        write_exit(0);
        tell_launcher(launcher_fd, "failed", out.message);
        return 1;
    }

    if (isolation_prepare(&iso, spec.isolation_wanted, spec.run_id, spec.home, msg, sizeof msg) < 0) {
        snprintf(out.message, sizeof out.message, "%s", msg);
        out.start_failed = 1;
        interactive_unlisten();
        release_run();
        write_exit(0);
        tell_launcher(launcher_fd, "failed", out.message);
        return 1;
    }
    if (iso.warning[0] != '\0') {
        note("%s", iso.warning);
    }

    int report[2], go[2];
    if (pipe2(report, O_CLOEXEC) < 0 || pipe2(go, O_CLOEXEC) < 0) {
        snprintf(out.message, sizeof out.message, "pipe failed: %s", strerror(errno));
        out.start_failed = 1;
        release_run();
        write_exit(0);
        tell_launcher(launcher_fd, "failed", out.message);
        return 1;
    }
    long long started_at_ns = now_ns(CLOCK_REALTIME);
    job_launcher_fd = launcher_fd;
    job_pid = fork_job();
    if (job_pid < 0) {
        snprintf(out.message, sizeof out.message, "fork failed: %s", strerror(errno));
        out.start_failed = 1;
        release_run();
        write_exit(0);
        tell_launcher(launcher_fd, "failed", out.message);
        return 1;
    }
    if (job_pid == 0) {
        close(report[0]);
        close(go[1]);
        job_child(report[1], go[0]);
    }
    close(report[1]);
    close(go[0]);
    interactive_after_fork();
    int due = 1;
    if (spec.not_before_ns > 0 && now_ns(CLOCK_REALTIME) < spec.not_before_ns) {
        due = hold_until_due(sig_fd, report[0], &launcher_fd);
        /* The command is let go now: that is when it starts (and its timeout counts from). */
        started_at_ns = now_ns(CLOCK_REALTIME);
    }
    long long started_mono = monotonic_ms();

    /*
     * The commit point of "started at most once": the started record is on disk before the
     * exec, and so is the run file's name (fsync of the run directory: the backend renamed the
     * file into place without one). After a crash, a launcher finds it and starts nothing.
     */
    static struct record r;
    record_open(&r, "started");
    record_add(&r, "run_id", spec.run_id);
    record_addf(&r, "pid", "%d", (int)job_pid);
    record_addf(&r, "started_at_ns", "%lld", started_at_ns);
    record_add_shepherd(&r);
    record_add(&r, "warning", cg.warning);
    off_t before = run_complete_len;
    if (!due) {
        /* Ended while held (stopped, or the job process failed): nothing ran, no started record. */
        close(go[1]);
    } else if (record_append(&r, 1) < 0 || fsync(dir_fd) < 0) {
        out.no_space = no_space_left(errno, before);
        snprintf(out.message, sizeof out.message, "cannot write the started record to %s: %s", run_path, strerror(errno));
        close(go[1]);
        out.start_failed = 1;
    } else if (sibling_exists("stop")) {
        /* Stopped between the spawn and now (the backend writes RUNFILE.stop before it looks for us). */
        close(go[1]);
        out.stopped = 1;
        snprintf(out.message, sizeof out.message, "stopped before it started");
    } else if (interactive_requested() && !interactive_attached(sig_fd, report[0], &launcher_fd, started_mono)) {
        /* An interactive run that ends before its attach: its command never runs. */
        close(go[1]);
    } else {
        char word = 'g';
        if (write_all(go[1], &word, 1) < 0) {
            snprintf(out.message, sizeof out.message, "the job process ended before it could start");
            out.start_failed = 1;
        }
        close(go[1]);
    }

    /* EOF: the exec happened. Bytes: the child's reason for failing to start. */
    char failure[MSG_MAX] = "";
    size_t got = 0;
    for (;;) {
        ssize_t n = read(report[0], failure + got, sizeof failure - 1 - got);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        got += (size_t)n;
        if (got == sizeof failure - 1) {
            break;
        }
    }
    failure[got] = '\0';
    close(report[0]);

    if (got > 0 || out.start_failed || out.stopped) {
        if (got > 0) {
            snprintf(out.message, sizeof out.message, "%s", failure);
            out.start_failed = 1;
        }
        while (waitpid(job_pid, NULL, 0) < 0 && errno == EINTR) {
        }
        job_reaped = 1;
        kill_run();
        release_run();
        if (out.no_space && got == 0 && !out.stopped) {
            /* Nothing of the start is in the run file and nothing ran: it did not happen, and the
             * backend starts it again once there is space. An exit record would not fit anyway. */
            tell_launcher(launcher_fd, "nospace", out.message);
            return 0;
        }
        write_exit(started_at_ns);
        notify("exited");
        tell_launcher(launcher_fd, out.stopped ? "stopped" : "failed", out.message);
        return 0;
    }

    job_execed = 1;
    notify("started");
    tell_launcher(launcher_fd, "started", "");

    supervise(sig_fd, started_mono);

    /* The job's main process has ended: whatever it left behind goes with it (like systemd's
     * KillMode=control-group), so a daemonized child never outlives its run. */
    kill_run();
    out.oom = oom_killed();
    if (out.oom && out.message[0] == '\0') {
        snprintf(out.message, sizeof out.message, "went over its memory limit of %lld bytes and was killed",
                 spec.memory_bytes);
    }
    release_run();
    write_exit(started_at_ns);
    notify("exited");
    return 0;
}
