/* test_idx: the IDX reader on generated fixtures (round trips, plain and
 * gzip) and on every kind of damage, each of which must give its own error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cmocka.h>

#include "data/dataset.h"
#include "data/idx.h"
#include "test_util.h"

/* Build an IDX byte string: header for type/dims, then `body` bytes of a
 * counting pattern (body may differ from what dims imply, to make damage). */
static uint8_t *make_idx(int type, int ndim, const uint32_t *dims, size_t body, size_t *len)
{
    *len = 4 + 4 * (size_t)ndim + body;
    uint8_t *b = malloc(*len);
    b[0] = 0;
    b[1] = 0;
    b[2] = (uint8_t)type;
    b[3] = (uint8_t)ndim;
    for (int i = 0; i < ndim; i++) {
        b[4 + 4 * i] = (uint8_t)(dims[i] >> 24);
        b[5 + 4 * i] = (uint8_t)(dims[i] >> 16);
        b[6 + 4 * i] = (uint8_t)(dims[i] >> 8);
        b[7 + 4 * i] = (uint8_t)dims[i];
    }
    for (size_t i = 0; i < body; i++)
        b[4 + 4 * (size_t)ndim + i] = (uint8_t)(i * 7 % 251);
    return b;
}

static const char *write_idx(const char *name, int type, int ndim, const uint32_t *dims,
                             size_t body)
{
    size_t len;
    uint8_t *b = make_idx(type, ndim, dims, body, &len);
    const char *p = tu_write(name, b, len);
    free(b);
    return p;
}

static const char *write_gz(const char *name, const uint8_t *data, size_t len)
{
    const char *p = tu_path(name);
    gzFile g = gzopen(p, "wb");
    assert_non_null(g);
    assert_int_equal(gzwrite(g, data, (unsigned)len), (int)len);
    gzclose(g);
    return p;
}

static const uint32_t img_dims[3] = {3, 4, 5};

static void test_images_round_trip(void **state)
{
    (void)state;
    const char *p = write_idx("img", IDX_U8, 3, img_dims, 60);
    IdxImages im;
    Err e = {0};
    assert_int_equal(idx_load_images(p, &im, &e), ERR_OK);
    assert_int_equal(im.n, 3);
    assert_int_equal(im.rows, 4);
    assert_int_equal(im.cols, 5);
    for (int i = 0; i < 60; i++)
        assert_float_equal(im.pixels[i], (float)(i * 7 % 251) / 255.0f, 1e-7);
    idx_images_free(&im);
}

static void test_gzip_round_trip(void **state)
{
    (void)state;
    size_t len;
    uint8_t *b = make_idx(IDX_U8, 3, img_dims, 60, &len);
    const char *p = write_gz("img.gz", b, len);
    IdxImages im;
    Err e = {0};
    assert_int_equal(idx_load_images(p, &im, &e), ERR_OK);
    assert_int_equal(im.n, 3);
    assert_float_equal(im.pixels[59], (float)(59 * 7 % 251) / 255.0f, 1e-7);
    idx_images_free(&im);
    free(b);
}

static void test_labels_round_trip(void **state)
{
    (void)state;
    uint32_t d = 9;
    const char *p = write_idx("lab", IDX_U8, 1, &d, 9);
    IdxLabels lb;
    Err e = {0};
    assert_int_equal(idx_load_labels(p, &lb, &e), ERR_OK);
    assert_int_equal(lb.n, 9);
    for (int i = 0; i < 9; i++)
        assert_int_equal(lb.labels[i], i * 7 % 251);
    idx_labels_free(&lb);
}

/* Expect idx_load_images(path) to fail with code and a message containing needle. */
static void expect_image_error(const char *path, int code, const char *needle)
{
    IdxImages im;
    Err e = {0};
    assert_int_equal(idx_load_images(path, &im, &e), code);
    tu_assert_contains(e.msg, needle);
    tu_assert_contains(e.msg, path);
    assert_null(im.pixels);
}

static void test_bad_magic(void **state)
{
    (void)state;
    size_t len;
    uint8_t *b = make_idx(IDX_U8, 3, img_dims, 60, &len);
    b[0] = 0x1f;
    expect_image_error(tu_write("magic", b, len), ERR_FORMAT, "not an IDX file");
    free(b);
}

static void test_wrong_type(void **state)
{
    (void)state;
    expect_image_error(write_idx("float", IDX_F32, 3, img_dims, 240), ERR_FORMAT,
                       "must be unsigned byte");
    expect_image_error(write_idx("type07", 0x07, 3, img_dims, 60), ERR_FORMAT,
                       "unknown IDX element type 0x07");
}

static void test_wrong_ndim(void **state)
{
    (void)state;
    expect_image_error(write_idx("ndim1", IDX_U8, 1, img_dims, 3), ERR_FORMAT,
                       "images must have 3");
    size_t len;
    uint8_t *b = make_idx(IDX_U8, 3, img_dims, 60, &len);
    b[3] = 9;
    expect_image_error(tu_write("ndim9", b, len), ERR_FORMAT, "9 dimensions");
    free(b);
}

