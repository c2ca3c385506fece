#!/usr/bin/env python3
"""What the mel encodings TTS models emit cost the streaming mel path: the dev split's mel
spectrograms written as each encoding (`invert FILE --mel 80 --mel-log ... --mel-power ...`
encodes the file's mel spectrogram as `analyze` would, then the core decodes it frame by
frame), inverted by `cnn` and scored as Tools/eval/mel.py scores the streaming rows. Writes
the "mel-encodings" section of docs/RESULTS.md (common.write_results_section).

    swift build -c release --product rephase && python3 -m Tools.eval.mel_encodings [--files N] [--jobs N]
"""
import argparse
import os
import shlex
import sys
import tempfile
from multiprocessing import Pool

import numpy as np

from Tools.eval.common import DEFAULT_SPEECH, DEFAULT_TOOL, manifest_files, write_results_section
from Tools.eval.mel import evaluate_file

ENCODINGS = [
    ("power 1, no logarithm (the core's own)", []),
    ("power 1, ln", ["--mel-log", "ln"]),
    ("power 1, ln, floor 1e-5 (HiFi-GAN's clamp)", ["--mel-log", "ln", "--mel-floor", "1e-5"]),
    ("power 1, log10", ["--mel-log", "log10"]),
    ("power 2, no logarithm", ["--mel-power", "2"]),
    ("power 2, dB", ["--mel-power", "2", "--mel-log", "db"]),
    ("power 2, ln", ["--mel-power", "2", "--mel-log", "ln"]),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="dev")
    parser.add_argument("--files", type=int, default=None, help="at most this many files, round-robin over speakers")
    parser.add_argument("--bands", type=int, default=80)
    parser.add_argument("--method", default="cnn")
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--min-seconds", type=float, default=0.5, help="skip shorter files (PESQ needs ~0.5 s)")
    parser.add_argument("--speech", default=DEFAULT_SPEECH)
    parser.add_argument("--tool", default=DEFAULT_TOOL)
    parser.add_argument("--out", default="docs")
    args = parser.parse_args()
    if not os.access(args.tool, os.X_OK):
        sys.exit(f"mel_encodings: {args.tool} not found: swift build -c release --product rephase")
    files = [path for path, _ in manifest_files(args.speech, args.split, args.min_seconds, args.files)]
    table = [(name, ["--mel", str(args.bands), "--method", args.method, *flags]) for name, flags in ENCODINGS]
    with tempfile.TemporaryDirectory() as workdir, Pool(args.jobs) as pool:
        per_file = pool.map(evaluate_file, [(path, table, args.bands, args.tool, workdir) for path in files])
    command = shlex.join(["python3", "-m", "Tools.eval.mel_encodings", *sys.argv[1:]])
    lines = [f"## Mel encodings: {args.method} from {args.bands}-band mel spectrograms as TTS models write them", "",
             f"`{command}`: the {args.split} split, {len(files)} files, means over files. Each file's mel "
             "spectrogram is written in the encoding (`analyze`'s: the filterbank applied to magnitudes or their "
             "squares, then the logarithm of values floored at 1e-8 in magnitude units unless a floor is given) "
             "and the core decodes it frame by frame; power-2 values become sqrt(band weight sum x value).", "",
             "| encoding | WB-PESQ | ESTOI | SC dB | mel SC dB |", "|---|---|---|---|---|"]
    for i, (name, _) in enumerate(ENCODINGS):
        rows = np.array([[r[i][4], r[i][3], r[i][2], r[i][1]] for r in per_file])
        pesq, estoi, sc, mel_sc = rows.mean(axis=0)
        lines.append(f"| {name} | {pesq:.3f} | {estoi:.3f} | {sc:.2f} | {mel_sc:.2f} |")
    write_results_section(os.path.join(args.out, "RESULTS.md"), "mel-encodings", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
