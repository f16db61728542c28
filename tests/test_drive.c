/* test_drive: the explorer driver (drive/drive.h) without an explorer: a
 * stand-in executable records its arguments, environment, directory and
 * stderr; dumps are JSON written here. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "drive/drive.h"
#include "io/slurp.h"
#include "test_util.h"

static char *read_text(const char *path)
{
    uint8_t *s = NULL;
    size_t len;
    Err e = {0};
    if (io_slurp(path, 1 << 20, &s, &len, &e) != ERR_OK)
        fail_msg("%s", e.msg);
    return (char *)s;
}

static void test_run(void **state)
{
    (void)state;
    /* the stand-in: its argv, two variables and its directory to out.txt,
     * a line to stderr, exit status 3 */
    const char *out = tu_path("out.txt");
    char body[8192];
    snprintf(body, sizeof body,
             "#!/bin/sh\n"
             "{ printf '%%s|' \"$@\"; echo; echo \"A=$DRIVE_A B=$DRIVE_B\"; pwd; } > '%s'\n"
             "echo 'from the child' >&2\n"
             "exit 3\n",
             out);
    const char *exe = tu_write("fake-zspace", body, strlen(body));
    assert_int_equal(chmod(exe, 0755), 0);
    setenv("DRIVE_B", "kept", 1);
    setenv("DRIVE_A", "replaced", 1);
    const char *args[] = {"-m", "x y.safetensors", NULL};
    const char *env[] = {"DRIVE_A=set", NULL};
    const char *err = tu_path("child.err");
    tu_write("child.err", "before\n", 7);
    DriveRun r = {
        .exe = exe, .script = "s.txt", .args = args, .env = env, .dir = "/", .stderr_path = err};
    int st = -1;
    Err e = {0};
    assert_int_equal(drive_run(&r, &st, &e), ERR_OK);
    assert_int_equal(st, 3);
    char *text = read_text(out);
    assert_string_equal(text, "explore|--script|s.txt|-m|x y.safetensors|\nA=set B=kept\n/\n");
    free(text);
    text = read_text(err);
    assert_string_equal(text, "before\nfrom the child\n"); /* appended */
    free(text);
    /* a binary that does not exist: the child reports 127 */
    r.exe = tu_path("no-such-binary");
    r.stderr_path = NULL;
    assert_int_equal(drive_run(&r, &st, &e), ERR_OK);
    assert_int_equal(st, 127);
}

static void test_dump_reading(void **state)
{
    (void)state;
    Err e = {0};
    const char *path = tu_path("dump.json");
    assert_int_equal(drive_write_script(path,
                                        "{\"view\": {\"center\": [1, 2], \"scale\": 10, "
                                        "\"map_rect\": [20, 40, 200, 100], \"pixel_scale\": 2},"
                                        " \"training\": {\"running\": true, \"buttons\": "
                                        "{\"tr/continue\": [10, 20, 31, 41]}}, \"s\": \"x\"}\n",
                                        &e),
                     ERR_OK);
    cJSON *j = drive_load(path, &e);
    assert_non_null(j);
    assert_true(jsonpath_num(j, "view.scale") == 10);
    assert_true(jsonpath_num(j, "training.running") == 1); /* a boolean reads as 0/1 */
    assert_true(isnan(jsonpath_num(j, "training.absent")));
    assert_true(isnan(jsonpath_num(j, "s"))); /* not a number */
    assert_null(jsonpath_get(j, "view.center.x"));
    assert_non_null(jsonpath_get(j, "training.buttons.tr/continue"));
    int r[4];
    assert_int_equal(drive_rect_points(j, "training.buttons.tr/continue", r), 0);
    assert_int_equal(r[0], 5); /* drawable pixels / pixel_scale, truncated */
    assert_int_equal(r[1], 10);
    assert_int_equal(r[2], 15);
    assert_int_equal(r[3], 20);
    assert_int_equal(drive_rect_points(j, "view.center", r), -1);
    /* map (1, 2) is the rect's middle; one unit right is scale pixels */
    int wx, wy;
    assert_int_equal(drive_map_to_window(j, 1, 2, &wx, &wy), 0);
    assert_int_equal(wx, 60);
    assert_int_equal(wy, 45);
    assert_int_equal(drive_map_to_window(j, 2, 1, &wx, &wy), 0);
    assert_int_equal(wx, 65);
    assert_int_equal(wy, 50); /* y grows upwards on the map */
    cJSON_Delete(j);
    /* missing and broken files name the file */
    assert_null(drive_load(tu_path("never.json"), &e));
    tu_assert_contains(e.msg, "never.json");
    tu_write("bad.json", "{\"a\": ", 6);
    assert_null(drive_load(tu_path("bad.json"), &e));
    tu_assert_contains(e.msg, "not valid JSON");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run),
        cmocka_unit_test(test_dump_reading),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
