#!/usr/bin/env python3
"""Grid search of the least-squares weights p (--weight-exponent) and gamma (--coupling) for
a method of the real CLI, scored by mean WB-PESQ (then ESTOI, SC) on dev files taken
round-robin over speakers. How the defaults of LeastSquaresPhaseIntegrator were chosen:

    swift build -c release --product rephase
    python3 -m Tools.eval.tune_weights --method pghi --files 20 \\
        --p 1,1.5,2,2.5,3.5 --gamma 5,30,150,500,3000        # then a finer grid near the best
    python3 -m Tools.eval.tune_weights --method pghi --lookahead 1 --files 20 --p 1,1.5,2,2.5 --gamma 2,5,20,100

and for the mel networks (`--mel 80`: each file's 80-band mel spectrogram, the CLI's --mel):

    python3 -m Tools.eval.tune_weights --method cnn --mel 80 --files 80 --p 0.75,1,1.25,1.5 --gamma 5,10,20

Prints one line per (p, gamma), best first.
"""
import argparse
import itertools
import os
import sys
from collections import defaultdict
from multiprocessing import Pool

import numpy as np

from Tools.eval.common import DEFAULT_SPEECH, DEFAULT_TOOL, Scorer, manifest_files, read_mono, run_rephase


def score(task):
    (path, _), (p, gamma), method, lookahead, mel, format, tool = task
    x = read_mono(path)
    extra = ["--weight-exponent", str(p), "--coupling", str(gamma)]
    if lookahead is not None:
        extra += ["--lookahead", str(lookahead)]
    if mel is not None:
        extra += ["--mel", str(mel)]
    if format is not None:
        extra += ["--format", format]
    y, _ = run_rephase(tool, path, f"/tmp/tune-{os.getpid()}.wav", method, extra)
    return p, gamma, Scorer(x).scores(y)


def floats(text):
    return [float(v) for v in text.split(",")]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--method", default="pghi", help="a least-squares method: pghi, cnn, cnn-strided")
    parser.add_argument("--lookahead", type=int)
    parser.add_argument("--mel", type=int, help="invert each file's mel spectrogram of this many bands")
    parser.add_argument("--format", help="the core's arithmetic: f32 (default), f16 or q15")
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--p", type=floats, default=floats("1,1.5,2,2.5"))
    parser.add_argument("--gamma", type=floats, default=floats("2,5,20,100"))
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--speech", default=DEFAULT_SPEECH)
    parser.add_argument("--tool", default=DEFAULT_TOOL)
    args = parser.parse_args()
    if not os.access(args.tool, os.X_OK):
        sys.exit(f"tune_weights.py: {args.tool} not found: run `swift build -c release --product rephase` first")
    files = manifest_files(args.speech, "dev", 0.5, args.files)
    grid = list(itertools.product(args.p, args.gamma))
    tasks = [(f, g, args.method, args.lookahead, args.mel, args.format, args.tool) for f in files for g in grid]
    results = defaultdict(list)
    with Pool(args.jobs) as pool:
        for p, gamma, s in pool.imap_unordered(score, tasks):
            results[p, gamma].append(s)
    for key in sorted(results, key=lambda k: -np.mean(results[k], axis=0)[0]):
        pesq, estoi, sc = np.mean(results[key], axis=0)
        print(f"p {key[0]:<5g} gamma {key[1]:<7g} WB-PESQ {pesq:.3f}  ESTOI {estoi:.3f}  SC {sc:.2f} dB  ({len(files)} files)")


if __name__ == "__main__":
    main()
