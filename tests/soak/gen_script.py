#!/usr/bin/env python3
"""gen_script: a long random explorer script for the soak test.

Seeded, so a failing soak can be replayed step for step. The script mixes
clicks, drags, right-drags, wheel zooms and keys from the help list (not F12,
F11 or Ctrl+Q), window resizes, model switches through the Open dialog
(Ctrl+O, between the Z = 2 model and a Z = 8 one, so the map alternates with a
projected one), and training episodes that press the Training panel's
Continue and Stop buttons (positions from a probe run's dump-state, see
run_soak.sh). Every few seconds it writes a dump-state
(state-NNNN.json), so check_soak.py can read every frame's work time from the
"timing" ring between two dumps; `mark-warmup.json` marks the end of the
warm-up and `final.json` the end.

Panels share one slot and some keys close others (S closes Walk and Training;
D opening the Draw panel closes Walk, Training and Sampling). Before each
training episode the script brings the window to a known layout: 1280x800,
text size reset, help closed, side column and status bar shown, and every
panel closed by opening and closing the Draw panel, then T. Only D toggles the
Draw panel, so its state is known from the keys pressed so far. Episodes
train the first model: the probe measured its Training panel (the KL bars
of a Z = 8 model move the buttons), so normalise switches back to it first.
"""
import argparse
import json
import random
import sys

BASE_W, BASE_H = 1280, 800
# Keys from the help overlay's list, with weights. Ctrl+Q, F11 (full screen),
# F12 (a screenshot file per press) and the dialogs (Ctrl+O / Ctrl+S) are left
# out of the random keys: they end the run, change the screen or wait for
# typing (Ctrl+O comes in switch_model, with the typing).
KEYS = [("T", 6), ("space", 4), (".", 3), ("I", 5), ("P", 4), ("S", 5),
        ("R", 4), ("C", 3), ("Ctrl+=", 3), ("Ctrl+minus", 3), ("Ctrl+0", 2),
        ("Home", 4), ("F1", 2), ("H", 1), ("Escape", 3), ("0", 3), ("D", 3),
        ("Backspace", 2), ("O", 2), ("L", 2), ("B", 2), ("Tab", 2), ("F5", 1),
        ("G", 1)]


