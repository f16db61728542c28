/* view_map: A's map, drawn by the map pane (mappane.h) with A's overlays:
 * the walk's path, the z marker, q(z|x), the drawn digit, the legend and
 * (Z > 2) the projection card. Left click/drag sets z, Home refits. */
#include "app_impl.h"
#include "mappane.h"

void map_to_screen(const App *a, float x, float y, float *sx, float *sy)
{
    map_to_screen_in(&a->map.view, a->map.rect, x, y, sx, sy);
}

void map_reset_view(App *a)
{
    float lo[2], hi[2];
    map_model_fit(&a->map, lo, hi);
    if (map_model_xy(&a->map) && a->cur.dim > 2) /* Z > 2: the projection's layout */
        app_proj_fit_beside_card(a, lo, hi);
}

static void draw_legend(App *a)
{
    Ui *ui = &a->ui;
    const UiTheme *t = &ui->theme;
    int pad = ui_pad(ui), lh = ui_text_height(ui, UI_FONT_BODY) + pad / 2;
    int namew = 0;
    for (int k = 0; k < 10; k++) {
        int w = ui_text_width(ui, UI_FONT_BODY, app_class_name(a, k));
        namew = w > namew ? w : namew;
    }
    int dot = lh / 2;
    int w = pad * 3 + dot + namew, h = 10 * lh + pad * 2;
    UiRect box = ui_rect(a->map.rect.x + a->map.rect.w - w - pad, a->map.rect.y + pad, w, h);
    UiColor bg = t->card;
    bg.a = 215;
    ui_draw_rect(ui, box, bg, (float)pad / 2);
    ui_draw_frame(ui, box, t->border, 1, (float)pad / 2);
    a->highlight = -1;
    for (int k = 0; k < 10; k++) {
        UiRect row = ui_rect(box.x, box.y + pad + k * lh, box.w, lh);
        if (ui_rect_contains(row, ui_mouse(ui)->mouse_x, ui_mouse(ui)->mouse_y) && !ui->active) {
            a->highlight = k;
            UiColor hl = t->button_hot;
            ui_draw_rect(ui, row, hl, 0);
        }
        ui_draw_circle(ui, (float)(row.x + pad + dot / 2), (float)row.y + (float)lh / 2,
                       (float)dot / 2, 0, app_label_ui_color(a, k));
        ui_draw_text(ui, UI_FONT_BODY, row.x + 2 * pad + dot, row.y + pad / 4, t->text,
                     app_class_name(a, k));
    }
}

void view_map(App *a)
{
    MapPaneIn in = {.id = "map", .points_id = APP_CUSTOM_POINTS};
    if (a->cur.dim > 2 && map_model_xy(&a->map))
        in.dead = app_proj_card(a);                /* the card's widgets get the clicks over it */
    if (map_view_stale(&a->map.view, a->map.rect)) /* after the card: Z > 2 fits beside it */
        map_reset_view(a);
    float click[2];
    bool clicked;
    if (!map_pane_begin(a, &a->map, &in, click, &clicked))
        return;
    if (clicked)
        app_z_from_map(a, click[0], click[1]);
    view_walk_map(a);
    if (a->map.loaded)
        map_pane_marker(a, &a->map, a->cur.z);
    view_uncert_map(a); /* on top of the z marker: q(z|x) of the nearest image */
    view_draw_map(a);
    map_pane_end(a, &a->map);  /* the clip ends: what follows is over the map's edge */
    if (app_legend_visible(a)) /* L hides it (presenter mode) */
        draw_legend(a);
    else
        a->highlight = -1;
    if (a->cur.dim > 2)
        view_proj_controls(a);
}

float map_point_alpha(const App *a)
{
    return a->map.model.job.n > 20000 ? 0.6f : 0.85f; /* dense clouds need more see-through */
}
