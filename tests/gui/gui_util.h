/* gui_util: what every explorer GUI test needs. Running `zspace explore`
 * on a script in a private Xvfb, reading the dump-state JSON it writes,
 * and training a tiny model to open. Built on test_util (tmpdir, Xvfb) and
 * the explorer driver that `zspace bench explore` uses too (drive/drive.h).
 *
 * Paths inside the JSON are dotted: "view.scale", "training.batch_loss".
 * Every getter fails the cmocka test with the missing path named. */
#ifndef ZSPACE_TESTS_GUI_UTIL_H
#define ZSPACE_TESTS_GUI_UTIL_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "data/dataset.h"
#include "vae/vae.h"

/* Remember the binary (argv[1]); skip (77) unless Xvfb starts and the
 * window opens there (a GL 3.3 context). Call first in setup. */
void gu_init(int argc, char **argv);
const char *gu_zspace(void);

/* Run `zspace explore --script <script_text> <opts>` in the test's tmpdir
 * (its working directory, where F12 and GIF exports land), with
 * XDG_CACHE_HOME and XDG_CONFIG_HOME set to cache_dir (NULL: the tmpdir),
 * extra environment assignments env ("A=1 B=2", or NULL; opts and env are
 * words separated by spaces, without quoting), stderr appended
 * to gu_stderr_path(). Returns the exit status, -1 on a signal. Leak checks
 * are off for the window's process: Mesa's llvmpipe JIT frames keep memory
 * LeakSanitizer cannot attribute; the app's own code is leak-checked headless. */
int gu_explore(const char *script_text, const char *opts, const char *env, const char *cache_dir);
const char *gu_stderr_path(void);
/* Empty the stderr file (before a run whose messages the test reads). */
void gu_stderr_clear(void);
/* The stderr file's text (caller frees), "" when empty. */
char *gu_stderr_text(void);

/* Parse a JSON file the explorer wrote (dump-state); the test frees it. */
cJSON *gu_load_json(const char *path);
const cJSON *gu_get(const cJSON *o, const char *dotted);
double gu_num(const cJSON *o, const char *dotted);       /* numbers and booleans */
const char *gu_str(const cJSON *o, const char *dotted);
int gu_int_at(const cJSON *o, const char *dotted, int i); /* element i of an array */
void gu_floats(const cJSON *arr, float *out, int n);    /* asserts the size */

/* Window coordinates (what a script's click takes) of latent point (x, y)
 * on the map of a dump (its view: center, scale, map_rect, pixel_scale). */
void gu_latent_to_window(const cJSON *st, float x, float y, int *wx, int *wy);
/* The dump's decoded image, as floats in [0, 1] (VAE_X of them). */
void gu_decoded(const cJSON *st, float *out);
double gu_mse(const float *a, const float *b); /* over VAE_X pixels */

/* A tiny model: latent z, one hidden layer, `epochs` on the first n
 * images of train (about a second for 3,000 at hidden 256). */
void gu_train_tiny(Vae *v, const DataSplit *train, size_t n, int z, int hidden, int epochs,
                   uint64_t seed);
/* Train one and save it under the tmpdir as `name`; returns its path. */
const char *gu_save_tiny(const char *name, const DataSplit *train, int z, int hidden,
                         int epochs, uint64_t seed);
/* gu_save_tiny on MNIST's training split, loaded and freed here; skips the
 * test (77) when MNIST is not installed. */
const char *gu_save_tiny_mnist(const char *name, int z, int hidden, int epochs, uint64_t seed);
/* Latent mean of each class's images (Z = 2 models): out[k] = (x, y). */
void gu_centroids2(Vae *v, const DataSplit *s, float out[10][2]);
/* Pixel mean image of each class. */
void gu_class_means(const DataSplit *s, float out[10][VAE_X]);

#endif
