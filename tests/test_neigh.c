/* test_neigh: the explorer's neighbour search (explore/neigh.h) without a
 * window: it matches a naive full sort on random latent means (Z = 2 and
 * Z = 64), breaks ties by index, handles k > n and empty data, rejects bad
 * arguments, and neigh_update searches again only when the question
 * changes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "explore/neigh.h"
#include "core/rng.h"
#include "test_util.h"

/* Reference: squared distance of every row, then a full selection sort by
 * (distance, index); O(n k), fine for tests. */
static void naive(const float *mu, size_t n, int d, const float *z, int k, int32_t *idx)
{
    double *dist = malloc(n * sizeof *dist);
    char *used = calloc(n, 1);
    assert_non_null(dist);
    assert_non_null(used);
    for (size_t i = 0; i < n; i++) {
        double s = 0;
        for (int l = 0; l < d; l++)
            s += ((double)mu[i * (size_t)d + (size_t)l] - z[l]) *
                 ((double)mu[i * (size_t)d + (size_t)l] - z[l]);
        dist[i] = s;
    }
    for (int s = 0; s < k; s++) {
        size_t best = n;
        for (size_t i = 0; i < n; i++)
            if (!used[i] && (best == n || dist[i] < dist[best]))
                best = i;
        used[best] = 1;
        idx[s] = (int32_t)best;
    }
    free(dist);
    free(used);
}

static void check_random(int d, size_t n, int k, uint64_t seed)
{
    Rng r;
    rng_seed(&r, seed);
    float *mu = malloc(n * (size_t)d * sizeof *mu);
    assert_non_null(mu);
    rng_normal_fill(&r, mu, n * (size_t)d);
    for (int q = 0; q < 20; q++) {
        float z[64];
        rng_normal_fill(&r, z, (size_t)d);
        int32_t got[NEIGH_MAX], want[NEIGH_MAX];
        float d2[NEIGH_MAX];
        Err e = {0};
        assert_int_equal(neigh_search(mu, n, d, z, k, got, d2, &e), k);
        naive(mu, n, d, z, k, want);
        for (int s = 0; s < k; s++) {
            assert_int_equal(got[s], want[s]);
            if (s > 0)
                assert_true(d2[s] >= d2[s - 1]);
        }
    }
    free(mu);
}

static void test_matches_naive_z2(void **state)
{
    (void)state;
    check_random(2, 3000, 8, 1);
}

static void test_matches_naive_z64(void **state)
{
    (void)state;
    check_random(64, 1500, 8, 2);
    check_random(64, 1500, NEIGH_MAX, 3);
}

static void test_ties_and_small(void **state)
{
    (void)state;
    /* points 1, 3 and 4 coincide; point 0 is farther; 2 is z itself */
    const float mu[] = {5, 5, 1, 1, 0, 0, 1, 1, 1, 1};
    const float z[] = {0, 0};
    int32_t idx[NEIGH_MAX];
    float d2[NEIGH_MAX];
    Err e = {0};
    assert_int_equal(neigh_search(mu, 5, 2, z, 4, idx, d2, &e), 4);
    assert_int_equal(idx[0], 2);
    assert_int_equal(idx[1], 1);
    assert_int_equal(idx[2], 3);
    assert_int_equal(idx[3], 4);
    assert_true(d2[0] == 0.0f);
    assert_true(d2[1] == 2.0f);
    /* more asked than there are: all of them */
    assert_int_equal(neigh_search(mu, 5, 2, z, 8, idx, NULL, &e), 5);
    assert_int_equal(idx[4], 0);
    /* no data: nothing, not an error */
    assert_int_equal(neigh_search(NULL, 0, 2, z, 8, idx, NULL, &e), 0);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    const float mu[] = {0, 0};
    const float z[] = {0, 0};
    int32_t idx[NEIGH_MAX];
    Err e = {0};
    assert_int_equal(neigh_search(mu, 1, 2, z, 0, idx, NULL, &e), -1);
    assert_int_equal(e.code, ERR_ARG);
    tu_assert_contains(e.msg, "k = 0");
    err_clear(&e);
    assert_int_equal(neigh_search(mu, 1, 2, z, NEIGH_MAX + 1, idx, NULL, &e), -1);
    assert_int_equal(e.code, ERR_ARG);
    err_clear(&e);
    assert_int_equal(neigh_search(mu, 1, 0, z, 1, idx, NULL, &e), -1);
    tu_assert_contains(e.msg, "Z = 0");
}

static void test_update_searches_on_change_only(void **state)
{
    (void)state;
    const float mu[] = {0, 0, 1, 0, 2, 0, 3, 0};
    Neigh nb;
    memset(&nb, 0, sizeof nb);
    Err e = {0};
    float z[2] = {2.9f, 0};
    assert_int_equal(neigh_update(&nb, mu, 4, 2, 1, z, 2, &e), ERR_OK);
    assert_int_equal(nb.searches, 1);
    assert_int_equal(nb.k, 2);
    assert_int_equal(nb.idx[0], 3);
    assert_int_equal(nb.idx[1], 2);
    /* the same question: no new search */
    assert_int_equal(neigh_update(&nb, mu, 4, 2, 1, z, 2, &e), ERR_OK);
    assert_int_equal(nb.searches, 1);
    /* z moved */
    z[0] = 0.2f;
    neigh_update(&nb, mu, 4, 2, 1, z, 2, &e);
    assert_int_equal(nb.searches, 2);
    assert_int_equal(nb.idx[0], 0);
    /* the data were re-encoded (same pointer, new tag) */
    neigh_update(&nb, mu, 4, 2, 2, z, 2, &e);
    assert_int_equal(nb.searches, 3);
    /* k changed */
    neigh_update(&nb, mu, 4, 2, 2, z, 3, &e);
    assert_int_equal(nb.searches, 4);
    assert_int_equal(nb.k, 3);
    /* no data empties it without a search */
    neigh_update(&nb, NULL, 0, 2, 2, z, 3, &e);
    assert_int_equal(nb.searches, 4);
    assert_int_equal(nb.k, 0);
    assert_false(nb.valid);
    /* a failed search empties it and reports */
    assert_int_equal(neigh_update(&nb, mu, 4, 2, 2, z, 0, &e), ERR_ARG);
    assert_int_equal(nb.k, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matches_naive_z2),
        cmocka_unit_test(test_matches_naive_z64),
        cmocka_unit_test(test_ties_and_small),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_update_searches_on_change_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
