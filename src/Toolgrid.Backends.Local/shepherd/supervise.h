/*
 * supervise: the running command: its timeout, stops (SIGTERM/SIGINT, through a signalfd) with
 * their grace period (RUNFILE.stop, or the spec's), and the kill that follows.
 */
#ifndef TG_SUPERVISE_H
#define TG_SUPERVISE_H

/* Drains the signalfd; 1 when a stop (SIGTERM/SIGINT) was among the signals, not only SIGCHLD. */
int stop_signalled(int sig_fd);

/*
 * While the command runs, until the job's main process is reaped: at the spec's timeout
 * (counted from started_mono, CLOCK_MONOTONIC ms) SIGTERM to the run, at a stop (SIGTERM/SIGINT
 * on sig_fd) the same with the stop's grace period (a later stop may shorten it, never lengthen
 * it), when an interactive session's connection closes SIGHUP, and once the grace period is over
 * the kill of everything (kill_run). out says why the run ended (timed out, stopped).
 */
void supervise(int sig_fd, long long started_mono);

#endif
