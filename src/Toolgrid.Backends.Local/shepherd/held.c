/*
 * held: the wait of a run held until its due time (held.h).
 */
#define _GNU_SOURCE
#include "held.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "io.h"
#include "job.h"
#include "protocol.h"
#include "records.h"
#include "spec.h"
#include "supervise.h"

int hold_until_due(int sig_fd, int report_fd, int *launcher_fd)
{
    static struct record r;
    record_open(&r, "waiting");
    record_add(&r, "run_id", spec.run_id);
    record_addf(&r, "pid", "%d", (int)job_pid);
    record_addf(&r, "not_before_ns", "%lld", spec.not_before_ns);
    record_add_shepherd(&r);
    off_t before = run_complete_len;
    if (record_append(&r, 0) < 0) {
        out.no_space = no_space_left(errno, before);
        snprintf(out.message, sizeof out.message, "cannot write the waiting record to %s: %s", run_path, strerror(errno));
        out.start_failed = 1;
        return 0;
    }
    notify("waiting");
    tell_launcher(*launcher_fd, "waiting", "");
    *launcher_fd = -1;
    /* The backend writes RUNFILE.stop before it looks for the waiting record: one sees the other. */
    if (sibling_exists("stop")) {
        out.stopped = 1;
        snprintf(out.message, sizeof out.message, "stopped before it started");
        return 0;
    }
    for (;;) {
        long long left = spec.not_before_ns - now_ns(CLOCK_REALTIME);
        if (left <= 0) {
            return 1;
        }
        /* At most a second at a time: a step of the realtime clock is followed within it. */
        if (left > 1000000000LL) {
            left = 1000000000LL;
        }
        struct timespec ts = {.tv_sec = (time_t)(left / 1000000000LL), .tv_nsec = (long)(left % 1000000000LL)};
        struct pollfd pfd[2] = {{.fd = sig_fd, .events = POLLIN}, {.fd = report_fd, .events = POLLIN}};
        if (ppoll(pfd, 2, &ts, NULL) < 0 && errno != EINTR) {
            note("poll failed: %s", strerror(errno));
            sleep_ms(10);
        }
        if (stop_signalled(sig_fd)) {
            out.stopped = 1;
            snprintf(out.message, sizeof out.message, "stopped before it started");
            return 0;
        }
        if (pfd[1].revents != 0) {
            /* The job ended before the go: what it wrote (read by the caller) says why. */
            snprintf(out.message, sizeof out.message, "the job process ended before it could start");
            out.start_failed = 1;
            return 0;
        }
    }
}
