/* test_files_gui: the explorer's Open (Ctrl+O) and Save as (Ctrl+S)
 * dialogs end to end under a private Xvfb, driven like a user: keys and
 * typed text through the SDL queue.
 *
 * 1. Ctrl+O, type the start of a path, Tab: the longest common prefix of
 *    the two matching files, both listed; type one more letter, Tab: the
 *    whole name; Enter opens that second model (the dump shows its path and
 *    Z = 8; typing "t" and "s" into the path toggled no panel). Ctrl+S to a
 *    new path writes a file vae_load reads back (Z = 8), and the recent
 *    list holds the saved file, then the opened one.
 * 2. A file that is not a model: the dialog stays open with the error in
 *    it and the first model stays loaded; a directory that cannot be
 *    written: the Save dialog says so; neither enters the recent list.
 * 3. The Training panel's free latent entry: 300 is refused with a
 *    message, 12 is taken.
 *
 * usage: test_files_gui ZSPACE_BINARY
 * Skips (77) without Xvfb, a GL 3.3 context, or MNIST. Two tiny models are
 * trained through the engine API in setup (~1 s). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
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
#include "vae/vae.h"
#include "vae/vae_io.h"

static char first[4096], second[4096], notes[4096], dir[4096];
static Dataset ds;

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n >= m && !strcmp(s + n - m, tail);
}

static int setup(void **state)
{
    (void)state;
    Err e = {0};
    if (dataset_load("mnist", &ds, &e) != ERR_OK)
        tu_skip("MNIST is not available");
    snprintf(dir, sizeof dir, "%s", tu_path("models"));
    mkdir(dir, 0755);
    mkdir(tu_path("saved"), 0755);
    snprintf(first, sizeof first, "%s", gu_save_tiny("first-z2.safetensors", &ds.train, 2, 64, 1, 1));
    snprintf(second, sizeof second, "%s",
             gu_save_tiny("models/second-z8.safetensors", &ds.train, 8, 64, 1, 2));
    /* the same prefix as the model, and not a model */
    snprintf(notes, sizeof notes, "%s", tu_write("models/second-notes.txt", "hello\n", 6));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    dataset_free(&ds);
    return 0;
}

static const char *item(const cJSON *o, const char *dotted, int i)
{
    const cJSON *a = gu_get(o, dotted);
    assert_true(cJSON_IsArray(a));
    assert_true(i < cJSON_GetArraySize(a));
    return cJSON_GetArrayItem(a, i)->valuestring;
}

