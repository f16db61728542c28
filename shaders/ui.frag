// ui.frag: one shader for every UI primitive (modes match src/gfx/render.c):
//   0 glyph   coverage from the font atlas (red channel)
//   1 solid   flat colour
//   2 rrect   rounded rect / outline / capsule line as a signed distance field
//   3 circle  disc or ring, signed distance field
//   4 image   grayscale texture, "sharp bilinear" upscaling
// For 2 and 3, v_uv is the pixel's offset from the shape's centre in pixels
// and v_shape = (half_w, half_h, radius, ring_width); ring_width 0 = filled.
#version 330 core
in vec2 v_uv;
in vec4 v_color;
flat in int v_mode;
flat in vec4 v_shape;

uniform sampler2D u_tex;
uniform vec2 u_tex_size;

out vec4 o_color;

// Distance to a rounded box of half-size b and corner radius r (Quilez).
float sd_rrect(vec2 p, vec2 b, float r)
{
    vec2 q = abs(p) - b + vec2(r);
    return length(max(q, 0.0)) + min(max(q.x, q.y), 0.0) - r;
}

// Coverage of a one-pixel-wide antialiased edge at signed distance d.
float cover(float d)
{
    return clamp(0.5 - d, 0.0, 1.0);
}

void main()
{
    float a = 1.0;
    vec3 rgb = v_color.rgb;
    if (v_mode == 0) {
        a = texture(u_tex, v_uv).r;
    } else if (v_mode == 2) {
        float d = sd_rrect(v_uv, v_shape.xy, v_shape.z);
        float w = v_shape.w;
        a = w > 0.0 ? cover(abs(d + w * 0.5) - w * 0.5) : cover(d);
    } else if (v_mode == 3) {
        float d = length(v_uv) - v_shape.z;
        float w = v_shape.w;
        a = w > 0.0 ? cover(abs(d) - w * 0.5) : cover(d);
    } else if (v_mode == 4) {
        // Sharp bilinear: snap to texel centres except within about one
        // screen pixel of a texel edge, where bilinear filtering blends.
        vec2 px = v_uv * u_tex_size;
        vec2 texel = floor(px - 0.5) + 0.5;
        vec2 f = px - texel;
        vec2 per_pixel = max(fwidth(px), vec2(1e-4));
        vec2 s = clamp((f - 0.5) / per_pixel + 0.5, 0.0, 1.0);
        float g = texture(u_tex, (texel + s) / u_tex_size).r;
        rgb = v_color.rgb * g;
    }
    o_color = vec4(rgb, v_color.a * a);
}
