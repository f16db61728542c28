/* test_safetensors: the container on its own (no VAE). Round trips, the exact
 * byte layout against the spec (python3-safetensors is not packaged on
 * Debian 12, so the bytes are checked by hand here), files written the way
 * other writers may write them, and one test per malformed-file case, each
 * asserting its own message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "core/rng.h"
#include "io/safetensors.h"
#include "test_util.h"

/* A file image: 8-byte LE header length, the header as given (no padding),
 * then data. Returned buffer is malloc'ed. */
static uint8_t *make_file(const char *json, const void *data, size_t dlen, size_t *len)
{
    size_t h = strlen(json);
    *len = 8 + h + dlen;
    uint8_t *b = malloc(*len);
    assert_non_null(b);
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)((uint64_t)h >> (8 * i));
    memcpy(b + 8, json, h);
    if (dlen)
        memcpy(b + 8 + h, data, dlen);
    return b;
}

/* Parse a hand-made file and expect failure with a message naming the file
 * and containing `want`. */
static void expect_bad(const char *json, const void *data, size_t dlen, const char *want)
{
    size_t len;
    uint8_t *b = make_file(json, data, dlen, &len);
    Safetensors st;
    Err e = {0};
    int rc = safetensors_parse(b, len, "bad.safetensors", &st, &e);
    if (rc == ERR_OK)
        fprintf(stderr, "accepted: %s\n", json);
    assert_int_equal(rc, ERR_FORMAT);
    tu_assert_contains(e.msg, "bad.safetensors: ");
    tu_assert_contains(e.msg, want);
    assert_null(st.tensors); /* zeroed on failure */
    assert_int_equal(st.n_meta, 0);
    free(b);
}

static const float eight_floats[8] = {1, 2, 3, 4, 5, 6, 7, 8};

static void test_round_trip(void **state)
{
    (void)state;
    float a[12], b[5], scalar = 3.25f;
    for (int i = 0; i < 12; i++)
        a[i] = (float)i * 0.5f - 2.0f;
    for (int i = 0; i < 5; i++)
        b[i] = -1e-30f * (float)(i + 1);
    SafetensorsTensorIn t[] = {
        {"enc.0.weight", 2, {3, 4}, a},
        {"enc.0.bias", 1, {5}, b},
        {"scalar", 0, {0}, &scalar},
        {"empty", 2, {0, 3}, NULL},
    };
    SafetensorsMeta m[] = {{"format", "1"}, {"losses", "{\"train\": [1.5, 2]}"}, {"odd \"key\"", "é\n"}};
    const char *path = tu_path("rt.safetensors");
    Err e = {0};
    assert_int_equal(safetensors_save(path, t, 4, m, 3, &e), ERR_OK);

    Safetensors st;
    assert_int_equal(safetensors_load(path, &st, &e), ERR_OK);
    assert_int_equal(st.n_tensors, 4);
    assert_int_equal(st.n_meta, 3);
    const SafetensorsTensor *ta = safetensors_find(&st, "enc.0.weight");
    assert_non_null(ta);
    assert_int_equal(ta->ndim, 2);
    assert_int_equal(ta->shape[0], 3);
    assert_int_equal(ta->shape[1], 4);
    assert_int_equal(ta->numel, 12);
    assert_memory_equal(ta->data, a, sizeof a);
    const SafetensorsTensor *tb = safetensors_find(&st, "enc.0.bias");
    assert_non_null(tb);
    assert_memory_equal(tb->data, b, sizeof b);
    const SafetensorsTensor *ts = safetensors_find(&st, "scalar");
    assert_non_null(ts);
    assert_int_equal(ts->ndim, 0);
    assert_int_equal(ts->numel, 1);
    assert_true(ts->data[0] == 3.25f);
    const SafetensorsTensor *te = safetensors_find(&st, "empty");
    assert_non_null(te);
    assert_int_equal(te->numel, 0);
    assert_null(safetensors_find(&st, "nope"));
    assert_string_equal(safetensors_meta(&st, "format"), "1");
    assert_string_equal(safetensors_meta(&st, "losses"), "{\"train\": [1.5, 2]}");
    assert_string_equal(safetensors_meta(&st, "odd \"key\""), "é\n");
    assert_null(safetensors_meta(&st, "absent"));
    safetensors_free(&st);
    assert_int_equal(st.n_tensors, 0);
    safetensors_free(&st); /* twice is harmless */
}

