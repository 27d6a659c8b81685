/*
 * supervise: the shepherd's signals (SIGTERM/SIGINT are stops, through a signalfd) and the
 * grace period of a stop (RUNFILE.stop, or the spec's).
 */
#ifndef TG_SUPERVISE_H
#define TG_SUPERVISE_H

/* Drains the signalfd; 1 when a stop (SIGTERM/SIGINT) was among the signals, not only SIGCHLD. */
int stop_signalled(int sig_fd);

/* The grace period of the latest stop request (RUNFILE.stop), or the spec's. */
long long stop_grace_ms(void);

#endif
