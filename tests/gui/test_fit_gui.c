/* test_fit_gui: windows that fit. The first window keeps within the
 * display's usable bounds (the test's Xvfb screen is 1280x800): the default
 * 1280x800 as asked, a larger size shrunk to the screen, placed on it. At
 * 1024x768 every panel's text fits: dump-state's ui.cut_across (a line whose
 * end its clip cuts) is 0 for the sliders, Sampling, Training (with a run
 * going), Walk, Draw, the help and the Open dialog; ui.cut_down (a line cut
 * at a panel's top or bottom) is 0 except in the scrolling Training panel.
 * Screenshots of each are left in the test's directory.
 *
 * usage: test_fit_gui ZSPACE_BINARY
 * Skips (77) without Xvfb, without a GL 3.3 context, or without MNIST. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "data/dataset.h"
#include "gui_util.h"
#include "test_util.h"
#include "vae/vae.h"
#include "vae/vae_io.h"

static char model_path[4096];

static int setup(void **state)
{
    (void)state;
    snprintf(model_path, sizeof model_path, "%s", gu_save_tiny_mnist("fit.safetensors", 2, 128, 2, 5));
    return 0;
}

static void window_is(const char *opt, int w, int h)
{
    char script[4400];
    snprintf(script, sizeof script, "wait-ready\nwait 2 frames\ndump-state %s\nquit\n",
             tu_path("win.json"));
    assert_int_equal(gu_explore(script, opt, NULL, NULL), 0);
    cJSON *st = gu_load_json(tu_path("win.json"));
    print_message("%s: window %d x %d\n", opt, gu_int_at(st, "view.window", 0),
                  gu_int_at(st, "view.window", 1));
    assert_int_equal(gu_int_at(st, "view.window", 0), w);
    assert_int_equal(gu_int_at(st, "view.window", 1), h);
    cJSON_Delete(st);
}

static void test_first_window(void **state)
{
    (void)state;
    char opt[4200];
    snprintf(opt, sizeof opt, "-m %s", model_path);
    window_is(opt, 1280, 800); /* the default, where it fits */
    snprintf(opt, sizeof opt, "-m %s --size 1600x1000", model_path);
    window_is(opt, 1280, 800); /* larger than the screen: the screen */
    snprintf(opt, sizeof opt, "-m %s --size 1024x700", model_path);
    window_is(opt, 1024, 700);
}

typedef struct {
    const char *name, *keys; /* script lines that open the panel */
    bool scrolls;            /* a scrolling panel: lines at its edges may be cut */
} Panel;

static void test_panels_fit_1024(void **state)
{
    (void)state;
    /* where the Training panel's Continue button is at 1024x768 */
    char script[8192], opt[4200], train_keys[256];
    snprintf(opt, sizeof opt, "-m %s --size 1024x768", model_path);
    snprintf(script, sizeof script, "wait-ready\nkey T\nwait 3 frames\ndump-state %s\nquit\n",
             tu_path("t0.json"));
    assert_int_equal(gu_explore(script, opt, NULL, NULL), 0);
    cJSON *t0 = gu_load_json(tu_path("t0.json"));
    double ps = gu_num(t0, "view.pixel_scale");
    const char *cont = "training.buttons.tr/continue"; /* [x, y, w, h] drawable pixels */
    int bx = (int)((gu_int_at(t0, cont, 0) + gu_int_at(t0, cont, 2) / 2) / ps);
    int by = (int)((gu_int_at(t0, cont, 1) + gu_int_at(t0, cont, 3) / 2) / ps);
    cJSON_Delete(t0);
    /* the progress rows are filled once the run has measured its speed */
    snprintf(train_keys, sizeof train_keys,
             "key T\nwait 3 frames\nclick %d %d\nwait-until training.samples_per_s > 0 120\n", bx,
             by);
    const Panel panels[] = {
        {"sliders", "", false},
        {"sampling", "key S\n", false},
        /* a run going: the progress rows are the longest lines */
        {"training", train_keys, true},
        /* the classifier's line (loading or training on first use) is up */
        {"walk", "key T\nkey I\nwait-until walk.classifier != none 60\n", false},
        {"draw", "key D\n", false},
        {"help", "key D\nkey D\nkey I\nkey H\n", false},
        {"open", "key H\nkey Ctrl+O\ntype /nonexistent/fo\n", false},
    };
    int n = (int)(sizeof panels / sizeof panels[0]);
    int len = snprintf(script, sizeof script, "wait-ready\nwait 2 frames\n");
    for (int i = 0; i < n; i++)
        len += snprintf(script + len, sizeof script - (size_t)len,
                        "%swait 3 frames\nmove 5 5\nwait 2 frames\nscreenshot %s/fit-%s.png\n"
                        "dump-state %s/fit-%s.json\n",
                        panels[i].keys, tu_tmpdir(), panels[i].name, tu_tmpdir(),
                        panels[i].name);
    snprintf(script + len, sizeof script - (size_t)len, "quit\n");
    assert_int_equal(gu_explore(script, opt, "ZSPACE_TRAIN_LIMIT=3000", NULL), 0);
    for (int i = 0; i < n; i++) {
        char name[64];
        snprintf(name, sizeof name, "fit-%s.json", panels[i].name);
        cJSON *st = gu_load_json(tu_path(name));
        int across = (int)gu_num(st, "ui.cut_across"), down = (int)gu_num(st, "ui.cut_down");
        print_message("%-8s cut across %d, down %d\n", panels[i].name, across, down);
        const cJSON *cut = gu_get(st, "ui.cut_text");
        for (int k = 0; k < cJSON_GetArraySize(cut); k++)
            print_message("  \"%s\"\n", gu_str(cJSON_GetArrayItem(cut, k), "text"));
        assert_int_equal(gu_int_at(st, "view.window", 0), 1024);
        if (strcmp(panels[i].name, "training") == 0) /* the click started a run */
            assert_string_not_equal(gu_str(st, "training.state"), "idle");
        assert_int_equal(across, 0);
        if (!panels[i].scrolls)
            assert_int_equal(down, 0);
        cJSON_Delete(st);
    }
}

int main(int argc, char **argv)
{
    gu_init(argc, argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_window),
        cmocka_unit_test(test_panels_fit_1024),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
