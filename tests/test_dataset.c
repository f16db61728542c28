/* test_dataset: the real MNIST and Fashion-MNIST files load with the
 * published counts, label histograms and pixel means. Skips (77) when a
 * dataset is not installed; CI fetches both, so there it always runs.
 * Usage: test_dataset mnist|fashion */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "data/dataset.h"
#include "test_util.h"

static const char *which;

/* Published per-class counts (MNIST: LeCun et al.; Fashion-MNIST: 6000/1000 each). */
static const size_t mnist_train[10] = {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949};
static const size_t mnist_test[10] = {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009};

static void check_split(const DataSplit *s, size_t n, const size_t *counts, size_t each,
                        double mean_expected)
{
    assert_int_equal(s->n, n);
    assert_int_equal(s->x, 784);
    size_t hist[10] = {0};
    for (size_t i = 0; i < s->n; i++)
        hist[s->labels[i]]++;
    for (int k = 0; k < 10; k++)
        assert_int_equal(hist[k], counts ? counts[k] : each);
    double sum = 0;
    float lo = 1, hi = 0;
    for (size_t i = 0; i < s->n * 784; i++) {
        sum += s->images[i];
        lo = s->images[i] < lo ? s->images[i] : lo;
        hi = s->images[i] > hi ? s->images[i] : hi;
    }
    assert_float_equal(lo, 0.0f, 0);
    assert_float_equal(hi, 1.0f, 0);
    assert_float_equal(sum / (double)(s->n * 784), mean_expected, 2e-3);
}

static void test_load(void **state)
{
    (void)state;
    Dataset ds;
    Err e = {0};
    int rc = dataset_load(which, &ds, &e);
    if (rc != ERR_OK)
        print_error("%s\n", e.msg);
    assert_int_equal(rc, ERR_OK);
    assert_int_equal(ds.rows, 28);
    assert_int_equal(ds.cols, 28);
    if (!strcmp(which, "mnist")) {
        check_split(&ds.train, 60000, mnist_train, 0, 0.1307);
        check_split(&ds.test, 10000, mnist_test, 0, 0.1325);
        assert_int_equal(ds.train.labels[0], 5); /* the famous first '5' */
        assert_int_equal(ds.test.labels[0], 7);
        assert_string_equal(ds.class_names[1], "1");
    } else {
        check_split(&ds.train, 60000, NULL, 6000, 0.2860);
        check_split(&ds.test, 10000, NULL, 1000, 0.2868);
        assert_int_equal(ds.train.labels[0], 9);
        assert_string_equal(ds.class_names[9], "Ankle boot");
    }
    dataset_free(&ds);
}

static void test_checksums(void **state)
{
    (void)state;
    const DatasetInfo *info = dataset_find(which);
    assert_non_null(info);
    for (int i = 0; i < DS_FILES; i++) {
        char path[4096], hex[65];
        Err e = {0};
        dataset_path(info, i, path, sizeof path);
        assert_int_equal(dataset_sha256_file(path, hex, &e), ERR_OK);
        assert_string_equal(hex, info->sha256[i]);
    }
}

static void test_unknown_name(void **state)
{
    (void)state;
    Dataset ds;
    Err e = {0};
    assert_int_equal(dataset_load("cifar", &ds, &e), ERR_ARG);
    tu_assert_contains(e.msg, "unknown dataset 'cifar'");
}

int main(int argc, char **argv)
{
    which = argc > 1 ? argv[1] : "mnist";
    const DatasetInfo *info = dataset_find(which);
    if (!info)
        return 1;
    char path[4096];
    struct stat st;
    for (int i = 0; i < DS_FILES; i++) {
        dataset_path(info, i, path, sizeof path);
        if (stat(path, &st) != 0) {
            char why[4200];
            snprintf(why, sizeof why, "%s not installed (%s missing); ./bootstrap fetches it",
                     info->title, path);
            tu_skip(why);
        }
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load),
        cmocka_unit_test(test_checksums),
        cmocka_unit_test(test_unknown_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
