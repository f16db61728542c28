/* fuzz_import: `zspace data import` on arbitrary bytes, as a file named on
 * the command line and gzipped: the gzip, tar (libarchive) and recognition
 * paths. Whatever the bytes, the import ends, recognises nothing (no
 * published SHA-256 can match by chance) and leaves the destination empty,
 * or fails with a message. */
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "data/import.h"

static char plain[64], gz[64], dest[64];

static void make_paths(void)
{
    if (plain[0])
        return;
    snprintf(plain, sizeof plain, "/tmp/zspace-fuzz-import-%d", (int)getpid());
    snprintf(gz, sizeof gz, "/tmp/zspace-fuzz-import-%d.gz", (int)getpid());
    snprintf(dest, sizeof dest, "/tmp/zspace-fuzz-import-%d.d", (int)getpid());
}

static void check(const char *path)
{
    ImportResult r;
    Err e = {0};
    int rc = data_import(path, dest, &r, NULL, NULL, &e);
    if (rc != ERR_OK && e.msg[0] == '\0')
        abort(); /* every failure must say why */
    if (r.recognised != 0)
        abort();
    DIR *d = opendir(dest);
    if (d) {
        struct dirent *ent;
        while ((ent = readdir(d)))
            if (strcmp(ent->d_name, ".") && strcmp(ent->d_name, ".."))
                abort(); /* nothing may be written */
        closedir(d);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    make_paths();
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
    rmdir(dest);
    return 0;
}
