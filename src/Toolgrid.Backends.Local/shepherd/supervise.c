/*
 * supervise: stops and their grace periods (supervise.h).
 */
#define _GNU_SOURCE
#include "supervise.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "io.h"
#include "protocol.h"
#include "spec.h"

int stop_signalled(int sig_fd)
{
    struct signalfd_siginfo info;
    int stop = 0;
    while (read(sig_fd, &info, sizeof info) == (ssize_t)sizeof info) {
        stop |= info.ssi_signo != SIGCHLD;
    }
    return stop;
}

long long stop_grace_ms(void)
{
    char name[64];
    sibling_name(name, sizeof name, "stop");
    char *text = read_file_at(dir_fd, name, 64, NULL);
    long long grace;
    if (text != NULL) {
        text[strcspn(text, "\n")] = '\0';
    }
    int ok = text != NULL && parse_number(text, 0, &grace) == 0;
    free(text);
    return ok ? grace : spec.grace_ms;
}
