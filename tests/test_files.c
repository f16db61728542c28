/* test_files: the Open / Save dialogs' pure parts (src/files): path
 * completion over a fixture directory, and the recent-files list (order,
 * cap, dedupe, atomic save, missing files hidden). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "files/pathcomp.h"
#include "files/recent.h"
#include "test_util.h"

static char root[4096];

/* root/m/{alpha.safetensors, alpine.safetensors, beta.safetensors,
 *         albums/, .hidden, notes.txt} */
static int setup(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "%s/m", tu_tmpdir());
    mkdir(root, 0755);
    const char *files[] = {"alpha.safetensors", "alpine.safetensors", "beta.safetensors",
                           ".hidden", "notes.txt"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char name[64];
        snprintf(name, sizeof name, "m/%s", files[i]);
        tu_write(name, "x", 1);
    }
    char d[4200];
    snprintf(d, sizeof d, "%s/albums", root);
    mkdir(d, 0755);
    return 0;
}

static void complete(const char *rel, PathComp *pc)
{
    char text[4200];
    snprintf(text, sizeof text, "%s/%s", root, rel);
    Err e = {0};
    assert_int_equal(pathcomp_complete(text, pc, &e), ERR_OK);
}

static const char *tail(const PathComp *pc)
{
    return pc->text + strlen(root) + 1;
}

static void test_common_prefix(void **state)
{
    (void)state;
    PathComp pc;
    complete("a", &pc);
    /* alpha, alpine, albums/: "al" is common; candidates sorted */
    assert_int_equal(pc.n, 3);
    assert_string_equal(tail(&pc), "al");
    assert_string_equal(pc.names[0], "albums/");
    assert_string_equal(pc.names[1], "alpha.safetensors");
    assert_string_equal(pc.names[2], "alpine.safetensors");
    complete("alp", &pc);
    assert_int_equal(pc.n, 2);
    assert_string_equal(tail(&pc), "alp");
    complete("alph", &pc); /* one match: whole name */
    assert_int_equal(pc.n, 1);
    assert_string_equal(tail(&pc), "alpha.safetensors");
}

static void test_directories_and_dotfiles(void **state)
{
    (void)state;
    PathComp pc;
    complete("alb", &pc);
    assert_int_equal(pc.n, 1);
    assert_string_equal(tail(&pc), "albums/"); /* ready for the next Tab */
    complete("", &pc); /* everything but the dot file */
    assert_int_equal(pc.n, 5);
    for (int i = 0; i < pc.kept; i++)
        assert_true(pc.names[i][0] != '.');
    complete(".", &pc);
    assert_int_equal(pc.n, 1);
    assert_string_equal(pc.names[0], ".hidden");
    complete("zzz", &pc); /* no match: unchanged, not an error */
    assert_int_equal(pc.n, 0);
    assert_string_equal(tail(&pc), "zzz");
    /* picking a candidate replaces the part after the last '/' */
    complete("a", &pc);
    char out[4200];
    assert_int_equal(pathcomp_pick(&pc, pc.text, 2, out, sizeof out), ERR_OK);
    assert_string_equal(out + strlen(root) + 1, "alpine.safetensors");
    assert_int_not_equal(pathcomp_pick(&pc, pc.text, 3, out, sizeof out), ERR_OK);
}

static void test_home_and_errors(void **state)
{
    (void)state;
    char old_home[4096];
    snprintf(old_home, sizeof old_home, "%s", getenv("HOME") ? getenv("HOME") : "");
    setenv("HOME", root, 1);
    PathComp pc;
    Err e = {0};
    assert_int_equal(pathcomp_complete("~/be", &pc, &e), ERR_OK);
    assert_string_equal(pc.text, "~/beta.safetensors"); /* the "~" stays */
    assert_int_equal(pathcomp_complete("~", &pc, &e), ERR_OK);
    assert_string_equal(pc.text, "~/");
    char x[4096];
    assert_int_equal(path_expand("~/beta.safetensors", x, sizeof x, &e), ERR_OK);
    assert_string_equal(x + strlen(root), "/beta.safetensors");
    assert_int_equal(path_expand("/abs/~x", x, sizeof x, &e), ERR_OK);
    assert_string_equal(x, "/abs/~x");
    assert_int_equal(path_expand("~", x, 4, &e), ERR_ARG); /* does not fit */
    /* typed over a prefilled directory: "//" and "/~/" start the path again */
    assert_int_equal(pathcomp_complete("/somewhere/else/~/be", &pc, &e), ERR_OK);
    assert_string_equal(pc.text, "~/beta.safetensors");
    char typed[4200];
    snprintf(typed, sizeof typed, "/work/main/%s/be", root);
    assert_int_equal(pathcomp_complete(typed, &pc, &e), ERR_OK);
    assert_string_equal(pc.text + strlen(root), "/beta.safetensors");
    assert_int_equal(strncmp(pc.text, root, strlen(root)), 0);
    assert_int_equal(path_expand("/work/main//etc/x", x, sizeof x, &e), ERR_OK);
    assert_string_equal(x, "/etc/x");
    assert_int_equal(path_expand("/a/b/~/m", x, sizeof x, &e), ERR_OK);
    assert_string_equal(x + strlen(root), "/m");
    assert_string_equal(path_restart("/a/~b"), "/a/~b"); /* "~b" is a name */
    setenv("HOME", old_home, 1);
    /* an unreadable directory names itself */
    assert_int_equal(pathcomp_complete("/no/such/dir/x", &pc, &e), ERR_IO);
    tu_assert_contains(e.msg, "/no/such/dir/");
}

