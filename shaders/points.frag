// points.frag: round sprites with a one-pixel antialiased rim.
#version 330 core
in vec4 v_color;

uniform float u_size;

out vec4 o_color;

void main()
{
    float r = length(gl_PointCoord - vec2(0.5)) * u_size; // pixels from the centre
    float a = clamp(0.5 * u_size - r + 0.5, 0.0, 1.0);
    if (a <= 0.0)
        discard;
    o_color = vec4(v_color.rgb, v_color.a * a);
}
