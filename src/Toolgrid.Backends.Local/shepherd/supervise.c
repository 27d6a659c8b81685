/*
 * supervise: the running command's timeout, stops and their grace periods (supervise.h).
 */
#define _GNU_SOURCE
#include "supervise.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "fence.h"
#include "io.h"
#include "job.h"
#include "protocol.h"
#include "records.h"
#include "spec.h"
#include "terminal.h"

int stop_signalled(int sig_fd)
{
    struct signalfd_siginfo info;
    int stop = 0;
    while (read(sig_fd, &info, sizeof info) == (ssize_t)sizeof info) {
        stop |= info.ssi_signo != SIGCHLD;
    }
    return stop;
}

/* The grace period of the latest stop request (RUNFILE.stop), or the spec's. */
static long long stop_grace_ms(void)
{
    char name[64];
    sibling_name(name, sizeof name, "stop");
    char *text = read_file_at(dir_fd, name, 64, NULL);
    long long grace;
    if (text != NULL) {
        text[strcspn(text, "\n")] = '\0';
    }
    int ok = text != NULL && parse_number(text, 0, &grace) == 0;
    free(text);
    return ok ? grace : spec.grace_ms;
}

void supervise(int sig_fd, long long started_mono)
{
    long long timeout_at = spec.timeout_ms > 0 ? started_mono + spec.timeout_ms : -1;
    long long kill_at = -1;
    int killed = 0;
    while (!job_reaped) {
        long long now = monotonic_ms();
        if (timeout_at >= 0 && now >= timeout_at && kill_at < 0) {
            out.timed_out = 1;
            snprintf(out.message, sizeof out.message, "ran past its timeout of %lld.%03lld s and was stopped",
                     spec.timeout_ms / 1000, spec.timeout_ms % 1000);
            signal_run(SIGTERM);
            kill_at = now + spec.grace_ms;
        }
        if (kill_at >= 0 && now >= kill_at && !killed) {
            kill_run();
            killed = 1;
        }
        long long wake = -1;
        if (timeout_at >= 0 && kill_at < 0) {
            wake = timeout_at;
        }
        if (kill_at >= 0 && !killed) {
            wake = kill_at;
        }
        int wait_ms = wake < 0 ? -1 : (int)(wake > now ? (wake - now > INT_MAX ? INT_MAX : wake - now) : 0);
        struct pollfd pfd = {.fd = sig_fd, .events = POLLIN};
        int ready = interactive_poll(&pfd, wait_ms);
        if (ready < 0 && errno != EINTR) {
            note("poll failed: %s", strerror(errno));
            sleep_ms(10);
        }
        struct signalfd_siginfo info;
        while (read(sig_fd, &info, sizeof info) == (ssize_t)sizeof info) {
            if (info.ssi_signo == SIGCHLD) {
                continue;
            }
            /* SIGTERM/SIGINT: a graceful stop. A later stop may shorten the grace, never lengthen it. */
            long long grace = stop_grace_ms();
            long long at = monotonic_ms() + grace;
            if (!out.stopped && !out.timed_out) {
                out.stopped = 1;
                snprintf(out.message, sizeof out.message, "stopped");
            }
            if (kill_at < 0 || at < kill_at) {
                if (kill_at < 0) {
                    signal_run(SIGTERM);
                }
                kill_at = at;
            }
        }
        reap();
        if (interactive_hung_up() && kill_at < 0) {
            /* The session's terminal went away: SIGHUP was sent; the grace period of a stop follows. */
            kill_at = monotonic_ms() + spec.grace_ms;
        }
    }
}
