#!/usr/bin/env python3
"""The quality-latency-compute map of `rephase invert --method cnn-la` (docs/ALGORITHMS.md
section 6): the causal CNN's phase refined over L frames of look-ahead by I Griffin-Lim
passes with momentum.

1. Sweep, on a subset of the dev split (--files, round-robin over speakers): L in
   --lookaheads (L = 0 included: the newest frame alone refined, no added latency), I in
   --iterations, plus L = 0, I = 0 (the plain cnn: the same code with no refinement), a
   momentum sweep at two settings (--momenta), and offline FGLA-32/100 on the same files.
2. Full split (every dev file) for the best setting of the sweep, the cheapest setting that
   reaches the subset's FGLA-32, the cheapest refining setting that beats the seed paper's
   WB-PESQ 3.84 by 0.2, and FGLA-32/100.
"Cheapest" counts projections per frame, I (L + 1) (each one forward and one inverse FFT),
which the host timing (ns per frame = 8e6 / the CLI's realtime_factor, median over files,
on a shared machine) follows but with noise.

Writes docs/lookahead_map.png (WB-PESQ and ESTOI against latency and against host ns per
frame, FGLA-32/100 as horizontal lines) and the "lookahead" section of docs/RESULTS.md, whose
sweep also prices every setting on the simulator (`rephase sim`'s worst frame of the bundled
clip on --sim-target, Float32).

Usage (from the repository root, after `swift build -c release --product rephase`):
    python3 -m Tools.eval.lookahead [--files 60] [--jobs 2] [--sim-target cortex-m7]
"""
import argparse
import os
import shlex
import sys
import tempfile
import time
from multiprocessing import Pool

import numpy as np

from Tools import BUNDLED_CLIP
from Tools.eval.common import (DEFAULT_SPEECH, DEFAULT_TOOL, H, RATE, ROOT, Scorer, manifest_files, read_mono, run_rephase,
                    simulate, write_results_section)

SEED_PESQ = 3.84  # docs/ANCHORS.md: the seed paper's online method on LibriSpeech
FRAME_NS = 1e9 * H / RATE


def cnn_la(lookahead, iterations, momentum=None):
    """The CLI arguments of one cnn-la setting, as a hashable key."""
    args = ("cnn-la", "--lookahead", str(lookahead), "--iterations", str(iterations))
    return args + (("--momentum", str(momentum)) if momentum is not None else ())


FGLA = {"fgla-32": ("fgla", "--iterations", "32"), "fgla-100": ("fgla", "--iterations", "100")}


def setting(key):
    """(L, I, momentum or None) of a cnn-la key."""
    values = dict(zip(key[1::2], key[2::2]))
    momentum = values.get("--momentum")
    return int(values["--lookahead"]), int(values["--iterations"]), float(momentum) if momentum else None


def label(key):
    if key[0] == "fgla":
        return f"fgla-{key[2]}"
    lookahead, iterations, momentum = setting(key)
    return f"cnn-la L={lookahead} I={iterations}" + (f" momentum {momentum}" if momentum is not None else "")


def score_file(task):
    """Every setting on one file: {key: (WB-PESQ, ESTOI, ns per frame, latency samples)}."""
    path, keys, tool, workdir = task
    scorer = Scorer(read_mono(path))
    out = os.path.join(workdir, f"{os.getpid()}.wav")
    rows = {}
    for key in keys:
        y, report = run_rephase(tool, path, out, key[0], list(key[1:]))
        pesq_score, estoi, _ = scorer.scores(y)
        rows[key] = (pesq_score, estoi, FRAME_NS / report["realtime_factor"], report["latency_samples"])
    return rows


def score(files, keys, tool, jobs, what):
    """Means over `files` per key: dict(pesq, estoi, ns (median), latency ms, files)."""
    start = time.time()
    per_key = {key: [] for key in keys}
    with tempfile.TemporaryDirectory() as workdir, Pool(jobs) as pool:
        tasks = [(path, keys, tool, workdir) for path, _ in files]
        for done, rows in enumerate(pool.imap_unordered(score_file, tasks), 1):
            for key, row in rows.items():
                per_key[key].append(row)
            print(f"\r{what}: {done}/{len(files)} files, {(time.time() - start) / 60:.1f} min", end="",
                  file=sys.stderr, flush=True)
    print(file=sys.stderr)
    summary = {}
    for key, rows in per_key.items():
        rows = np.array(rows)
        summary[key] = dict(pesq=rows[:, 0].mean(), estoi=rows[:, 1].mean(), ns=float(np.median(rows[:, 2])),
                            latency=rows[0, 3] / (RATE / 1000), files=len(rows))
    return summary, (time.time() - start) / 60


