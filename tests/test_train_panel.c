/* test_train_panel: the explorer's Training panel without a window or a
 * trainer. It edits only its own state (knobs, form) and returns what the
 * user asked for as TRAIN_ACT_* bits; driven by synthetic input through the
 * same ui_input_* calls the app uses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "app/view_train.h"
#include "ui_fake.h"

static int frame_no;

/* The panel as app_train_init leaves it, idle. */
static void panel_default(AppTrain *tr)
{
    memset(tr, 0, sizeof *tr);
    train_panel_defaults(tr);
    tr->r_train = ui_rect(500, 20, 420, 1900);
}

static int frame(AppTrain *tr, const TrainPanelIn *in)
{
    ui_begin(&ui, 1000, 2000, frame_no++ * (1.0 / 60));
    int act = train_panel(&ui, tr, in);
    ui_end(&ui);
    return act;
}

static UiRect button_rect(const AppTrain *tr, const char *id)
{
    for (int i = 0; i < tr->nbuttons; i++)
        if (!strcmp(tr->buttons[i].id, id))
            return tr->buttons[i].r;
    fail_msg("no button %s", id);
    return ui_rect(0, 0, 0, 0);
}

/* Click the button `id` (press one frame, release the next); returns the
 * action bits of those frames. */
static int click(AppTrain *tr, const TrainPanelIn *in, const char *id)
{
    frame(tr, in);
    UiRect r = button_rect(tr, id);
    assert_true(r.w > 0 && r.h > 0);
    int x = r.x + r.w / 2, y = r.y + r.h / 2;
    ui_input_motion(&ui, x, y);
    ui_input_button(&ui, x, y, UI_MOUSE_LEFT, true);
    int act = frame(tr, in);
    ui_input_button(&ui, x, y, UI_MOUSE_LEFT, false);
    act |= frame(tr, in);
    ui_input_motion(&ui, 0, 0);
    frame(tr, in);
    return act;
}

static void test_idle_new_and_continue(void **state)
{
    (void)state;
    static AppTrain tr; /* large: off the stack */
    panel_default(&tr);
    TrainPanelIn in = {.live = false, .can_train = true, .can_continue = false};
    assert_int_equal(click(&tr, &in, "tr/continue"), 0); /* nothing to continue */
    assert_int_equal(click(&tr, &in, "tr/new"), TRAIN_ACT_NEW);
    in.can_continue = true;
    assert_int_equal(click(&tr, &in, "tr/continue"), TRAIN_ACT_CONTINUE);
    in.can_train = false; /* no trainer: no new model */
    assert_int_equal(click(&tr, &in, "tr/new"), 0);
}

static void test_form_edits_own_state(void **state)
{
    (void)state;
    static AppTrain tr; /* large: off the stack */
    panel_default(&tr);
    TrainPanelIn in = {.live = false, .can_train = true};
    assert_int_equal(click(&tr, &in, "tr/z/3"), 0); /* a form choice asks for nothing */
    assert_int_equal(tr.z, app_train_z[3]);
    assert_int_equal(click(&tr, &in, "tr/zfree/+"), 0);
    assert_int_equal(tr.z, app_train_z[3] + 1);
    assert_string_equal(tr.z_text, "33"); /* the free entry follows */
    assert_int_equal(click(&tr, &in, "tr/hidden/0"), 0);
    assert_int_equal(tr.hidden_i, 0);
    /* while a run is live the form is locked, but the epochs stay editable */
    in.live = true;
    tr.snap.state = TRAIN_RUNNING;
    assert_int_equal(click(&tr, &in, "tr/z/0"), 0);
    assert_int_equal(tr.z, app_train_z[3] + 1);
    int epochs = tr.epochs;
    click(&tr, &in, "tr/epochs/+");
    assert_int_equal(tr.epochs, epochs + 1);
}

static void test_run_controls(void **state)
{
    (void)state;
    static AppTrain tr; /* large: off the stack */
    panel_default(&tr);
    TrainPanelIn in = {.live = true, .can_train = true};
    tr.snap.run = 1;
    tr.snap.state = TRAIN_RUNNING;
    assert_int_equal(click(&tr, &in, "tr/pause"), TRAIN_ACT_PAUSE);
    assert_int_equal(click(&tr, &in, "tr/step"), 0); /* only through a pause */
    tr.snap.state = TRAIN_PAUSED;
    assert_int_equal(click(&tr, &in, "tr/pause"), TRAIN_ACT_RESUME);
    assert_int_equal(click(&tr, &in, "tr/step"), TRAIN_ACT_STEP);
    assert_int_equal(click(&tr, &in, "tr/stop"), TRAIN_ACT_STOP);
    tr.snap.state = TRAIN_STOPPING;
    assert_int_equal(click(&tr, &in, "tr/stop"), 0);
}

static void test_knobs_ask_for_params(void **state)
{
    (void)state;
    static AppTrain tr; /* large: off the stack */
    panel_default(&tr);
    TrainPanelIn in = {.live = false, .can_train = true};
    assert_int_equal(click(&tr, &in, "tr/lr/0"), TRAIN_ACT_PARAMS);
    assert_int_equal(tr.lr_i, 0);
    assert_int_equal(click(&tr, &in, "tr/lr/0"), 0); /* the same choice again */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_idle_new_and_continue),
        cmocka_unit_test(test_form_edits_own_state),
        cmocka_unit_test(test_run_controls),
        cmocka_unit_test(test_knobs_ask_for_params),
    };
    return cmocka_run_group_tests(tests, ui_fake_setup, ui_fake_teardown);
}
