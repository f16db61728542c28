/* test_axis: the explorer's tick loops and view limits, headless. Each case
 * is a way the window once froze: a map grid whose step fell below half an
 * ulp of the view's centre (zoomed in far from the origin, by the mouse or
 * a session file), a loss history holding a finite 1.5e308 (the log axis'
 * bound overflowed to infinity), an infinite KL. The real drawing functions
 * run on a Ui with fake text metrics; they must return, with a bounded
 * number of draw commands. */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/app_impl.h"
#include "app/axis.h"
#include "app/mappane.h"

static void test_ticks_plain(void **state)
{
    (void)state;
    double t[AXIS_MAX_TICKS];
    int n = axis_ticks(-1.3, 2.1, 0.5, t, AXIS_MAX_TICKS);
    assert_int_equal(n, 7);
    for (int i = 0; i < n; i++)
        assert_float_equal(t[i], -1.0 + 0.5 * i, 1e-12);
    assert_int_equal(axis_ticks(0, 10, 1, t, 4), 4); /* the cap */
    assert_int_equal(axis_ticks(0.1, 0.9, 1, t, AXIS_MAX_TICKS), 0);
    assert_float_equal(axis_step_at_least(0.7), 1, 0);
    assert_float_equal(axis_step_at_least(1.2), 2, 0);
    assert_float_equal(axis_step_at_least(3), 5, 0);
    assert_float_equal(axis_step_at_least(7), 10, 0);
}

static void test_ticks_hostile(void **state)
{
    (void)state;
    double t[AXIS_MAX_TICKS];
    /* not a range */
    assert_int_equal(axis_ticks(0, INFINITY, 1, t, AXIS_MAX_TICKS), 0);
    assert_int_equal(axis_ticks(-INFINITY, 0, 1, t, AXIS_MAX_TICKS), 0);
    assert_int_equal(axis_ticks(NAN, 1, 0.1, t, AXIS_MAX_TICKS), 0);
    assert_int_equal(axis_ticks(0, 1, 0, t, AXIS_MAX_TICKS), 0);
    assert_int_equal(axis_ticks(0, 1, -0.1, t, AXIS_MAX_TICKS), 0);
    assert_int_equal(axis_ticks(0, 1, NAN, t, AXIS_MAX_TICKS), 0);
    assert_int_equal(axis_ticks(1, 0, 0.1, t, AXIS_MAX_TICKS), 0);
    /* a step far below the magnitude's resolution: bounded, increasing */
    int n = axis_ticks(3000 - 1e-3, 3000 + 1e-3, 1e-9, t, AXIS_MAX_TICKS);
    assert_true(n >= 1 && n <= AXIS_MAX_TICKS);
    for (int i = 1; i < n; i++)
        assert_true(t[i] > t[i - 1]);
    n = axis_ticks(1e20, 1e20 + 1e6, 1e-3, t, AXIS_MAX_TICKS); /* index beyond 2^53 */
    assert_true(n >= 1 && n <= AXIS_MAX_TICKS);
    for (int i = 1; i < n; i++)
        assert_true(t[i] > t[i - 1]);
    /* near DBL_MAX */
    n = axis_ticks(0, DBL_MAX, axis_step_at_least(DBL_MAX / 4), t, AXIS_MAX_TICKS);
    assert_true(n >= 2 && n <= AXIS_MAX_TICKS);
    assert_true(isfinite(axis_step_at_least(DBL_MAX)));
    assert_float_equal(axis_step_at_least(INFINITY), 1, 0);
    assert_float_equal(axis_step_at_least(NAN), 1, 0);
    assert_float_equal(axis_step_at_least(0), 1, 0);
    assert_true(axis_clamp(1.5e308 * 1.3, 0) == AXIS_MAX_ABS);
    assert_true(axis_clamp(NAN, 7) == 7);
}

static void test_log_ticks(void **state)
{
    (void)state;
    double t[AXIS_MAX_TICKS];
    /* 60 .. 250 nats: 100, 200 with room for the subdivisions */
    int n = axis_log_ticks(60, 250, 10, t, AXIS_MAX_TICKS);
    assert_int_equal(n, 2);
    assert_float_equal(t[0], 100, 1e-9);
    assert_float_equal(t[1], 200, 1e-9);
    n = axis_log_ticks(0.5, 5000, 2, t, AXIS_MAX_TICKS); /* no room: decades only */
    assert_true(n >= 1 && n <= 3);
    /* the whole of double's range: thinned to what fits, bounded */
    n = axis_log_ticks(DBL_MIN, DBL_MAX, 12, t, AXIS_MAX_TICKS);
    assert_true(n >= 2 && n <= 13);
    assert_int_equal(axis_log_ticks(0.01, INFINITY, 10, t, AXIS_MAX_TICKS), 0);
    assert_int_equal(axis_log_ticks(0, 10, 10, t, AXIS_MAX_TICKS), 0);
    assert_int_equal(axis_log_ticks(NAN, 10, 10, t, AXIS_MAX_TICKS), 0);
}

/* ---- the real views on a headless Ui ---- */

static int fake_width(void *user, int font, const char *s, int len)
{
    (void)user;
    (void)s;
    return len * (7 + 2 * font);
}
static int fake_height(void *user, int font)
{
    (void)user;
    return 14 + 3 * font;
}

static App *app;

