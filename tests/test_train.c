/* test_train: the trainer thread (src/train) with readers and controllers on
 * other threads. Written to run clean under ThreadSanitizer (clang,
 * -Db_sanitize=thread; meson suite 'thread'), so every check here is also a
 * race check of the snapshot and control paths.
 *
 * Data: a few hundred synthetic images (noisy copies of 4 random sparse
 * prototypes, MNIST-like sparsity) so the suite needs no dataset and each
 * run takes tens of milliseconds; the model is small (hidden 32..64). */
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>

#include "core/rng.h"
#include "core/timer.h"
#include "nn/nn.h"
#include "test_util.h"
#include "train/train.h"
#include "vae/vae.h"
#include "vae/vae_io.h"

static DataSplit train_split, test_split;

static void make_split(DataSplit *s, size_t n, uint64_t seed)
{
    static float proto[4][VAE_X];
    static bool have_proto;
    Rng r;
    if (!have_proto) {
        rng_seed(&r, 99);
        for (int k = 0; k < 4; k++)
            for (int i = 0; i < VAE_X; i++)
                proto[k][i] = rng_below(&r, 4) == 0 ? 0.6f + 0.4f * rng_uniform(&r) : 0.0f;
        have_proto = true;
    }
    rng_seed(&r, seed);
    s->n = n;
    s->x = VAE_X;
    s->images = malloc(n * VAE_X * sizeof *s->images);
    s->labels = malloc(n);
    assert_non_null(s->images);
    for (size_t j = 0; j < n; j++) {
        int k = (int)rng_below(&r, 4);
        s->labels[j] = (uint8_t)k;
        for (int i = 0; i < VAE_X; i++) {
            float v = proto[k][i] + 0.1f * rng_normal(&r);
            s->images[j * VAE_X + (size_t)i] = v < 0 ? 0 : v > 1 ? 1 : v;
        }
    }
}

static void setup_small(TrainSetup *s, int epochs)
{
    train_setup_default(s);
    s->cfg.z = 4;
    s->cfg.hidden[0] = 48;
    s->train = &train_split;
    s->test = &test_split;
    s->batch = 32;
    s->epochs = epochs;
    s->threads = 1;
    s->publish_ms = 5;
    s->params.lr = 3e-3f;
}

static void sleep_ms(double ms)
{
    struct timespec ts = {(time_t)(ms / 1000), (long)(fmod(ms, 1000.0) * 1e6)};
    nanosleep(&ts, NULL);
}

/* Poll until the run's state satisfies pred (or 30 s pass). */
static void wait_for(Trainer *t, TrainSnapshot *s, bool (*pred)(const TrainSnapshot *))
{
    double t0 = timer_now();
    for (;;) {
        train_snapshot_take(t, s, true);
        if (pred(s))
            return;
        assert_true(timer_now() - t0 < 30);
        sleep_ms(1);
    }
}

static bool finished(const TrainSnapshot *s)
{
    return train_state_finished(s->state);
}

static bool is_paused(const TrainSnapshot *s)
{
    return s->state == TRAIN_PAUSED;
}

static bool some_steps(const TrainSnapshot *s)
{
    return s->steps >= 5 && s->state == TRAIN_RUNNING;
}

static Trainer *new_trainer(void)
{
    Trainer *t;
    Err e = {0};
    assert_int_equal(train_new(&t, &e), ERR_OK);
    return t;
}

/* Start a run and wait until it has finished and its thread is joined. */
static void run_to_end(Trainer *t, const TrainSetup *su, TrainSnapshot *s)
{
    Err e = {0};
    assert_int_equal(train_start(t, su, &e), ERR_OK);
    wait_for(t, s, finished);
    train_join(t);
    train_snapshot_take(t, s, true);
}

/* Load a model file that must be good; info may be NULL. */
static void load_ok(const char *path, Vae *v, VaeFileInfo *info)
{
    Err e = {0};
    int rc = vae_load(path, v, 0, info, &e);
    if (rc != ERR_OK)
        fail_msg("%s", e.msg);
}

