/*
 * job: the job process, from its fork (into the run's cgroup with clone3 on v2) to the exec of
 * /bin/sh -c COMMAND as the tool's user, and its reaping. Between the two it waits for the
 * shepherd's "go", given only once the started record is on disk.
 */
#ifndef TG_JOB_H
#define TG_JOB_H

#include <sys/types.h>

/* The job process: its pid (its session and process group too), and whether it exec'd the
 * command and was reaped. */
extern pid_t job_pid;
extern int job_execed;
extern int job_reaped;
/* The launcher's pipe, which the job process inherits (until its exec) when it is forked. */
extern int job_launcher_fd;

/* Reaps every child that has ended: the job, and orphans of the job adopted as subreaper. */
void reap(void);

/* In the job process: writes why it cannot start to fd (the shepherd's report pipe) and exits 127. */
__attribute__((noreturn, format(printf, 2, 3))) void report_child_failure(int fd, const char *fmt, ...);

/*
 * The job, between fork and exec: its own session, the run's cgroups (joined as root, before
 * dropping privileges, unless clone3 created it inside them), the tool's user and groups (from
 * the spec: the backend looked them up), umask, home, output files opened as the tool user, a
 * clean environment. Then it waits for "go" (the started record is on disk) and execs the
 * command. Any failure is written to report_fd and ends the child with 127. Only plain system
 * calls and malloc here: after clone3, glibc's fork handlers have not run.
 */
__attribute__((noreturn)) void job_child(int report_fd, int go_fd);

/*
 * Forks the job. On cgroup v2 the child is created inside the run's cgroup (clone3 with
 * CLONE_INTO_CGROUP), which takes only the read side of the kernel's cgroup_threadgroup_rwsem;
 * moving a process by writing cgroup.procs takes the write side, whose first use after a quiet
 * moment waits for an RCU grace period (milliseconds, more on a busy host). v1 has no such
 * clone: the child joins by writing cgroup.procs, as does v2 when clone3 is refused.
 */
pid_t fork_job(void);

#endif