static int setup(void **state)
{
    (void)state;
    app = calloc(1, sizeof *app);
    assert_non_null(app);
    UiTextMetrics tm = {fake_width, fake_height, NULL};
    assert_true(ui_init(&app->ui, tm, ui_theme_dark()));
    cursor_reset(&app->cur, 0);
    app->map.hover = app->highlight = -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ui_free(&app->ui);
    free(app);
    return 0;
}

/* Draw commands the map grid of view v appends to one frame. */
static int grid_commands(MapView v)
{
    Ui *ui = &app->ui;
    static MapModel m; /* a Model is large for the stack */
    m.view = v;
    m.rect = ui_rect(10, 10, 700, 600);
    ui_begin(ui, 1024, 768, 0);
    map_pane_grid(app, &m);
    int n = ui->list.n;
    ui_end(ui);
    return n;
}

/* A pixel is at least a few float steps wide wherever the view is. */
static void assert_drawable(const MapView *v)
{
    assert_true(isfinite(v->cx) && isfinite(v->cy) && isfinite(v->scale) && v->scale > 0);
    float m = fmaxf(fmaxf(fabsf(v->cx), fabsf(v->cy)), 1.0f);
    assert_true(1.0f / v->scale >= 3.9f * (nextafterf(m, INFINITY) - m));
}

static void test_map_clamp(void **state)
{
    (void)state;
    /* a session file's centre 3000 and scale 1e6 */
    MapView v = {.cx = 3000, .cy = 0, .scale = 1e6f};
    map_clamp_view(&v);
    assert_drawable(&v);
    assert_true(v.cx == 3000 && v.scale > 100); /* as far in as floats allow there */
    int n = grid_commands(v);
    assert_true(n > 4 && n < 2 * 2 * AXIS_MAX_TICKS + 20);
    /* hostile values */
    MapView w = {.cx = NAN, .cy = INFINITY, .scale = -1};
    map_clamp_view(&w);
    assert_drawable(&w);
    MapView f = {.cx = 1e20f, .cy = -1e20f, .scale = 1e6f}; /* latent means far out */
    map_clamp_view(&f);
    assert_drawable(&f);
    assert_true(grid_commands(f) < 2 * 2 * AXIS_MAX_TICKS + 20);
    /* a fit to such a cloud */
    float xy[4] = {1e20f, 1e20f, 1e20f + 1e14f, 1e20f - 1e14f};
    float lo[2], hi[2];
    map_fit_view(&f, ui_rect(0, 0, 700, 600), xy, 2, lo, hi);
    assert_drawable(&f);
    float big[4] = {-FLT_MAX, -FLT_MAX, FLT_MAX, FLT_MAX};
    map_fit_view(&f, ui_rect(0, 0, 700, 600), big, 2, lo, hi);
    assert_drawable(&f);
    assert_true(grid_commands(f) < 2 * 2 * AXIS_MAX_TICKS + 20);
}

/* The mouse alone: zoom all the way out, right-drag twice, zoom all the way in. */
static void test_map_mouse_path(void **state)
{
    (void)state;
    UiRect r = ui_rect(10, 10, 700, 600);
    MapView v = {.cx = 0, .cy = 0, .scale = 60};
    for (int i = 0; i < 100; i++)
        map_zoom_at(&v, r, -3, 300, 300);
    assert_true(v.scale <= 1.01e-2f);
    for (int i = 0; i < 2; i++)
        map_pan(&v, -650, 0);
    assert_true(v.cx > 1e5f);
    for (int i = 0; i < 200; i++)
        map_zoom_at(&v, r, 3, 300, 300);
    assert_drawable(&v);
    int n = grid_commands(v);
    assert_true(n > 4 && n < 2 * 2 * AXIS_MAX_TICKS + 20);
}

static void test_curves_huge_history(void **state)
{
    (void)state;
    VaeEpochLoss h[3] = {
        {180, 150, 30, 170, 140, 30},
        {1.5e308, 1.5e308, 25, 1.5e308, 140, 25}, /* finite, and near DBL_MAX */
        {INFINITY, NAN, -1e308, 160, 130, 30},
    };
    app->map.loaded = true;
    app->map.model.info.history = h;
    app->map.model.info.n_history = 3;
    app->layout.curves = ui_rect(300, 400, 700, 300);
    for (int log = 0; log < 2; log++) {
        app->train.log_scale = log;
        ui_begin(&app->ui, 1024, 768, 0);
        view_curves(app);
        assert_true(app->ui.list.n < 2000);
        ui_end(&app->ui);
    }
    app->map.model.info.history = NULL;
    app->map.model.info.n_history = 0;
    app->map.loaded = false;
}

static void test_klbars_infinite(void **state)
{
    (void)state;
    float kl[4] = {INFINITY, 3e38f, NAN, 0.5f};
    app->map.ready = true;
    app->map.model.job.kl_dim = kl;
    app->map.model.job.z = 4;
    app->layout.kl = ui_rect(300, 400, 400, 250);
    ui_begin(&app->ui, 1024, 768, 0);
    view_klbars(app);
    assert_true(app->ui.list.n < 1000);
    ui_end(&app->ui);
    app->map.model.job.kl_dim = NULL;
    app->map.model.job.z = 0;
    app->map.ready = false;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ticks_plain),
        cmocka_unit_test(test_ticks_hostile),
        cmocka_unit_test(test_log_ticks),
        cmocka_unit_test(test_map_clamp),
        cmocka_unit_test(test_map_mouse_path),
        cmocka_unit_test(test_curves_huge_history),
        cmocka_unit_test(test_klbars_infinite),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
