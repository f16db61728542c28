/* test_side_gui: the side column's slot under the decoder (sliders,
 * Sampling, Training, Walk, Draw) is one choice. The last panel asked for
 * takes the slot; a panel toggled off gives it back to the one it took it
 * from. S, I, S shows the Sampling panel (it once left the Walk panel up
 * until a second S). A session's slot goes through the same path.
 *
 * usage: test_side_gui ZSPACE_BINARY
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
    snprintf(model_path, sizeof model_path, "%s", gu_save_tiny_mnist("side.safetensors", 2, 128, 2, 7));
    return 0;
}

/* Each panel's own flag in the dump agrees with the one slot. */
static void assert_slot(const cJSON *st, const char *slot, const char *after)
{
    print_message("after %-3s slot %s\n", after, gu_str(st, "panels.slot"));
    assert_string_equal(gu_str(st, "panels.slot"), slot);
    assert_int_equal((int)gu_num(st, "sampling.visible"), strcmp(slot, "sampling") == 0);
    assert_int_equal((int)gu_num(st, "walk.show"), strcmp(slot, "walk") == 0);
    assert_int_equal((int)gu_num(st, "training.shown"), strcmp(slot, "training") == 0);
    assert_int_equal((int)gu_num(st, "draw.shown"), strcmp(slot, "draw") == 0);
    assert_int_equal((int)gu_num(st, "neighbours.visible"), strcmp(slot, "sliders") == 0);
}

static void run_keys(const char *opt, const char *const *keys, const char *const *want, int n)
{
    char script[8192];
    int len = snprintf(script, sizeof script, "wait-ready\nwait 2 frames\n");
    for (int i = 0; i < n; i++) {
        char name[32];
        snprintf(name, sizeof name, "k%d.json", i);
        len += snprintf(script + len, sizeof script - (size_t)len,
                        "key %s\nwait 3 frames\ndump-state %s\n", keys[i], tu_path(name));
    }
    snprintf(script + len, sizeof script - (size_t)len, "quit\n");
    assert_int_equal(gu_explore(script, opt, NULL, NULL), 0);
    for (int i = 0; i < n; i++) {
        char name[32];
        snprintf(name, sizeof name, "k%d.json", i);
        cJSON *st = gu_load_json(tu_path(name));
        assert_slot(st, want[i], keys[i]);
        cJSON_Delete(st);
    }
}

static void test_keys(void **state)
{
    (void)state;
    char opt[4200];
    snprintf(opt, sizeof opt, "-m %s", model_path);
    static const char *const keys[] = {"S", "I", "S", "S", "T", "T", "D", "D", "I", "I"};
    static const char *const want[] = {"sampling", "walk", "sampling", "walk", "training",
                                       "walk", "draw", "walk", "sliders", "walk"};
    run_keys(opt, keys, want, 10);
}

static void test_session_slot(void **state)
{
    (void)state;
    static const char ses_text[] = "{\"version\": 1, \"slot\": \"sampling\"}";
    const char *ses = tu_write("slot.json", ses_text, strlen(ses_text));
    char opt[8400];
    snprintf(opt, sizeof opt, "-m %s --session %s", model_path, ses);
    static const char *const keys[] = {"I", "I", "S"};
    static const char *const want[] = {"walk", "sampling", "sliders"};
    run_keys(opt, keys, want, 3);
}

int main(int argc, char **argv)
{
    gu_init(argc, argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_session_slot),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
