/* points: see points.h. A vertex is 12 bytes: two floats and a label byte
 * (padded), fed to the shader as an integer attribute. */
#include "points.h"

#include <epoxy/gl.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    float x, y;
    uint8_t label, pad[3];
} PointVert;

int gfx_points_init(GfxPoints *p, const char *shader_dir, Err *e)
{
    memset(p, 0, sizeof *p);
    if (gfx_program_load(&p->prog, shader_dir, "points.vert", "points.frag", NULL, e) != ERR_OK)
        return e ? e->code : ERR_FORMAT;
    glGenVertexArrays(1, &p->vao);
    glGenBuffers(1, &p->vbo);
    glBindVertexArray(p->vao);
    glBindBuffer(GL_ARRAY_BUFFER, p->vbo);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, sizeof(PointVert), (void *)0);
    glEnableVertexAttribArray(1);
    glVertexAttribIPointer(1, 1, GL_UNSIGNED_BYTE, sizeof(PointVert),
                           (void *)offsetof(PointVert, label));
    glBindVertexArray(0);
    return ERR_OK;
}

void gfx_points_free(GfxPoints *p)
{
    if (p->vbo)
        glDeleteBuffers(1, &p->vbo);
    if (p->vao)
        glDeleteVertexArrays(1, &p->vao);
    gfx_program_free(&p->prog);
    memset(p, 0, sizeof *p);
}

void gfx_points_set(GfxPoints *p, const float *xy, const uint8_t *labels, int n)
{
    PointVert *v = malloc((size_t)(n > 0 ? n : 1) * sizeof *v);
    if (!v)
        return;
    for (int i = 0; i < n; i++) {
        v[i].x = xy[2 * i];
        v[i].y = xy[2 * i + 1];
        v[i].label = labels[i];
        memset(v[i].pad, 0, sizeof v[i].pad);
    }
    glBindBuffer(GL_ARRAY_BUFFER, p->vbo);
    glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)((size_t)n * sizeof *v), v, GL_STATIC_DRAW);
    free(v);
    p->n = n;
}

void gfx_points_draw(const GfxPoints *p, const GfxPointsStyle *st, UiRect r, int fb_h)
{
    if (p->n == 0 || r.w <= 0 || r.h <= 0)
        return;
    int gy = fb_h - r.y - r.h;
    glViewport(r.x, gy, r.w, r.h);
    glEnable(GL_SCISSOR_TEST);
    glScissor(r.x, gy, r.w, r.h);
    glEnable(GL_PROGRAM_POINT_SIZE);
    glEnable(GL_BLEND);
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    glUseProgram(p->prog.id);
    glUniform2f(gfx_uniform(&p->prog, "u_center"), st->cx, st->cy);
    glUniform1f(gfx_uniform(&p->prog, "u_scale"), st->scale);
    glUniform2f(gfx_uniform(&p->prog, "u_viewport"), (float)r.w, (float)r.h);
    glUniform1f(gfx_uniform(&p->prog, "u_size"), st->size);
    glUniform1f(gfx_uniform(&p->prog, "u_alpha"), st->alpha);
    glUniform1i(gfx_uniform(&p->prog, "u_highlight"), st->highlight);
    glUniform3fv(gfx_uniform(&p->prog, "u_colors"), 10, &st->colors[0][0]);
    glBindVertexArray(p->vao);
    glDrawArrays(GL_POINTS, 0, p->n);
    glBindVertexArray(0);
}
