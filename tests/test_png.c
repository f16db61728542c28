/* test_png: io_png reads what other tools write: Adam7-interlaced images
 * (ImageMagick's -interlace PNG) come back pixel for pixel, an image larger
 * than the caller takes is refused from its header (a 16384 x 16384 file is
 * never decoded), and damaged or non-regular inputs get messages that say
 * what is wrong. */
#include <fcntl.h>
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
#include <libpng/png.h>
#include <zlib.h>

#include "io/png.h"
#include "test_util.h"

/* A w x h 8-bit grey PNG of pattern(x, y), interlaced or not, written with
 * libpng directly (as another program would). */
static uint8_t pattern(int x, int y)
{
    return (uint8_t)((x * 7 + y * 13 + (x ^ y)) & 0xff);
}

static void write_grey(const char *path, int w, int h, int interlace)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    assert_non_null(info);
    png_init_io(png, f);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_GRAY,
                 interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    uint8_t *px = malloc((size_t)w * h);
    png_bytep *rows = malloc((size_t)h * sizeof *rows);
    for (int y = 0; y < h; y++) {
        rows[y] = px + (size_t)y * w;
        for (int x = 0; x < w; x++)
            px[(size_t)y * w + x] = pattern(x, y);
    }
    png_write_image(png, rows); /* all seven passes when interlaced */
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    fclose(f);
    free(px);
    free(rows);
}

static void test_interlaced_reads_like_plain(void **state)
{
    (void)state;
    for (int interlace = 0; interlace < 2; interlace++) {
        const char *path = tu_path(interlace ? "adam7.png" : "plain.png");
        write_grey(path, 28, 28, interlace);
        uint8_t *rgba;
        int w, h;
        Err e = {0};
        assert_int_equal(io_png_read_rgba_max(path, 28, 28, &rgba, &w, &h, &e), ERR_OK);
        assert_int_equal(w, 28);
        assert_int_equal(h, 28);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                const uint8_t *p = rgba + 4 * ((size_t)y * w + x);
                assert_int_equal(p[0], pattern(x, y));
                assert_int_equal(p[1], pattern(x, y));
                assert_int_equal(p[3], 255);
            }
        free(rgba);
    }
}

/* Only the header of a 16384 x 16384 image: refused by size, not by the
 * missing pixels (which libpng would only find after allocating 1 GiB). */
static void test_size_checked_before_decoding(void **state)
{
    (void)state;
    const char *big = tu_path("big.png");
    write_grey(big, 64, 64, 0);
    /* Patch IHDR's width and height (bytes 16..23) and its CRC (29..32). */
    FILE *f = fopen(big, "r+b");
    uint8_t ihdr[17];
    assert_int_equal(fseek(f, 12, SEEK_SET), 0);
    assert_int_equal(fread(ihdr, 1, 17, f), 17);
    const uint8_t side[4] = {0, 0, 0x40, 0};
    memcpy(ihdr + 4, side, 4);
    memcpy(ihdr + 8, side, 4);
    uint32_t crc = (uint32_t)crc32(0, ihdr, 17);
    uint8_t be[4] = {(uint8_t)(crc >> 24), (uint8_t)(crc >> 16), (uint8_t)(crc >> 8), (uint8_t)crc};
    assert_int_equal(fseek(f, 12, SEEK_SET), 0);
    assert_int_equal(fwrite(ihdr, 1, 17, f), 17);
    assert_int_equal(fwrite(be, 1, 4, f), 4);
    fclose(f);
    uint8_t *rgba;
    int w, h;
    Err e = {0};
    assert_int_equal(io_png_read_rgba_max(big, 28, 28, &rgba, &w, &h, &e), ERR_FORMAT);
    tu_assert_contains(e.msg, "16384x16384 pixels, more than the 28x28 expected");
    assert_null(rgba);
    assert_int_equal(io_png_read_rgba(big, &rgba, &w, &h, &e), ERR_FORMAT);
    tu_assert_contains(e.msg, "more than the 8192x8192 expected");
}

static void test_clear_messages(void **state)
{
    (void)state;
    uint8_t *rgba;
    int w, h;
    Err e = {0};
    const char *ok = tu_path("ok.png");
    write_grey(ok, 28, 28, 1);
    FILE *f = fopen(ok, "rb");
    uint8_t head[100];
    assert_int_equal(fread(head, 1, sizeof head, f), sizeof head);
    fclose(f);
    const char *cut = tu_write("cut.png", head, sizeof head);
    assert_int_equal(io_png_read_rgba(cut, &rgba, &w, &h, &e), ERR_FORMAT);
    tu_assert_contains(e.msg, "cut.png: the file is truncated");
    assert_int_not_equal(io_png_read_rgba(tu_tmpdir(), &rgba, &w, &h, &e), ERR_OK);
    tu_assert_contains(e.msg, "is a directory");
    const char *fifo = tu_path("fifo.png");
    assert_int_equal(mkfifo(fifo, 0600), 0);
    /* No writer: refused at once rather than waiting forever. */
    assert_int_not_equal(io_png_read_rgba(fifo, &rgba, &w, &h, &e), ERR_OK);
    tu_assert_contains(e.msg, "not a regular file");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_interlaced_reads_like_plain),
        cmocka_unit_test(test_size_checked_before_decoding),
        cmocka_unit_test(test_clear_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
