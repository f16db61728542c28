// layer.vert: a quad covering the viewport, generated from gl_VertexID (no
// vertex buffer), for compositing a cached layer texture.
#version 330 core
out vec2 v_uv;

void main()
{
    vec2 c = vec2(float(gl_VertexID & 1), float(gl_VertexID >> 1));
    v_uv = c;
    gl_Position = vec4(c * 2.0 - 1.0, 0.0, 1.0);
}
