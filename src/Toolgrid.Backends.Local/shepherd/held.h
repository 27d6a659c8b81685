/*
 * held: a run started ahead of its due time (the spec's not_before_ns), held set up until then
 * (README.md, "Runs held until their due time").
 */
#ifndef TG_HELD_H
#define TG_HELD_H

/*
 * A run started ahead of its due time (the spec's not_before_ns), once set up: its cgroups made,
 * its job process forked (in them, as the tool's user, its output open), waiting for the go. It
 * is held here until the realtime clock reaches not_before. First the "waiting" record is
 * appended (not durable: it only tells the backend whom to signal for a stop; after a crash
 * nothing ran and the next launcher starts the run), then the launcher is told "waiting".
 * Returns 1 when the run is due; 0 when it ended before its command ran (out says how): stopped
 * (SIGTERM/SIGINT, or RUNFILE.stop already there), the job process ended (its report, read by
 * the caller, says why), or the record could not be written.
 */
int hold_until_due(int sig_fd, int report_fd, int *launcher_fd);

#endif
