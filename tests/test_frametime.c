/* test_frametime: the explorer's frame-time statistics (app/frametime.h):
 * nearest-rank percentiles of known sequences, the ring keeping only the
 * last FRAMETIME_CAP samples, intervals skipped after idle waits, the
 * start-up figures and input-to-effect latency. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "app/frametime.h"

static void test_percentiles_of_1_to_100(void **state)
{
    (void)state;
    float v[100];
    for (int i = 0; i < 100; i++)
        v[i] = (float)(100 - i); /* reversed: the stats must sort */
    FrameStats s = frametime_stats_of(v, 100);
    assert_int_equal(s.n, 100);
    assert_float_equal(s.p50, 50.0, 0);
    assert_float_equal(s.p99, 99.0, 0);
    assert_float_equal(s.max, 100.0, 0);
    assert_float_equal(v[0], 100.0, 0); /* the input is not reordered */
}

static void test_percentiles_small_and_empty(void **state)
{
    (void)state;
    float one[1] = {7.5f};
    FrameStats s = frametime_stats_of(one, 1);
    assert_float_equal(s.p50, 7.5, 0);
    assert_float_equal(s.p99, 7.5, 0);
    assert_float_equal(s.max, 7.5, 0);
    /* 9 fast frames and one slow: p50 is fast, p99 is the slow one */
    float ten[10] = {2, 2, 2, 2, 30, 2, 2, 2, 2, 2};
    s = frametime_stats_of(ten, 10);
    assert_float_equal(s.p50, 2.0, 0);
    assert_float_equal(s.p99, 30.0, 0);
    s = frametime_stats_of(one, 0);
    assert_int_equal(s.n, 0);
    assert_float_equal(s.max, 0.0, 0);
}

static void test_ring_keeps_last_cap(void **state)
{
    (void)state;
    static FrameRing r;
    /* 1000 slow samples, then CAP fast ones: the slow ones are gone */
    for (int i = 0; i < 1000; i++)
        frametime_push(&r, 500.0f);
    for (int i = 0; i < FRAMETIME_CAP; i++)
        frametime_push(&r, (float)(i + 1));
    FrameStats s = frametime_stats(&r);
    assert_int_equal(s.n, FRAMETIME_CAP);
    assert_float_equal(s.max, (double)FRAMETIME_CAP, 0);
    assert_float_equal(s.p50, (double)(FRAMETIME_CAP / 2), 0);
    assert_float_equal(s.p99, 1014.0, 0); /* ceil(0.99 * 1024) = 1014 */
}

static void test_frames_work_interval_startup(void **state)
{
    (void)state;
    static FrameTime ft;
    frametime_init(&ft, 10.0);
    assert_true(ft.startup_ms < 0);
    /* first frame: work 5 ms, presented 0.3 s after start-up began */
    frametime_frame(&ft, 10.295, 10.300, false, false);
    assert_float_equal(ft.startup_ms, 300.0, 1e-6);
    assert_true(ft.map_ms < 0);
    assert_int_equal(ft.interval.count, 0); /* no previous swap */
    /* continuous frame 16 ms later, showing the map */
    frametime_frame(&ft, 10.310, 10.316, true, true);
    assert_float_equal(ft.map_ms, 316.0, 1e-6);
    assert_int_equal(ft.interval.count, 1);
    assert_float_equal(ft.interval.ms[0], 16.0, 1e-3);
    /* after an idle wait: work counted, the 2 s gap is not an interval */
    frametime_frame(&ft, 12.300, 12.304, false, true);
    assert_int_equal(ft.interval.count, 1);
    assert_int_equal(ft.work.count, 3);
    assert_int_equal(ft.frames, 3);
    FrameStats w = frametime_stats(&ft.work);
    assert_float_equal(w.p50, 5.0, 1e-3);
    assert_float_equal(w.max, 6.0, 1e-3);
    assert_float_equal(ft.startup_ms, 300.0, 1e-6); /* set once */
    assert_float_equal(ft.map_ms, 316.0, 1e-6);
}

static void test_input_latency(void **state)
{
    (void)state;
    static FrameTime ft;
    frametime_init(&ft, 0.0);
    /* a click at 1.000 s with 5 decodes done: frames without a new decode
     * do not end it, the first frame after one does */
    frametime_input(&ft, 1.000, 5);
    frametime_output(&ft, 1.004, 5);
    assert_int_equal(ft.latency.count, 0);
    frametime_output(&ft, 1.012, 6);
    assert_int_equal(ft.latency.count, 1);
    assert_float_equal(ft.latency.ms[0], 12.0, 1e-3);
    frametime_output(&ft, 1.030, 7); /* no input pending: nothing */
    assert_int_equal(ft.latency.count, 1);
    /* a newer input replaces one still waiting */
    frametime_input(&ft, 2.000, 7);
    frametime_input(&ft, 2.100, 7);
    frametime_output(&ft, 2.105, 8);
    assert_int_equal(ft.latency.count, 2);
    assert_float_equal(ft.latency.ms[1], 5.0, 1e-3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_percentiles_of_1_to_100),
        cmocka_unit_test(test_percentiles_small_and_empty),
        cmocka_unit_test(test_ring_keeps_last_cap),
        cmocka_unit_test(test_frames_work_interval_startup),
        cmocka_unit_test(test_input_latency),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
