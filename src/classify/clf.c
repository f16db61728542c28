/* clf: see clf.h. Forward is two lines (linear+ReLU, linear) and a softmax;
 * backward is the same layers in reverse, overwriting the gradients (each is
 * computed once per step). */
#include "clf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nn/adam.h"
#include "nn/linear.h"

ClfTensors clf_tensors(const Clf *m, float *base)
{
    ClfTensors t;
    t.w1 = base;
    t.b1 = t.w1 + (size_t)m->h * (size_t)m->x;
    t.w2 = t.b1 + m->h;
    t.b2 = t.w2 + (size_t)m->c * (size_t)m->h;
    return t;
}

int clf_init(Clf *m, int x, int h, int max_batch, uint64_t seed, Err *e)
{
    memset(m, 0, sizeof *m);
    if (x < 1 || x > 1 << 20)
        return err_set(e, ERR_ARG, "classifier: pixels %d out of range", x);
    if (h < 1 || h > CLF_MAX_HIDDEN)
        return err_set(e, ERR_ARG, "classifier: hidden %d must be between 1 and %d", h,
                       CLF_MAX_HIDDEN);
    if (max_batch == 0)
        max_batch = 128;
    if (max_batch < 1 || max_batch > 1 << 16)
        return err_set(e, ERR_ARG, "classifier: max batch %d out of range", max_batch);
    m->x = x;
    m->h = h;
    m->c = CLF_CLASSES;
    m->max_batch = max_batch;
    m->n_params = (size_t)h * (size_t)x + (size_t)h + (size_t)m->c * (size_t)h + (size_t)m->c;
    size_t b = (size_t)max_batch;
    /* One allocation: four parameter-sized arrays, then the activations. */
    size_t total = 4 * m->n_params + b * (size_t)h * 2 + b * (size_t)m->c;
    float *all = calloc(total, sizeof(float));
    if (!all) {
        memset(m, 0, sizeof *m);
        return err_set(e, ERR_NOMEM, "classifier: out of memory (%zu floats)", total);
    }
    m->params = all;
    m->grads = m->params + m->n_params;
    m->adam_m = m->grads + m->n_params;
    m->adam_v = m->adam_m + m->n_params;
    m->hid = m->adam_v + m->n_params;
    m->dhid = m->hid + b * (size_t)h;
    m->logits = m->dhid + b * (size_t)h;

    Rng r;
    rng_seed(&r, seed);
    ClfTensors t = clf_tensors(m, m->params);
    float k1 = 1.0f / sqrtf((float)x), k2 = 1.0f / sqrtf((float)h);
    for (size_t i = 0; i < (size_t)h * (size_t)x; i++)
        t.w1[i] = (2 * rng_uniform(&r) - 1) * k1;
    for (int i = 0; i < h; i++)
        t.b1[i] = (2 * rng_uniform(&r) - 1) * k1;
    for (size_t i = 0; i < (size_t)m->c * (size_t)h; i++)
        t.w2[i] = (2 * rng_uniform(&r) - 1) * k2;
    for (int i = 0; i < m->c; i++)
        t.b2[i] = (2 * rng_uniform(&r) - 1) * k2;
    return ERR_OK;
}

void clf_free(Clf *m)
{
    free(m->params);
    memset(m, 0, sizeof *m);
}

/* logits (B, C) -> softmax probabilities in place (max subtracted first, so
 * exp never overflows). */
static void softmax_rows(float *p, int b, int c)
{
    for (int i = 0; i < b; i++) {
        float *row = p + (size_t)i * (size_t)c;
        float mx = row[0];
        for (int j = 1; j < c; j++)
            mx = row[j] > mx ? row[j] : mx;
        double s = 0;
        for (int j = 0; j < c; j++) {
            row[j] = expf(row[j] - mx);
            s += row[j];
        }
        for (int j = 0; j < c; j++)
            row[j] = (float)(row[j] / s);
    }
}

