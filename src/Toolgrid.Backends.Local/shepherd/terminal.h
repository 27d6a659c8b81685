/*
 * terminal: interactive runs (the spec's "interactive": "pty" or "pipes"): their pseudo-terminal
 * or pipes, the attach socket RUNFILE.attach, the wait for the attach and the hang-up when the
 * session's connection closes (README.md, "Interactive runs").
 */
#ifndef TG_TERMINAL_H
#define TG_TERMINAL_H

#include <poll.h>
#include <stddef.h>

/* A spec pair of interactive runs: 1 when it is one (and valid), -1 when invalid, 0 otherwise. */
int interactive_key(const char *key, const char *value);

/* Whether the run is interactive. */
int interactive_requested(void);

/* Closes and removes the attach socket, if it is still there. */
void interactive_unlisten(void);

/* Makes the run's terminal (or pipes) and its attach socket, before the fork. -1 with msg. */
int interactive_setup(int launcher_fd, char *msg, size_t cap);

/* In the shepherd, after the fork: the job's ends are the job's alone. */
void interactive_after_fork(void);

/* In the job, as its user, before the exec: the terminal (its controlling one) or the pipes. */
void interactive_child_stdio(int report_fd);

/*
 * After the started record, instead of the go: tells the launcher the run started, then waits
 * for the attach. 1 when attached (the caller lets the job go); 0 when the run ends before its
 * command ran: stopped, timed out, not attached in time, or the job could not get ready (its
 * report says why). */
int interactive_attached(int sig_fd, int report_fd, int *launcher_fd, long long started_mono);

/* Polls the signals and, in an attached session, its connection; a closed one hangs the run up. */
int interactive_poll(struct pollfd *sig_pfd, int wait_ms);

/* Once, after a hang-up: 1 (the caller kills the run after the grace period, as a stop). */
int interactive_hung_up(void);

#endif
