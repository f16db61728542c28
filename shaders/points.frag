// points.frag: round sprites with a one-pixel antialiased rim, written with
// premultiplied alpha (the cloud is drawn into a cached layer, see points.c).
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
    float alpha = v_color.a * a;
    o_color = vec4(v_color.rgb * alpha, alpha);
}
