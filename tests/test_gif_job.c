/* test_gif_job: the explorer's GIF writer headless (suites unit and thread,
 * so CI runs it under ThreadSanitizer): the frames handed over come back
 * from the file; a second export while one runs is refused (and its frames
 * freed); an unwritable path reports why; free waits for a running export. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "explore/gif_job.h"
#include "io/gif.h"
#include "test_util.h"

enum { N = 40, PIX = 784 };

static float *frames(void)
{
    float *x = malloc(sizeof(float) * N * PIX);
    for (int k = 0; k < N; k++)
        for (int i = 0; i < PIX; i++)
            x[k * PIX + i] = (float)((i + 7 * k) % 28) / 27.0f;
    return x;
}

/* The wake callback, as the explorer's pushes its event: counts calls. */
static void count_wake(void *user)
{
    atomic_fetch_add((atomic_int *)user, 1);
}

static void wait_done(GifJob *j)
{
    for (int i = 0; i < 2000; i++) { /* 20 s at most */
        if (gif_job_poll(j))
            return;
        usleep(10000);
    }
    fail_msg("the export did not finish");
}

static void test_writes_and_refuses_a_second(void **state)
{
    (void)state;
    GifJob j;
    memset(&j, 0, sizeof j);
    VizGifOpts o;
    viz_gif_opts_default(&o);
    Err e = {0};
    const char *path = tu_path("walk.gif");
    atomic_int woken = 0;
    assert_int_equal(gif_job_start(&j, frames(), N, &o, path, count_wake, &woken, &e), ERR_OK);
    assert_true(gif_job_running(&j));
    assert_int_equal(gif_job_start(&j, frames(), N, &o, tu_path("b.gif"), NULL, NULL, &e), ERR_ARG);
    wait_done(&j);
    assert_false(gif_job_running(&j));
    assert_int_equal(atomic_load(&woken), 1); /* the worker woke the UI once, before it ended */
    assert_int_equal(j.err.code, ERR_OK);
    assert_null(j.frames);
    IoGif g;
    assert_int_equal(io_gif_read(path, &g, &e), ERR_OK);
    assert_int_equal(g.n_frames, N);
    assert_int_equal(g.w, 28 * o.scale);
    /* frame 3's first row: pixel c is (c + 21) % 28 / 27 of white */
    size_t fb = (size_t)g.w * (size_t)g.h * 4;
    for (int c = 0; c < 28; c++) {
        double want = (double)((c + 21) % 28) / 27.0 * 255.0;
        double got = g.rgba[fb * 3 + (size_t)(c * o.scale) * 4];
        assert_true(got > want - 9 && got < want + 9);
    }
    io_gif_free(&g);
    /* free waits for a running export */
    assert_int_equal(gif_job_start(&j, frames(), N, &o, tu_path("c.gif"), NULL, NULL, &e), ERR_OK);
    gif_job_free(&j);
    assert_int_equal(access(tu_path("c.gif"), F_OK), 0);
}

static void test_unwritable_reports(void **state)
{
    (void)state;
    GifJob j;
    memset(&j, 0, sizeof j);
    VizGifOpts o;
    viz_gif_opts_default(&o);
    Err e = {0};
    assert_int_equal(gif_job_start(&j, frames(), N, &o, "/proc/zspace-no.gif", NULL, NULL, &e), ERR_OK);
    wait_done(&j);
    assert_int_not_equal(j.err.code, ERR_OK);
    tu_assert_contains(j.err.msg, "/proc/");
    gif_job_free(&j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_writes_and_refuses_a_second),
        cmocka_unit_test(test_unwritable_reports),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
