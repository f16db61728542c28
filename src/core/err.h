/* err: the error value every library function fills instead of printing.
 *
 * Library code never prints and never exits. A failing function returns a
 * non-zero ErrCode and writes one human-readable line into the caller-owned
 * Err (naming the file or value and what is wrong). `main` decides how to
 * show it. Thread rule: an Err belongs to the thread that passed it in. */
#ifndef ZSPACE_CORE_ERR_H
#define ZSPACE_CORE_ERR_H

typedef enum {
    ERR_OK = 0,
    ERR_IO,        /* open/read/write/rename failed: errno-style problems */
    ERR_FORMAT,    /* a file's contents are malformed, truncated or inconsistent */
    ERR_ARG,       /* a caller-supplied value is out of range */
    ERR_NOMEM,     /* allocation failed */
    ERR_NUMERIC,   /* NaN/Inf or divergence in a computation */
    ERR_CANCELLED, /* the caller asked to stop */
} ErrCode;

typedef struct {
    int code;
    char msg[256];
} Err;

/* Fill *e (may be NULL) with code and a printf-style message; returns code so
 * callers can write `return err_set(e, ERR_IO, "...")`. */
int err_set(Err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prefix an existing message with "<prefix>: " (keeps the code). */
int err_prefix(Err *e, const char *prefix);

/* Reset to ERR_OK and an empty message. */
void err_clear(Err *e);

#endif
