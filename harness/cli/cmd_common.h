/* cmd_common.h — small helpers shared by the subcommands: number parsing
 * that names the flag, environment fallbacks, signal-driven stop flag. */
#ifndef MH_CMD_COMMON_H
#define MH_CMD_COMMON_H

#include <stddef.h>
#include <signal.h>
#include <stdint.h>

/* Parses a whole decimal number in [min, max] from text for flag; prints a
 * one-line error naming flag and returns -1 on failure, 0 on success. */
int mh_cli_parse_long(const char *cmd, const char *flag, const char *text, long long min,
                      long long max, long long *out);
int mh_cli_parse_u64(const char *cmd, const char *flag, const char *text, uint64_t *out);
int mh_cli_parse_double(const char *cmd, const char *flag, const char *text, double min,
                        double *out);

/* The option name of a command-line word: arg up to any '=' (the value may
 * be a secret, so messages never echo it), cut to fit buf. Returns buf. */
const char *mh_cli_opt_name(const char *arg, char *buf, size_t cap);

/* 1 when a flag's value is another long option ("--secret --jwt-key K"):
 * the value was forgotten, and the word after it must not be taken as an
 * argument (it may be a secret echoed in an error). */
int mh_cli_value_is_option(const char *value);

/* value if non-NULL, else getenv(env) (NULL when unset or empty). */
const char *mh_cli_or_env(const char *value, const char *env);

/* A random uint64 from /dev/urandom (falls back to time and pid). */
uint64_t mh_cli_random_u64(void);

/* Installs SIGINT/SIGTERM handlers that set *flag (and restore default on a
 * second signal so a stuck process can still be killed). */
void mh_cli_install_stop(volatile sig_atomic_t *flag);

/* 1 when the stream is a terminal. */
int mh_cli_isatty(void *stream);

#endif
