/* vae_ref: see vae_ref.h. Straight loops, no BLAS, no shortcuts. */
#include "vae_ref.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void vae_ref_init(VaeRef *r, const Vae *v)
{
    memset(r, 0, sizeof *r);
    r->cfg = v->cfg;
    r->n_tensors = vae_tensor_count(v);
    for (int i = 0; i < r->n_tensors; i++) {
        VaeTensorInfo ti;
        vae_tensor_info(v, i, &ti);
        r->off[i] = r->total;
        r->count[i] = ti.count;
        r->total += ti.count;
    }
}

void vae_ref_get(const VaeRef *r, const Vae *v, VaeSlot slot, double *theta)
{
    for (int i = 0; i < r->n_tensors; i++) {
        float *tmp = malloc(r->count[i] * sizeof *tmp);
        vae_tensor_get(v, slot, i, tmp);
        for (size_t j = 0; j < r->count[i]; j++)
            theta[r->off[i] + j] = tmp[j];
        free(tmp);
    }
}

/* y (out) = W (out, in) x + b, optionally ReLU; tracks the smallest |pre|. */
static void lin(double *y, const double *x, const double *w, const double *b, int in, int out,
                int relu, double *min_pre)
{
    for (int j = 0; j < out; j++) {
        double s = b[j];
        for (int k = 0; k < in; k++)
            s += w[(size_t)j * in + k] * x[k];
        if (relu && min_pre && fabs(s) < *min_pre)
            *min_pre = fabs(s);
        y[j] = relu && s < 0 ? 0 : s;
    }
}

double vae_ref_loss(const VaeRef *r, const double *theta, const float *x, const float *eps, int B,
                    double *recon_sum, double *kl_sum, double *min_pre, double *logits)
{
    const VaeConfig *c = &r->cfg;
    int k = c->n_hidden, Z = c->z, X = c->x;
    double a[VAE_MAX_HIDDEN + VAE_X], b2[VAE_MAX_HIDDEN + VAE_X], mu[VAE_MAX_Z], lv[VAE_MAX_Z];
    double total = 0, rs = 0, ks = 0;
    if (min_pre)
        *min_pre = INFINITY;
    for (int s = 0; s < B; s++) {
        int t = 0, width = X;
        for (int j = 0; j < X; j++)
            a[j] = x[(size_t)s * X + j];
        for (int l = 0; l < k; l++, t += 2) {
            lin(b2, a, theta + r->off[t], theta + r->off[t + 1], width, c->hidden[l], 1, min_pre);
            width = c->hidden[l];
            memcpy(a, b2, (size_t)width * sizeof *a);
        }
        lin(mu, a, theta + r->off[t], theta + r->off[t + 1], width, Z, 0, NULL);
        lin(lv, a, theta + r->off[t + 2], theta + r->off[t + 3], width, Z, 0, NULL);
        t += 4;
        double kl = 0;
        for (int j = 0; j < Z; j++) {
            kl += 0.5 * (mu[j] * mu[j] + exp(lv[j]) - 1 - lv[j]);
            a[j] = mu[j] + exp(0.5 * lv[j]) * eps[(size_t)s * Z + j];
        }
        width = Z;
        for (int l = 0; l <= k; l++, t += 2) {
            int out = l == k ? X : c->hidden[k - 1 - l];
            lin(b2, a, theta + r->off[t], theta + r->off[t + 1], width, out, l < k, min_pre);
            width = out;
            memcpy(a, b2, (size_t)width * sizeof *a);
        }
        double rec = 0;
        for (int j = 0; j < X; j++) {
            double lg = a[j], xv = x[(size_t)s * X + j];
            rec += fmax(lg, 0) - lg * xv + log1p(exp(-fabs(lg)));
            if (logits)
                logits[(size_t)s * X + j] = lg;
        }
        rs += rec;
        ks += kl;
        total += rec + c->beta * kl;
    }
    if (recon_sum)
        *recon_sum = rs;
    if (kl_sum)
        *kl_sum = ks;
    return total;
}