/* The bytes of a tiny file, spelled out from the spec by hand. */
static void test_exact_layout(void **state)
{
    (void)state;
    const float data[2] = {1.0f, -2.0f};
    SafetensorsTensorIn t = {"a", 1, {2}, data};
    SafetensorsMeta m = {"k", "v"};
    uint8_t *buf;
    size_t len;
    Err e = {0};
    assert_int_equal(safetensors_serialize(&t, 1, &m, 1, &buf, &len, &e), ERR_OK);

    const char *json = "{\"__metadata__\":{\"k\":\"v\"},"
                       "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
    size_t jl = strlen(json); /* 79, padded with one space to 80 */
    assert_int_equal(jl, 79);
    size_t padded = 80;
    uint8_t want[8 + 80 + 8] = {80, 0, 0, 0, 0, 0, 0, 0};
    memcpy(want + 8, json, jl);
    want[8 + 79] = ' ';
    /* 1.0f = 0x3F800000, -2.0f = 0xC0000000, little-endian */
    const uint8_t fl[8] = {0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0};
    memcpy(want + 8 + padded, fl, 8);
    assert_int_equal(len, sizeof want);
    assert_memory_equal(buf, want, sizeof want);
    free(buf);

    /* A header whose length is not a multiple of 8 gets space padding. */
    SafetensorsTensorIn t2 = {"ab", 1, {2}, data};
    assert_int_equal(safetensors_serialize(&t2, 1, NULL, 0, &buf, &len, &e), ERR_OK);
    const char *json2 = "{\"ab\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
    size_t j2 = strlen(json2); /* 55 -> padded to 56 */
    assert_int_equal(j2, 55);
    assert_int_equal(buf[0], 56);
    for (int i = 1; i < 8; i++)
        assert_int_equal(buf[i], 0);
    assert_memory_equal(buf + 8, json2, j2);
    assert_int_equal(buf[8 + 55], ' ');
    assert_memory_equal(buf + 64, fl, 8);
    assert_int_equal(len, 72);
    free(buf);
}

/* What other writers may produce: unpadded header, tensors listed out of
 * offset order, pretty-printed JSON, extra fields, no metadata, a hole. */
static void test_foreign_files(void **state)
{
    (void)state;
    const char *json = "{\n  \"b\": {\"data_offsets\": [8, 24], \"shape\": [2, 2], \"dtype\": \"F32\","
                       " \"extra\": true},\n  \"a\": {\"dtype\": \"F32\", \"shape\": [1], "
                       "\"data_offsets\": [0, 4]}\n}  \n";
    size_t len;
    uint8_t *b = make_file(json, eight_floats, sizeof eight_floats, &len);
    Safetensors st;
    Err e = {0};
    assert_int_equal(safetensors_parse(b, len, "foreign", &st, &e), ERR_OK);
    assert_int_equal(st.n_tensors, 2);
    assert_int_equal(st.n_meta, 0);
    /* tensors come back in offset order */
    assert_string_equal(st.tensors[0].name, "a");
    assert_string_equal(st.tensors[1].name, "b");
    assert_true(st.tensors[0].data[0] == 1.0f);
    const float want_b[4] = {3, 4, 5, 6};
    assert_memory_equal(safetensors_find(&st, "b")->data, want_b, sizeof want_b);
    safetensors_free(&st);
    free(b);

    /* Data not 4-byte aligned in the file (header of odd length) still reads. */
    const char *odd = "{\"x\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]}}";
    assert_int_equal(strlen(odd) % 4 != 0, 1);
    b = make_file(odd, eight_floats, 12, &len);
    assert_int_equal(safetensors_parse(b, len, "odd", &st, &e), ERR_OK);
    assert_memory_equal(st.tensors[0].data, eight_floats, 12);
    safetensors_free(&st);
    free(b);

    /* No tensors at all is a valid (if useless) file. */
    b = make_file("{}", NULL, 0, &len);
    assert_int_equal(safetensors_parse(b, len, "empty", &st, &e), ERR_OK);
    assert_int_equal(st.n_tensors, 0);
    safetensors_free(&st);
    free(b);
}

