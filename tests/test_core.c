/* test_core: the random generator is seeded and well-spread; atomic file
 * replacement leaves either the old or the new file, never a partial one. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>
#include <signal.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "core/afile.h"
#include "core/grow.h"
#include "core/rng.h"
#include "core/xdg.h"
#include "test_util.h"

static void test_rng_seeded(void **state)
{
    (void)state;
    Rng a, b, c;
    rng_seed(&a, 42);
    rng_seed(&b, 42);
    rng_seed(&c, 43);
    int differ = 0;
    for (int i = 0; i < 100; i++) {
        uint64_t x = rng_u64(&a), y = rng_u64(&b), z = rng_u64(&c);
        assert_true(x == y);
        differ += x != z;
    }
    assert_true(differ > 95);
}

static void test_rng_normal_moments(void **state)
{
    (void)state;
    Rng r;
    rng_seed(&r, 7);
    double s = 0, s2 = 0;
    const int n = 200000;
    for (int i = 0; i < n; i++) {
        double v = rng_normal(&r);
        s += v;
        s2 += v * v;
    }
    /* Standard errors: mean 1/sqrt(n) ~ 0.0022, variance ~ 0.0032. */
    assert_true(fabs(s / n) < 0.01);
    assert_true(fabs(s2 / n - 1.0) < 0.02);
}

static void test_rng_below_and_shuffle(void **state)
{
    (void)state;
    Rng r;
    rng_seed(&r, 1);
    int hist[10] = {0};
    for (int i = 0; i < 100000; i++) {
        uint32_t v = rng_below(&r, 10);
        assert_true(v < 10);
        hist[v]++;
    }
    for (int k = 0; k < 10; k++)
        assert_true(hist[k] > 9500 && hist[k] < 10500);
    uint32_t idx[1000];
    for (uint32_t i = 0; i < 1000; i++)
        idx[i] = i;
    rng_shuffle_u32(&r, idx, 1000);
    int seen[1000] = {0}, moved = 0;
    for (uint32_t i = 0; i < 1000; i++) {
        seen[idx[i]]++;
        moved += idx[i] != i;
    }
    for (int i = 0; i < 1000; i++)
        assert_int_equal(seen[i], 1);
    assert_true(moved > 980);
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)))
        n += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
    closedir(d);
    return n;
}

/* A new scratch directory name (returned) and a file path in it. */
static const char *scratch_file(const char *name, const char *file, char *path, size_t size)
{
    const char *dir = tu_path(name);
    assert_int_equal(mkdir(dir, 0700), 0);
    snprintf(path, size, "%s/%s", dir, file);
    return dir;
}

static void test_afile_commit_and_abort(void **state)
{
    (void)state;
    char target[1024];
    const char *dir = scratch_file("afile", "out.bin", target, sizeof target);
    Err e = {0};
    AFile a;
    assert_int_equal(afile_open(&a, target, &e), ERR_OK);
    assert_int_equal(afile_write(&a, "old", 3, &e), ERR_OK);
    assert_int_equal(afile_commit(&a, &e), ERR_OK);

    /* An aborted rewrite leaves the old content and no temporary file. */
    assert_int_equal(afile_open(&a, target, &e), ERR_OK);
    assert_int_equal(afile_write(&a, "new-partial", 11, &e), ERR_OK);
    afile_abort(&a);
    char buf[32] = {0};
    FILE *f = fopen(target, "rb");
    assert_int_equal(fread(buf, 1, sizeof buf, f), 3);
    fclose(f);
    assert_string_equal(buf, "old");
    assert_int_equal(count_entries(dir), 1);

    assert_int_equal(afile_open(&a, target, &e), ERR_OK);
    assert_int_equal(afile_write(&a, "newer", 5, &e), ERR_OK);
    assert_int_equal(afile_commit(&a, &e), ERR_OK);
    f = fopen(target, "rb");
    memset(buf, 0, sizeof buf);
    assert_int_equal(fread(buf, 1, sizeof buf, f), 5);
    fclose(f);
    assert_string_equal(buf, "newer");
    assert_int_equal(count_entries(dir), 1);
}

static void test_afile_bad_directory(void **state)
{
    (void)state;
    Err e = {0};
    AFile a;
    assert_int_equal(afile_open(&a, tu_path("no-such-dir/out.bin"), &e), ERR_IO);
    tu_assert_contains(e.msg, "cannot create a file in");
    tu_assert_contains(e.msg, "No such file or directory");
}