static void assert_finite(const float *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        assert_true(isfinite(x[i]));
}

/* ---- a reader thread: decodes with the newest weights, reads history ---- */

typedef struct {
    Trainer *t;
    atomic_bool quit;
    int decodes, weight_updates;
    double hist_sum;
    bool bad;
} Reader;

static void *reader_main(void *arg)
{
    Reader *rd = arg;
    TrainSnapshot s = {0};
    Vae v;
    bool have_v = false;
    while (!atomic_load(&rd->quit)) {
        if (train_snapshot_take(rd->t, &s, true) && s.weights) {
            if (!have_v) {
                Err e = {0};
                if (vae_init(&v, &s.cfg, 8, 0, &e) != ERR_OK) {
                    rd->bad = true;
                    break;
                }
                vae_set_threads(&v, 1, NULL);
                have_v = true;
            }
            if (train_snapshot_weights(&s, &v, NULL) == ERR_OK)
                rd->weight_updates++;
            float z[4] = {0.5f, -0.5f, 1.0f, 0.0f}, x[VAE_X];
            vae_decode(&v, z, 1, x);
            for (int i = 0; i < VAE_X; i++)
                if (!(x[i] >= 0 && x[i] <= 1))
                    rd->bad = true;
            rd->decodes++;
            for (size_t i = 0; i < s.n_batch_hist; i++)
                rd->hist_sum += s.batch_hist[i].loss;
            for (int i = 0; i < s.n_epoch_hist; i++)
                rd->hist_sum += s.epoch_hist[i].train;
        }
        sleep_ms(0.2);
    }
    if (have_v)
        vae_free(&v);
    train_snapshot_free(&s);
    return NULL;
}

/* Training runs while two reader threads decode from snapshots and read the
 * history; the run finishes, the loss falls, the file holds the final
 * weights. */
static void test_train_with_readers(void **state)
{
    (void)state;
    Trainer *t = new_trainer();
    Err e = {0};
    TrainSetup su;
    setup_small(&su, 3);
    snprintf(su.save_path, sizeof su.save_path, "%s", tu_path("readers.safetensors"));
    Reader rd[2] = {{.t = t}, {.t = t}};
    pthread_t th[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&th[i], NULL, reader_main, &rd[i]), 0);
    assert_int_equal(train_start(t, &su, &e), ERR_OK);
    assert_true(train_active(t));
    TrainSnapshot s = {0};
    wait_for(t, &s, finished);
    train_join(t);
    for (int i = 0; i < 2; i++) {
        atomic_store(&rd[i].quit, true);
        pthread_join(th[i], NULL);
        assert_false(rd[i].bad);
        assert_true(rd[i].decodes > 0);
        assert_true(rd[i].weight_updates > 0);
    }
    train_snapshot_take(t, &s, true);
    assert_int_equal(s.state, TRAIN_DONE);
    assert_int_equal(s.epoch, 3);
    size_t batches = (train_split.n + 31) / 32;
    assert_int_equal(s.batches, batches);
    assert_int_equal(s.n_batch_hist, 3 * batches);
    assert_int_equal(s.n_epoch_hist, 3);
    assert_int_equal(s.steps, 3 * batches);
    assert_int_equal(s.saved_epochs, 3);
    assert_int_equal(s.threads, 1);
    /* learning happened: the last epoch's loss is well under the first batch's */
    assert_true(s.epoch_hist[2].train < 0.8 * s.batch_hist[0].loss);
    assert_true(s.epoch_hist[2].test < s.epoch_hist[0].test);
    assert_true(isfinite(s.epoch_hist[2].test_kl));
    for (size_t i = 0; i < s.n_batch_hist; i++)
        assert_true(fabsf(s.batch_hist[i].loss - (s.batch_hist[i].recon + s.batch_hist[i].kl)) <
                    1e-2f * s.batch_hist[i].loss);
    double kl_sum = 0;
    for (int j = 0; j < 4; j++)
        kl_sum += s.kl_dim[j];
    assert_true(kl_sum > 0);
    tu_assert_contains(s.message, "Trained 3 epochs");
    /* the file holds exactly the final weights */
    Vae v;
    VaeFileInfo info;
    load_ok(su.save_path, &v, &info);
    assert_int_equal(v.n_params, s.n_weights);
    assert_memory_equal(v.params, s.weights, v.n_params * sizeof *v.params);
    assert_int_equal(info.epochs, 3);
    assert_int_equal(info.n_history, 3);
    assert_string_equal(info.dataset, "mnist");
    vae_free(&v);
    vae_file_info_free(&info);
    train_snapshot_free(&s);
    train_free(t);
}

