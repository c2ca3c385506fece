#!/usr/bin/env python3
"""Offline Fast Griffin-Lim: Rephase's `rephase invert --method fgla` against librosa.griffinlim, same iterations.

For each chosen dev file of ../shared/speech, both reconstruct the signal from its own STFT
magnitudes with 32 iterations, momentum 0.99 and zero initial phase (librosa's init=None),
N = 512, H = 128, periodic Hann. Each uses its own framing: librosa its centred frames
(center=True), ours the project's framing (inside rephase). Both phase conventions are
frame-start (rfft of the windowed frame), and librosa's frames start at tH - N/2 = (t - 2)H,
on our grid of frames at (j - 3)H: the two differ only in the edge frames, so zero initial
phase means the same start for both. Both outputs are scored against the original with
WB-PESQ, ESTOI and the spectral convergence in the project's STFT (docs/ALGORITHMS.md section 12).
The goal: ours within 0.05 WB-PESQ.

Usage (from the repository root):
    swift build -c release --product rephase
    python3 -m Tools.eval.fgla_vs_librosa [--files 10] [--iterations 32]
Python packages: Tools/requirements.txt.
"""
import argparse
import os
import sys
import tempfile

import numpy as np

from Tools.eval.common import DEFAULT_SPEECH, DEFAULT_TOOL, Scorer, librosa_fgla, manifest_files, read_mono, run_rephase


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=10, help="dev files to score (default 10)")
    parser.add_argument("--iterations", type=int, default=32, help="iterations for both (default 32)")
    parser.add_argument("--min-seconds", type=float, default=1.0, help="skip shorter files (default 1.0)")
    parser.add_argument("--speech", default=DEFAULT_SPEECH)
    parser.add_argument("--tool", default=DEFAULT_TOOL)
    args = parser.parse_args()
    if not os.access(args.tool, os.X_OK):
        sys.exit(f"{args.tool} not found: run `swift build -c release --product rephase` first")

    rows = []
    print(f"{'file':44} {'PESQ lib':>8} {'ours':>6} {'ESTOI lib':>9} {'ours':>6} {'SC lib':>7} {'ours':>7}")
    with tempfile.TemporaryDirectory() as workdir:
        for path, _ in manifest_files(args.speech, "dev", args.min_seconds, args.files):
            scorer = Scorer(read_mono(path))
            lib = scorer.scores(librosa_fgla(scorer.reference, args.iterations))
            out = os.path.join(workdir, os.path.basename(path) + ".wav")
            y, _ = run_rephase(args.tool, path, out, "fgla", ["--iterations", str(args.iterations)])
            ours = scorer.scores(y)
            rows.append(lib + ours)
            name = os.path.relpath(path, args.speech)
            print(f"{name:44} {lib[0]:8.3f} {ours[0]:6.3f} {lib[1]:9.3f} {ours[1]:6.3f} {lib[2]:7.2f} {ours[2]:7.2f}")

    mean = np.mean(np.array(rows), axis=0)
    print(f"\nFGLA-{args.iterations}, momentum 0.99, zero initial phase; mean over {len(rows)} dev files")
    print(f"{'':10} {'WB-PESQ':>8} {'ESTOI':>7} {'SC (dB)':>8}")
    print(f"{'librosa':10} {mean[0]:8.3f} {mean[1]:7.3f} {mean[2]:8.2f}")
    print(f"{'Rephase':10} {mean[3]:8.3f} {mean[4]:7.3f} {mean[5]:8.2f}")
    print(f"{'difference':10} {mean[3] - mean[0]:+8.3f} {mean[4] - mean[1]:+7.3f} {mean[5] - mean[2]:+8.2f}")
    verdict = "met" if mean[3] - mean[0] >= -0.05 else "NOT met"
    print(f"goal (Rephase WB-PESQ no more than 0.05 below librosa): {verdict}")


if __name__ == "__main__":
    main()