static void test_recent_order_and_cap(void **state)
{
    (void)state;
    Recent r = {0};
    char p[4200];
    for (int i = 0; i < 12; i++) {
        snprintf(p, sizeof p, "/models/m%d.safetensors", i);
        assert_true(recent_add(&r, p));
    }
    assert_int_equal(r.n, RECENT_MAX);
    assert_string_equal(r.path[0], "/models/m11.safetensors");
    assert_string_equal(r.path[9], "/models/m2.safetensors");
    /* an entry already there moves to the front, no duplicate */
    assert_true(recent_add(&r, "/models/m5.safetensors"));
    assert_int_equal(r.n, RECENT_MAX);
    assert_string_equal(r.path[0], "/models/m5.safetensors");
    assert_string_equal(r.path[1], "/models/m11.safetensors");
    for (int i = 1; i < r.n; i++)
        assert_string_not_equal(r.path[i], "/models/m5.safetensors");
    /* relative paths are stored absolute; a newline cannot be stored */
    Recent s = {0};
    assert_true(recent_add(&s, "rel.safetensors"));
    assert_true(s.path[0][0] == '/');
    tu_assert_contains(s.path[0], "/rel.safetensors");
    assert_false(recent_add(&s, "/a\nb"));
    assert_int_equal(s.n, 1);
}

static void test_recent_file_round_trip(void **state)
{
    (void)state;
    char cfg[4200], file[4200];
    snprintf(cfg, sizeof cfg, "%s/cfg", tu_tmpdir());
    setenv("XDG_CONFIG_HOME", cfg, 1);
    Err e = {0};
    assert_int_equal(recent_file(file, sizeof file, &e), ERR_OK);
    assert_string_equal(file + strlen(cfg), "/zspace/recent");
    Recent r = {0}, back = {0};
    assert_int_equal(recent_load(&r, file, &e), ERR_OK); /* missing: empty */
    assert_int_equal(r.n, 0);
    char a[4200], b[4200];
    snprintf(a, sizeof a, "%s/alpha.safetensors", root);
    snprintf(b, sizeof b, "%s/gone.safetensors", root);
    recent_add(&r, b);
    recent_add(&r, a);
    assert_int_equal(recent_save(&r, file, &e), ERR_OK); /* creates cfg/zspace/ */
    assert_int_equal(recent_load(&back, file, &e), ERR_OK);
    assert_int_equal(back.n, 2);
    assert_string_equal(back.path[0], a);
    assert_string_equal(back.path[1], b);
    /* only files that exist are offered */
    Recent shown;
    recent_existing(&back, &shown);
    assert_int_equal(shown.n, 1);
    assert_string_equal(shown.path[0], a);
    /* blank lines are skipped */
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fprintf(f, "\n%s\n\n", a);
    fclose(f);
    assert_int_equal(recent_load(&back, file, &e), ERR_OK);
    assert_int_equal(back.n, 1);
    /* a directory that cannot be made is an error naming it */
    assert_int_not_equal(recent_save(&r, "/proc/no/zspace/recent", &e), ERR_OK);
    tu_assert_contains(e.msg, "/proc/no");
    unsetenv("XDG_CONFIG_HOME");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_common_prefix),
        cmocka_unit_test(test_directories_and_dotfiles),
        cmocka_unit_test(test_home_and_errors),
        cmocka_unit_test(test_recent_order_and_cap),
        cmocka_unit_test(test_recent_file_round_trip),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
