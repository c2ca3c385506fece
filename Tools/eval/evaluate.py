#!/usr/bin/env python3
"""Quality of every inversion method on a corpus split, through the real `rephase` CLI.

Each file of the split (default: dev of ../shared/speech, speech only) is analysed by the CLI
with the project STFT, its phase discarded and rebuilt by each method; the output is scored
against the original with WB-PESQ, ESTOI and spectral convergence (ALGORITHMS.md section 5).
Prints mean scores per method and per speaker (Markdown tables; --markdown also writes them
to a file). Uses every core (--jobs), with a progress line on stderr.

Usage (from the repository root):
    swift build -c release --product rephase
    python3 Tools/eval/evaluate.py [--split dev] [--files N] [--methods pghi,rtpghi,...] [--jobs 2]
Python packages: Tools/requirements.txt.
"""
import argparse
import os
import sys
import tempfile
from collections import defaultdict
from multiprocessing import Pool

import numpy as np

from common import DEFAULT_SPEECH, DEFAULT_TOOL, RATE, manifest_files, read_mono, run_rephase, scores

# Name in the tables -> (CLI method, extra CLI arguments).
METHODS = {
    "pghi": ("pghi", []),
    "pghi-la1": ("pghi", ["--lookahead", "1"]),
    "rtpghi": ("rtpghi", []),
    "rtisi-la0": ("rtisi-la", ["--lookahead", "0"]),
    "rtisi-la1": ("rtisi-la", ["--lookahead", "1"]),
    "rtisi-la": ("rtisi-la", []),
    "fgla-32": ("fgla", ["--iterations", "32"]),
}


def evaluate(task):
    """Scores one (file, speaker, method name) task; returns a result row or an error line."""
    path, speaker, name, tool, workdir = task
    x, rate = read_mono(path)
    if rate != RATE:
        return ("skip", f"{path}: {rate} Hz")
    method, extra = METHODS[name]
    out = os.path.join(workdir, f"{os.getpid()}-{name}.wav")
    try:
        y, report = run_rephase(tool, path, out, method, extra)
        pesq_score, estoi, sc = scores(x, y)
    except Exception as error:  # one bad file must not end a 30-minute run
        return ("skip", f"{path} with {name}: {error}")
    return ("ok", name, speaker, pesq_score, estoi, sc, report["realtime_factor"])


def table(title, keys, rows, key_name):
    lines = [f"### {title}", "", f"| {key_name} | files | WB-PESQ | ESTOI | SC (dB) |", "|---|---|---|---|---|"]
    for key in keys:
        scored = np.array(rows[key])
        if len(scored):
            mean = scored.mean(axis=0)
            lines.append(f"| {key} | {len(scored)} | {mean[0]:.3f} | {mean[1]:.3f} | {mean[2]:.2f} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="dev")
    parser.add_argument("--files", type=int, default=None, help="at most this many files, spread over speakers")
    parser.add_argument("--methods", default=",".join(METHODS), help=f"comma-separated, from {', '.join(METHODS)}")
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--min-seconds", type=float, default=0.5, help="skip shorter files (PESQ needs ~0.5 s)")
    parser.add_argument("--speech", default=DEFAULT_SPEECH)
    parser.add_argument("--tool", default=DEFAULT_TOOL)
    parser.add_argument("--markdown", help="also write the tables to this file")
    args = parser.parse_args()
    names = args.methods.split(",")
    unknown = [n for n in names if n not in METHODS]
    if unknown:
        sys.exit(f"evaluate.py: unknown method(s) {', '.join(unknown)}; known: {', '.join(METHODS)}")
    if not os.access(args.tool, os.X_OK):
        sys.exit(f"evaluate.py: {args.tool} not found: run `swift build -c release --product rephase` first")
    files = manifest_files(args.speech, args.split, args.min_seconds, args.files)
    if not files:
        sys.exit(f"evaluate.py: no {args.split} speech files in {args.speech}")

    by_method, by_speaker = defaultdict(list), defaultdict(lambda: defaultdict(list))
    rtf = defaultdict(list)
    with tempfile.TemporaryDirectory() as workdir, Pool(args.jobs) as pool:
        tasks = [(path, speaker, name, args.tool, workdir) for path, speaker in files for name in names]
        for done, result in enumerate(pool.imap_unordered(evaluate, tasks), 1):
            if result[0] == "skip":
                print(f"\nskipped {result[1]}", file=sys.stderr)
            else:
                _, name, speaker, *score, factor = result
                by_method[name].append(score)
                by_speaker[name][speaker].append(score)
                rtf[name].append(factor)
            print(f"\r{done}/{len(tasks)} inversions", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)

    sections = [table(f"Mean over the {args.split} split ({len(files)} files)", names, by_method, "method")]
    speakers = sorted({s for n in names for s in by_speaker[n]})
    for name in names:
        sections.append(table(f"{name} per speaker", speakers, by_speaker[name], "speaker"))
    sections.append("### CLI real-time factor (median over files, whole invert command's compute)\n\n"
                    "| method | x real time |\n|---|---|\n"
                    + "\n".join(f"| {n} | {np.median(rtf[n]):.0f} |" for n in names if rtf[n]))
    text = "\n\n".join(sections) + "\n"
    print(text)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
