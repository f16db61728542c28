/* view_decoder: the Decoder panel: the decoded digit at the current z,
 * large and crisp, and beside it the nearest real test image (nearest in
 * latent space) with its class, and z itself when Z = 2.
 *
 * It has no state and no actions: decoder_panel draws what DecoderPanelIn
 * says (never the App), so it is tested headless (tests/test_latent_panels.c).
 * The App side is view_decoder (latent.c), which gives the slot to
 * --compare's two decodes instead when comparing.
 *
 * Thread rule: main thread (a Ui belongs to it). */
#ifndef ZSPACE_APP_VIEW_DECODER_H
#define ZSPACE_APP_VIEW_DECODER_H

#include <stdbool.h>

#include "ui/ui.h"

typedef struct {
    UiRect r;        /* the panel */
    int img, thumb;  /* the digit's and the thumbnail's side, pixels */
    bool loaded;     /* a model is shown */
    bool decoded;    /* img_decoded holds the decode of z */
    int img_decoded; /* gfx images: the decode, the nearest image */
    int nearest;     /* the nearest map point, -1 none */
    int img_nearest;
    const char *nearest_name; /* its class's name and colour */
    UiColor nearest_color;
    int dim;        /* Z */
    const float *z; /* the current z (dim floats) */
} DecoderPanelIn;

void decoder_panel(Ui *ui, const DecoderPanelIn *in);

#endif
