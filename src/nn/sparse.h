/* sparse: the first encoder layer, whose input is mostly exact zeros (81%
 * of MNIST pixels), with its weight stored transposed, Wt (in, out).
 *
 * A batch is compacted once per step into SparseRows: per row, the indices
 * and values of its nonzeros in pixel order, plus where each tile of
 * SPARSE_TILE pixels starts in that list. The forward pass walks, per row,
 * only the Wt rows of its nonzero pixels; the weight gradient regroups one
 * tile at a time by pixel (a counting sort of the tile's entries) and sums
 * dy rows per pixel. Either kernel falls back to a dense cblas_sgemm when
 * the part it covers is denser than SPARSE_DENSE_ABOVE (Fashion-MNIST is
 * ~50% nonzero; there the GEMM is faster).
 *
 * The dense/sparse choice is made per call from the density of what the call
 * covers, so results are reproducible for a fixed split of the work (the
 * same thread count). Pure functions on caller buffers; any thread, disjoint
 * outputs. */
#ifndef ZSPACE_NN_SPARSE_H
#define ZSPACE_NN_SPARSE_H

#include <stddef.h>

#define SPARSE_DENSE_ABOVE 0.4
enum { SPARSE_TILE = 64 };

typedef struct {
    int rows, in, ld, tiles; /* ld = in + 16: room for a full-vector store past the end */
    int *idx;                /* (rows, ld) pixel indices of row r's nonzeros */
    float *val;              /* (rows, ld) their values */
    int *start;              /* (rows, tiles + 1): row r's tile t starts at start[r*(tiles+1)+t];
                              * the last entry is the row's count */
} SparseRows;

/* Per-thread scratch of the weight gradient: one tile regrouped by pixel. */
typedef struct {
    int *b;      /* (rows * SPARSE_TILE) */
    float *val;  /* (rows * SPARSE_TILE) */
    int *start;  /* (SPARSE_TILE + 1) */
} SparseCols;

/* Bytes for SparseRows of rows x in, and for SparseCols of `rows` rows. */
size_t sparse_rows_bytes(int rows, int in);
size_t sparse_cols_bytes(int rows);
/* Carve s out of mem (sparse_rows_bytes bytes, 64-byte aligned). */
void sparse_rows_init(SparseRows *s, void *mem, int rows, int in);
void sparse_cols_init(SparseCols *c, void *mem, int rows);

/* Compact rows r0..r1 of x (rows, in); returns their number of nonzeros.
 * NaN counts as nonzero, so it reaches the loss. */
long sparse_rows_build(SparseRows *s, const float *x, int r0, int r1);

/* Rows r0..r1: y = x Wt + b, then ReLU if relu. x, y point at row 0 of the
 * batch; s must hold rows r0..r1 of the same x. Overwrites y. */
void sparse_forward(float *y, const float *x, const SparseRows *s, int r0, int r1,
                    const float *wt, const float *b, int out, int relu);

/* Rows k0..k1 of dWt (in, out) (+)= x[:, k]^T dy over all s->rows rows;
 * k0 is a multiple of SPARSE_TILE. acc != 0 accumulates, 0 overwrites. */
void sparse_backward_weight(float *dwt, const float *dy, const float *x, const SparseRows *s,
                            int out, int k0, int k1, int acc, SparseCols *scratch);

#endif
