/* test_clf_job: the explorer's classifier worker headless (suites unit and
 * thread, so CI runs it under ThreadSanitizer): a cached classifier is
 * loaded off the calling thread and handed over; a bad file or a dataset
 * that cannot be trained on fails with a message; freeing a running job
 * joins it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "explore/clf_job.h"
#include "test_util.h"

static int wait_done(ClfJob *j)
{
    for (int i = 0; i < 2000; i++) { /* 20 s at most */
        int s = clf_job_state(j);
        if (s == CLF_JOB_READY || s == CLF_JOB_FAILED)
            return s;
        usleep(10000);
    }
    fail_msg("the classifier job did not finish");
    return -1;
}

static int setup(void **state)
{
    (void)state;
    setenv("XDG_CACHE_HOME", tu_tmpdir(), 1);
    mkdir(tu_path("zspace"), 0755);
    return 0;
}

static void test_loads_cached(void **state)
{
    (void)state;
    Err e = {0};
    Clf c;
    assert_int_equal(clf_init(&c, 784, 16, 0, 7, &e), ERR_OK);
    ClfInfo info = {.epochs = 0, .seed = 7};
    snprintf(info.dataset, sizeof info.dataset, "mnist");
    char path[4096];
    clf_default_path("mnist", path, sizeof path);
    assert_int_equal(clf_save(path, &c, &info, &e), ERR_OK);
    float x[784], want[CLF_CLASSES], got[CLF_CLASSES];
    for (int i = 0; i < 784; i++)
        x[i] = (float)(i % 29) / 29.0f;
    clf_predict(&c, x, 1, want);
    clf_free(&c);

    ClfJob j;
    memset(&j, 0, sizeof j);
    assert_int_equal(clf_job_start(&j, "mnist", &e), ERR_OK);
    assert_int_equal(wait_done(&j), CLF_JOB_READY);
    assert_false(j.trained);
    assert_int_equal(j.clf.h, 16);
    clf_predict(&j.clf, x, 1, got); /* the caller's now */
    for (int k = 0; k < CLF_CLASSES; k++)
        assert_float_equal(got[k], want[k], 1e-6f);
    clf_job_free(&j);
    assert_int_equal(clf_job_state(&j), CLF_JOB_NONE);
    assert_int_equal(unlink(path), 0);
}

static void test_bad_file_fails(void **state)
{
    (void)state;
    char path[4096];
    clf_default_path("mnist", path, sizeof path);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("not a safetensors file", f);
    fclose(f);
    ClfJob j;
    memset(&j, 0, sizeof j);
    Err e = {0};
    assert_int_equal(clf_job_start(&j, "mnist", &e), ERR_OK);
    assert_int_equal(wait_done(&j), CLF_JOB_FAILED);
    tu_assert_contains(j.err.msg, "classifier-mnist.safetensors");
    assert_null(j.clf.params);
    clf_job_free(&j);
    unlink(path);
}

static void test_no_data_to_train_on(void **state)
{
    (void)state;
    /* no cached file and a dataset that does not exist: training cannot
     * start, and says why */
    ClfJob j;
    memset(&j, 0, sizeof j);
    Err e = {0};
    assert_int_equal(clf_job_start(&j, "no-such-dataset", &e), ERR_OK);
    assert_int_equal(wait_done(&j), CLF_JOB_FAILED);
    assert_true(j.err.msg[0] != '\0');
    clf_job_free(&j);
}

static void test_free_while_running(void **state)
{
    (void)state;
    ClfJob j;
    memset(&j, 0, sizeof j);
    Err e = {0};
    assert_int_equal(clf_job_start(&j, "no-such-dataset", &e), ERR_OK);
    clf_job_free(&j); /* joins whatever the worker is doing */
    assert_false(j.started);
    ClfJob z;
    memset(&z, 0, sizeof z);
    clf_job_free(&z); /* a job never started */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loads_cached),
        cmocka_unit_test(test_bad_file_fails),
        cmocka_unit_test(test_no_data_to_train_on),
        cmocka_unit_test(test_free_while_running),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
