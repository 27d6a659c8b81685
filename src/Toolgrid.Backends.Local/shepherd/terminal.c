/*
 * terminal: interactive runs (terminal.h).
 *
 * An interactive run (the spec's "interactive": "pty" or "pipes") gets, as its standard streams,
 * a pseudo-terminal (its controlling terminal, of the spec's window size, owned by the tool's
 * user) or a pair of pipes, standard output and error merged. The shepherd makes them before the
 * fork and listens on RUNFILE.attach (a Unix socket, 0600, in the root-only run directory). The
 * first connection (from root) receives the caller's ends with SCM_RIGHTS, "pty" + the master,
 * or "pipes" + the input's write end and the output's read end, and only then is the command
 * let go: nothing it prints is lost. The socket is removed then: a run is attached once.
 *
 * The launcher is told "started" once the started record is on disk, before the attach (the
 * backend's start returns; the caller attaches when it sees the run running). Until the attach,
 * a stop or the timeout ends the run before its command ran, and so does ATTACH_TIMEOUT_MS
 * without an attach. The connection stays open for the session: when it closes (the terminal
 * was disposed, or toolgridd died) the run is hung up, SIGHUP to all of it, SIGKILL after the
 * grace period. The shepherd keeps no end of the terminal or of the pipes: once the job and
 * everything it left are gone, the caller reads the end of the output (EIO on the master, EOF on
 * the pipe).
 */
#define _GNU_SOURCE
#include "terminal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "fence.h"
#include "io.h"
#include "job.h"
#include "protocol.h"
#include "records.h"
#include "spec.h"
#include "supervise.h"

#define ATTACH_TIMEOUT_MS (5LL * 60 * 1000)

enum interactive_mode { IA_NONE = 0, IA_PTY = 1, IA_PIPES = 2 };

static struct {
    enum interactive_mode mode;
    long rows, cols;
    int master_fd, slave_fd; /* IA_PTY */
    int in[2], out[2];       /* IA_PIPES: the job's input and output */
    int listen_fd, conn_fd;
    int launcher_fd; /* the launcher's pipe: the job must not hold it while it waits for the attach */
    char socket_path[sizeof ((struct sockaddr_un *)0)->sun_path];
    int hangup_sent;
} ia = {.master_fd = -1, .slave_fd = -1, .in = {-1, -1}, .out = {-1, -1}, .listen_fd = -1, .conn_fd = -1, .launcher_fd = -1};

int interactive_key(const char *key, const char *value)
{
    if (strcmp(key, "interactive") == 0) {
        if (strcmp(value, "pty") == 0) {
            ia.mode = IA_PTY;
        } else if (strcmp(value, "pipes") == 0) {
            ia.mode = IA_PIPES;
        } else if (strcmp(value, "no") == 0) {
            ia.mode = IA_NONE;
        } else {
            return -1;
        }
        return 1;
    }
    if (strcmp(key, "tty_rows") == 0 || strcmp(key, "tty_cols") == 0) {
        char *end;
        errno = 0;
        long number = strtol(value, &end, 10);
        if (errno != 0 || *value == '\0' || *end != '\0' || number < 1 || number > 65535) {
            return -1;
        }
        *(key[4] == 'r' ? &ia.rows : &ia.cols) = number;
        return 1;
    }
    return 0;
}

int interactive_requested(void)
{
    return ia.mode != IA_NONE;
}

void interactive_unlisten(void)
{
    if (ia.listen_fd >= 0) {
        close_fd(&ia.listen_fd);
        unlink(ia.socket_path);
    }
}

