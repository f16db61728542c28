/* test_session: the explorer's session file (explore/session.h), headless: a
 * full session survives save and load unchanged; unknown keys are ignored
 * and absent ones stay absent; and every kind of bad file (empty, cut
 * short, not JSON, not an object, no or a newer version, wrong types,
 * values out of range, too big, missing) is one error naming the file and,
 * where there is one, the key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "explore/script.h"
#include "explore/session.h"
#include "test_util.h"

static Session full(void)
{
    Session s;
    session_init(&s);
    snprintf(s.model, sizeof s.model, "/lessons/week3/z8.safetensors");
    snprintf(s.dataset, sizeof s.dataset, "fashion");
    s.points = 70000;
    s.has_view = true;
    s.center[0] = -1.25f;
    s.center[1] = 0.5f;
    s.scale = 123.4375f;
    s.z_dim = 8;
    for (int d = 0; d < 8; d++)
        s.z[d] = 0.25f * (float)d - 1.0f;
    s.slot = SESSION_SLOT_WALK;
    s.has_panels = true;
    s.side = false;
    s.legend = true;
    s.status = false;
    s.text_scale = 1.5f;
    s.high_contrast = 1;
    s.sort_by_kl = 0;
    s.window[0] = 1024;
    s.window[1] = 768;
    return s;
}

static void test_round_trip(void **state)
{
    (void)state;
    Session s = full(), t;
    const char *path = tu_path("lesson/sub/session.json"); /* directories created */
    Err e = {0};
    assert_int_equal(session_save(&s, path, &e), ERR_OK);
    assert_int_equal(session_load(&t, path, &e), ERR_OK);
    assert_string_equal(t.model, s.model);
    assert_string_equal(t.dataset, "fashion");
    assert_int_equal(t.points, 70000);
    assert_true(t.has_view);
    assert_true(t.center[0] == s.center[0] && t.center[1] == s.center[1]);
    assert_true(t.scale == s.scale);
    assert_int_equal(t.z_dim, 8);
    for (int d = 0; d < 8; d++)
        assert_true(t.z[d] == s.z[d]);
    assert_int_equal(t.slot, SESSION_SLOT_WALK);
    assert_true(t.has_panels);
    assert_false(t.side);
    assert_true(t.legend);
    assert_false(t.status);
    assert_true(t.text_scale == 1.5f);
    assert_int_equal(t.high_contrast, 1);
    assert_int_equal(t.sort_by_kl, 0);
    assert_int_equal(t.window[0], 1024);
    assert_int_equal(t.window[1], 768);
    /* the default model is stored as null and comes back as "" */
    s.model[0] = '\0';
    char *text = session_to_json(&s);
    assert_non_null(text);
    tu_assert_contains(text, "\"model\":\tnull");
    assert_int_equal(session_parse(&t, "x", text, strlen(text), &e), ERR_OK);
    assert_string_equal(t.model, "");
    free(text);
}

static void test_minimal_and_unknown_keys(void **state)
{
    (void)state;
    const char *text = "{\"version\": 1, \"from_the_future\": {\"x\": [1, 2]}, \"slot\": \"sampling\"}";
    Session s;
    Err e = {0};
    assert_int_equal(session_parse(&s, "m.json", text, strlen(text), &e), ERR_OK);
    assert_int_equal(s.slot, SESSION_SLOT_SAMPLING);
    assert_string_equal(s.model, "");
    assert_string_equal(s.dataset, "");
    assert_int_equal(s.points, 0);
    assert_false(s.has_view);
    assert_int_equal(s.z_dim, 0);
    assert_false(s.has_panels);
    assert_true(s.text_scale == 0);
    assert_int_equal(s.high_contrast, -1);
    assert_int_equal(s.sort_by_kl, -1);
    assert_int_equal(s.window[0], 0);
    /* absent panels inside "panels" are shown */
    const char *p = "{\"version\": 1, \"panels\": {\"legend\": false}}";
    assert_int_equal(session_parse(&s, "p.json", p, strlen(p), &e), ERR_OK);
    assert_true(s.has_panels && s.side && !s.legend && s.status);
}

/* Parse text; expect ERR_FORMAT and a message naming the file and saying why. */
static void expect_bad(const char *text, const char *why)
{
    Session s;
    Err e = {0};
    int rc = session_parse(&s, "bad.json", text, strlen(text), &e);
    if (rc != ERR_FORMAT)
        fail_msg("accepted (%d): %s", rc, text);
    tu_assert_contains(e.msg, "session bad.json: ");
    tu_assert_contains(e.msg, why);
    /* a failed parse restores nothing */
    assert_int_equal(s.z_dim, 0);
    assert_false(s.has_view);
}

