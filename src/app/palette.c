/* palette: label colours for the current theme (the ten colours live in
 * viz/palette.c, shared with the exported figures: dark theme -> the dark
 * set, high contrast -> the vivid set). Class names come from the dataset. */
#include "app_impl.h"
#include "viz/palette.h"

static VizPalette palette_set(const App *a)
{
    return a->high_contrast ? VIZ_PALETTE_VIVID : VIZ_PALETTE_DARK;
}

void app_label_color(const App *a, int label, float rgb[3])
{
    const uint8_t *c = viz_label_rgb(label, palette_set(a));
    for (int i = 0; i < 3; i++)
        rgb[i] = (float)c[i] / 255.0f;
}

UiColor app_label_ui_color(const App *a, int label)
{
    const uint8_t *c = viz_label_rgb(label, palette_set(a));
    return ui_rgba(c[0], c[1], c[2], 255);
}

const char *app_class_name(const App *a, int label)
{
    static const char *digits[10] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
    if (label < 0 || label > 9)
        return "?";
    const DatasetInfo *d = dataset_find(a->map.model.dataset[0] ? a->map.model.dataset : "mnist");
    return d ? d->class_names[label] : digits[label];
}