static void test_truncated_header(void **state)
{
    (void)state;
    size_t len;
    uint8_t *b = make_idx(IDX_U8, 3, img_dims, 0, &len);
    expect_image_error(tu_write("hdr", b, 9), ERR_FORMAT, "truncated header");
    expect_image_error(tu_write("hdr3", b, 3), ERR_FORMAT, "truncated header");
    free(b);
}

static void test_truncated_body(void **state)
{
    (void)state;
    expect_image_error(write_idx("body", IDX_U8, 3, img_dims, 59), ERR_FORMAT,
                       "truncated: header says 3x4x5 (60 bytes), file holds 59 bytes");
}

static void test_trailing_bytes(void **state)
{
    (void)state;
    expect_image_error(write_idx("extra", IDX_U8, 3, img_dims, 61), ERR_FORMAT,
                       "1 unexpected bytes");
}

static void test_dims_overflow(void **state)
{
    (void)state;
    const uint32_t huge[3] = {0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu};
    expect_image_error(write_idx("huge", IDX_U8, 3, huge, 16), ERR_FORMAT, "too large");
    /* Large but not overflowing uint64: still refused before any allocation. */
    const uint32_t big[3] = {60000000u, 28, 28};
    expect_image_error(write_idx("big", IDX_U8, 3, big, 16), ERR_FORMAT, "too large");
}

static void test_zero_items(void **state)
{
    (void)state;
    const uint32_t none[3] = {0, 28, 28};
    expect_image_error(write_idx("none", IDX_U8, 3, none, 0), ERR_FORMAT, "holds no items");
}

static void test_corrupt_gzip(void **state)
{
    (void)state;
    size_t len;
    uint8_t *b = make_idx(IDX_U8, 3, img_dims, 60, &len);
    const char *p = write_gz("bad.gz", b, len);
    free(b);
    /* Flip bytes in the deflate stream: inflate must notice (bad data or CRC). */
    FILE *f = fopen(p, "r+b");
    assert_non_null(f);
    uint8_t buf[256];
    size_t n = fread(buf, 1, sizeof buf, f);
    assert_true(n > 20);
    for (size_t i = 12; i < n - 8; i++)
        buf[i] ^= 0x5a;
    fseek(f, 0, SEEK_SET);
    assert_int_equal(fwrite(buf, 1, n, f), n);
    fclose(f);
    expect_image_error(p, ERR_FORMAT, "corrupt gzip");

    /* A gzip stream cut short is corrupt too, not a short file. */
    b = make_idx(IDX_U8, 3, img_dims, 60, &len);
    const char *q = write_gz("short.gz", b, len);
    free(b);
    assert_int_equal(truncate(q, 30), 0);
    expect_image_error(q, ERR_FORMAT, "corrupt gzip");
}

static void test_empty_missing_directory(void **state)
{
    (void)state;
    expect_image_error(tu_write("empty", "", 0), ERR_FORMAT, "empty file");
    expect_image_error(tu_path("does-not-exist"), ERR_IO, "cannot open");
    const char *d = tu_path("adir");
    assert_int_equal(mkdir(d, 0700), 0);
    expect_image_error(d, ERR_IO, "is a directory");
}

static void test_count_mismatch(void **state)
{
    (void)state;
    const char *im = write_idx("cm-img", IDX_U8, 3, img_dims, 60);
    uint32_t two = 2;
    const char *lb = write_idx("cm-lab", IDX_U8, 1, &two, 2);
    DataSplit s;
    int r, c;
    Err e = {0};
    assert_int_equal(dataset_load_split(im, lb, &s, &r, &c, &e), ERR_FORMAT);
    tu_assert_contains(e.msg, "holds 3 images but");
    tu_assert_contains(e.msg, "holds 2 labels");
    assert_null(s.images);
}

static void test_label_out_of_range(void **state)
{
    (void)state;
    const char *im = write_idx("lr-img", IDX_U8, 3, img_dims, 60);
    uint8_t lab[4 + 4 + 3] = {0, 0, IDX_U8, 1, 0, 0, 0, 3, 1, 2, 10};
    const char *lb = tu_write("lr-lab", lab, sizeof lab);
    DataSplit s;
    int r, c;
    Err e = {0};
    assert_int_equal(dataset_load_split(im, lb, &s, &r, &c, &e), ERR_FORMAT);
    tu_assert_contains(e.msg, "label 10 at item 2");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_images_round_trip),
        cmocka_unit_test(test_gzip_round_trip),
        cmocka_unit_test(test_labels_round_trip),
        cmocka_unit_test(test_bad_magic),
        cmocka_unit_test(test_wrong_type),
        cmocka_unit_test(test_wrong_ndim),
        cmocka_unit_test(test_truncated_header),
        cmocka_unit_test(test_truncated_body),
        cmocka_unit_test(test_trailing_bytes),
        cmocka_unit_test(test_dims_overflow),
        cmocka_unit_test(test_zero_items),
        cmocka_unit_test(test_corrupt_gzip),
        cmocka_unit_test(test_empty_missing_directory),
        cmocka_unit_test(test_count_mismatch),
        cmocka_unit_test(test_label_out_of_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
