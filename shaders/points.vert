// points.vert: the latent map. Each point is a latent position and a label;
// the view maps latent units to pixels around u_center, and the viewport is
// the map's rectangle, so clip space is relative to its centre.
#version 330 core
layout(location = 0) in vec2 a_pos;
layout(location = 1) in uint a_label;

uniform vec2 u_center;     // latent coordinates at the viewport centre
uniform float u_scale;     // pixels per latent unit
uniform vec2 u_viewport;   // viewport size in pixels
uniform float u_size;      // sprite diameter in pixels
uniform vec3 u_colors[10]; // one colour per label
uniform float u_alpha;
uniform int u_highlight;   // label drawn at full strength; -1: all

out vec4 v_color;

void main()
{
    vec2 p = (a_pos - u_center) * u_scale;
    gl_Position = vec4(p / (0.5 * u_viewport), 0.0, 1.0);
    gl_PointSize = u_size;
    uint k = min(a_label, 9u);
    float alpha = u_alpha;
    if (u_highlight >= 0 && int(k) != u_highlight)
        alpha *= 0.12;
    v_color = vec4(u_colors[k], alpha);
}
