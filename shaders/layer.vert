// layer.vert: the quad of a cached layer texture (generated from gl_VertexID,
// no vertex buffer), placed in the viewport's NDC: centred at u_offset with
// half-extent u_half. A layer at its own view is larger than the viewport
// (it has margins) and is clipped; a moved view shifts and scales it (see
// src/gfx/points.c).
#version 330 core
uniform vec2 u_offset; // NDC of the layer's centre
uniform vec2 u_half;   // NDC half-size of the layer

out vec2 v_uv;

void main()
{
    vec2 c = vec2(float(gl_VertexID & 1), float(gl_VertexID >> 1));
    v_uv = c;
    gl_Position = vec4(u_offset + (c * 2.0 - 1.0) * u_half, 0.0, 1.0);
}