static void test_not_a_session(void **state)
{
    (void)state;
    expect_bad("", "empty");
    expect_bad("  \n", "empty");
    expect_bad("{\"version\": 1, \"z\": [0.5, ", "not valid JSON");
    expect_bad("{\"version\": 1,, }", "not valid JSON");
    expect_bad("version = 1", "not valid JSON");
    expect_bad("[1, 2]", "not a JSON object");
    expect_bad("{\"version\": 1} trailing", "after the JSON object");
    expect_bad("{\"z\": [0, 0]}", "no \"version\"");
    expect_bad("{\"version\": \"1\"}", "\"version\" is not a positive whole number");
    expect_bad("{\"version\": 1.5}", "\"version\" is not");
    expect_bad("{\"version\": 2}", "version 2 is newer");
}

static void test_wrong_types(void **state)
{
    (void)state;
    expect_bad("{\"version\": 1, \"model\": 7}", "\"model\" is not a string");
    expect_bad("{\"version\": 1, \"dataset\": \"cifar\"}", "\"dataset\" is not");
    expect_bad("{\"version\": 1, \"view\": [1, 2]}", "\"view\" is not an object");
    expect_bad("{\"version\": 1, \"view\": {\"scale\": 10}}", "needs both");
    expect_bad("{\"version\": 1, \"view\": {\"center\": [0], \"scale\": 10}}",
               "\"view.center\" has 1 values, expected 2");
    expect_bad("{\"version\": 1, \"z\": \"0 0\"}", "\"z\" is not an array");
    expect_bad("{\"version\": 1, \"z\": [0, \"a\"]}", "\"z[1]\" is not a number");
    expect_bad("{\"version\": 1, \"slot\": \"curves\"}", "\"slot\" is not one of");
    expect_bad("{\"version\": 1, \"panels\": {\"side\": 1}}", "\"panels.side\" is not true");
    expect_bad("{\"version\": 1, \"text_scale\": \"big\"}", "\"text_scale\" is not a number");
    expect_bad("{\"version\": 1, \"high_contrast\": \"yes\"}", "\"high_contrast\" is not true");
    expect_bad("{\"version\": 1, \"sort_by_kl\": null}", "\"sort_by_kl\" is not true");
}

static void test_out_of_range(void **state)
{
    (void)state;
    expect_bad("{\"version\": 1, \"text_scale\": 9}", "\"text_scale\" = 9 is outside 0.6..2.5");
    expect_bad("{\"version\": 1, \"text_scale\": 0}", "\"text_scale\" = 0 is outside");
    expect_bad("{\"version\": 1, \"view\": {\"center\": [0, 0], \"scale\": -3}}",
               "\"view.scale\" = -3 is outside");
    expect_bad("{\"version\": 1, \"view\": {\"center\": [1e300, 0], \"scale\": 3}}",
               "\"view.center[0]\" = 1e+300 is outside");
    expect_bad("{\"version\": 1, \"z\": [0, 1e9]}", "\"z[1]\" = 1e+09 is outside");
    expect_bad("{\"version\": 1, \"z\": []}", "\"z\" has 0 values, expected 1..256");
    expect_bad("{\"version\": 1, \"points\": 12345}", "\"points\" is not 10000");
    expect_bad("{\"version\": 1, \"window\": [100, 100]}", "\"window[0]\" = 100 is outside");
    expect_bad("{\"version\": 1, \"window\": [300, 300]}", "\"window\" is not [width >= 320");
    expect_bad("{\"version\": 1, \"window\": [1024.5, 768]}", "whole points");
    /* 257 values: more than any model's Z */
    char big[4096] = "{\"version\": 1, \"z\": [0";
    for (int i = 1; i < 257; i++)
        strcat(big, ",0");
    strcat(big, "]}");
    expect_bad(big, "\"z\" has 257 values");
}

