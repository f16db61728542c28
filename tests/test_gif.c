/* test_gif: the GIF writer and reader (src/io/gif.h). Round trips of frame
 * count, size, per-frame delays, the loop extension and every pixel
 * (including frames stored as changed rectangles and unchanged frames);
 * the reader on GIFs written directly with giflib in ways our writer never
 * uses (interlaced, local palette, transparency, disposal to background and
 * to previous); atomicity and argument errors. */
#include <dirent.h>
#include <gif_lib.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "core/rng.h"
#include "io/gif.h"
#include "test_util.h"

/* A 4-colour palette: black, white, red, blue. */
static const uint8_t pal4[12] = {0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 0, 255};

static void assert_rgb(const uint8_t *p, const uint8_t *rgb)
{
    assert_int_equal(p[0], rgb[0]);
    assert_int_equal(p[1], rgb[1]);
    assert_int_equal(p[2], rgb[2]);
    assert_int_equal(p[3], 255);
}

/* Files in the test directory whose names start with '.': afile temporaries. */
static int count_temporaries(void)
{
    DIR *d = opendir(tu_tmpdir());
    assert_non_null(d);
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)))
        n += de->d_name[0] == '.' && strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
    closedir(d);
    return n;
}

static void test_round_trip(void **state)
{
    (void)state;
    enum { W = 13, H = 7, F = 5 };
    uint8_t frames[F][H][W];
    Rng r;
    rng_seed(&r, 7);
    for (int f = 0; f < F; f++)
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
                frames[f][y][x] = (uint8_t)rng_below(&r, 4);
    /* Frame 2 repeats frame 1 (the one-pixel "unchanged" frame); frame 3
     * changes a single pixel in the middle (a 1x1 rectangle). */
    memcpy(frames[2], frames[1], sizeof frames[1]);
    memcpy(frames[3], frames[2], sizeof frames[2]);
    frames[3][3][6] = (uint8_t)((frames[3][3][6] + 1) % 4);
    const int delays[F] = {4, 4, 30, 7, 65535};
    const char *path = tu_path("round.gif");
    IoGifWriter g;
    Err e = {0};
    assert_int_equal(io_gif_open(&g, path, W, H, pal4, 4, IO_GIF_LOOP_FOREVER, &e), ERR_OK);
    for (int f = 0; f < F; f++)
        assert_int_equal(io_gif_frame(&g, &frames[f][0][0], W, delays[f], &e), ERR_OK);
    struct stat st;
    assert_int_not_equal(stat(path, &st), 0); /* nothing at the path before commit */
    assert_int_equal(io_gif_commit(&g, &e), ERR_OK);
    assert_int_equal(count_temporaries(), 0);

    IoGif rd;
    assert_int_equal(io_gif_read(path, &rd, &e), ERR_OK);
    assert_int_equal(rd.w, W);
    assert_int_equal(rd.h, H);
    assert_int_equal(rd.n_frames, F);
    assert_int_equal(rd.loop, 0);
    assert_int_equal(rd.n_colors, 4);
    for (int f = 0; f < F; f++) {
        assert_int_equal(rd.delay_cs[f], delays[f]);
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
                assert_rgb(rd.rgba + (((size_t)f * H + y) * W + x) * 4, pal4 + 3 * frames[f][y][x]);
    }
    io_gif_free(&rd);
}

static void test_loop_counts_and_palette_sizes(void **state)
{
    (void)state;
    static const int loops[3] = {IO_GIF_LOOP_NONE, 3, 65535};
    uint8_t pal[256 * 3];
    for (int i = 0; i < 256; i++)
        pal[3 * i] = pal[3 * i + 1] = pal[3 * i + 2] = (uint8_t)i;
    uint8_t px[2 * 3] = {0, 50, 100, 150, 200, 255};
    for (int k = 0; k < 3; k++) {
        int n_colors = k == 0 ? 256 : k == 1 ? 3 : 200; /* padded to 256 / 4 / 256 */
        for (int i = 0; i < 6; i++)
            px[i] = (uint8_t)(i * (n_colors - 1) / 5);
        const char *path = tu_path("loop.gif");
        IoGifWriter g;
        Err e = {0};
        assert_int_equal(io_gif_open(&g, path, 3, 2, pal, n_colors, loops[k], &e), ERR_OK);
        assert_int_equal(io_gif_frame(&g, px, 3, 10, &e), ERR_OK);
        assert_int_equal(io_gif_commit(&g, &e), ERR_OK);
        IoGif rd;
        assert_int_equal(io_gif_read(path, &rd, &e), ERR_OK);
        assert_int_equal(rd.loop, loops[k]);
        assert_int_equal(rd.n_frames, 1);
        assert_int_equal(rd.n_colors, k == 1 ? 4 : 256);
        for (int i = 0; i < 6; i++)
            assert_rgb(rd.rgba + 4 * i, pal + 3 * px[i]);
        io_gif_free(&rd);
    }
}

