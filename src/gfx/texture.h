/* texture: single-channel (GL_R8) textures for glyph atlases and grayscale
 * images, bilinear filtered and edge-clamped. Thread rule: GL thread only. */
#ifndef ZSPACE_GFX_TEXTURE_H
#define ZSPACE_GFX_TEXTURE_H

/* A new w x h R8 texture holding pixels (w*h bytes, tightly packed; NULL
 * leaves it undefined). Returns the GL name, bound to GL_TEXTURE_2D. */
unsigned gfx_texture_r8(int w, int h, const void *pixels);

#endif
