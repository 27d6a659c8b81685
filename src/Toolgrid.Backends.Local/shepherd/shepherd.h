/*
 * shepherd: the launcher's child, in a session of its own, for the run's whole life: it sets the
 * run up, forks the job, commits the start (the started record), lets the command go, supervises
 * it and records its end.
 */
#ifndef TG_SHEPHERD_H
#define TG_SHEPHERD_H

#include "isolation.h"

/* The run's own /proc and /tmp (isolation.h). */
extern struct isolation iso;

/* Runs the run, in the launcher's child; launcher_fd is the launcher's pipe (tell_launcher).
 * Returns the process's exit status once the exit record is written. */
int shepherd(int launcher_fd);

#endif
