/* test_start_gui: which dataset the explorer starts on when none is named
 * (suite gui). With MNIST it is MNIST; without it (ZSPACE_DATA pointing at
 * an empty directory) it is Fashion-MNIST, the default model trains on it
 * live, and one more toast (how to add MNIST) is shown than with MNIST:
 * never an empty window with an error.
 *
 * usage: test_start_gui ZSPACE_BINARY
 * Skips (77) without Xvfb, a GL 3.3 context, MNIST or Fashion-MNIST. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "data/dataset.h"
#include "gui_util.h"
#include "test_util.h"

static int setup(void **state)
{
    (void)state;
    char dir[4096];
    if (!dataset_dir(dataset_find("mnist"), dir, sizeof dir))
        tu_skip("MNIST is not available");
    if (!dataset_dir(dataset_find("fashion"), dir, sizeof dir))
        tu_skip("Fashion-MNIST is not available");
    return 0;
}

/* Start with an empty cache (the default model then trains live) and env;
 * *early is the dump-state of the first frame (taken before anything is
 * drawn, so every start-up toast is still counted, however slow the start),
 * *ready the one taken once the map is drawn. */
static void start(const char *name, const char *env, cJSON **early, cJSON **ready)
{
    char cache[4200], script[9000], j0[4200], j1[4200], n0[256], n1[256];
    snprintf(cache, sizeof cache, "%s/cache-%s", tu_tmpdir(), name);
    snprintf(n0, sizeof n0, "%s-early.json", name);
    snprintf(n1, sizeof n1, "%s-ready.json", name);
    snprintf(j0, sizeof j0, "%s", tu_path(n0));
    snprintf(j1, sizeof j1, "%s", tu_path(n1));
    snprintf(script, sizeof script,
             "dump-state %s\nwait-ready 60\nwait 2 frames\ndump-state %s\nquit\n",
             j0, j1);
    gu_stderr_clear();
    assert_int_equal(gu_explore(script, "--size 1024x768", env, cache), 0);
    *early = gu_load_json(j0);
    *ready = gu_load_json(j1);
}

static void test_start_dataset(void **state)
{
    (void)state;
    cJSON *with0, *with1, *without0, *without1;
    start("with", "ZSPACE_TRAIN_LIMIT=2000", &with0, &with1);
    assert_string_equal(gu_str(with1, "model.dataset"), "mnist");
    assert_true(gu_num(with1, "map.ready"));

    char env[4300], empty[4200];
    snprintf(empty, sizeof empty, "%s/no-mnist", tu_tmpdir());
    mkdir(empty, 0755);
    snprintf(env, sizeof env, "ZSPACE_TRAIN_LIMIT=2000 ZSPACE_DATA=%s", empty);
    start("without", env, &without0, &without1);
    assert_string_equal(gu_str(without1, "model.dataset"), "fashion");
    assert_true(gu_num(without1, "model.loaded"));
    assert_true(gu_num(without1, "map.ready"));
    assert_true(gu_num(without1, "training.running"));
    /* the one line saying how to add MNIST, besides what every start shows */
    assert_true(gu_num(with0, "ui.toasts") >= 1);
    assert_int_equal((int)gu_num(without0, "ui.toasts"), (int)gu_num(with0, "ui.toasts") + 1);
    char *err = gu_stderr_text();
    assert_string_equal(err, "");
    free(err);
    cJSON_Delete(with0);
    cJSON_Delete(with1);
    cJSON_Delete(without0);
    cJSON_Delete(without1);
}

int main(int argc, char **argv)
{
    gu_init(argc, argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_start_dataset),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
