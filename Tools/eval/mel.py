#!/usr/bin/env python3
"""Mel-spectrogram inversion on the dev split (docs/ALGORITHMS.md section 8): ADMM against the cascaded
baseline (NNLS magnitudes, then FGLA) at the same iteration counts, and the streaming mel
path (mel -> linear magnitudes in the core, then an online phase method), all through the
real `rephase` CLI from the mel spectrogram of each file (`invert FILE --mel BANDS`).

Each output is scored against the original with spectral convergence on mel and on linear
magnitudes (project STFT; mel by librosa.filters.mel, which the CLI's filterbank matches to
1e-6), ESTOI and WB-PESQ (docs/ALGORITHMS.md section 12), and the CLI's own compute time. The
offline methods' `--progress` lines give the mean mel spectral convergence per iteration,
plotted to docs/mel_convergence.png; `rephase-bench --only mel --markdown` gives the per-frame
cost of the streaming stage. Everything goes into the "mel" section of docs/RESULTS.md
(common.write_results_section), which evaluate.py keeps.

Usage (from the repository root): Tools/eval/run-mel [options] (builds the release tools,
then runs this script with the same options). Python packages: Tools/requirements.txt.
"""
import argparse
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import datetime, timezone
from multiprocessing import Pool

import librosa
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from Tools import BUNDLED_CLIP  # noqa: E402
from Tools.eval.common import (DEFAULT_BENCH, DEFAULT_SPEECH, DEFAULT_TOOL, N, RATE, Scorer, manifest_files,  # noqa: E402
                    project_magnitudes, read_mono, write_results_section)

from Tools.eval.evaluate import simulator_table  # noqa: E402

PROGRESS = re.compile(r"iteration (\d+):.*mel SC (-?[\d.]+) dB")
# The streaming mel path's configurations the simulator prices (the mel stage in front).
MEL_SIMULATED = [("cnn", "f32"), ("cnn-strided", "f32"), ("cnn-la", "f32"), ("cnn-la", "f32", "--lookahead", "0"), ("pghi", "f32"),
                 ("cnn", "q15"), ("cnn-strided", "q15")]


def rows(iterations, bands):
    """(row name, CLI arguments): the offline methods at each iteration count, then the
    streaming path (the default pseudo-inverse alone, with the CNN methods' mel networks, and
    with 10 projected-gradient steps; cnn-la also with no look-ahead, at cnn's latency),
    all from the mel spectrogram, and for reference the cnn from linear magnitudes."""
    mel = ["--mel", str(bands)]
    table = []
    for count in iterations:
        for start in ("stream", "random"):
            for method in ("admm", "cascade"):
                table.append((f"{method} {count}, {start} start",
                              mel + ["--method", method, "--iterations", str(count), "--start", start, "--progress"]))
        # The cascade as the ADMM paper compares against it: plain Griffin-Lim, no momentum.
        table.append((f"cascade, plain GLA {count}, random start",
                      mel + ["--method", "cascade", "--momentum", "0", "--iterations", str(count), "--start", "random",
                             "--progress"]))
    table += [
        ("mel -> cnn", mel + ["--method", "cnn"]),
        ("mel -> cnn-strided", mel + ["--method", "cnn-strided"]),
        ("mel -> cnn, Q15", mel + ["--method", "cnn", "--format", "q15"]),
        ("mel -> cnn-strided, Q15", mel + ["--method", "cnn-strided", "--format", "q15"]),
        ("mel -> cnn-la", mel + ["--method", "cnn-la"]),
        ("mel -> cnn-la, no look-ahead", mel + ["--method", "cnn-la", "--lookahead", "0"]),
        ("mel -> cnn, 10 NNLS steps", mel + ["--method", "cnn", "--mel-steps", "10"]),
        ("mel -> pghi", mel + ["--method", "pghi"]),
        ("mel -> pghi, 10 NNLS steps", mel + ["--method", "pghi", "--mel-steps", "10"]),
        ("cnn from linear magnitudes (no mel)", ["--method", "cnn"]),
    ]
    return table


def run(tool, path, out, args):
    """Inverts `path` with the CLI arguments `args`; returns (signal, compute seconds, mel SC
    per iteration from --progress, or None without it)."""
    command = [tool, "invert", path, "-o", out, "--subtype", "float", "--json", *args]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{shlex.join(command)}: {result.stderr.strip()}")
    compute = float(re.search(r'"compute_seconds": ([\d.e+-]+)', result.stdout).group(1))
    curve = [float(m.group(2)) for m in PROGRESS.finditer(result.stderr)] if "--progress" in args else None
    return read_mono(out), compute, curve


def evaluate_file(task):
    path, table, bands, tool, workdir = task
    x = read_mono(path)
    scorer = Scorer(x)
    basis = librosa.filters.mel(sr=RATE, n_fft=N, n_mels=bands).astype(np.float64)
    reference_mel = project_magnitudes(x) @ basis.T
    out = os.path.join(workdir, f"{os.getpid()}.wav")
    results = []
    for name, args in table:
        y, compute, curve = run(tool, path, out, args)
        mel = project_magnitudes(y) @ basis.T
        mel_sc = 20 * np.log10(np.linalg.norm(mel - reference_mel) / np.linalg.norm(reference_mel))
        pesq_score, estoi, sc = scorer.scores(y)
        results.append((name, mel_sc, sc, estoi, pesq_score, (len(x) / RATE) / compute, curve))
    return results


