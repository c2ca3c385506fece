#!/usr/bin/env python3
"""RTISI-LA, RTPGHI, SPSI and PGHI side by side with phaseret's, the C library users would pick
instead (ltfat/phaseret), on the same magnitudes of the dev split.

phaseret is not a dependency and is not fetched: give the `libltfat` folder of a phaseret
checkout, built as

    make NOBLASLAPACK=1 MODULE=libltfat static && make NOBLASLAPACK=1 MODULE=libphaseret static

(FFTW from libfftw3-dev). This script compiles Tools/eval/phaseret_driver.c against it, runs
phaseret's offline functions (single and double precision) on each file's project STFT
magnitudes with the project's window, hop and look-ahead, and resynthesises the phases they
return (frame-centred, turned into the project's frame-start convention) with the magnitudes
through the project ISTFT. Beside each, the `rephase invert` method it compares with: RTISI-LA
(L = 3, 5 iterations) with rephase's default momentum and with `--momentum 0` (the published
algorithm); RTPGHI causal and with one frame of look-ahead; SPSI; and phaseret's offline PGHI,
which integrates the whole spectrogram at once, beside rephase's online `pghi` (least-squares
integration frame by frame). Writes the "phaseret" section of docs/RESULTS.md. phaseret's
RTISI-LA plans its FFTs with FFTW_MEASURE, so its rows move slightly from run to run (on 4
files by up to 0.09 WB-PESQ; on all 376 by 0.002); the other rows repeat exactly.

Usage (from the repository root, after `swift build -c release --product rephase`):
    python3 -m Tools.eval.phaseret --phaseret PATH/phaseret/libltfat [--files N] [--jobs 2]
"""
import argparse
import os
import shlex
import subprocess
import sys
import tempfile
import time
from multiprocessing import Pool

import numpy as np

from Tools.eval.common import (DEFAULT_SPEECH, DEFAULT_TOOL, N, ROOT, Scorer, manifest_files, project_istft,
                               project_stft, read_mono, run_rephase, write_results_section)

K = N // 2 + 1
LOOKAHEAD, ITERATIONS = 3, 5  # RTISI-LA's


def phaseret_rows(name, method, lookahead=0):
    """phaseret's `method` (phaseret_driver.c's name) in single and double precision."""
    return [(f"phaseret {name}, {width}", ("phaseret", method, wide, lookahead)) for wide, width in ((0, "float"), (1, "double"))]


# The table's rows in order: (name, ("phaseret", driver method, double?, look-ahead) or
# ("rephase", CLI method, CLI options)).
ROWS = (phaseret_rows("RTISI-LA", "rtisila", LOOKAHEAD)
        + [("rephase rtisi-la --momentum 0", ("rephase", "rtisi-la", ["--momentum", "0"])),
           ("rephase rtisi-la (default momentum)", ("rephase", "rtisi-la", []))]
        + phaseret_rows("RTPGHI, causal", "rtpghi")
        + [("rephase rtpghi", ("rephase", "rtpghi", []))]
        + phaseret_rows("RTPGHI, 1 frame of look-ahead", "rtpghi", 1)
        + [("rephase rtpghi --lookahead 1", ("rephase", "rtpghi", ["--lookahead", "1"]))]
        + phaseret_rows("SPSI", "spsi")
        + [("rephase spsi", ("rephase", "spsi", []))]
        + phaseret_rows("PGHI (offline)", "pghi")
        + [("rephase pghi (online)", ("rephase", "pghi", [])),
           ("rephase pghi --lookahead 1 (online)", ("rephase", "pghi", ["--lookahead", "1"]))])


def build_driver(libltfat, workdir):
    driver = os.path.join(workdir, "phaseret_driver")
    build = os.path.join(libltfat, "build")
    subprocess.run(["cc", "-O2", os.path.join(ROOT, "Tools", "eval", "phaseret_driver.c"), "-o", driver,
                    os.path.join(build, "libphaseret.a"), os.path.join(build, "libltfat.a"), "-lfftw3", "-lfftw3f",
                    "-lm"], check=True)
    return driver