int interactive_setup(int launcher_fd, char *msg, size_t cap)
{
    if (ia.mode == IA_NONE) {
        return 0;
    }
    ia.launcher_fd = launcher_fd;
    if (ia.mode == IA_PTY) {
        ia.master_fd = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
        int unlock = 0;
        if (ia.master_fd < 0 || ioctl(ia.master_fd, TIOCSPTLCK, &unlock) < 0) {
            snprintf(msg, cap, "cannot open a pseudo-terminal: %s", strerror(errno));
            return -1;
        }
#ifdef TIOCGPTPEER
        ia.slave_fd = ioctl(ia.master_fd, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
#endif
        unsigned int number;
        if (ia.slave_fd < 0 && ioctl(ia.master_fd, TIOCGPTN, &number) == 0) {
            char name[64];
            snprintf(name, sizeof name, "/dev/pts/%u", number);
            ia.slave_fd = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
        }
        if (ia.slave_fd < 0) {
            snprintf(msg, cap, "cannot open the pseudo-terminal's slave: %s", strerror(errno));
            return -1;
        }
        /* The tool's own terminal, as a login's: its user owns it, nobody else reads it. */
        struct winsize size = {.ws_row = (unsigned short)(ia.rows > 0 ? ia.rows : 24),
                               .ws_col = (unsigned short)(ia.cols > 0 ? ia.cols : 80)};
        if (fchown(ia.slave_fd, spec.uid, spec.gid) < 0 || fchmod(ia.slave_fd, 0600) < 0 ||
            ioctl(ia.slave_fd, TIOCSWINSZ, &size) < 0) {
            snprintf(msg, cap, "cannot set up the pseudo-terminal: %s", strerror(errno));
            return -1;
        }
    } else if (pipe2(ia.in, O_CLOEXEC) < 0 || pipe2(ia.out, O_CLOEXEC) < 0) {
        snprintf(msg, cap, "pipe failed: %s", strerror(errno));
        return -1;
    }

    if (snprintf(ia.socket_path, sizeof ia.socket_path, "%s.attach", run_path) >= (int)sizeof ia.socket_path) {
        snprintf(msg, cap, "the attach socket's path %s.attach is too long (at most %zu bytes)", run_path,
                 sizeof ia.socket_path - 1);
        return -1;
    }
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    memcpy(addr.sun_path, ia.socket_path, sizeof addr.sun_path);
    ia.listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (ia.listen_fd < 0) {
        snprintf(msg, cap, "socket failed: %s", strerror(errno));
        return -1;
    }
    unlink(ia.socket_path);
    mode_t mask = umask(0177);
    int bound = bind(ia.listen_fd, (struct sockaddr *)&addr, sizeof addr);
    umask(mask);
    if (bound < 0 || listen(ia.listen_fd, 4) < 0) {
        snprintf(msg, cap, "cannot listen on %s: %s", ia.socket_path, strerror(errno));
        close_fd(&ia.listen_fd);
        return -1;
    }
    return 0;
}

void interactive_after_fork(void)
{
    close_fd(&ia.slave_fd);
    close_fd(&ia.in[0]);
    close_fd(&ia.out[1]);
}

void interactive_child_stdio(int report_fd)
{
    if (ia.mode == IA_NONE) {
        return;
    }
    /* The launcher waits for EOF on its pipe: it is told "started" before the exec. */
    close(ia.launcher_fd);
    int in = ia.in[0], out_fd = ia.out[1];
    if (ia.mode == IA_PTY) {
        /* A session leader without a terminal (setsid) takes this one as its own. */
        if (ioctl(ia.slave_fd, TIOCSCTTY, 0) < 0) {
            report_child_failure(report_fd, "cannot make the pseudo-terminal the controlling terminal: %s",
                                 strerror(errno));
        }
        in = out_fd = ia.slave_fd;
    }
    if (dup2(in, STDIN_FILENO) < 0 || dup2(out_fd, STDOUT_FILENO) < 0 || dup2(out_fd, STDERR_FILENO) < 0) {
        report_child_failure(report_fd, "cannot redirect the standard streams: %s", strerror(errno));
    }
    /* Everything else (the master, the shepherd's ends, the socket) is close-on-exec. */
}

/* Passes the caller's ends to a connection from root. 0 when attached. */
static int interactive_accept(void)
{
    int fd = accept4(ia.listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    struct ucred peer;
    socklen_t len = sizeof peer;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &len) < 0 || peer.uid != 0) {
        note("refused an attach from uid %d", len == sizeof peer ? (int)peer.uid : -1);
        close(fd);
        return -1;
    }
    int fds[2] = {ia.master_fd, -1};
    size_t count = 1;
    const char *word = "pty";
    if (ia.mode == IA_PIPES) {
        fds[0] = ia.in[1];
        fds[1] = ia.out[0];
        count = 2;
        word = "pipes";
    }
    union {
        char buf[CMSG_SPACE(sizeof fds)];
        struct cmsghdr align;
    } control;
    memset(&control, 0, sizeof control);
    struct iovec iov = {.iov_base = (void *)word, .iov_len = strlen(word)};
    struct msghdr message = {
        .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = CMSG_SPACE(count * sizeof(int))};
    struct cmsghdr *c = CMSG_FIRSTHDR(&message);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(count * sizeof(int));
    memcpy(CMSG_DATA(c), fds, count * sizeof(int));
    ssize_t sent;
    do {
        sent = sendmsg(fd, &message, MSG_NOSIGNAL);
    } while (sent < 0 && errno == EINTR);
    if (sent < 0) {
        note("cannot pass the terminal to the attach: %s", strerror(errno));
        close(fd);
        return -1;
    }
    ia.conn_fd = fd;
    close_fd(&ia.master_fd);
    close_fd(&ia.in[1]);
    close_fd(&ia.out[0]);
    interactive_unlisten();
    return 0;
}