static void test_truncated(void **state)
{
    (void)state;
    Safetensors st;
    Err e = {0};
    const uint8_t five[5] = {1, 2, 3, 4, 5};
    assert_int_equal(safetensors_parse(five, 5, "short", &st, &e), ERR_FORMAT);
    tu_assert_contains(e.msg, "short: truncated: 5 bytes");
    assert_int_equal(safetensors_parse(five, 0, "zero", &st, &e), ERR_FORMAT);
    tu_assert_contains(e.msg, "zero: truncated");

    /* Cut inside the header. */
    const char *json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
    size_t len;
    uint8_t *b = make_file(json, eight_floats, 8, &len);
    assert_int_equal(safetensors_parse(b, 20, "cut", &st, &e), ERR_FORMAT);
    tu_assert_contains(e.msg, "cut: truncated: header length 54 but only 12 bytes follow");
    /* Cut inside the data. */
    assert_int_equal(safetensors_parse(b, len - 1, "cutdata", &st, &e), ERR_FORMAT);
    tu_assert_contains(e.msg, "cutdata: tensor 'a': data_offsets [0,8] run past the end of the data (7 bytes)");
    free(b);
}

static void test_huge_header_length(void **state)
{
    (void)state;
    uint8_t b[16] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, '{', '}'};
    Safetensors st;
    Err e = {0};
    assert_int_equal(safetensors_parse(b, sizeof b, "huge", &st, &e), ERR_FORMAT);
    tu_assert_contains(e.msg, "huge: header length 18446744073709551615 is beyond");
    /* Just over the cap, also refused before anything is read. */
    uint64_t n = SAFETENSORS_MAX_HEADER + 1ull;
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(n >> (8 * i));
    assert_int_equal(safetensors_parse(b, sizeof b, "huge", &st, &e), ERR_FORMAT);
    tu_assert_contains(e.msg, "beyond");
}

static void test_bad_json(void **state)
{
    (void)state;
    expect_bad("{\"a\":{\"dtype\":\"F32\",", NULL, 0, "header is not valid JSON");
    expect_bad("{\"a\" 1}", NULL, 0, "header is not valid JSON");
    expect_bad("[1, 2]", NULL, 0, "header is not a JSON object");
    expect_bad("PK\x03\x04", NULL, 0, "not a safetensors file");
    expect_bad("{} {}", NULL, 0, "stray bytes after its JSON object");
    expect_bad("{}x", NULL, 0, "stray bytes");
    const char nul[] = "{\"a\0\":1}";
    size_t len;
    uint8_t *b = make_file("{\"ab\": {}}", NULL, 0, &len);
    memcpy(b + 8, nul, 8); /* same length, a NUL inside the key */
    Safetensors st;
    Err e = {0};
    assert_int_equal(safetensors_parse(b, len, "nul", &st, &e), ERR_FORMAT);
    tu_assert_contains(e.msg, "nul: header contains a NUL byte");
    free(b);
}

static void test_offsets_past_end(void **state)
{
    (void)state;
    expect_bad("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[28,36]}}", eight_floats,
               32, "tensor 'a': data_offsets [28,36] run past the end of the data (32 bytes)");
}

static void test_overlap(void **state)
{
    (void)state;
    expect_bad("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
               "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}",
               eight_floats, 32, "tensors 'a' [0,16) and 'b' [8,16) overlap");
    /* Same range twice is an overlap too; empty tensors overlap nothing. */
    expect_bad("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]},"
               "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
               eight_floats, 32, "overlap");
    const char *ok = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                     "\"e\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,4]}}";
    size_t len;
    uint8_t *b = make_file(ok, eight_floats, 8, &len);
    Safetensors st;
    Err e = {0};
    assert_int_equal(safetensors_parse(b, len, "ok", &st, &e), ERR_OK);
    safetensors_free(&st);
    free(b);
}