/* hid = relu(x W1^T + b1); logits = hid W2^T + b2. */
static void forward(Clf *m, const float *x, int b)
{
    ClfTensors t = clf_tensors(m, m->params);
    linear_forward(m->hid, x, t.w1, t.b1, b, m->x, m->h, 1);
    linear_forward(m->logits, m->hid, t.w2, t.b2, b, m->h, m->c, 0);
}

void clf_predict(Clf *m, const float *x, size_t n, float *probs)
{
    for (size_t i = 0; i < n; i += (size_t)m->max_batch) {
        int b = (int)(n - i < (size_t)m->max_batch ? n - i : (size_t)m->max_batch);
        forward(m, x + i * (size_t)m->x, b);
        softmax_rows(m->logits, b, m->c);
        memcpy(probs + i * (size_t)m->c, m->logits, sizeof(float) * (size_t)b * (size_t)m->c);
    }
}

int clf_train_step(Clf *m, const float *x, const uint8_t *labels, int b, float lr, double *loss,
                   Err *e)
{
    if (b < 1 || b > m->max_batch)
        return err_set(e, ERR_ARG, "classifier: batch %d out of range 1..%d", b, m->max_batch);
    forward(m, x, b);
    /* Cross-entropy -log softmax(l)_y = logsumexp(l) - l_y; its gradient with
     * respect to the logits is softmax(l) - onehot(y), divided by B for the
     * batch mean. */
    double sum = 0;
    for (int i = 0; i < b; i++) {
        float *row = m->logits + (size_t)i * (size_t)m->c;
        float mx = row[0];
        for (int j = 1; j < m->c; j++)
            mx = row[j] > mx ? row[j] : mx;
        double s = 0;
        for (int j = 0; j < m->c; j++)
            s += exp((double)(row[j] - mx));
        sum += log(s) + (double)mx - (double)row[labels[i]];
    }
    if (!isfinite(sum))
        return err_set(e, ERR_NUMERIC, "classifier: loss is not finite");
    if (loss)
        *loss = sum / b;
    softmax_rows(m->logits, b, m->c);
    float inv_b = 1.0f / (float)b;
    for (int i = 0; i < b; i++) {
        float *row = m->logits + (size_t)i * (size_t)m->c;
        row[labels[i]] -= 1.0f;
        for (int j = 0; j < m->c; j++)
            row[j] *= inv_b;
    }
    ClfTensors p = clf_tensors(m, m->params), g = clf_tensors(m, m->grads);
    linear_backward_weight(g.w2, g.b2, m->logits, m->hid, b, m->h, m->c, 0, m->c, 0);
    linear_backward_input(m->dhid, m->logits, p.w2, b, m->h, m->c, 0);
    relu_backward_inplace(m->dhid, m->hid, (long)b * m->h);
    linear_backward_weight(g.w1, g.b1, m->dhid, x, b, m->x, m->h, 0, m->h, 0);

    AdamConfig ac = adam_default();
    ac.lr = lr;
    m->adam_t++;
    adam_step(m->params, m->grads, m->adam_m, m->adam_v, m->n_params, &ac, m->adam_t);
    return ERR_OK;
}

void clf_train_opts_default(ClfTrainOpts *o)
{
    memset(o, 0, sizeof *o);
    o->batch = 128;
    o->lr = 1e-3f;
}

