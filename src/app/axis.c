/* axis: see axis.h. */
#include "axis.h"

#include <math.h>

double axis_step_at_least(double raw)
{
    if (!(raw > 0) || !isfinite(raw))
        return 1.0;
    double p = pow(10.0, floor(log10(raw)));
    double f = raw / p;
    double s = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
    return isfinite(s) ? s : p; /* 10 x the largest decade overflows: that decade */
}

int axis_ticks(double lo, double hi, double step, double *out, int cap)
{
    if (!isfinite(lo) || !isfinite(hi) || !isfinite(step) || !(step > 0) || hi < lo)
        return 0;
    double k0 = ceil(lo / step);
    if (!isfinite(k0))
        return 0;
    int n = 0;
    for (int i = 0; i < cap; i++) {
        double v = (k0 + (double)i) * step;
        if (!(v <= hi) || (n > 0 && !(v > out[n - 1])))
            break;
        out[n++] = v;
    }
    return n;
}

int axis_log_ticks(double lo, double hi, int fit, double *out, int cap)
{
    if (!isfinite(lo) || !isfinite(hi) || !(lo > 0) || hi < lo)
        return 0;
    fit = fit < 1 ? 1 : fit;
    int d0 = (int)floor(log10(lo)), d1 = (int)ceil(log10(hi)); /* within +-324 */
    int decades = d1 - d0 + 1;
    int every = (decades + fit - 1) / fit;
    bool sub = (log10(hi) - log10(lo)) * 3 <= fit;
    static const double mult[3] = {1, 2, 5};
    int n = 0;
    for (int d = d0; d <= d1 && n < cap; d += every) {
        double p = pow(10.0, d);
        for (int m = 0; m < (sub ? 3 : 1) && n < cap; m++) {
            double v = p * mult[m];
            if (v >= lo && v <= hi)
                out[n++] = v;
        }
    }
    return n;
}

double axis_clamp(double v, double fallback)
{
    if (isnan(v))
        return fallback;
    return v < -AXIS_MAX_ABS ? -AXIS_MAX_ABS : v > AXIS_MAX_ABS ? AXIS_MAX_ABS : v;
}