static void test_wrong_dtype(void **state)
{
    (void)state;
    expect_bad("{\"w\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", eight_floats, 4,
               "tensor 'w': dtype F16 is not supported (zspace reads F32 only)");
    expect_bad("{\"w\":{\"dtype\":7,\"shape\":[2],\"data_offsets\":[0,8]}}", eight_floats, 8,
               "tensor 'w': missing or non-string \"dtype\"");
    expect_bad("{\"w\":{\"shape\":[2],\"data_offsets\":[0,8]}}", eight_floats, 8,
               "tensor 'w': missing or non-string \"dtype\"");
}

static void test_shape_mismatch(void **state)
{
    (void)state;
    expect_bad("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}", eight_floats,
               32, "tensor 'w': shape [2,3] needs 24 bytes but data_offsets [0,20] hold 20");
    /* 2^32 * 2^32 * 4 wraps a u64 to 0: caught as overflow, not as a match. */
    expect_bad("{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,0]}}",
               NULL, 0, "tensor 'w': shape [4294967296,4294967296] is impossibly large");
    expect_bad("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,-1],\"data_offsets\":[0,8]}}", eight_floats,
               8, "tensor 'w': shape entry 1 is not a non-negative integer");
    expect_bad("{\"w\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,8]}}", eight_floats,
               8, "shape entry 0 is not a non-negative integer");
    expect_bad("{\"w\":{\"dtype\":\"F32\",\"shape\":\"2\",\"data_offsets\":[0,8]}}", eight_floats,
               8, "tensor 'w': missing or non-array \"shape\"");
    expect_bad("{\"w\":{\"dtype\":\"F32\",\"shape\":[1,1,1,1,1,1,1,1,1],\"data_offsets\":[0,4]}}",
               eight_floats, 4, "tensor 'w': 9 dimensions");
}

static void test_bad_offsets(void **state)
{
    (void)state;
    const char *want = "tensor 'w': \"data_offsets\" must be [begin, end]";
    expect_bad("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", eight_floats, 8,
               want);
    expect_bad("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8,16]}}", eight_floats,
               16, want);
    expect_bad("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[-8,0]}}", eight_floats,
               8, want);
    expect_bad("{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}", eight_floats, 8, want);
    expect_bad("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,1e300]}}", eight_floats,
               8, want);
    expect_bad("{\"w\": [1, 2]}", NULL, 0, "tensor 'w': entry is not a JSON object");
}

static void test_metadata(void **state)
{
    (void)state;
    expect_bad("{\"__metadata__\":{\"latent\":2}}", NULL, 0,
               "metadata 'latent' is not a string");
    expect_bad("{\"__metadata__\":[\"x\"]}", NULL, 0, "\"__metadata__\" is not a JSON object");
    expect_bad("{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"}}", NULL, 0,
               "metadata key 'k' appears twice");
    expect_bad("{\"__metadata__\":{},\"__metadata__\":{}}", NULL, 0,
               "\"__metadata__\" appears twice");
}

static void test_duplicate_tensor(void **state)
{
    (void)state;
    expect_bad("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
               "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
               eight_floats, 8, "tensor 'w' appears twice");
}

static void test_load_errors(void **state)
{
    (void)state;
    Safetensors st;
    Err e = {0};
    const char *missing = tu_path("does-not-exist.safetensors");
    assert_int_equal(safetensors_load(missing, &st, &e), ERR_IO);
    tu_assert_contains(e.msg, "does-not-exist.safetensors: cannot open");
    assert_int_equal(safetensors_load(tu_tmpdir(), &st, &e), ERR_IO);
    tu_assert_contains(e.msg, "is a directory");

    /* A corrupt file on disk reports its path. */
    const char *p = tu_write("corrupt.safetensors", "\x05\0\0\0\0\0\0\0{oops", 13);
    assert_int_equal(safetensors_load(p, &st, &e), ERR_FORMAT);
    tu_assert_contains(e.msg, "corrupt.safetensors: header is not valid JSON");
}

