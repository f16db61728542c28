/* shader: see shader.h. */
#include "shader.h"

#include <epoxy/gl.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A directory counts as a shader directory when it holds ui.vert, the one
 * shader every window needs. */
static int has_shaders(const char *dir)
{
    char p[4096];
    struct stat st;
    snprintf(p, sizeof p, "%s/ui.vert", dir);
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

int gfx_shader_dir(char *buf, size_t size, Err *e)
{
    const char *env = getenv("ZSPACE_SHADERS");
    if (env && *env) {
        /* An explicit override is obeyed even when it is wrong, so the
         * error names the file the user pointed at. */
        snprintf(buf, size, "%s", env);
        return ERR_OK;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(buf, size, "%s/../share/zspace/shaders", exe);
            if (has_shaders(buf))
                return ERR_OK;
        }
    }
    snprintf(buf, size, "%s/shaders", ZSPACE_SOURCE_DIR);
    if (has_shaders(buf))
        return ERR_OK;
#ifdef ZSPACE_PREFIX_SHADERS
    /* The install prefix's, for a binary installed outside <prefix>/bin. */
    snprintf(buf, size, "%s", ZSPACE_PREFIX_SHADERS);
    if (has_shaders(buf))
        return ERR_OK;
#endif
    return err_set(e, ERR_IO,
                   "no shader directory: set ZSPACE_SHADERS, or install zspace, or keep the "
                   "source tree at %s",
                   ZSPACE_SOURCE_DIR);
}

static char *read_text(const char *path, Err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        err_set(e, ERR_IO, "shader %s: %s", path, strerror(errno));
        return NULL;
    }
    char *s = NULL;
    long len = -1;
    if (fseek(f, 0, SEEK_END) == 0)
        len = ftell(f);
    if (len >= 0 && len < (1 << 20) && fseek(f, 0, SEEK_SET) == 0 &&
        (s = malloc((size_t)len + 1)) && fread(s, 1, (size_t)len, f) == (size_t)len) {
        s[len] = '\0';
    } else {
        free(s);
        s = NULL;
        err_set(e, ERR_IO, "shader %s: cannot read", path);
    }
    fclose(f);
    return s;
}

/* Squash the info log onto one line (Err messages are one line). */
static void one_line(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
        s[--n] = '\0';
    for (char *p = s; *p; p++)
        if (*p == '\n')
            *p = ' ';
}

/* The info log of a shader or program, squashed onto one line. */
/* Whether a shader's compile (or a program's link) failed; if so, its info
 * log on one line into log. */
static bool build_failed(GLuint obj, bool program, char *log, int size)
{
    GLint ok = 0;
    if (program)
        glGetProgramiv(obj, GL_LINK_STATUS, &ok);
    else
        glGetShaderiv(obj, GL_COMPILE_STATUS, &ok);
    if (ok)
        return false;
    log[0] = '\0';
    if (program)
        glGetProgramInfoLog(obj, size, NULL, log);
    else
        glGetShaderInfoLog(obj, size, NULL, log);
    one_line(log);
    return true;
}

static GLuint compile(const char *dir, const char *name, GLenum type, const char *defines,
                      Err *e)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *src = read_text(path, e);
    if (!src)
        return 0;
    GLuint sh = glCreateShader(type);
    /* #version must come before anything but comments: insert the defines
     * after its line, then #line so the info log counts lines of the file. */
    const char *body = src;
    const char *ver = strstr(src, "#version");
    if (ver) {
        const char *nl = strchr(ver, '\n');
        body = nl ? nl + 1 : ver + strlen(ver);
    }
    int line = 1;
    for (const char *q = src; q < body; q++)
        line += *q == '\n';
    char line_dir[32] = "";
    if (body != src)
        snprintf(line_dir, sizeof line_dir, "#line %d\n", line);
    const char *srcs[4] = {src, defines ? defines : "", line_dir, body};
    const GLint lens[4] = {(GLint)(body - src), -1, -1, -1};
    glShaderSource(sh, 4, srcs, lens);
    glCompileShader(sh);
    free(src);
    char log[1024];
    if (build_failed(sh, false, log, sizeof log)) {
        err_set(e, ERR_FORMAT, "shader %s: compile failed: %s", path, log);
        glDeleteShader(sh);
        return 0;
    }
    return sh;
}

int gfx_program_load(GfxProgram *p, const char *dir, const char *vert, const char *frag,
                     const char *defines, Err *e)
{
    GLuint vs = compile(dir, vert, GL_VERTEX_SHADER, defines, e);
    if (!vs)
        return e ? e->code : ERR_FORMAT;
    GLuint fs = compile(dir, frag, GL_FRAGMENT_SHADER, defines, e);
    if (!fs) {
        glDeleteShader(vs);
        return e ? e->code : ERR_FORMAT;
    }
    GLuint prog = glCreateProgram();
    glAttachShader(prog, vs);
    glAttachShader(prog, fs);
    glLinkProgram(prog);
    glDeleteShader(vs);
    glDeleteShader(fs);
    char log[1024];
    if (build_failed(prog, true, log, sizeof log)) {
        glDeleteProgram(prog);
        return err_set(e, ERR_FORMAT, "shader %s/%s + %s: link failed: %s", dir, vert, frag, log);
    }
    if (p->id)
        glDeleteProgram(p->id);
    p->id = prog;
    if (p->vert != vert)
        snprintf(p->vert, sizeof p->vert, "%s", vert);
    if (p->frag != frag)
        snprintf(p->frag, sizeof p->frag, "%s", frag);
    if (p->defines != defines)
        snprintf(p->defines, sizeof p->defines, "%s", defines ? defines : "");
    return ERR_OK;
}

int gfx_program_reload(GfxProgram *p, const char *dir, Err *e)
{
    return gfx_program_load(p, dir, p->vert, p->frag, p->defines, e);
}

void gfx_program_free(GfxProgram *p)
{
    if (p->id)
        glDeleteProgram(p->id);
    p->id = 0;
}

int gfx_uniform(const GfxProgram *p, const char *name)
{
    return glGetUniformLocation(p->id, name);
}