/* Start, pause, resume, single-step, change beta and stop in random
 * orders and at random moments, 100 times. Every run ends (DONE) and its
 * thread is joined within a second of the stop. */
static void test_control_races(void **state)
{
    (void)state;
    Trainer *t = new_trainer();
    Err e = {0};
    Rng r;
    rng_seed(&r, 7);
    TrainSnapshot s = {0};
    double worst = 0;
    for (int it = 0; it < 100; it++) {
        TrainSetup su;
        setup_small(&su, 50); /* far longer than the test lets it run */
        su.cfg.hidden[0] = 16;
        su.start_paused = rng_below(&r, 4) == 0;
        if (it % 10 == 0)
            snprintf(su.save_path, sizeof su.save_path, "%s", tu_path("races.safetensors"));
        assert_int_equal(train_start(t, &su, &e), ERR_OK);
        int ops = (int)rng_below(&r, 6);
        for (int k = 0; k < ops; k++) {
            switch (rng_below(&r, 5)) {
            case 0: train_pause(t, true); break;
            case 1: train_pause(t, false); break;
            case 2: train_single_step(t); break;
            case 3: {
                TrainParams p = {.beta = rng_uniform(&r) * 10, .lr = 1e-3f,
                                 .delay_ms = (int)rng_below(&r, 3)};
                train_set_params(t, &p);
                break;
            }
            default: train_snapshot_take(t, &s, rng_below(&r, 2) != 0); break;
            }
            if (rng_below(&r, 2))
                sleep_ms(rng_uniform(&r) * 3);
        }
        /* a second start while running is refused */
        if (it % 25 == 0) {
            Err e2 = {0};
            train_snapshot_take(t, &s, false);
            if (!train_state_finished(s.state)) {
                assert_int_equal(train_start(t, &su, &e2), ERR_ARG);
                tu_assert_contains(e2.msg, "still running");
            }
        }
        train_stop(t);
        double waited = train_join(t);
        worst = waited > worst ? waited : worst;
        assert_false(train_active(t));
        train_snapshot_take(t, &s, true);
        assert_true(train_state_finished(s.state));
        assert_int_equal(s.state, TRAIN_DONE);
    }
    assert_true(worst < 1.0);
    /* the last saved run left a loadable model */
    Vae v;
    load_ok(tu_path("races.safetensors"), &v, NULL);
    vae_free(&v);
    train_snapshot_free(&s);
    train_free(t);
}

/* Paused at the start: nothing trains; each single step trains exactly one
 * batch and publishes its weights; resume runs to the end. */
