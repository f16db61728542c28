/* palette: ten label colours, distinguishable from each other, on the dark
 * background and by most colour-blind viewers (Tableau 10, lightened a
 * little for a dark canvas; the high-contrast theme uses fully saturated
 * versions). Class names come from the dataset. */
#include "app_impl.h"

static const uint8_t dark[10][3] = {
    {0x5d, 0x9c, 0xec}, /* blue */
    {0xff, 0x9d, 0x3c}, /* orange */
    {0xf0, 0x5d, 0x5e}, /* red */
    {0x7c, 0xd6, 0xcf}, /* teal */
    {0x6c, 0xc6, 0x5a}, /* green */
    {0xf6, 0xd8, 0x4a}, /* yellow */
    {0xc3, 0x8e, 0xd6}, /* purple */
    {0xff, 0xa9, 0xc0}, /* pink */
    {0xb8, 0x8e, 0x70}, /* brown */
    {0xd0, 0xd0, 0xd0}, /* grey */
};

static const uint8_t vivid[10][3] = {
    {0x30, 0x8a, 0xff}, {0xff, 0x8c, 0x00}, {0xff, 0x2d, 0x2d}, {0x00, 0xe5, 0xd4},
    {0x2e, 0xe6, 0x2e}, {0xff, 0xf0, 0x00}, {0xc8, 0x6b, 0xff}, {0xff, 0x7d, 0xc8},
    {0xc0, 0x7a, 0x3a}, {0xff, 0xff, 0xff},
};

void app_label_color(const App *a, int label, float rgb[3])
{
    const uint8_t *c = (a->high_contrast ? vivid : dark)[label < 0 || label > 9 ? 9 : label];
    for (int i = 0; i < 3; i++)
        rgb[i] = (float)c[i] / 255.0f;
}

UiColor app_label_ui_color(const App *a, int label)
{
    const uint8_t *c = (a->high_contrast ? vivid : dark)[label < 0 || label > 9 ? 9 : label];
    return ui_rgba(c[0], c[1], c[2], 255);
}

const char *app_class_name(const App *a, int label)
{
    static const char *digits[10] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
    if (label < 0 || label > 9)
        return "?";
    const DatasetInfo *d = dataset_find(a->model.dataset[0] ? a->model.dataset : "mnist");
    return d ? d->class_names[label] : digits[label];
}