/* The output rule: a symlink is followed (the link stays, its target gets
 * the data, atomically), a FIFO and a character device are written through
 * and stay what they are, a FIFO without a reader and a directory are
 * refused; afile_check predicts the same. */
static void test_afile_links_devices_fifos(void **state)
{
    (void)state;
    const char *dir = tu_path("afile-kinds");
    assert_int_equal(mkdir(dir, 0700), 0);
    char target[1024], link1[1024], link2[1024], dangling[1024], fifo[1024], buf[64];
    snprintf(target, sizeof target, "%s/real.bin", dir);
    snprintf(link1, sizeof link1, "%s/link1", dir);
    snprintf(link2, sizeof link2, "%s/link2", dir);
    snprintf(dangling, sizeof dangling, "%s/dangling", dir);
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    Err e = {0};
    assert_int_equal(afile_save(target, "old", 3, &e), ERR_OK);
    assert_int_equal(chmod(target, 0640), 0);
    assert_int_equal(symlink("real.bin", link1), 0); /* relative */
    assert_int_equal(symlink(link1, link2), 0);      /* absolute, a chain */
    assert_int_equal(afile_check(link2, &e), ERR_OK);
    assert_int_equal(afile_save(link2, "new", 3, &e), ERR_OK);
    struct stat st;
    assert_int_equal(lstat(link1, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_int_equal(lstat(link2, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_int_equal(stat(target, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640); /* the replaced file's mode kept */
    FILE *f = fopen(target, "rb");
    memset(buf, 0, sizeof buf);
    assert_int_equal(fread(buf, 1, sizeof buf, f), 3);
    fclose(f);
    assert_string_equal(buf, "new");
    /* A dangling link: its target is created, the link stays a link. */
    assert_int_equal(symlink("made.bin", dangling), 0);
    assert_int_equal(afile_save(dangling, "x", 1, &e), ERR_OK);
    assert_int_equal(lstat(dangling, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    char made[1024];
    snprintf(made, sizeof made, "%s/made.bin", dir);
    assert_int_equal(stat(made, &st), 0);
    assert_true(S_ISREG(st.st_mode) && st.st_size == 1);

    /* /dev/null: written through, still a character device. */
    assert_int_equal(afile_check("/dev/null", &e), ERR_OK);
    assert_int_equal(afile_save("/dev/null", "gone", 4, &e), ERR_OK);
    assert_int_equal(stat("/dev/null", &st), 0);
    assert_true(S_ISCHR(st.st_mode));

    /* A FIFO: refused without a reader (no wait), written through with one. */
    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_int_equal(afile_save(fifo, "x", 1, &e), ERR_IO);
    tu_assert_contains(e.msg, "a FIFO with no reader");
    int rfd = open(fifo, O_RDONLY | O_NONBLOCK);
    assert_true(rfd >= 0);
    assert_int_equal(afile_save(fifo, "through", 7, &e), ERR_OK);
    memset(buf, 0, sizeof buf);
    assert_int_equal(read(rfd, buf, sizeof buf), 7);
    assert_string_equal(buf, "through");
    close(rfd);
    assert_int_equal(lstat(fifo, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));

    /* A directory is refused, before and at opening. */
    AFile a;
    assert_int_equal(afile_check(dir, &e), ERR_IO);
    tu_assert_contains(e.msg, "is a directory");
    assert_int_equal(afile_open(&a, dir, &e), ERR_IO);
    /* Nothing but what we made: no temporary files left. */
    assert_int_equal(count_entries(dir), 6);
}

/* A signal handler's cleanup deletes the temporary files in flight. */
static void test_afile_unlink_temps(void **state)
{
    (void)state;
    char target[1024];
    const char *dir = scratch_file("afile-sig", "big.bin", target, sizeof target);
    Err e = {0};
    AFile a;
    assert_int_equal(afile_open(&a, target, &e), ERR_OK);
    assert_int_equal(afile_write(&a, "partial", 7, &e), ERR_OK);
    assert_int_equal(count_entries(dir), 1);
    afile_unlink_temps();
    assert_int_equal(count_entries(dir), 0);
    afile_abort(&a);
    /* After a commit there is nothing left to delete. */
    assert_int_equal(afile_save(target, "done", 4, &e), ERR_OK);
    afile_unlink_temps();
    assert_int_equal(count_entries(dir), 1);
}

/* A process killed by a signal (a second Ctrl-C) in the middle of a save:
 * the handler deletes the temp file, the process still dies of the signal,
 * the previous file is intact. */
static void test_afile_signal_during_save(void **state)
{
    (void)state;
    char target[1024];
    const char *dir = scratch_file("afile-kill", "model.bin", target, sizeof target);
    Err e = {0};
    assert_int_equal(afile_save(target, "old", 3, &e), ERR_OK);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        signal(SIGINT, afile_die_of_signal);
        AFile a;
        if (afile_open(&a, target, &e) != ERR_OK || afile_write(&a, "partial", 7, &e) != ERR_OK)
            _exit(3);
        fflush(a.f);
        raise(SIGINT);
        _exit(4); /* not reached */
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT);
    assert_int_equal(count_entries(dir), 1); /* model.bin, no temp */
    FILE *f = fopen(target, "rb");
    char buf[8] = {0};
    assert_int_equal(fread(buf, 1, sizeof buf, f), 3);
    fclose(f);
    assert_string_equal(buf, "old");
}

/* XDG base directories with their ~/.cache, ~/.config and ~/.local/share fallbacks. */
static void test_xdg_path(void **state)
{
    (void)state;
    char buf[256];
    setenv("XDG_CACHE_HOME", "/x/cache", 1);
    setenv("XDG_CONFIG_HOME", "", 1); /* empty counts as unset */
    setenv("HOME", "/h", 1);
    assert_true(xdg_path(XDG_CACHE, "study", buf, sizeof buf));
    assert_string_equal(buf, "/x/cache/zspace/study");
    assert_true(xdg_path(XDG_CONFIG, "session.json", buf, sizeof buf));
    assert_string_equal(buf, "/h/.config/zspace/session.json");
    setenv("XDG_DATA_HOME", "/x/data", 1);
    assert_true(xdg_path(XDG_DATA, "", buf, sizeof buf));
    assert_string_equal(buf, "/x/data/zspace");
    unsetenv("XDG_DATA_HOME");
    assert_true(xdg_path(XDG_DATA, "t", buf, sizeof buf));
    assert_string_equal(buf, "/h/.local/share/zspace/t");
    unsetenv("XDG_CACHE_HOME");
    assert_true(xdg_path(XDG_CACHE, "", buf, sizeof buf));
    assert_string_equal(buf, "/h/.cache/zspace");
    /* No HOME (or a relative one): the account's home, never the cwd. */
    const struct passwd *pw = getpwuid(getuid());
    char want[512];
    snprintf(want, sizeof want, "%s/.cache/zspace/m", pw ? pw->pw_dir : "?");
    unsetenv("HOME");
    assert_true(xdg_path(XDG_CACHE, "m", buf, sizeof buf) == (pw != NULL));
    if (pw)
        assert_string_equal(buf, want);
    setenv("HOME", "rel", 1);
    setenv("XDG_CACHE_HOME", "also/rel", 1);
    assert_true(xdg_path(XDG_CACHE, "m", buf, sizeof buf) == (pw != NULL));
    assert_true(buf[0] != '.' && strncmp(buf, "rel", 3) && strncmp(buf, "also", 4));
    unsetenv("XDG_CACHE_HOME");
    assert_false(xdg_path(XDG_CACHE, "a-long-name", buf, 10));
}

/* Growing keeps what was read so far and records the new capacity; growing
 * again from there does too (the readers double a buffer this way). */
static void test_grow_bytes(void **state)
{
    (void)state;
    uint8_t *buf = NULL;
    size_t cap = 0;
    Err e = {0};
    assert_int_equal(grow_bytes(&buf, &cap, 16, "x", &e), ERR_OK);
    assert_non_null(buf);
    assert_int_equal(cap, 16);
    for (int i = 0; i < 16; i++)
        buf[i] = (uint8_t)(3 * i + 1);
    assert_int_equal(grow_bytes(&buf, &cap, 1 << 20, "x", &e), ERR_OK);
    assert_int_equal(cap, 1 << 20);
    for (int i = 0; i < 16; i++)
        assert_int_equal(buf[i], (uint8_t)(3 * i + 1));
    buf[(1 << 20) - 1] = 7; /* the whole new capacity is usable */
    assert_int_equal(buf[(1 << 20) - 1], 7);
    assert_string_equal(e.msg, "");
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rng_seeded),
        cmocka_unit_test(test_rng_normal_moments),
        cmocka_unit_test(test_rng_below_and_shuffle),
        cmocka_unit_test(test_afile_commit_and_abort),
        cmocka_unit_test(test_afile_bad_directory),
        cmocka_unit_test(test_afile_links_devices_fifos),
        cmocka_unit_test(test_afile_unlink_temps),
        cmocka_unit_test(test_afile_signal_during_save),
        cmocka_unit_test(test_xdg_path),
        cmocka_unit_test(test_grow_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