static void test_writer_errors(void **state)
{
    (void)state;
    IoGifWriter g;
    Err e = {0};
    const char *path = tu_path("bad.gif");
    assert_int_equal(io_gif_open(&g, path, 0, 5, pal4, 4, 0, &e), ERR_ARG);
    tu_assert_contains(e.msg, "0x5");
    assert_int_equal(io_gif_open(&g, path, 5, 5, pal4, 1, 0, &e), ERR_ARG);
    tu_assert_contains(e.msg, "2..256");
    assert_int_equal(io_gif_open(&g, path, 5, 5, pal4, 4, 70000, &e), ERR_ARG);
    assert_int_equal(io_gif_open(&g, tu_path("no/such/dir/x.gif"), 5, 5, pal4, 4, 0, &e), ERR_IO);
    tu_assert_contains(e.msg, "no/such/dir");

    uint8_t px[4] = {0, 1, 2, 3};
    assert_int_equal(io_gif_open(&g, path, 2, 2, pal4, 3, 0, &e), ERR_OK);
    assert_int_equal(io_gif_frame(&g, px, 2, 10, &e), ERR_ARG); /* index 3 of 3 colours */
    tu_assert_contains(e.msg, "pixel (1, 1) has colour 3 of 3");
    assert_int_equal(io_gif_frame(&g, px, 2, 0, &e), ERR_ARG);
    tu_assert_contains(e.msg, "delay 0");
    io_gif_abort(&g);
    assert_int_equal(count_temporaries(), 0);

    /* A commit without frames fails and writes nothing. */
    assert_int_equal(io_gif_open(&g, path, 2, 2, pal4, 4, 0, &e), ERR_OK);
    assert_int_equal(io_gif_commit(&g, &e), ERR_ARG);
    tu_assert_contains(e.msg, "at least one frame");
    struct stat st;
    assert_int_not_equal(stat(path, &st), 0);
    assert_int_equal(count_temporaries(), 0);
}

/* Write a GIF with giflib directly: screen 6x4, global palette pal4, then
 * the images described by `spec`, to exercise reader paths our writer never
 * takes. */
typedef struct {
    int left, top, w, h;
    bool interlace, local_palette;
    int disposal, transparent;
    uint8_t fill[24]; /* w * h indices, row-major */
} Img;

static int out_file(GifFileType *gif, const GifByteType *b, int n)
{
    return (int)fwrite(b, 1, (size_t)n, gif->UserData);
}

static const char *write_raw(const char *name, const Img *imgs, int n)
{
    const char *path = tu_path(name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    int err;
    GifFileType *gif = EGifOpen(f, out_file, &err);
    assert_non_null(gif);
    EGifSetGifVersion(gif, true);
    GifColorType c[4];
    for (int i = 0; i < 4; i++)
        c[i] = (GifColorType){pal4[3 * i], pal4[3 * i + 1], pal4[3 * i + 2]};
    ColorMapObject *map = GifMakeMapObject(4, c);
    assert_int_equal(EGifPutScreenDesc(gif, 6, 4, 4, 0, map), GIF_OK);
    /* A local palette with the colours reversed. */
    GifColorType rc[4] = {c[3], c[2], c[1], c[0]};
    ColorMapObject *rev = GifMakeMapObject(4, rc);
    for (int k = 0; k < n; k++) {
        const Img *m = &imgs[k];
        GraphicsControlBlock gcb = {m->disposal, false, 5 + k, m->transparent};
        GifByteType ext[4];
        EGifGCBToExtension(&gcb, ext);
        assert_int_equal(EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, 4, ext), GIF_OK);
        /* giflib 5.2 drops (leaks) the previous image's local palette when
         * the next image has none: release it first. */
        if (!m->local_palette && gif->Image.ColorMap) {
            GifFreeMapObject(gif->Image.ColorMap);
            gif->Image.ColorMap = NULL;
        }
        assert_int_equal(EGifPutImageDesc(gif, m->left, m->top, m->w, m->h, m->interlace,
                                          m->local_palette ? rev : NULL),
                         GIF_OK);
        /* giflib writes lines in the order given: interlaced images want
         * rows 0,8,.. then 4,12,.. then 2,6,.. then 1,3,.. */
        static const int start[4] = {0, 4, 2, 1}, step[4] = {8, 8, 4, 2};
        for (int pass = 0; pass < (m->interlace ? 4 : 1); pass++)
            for (int y = m->interlace ? start[pass] : 0; y < m->h;
                 y += m->interlace ? step[pass] : 1) {
                GifPixelType line[8];
                memcpy(line, m->fill + y * m->w, (size_t)m->w);
                assert_int_equal(EGifPutLine(gif, line, m->w), GIF_OK);
            }
    }
    GifFreeMapObject(map);
    GifFreeMapObject(rev);
    assert_int_equal(EGifCloseFile(gif, &err), GIF_OK);
    fclose(f);
    return path;
}

