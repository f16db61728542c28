/* safetensors: read and write the safetensors container (the format of
 * Hugging Face's `safetensors` library), limited to what zspace stores:
 * named F32 tensors plus string metadata.
 *
 * Layout: an 8-byte little-endian u64 N, then N bytes of UTF-8 JSON
 *   {"<name>": {"dtype": "F32", "shape": [d0, ...], "data_offsets": [begin, end]},
 *    ..., "__metadata__": {"<key>": "<string>", ...}}
 * then the byte buffer; offsets are relative to the buffer's start and data is
 * little-endian, row-major. We pad the header with spaces to a multiple of 8
 * (as the spec allows) and lay tensors out back to back in the order given.
 *
 * Reading trusts nothing: sizes, JSON, dtype, shapes, offset ranges (inside
 * the buffer, non-overlapping) and metadata types are all checked before any
 * tensor is handed out, and each failure is one line naming the file and the
 * problem. Holes in the buffer are accepted (harmless); Python's library is
 * stricter, so our writer never makes them.
 *
 * Thread rule: no shared state; a Safetensors is owned by the thread that
 * loaded it (read-only use from several threads is fine). */
#ifndef ZSPACE_IO_SAFETENSORS_H
#define ZSPACE_IO_SAFETENSORS_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define SAFETENSORS_MAX_DIMS 8
/* A header longer than this is refused before it is read (real zspace
 * headers are a few KB; the cap only stops a corrupt length from asking for
 * gigabytes). */
#define SAFETENSORS_MAX_HEADER (100u * 1024u * 1024u)

/* One tensor to write: borrowed pointers, nothing is copied or freed. */
typedef struct {
    const char *name;
    int ndim;                             /* 0..SAFETENSORS_MAX_DIMS */
    int64_t shape[SAFETENSORS_MAX_DIMS];  /* each >= 0 */
    const float *data;                    /* prod(shape) floats, row-major */
} SafetensorsTensorIn;

/* One metadata entry (both strings borrowed). */
typedef struct {
    const char *key;
    const char *value;
} SafetensorsMeta;

/* One tensor as read: everything owned by the enclosing Safetensors. */
typedef struct {
    char *name;
    int ndim;
    int64_t shape[SAFETENSORS_MAX_DIMS];
    size_t numel; /* prod(shape) */
    float *data;  /* numel floats, host order, suitably aligned */
} SafetensorsTensor;

typedef struct {
    int n_tensors;
    SafetensorsTensor *tensors; /* in file order of their data offsets */
    int n_meta;
    SafetensorsMeta *meta;      /* owned strings (cast away const only in safetensors.c) */
    float *arena;               /* one allocation holding every tensor's data */
} Safetensors;

/* Write tensors and metadata to path atomically (temp file beside it, fsync,
 * rename): on failure the old file, if any, is untouched. Tensor names must be
 * non-empty, unique and not "__metadata__"; metadata keys unique. */
int safetensors_save(const char *path, const SafetensorsTensorIn *tensors, int n_tensors,
                     const SafetensorsMeta *meta, int n_meta, Err *e);

/* Serialize into a malloc'ed buffer (*out, *out_len; caller frees). The
 * bytes are exactly what safetensors_save writes. */
int safetensors_serialize(const SafetensorsTensorIn *tensors, int n_tensors,
                          const SafetensorsMeta *meta, int n_meta, uint8_t **out,
                          size_t *out_len, Err *e);

/* Read and validate a whole file. On failure *st is zeroed (nothing to free)
 * and e names the file and the problem. */
int safetensors_load(const char *path, Safetensors *st, Err *e);

/* Validate and decode len bytes already in memory; label names them in
 * messages (a path, usually). The bytes are copied; the caller keeps them. */
int safetensors_parse(const uint8_t *bytes, size_t len, const char *label, Safetensors *st,
                      Err *e);

/* Lookups; NULL when absent. */
const SafetensorsTensor *safetensors_find(const Safetensors *st, const char *name);
const char *safetensors_meta(const Safetensors *st, const char *key);
/* Metadata `key` as a whole number in [min, max]: ERR_FORMAT naming the
 * file (path) and the key when it is absent or is not such a number. */
int safetensors_meta_long(const Safetensors *st, const char *path, const char *key, long min,
                          long max, long *out, Err *e);
/* The same for an unsigned 64-bit whole number (seeds). */
int safetensors_meta_u64(const Safetensors *st, const char *path, const char *key, uint64_t *out,
                         Err *e);

/* The training record our model files carry (VAE and classifier): the
 * optional metadata "dataset" (copied into dataset, shorter than
 * dataset_size), "epochs" (0..2^30) and "seed". An absent key leaves its
 * output as it was; a malformed one is ERR_FORMAT naming the file and key. */
int safetensors_meta_run(const Safetensors *st, const char *path, char *dataset,
                         size_t dataset_size, long *epochs, uint64_t *seed, Err *e);

/* Release everything; *st is zeroed. Safe on a zeroed struct. */
void safetensors_free(Safetensors *st);

#endif