static void test_save_errors(void **state)
{
    (void)state;
    const float d[2] = {1, 2};
    const char *path = tu_path("keep.safetensors");
    SafetensorsTensorIn good = {"a", 1, {2}, d};
    Err e = {0};
    assert_int_equal(safetensors_save(path, &good, 1, NULL, 0, &e), ERR_OK);
    struct stat before;
    assert_int_equal(stat(path, &before), 0);

    /* Bad input: refused, the existing file untouched. */
    SafetensorsTensorIn dup[2] = {{"a", 1, {2}, d}, {"a", 1, {1}, d}};
    assert_int_equal(safetensors_save(path, dup, 2, NULL, 0, &e), ERR_ARG);
    tu_assert_contains(e.msg, "tensor name 'a' appears twice");
    SafetensorsTensorIn reserved = {"__metadata__", 1, {2}, d};
    assert_int_equal(safetensors_save(path, &reserved, 1, NULL, 0, &e), ERR_ARG);
    SafetensorsMeta mdup[2] = {{"k", "1"}, {"k", "2"}};
    assert_int_equal(safetensors_save(path, &good, 1, mdup, 2, &e), ERR_ARG);
    tu_assert_contains(e.msg, "metadata key 'k' appears twice");
    struct stat after;
    assert_int_equal(stat(path, &after), 0);
    assert_int_equal(after.st_size, before.st_size);
    assert_int_equal(after.st_ino, before.st_ino);

    /* A directory that does not exist: an I/O error naming the path. */
    const char *nodir = tu_path("no/such/dir/m.safetensors");
    assert_int_equal(safetensors_save(nodir, &good, 1, NULL, 0, &e), ERR_IO);
    tu_assert_contains(e.msg, "m.safetensors");
}

/* Random corruption of a valid file must never crash or read out of bounds
 * (this runs under ASan in CI): either it still parses with every tensor in
 * range, or it fails with a message naming the file. */
static void test_mutations(void **state)
{
    (void)state;
    float w[6] = {1, 2, 3, 4, 5, 6};
    SafetensorsTensorIn t[] = {{"w", 2, {2, 3}, w}, {"b", 1, {2}, w}};
    SafetensorsMeta m = {"latent", "2"};
    uint8_t *good;
    size_t len;
    Err e = {0};
    assert_int_equal(safetensors_serialize(t, 2, &m, 1, &good, &len, &e), ERR_OK);
    uint8_t *b = malloc(len);
    assert_non_null(b);
    Rng r;
    rng_seed(&r, 42);
    int ok = 0, bad = 0;
    for (int it = 0; it < 3000; it++) {
        memcpy(b, good, len);
        int flips = 1 + (int)rng_below(&r, 3);
        for (int f = 0; f < flips; f++) {
            uint32_t at = rng_below(&r, (uint32_t)len);
            /* Mostly printable changes inside the header, where parsing happens. */
            b[at] = rng_below(&r, 2) ? (uint8_t)"0123456789[]{},:\" -eF"[rng_below(&r, 21)]
                                     : (uint8_t)rng_u64(&r);
        }
        size_t cut = rng_below(&r, 8) == 0 ? rng_below(&r, (uint32_t)len) : len;
        Safetensors st;
        if (safetensors_parse(b, cut, "mut", &st, &e) == ERR_OK) {
            for (int i = 0; i < st.n_tensors; i++)
                for (size_t k = 0; k < st.tensors[i].numel; k++)
                    (void)st.tensors[i].data[k]; /* ASan checks the reads */
            safetensors_free(&st);
            ok++;
        } else {
            tu_assert_contains(e.msg, "mut: ");
            bad++;
        }
    }
    assert_true(bad > 1000); /* the mutations really do break files */
    assert_true(ok > 0);     /* and some (data-only flips) leave them valid */
    free(b);
    free(good);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_exact_layout),
        cmocka_unit_test(test_foreign_files),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_huge_header_length),
        cmocka_unit_test(test_bad_json),
        cmocka_unit_test(test_offsets_past_end),
        cmocka_unit_test(test_overlap),
        cmocka_unit_test(test_wrong_dtype),
        cmocka_unit_test(test_shape_mismatch),
        cmocka_unit_test(test_bad_offsets),
        cmocka_unit_test(test_metadata),
        cmocka_unit_test(test_duplicate_tensor),
        cmocka_unit_test(test_load_errors),
        cmocka_unit_test(test_save_errors),
        cmocka_unit_test(test_mutations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