static void test_open_complete_save_recent(void **state)
{
    (void)state;
    char saved[4096], script[16384], opt[4200];
    snprintf(saved, sizeof saved, "%s", tu_path("saved/copy-z8.safetensors"));
    snprintf(script, sizeof script,
             "wait-ready\n"
             "key Ctrl+O\nwait 3 frames\nkey Ctrl+U\n"
             "type %s/sec\nkey Tab\nwait 3 frames\ndump-state %s\n"
             "type z\nkey Tab\nwait 3 frames\ndump-state %s\n"
             "key Return\nwait-ready\nwait 5 frames\ndump-state %s\n"
             "key Ctrl+S\nwait 3 frames\nkey Ctrl+U\ntype %s\nkey Return\n"
             "wait-until dialog.saves >= 1 60\nwait 2 frames\n" /* written by a worker */
             "key Ctrl+O\nwait 3 frames\ndump-state %s\n"
             "key Escape\nwait 3 frames\ndump-state %s\nquit\n",
             dir, tu_path("c1.json"), tu_path("c2.json"), tu_path("c3.json"), saved,
             tu_path("c4.json"), tu_path("c5.json"));
    snprintf(opt, sizeof opt, "-m %s", first);
    assert_int_equal(gu_explore(script, opt, NULL, NULL), 0);

    cJSON *c1 = gu_load_json(tu_path("c1.json"));
    assert_string_equal(gu_str(c1, "dialog.open"), "open");
    assert_true(gu_num(c1, "dialog.focused"));
    assert_true(ends_with(gu_str(c1, "dialog.path"), "/models/second-"));
    assert_int_equal(cJSON_GetArraySize(gu_get(c1, "dialog.candidates")), 2);
    assert_string_equal(item(c1, "dialog.candidates", 0), "second-notes.txt");
    assert_string_equal(item(c1, "dialog.candidates", 1), "second-z8.safetensors");
    assert_false(gu_num(c1, "training.shown")); /* the typed "t"s went to the field */
    assert_false(gu_num(c1, "sampling.visible")); /* and the "s"s */
    assert_true(ends_with(gu_str(c1, "model.path"), "first-z2.safetensors"));

    cJSON *c2 = gu_load_json(tu_path("c2.json"));
    assert_string_equal(gu_str(c2, "dialog.path"), second);
    assert_int_equal(cJSON_GetArraySize(gu_get(c2, "dialog.candidates")), 0);

    cJSON *c3 = gu_load_json(tu_path("c3.json"));
    assert_string_equal(gu_str(c3, "dialog.open"), "none");
    assert_false(gu_num(c3, "dialog.focused"));
    assert_string_equal(gu_str(c3, "model.path"), second);
    assert_int_equal((int)gu_num(c3, "model.latent"), 8);
    assert_int_equal(cJSON_GetArraySize(gu_get(c3, "z")), 8);
    assert_true(gu_num(c3, "map.ready"));

    /* the saved file is a model with the shown weights' shape */
    Vae v;
    Err e = {0};
    assert_int_equal(vae_load(saved, &v, 1, NULL, &e), ERR_OK);
    assert_int_equal(v.cfg.z, 8);
    vae_free(&v);

    cJSON *c4 = gu_load_json(tu_path("c4.json"));
    assert_string_equal(gu_str(c4, "dialog.open"), "open");
    assert_int_equal((int)gu_num(c4, "dialog.saves"), 1);
    assert_string_equal(item(c4, "dialog.recent", 0), saved);
    assert_string_equal(item(c4, "dialog.recent", 1), second);
    assert_true(ends_with(gu_str(c4, "model.path"), "saved/copy-z8.safetensors"));

    cJSON *c5 = gu_load_json(tu_path("c5.json"));
    assert_string_equal(gu_str(c5, "dialog.open"), "none"); /* Esc */
    cJSON_Delete(c1);
    cJSON_Delete(c2);
    cJSON_Delete(c3);
    cJSON_Delete(c4);
    cJSON_Delete(c5);
}

static void test_errors_keep_the_model(void **state)
{
    (void)state;
    char script[16384], opt[4200];
    snprintf(script, sizeof script,
             "wait-ready\n"
             "key Ctrl+O\nwait 3 frames\nkey Ctrl+U\ntype %s\nkey Return\nwait 3 frames\n"
             "dump-state %s\nkey Escape\nwait 3 frames\n"
             "key Ctrl+S\nwait 3 frames\nkey Ctrl+U\ntype /proc/zspace-no/x.safetensors\n"
             "key Return\nwait-until dialog.saves >= 1 60\nwait 2 frames\ndump-state %s\n"
             "key Escape\nwait 3 frames\n"
             "dump-state %s\nquit\n",
             notes, tu_path("e1.json"), tu_path("e2.json"), tu_path("e3.json"));
    snprintf(opt, sizeof opt, "-m %s", first);
    assert_int_equal(gu_explore(script, opt, NULL, NULL), 0);

    cJSON *e1 = gu_load_json(tu_path("e1.json"));
    assert_string_equal(gu_str(e1, "dialog.open"), "open");
    tu_assert_contains(gu_str(e1, "dialog.error"), "Cannot open");
    tu_assert_contains(gu_str(e1, "dialog.error"), "second-notes.txt");
    assert_string_equal(gu_str(e1, "model.path"), first);
    assert_int_equal((int)gu_num(e1, "model.latent"), 2);
    assert_true(gu_num(e1, "map.ready"));

    cJSON *e2 = gu_load_json(tu_path("e2.json"));
    assert_string_equal(gu_str(e2, "dialog.open"), "save");
    assert_int_equal((int)gu_num(e2, "dialog.saves"), 1); /* failed on the worker */
    tu_assert_contains(gu_str(e2, "dialog.error"), "Cannot save");
    tu_assert_contains(gu_str(e2, "dialog.error"), "/proc/zspace-no");

    cJSON *e3 = gu_load_json(tu_path("e3.json"));
    assert_string_equal(gu_str(e3, "dialog.open"), "none");
    assert_string_equal(gu_str(e3, "model.path"), first);
    const cJSON *rec = gu_get(e3, "dialog.recent");
    for (int i = 0; i < cJSON_GetArraySize(rec); i++) {
        assert_false(ends_with(cJSON_GetArrayItem(rec, i)->valuestring, "second-notes.txt"));
        assert_false(ends_with(cJSON_GetArrayItem(rec, i)->valuestring, "x.safetensors"));
    }
    cJSON_Delete(e1);
    cJSON_Delete(e2);
    cJSON_Delete(e3);
}

