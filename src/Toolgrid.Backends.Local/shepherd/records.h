/*
 * records: what the shepherd writes into the run file about the run: the fields the waiting and
 * started records share (whom to signal, the run's cgroups and private directories) and the exit
 * record, from the run's outcome that the other parts fill in.
 */
#ifndef TG_RECORDS_H
#define TG_RECORDS_H

#include "io.h"
#include "protocol.h"

/* How the run ended, as its exit record will say. */
struct outcome {
    int status_known;
    int status;
    int oom;
    int timed_out;
    int stopped;
    int start_failed;
    int no_space; /* the start's record did not fit on the disk: the start did not happen (no exit record) */
    long long finished_at_ns;
    char message[MSG_MAX];
};

/* This run's. */
extern struct outcome out;

/* The fields the waiting and started records share: who to signal (this shepherd, checked by its
 * start time against a recycled pid) and the run's cgroups. */
void record_add_shepherd(struct record *r);

/* Appends the exit record, durably: with it the run has ended, whatever happens next. */
void write_exit(long long started_at_ns);

#endif
