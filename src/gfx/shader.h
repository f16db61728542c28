/* shader: GLSL programs loaded at run time from files in shaders/.
 *
 * The directory is, in order: $ZSPACE_SHADERS; <binary dir>/../share/zspace/
 * shaders (an installed zspace); ZSPACE_SOURCE_DIR/shaders (the checkout);
 * <prefix>/share/zspace/shaders (installed with another bindir).
 * A missing file or a compile/link failure is an Err naming the file and
 * carrying the GL info log; a failed (re)load leaves the program as it was,
 * so a shader being edited live never leaves the window without one (the
 * habit of raylib's rlLoadShader). Thread rule: GL thread only. */
#ifndef ZSPACE_GFX_SHADER_H
#define ZSPACE_GFX_SHADER_H

#include <stddef.h>

#include "core/err.h"

typedef struct {
    unsigned id;      /* GL program object; 0 until the first successful load */
    char vert[64];    /* file names inside the shader directory */
    char frag[64];
    char defines[128]; /* lines inserted after #version (variants of one file) */
} GfxProgram;

/* Resolve the shader directory (see above) into buf; returns ERR_IO naming
 * every place tried when none holds shaders. */
int gfx_shader_dir(char *buf, size_t size, Err *e);

/* Compile dir/vert + dir/frag and link them. On success the old program (if
 * any) is deleted and replaced; on failure *p is untouched. defines (may be
 * NULL) is inserted after each file's #version line, e.g. "#define MODE 2\n",
 * so one file can yield several specialised programs. */
int gfx_program_load(GfxProgram *p, const char *dir, const char *vert, const char *frag,
                     const char *defines, Err *e);

/* Reload p's own files and defines from dir (same contract as gfx_program_load). */
int gfx_program_reload(GfxProgram *p, const char *dir, Err *e);

void gfx_program_free(GfxProgram *p);

/* Uniform location by name (-1 if the program has none by that name). */
int gfx_uniform(const GfxProgram *p, const char *name);

#endif
