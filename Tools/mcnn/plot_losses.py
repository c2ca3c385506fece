"""Plots the MCNN training logs (<config>.log from train.py in Tools/mcnn/out, or the folder
--logs names, e.g. one gpu-train wrote) to docs/mcnn_loss.png:
the weighted training loss (mean of each logged run of steps) and the dev loss against
wall-clock minutes, and the dev spectral convergence in dB, one colour per configuration.
Runs of the first loss reading kept as out/old-<config>.log (a silent output won its IF loss)
are drawn dashed in the spectral-convergence panel only: their losses measure something else,
their dev spectral convergence is computed alike. With --summary (the gpu-train summary, one
"<config>: exit N; best dev: dev step ..." line per configuration), a configuration whose log is
missing gets its best dev point alone, as a star (the device returns a limited number of files,
and a run's log can be lost). A <config>-continued.log (train.py --init continue --name
<config>-continued) is drawn dashed in its configuration's colour, its minutes counted from
the continuation. A loss-study run <config>-sc<W>.log (train.py --loss-weights W 6 10 1 --name
<config>-sc<W>) is drawn dash-dotted in the spectral-convergence panel only, since its loss
weighs the parts otherwise.

    python3 -m Tools.mcnn.plot_losses [--logs OUTDIR] [--summary SUMMARY]
"""
import argparse
import math
import os
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from Tools.mcnn.network import CONFIGS  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "out")
FIGURE = os.path.join(os.path.dirname(os.path.dirname(HERE)), "docs", "mcnn_loss.png")
LINE = re.compile(r"^(train|dev) step (\d+) loss ([\d.]+) sc ([\d.]+).* (\d+) s$")
BEST = re.compile(r"^(\S+): exit \d+.*; best dev: (dev step .*)$")
STUDY = re.compile(r"^(\w+)-sc(\d+)\.log$")


def read_log(name, folder=OUT):
    """{'train': [(minutes, step, loss, sc)], 'dev': [...]} of a configuration's log."""
    curves = {"train": [], "dev": []}
    with open(os.path.join(folder, f"{name}.log")) as f:
        for line in f:
            m = LINE.match(line.strip().rstrip(" *"))
            if m:
                kind, step, loss, sc, seconds = m.groups()
                curves[kind].append((int(seconds) / 60, int(step), float(loss), float(sc)))
    return curves


def logs(prefix="", folder=OUT, suffix=""):
    return {name: read_log(prefix + name + suffix, folder) for name in CONFIGS
            if os.path.exists(os.path.join(folder, f"{prefix}{name}{suffix}.log"))}


def studies(folder=OUT):
    """{(config, SC weight): curves} of the loss-study runs in `folder` (<config>-sc<W>.log),
    in order of weight (none where the folder is missing)."""
    if not os.path.isdir(folder):
        return {}
    found = [(m.group(1), int(m.group(2))) for m in map(STUDY.match, sorted(os.listdir(folder))) if m and m.group(1) in CONFIGS]
    return {(name, weight): read_log(f"{name}-sc{weight}", folder) for name, weight in sorted(found, key=lambda r: r[1])}


def best_points(summary):
    """{config: (minutes, step, loss, sc)} of the best dev lines of a gpu-train summary."""
    points = {}
    with open(summary) as f:
        for line in f:
            best = BEST.match(line.strip())
            m = best and LINE.match(best.group(2).rstrip(" *"))
            if m and best.group(1) in CONFIGS:
                _, step, loss, sc, seconds = m.groups()
                points[best.group(1)] = (int(seconds) / 60, int(step), float(loss), float(sc))
    return points


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--logs", default=OUT, help="folder of the logs (default: Tools/mcnn/out)")
    parser.add_argument("--summary", help="gpu-train's summary: best dev points of the configurations without a log")
    args = parser.parse_args()
    figure, (losses, convergence) = plt.subplots(1, 2, figsize=(11, 4))
    runs, old, continued = logs(folder=args.logs), logs("old-", args.logs), logs(folder=args.logs, suffix="-continued")
    lost = {name: point for name, point in (best_points(args.summary) if args.summary else {}).items() if name not in runs}
    # the y range of the dev losses: a few early training batches spike far above them
    dev_losses = [d[2] for c in (*runs.values(), *continued.values()) for d in c["dev"]] + [p[2] for p in lost.values()]
    losses.set_ylim(0.95 * min(dev_losses), 1.05 * max(dev_losses))
    colours = {name: f"C{i}" for i, name in enumerate(CONFIGS)}
    for name, curves in old.items():
        dev = curves["dev"]
        convergence.plot([d[0] for d in dev], [20 * math.log10(d[3]) for d in dev], "--", color=colours[name],
                         alpha=0.6, label=f"{name}, first loss reading")
    for name, curves in runs.items():
        colour = colours[name]
        train, dev = curves["train"], curves["dev"]
        losses.plot([t[0] for t in train], [t[2] for t in train], color=colour, alpha=0.35, linewidth=0.8)
        losses.plot([d[0] for d in dev], [d[2] for d in dev], "o-", color=colour, markersize=3, label=f"{name} dev")
        convergence.plot([d[0] for d in dev], [20 * math.log10(d[3]) for d in dev], "o-", color=colour, markersize=3,
                         label=name)
    for name, curves in continued.items():
        dev = curves["dev"]
        label = f"{name} continued from the shipped tables"
        losses.plot([d[0] for d in dev], [d[2] for d in dev], "s--", color=colours[name], markersize=2, label=label)
        convergence.plot([d[0] for d in dev], [20 * math.log10(d[3]) for d in dev], "s--", color=colours[name],
                         markersize=2, label=label)
    for i, ((name, weight), curves) in enumerate(studies(args.logs).items()):
        dev = curves["dev"]
        convergence.plot([d[0] for d in dev], [20 * math.log10(d[3]) for d in dev], "-.", color=f"C{(len(CONFIGS) + i) % 10}",
                         label=f"{name} continued, SC weight {weight} (one CPU thread)")
    for name, (minutes, _, loss, sc) in lost.items():
        losses.plot([minutes], [loss], "*", color=colours[name], markersize=10, label=f"{name} best dev (log lost)")
        convergence.plot([minutes], [20 * math.log10(sc)], "*", color=colours[name], markersize=10,
                         label=f"{name} best dev (log lost)")
    losses.set(xlabel="training minutes", ylabel="loss (SC + 6 logmag + 10 IF + phase)",
               title="MCNN loss: train (faint), dev (dots)")
    convergence.set(xlabel="training minutes", ylabel="dev spectral convergence (dB)",
                    title="dev SC (seed paper: -12.9 dB)")
    convergence.set_ylim(top=2)  # the untrained start, up to +9 dB, would squash the rest
    for axes in (losses, convergence):
        axes.grid(alpha=0.3)
        axes.legend(loc="upper right", fontsize="small")
    figure.tight_layout()
    figure.savefig(FIGURE, dpi=110)
    print(f"wrote {FIGURE}")


if __name__ == "__main__":
    main()