static void test_reader_compositing(void **state)
{
    (void)state;
    enum { W = 6, H = 4 };
    Img imgs[4] = {
        /* 0: the full screen, interlaced, rows 0..3 coloured 0,1,2,3. */
        {0, 0, W, H, true, false, DISPOSE_DO_NOT, NO_TRANSPARENT_COLOR, {0}},
        /* 1: a 2x2 patch at (1,1) with the local (reversed) palette, index 0
         * transparent: only its index-1/2/3 pixels land; disposed to
         * background afterwards. */
        {1, 1, 2, 2, false, true, DISPOSE_BACKGROUND, 0, {0, 1, 2, 3}},
        /* 2: a 1x1 patch at (5,3), restored to the previous canvas after. */
        {5, 3, 1, 1, false, false, DISPOSE_PREVIOUS, NO_TRANSPARENT_COLOR, {1}},
        /* 3: nothing visible changes (transparent pixel). */
        {0, 0, 1, 1, false, false, DISPOSE_DO_NOT, 2, {2}},
    };
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            imgs[0].fill[y * W + x] = (uint8_t)y;
    const char *path = write_raw("raw.gif", imgs, 4);
    IoGif g;
    Err e = {0};
    assert_int_equal(io_gif_read(path, &g, &e), ERR_OK);
    assert_int_equal(g.n_frames, 4);
    assert_int_equal(g.loop, IO_GIF_LOOP_NONE);
    for (int f = 0; f < 4; f++)
        assert_int_equal(g.delay_cs[f], 5 + f);
#define PX(f, x, y) (g.rgba + ((((size_t)(f)) * H + (y)) * W + (x)) * 4)
    /* Frame 0: de-interlaced rows. */
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            assert_rgb(PX(0, x, y), pal4 + 3 * y);
    /* Frame 1: (1,1) kept (transparent), (2,1) local 1 = global 2 (red),
     * (1,2) local 2 = white, (2,2) local 3 = black. */
    assert_rgb(PX(1, 1, 1), pal4 + 3 * 1);
    assert_rgb(PX(1, 2, 1), pal4 + 3 * 2);
    assert_rgb(PX(1, 1, 2), pal4 + 3 * 1);
    assert_rgb(PX(1, 2, 2), pal4 + 3 * 0);
    assert_rgb(PX(1, 0, 0), pal4 + 0);
    /* Frame 2: the patch area of frame 1 was cleared to transparent. */
    for (int y = 1; y <= 2; y++)
        for (int x = 1; x <= 2; x++)
            assert_int_equal(PX(2, x, y)[3], 0);
    assert_rgb(PX(2, 5, 3), pal4 + 3 * 1);
    /* Frame 3: (5,3) restored to frame 1's canvas value (row 3: blue). */
    assert_rgb(PX(3, 5, 3), pal4 + 3 * 3);
    assert_rgb(PX(3, 0, 0), pal4 + 0);
#undef PX
    io_gif_free(&g);
}

static void test_reader_rejects(void **state)
{
    (void)state;
    IoGif g;
    Err e = {0};
    static const uint8_t junk[] = "this is not a GIF at all";
    assert_int_equal(io_gif_read_mem(junk, sizeof junk, &g, &e), ERR_FORMAT);
    assert_null(g.rgba);
    tu_assert_contains(e.msg, "GIF data");
    assert_int_equal(io_gif_read(tu_path("absent.gif"), &g, &e), ERR_IO);
    tu_assert_contains(e.msg, "absent.gif");

    /* A valid file cut short at every length fails cleanly (no frames for
     * the header-only prefixes, bad data later), never crashes. */
    const char *path = tu_path("cut.gif");
    IoGifWriter w;
    uint8_t px[64];
    for (int i = 0; i < 64; i++)
        px[i] = (uint8_t)(i % 4);
    assert_int_equal(io_gif_open(&w, path, 8, 8, pal4, 4, 0, &e), ERR_OK);
    assert_int_equal(io_gif_frame(&w, px, 8, 3, &e), ERR_OK);
    assert_int_equal(io_gif_commit(&w, &e), ERR_OK);
    FILE *f = fopen(path, "rb");
    uint8_t buf[4096];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    assert_true(n > 40 && n < sizeof buf);
    for (size_t k = 0; k + 1 < n; k++) {
        int rc = io_gif_read_mem(buf, k, &g, &e);
        assert_int_not_equal(rc, ERR_OK);
        assert_null(g.rgba);
    }
    assert_int_equal(io_gif_read_mem(buf, n, &g, &e), ERR_OK);
    io_gif_free(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),     cmocka_unit_test(test_loop_counts_and_palette_sizes),
        cmocka_unit_test(test_writer_errors),  cmocka_unit_test(test_reader_compositing),
        cmocka_unit_test(test_reader_rejects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