def simulated_cycles(tool, target, key):
    """The simulator's cycles for the worst frame of the bundled clip with setting `key`."""
    report = simulate(tool, BUNDLED_CLIP, key[0], "f32", target, key[1:])
    return f"{report['cycles_per_frame']['max']:,.0f}"


def projections(key):
    lookahead, iterations, _ = setting(key)
    return iterations * (lookahead + 1)


def plot_map(path, sweep, fgla):
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(2, 2, figsize=(12, 8.5), sharey="row")
    by_iterations = {}
    for key in sweep:
        lookahead, iterations, _ = setting(key)
        by_iterations.setdefault(iterations, []).append(key)
    colors = plt.get_cmap("viridis")
    for row, (metric, name) in enumerate([("pesq", "mean WB-PESQ"), ("estoi", "mean ESTOI")]):
        for column, (x, xlabel) in enumerate([("latency", "algorithmic latency, ms"),
                                              ("ns", "host compute per 8 ms frame, ns (median over files)")]):
            ax = axes[row, column]
            for i, (iterations, keys) in enumerate(sorted(by_iterations.items())):
                keys = sorted(keys, key=lambda k: setting(k)[0])
                ax.plot([sweep[k][x] for k in keys], [sweep[k][metric] for k in keys], "o-",
                        color=colors(i / max(1, len(by_iterations) - 1)),
                        label="cnn (no refinement)" if iterations == 0 else f"cnn-la, I = {iterations}")
                if column == 0 and row == 0:
                    for k in keys:
                        ax.annotate(f"L={setting(k)[0]}", (sweep[k][x], sweep[k][metric]), textcoords="offset points",
                                    xytext=(3, -10), fontsize=7)
            for (name_fgla, values), style in zip(fgla.items(), ["--", ":"]):
                ax.axhline(values[metric], color="tab:red", linestyle=style, label=f"offline {name_fgla}")
            if column == 1:
                ax.set_xscale("log")
            ax.set_xlabel(xlabel)
            ax.set_ylabel(name)
            ax.grid(True, which="both", alpha=0.3)
    axes[0, 0].legend(fontsize=8, loc="lower right")
    first = next(iter(sweep.values()))
    fig.suptitle(f"cnn-la: quality vs latency and compute ({first['files']} dev files)")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def table(rows, header):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=60, help="subset size of the sweep (round-robin over speakers)")
    parser.add_argument("--full-files", type=int, default=None, help="at most this many files in step 2 (default all)")
    parser.add_argument("--lookaheads", default="0,1,2,3,4,6")
    parser.add_argument("--iterations", default="1,2,4,8")
    parser.add_argument("--momenta", default="0,0.3,0.5,0.7,0.8,0.9",
                        help="momenta tried at L=3 I=2 and L=6 I=5 (the sweep uses the default)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--speech", default=DEFAULT_SPEECH)
    parser.add_argument("--tool", default=DEFAULT_TOOL)
    parser.add_argument("--out", default=os.path.join(ROOT, "docs"))
    parser.add_argument("--sim-target", default="cortex-m7", help="`rephase sim --target` of the sweep's cycles column")
    args = parser.parse_args()
    if not os.access(args.tool, os.X_OK):
        sys.exit(f"lookahead: {args.tool} not found: run `swift build -c release --product rephase`")
    command = shlex.join(["python3", "-m", "Tools.eval.lookahead", *sys.argv[1:]])

    sweep_keys = [cnn_la(0, 0)] + [cnn_la(L, I) for L in map(int, args.lookaheads.split(","))
                                   for I in map(int, args.iterations.split(","))]
    momentum_keys = [cnn_la(L, I, m) for L, I in [(3, 2), (6, 5)] for m in map(float, args.momenta.split(","))]
    subset_files = manifest_files(args.speech, "dev", 0.5, args.files)
    subset, subset_minutes = score(subset_files, sweep_keys + momentum_keys + list(FGLA.values()), args.tool,
                                   args.jobs, "sweep")
    sweep = {key: subset[key] for key in sweep_keys}
    fgla_subset = {name: subset[key] for name, key in FGLA.items()}

    refining = [key for key in sweep_keys if setting(key)[1] > 0]
    best = max(refining, key=lambda k: sweep[k]["pesq"])
    cheapest = lambda keys: min(keys, key=lambda k: (projections(k), sweep[k]["ns"])) if keys else None
    reaches_fgla = cheapest([k for k in refining if sweep[k]["pesq"] >= fgla_subset["fgla-32"]["pesq"]])
    beats_seed = cheapest([k for k in refining if sweep[k]["pesq"] >= SEED_PESQ + 0.2])
    chosen = list(dict.fromkeys(k for k in [best, reaches_fgla, beats_seed] if k))
    all_files = manifest_files(args.speech, "dev", 0.5, args.full_files)
    full, full_minutes = score(all_files, chosen + list(FGLA.values()), args.tool, args.jobs, "full split")

    os.makedirs(args.out, exist_ok=True)
    plot_map(os.path.join(args.out, "lookahead_map.png"), sweep, fgla_subset)
    cycles = lambda key: simulated_cycles(args.tool, args.sim_target, key)
    sweep_rows = [[label(k), f"{s['latency']:.0f}", str(projections(k)), f"{s['pesq']:.3f}", f"{s['estoi']:.4f}",
                   f"{s['ns']:.0f}", cycles(k)] for k, s in sweep.items()]
    sweep_rows += [[name, "offline", "", f"{s['pesq']:.3f}", f"{s['estoi']:.4f}", f"{s['ns']:.0f}", ""]
                   for name, s in fgla_subset.items()]
    momentum_rows = [[label(k), f"{subset[k]['pesq']:.3f}", f"{subset[k]['estoi']:.4f}"] for k in momentum_keys]
    roles = [(best, "best of the sweep"), (reaches_fgla, "cheapest reaching FGLA-32 on the subset"),
             (beats_seed, f"cheapest refining setting with WB-PESQ >= {SEED_PESQ + 0.2:.2f} on the subset")]
    role = lambda key: "; ".join(r for k, r in roles if k == key) or "offline reference"
    full_rows = [[label(k), role(k), f"{full[k]['latency']:.0f}" if k[0] != "fgla" else "offline",
                  f"{full[k]['pesq']:.3f}", f"{full[k]['estoi']:.4f}", f"{full[k]['ns']:.0f}"]
                 for k in chosen + list(FGLA.values())]
    best_full, fgla32_full = full[best]["pesq"], full[FGLA["fgla-32"]]["pesq"]
    markdown = f"""## Look-ahead refinement (cnn-la): quality, latency and compute

Generated by `{command}` ({subset_minutes:.1f} + {full_minutes:.1f} min on a shared
{os.cpu_count()}-core machine). `cnn-la` refines the causal CNN's phase over L frames of
look-ahead with I Griffin-Lim passes per frame (momentum 0.7, the default; the newest
frames' segments completed; Sources/RephaseCore/Inverters/LookaheadRefinementInverter.swift).
Latency = 24 ms + 8 ms per frame of look-ahead. Projections per frame = I (L + 1), each a
forward and an inverse 512-point FFT. ns/frame: host, 8e6 / the CLI's real-time factor,
median over files, with {args.jobs} files in parallel (noisy). {args.sim_target} cycles/frame:
`rephase sim`'s cycles for the worst frame of the bundled clip on that target.

**{"Full dev split" if args.full_files is None else "Dev subset"} ({len(all_files)} files):** best setting {label(best)}: WB-PESQ {best_full:.3f}
against offline FGLA-32 {fgla32_full:.3f} on the same files ({best_full - fgla32_full:+.3f});
{f"cheapest refining setting above the seed paper's 3.84 + 0.2: {label(beats_seed)}, {full[beats_seed]['pesq']:.3f}" if beats_seed else "no refining setting reached 4.04"}
(plain cnn, no refinement: {sweep[cnn_la(0, 0)]['pesq']:.3f} on the subset).

{table(full_rows, ["setting", "why", "latency (ms)", "WB-PESQ", "ESTOI", "ns/frame"])}

**Sweep on {len(subset_files)} dev files** (round-robin over speakers), FGLA on the same files:

{table(sweep_rows, ["setting", "latency (ms)", "projections/frame", "WB-PESQ", "ESTOI", "ns/frame", f"{args.sim_target} cycles/frame"])}

![cnn-la quality vs latency and compute](lookahead_map.png)

**Momentum** (same {len(subset_files)} files):

{table(momentum_rows, ["setting", "WB-PESQ", "ESTOI"])}
"""
    write_results_section(os.path.join(args.out, "RESULTS.md"), "lookahead", markdown)
    print(markdown)


if __name__ == "__main__":
    main()
