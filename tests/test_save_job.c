/* test_save_job: the explorer's model-save worker headless (suites unit and
 * thread, so CI runs it under ThreadSanitizer). The job saves a copy: the
 * shown model may change (training goes on) while the file is written and
 * the file still holds the weights of the moment Save was pressed. A second
 * save while one runs is refused; a save that cannot be written reports
 * why; freeing a running job waits for it. */
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

#include "explore/save_job.h"
#include "test_util.h"

/* The wake callback, as the explorer's pushes its event: counts calls. */
static void count_wake(void *user)
{
    atomic_fetch_add((atomic_int *)user, 1);
}

static void wait_done(SaveJob *j)
{
    for (int i = 0; i < 2000; i++) { /* 20 s at most */
        if (save_job_poll(j))
            return;
        usleep(10000);
    }
    fail_msg("the save did not finish");
}

static void tiny(Vae *v, uint64_t seed)
{
    VaeConfig cfg;
    vae_config_default(&cfg);
    cfg.z = 2;
    cfg.hidden[0] = 512; /* ~3 MB: long enough that the edits below race the write */
    Err e = {0};
    assert_int_equal(vae_init(v, &cfg, 16, seed, &e), ERR_OK);
}

static void test_saves_a_snapshot(void **state)
{
    (void)state;
    Vae v;
    tiny(&v, 3);
    float *want = malloc(v.n_params * sizeof *want);
    memcpy(want, v.params, v.n_params * sizeof *want);
    VaeFileInfo info = {.epochs = 4, .seed = 3};
    snprintf(info.dataset, sizeof info.dataset, "mnist");
    SaveJob j;
    memset(&j, 0, sizeof j);
    Err e = {0};
    const char *path = tu_path("snap.safetensors");
    atomic_int woken = 0;
    assert_int_equal(save_job_start(&j, &v, &info, path, count_wake, &woken, &e), ERR_OK);
    /* one save at a time */
    assert_int_equal(save_job_start(&j, &v, &info, tu_path("other.safetensors"), NULL, NULL, &e), ERR_ARG);
    /* training goes on while the worker writes: the file must not see it */
    for (size_t i = 0; i < v.n_params; i++)
        v.params[i] += 1.0f;
    wait_done(&j);
    assert_int_equal(j.err.code, ERR_OK);
    assert_true(j.ms >= 0);
    assert_int_equal(atomic_load(&woken), 1); /* the worker woke the UI once, before it ended */
    Vae back;
    VaeFileInfo bi;
    assert_int_equal(vae_load(path, &back, 16, &bi, &e), ERR_OK);
    assert_int_equal(back.n_params, v.n_params);
    assert_memory_equal(back.params, want, v.n_params * sizeof *want);
    assert_int_equal(bi.epochs, 4);
    vae_file_info_free(&bi);
    vae_free(&back);
    /* done means done: a new save may start */
    assert_int_equal(save_job_start(&j, &v, &info, tu_path("again.safetensors"), NULL, NULL, &e), ERR_OK);
    save_job_free(&j); /* waits for it */
    assert_int_equal(vae_load(tu_path("again.safetensors"), &back, 16, NULL, &e), ERR_OK);
    assert_float_equal(back.params[0], want[0] + 1.0f, 0);
    vae_free(&back);
    free(want);
    vae_free(&v);
}

static void test_unwritable_reports(void **state)
{
    (void)state;
    Vae v;
    tiny(&v, 4);
    SaveJob j;
    memset(&j, 0, sizeof j);
    Err e = {0};
    assert_int_equal(save_job_start(&j, &v, NULL, "/proc/zspace-cannot-write.safetensors", NULL, NULL, &e),
                     ERR_OK);
    wait_done(&j);
    assert_int_not_equal(j.err.code, ERR_OK);
    tu_assert_contains(j.err.msg, "/proc/");
    assert_int_equal(access("/proc/zspace-cannot-write.safetensors", F_OK), -1);
    save_job_free(&j);
    vae_free(&v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_saves_a_snapshot),
        cmocka_unit_test(test_unwritable_reports),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