/* The Training panel's free latent entry: any whole number 1..256 is taken,
 * anything else is refused with a message and the Z stays. */
static void test_free_latent_entry(void **state)
{
    (void)state;
    char script[4096], opt[4200];
    snprintf(opt, sizeof opt, "-m %s", first);
    /* the form is below the fold of the Training panel: scroll it there */
    const char *show = "wait-ready\nkey T\nwait 5 frames\nscroll 1120 650 -30\nwait 5 frames\n";
    snprintf(script, sizeof script, "%sdump-state %s\nquit\n", show, tu_path("z0.json"));
    assert_int_equal(gu_explore(script, opt, NULL, NULL), 0);
    cJSON *z0 = gu_load_json(tu_path("z0.json"));
    const cJSON *r = gu_get(z0, "training.buttons.tr/ztext");
    double ps = gu_num(z0, "view.pixel_scale");
    assert_true(cJSON_GetArrayItem(r, 3)->valueint > 0); /* scrolled into view */
    int x = (int)((cJSON_GetArrayItem(r, 0)->valueint + cJSON_GetArrayItem(r, 2)->valueint / 2) / ps);
    int y = (int)((cJSON_GetArrayItem(r, 1)->valueint + cJSON_GetArrayItem(r, 3)->valueint / 2) / ps);
    assert_int_equal((int)gu_num(z0, "training.form.latent"), 2);
    snprintf(script, sizeof script,
             "%s"
             "click %d %d\nwait 3 frames\nkey Ctrl+U\ntype 300\nkey Return\nwait 3 frames\n"
             "dump-state %s\n"
             "click %d %d\nwait 3 frames\nkey Ctrl+U\ntype 12\nkey Return\nwait 3 frames\n"
             "dump-state %s\nquit\n",
             show, x, y, tu_path("z1.json"), x, y, tu_path("z2.json"));
    assert_int_equal(gu_explore(script, opt, NULL, NULL), 0);
    cJSON *z1 = gu_load_json(tu_path("z1.json")), *z2 = gu_load_json(tu_path("z2.json"));
    assert_int_equal((int)gu_num(z1, "training.form.latent"), 2);
    tu_assert_contains(gu_str(z1, "training.form.latent_error"), "1 to 256");
    assert_true(gu_num(z1, "training.shown")); /* typing "3" etc. toggled nothing */
    assert_int_equal((int)gu_num(z2, "training.form.latent"), 12);
    assert_string_equal(gu_str(z2, "training.form.latent_error"), "");
    cJSON_Delete(z0);
    cJSON_Delete(z1);
    cJSON_Delete(z2);
}

int main(int argc, char **argv)
{
    gu_init(argc, argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_complete_save_recent),
        cmocka_unit_test(test_errors_keep_the_model),
        cmocka_unit_test(test_free_latent_entry),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