static void test_pause_and_single_step(void **state)
{
    (void)state;
    Trainer *t = new_trainer();
    Err e = {0};
    TrainSetup su;
    setup_small(&su, 1);
    su.start_paused = true;
    assert_int_equal(train_start(t, &su, &e), ERR_OK);
    TrainSnapshot s = {0};
    wait_for(t, &s, is_paused);
    sleep_ms(20);
    train_snapshot_take(t, &s, true);
    assert_int_equal(s.steps, 0);
    assert_int_equal(s.state, TRAIN_PAUSED);
    uint64_t v0 = s.weights_version;
    assert_true(v0 >= 1); /* the initial weights */
    for (int k = 1; k <= 3; k++) {
        train_single_step(t);
        double t0 = timer_now();
        do {
            sleep_ms(1);
            train_snapshot_take(t, &s, true);
            assert_true(timer_now() - t0 < 10);
        } while (s.steps < (uint64_t)k || s.state != TRAIN_PAUSED);
        assert_int_equal(s.steps, (uint64_t)k);
        assert_int_equal(s.weights_step, (uint64_t)k);
        assert_int_equal(s.n_batch_hist, (size_t)k);
    }
    sleep_ms(20);
    train_snapshot_take(t, &s, true);
    assert_int_equal(s.steps, 3); /* still paused: no more batches */
    train_pause(t, false);
    wait_for(t, &s, finished);
    assert_int_equal(s.state, TRAIN_DONE);
    assert_int_equal(s.steps, s.batches);
    train_snapshot_free(&s);
    train_free(t);
}

/* Beta may change between batches: after setting beta 0 the batches
 * report loss == recon, and the snapshot shows the new value. Slow motion
 * spaces batches out and a stop cuts the delay short. */
static void test_beta_and_slow_motion(void **state)
{
    (void)state;
    Trainer *t = new_trainer();
    Err e = {0};
    TrainSetup su;
    setup_small(&su, 50);
    su.params.beta = 4;
    assert_int_equal(train_start(t, &su, &e), ERR_OK);
    TrainSnapshot s = {0};
    wait_for(t, &s, some_steps);
    assert_true(s.used.beta == 4.0f);
    TrainParams p;
    train_get_params(t, &p);
    p.beta = 0;
    train_set_params(t, &p);
    double t0 = timer_now();
    size_t from;
    do {
        sleep_ms(1);
        train_snapshot_take(t, &s, false);
        assert_true(timer_now() - t0 < 10);
    } while (s.used.beta != 0.0f);
    from = s.n_batch_hist;
    do {
        sleep_ms(1);
        train_snapshot_take(t, &s, false);
    } while (s.n_batch_hist < from + 3);
    for (size_t i = from; i < s.n_batch_hist; i++)
        assert_true(s.batch_hist[i].loss == s.batch_hist[i].recon);
    assert_true(s.cfg.beta == 0.0f);
    /* slow motion: 300 ms between batches */
    p.delay_ms = 300;
    train_set_params(t, &p);
    sleep_ms(350);
    train_snapshot_take(t, &s, false);
    uint64_t steps = s.steps;
    sleep_ms(450);
    train_snapshot_take(t, &s, false);
    assert_true(s.steps - steps <= 3);
    t0 = timer_now();
    train_stop(t);
    train_join(t);
    assert_true(timer_now() - t0 < 0.25); /* the delay does not hold up a stop */
    train_snapshot_free(&s);
    train_free(t);
}

/* A NaN in the data makes the loss NaN: the run fails with a message, the
 * weights published are the last good ones (finite, from the batch
 * before), and the file keeps the previous run's epoch. */
