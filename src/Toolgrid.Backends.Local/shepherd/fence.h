/*
 * fence: signals and kills that reach every process of the run, and only those: its cgroup's
 * processes, or without cgroups the shepherd's descendants (it is a child subreaper).
 */
#ifndef TG_FENCE_H
#define TG_FENCE_H

/* Sends a signal to every process of the run: the job's process group and its cgroup. */
void signal_run(int sig);

/*
 * SIGKILLs every process of the run until none is left. v2: cgroup.kill. Then, while anything
 * is left: fence the forks (once), kill everything listed, reap, repeat. pids.max bounds each
 * round, and the loop gives up after a bounded time rather than hang the shepherd.
 */
void kill_run(void);

#endif
