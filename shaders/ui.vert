// ui.vert: widgets, text and images. Positions arrive in drawable pixels
// (origin top-left) and leave in clip space; everything else passes through.
#version 330 core
layout(location = 0) in vec2 a_pos;
layout(location = 1) in vec2 a_uv;
layout(location = 2) in vec4 a_color;
layout(location = 3) in float a_mode;
layout(location = 4) in vec4 a_shape;

uniform vec2 u_screen;

out vec2 v_uv;
out vec4 v_color;
flat out int v_mode;
flat out vec4 v_shape;

void main()
{
    v_uv = a_uv;
    v_color = a_color;
    v_mode = int(a_mode + 0.5);
    v_shape = a_shape;
    gl_Position = vec4(a_pos.x / u_screen.x * 2.0 - 1.0, 1.0 - a_pos.y / u_screen.y * 2.0, 0.0, 1.0);
}