static void test_nan_keeps_weights(void **state)
{
    (void)state;
    Trainer *t = new_trainer();
    const char *path = tu_path("nan.safetensors");
    TrainSetup su;
    setup_small(&su, 1);
    snprintf(su.save_path, sizeof su.save_path, "%s", path);
    TrainSnapshot s = {0};
    run_to_end(t, &su, &s);
    assert_int_equal(s.state, TRAIN_DONE);
    Vae before;
    load_ok(path, &before, NULL);

    /* continue that model on data with one poisoned image */
    DataSplit bad = train_split;
    bad.images = malloc(bad.n * VAE_X * sizeof *bad.images);
    memcpy(bad.images, train_split.images, bad.n * VAE_X * sizeof *bad.images);
    bad.images[150 * VAE_X + 300] = NAN;
    su.train = &bad;
    su.epochs = 2;
    snprintf(su.init_path, sizeof su.init_path, "%s", path);
    run_to_end(t, &su, &s);
    assert_int_equal(s.state, TRAIN_FAILED);
    tu_assert_contains(s.message, "NaN");
    tu_assert_contains(s.message, "last good");
    assert_true(s.steps < s.batches); /* it stopped in the first epoch */
    assert_int_equal(s.n_batch_hist, s.steps);
    assert_non_null(s.weights);
    assert_int_equal(s.weights_step, s.steps);
    assert_finite(s.weights, s.n_weights);
    assert_int_equal(s.epochs_before, 1);
    /* the file still holds the first run's model */
    Vae after;
    load_ok(path, &after, NULL);
    assert_memory_equal(after.params, before.params, before.n_params * sizeof *before.params);
    vae_free(&before);
    vae_free(&after);
    free(bad.images);
    train_snapshot_free(&s);
    train_free(t);
}

/* Stop in the middle of an epoch: the thread ends within a second, the
 * file loads and holds the weights after the last complete batch. */
static void test_stop_mid_epoch_saves(void **state)
{
    (void)state;
    Trainer *t = new_trainer();
    Err e = {0};
    const char *path = tu_path("stop.safetensors");
    TrainSetup su;
    setup_small(&su, 5);
    su.batch = 4; /* 100 batches per epoch */
    su.threads = 2; /* the model's helper threads run too */
    snprintf(su.save_path, sizeof su.save_path, "%s", path);
    assert_int_equal(train_start(t, &su, &e), ERR_OK);
    TrainSnapshot s = {0};
    wait_for(t, &s, some_steps);
    assert_int_equal(s.threads, 2);
    double t0 = timer_now();
    train_stop(t);
    train_join(t);
    double latency = timer_now() - t0;
    assert_true(latency < 1.0);
    train_snapshot_take(t, &s, true);
    assert_int_equal(s.state, TRAIN_DONE);
    tu_assert_contains(s.message, "Stopped");
    tu_assert_contains(s.message, "saved");
    assert_true(s.steps > 0);
    assert_int_equal(s.weights_step, s.steps);
    Vae v;
    VaeFileInfo info;
    load_ok(path, &v, &info);
    assert_int_equal(info.epochs, s.epoch); /* complete epochs only */
    assert_memory_equal(v.params, s.weights, v.n_params * sizeof *v.params);
    vae_free(&v);
    vae_file_info_free(&info);
    train_snapshot_free(&s);
    train_free(t);
}

/* Continue training a saved model: the per-epoch history carries the
 * file's epochs, the file gains the new ones. */
static void test_continue(void **state)
{
    (void)state;
    Trainer *t = new_trainer();
    const char *path = tu_path("cont.safetensors");
    TrainSetup su;
    setup_small(&su, 2);
    snprintf(su.save_path, sizeof su.save_path, "%s", path);
    TrainSnapshot s = {0};
    run_to_end(t, &su, &s);
    snprintf(su.init_path, sizeof su.init_path, "%s", path);
    su.cfg.z = 9; /* ignored: the file's config counts */
    su.epochs = 1;
    run_to_end(t, &su, &s);
    assert_int_equal(s.state, TRAIN_DONE);
    assert_int_equal(s.cfg.z, 4);
    assert_int_equal(s.epochs_before, 2);
    assert_int_equal(s.n_epoch_hist, 3);
    tu_assert_contains(s.message, "3 in all");
    VaeFileInfo info;
    Vae v;
    load_ok(path, &v, &info);
    assert_int_equal(info.epochs, 3);
    assert_int_equal(info.n_history, 3);
    vae_free(&v);
    vae_file_info_free(&info);
    train_snapshot_free(&s);
    train_free(t);
}

/* Bad setups are refused before a thread starts; a bad model file or an
 * unwritable save path are messages, not crashes. */
