// layer.frag: composite a premultiplied-alpha layer (the cached point cloud)
// (texel for pixel at its own view, resampled while the view moves);
// blending is (ONE, ONE_MINUS_SRC_ALPHA).
#version 330 core
in vec2 v_uv;

uniform sampler2D u_tex;

out vec4 o_color;

void main()
{
    o_color = texture(u_tex, v_uv);
}