static void test_files(void **state)
{
    (void)state;
    Session s;
    Err e = {0};
    assert_int_equal(session_load(&s, tu_path("no-such.json"), &e), ERR_IO);
    tu_assert_contains(e.msg, "no-such.json: cannot open: No such file");
    /* truncated on disk: the first half of a good file */
    Session g = full();
    char *text = session_to_json(&g);
    assert_non_null(text);
    const char *half = tu_write("half.json", text, strlen(text) / 2);
    err_clear(&e);
    assert_int_equal(session_load(&s, half, &e), ERR_FORMAT);
    tu_assert_contains(e.msg, "half.json: not valid JSON");
    free(text);
    /* absurdly large */
    size_t n = SESSION_FILE_MAX + 10;
    char *junk = malloc(n);
    assert_non_null(junk);
    memset(junk, ' ', n);
    const char *huge = tu_write("huge.json", junk, n);
    free(junk);
    err_clear(&e);
    assert_int_equal(session_load(&s, huge, &e), ERR_FORMAT);
    tu_assert_contains(e.msg, "larger than");
    /* binary junk */
    const char bin[] = {'\x7f', 'E', 'L', 'F', '\0', '\x01'};
    err_clear(&e);
    assert_int_equal(session_load(&s, tu_write("bin.json", bin, sizeof bin), &e), ERR_FORMAT);
    /* a NUL inside the object (cJSON would cut "a\0b" to "a") */
    const char nul[] = "{\"version\": 1, \"model\": \"a\0b.safetensors\"}";
    err_clear(&e);
    assert_int_equal(session_load(&s, tu_write("nul.json", nul, sizeof nul - 1), &e), ERR_FORMAT);
    tu_assert_contains(e.msg, "a NUL byte at byte 26");
    /* a directory, a FIFO with no writer: refused at once, never a wait */
    err_clear(&e);
    assert_int_equal(session_load(&s, tu_tmpdir(), &e), ERR_IO);
    tu_assert_contains(e.msg, "is a directory");
    assert_int_equal(mkfifo(tu_path("fifo.json"), 0600), 0);
    err_clear(&e);
    assert_int_equal(session_load(&s, tu_path("fifo.json"), &e), ERR_IO);
    tu_assert_contains(e.msg, "fifo.json: cannot open: not a regular file");
    /* saving where a directory cannot be made fails and says where */
    tu_write("plainfile", "x", 1);
    err_clear(&e);
    Session f = full();
    assert_int_not_equal(session_save(&f, tu_path("plainfile/session.json"), &e), ERR_OK);
    tu_assert_contains(e.msg, "plainfile");
}

/* The --script file, read by the same rules: a NUL byte (which would hide
 * every later line, `quit` included), a directory and a FIFO are refused
 * with a message instead of leaving the window waiting forever. */
static void test_script_files(void **state)
{
    (void)state;
    Script sc;
    Err e = {0};
    const char good[] = "wait 1s\nquit\n";
    assert_int_equal(script_load(&sc, tu_write("ok.zs", good, sizeof good - 1), &e), ERR_OK);
    assert_int_equal(sc.n, 2);
    script_free(&sc);
    const char nul[] = "wait 1s\n\0\nquit\n";
    assert_int_equal(script_load(&sc, tu_write("nul.zs", nul, sizeof nul - 1), &e), ERR_FORMAT);
    tu_assert_contains(e.msg, "a NUL byte at byte 8");
    err_clear(&e);
    assert_int_equal(script_load(&sc, tu_tmpdir(), &e), ERR_IO);
    tu_assert_contains(e.msg, "is a directory");
    assert_int_equal(mkfifo(tu_path("fifo.zs"), 0600), 0);
    err_clear(&e);
    assert_int_equal(script_load(&sc, tu_path("fifo.zs"), &e), ERR_IO);
    tu_assert_contains(e.msg, "not a regular file");
}

static void test_default_path(void **state)
{
    (void)state;
    char buf[4096];
    setenv("XDG_CONFIG_HOME", "/tmp/cfg", 1);
    session_default_path(buf, sizeof buf);
    assert_string_equal(buf, "/tmp/cfg/zspace/session.json");
    unsetenv("XDG_CONFIG_HOME");
    setenv("HOME", "/home/t", 1);
    session_default_path(buf, sizeof buf);
    assert_string_equal(buf, "/home/t/.config/zspace/session.json");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_minimal_and_unknown_keys),
        cmocka_unit_test(test_not_a_session),
        cmocka_unit_test(test_wrong_types),
        cmocka_unit_test(test_out_of_range),
        cmocka_unit_test(test_files),
        cmocka_unit_test(test_script_files),
        cmocka_unit_test(test_default_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