def markdown(args, command, started, files, minutes, summary, curves, bench, simulated):
    subset = f"{len(files)} files (`--files {args.files}`, round-robin over speakers)" if args.files else f"all {len(files)} files"
    lines = [
        "## Mel-spectrogram input",
        "",
        f"`{command}` on {started:%Y-%m-%d %H:%M} UTC, {minutes:.1f} min: {subset} of the {args.split} split "
        f"(speech, at least {args.min_seconds} s). Input: the {args.bands}-band mel spectrogram (librosa's Slaney "
        "filterbank, 0 to 8 kHz, magnitudes with power 1) of each file's project STFT; every method sees only "
        "that. ADMM: lambda 5, rho 1e-5 (the CLI defaults), cascade: FGLA (momentum 0.99) or, as the ADMM paper's baseline, plain Griffin-Lim (`--momentum 0`); all start "
        "from the same NNLS magnitudes (clipped minimum-norm solution + 100 FISTA iterations) with either the "
        "phases of the streaming `cnn`'s output (`--start stream`, the CLI default) or the same seeded random "
        "phases (`--start random`, the ADMM paper's start). Streaming: the core's mel -> linear stage (the non-negative pseudo-inverse, "
        "the CLI default, or with 10 projected-gradient NNLS steps, `--mel-steps 10`) in front of the online method; "
        "behind the pseudo-inverse alone the CNN methods run their mel networks (docs/ALGORITHMS.md section 9) with the least-squares weights tuned for them (section 3), "
        "with the steps the linear ones. Spectral convergence (SC) in dB "
        "on the mel and on the linear magnitudes; RTF = audio seconds per compute second (one core, the "
        "CLI's own timing; the machine's 2 cores were shared).",
        "",
        "| method | mel SC (dB) | linear SC (dB) | ESTOI | WB-PESQ | RTF |",
        "|---|---|---|---|---|---|",
    ]
    for name, (mel_sc, sc, estoi, pesq_score, rtf) in summary.items():
        lines.append(f"| {name} | {mel_sc:.2f} | {sc:.2f} | {estoi:.3f} | {pesq_score:.3f} | {rtf:.1f} |")
    final = {name: curve[-1] for name, curve in curves.items()}
    lines += [
        "",
        "Mean mel SC per iteration (from `--progress`, the longest runs): "
        + ", ".join(f"{name} {value:.2f} dB after {len(curves[name])}" for name, value in final.items()) + ".",
        "",
        "![mel SC per iteration](mel_convergence.png)",
        "",
        "Per-frame cost of the streaming mel path (`rephase-bench --only mel --markdown`, same machine):",
        "",
        bench.strip(),
        "",
        simulated.strip(),
    ]
    return "\n".join(lines) + "\n"


def plot(path, curves):
    fig, ax = plt.subplots(figsize=(6.4, 4))
    for name, curve in curves.items():
        ax.plot(np.arange(1, len(curve) + 1), curve, label=name)
    ax.set_xlabel("iteration")
    ax.set_ylabel("mean mel spectral convergence (dB)")
    ax.set_title("Mel inversion from NNLS magnitudes")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="dev")
    parser.add_argument("--files", type=int, default=None, help="at most this many files, round-robin over speakers")
    parser.add_argument("--bands", type=int, default=80)
    parser.add_argument("--iterations", default="50,100,200", help="comma-separated ADMM and cascade iteration counts")
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--min-seconds", type=float, default=0.5, help="skip shorter files (PESQ needs ~0.5 s)")
    parser.add_argument("--out", default="docs")
    parser.add_argument("--speech", default=DEFAULT_SPEECH)
    parser.add_argument("--tool", default=DEFAULT_TOOL)
    parser.add_argument("--bench", default=DEFAULT_BENCH)
    args = parser.parse_args()
    command = shlex.join(["Tools/eval/run-mel", *sys.argv[1:]])
    started = datetime.now(timezone.utc)
    iterations = [int(i) for i in args.iterations.split(",")]
    table = rows(iterations, args.bands)
    files = [path for path, _ in manifest_files(args.speech, args.split, args.min_seconds, args.files)]
    print("running rephase-bench --only mel --markdown (alone, before the quality run)", file=sys.stderr)
    bench = subprocess.run([args.bench, "--only", "mel", "--markdown"], capture_output=True, text=True, check=True).stdout
    simulated = simulator_table(args.tool, BUNDLED_CLIP, MEL_SIMULATED, ["--mel", str(args.bands)])
    scores = defaultdict(list)
    curves = defaultdict(list)
    start = time.time()
    with tempfile.TemporaryDirectory() as workdir, Pool(args.jobs) as pool:
        tasks = [(path, table, args.bands, args.tool, workdir) for path in files]
        for done, results in enumerate(pool.imap_unordered(evaluate_file, tasks), 1):
            for name, mel_sc, sc, estoi, pesq_score, rtf, curve in results:
                scores[name].append((mel_sc, sc, estoi, pesq_score, rtf))
                if curve and f" {max(iterations)}," in name:
                    curves[name.replace(f" {max(iterations)},", ",")].append(curve)
            print(f"\r{done}/{len(files)} files, {(time.time() - start) / 60:.1f} min", end="", file=sys.stderr)
    print(file=sys.stderr)
    minutes = (time.time() - start) / 60
    summary = {name: tuple(np.mean(np.array(values), axis=0)) for name, values in scores.items()}
    mean_curves = {name: np.mean(np.array(c), axis=0) for name, c in curves.items()}
    os.makedirs(args.out, exist_ok=True)
    plot(os.path.join(args.out, "mel_convergence.png"), mean_curves)
    write_results_section(os.path.join(args.out, "RESULTS.md"), "mel",
                          markdown(args, command, started, files, minutes, summary, mean_curves, bench, simulated))
    print(f"wrote the mel section of {os.path.join(args.out, 'RESULTS.md')} and mel_convergence.png in {minutes:.1f} min",
          file=sys.stderr)


if __name__ == "__main__":
    main()