static void test_errors(void **state)
{
    (void)state;
    Trainer *t = new_trainer();
    Err e = {0};
    TrainSetup su;
    setup_small(&su, 1);
    su.batch = 0;
    assert_int_equal(train_start(t, &su, &e), ERR_ARG);
    tu_assert_contains(e.msg, "batch 0");
    setup_small(&su, 0);
    assert_int_equal(train_start(t, &su, &e), ERR_ARG);
    setup_small(&su, 1);
    su.cfg.z = 0;
    assert_int_equal(train_start(t, &su, &e), ERR_ARG);
    setup_small(&su, 1);
    su.train = NULL;
    snprintf(su.dataset, sizeof su.dataset, "cifar");
    assert_int_equal(train_start(t, &su, &e), ERR_ARG);
    tu_assert_contains(e.msg, "cifar");
    assert_false(train_active(t));

    setup_small(&su, 1);
    const char *junk = tu_write("junk.safetensors", "not a model", 11);
    snprintf(su.init_path, sizeof su.init_path, "%s", junk);
    TrainSnapshot s = {0};
    run_to_end(t, &su, &s);
    assert_int_equal(s.state, TRAIN_FAILED);
    tu_assert_contains(s.message, "junk.safetensors");

    setup_small(&su, 1);
    snprintf(su.save_path, sizeof su.save_path, "%s", "/nonexistent-dir/x.safetensors");
    run_to_end(t, &su, &s);
    assert_int_equal(s.state, TRAIN_DONE); /* training went on */
    assert_true(s.save_error[0] != '\0');
    assert_int_equal(s.saved_epochs, -1);
    train_snapshot_free(&s);
    train_free(t);
}

/* The run trains in the precision asked for and says so; bf16 where it is
 * unavailable (simulated) fails the run with its one line. */
static void test_precision(void **state)
{
    (void)state;
    Trainer *t = new_trainer();
    TrainSetup su;
    TrainSnapshot s = {0};
    setup_small(&su, 1);
    su.precision = NN_PREC_FP32;
    run_to_end(t, &su, &s);
    assert_int_equal(s.state, TRAIN_DONE);
    assert_int_equal(s.precision, NN_PREC_FP32);
    setenv("ZSPACE_BF16", "off", 1);
    setup_small(&su, 1);
    su.precision = NN_PREC_BF16;
    run_to_end(t, &su, &s);
    assert_int_equal(s.state, TRAIN_FAILED);
    tu_assert_contains(s.message, "bf16 is not available");
    setup_small(&su, 1); /* auto falls back */
    run_to_end(t, &su, &s);
    assert_int_equal(s.state, TRAIN_DONE);
    assert_int_equal(s.precision, NN_PREC_FP32);
    setenv("ZSPACE_BF16", "emulate", 1); /* bf16 numerics on any CPU */
    setup_small(&su, 1);
    su.precision = NN_PREC_BF16;
    run_to_end(t, &su, &s);
    assert_int_equal(s.state, TRAIN_DONE);
    assert_int_equal(s.precision, NN_PREC_BF16);
    unsetenv("ZSPACE_BF16");
    train_snapshot_free(&s);
    train_free(t);
}

int main(void)
{
    /* OpenBLAS on one thread (its own threads are not instrumented for
     * TSan); the trainer's parallelism is the model's pool. */
    nn_set_threads(1);
    make_split(&train_split, 400, 1);
    make_split(&test_split, 100, 2);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_train_with_readers),
        cmocka_unit_test(test_pause_and_single_step),
        cmocka_unit_test(test_beta_and_slow_motion),
        cmocka_unit_test(test_nan_keeps_weights),
        cmocka_unit_test(test_stop_mid_epoch_saves),
        cmocka_unit_test(test_continue),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_precision),
        cmocka_unit_test(test_control_races),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    dataset_split_free(&train_split);
    dataset_split_free(&test_split);
    return rc;
}