class Gen:
    def __init__(self, rng, probe, dump_dir, models):
        self.rng = rng
        self.models = models  # paths; the explorer starts on models[0]
        self.model = 0
        self.switches = 0
        self.lines = []
        self.t = 0.0  # planned seconds
        self.w, self.h = BASE_W, BASE_H
        self.draw_open = False
        self.parity = {"Tab": False, "B": False}
        self.train_shown = False  # best guess, for where random clicks may land
        self.dump_dir = dump_dir
        self.n_dump = 0
        self.next_dump = 0.0
        self.cont = probe["continue"]
        self.stop = probe["stop"]
        self.episodes = 0
        self.clicks = self.drags = self.scrolls = self.keys = self.resizes = 0

    def emit(self, line, seconds=0.0):
        self.lines.append(line)
        self.t += seconds

    def wait(self, lo_ms, hi_ms):
        ms = self.rng.randint(lo_ms, hi_ms)
        self.emit("wait %dms" % ms, ms / 1000)

    def map_xy(self):
        # The map fills the left ~2/3 and the top ~half of the window or more.
        return (self.rng.randint(12, int(self.w * 0.62)), self.rng.randint(12, int(self.h * 0.5)))

    def any_xy(self):
        return self.rng.randint(2, self.w - 3), self.rng.randint(2, self.h - 3)

    def key(self, name):
        self.emit("key " + name, 2 / 60)
        self.keys += 1
        if name == "D":
            self.draw_open = not self.draw_open
            if self.draw_open:
                self.train_shown = False
        elif name in self.parity:
            self.parity[name] = not self.parity[name]
        elif name == "T":
            self.train_shown = not self.train_shown
        elif name == "S":
            self.train_shown = False  # S opening the sampling panel closes T (or T stays shut)

    def maybe_dump(self):
        if self.t >= self.next_dump:
            self.emit("dump-state %s/state-%04d.json" % (self.dump_dir, self.n_dump), 1 / 60)
            self.n_dump += 1
            self.next_dump = self.t + 6.0

    def chaos(self):
        r = self.rng.random()
        if r < 0.30:
            x, y = self.map_xy() if (self.train_shown or self.rng.random() < 0.85) else self.any_xy()
            self.emit("click %d %d" % (x, y), 2 / 60)
            self.clicks += 1
        elif r < 0.45:
            (x0, y0), (x1, y1) = self.map_xy(), self.map_xy()
            n = self.rng.randint(3, 40)
            self.emit("%s %d %d %d %d %d" % ("drag" if self.rng.random() < 0.7 else "rdrag",
                                             x0, y0, x1, y1, n), (n + 2) / 60)
            self.drags += 1
        elif r < 0.55:
            x, y = self.map_xy()
            self.emit("scroll %d %d %d" % (x, y, self.rng.choice([-3, -2, -1, 1, 2, 3])), 1 / 60)
            self.scrolls += 1
        elif r < 0.60:
            x, y = self.map_xy()
            self.emit("move %d %d" % (x, y))
        elif r < 0.97:
            names = [k for k, _ in KEYS]
            weights = [w for _, w in KEYS]
            self.key(self.rng.choices(names, weights)[0])
        else:
            self.resize(self.rng.randint(640, 1600), self.rng.randint(480, 1000))
        self.wait(20, 220)

    def resize(self, w, h):
        self.emit("resize %d %d" % (w, h))
        self.w, self.h = w, h
        self.resizes += 1
        self.emit("wait 10 frames", 10 / 60)

    def switch_model(self, i):
        """Open models[i] through the dialog. Escape afterwards closes the
        dialog if the open was refused (a training run still stopping); if
        it was not, Escape is one more random key."""
        self.emit("# model switch: %s" % self.models[i])
        self.emit("key Ctrl+O", 2 / 60)
        self.emit("wait 3 frames", 3 / 60)
        self.emit("key Ctrl+U", 1 / 60)
        self.emit("type %s" % self.models[i], 1 / 60)
        self.emit("key Return", 1 / 60)
        self.emit("wait 3 frames", 3 / 60)
        self.emit("key Escape", 1 / 60)
        self.model = i
        self.switches += 1

    def normalise(self):
        """The layout the probe measured: the first model, base size, text
        size 1, help shut, side column and status bar shown, only the
        Training panel open."""
        if self.model != 0:
            self.switch_model(0)
            self.emit("wait-ready 120", 1)
        self.resize(BASE_W, BASE_H)
        self.key("Ctrl+0")
        self.key("Escape")
        for name, odd in list(self.parity.items()):
            if odd:
                self.key(name)
        if self.draw_open:
            self.key("D")
        self.key("D")  # opening Draw closes Walk, Training and Sampling
        self.key("D")
        self.key("T")
        self.train_shown = True
        self.emit("wait 20 frames", 20 / 60)

    def training_episode(self):
        self.normalise()
        self.episodes += 1
        self.emit("# training episode %d: Continue, work the map, Stop" % self.episodes)
        self.emit("click %d %d" % tuple(self.cont), 2 / 60)
        self.clicks += 1
        self.wait(800, 1500)
        # While training runs: the map and the pause/step keys only, so the
        # Stop button stays where the probe saw it.
        end = self.t + self.rng.uniform(4, 12)
        while self.t < end:
            r = self.rng.random()
            if r < 0.5:
                self.emit("click %d %d" % self.map_xy(), 2 / 60)
                self.clicks += 1
            elif r < 0.7:
                (x0, y0), (x1, y1) = self.map_xy(), self.map_xy()
                self.emit("drag %d %d %d %d 10" % (x0, y0, x1, y1), 12 / 60)
                self.drags += 1
            elif r < 0.8:
                self.emit("scroll %d %d %d" % (*self.map_xy(), self.rng.choice([-1, 1])), 1 / 60)
                self.scrolls += 1
            else:
                self.key(self.rng.choice(["space", ".", "space"]))
            self.wait(50, 400)
            self.maybe_dump()
        # Resume if paused is not knowable here; Stop works in both states.
        self.emit("click %d %d" % tuple(self.stop), 2 / 60)
        self.clicks += 1
        self.wait(1500, 2500)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--minutes", type=float, default=6.0, help="planned length")
    ap.add_argument("--warmup", type=float, default=60.0, help="seconds")
    ap.add_argument("--train-every", type=float, default=50.0, help="seconds")
    ap.add_argument("--probe", required=True, help="probe.json from run_soak.sh")
    ap.add_argument("--dump-dir", required=True)
    ap.add_argument("--models", default="",
                    help="comma-separated model paths to switch between (first = the one shown)")
    ap.add_argument("--switch-every", type=float, default=25.0, help="seconds")
    ap.add_argument("-o", "--output", required=True)
    a = ap.parse_args()
    with open(a.probe) as f:
        probe = json.load(f)
    models = [m for m in a.models.split(",") if m]
    g = Gen(random.Random(a.seed), probe, a.dump_dir, models)
    g.emit("# soak script, seed %d, generated by tests/soak/gen_script.py" % a.seed)
    g.emit("wait-ready 120")
    g.emit("dump-state %s/start.json" % a.dump_dir)
    total = a.minutes * 60
    next_train, warm_marked = 8.0, False  # the first episode loads the dataset in warm-up
    next_switch = 20.0
    while g.t < total:
        if g.t >= next_train:
            g.training_episode()
            next_train = g.t + a.train_every * g.rng.uniform(0.7, 1.3)
        if len(models) > 1 and g.t >= next_switch:
            g.switch_model((g.model + 1) % len(models))
            g.wait(300, 1500)
            next_switch = g.t + a.switch_every * g.rng.uniform(0.6, 1.4)
        if not warm_marked and g.t >= a.warmup:
            g.emit("dump-state %s/mark-warmup.json" % a.dump_dir, 1 / 60)
            warm_marked = True
        g.chaos()
        g.maybe_dump()
    g.emit("wait 2s", 2)
    g.emit("dump-state %s/final.json" % a.dump_dir)
    g.emit("wait 1s", 1)
    g.emit("quit")
    with open(a.output, "w") as f:
        f.write("\n".join(g.lines) + "\n")
    print("planned %.0f s: %d clicks, %d drags, %d scrolls, %d keys, %d resizes, "
          "%d training episodes, %d model switches, %d dumps"
          % (g.t, g.clicks, g.drags, g.scrolls, g.keys, g.resizes, g.episodes, g.switches,
             g.n_dump), file=sys.stderr)


if __name__ == "__main__":
    main()
