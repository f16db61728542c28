/* idx: reader for the IDX format of MNIST and Fashion-MNIST, plain or gzip.
 *
 * An IDX file is: two zero bytes, an element-type byte, a dimension-count
 * byte, that many big-endian uint32 sizes, then the elements in row-major
 * order. The reader reads the actual bytes first (capped) and validates the
 * header against them, so a lying header can never make it allocate or read
 * what the file does not hold. Thread rule: pure functions, any thread. */
#ifndef ZSPACE_DATA_IDX_H
#define ZSPACE_DATA_IDX_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define IDX_MAX_DIMS 4
/* Upper bound on one file's (decompressed) content: MNIST's largest file is
 * 47 MB; this stops a gzip bomb from eating the machine. */
#define IDX_MAX_BYTES ((size_t)1 << 31)

enum {
    IDX_U8 = 0x08,
    IDX_S8 = 0x09,
    IDX_I16 = 0x0B,
    IDX_I32 = 0x0C,
    IDX_F32 = 0x0D,
    IDX_F64 = 0x0E,
};

typedef struct {
    int type;                    /* one of IDX_* */
    int ndim;                    /* 1..IDX_MAX_DIMS */
    uint32_t dims[IDX_MAX_DIMS];
    uint64_t count;              /* product of dims: number of elements */
    size_t header_bytes;         /* 4 + 4*ndim */
    size_t data_bytes;           /* count * element size */
} IdxHeader;

typedef struct {
    size_t n;       /* number of images */
    int rows, cols; /* image size, e.g. 28x28 */
    float *pixels;  /* (n, rows*cols), values in [0, 1]; owned, free with idx_images_free */
} IdxImages;

typedef struct {
    size_t n;
    uint8_t *labels; /* (n); owned */
} IdxLabels;

/* Read a whole file, transparently un-gzipping it. *data is malloc'd and
 * owned by the caller. Errors: missing file, directory, empty, corrupt gzip,
 * over IDX_MAX_BYTES. */
int idx_read_all(const char *path, uint8_t **data, size_t *len, Err *e);

/* Parse and validate a header against the len bytes actually present: magic,
 * known type, 1..4 dims, no overflow, body neither truncated nor followed by
 * extra bytes. path only names the file in messages. */
int idx_parse(const uint8_t *data, size_t len, const char *path, IdxHeader *h, Err *e);

/* "unsigned byte" etc.; "unknown" for anything else. */
const char *idx_type_name(int type);

/* Format dims as "60000x28x28" into buf. */
void idx_dims_str(const IdxHeader *h, char *buf, size_t size);

/* Load a 3-dim unsigned-byte image file as floats scaled by 1/255. */
int idx_load_images(const char *path, IdxImages *out, Err *e);
/* Load a 1-dim unsigned-byte label file. */
int idx_load_labels(const char *path, IdxLabels *out, Err *e);

void idx_images_free(IdxImages *im);
void idx_labels_free(IdxLabels *lb);

#endif
