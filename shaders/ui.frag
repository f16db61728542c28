// ui.frag: the UI primitives. The renderer builds one program per MODE
// (a #define it inserts), so large flat areas run the cheapest shader:
//   MODE 0 glyph  coverage from the font atlas (red channel)
//   MODE 1 solid  flat colour
//   MODE 2 shape  rounded rect / outline / capsule line (v_mode 2) or
//                 disc / ring (v_mode 3) as signed distance fields
//   MODE 3 image  grayscale texture, "sharp bilinear" upscaling
// Shape: v_uv is the pixel's offset from the shape's centre in pixels and
// v_shape = (half_w, half_h, radius, ring_width); ring_width 0 = filled.
// Image: v_shape.xy = texels per screen pixel along x and y.
#version 330 core
#ifndef MODE
#define MODE 1
#endif
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
#if MODE == 0
    o_color = vec4(v_color.rgb, v_color.a * texture(u_tex, v_uv).r);
#elif MODE == 2
    float d, w = v_shape.w;
    if (v_mode == 3) {
        d = length(v_uv) - v_shape.z;
        d = w > 0.0 ? abs(d) - w * 0.5 : d; // ring centred on the radius
    } else {
        d = sd_rrect(v_uv, v_shape.xy, v_shape.z);
        d = w > 0.0 ? abs(d + w * 0.5) - w * 0.5 : d; // outline inside the edge
    }
    o_color = vec4(v_color.rgb, v_color.a * cover(d));
#elif MODE == 3
    // Sharp bilinear: sample at texel centres except within about one screen
    // pixel of a texel edge, where bilinear filtering blends neighbours.
    vec2 px = v_uv * u_tex_size;
    vec2 texel = floor(px - 0.5) + 0.5;
    vec2 s = clamp((px - texel - 0.5) / max(v_shape.xy, vec2(1e-4)) + 0.5, 0.0, 1.0);
    float g = texture(u_tex, (texel + s) / u_tex_size).r;
    o_color = vec4(v_color.rgb * g, v_color.a);
#else
    o_color = v_color;
#endif
}
