/*
 * io: clocks, whole reads and writes (io.h).
 */
#define _GNU_SOURCE
#include "io.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

long long now_ns(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

long long monotonic_ms(void)
{
    return now_ns(CLOCK_MONOTONIC) / 1000000LL;
}

void sleep_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
    }
}

int write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

char *read_fd(int fd, size_t max, size_t *length)
{
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap + 1);
    if (buf == NULL) {
        errno = ENOMEM;
        return NULL;
    }
    for (;;) {
        if (len == cap) {
            if (cap >= max) {
                free(buf);
                errno = EFBIG;
                return NULL;
            }
            cap *= 2;
            char *bigger = realloc(buf, cap + 1);
            if (bigger == NULL) {
                free(buf);
                errno = ENOMEM;
                return NULL;
            }
            buf = bigger;
        }
        ssize_t n = read(fd, buf + len, cap - len);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            int saved = errno;
            free(buf);
            errno = saved;
            return NULL;
        }
        if (n == 0) {
            break;
        }
        len += (size_t)n;
    }
    buf[len] = '\0';
    if (length != NULL) {
        *length = len;
    }
    return buf;
}

char *read_file_at(int dirfd, const char *path, size_t max, size_t *length)
{
    int fd;
    do {
        fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        return NULL;
    }
    char *buf = read_fd(fd, max, length);
    int saved = errno;
    close(fd);
    errno = saved;
    return buf;
}

int write_text(const char *path, const char *text)
{
    int fd;
    do {
        fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        return -1;
    }
    int rc = write_all(fd, text, strlen(text));
    int saved = errno;
    close(fd);
    errno = saved;
    return rc;
}

int file_exists(const char *path)
{
    return access(path, F_OK) == 0;
}

void close_fd(int *fd)
{
    if (*fd >= 0) {
        close(*fd);
        *fd = -1;
    }
}
