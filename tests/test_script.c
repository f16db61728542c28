/* test_script: the explorer's --script language without a window: the
 * waiting steps (wait-until on a fake app state, wait-ready) and the parse
 * errors of wait-until. SDL runs with its event queue only, as in the fuzz
 * target, so input steps can push their events. */
#include <SDL.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "app/script_play.h"
#include "test_util.h"

/* A fake app state: "epoch" counts whole seconds of the fake clock,
 * "state" becomes "paused" at 3 s, anything else is absent. */
typedef struct {
    double now;
    int probes;
} Fake;

static void fake_probe(const void *ctx, const char *path, ScriptValue *v)
{
    Fake *f = (Fake *)ctx;
    f->probes++;
    v->kind = SV_NONE;
    if (!strcmp(path, "training.epoch")) {
        v->kind = SV_NUMBER;
        v->num = floor(f->now);
    } else if (!strcmp(path, "training.state")) {
        v->kind = SV_STRING;
        snprintf(v->str, sizeof v->str, "%s", f->now >= 3 ? "paused" : "running");
    }
}

/* Play s on the fake clock in 10 ms frames until it ends, fails or
 * max_s passes; returns the script_tick result, *t the time it ended. */
static int play(Script *s, Fake *f, double max_s, double *t, Err *e)
{
    for (f->now = 0; f->now < max_s && s->pc < s->n; f->now += 0.01) {
        ScriptOut out;
        ScriptWorld w = {.ready = true, .probe = fake_probe, .ctx = f};
        int rc = script_tick(s, 1, f->now, &w, &out, e);
        SDL_FlushEvents(SDL_FIRSTEVENT, SDL_LASTEVENT);
        if (rc != ERR_OK || out.done) {
            *t = f->now;
            return rc;
        }
    }
    *t = f->now;
    return ERR_OK;
}

static void test_until_number_and_string(void **state)
{
    (void)state;
    Script s;
    Err e = {0};
    assert_int_equal(script_parse(&s, "t.zss",
                                  "wait-until training.epoch >= 2\n"
                                  "wait-until training.state == paused 10\nquit\n", &e), ERR_OK);
    assert_int_equal(s.n, 3);
    assert_int_equal(s.steps[0].op, SC_WAIT_UNTIL);
    assert_int_equal((int)s.steps[0].seconds, 60);
    assert_true(isnan(s.steps[1].value)); /* a word: compared as a string */
    Fake f = {0};
    double t;
    assert_int_equal(play(&s, &f, 20, &t, &e), ERR_OK);
    assert_int_equal(s.pc, s.n);
    /* ended when the state turned "paused" at 3 s (read every 50 ms) */
    assert_true(t >= 3 && t < 3.2);
    /* the state is read a few times a second, not every frame */
    assert_true(f.probes > 40 && f.probes < 80);
    script_free(&s);
}

static void test_until_times_out_naming_the_value(void **state)
{
    (void)state;
    Script s;
    Err e = {0};
    assert_int_equal(script_parse(&s, "t.zss",
                                  "wait 1s\nwait-until training.epoch > 100 2\nquit\n", &e),
                     ERR_OK);
    Fake f = {0};
    double t;
    assert_int_not_equal(play(&s, &f, 20, &t, &e), ERR_OK);
    assert_true(t >= 3 && t < 3.2); /* 1 s of wait, then 2 s of wait-until */
    tu_assert_contains(e.msg, "t.zss:2: wait-until: training.epoch was 3 after 2 s, not > 100");
    script_free(&s);

    /* an absent path never satisfies, whichever operator */
    memset(&e, 0, sizeof e);
    assert_int_equal(script_parse(&s, "t.zss", "wait-until no.such != 5 1\n", &e), ERR_OK);
    assert_int_not_equal(play(&s, &f, 20, &t, &e), ERR_OK);
    tu_assert_contains(e.msg, "no.such was absent");
    script_free(&s);
    /* a number step does not compare a string */
    memset(&e, 0, sizeof e);
    assert_int_equal(script_parse(&s, "t.zss", "wait-until training.state != 0 1\n", &e), ERR_OK);
    assert_int_not_equal(play(&s, &f, 20, &t, &e), ERR_OK);
    tu_assert_contains(e.msg, "training.state was \"running\"");
    script_free(&s);
}

static void test_until_parse_errors(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "wait-until training.epoch >= \n",       /* no value */
        "wait-until training.epoch => 2\n",      /* no such operator */
        "wait-until training.state > paused\n",  /* strings: == and != only */
        "wait-until training.epoch >= 2 0\n",    /* no time at all */
        "wait-until training.epoch >= 2 3601\n", /* beyond an hour */
        "wait-until training.epoch >= 2 5s\n",   /* seconds are a whole number */
        "wait-until training.epoch >= inf\n",    /* never reachable */
        "wait-until training.epoch >= 2 5 6\n",  /* trailing */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        Script s;
        Err e = {0};
        assert_int_not_equal(script_parse(&s, "b.zss", bad[i], &e), ERR_OK);
        tu_assert_contains(e.msg, "b.zss:1: 'wait-until': usage: wait-until PATH");
        assert_null(s.steps);
    }
}

static void test_wait_ready(void **state)
{
    (void)state;
    Script s;
    Err e = {0};
    assert_int_equal(script_parse(&s, "r.zss", "wait-ready 2\nquit\n", &e), ERR_OK);
    ScriptOut out;
    ScriptWorld w = {.ready = false};
    assert_int_equal(script_tick(&s, 1, 0, &w, &out, &e), ERR_OK);
    assert_int_equal(script_tick(&s, 1, 1, &w, &out, &e), ERR_OK);
    assert_int_equal(s.pc, 0);
    w.ready = true;
    assert_int_equal(script_tick(&s, 1, 1.5, &w, &out, &e), ERR_OK);
    SDL_FlushEvents(SDL_FIRSTEVENT, SDL_LASTEVENT);
    assert_true(out.done);
    script_free(&s);
    /* never ready: an error after its 2 s */
    assert_int_equal(script_parse(&s, "r.zss", "wait-ready 2\nquit\n", &e), ERR_OK);
    w.ready = false;
    assert_int_equal(script_tick(&s, 1, 0, &w, &out, &e), ERR_OK);
    assert_int_not_equal(script_tick(&s, 1, 2.5, &w, &out, &e), ERR_OK);
    tu_assert_contains(e.msg, "r.zss:1: wait-ready: the map was not ready after 2 s");
    script_free(&s);
}

int main(void)
{
    if (SDL_Init(SDL_INIT_EVENTS) != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_until_number_and_string),
        cmocka_unit_test(test_until_times_out_naming_the_value),
        cmocka_unit_test(test_until_parse_errors),
        cmocka_unit_test(test_wait_ready),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    SDL_Quit();
    return rc;
}
