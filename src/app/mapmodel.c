/* mapmodel: see mapmodel.h. */
#include <string.h>

#include "embed/place.h"
#include "mapmodel.h"
#include "wake.h"

void map_model_init(MapModel *m)
{
    memset(m, 0, sizeof *m);
    m->hover = m->hover_shown = -1;
    m->img_hover = -1;
}

int map_model_load(MapModel *m, const char *path, const char *dataset, Err *e)
{
    m->opened = true; /* model_free is safe after a failed load */
    if (model_load(&m->model, path, dataset, e) != ERR_OK)
        return e->code;
    m->loaded = true;
    return ERR_OK;
}

int map_model_encode(MapModel *m, bool all_points, uint32_t wake_event, Err *e)
{
    return model_start_encode(&m->model, all_points, app_wake_cb, app_wake_arg(wake_event), e);
}

int map_model_poll(MapModel *m)
{
    if (!m->loaded || m->ready || !m->model.job.started)
        return MODEL_WORKING;
    uint64_t seq;
    int st = model_job_state(&m->model.job, &seq);
    if (seq == m->job_seq)
        return MODEL_WORKING;
    m->job_seq = seq;
    if (st != MODEL_READY)
        return st == MODEL_FAILED ? MODEL_FAILED : MODEL_WORKING;
    m->ready = true;
    const ModelJob *j = &m->model.job;
    if (j->z == 2 && m->pts_ok)
        gfx_points_set(&m->pts, j->mu, j->labels, (int)j->n);
    return MODEL_READY;
}

bool map_model_projected(const MapModel *m)
{
    return m->ready && m->model.job.z > 2 && m->lay.y && m->lay.n == m->model.job.n;
}

const float *map_model_xy(const MapModel *m)
{
    if (!m->ready)
        return NULL;
    if (m->model.job.z == 2)
        return m->model.job.mu;
    return map_model_projected(m) ? m->lay.y : NULL;
}

bool map_model_place(const MapModel *m, const float *z, float xy[2])
{
    const float *pos = map_model_xy(m);
    if (!pos)
        return false;
    const ModelJob *j = &m->model.job;
    if (j->z == 2) {
        xy[0] = z[0];
        xy[1] = z[1];
        return true;
    }
    if (m->click_valid && m->click_seq == m->lay.seq &&
        memcmp(m->click_z, z, (size_t)j->z * sizeof *z) == 0) {
        xy[0] = m->click_xy[0];
        xy[1] = m->click_xy[1];
        return true;
    }
    Err e = {0};
    return place_points(j->mu, pos, j->n, j->z, z, 1, PROJ_K, xy, 1, &e) == ERR_OK;
}

bool map_model_invert(MapModel *m, const float xy[2], float *z)
{
    const float *pos = map_model_xy(m);
    if (!pos)
        return false;
    const ModelJob *j = &m->model.job;
    if (j->z == 2) {
        z[0] = xy[0];
        z[1] = xy[1];
        return true;
    }
    Err e = {0};
    if (place_inverse(j->mu, pos, j->n, j->z, xy, 1, PROJ_K, z, 1, &e) != ERR_OK)
        return false;
    memcpy(m->click_xy, xy, sizeof m->click_xy);
    memcpy(m->click_z, z, (size_t)j->z * sizeof *z);
    m->click_seq = m->lay.seq;
    m->click_valid = true;
    return true;
}

int map_model_project_start(MapModel *m, int threads, uint32_t wake_event, Err *e)
{
    if (proj_start(&m->pj, threads, app_wake_cb, app_wake_arg(wake_event), e) != ERR_OK)
        return e->code;
    m->pj_started = true;
    return ERR_OK;
}

uint64_t map_model_project(MapModel *m, int method, double perplexity, bool warm)
{
    const ModelJob *j = &m->model.job;
    double hi = ((double)j->n - 1) / 3.0 - 0.01; /* t-SNE needs N >= 3 perplexity + 1 */
    double p = perplexity < hi ? perplexity : hi > 1 ? hi : 1;
    return proj_submit(&m->pj, j->mu, j->n, j->z, method, p, warm);
}

bool map_model_take_layout(MapModel *m)
{
    if (!m->pj_started || !proj_poll(&m->pj, &m->lay))
        return false;
    if (map_model_projected(m) && m->pts_ok)
        gfx_points_set(&m->pts, m->lay.y, m->model.job.labels, (int)m->lay.n);
    return true;
}

void map_model_fit(MapModel *m, float lo[2], float hi[2])
{
    const float *xy = map_model_xy(m);
    map_fit_view(&m->view, m->rect, xy, xy ? m->model.job.n : 0, lo, hi);
}

void map_model_forget(MapModel *m)
{
    proj_free(&m->pj); /* joins its worker before the points it read go */
    proj_out_free(&m->lay);
    memset(&m->pj, 0, sizeof m->pj);
    memset(&m->lay, 0, sizeof m->lay);
    m->pj_started = m->click_valid = false;
    if (m->opened)
        model_free(&m->model); /* joins the encoder */
    m->opened = m->loaded = m->ready = false;
    m->job_seq = 0;
    m->generation++;
    m->hover = m->hover_shown = -1;
    m->view.user_moved = false; /* the next map is fitted when it comes in */
}

void map_model_free(MapModel *m)
{
    map_model_forget(m);
    if (m->pts_ok)
        gfx_points_free(&m->pts);
    m->pts_ok = false;
}