int clf_train_epoch(Clf *m, const DataSplit *train, Rng *rng, const ClfTrainOpts *o,
                    double *loss, Err *e)
{
    if (train->x != m->x)
        return err_set(e, ERR_ARG, "classifier: data has %d pixels per image, model %d",
                       train->x, m->x);
    if (o->batch < 1 || o->batch > m->max_batch)
        return err_set(e, ERR_ARG, "classifier: batch %d out of range 1..%d", o->batch,
                       m->max_batch);
    if (train->n == 0 || train->n > UINT32_MAX)
        return err_set(e, ERR_ARG, "classifier: %zu training images", train->n);
    size_t n = train->n, bs = (size_t)o->batch;
    uint32_t *perm = malloc(n * sizeof *perm);
    float *xb = malloc(bs * (size_t)m->x * sizeof *xb);
    uint8_t *yb = malloc(bs);
    if (!perm || !xb || !yb) {
        free(perm);
        free(xb);
        free(yb);
        return err_set(e, ERR_NOMEM, "classifier: out of memory");
    }
    for (size_t i = 0; i < n; i++)
        perm[i] = (uint32_t)i;
    rng_shuffle_u32(rng, perm, n);
    size_t batches = (n + bs - 1) / bs;
    double total = 0;
    int rc = ERR_OK;
    for (size_t k = 0; k < batches; k++) {
        if (o->cancel && atomic_load_explicit(o->cancel, memory_order_acquire)) {
            rc = err_set(e, ERR_CANCELLED, "classifier: training cancelled");
            break;
        }
        size_t i0 = k * bs, b = n - i0 < bs ? n - i0 : bs;
        for (size_t i = 0; i < b; i++) {
            memcpy(xb + i * (size_t)m->x, train->images + (size_t)perm[i0 + i] * (size_t)m->x,
                   sizeof(float) * (size_t)m->x);
            yb[i] = train->labels[perm[i0 + i]];
        }
        double l;
        if ((rc = clf_train_step(m, xb, yb, (int)b, o->lr, &l, e)) != ERR_OK)
            break;
        total += l * (double)b;
        if (o->progress)
            o->progress(o->user, k + 1, batches, total / (double)(i0 + b));
    }
    if (rc == ERR_OK && loss)
        *loss = total / (double)n;
    free(perm);
    free(xb);
    free(yb);
    return rc;
}

typedef struct {
    const ClfTrainOpts *o;
    size_t done, total; /* batches before this epoch, in all epochs */
} TrainHook;

static void epoch_progress(void *user, size_t done, size_t total, double loss)
{
    (void)total;
    TrainHook *h = user;
    h->o->progress(h->o->user, h->done + done, h->total, loss);
}

int clf_train(Clf *m, const DataSplit *train, int epochs, uint64_t seed, const ClfTrainOpts *o,
              double *last_loss, Err *e)
{
    if (epochs < 1)
        return err_set(e, ERR_ARG, "classifier: epochs %d must be at least 1", epochs);
    if (o->batch < 1)
        return err_set(e, ERR_ARG, "classifier: batch %d must be at least 1", o->batch);
    Rng base, rng;
    rng_seed(&base, seed);
    rng = rng_split(&base);
    size_t per_epoch = (train->n + (size_t)o->batch - 1) / (size_t)o->batch;
    TrainHook hook = {o, 0, per_epoch * (size_t)epochs};
    ClfTrainOpts eo = *o;
    if (o->progress) {
        eo.progress = epoch_progress;
        eo.user = &hook;
    }
    for (int ep = 0; ep < epochs; ep++) {
        int rc = clf_train_epoch(m, train, &rng, &eo, last_loss, e);
        if (rc != ERR_OK)
            return rc;
        hook.done += per_epoch;
    }
    return ERR_OK;
}

int clf_argmax(const float *p, int c)
{
    int best = 0;
    for (int j = 1; j < c; j++)
        if (p[j] > p[best])
            best = j;
    return best;
}

double clf_accuracy_of(const float *probs, const uint8_t *labels, size_t n, int c,
                       size_t *per_class_correct, size_t *per_class_count)
{
    if (per_class_correct)
        memset(per_class_correct, 0, sizeof(size_t) * (size_t)c);
    if (per_class_count)
        memset(per_class_count, 0, sizeof(size_t) * (size_t)c);
    size_t ok = 0;
    for (size_t i = 0; i < n; i++) {
        int hit = clf_argmax(probs + i * (size_t)c, c) == labels[i];
        ok += (size_t)hit;
        if (labels[i] < c) {
            if (per_class_correct)
                per_class_correct[labels[i]] += (size_t)hit;
            if (per_class_count)
                per_class_count[labels[i]]++;
        }
    }
    return n ? (double)ok / (double)n : 0;
}
