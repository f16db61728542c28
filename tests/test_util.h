/* test_util: small helpers shared by the cmocka tests: a private temporary
 * directory per test binary, writing fixture files, and asserting that an
 * error message contains the expected words. */
#ifndef ZSPACE_TEST_UTIL_H
#define ZSPACE_TEST_UTIL_H

#include <stddef.h>

/* A fresh directory under $TMPDIR (created once per process, removed at exit). */
const char *tu_tmpdir(void);
/* "<tmpdir>/<name>" in a static rotating buffer (valid for a few calls). */
const char *tu_path(const char *name);
/* Write bytes to a file under the tmpdir; returns its path. */
const char *tu_write(const char *name, const void *data, size_t len);
/* Exit code 77 tells meson the test was skipped; print why first. */
void tu_skip(const char *why);
/* A private Xvfb for this test process, started on first use on a display
 * number the server picks itself (-displayfd), so tests running in parallel
 * never race for one the way `xvfb-run -a` can; stopped at exit. Returns
 * ":N", or NULL if Xvfb is not installed or does not start. */
const char *tu_xvfb(void);

/* Fail the test (cmocka) unless haystack contains needle. */
#define tu_assert_contains(haystack, needle) \
    tu_assert_contains_at((haystack), (needle), __FILE__, __LINE__)
void tu_assert_contains_at(const char *haystack, const char *needle, const char *file, int line);

#endif
