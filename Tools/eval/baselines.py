#!/usr/bin/env python3
"""The analytic baselines side by side on a split: SPSI (both core formats), RTPGHI and PGHI
(causal and with one frame of look-ahead), scored exactly as evaluate.py scores every method
(the release CLI, WB-PESQ, ESTOI, spectral convergence), with each one's simulated
Cortex-M4F cost (`rephase sim` on the bundled clip) and phaseret's measurements on held-out
LibriSpeech clips (docs/ANCHORS.md) for context. Writes the "analytic-baselines" section of
docs/RESULTS.md (common.write_results_section); the full evaluation keeps it.

    swift build -c release --product rephase && python3 -m Tools.eval.baselines [--files N] [--jobs N]
"""
import argparse
import os
import shlex
import sys

from Tools import BUNDLED_CLIP
from Tools.eval.common import DEFAULT_SPEECH, DEFAULT_TOOL, simulate, write_results_section
from Tools.eval.evaluate import METHODS, choose_files, score_corpus

BASELINES = ["spsi", "rtpghi", "pghi", "pghi L=1"]
# phaseret (ltfat/phaseret, C, FFTW) on ten held-out 20 s LibriSpeech clips (docs/ANCHORS.md).
PHASERET = [("phaseret SPSI", 3.575, 0.965), ("phaseret RTPGHI, causal", 3.715, 0.966)]


def m4_budget(tool, method, fmt):
    """Mean and worst share of the Cortex-M4F's hop (percent) on the bundled clip."""
    budget = simulate(tool, BUNDLED_CLIP, method.cli, fmt, "cortex-m4f", method.args)["budget_percent"]
    return budget["mean"], budget["max"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="dev")
    parser.add_argument("--files", type=int, default=None, help="at most this many files, round-robin over speakers")
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--min-seconds", type=float, default=0.5)
    parser.add_argument("--speech", default=DEFAULT_SPEECH)
    parser.add_argument("--tool", default=DEFAULT_TOOL)
    parser.add_argument("--out", default="docs")
    args = parser.parse_args()
    args.corpus = None
    if not os.access(args.tool, os.X_OK):
        sys.exit(f"baselines: {args.tool} not found: swift build -c release --product rephase")
    files, _ = choose_files(args)
    methods = [m for m in METHODS if m.name in BASELINES]
    result = score_corpus(files, methods, args.tool, args.jobs)
    command = shlex.join(["python3", "-m", "Tools.eval.baselines", *sys.argv[1:]])
    lines = ["## Analytic baselines: SPSI, RTPGHI, PGHI", "",
             f"`{command}`: the {args.split} split, {len(files)} files, means over files; latency in samples "
             "at 16 kHz; the Cortex-M4F's share of the hop (168 MHz, 8 ms) from `rephase sim` on the bundled "
             "clip, mean / worst frame. phaseret's rows are its own measurements on other (held-out "
             "LibriSpeech) clips, for context only; on these files phaseret's SPSI and RTPGHI run beside "
             "ours in the section \"RTISI-LA, RTPGHI, SPSI and PGHI against phaseret's\" "
             "(Tools/eval/phaseret.py).", "",
             "| method | format | latency | WB-PESQ | ESTOI | SC dB | Cortex-M4F |", "|---|---|---|---|---|---|---|"]
    for method in methods:
        for fmt in method.formats:
            summary = result.summary((method.name, fmt))
            mean, worst = m4_budget(args.tool, method, fmt)
            lines.append(f"| {method.name} | {fmt} | {result.latency[(method.name, fmt)]} | {summary['pesq']:.3f} | "
                         f"{summary['estoi']:.3f} | {summary['sc']:.2f} | {mean:.1f} % / {worst:.1f} % |")
    for name, pesq, estoi in PHASERET:
        lines.append(f"| {name} | | | {pesq:.3f} | {estoi:.3f} | | |")
    write_results_section(os.path.join(args.out, "RESULTS.md"), "analytic-baselines", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