def phaseret_spectrum(driver, magnitudes, stem, method, wide, lookahead):
    """The magnitudes with the phases of phaseret's `method`, frame-start convention; the
    magnitudes are already in `stem`.f32 (float32), written once for every method."""
    frames = len(magnitudes)
    subprocess.run([driver, stem + ".f32", stem + ".c64", str(frames), str(wide), method, str(lookahead), str(ITERATIONS)],
                   check=True)
    coefficients = np.fromfile(stem + ".c64", dtype=np.complex64).reshape(frames, K)
    # A frame-centred phase is the frame-start one advanced by N/2 samples: (-1)^k.
    return magnitudes * np.exp(1j * np.angle(coefficients)) * (-1.0) ** np.arange(K)


def score_file(task):
    path, driver, tool, workdir = task
    x = read_mono(path)
    scorer = Scorer(x)
    magnitudes = np.abs(project_stft(x))
    stem = os.path.join(workdir, str(os.getpid()))
    magnitudes.astype(np.float32).tofile(stem + ".f32")
    out = stem + ".wav"
    rows = []
    for _, (source, method, *arguments) in ROWS:
        if source == "phaseret":
            wide, lookahead = arguments
            y = project_istft(phaseret_spectrum(driver, magnitudes, stem, method, wide, lookahead), len(x))
        else:
            y = run_rephase(tool, path, out, method, arguments[0])[0]
        rows.append(scorer.scores(y))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--phaseret", required=True, help="the libltfat folder of a built phaseret checkout")
    parser.add_argument("--files", type=int, default=None, help="at most this many dev files (default all)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--speech", default=DEFAULT_SPEECH)
    parser.add_argument("--tool", default=DEFAULT_TOOL)
    parser.add_argument("--results", default=os.path.join(ROOT, "docs", "RESULTS.md"))
    args = parser.parse_args()
    for library in ("libphaseret.a", "libltfat.a"):
        if not os.path.exists(os.path.join(args.phaseret, "build", library)):
            sys.exit(f"phaseret: {args.phaseret}/build/{library} not found: build phaseret as this script's help says")
    if not os.access(args.tool, os.X_OK):
        sys.exit(f"phaseret: {args.tool} not found: run `swift build -c release --product rephase`")
    start = time.time()
    files = manifest_files(args.speech, "dev", 0.5, args.files)
    with tempfile.TemporaryDirectory() as workdir, Pool(args.jobs) as pool:
        driver = build_driver(args.phaseret, workdir)
        scores = np.array(pool.map(score_file, [(path, driver, args.tool, workdir) for path, _ in files]))
    means = scores.mean(axis=0)
    command = shlex.join(["python3", "-m", "Tools.eval.phaseret", *sys.argv[1:]])
    lines = [
        "## RTISI-LA, RTPGHI, SPSI and PGHI against phaseret's",
        "",
        f"`{command}` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"{(time.time() - start) / 60:.1f} min: {len(files)} dev files (speech, at least 0.5 s). Every method "
        "inverts the same project STFT magnitudes (N = 512, H = 128, periodic Hann); RTISI-LA with "
        f"L = {LOOKAHEAD} frames of look-ahead and {ITERATIONS} iterations, RTPGHI and PGHI with the Hann "
        "window's gamma and RTPGHI with rephase's relative tolerance 1e-6, SPSI from zero phases. phaseret's "
        "phases are resynthesised with the magnitudes through the project ISTFT (Tools/eval/phaseret.py says "
        "how phaseret was built); its PGHI integrates the whole spectrogram at once, rephase's `pghi` frame by "
        "frame.",
        "",
        "| method | WB-PESQ | ESTOI | SC dB |",
        "|---|---|---|---|",
    ]
    lines += [f"| {name} | {pesq:.3f} | {estoi:.4f} | {sc:.2f} |" for (name, _), (pesq, estoi, sc) in zip(ROWS, means)]
    body = "\n".join(lines)
    print(body)
    write_results_section(args.results, "phaseret", body)


if __name__ == "__main__":
    main()
