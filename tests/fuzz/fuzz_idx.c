/* fuzz_idx: the IDX reader on arbitrary bytes, both as a plain file and
 * wrapped in gzip, through the same loaders the app uses. Whatever the bytes,
 * a load either succeeds with consistent sizes or fails with a message. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "data/idx.h"

static char plain[64], gz[64];

static void make_paths(void)
{
    if (plain[0])
        return;
    snprintf(plain, sizeof plain, "/tmp/zspace-fuzz-idx-%d", (int)getpid());
    snprintf(gz, sizeof gz, "/tmp/zspace-fuzz-idx-%d.gz", (int)getpid());
}

static void check(const char *path)
{
    Err e = {0};
    IdxImages im;
    if (idx_load_images(path, &im, &e) == ERR_OK) {
        if (im.n == 0 || im.rows <= 0 || im.cols <= 0)
            abort();
        volatile float last = im.pixels[im.n * (size_t)im.rows * (size_t)im.cols - 1];
        (void)last;
        idx_images_free(&im);
    } else if (e.msg[0] == '\0') {
        abort(); /* every failure must say why */
    }
    IdxLabels lb;
    if (idx_load_labels(path, &lb, &e) == ERR_OK) {
        volatile uint8_t last = lb.labels[lb.n - 1];
        (void)last;
        idx_labels_free(&lb);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    make_paths();
    Err e = {0};
    IdxHeader h;
    (void)idx_parse(data, size, "input", &h, &e);

    FILE *f = fopen(plain, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    check(plain);

    gzFile g = gzopen(gz, "wb");
    if (g) {
        if (size)
            gzwrite(g, data, (unsigned)size);
        gzclose(g);
        check(gz);
    }
    unlink(plain);
    unlink(gz);
    return 0;
}
