/*
 * io: the small system calls every part of the shepherd uses: clocks, whole reads and writes
 * that retry on EINTR, one-value writes to cgroup and /proc files.
 */
#ifndef TG_IO_H
#define TG_IO_H

#include <stddef.h>
#include <time.h>

/* The longest message the shepherd records (an exit record's "message", a start failure). */
#define MSG_MAX 1024

/* The time of clock in nanoseconds. */
long long now_ns(clockid_t clock);

/* CLOCK_MONOTONIC in milliseconds: deadlines (timeouts, grace periods) are counted on it. */
long long monotonic_ms(void);

/* Sleeps for ms milliseconds, whatever signal comes. */
void sleep_ms(long ms);

/* Writes all of data, retrying short writes. 0, or -1 with errno. */
int write_all(int fd, const void *data, size_t len);

/* Reads an open file from its current offset to the end (at most max bytes) into a
 * NUL-terminated buffer the caller frees. */
char *read_fd(int fd, size_t max, size_t *length);

/* Reads a whole file (at most max bytes) into a NUL-terminated buffer the caller frees. */
char *read_file_at(int dirfd, const char *path, size_t max, size_t *length);

/* Writes a small value to a cgroup (or /proc) file. Returns 0, or -1 with errno. */
int write_text(const char *path, const char *text);

/* Whether path names something (a link counts). */
int file_exists(const char *path);

/* Closes *fd, if open, and marks it closed (-1). */
void close_fd(int *fd);

#endif