int interactive_attached(int sig_fd, int report_fd, int *launcher_fd, long long started_mono)
{
    notify("started");
    tell_launcher(*launcher_fd, "started", "");
    *launcher_fd = -1;
    long long attach_by = started_mono + ATTACH_TIMEOUT_MS;
    long long timeout_at = spec.timeout_ms > 0 ? started_mono + spec.timeout_ms : -1;
    for (;;) {
        long long now = monotonic_ms();
        if (timeout_at >= 0 && now >= timeout_at) {
            out.timed_out = 1;
            out.stopped = 1;
            snprintf(out.message, sizeof out.message, "ran past its timeout of %lld.%03lld s before it was attached",
                     spec.timeout_ms / 1000, spec.timeout_ms % 1000);
            break;
        }
        if (now >= attach_by) {
            out.stopped = 1;
            snprintf(out.message, sizeof out.message, "nobody attached to the interactive run within %lld s",
                     ATTACH_TIMEOUT_MS / 1000);
            break;
        }
        long long wake = timeout_at >= 0 && timeout_at < attach_by ? timeout_at : attach_by;
        struct pollfd pfd[3] = {{.fd = sig_fd, .events = POLLIN},
                                {.fd = ia.listen_fd, .events = POLLIN},
                                {.fd = report_fd, .events = POLLIN}};
        if (poll(pfd, 3, (int)(wake - now > INT_MAX ? INT_MAX : wake - now)) < 0 && errno != EINTR) {
            note("poll failed: %s", strerror(errno));
            sleep_ms(10);
        }
        if (stop_signalled(sig_fd)) {
            out.stopped = 1;
            snprintf(out.message, sizeof out.message, "stopped before it was attached");
            break;
        }
        if (pfd[2].revents != 0) {
            /* The job ended before the go: what it wrote (read by the caller) says why. */
            if (out.message[0] == '\0') {
                snprintf(out.message, sizeof out.message, "the job process ended before it could start");
            }
            out.start_failed = 1;
            break;
        }
        if ((pfd[1].revents & POLLIN) != 0 && interactive_accept() == 0) {
            return 1;
        }
    }
    interactive_unlisten();
    return 0;
}

int interactive_poll(struct pollfd *sig_pfd, int wait_ms)
{
    struct pollfd pfd[2] = {*sig_pfd, {.fd = ia.conn_fd, .events = POLLIN}};
    int ready = poll(pfd, ia.conn_fd >= 0 ? 2 : 1, wait_ms);
    sig_pfd->revents = pfd[0].revents;
    if (ready > 0 && ia.conn_fd >= 0 && pfd[1].revents != 0) {
        char ignored[256];
        ssize_t n = recv(ia.conn_fd, ignored, sizeof ignored, MSG_DONTWAIT);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
            close_fd(&ia.conn_fd);
            if (!job_reaped) {
                signal_run(SIGHUP);
                ia.hangup_sent = 1;
            }
        }
    }
    return ready;
}

int interactive_hung_up(void)
{
    if (ia.hangup_sent != 1) {
        return 0;
    }
    ia.hangup_sent = 2;
    return 1;
}
