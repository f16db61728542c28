/* fuzz_session: the explorer's session parser (session_parse: the file
 * restored at start-up, given with --session or saved by the explorer) on
 * arbitrary bytes. A parse either succeeds with every restored value in the
 * range the explorer accepts, and the session saved and parsed again comes
 * back the same, or fails with a message and the defaults untouched. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "explore/session.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_ranges(const Session *s)
{
    if (s->z_dim < 0 || s->z_dim > VAE_MAX_Z || memchr(s->model, '\0', sizeof s->model) == NULL ||
        memchr(s->dataset, '\0', sizeof s->dataset) == NULL)
        abort();
    for (int i = 0; i < s->z_dim; i++)
        if (!(fabsf(s->z[i]) <= SESSION_COORD_MAX))
            abort();
    if (s->has_view && (!(fabsf(s->center[0]) <= SESSION_COORD_MAX) ||
                        !(fabsf(s->center[1]) <= SESSION_COORD_MAX) ||
                        !(s->scale >= SESSION_SCALE_MIN && s->scale <= SESSION_SCALE_MAX)))
        abort();
    if (s->text_scale != 0 &&
        !(s->text_scale >= SESSION_TEXT_SCALE_MIN && s->text_scale <= SESSION_TEXT_SCALE_MAX))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Session s;
    Err e = {0};
    if (session_parse(&s, "fuzz.json", (const char *)data, size, &e) != ERR_OK) {
        if (e.msg[0] == '\0')
            abort();
        if (s.model[0] || s.dataset[0] || s.z_dim || s.has_view || s.points || s.slot != -1 ||
            s.has_panels || s.text_scale != 0) /* a failed parse restores nothing */
            abort();
        return 0;
    }
    check_ranges(&s);
    char *text = session_to_json(&s);
    if (!text)
        return 0; /* out of memory: nothing to compare */
    Session t;
    if (session_parse(&t, "again.json", text, strlen(text), &e) != ERR_OK)
        abort(); /* what the explorer saves, it must read back */
    free(text);
    check_ranges(&t);
    if (t.z_dim != s.z_dim || strcmp(t.model, s.model) || strcmp(t.dataset, s.dataset) ||
        t.has_view != s.has_view)
        abort();
    return 0;
}
