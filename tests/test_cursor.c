/* test_cursor: the explorer's current latent point without a window: a
 * decode happens only when z or the weights changed, its bytes are the
 * model's decode of z, each decode leaves its SHA-1 in the ring, and a
 * model's reset or departure clears what belonged to it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "explore/cursor.h"
#include "explore/pixels.h"

static void tiny(Vae *v)
{
    VaeConfig cfg;
    vae_config_default(&cfg);
    cfg.z = 2;
    cfg.hidden[0] = 16;
    Err e = {0};
    assert_int_equal(vae_init(v, &cfg, 4, 7, &e), ERR_OK);
}

static void test_decodes_only_when_dirty(void **state)
{
    (void)state;
    Vae v;
    tiny(&v);
    static Cursor c;
    cursor_reset(&c, 0);
    assert_false(c.dirty); /* no model: nothing to decode */
    cursor_reset(&c, 2);
    assert_int_equal(c.nearest, -1);
    assert_true(cursor_decode(&c, &v)); /* the origin, once */
    assert_false(cursor_decode(&c, &v));
    assert_int_equal(c.decodes, 1);

    float z[2] = {1.5f, -0.5f};
    cursor_set_z(&c, z, 42);
    assert_int_equal(c.nearest, 42);
    assert_true(cursor_decode(&c, &v));
    float xhat[VAE_X];
    uint8_t want[VAE_X];
    vae_decode(&v, z, 1, xhat);
    pixels_to_bytes(xhat, want, VAE_X);
    assert_memory_equal(c.decoded, want, VAE_X);
    assert_true(c.decoded_valid);

    cursor_stale(&c); /* new weights, same z: decoded again, same bytes */
    assert_true(cursor_decode(&c, &v));
    assert_int_equal(c.decodes, 3);
    assert_memory_equal(cursor_sha1(&c, 1), cursor_sha1(&c, 2), 20);
    assert_memory_not_equal(cursor_sha1(&c, 0), cursor_sha1(&c, 1), 20);

    cursor_forget(&c); /* the model left: its decode and nearest go */
    assert_false(c.decoded_valid);
    assert_int_equal(c.nearest, -1);
    vae_free(&v);
}

static void test_ring_keeps_the_last_decodes(void **state)
{
    (void)state;
    Vae v;
    tiny(&v);
    static Cursor c;
    cursor_reset(&c, 2);
    uint8_t first[20];
    for (int i = 0; i < CURSOR_SHA1_RING + 1; i++) {
        float z[2] = {(float)i * 0.25f, 0};
        cursor_set_z(&c, z, -1);
        assert_true(cursor_decode(&c, &v));
        if (i == 0)
            memcpy(first, cursor_sha1(&c, 0), 20);
    }
    /* decode 0's slot now holds decode CURSOR_SHA1_RING's */
    assert_memory_not_equal(cursor_sha1(&c, 0), first, 20);
    assert_ptr_equal(cursor_sha1(&c, 0), cursor_sha1(&c, CURSOR_SHA1_RING));
    /* a new model keeps counting: the dump's SHA-1 list stays in order */
    cursor_reset(&c, 8);
    assert_int_equal(c.decodes, CURSOR_SHA1_RING + 1);
    assert_true(c.dirty);
    vae_free(&v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decodes_only_when_dirty),
        cmocka_unit_test(test_ring_keeps_the_last_decodes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
