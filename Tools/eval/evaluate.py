#!/usr/bin/env python3
"""The evaluation suite: quality of every inversion method, the offline references and the
speed benchmark, written to docs/RESULTS.md and its PNG plots.

Each file of the corpus (default: the dev split of ../shared/speech, speech only; or every
audio file under --corpus FOLDER, speaker = the file's folder) is analysed by the real
`rephase` CLI with the project STFT, its phase discarded and rebuilt by each method of
METHODS in each core format; the offline references (librosa FGLA, the true phase) are
computed here on the same files. Every output is scored once against the original with
WB-PESQ, ESTOI and spectral convergence (docs/ALGORITHMS.md section 12). Files are shared out over
--jobs processes (default: every core), with a progress bar on stderr. `rephase-bench
--markdown` supplies the speed section.

Usage (from the repository root): Tools/eval/run [options], which builds the release tools
first and then runs this script with the same options.
Python packages: Tools/requirements.txt.
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
from dataclasses import dataclass, field
from datetime import datetime, timezone
from multiprocessing import Pool

import numpy as np

from Tools import BUNDLED_CLIP
from Tools.eval.common import (DEFAULT_BENCH, DEFAULT_SPEECH, DEFAULT_TOOL, H, RATE, Scorer, corpus_files, librosa_fgla,
                    manifest_files, oracle_resynthesis, project_magnitudes, read_mono, results_sections, run_rephase,
                    simulate)

FRAME_BUDGET_NS = 1e9 * H / RATE  # one hop of audio: ns per frame = FRAME_BUDGET_NS / RTF


@dataclass
class Method:
    """One row of the tables: a CLI method with its arguments (run once per core format), or
    an offline reference computed here by `reference(x)` in `reference_format` arithmetic."""
    name: str
    cli: str = None
    args: list = field(default_factory=list)
    reference: object = None
    reference_format: str = "f64 (numpy)"
    online: bool = True
    optional: bool = False  # a CLI method that older builds lack: skipped with a note
    core_formats: list = field(default_factory=lambda: ["f32"])  # the `--format`s it runs in

    @property
    def formats(self):
        return self.core_formats if self.cli else [self.reference_format]


# Core arithmetic formats the CLI offers (`--format`).
FORMATS = ["f32", "f16", "q15"]

METHODS = [
    Method("pghi", "pghi"),
    Method("pghi L=1", "pghi", ["--lookahead", "1"]),
    Method("rtpghi", "rtpghi"),
    Method("spsi", "spsi", optional=True, core_formats=["f32", "q15"]),
    Method("rtisi-la L=0", "rtisi-la", ["--lookahead", "0"]),
    Method("rtisi-la L=1", "rtisi-la", ["--lookahead", "1"]),
    Method("rtisi-la L=3", "rtisi-la", ["--lookahead", "3"]),
    Method("cnn", "cnn", optional=True, core_formats=["f32", "f16", "q15"]),
    Method("cnn-strided", "cnn-strided", optional=True, core_formats=["f32", "f16", "q15"]),
    Method("cnn-la L=1 I=1", "cnn-la", ["--lookahead", "1", "--iterations", "1"], optional=True),
    Method("cnn-la L=3 I=2", "cnn-la", ["--lookahead", "3", "--iterations", "2"], optional=True),
    Method("mcnn", "mcnn", optional=True, core_formats=["f32", "f16", "q15"]),
    Method("fgla-32", "fgla", ["--iterations", "32"], online=False),
    Method("fgla-100", "fgla", ["--iterations", "100"], online=False),
    Method("librosa fgla-32", reference=lambda x: librosa_fgla(x, 32), reference_format="f32 (librosa)",
           online=False),
    Method("librosa fgla-100", reference=lambda x: librosa_fgla(x, 100), reference_format="f32 (librosa)",
           online=False),
    Method("oracle (true phase)", reference=oracle_resynthesis, online=False),
]

# The utterance of the spectrogram figure and the methods shown next to its original.
SPECTROGRAM_METHODS = ["cnn", "pghi", "rtisi-la L=3", "fgla-32"]

DEFAULT_ANCHORS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "ANCHORS.md")


def cli_methods(tool):
    """The method names `rephase invert --help` lists for --method."""
    text = subprocess.run([tool, "invert", "--help"], capture_output=True, text=True, check=True).stdout
    listing = re.search(r"Inversion method: ([^(]*)", re.sub(r"\s+", " ", text))
    return set(name.strip() for name in listing.group(1).split(",")) if listing else set()


def invert(method, fmt, path, x, tool, workdir):
    """(output at 16 kHz, realtime factor, latency in samples or None when offline)."""
    if method.reference:
        start = time.perf_counter()
        y = method.reference(x)
        return y, len(x) / RATE / (time.perf_counter() - start), None
    out = os.path.join(workdir, f"{os.getpid()}.wav")
    y, report = run_rephase(tool, path, out, method.cli, [*method.args, "--format", fmt])
    return y, report["realtime_factor"], report["latency_samples"] if method.online else None


def evaluate_file(task):
    """Every method and format on one file: (speaker, rows, warnings), a row being
    (method name, format, WB-PESQ, ESTOI, SC, realtime factor, latency in samples or None)."""
    path, speaker, names, tool, workdir = task
    methods = [m for m in METHODS if m.name in names]
    rows, warnings = [], []
    try:
        scorer = Scorer(read_mono(path))
    except Exception as error:  # noqa: BLE001 - reported, the run goes on
        return speaker, rows, [f"{path}: {error}"]
    for method in methods:
        for fmt in method.formats:
            try:
                y, rtf, latency = invert(method, fmt, path, scorer.reference, tool, workdir)
                rows.append((method.name, fmt, *scorer.scores(y), rtf, latency))
            except Exception as error:  # noqa: BLE001 - one bad file must not end a long run
                warnings.append(f"{path} with {method.name} ({fmt}): {error}")
    return speaker, rows, warnings


def progress(done, total, start):
    elapsed = time.time() - start
    eta = elapsed / done * (total - done)
    bar = "#" * (30 * done // total)
    print(f"\r[{bar:30}] {done}/{total} files, {elapsed / 60:.1f} min, ~{eta / 60:.1f} min left",
          end="", file=sys.stderr, flush=True)


def choose_files(args):
    """(path, speaker) list of the corpus and how many unreadable files were skipped; exits
    with one line when there is nothing to score."""
    if args.corpus:
        if not os.path.isdir(args.corpus):
            sys.exit(f"evaluate: --corpus {args.corpus}: no such folder")
        files, unreadable, audio = corpus_files(args.corpus, args.min_seconds)
        if not audio:
            sys.exit(f"evaluate: no audio files (.wav, .flac, .ogg, ...) under {args.corpus}")
        for path in unreadable:
            print(f"warning: skipping unreadable audio file {path}", file=sys.stderr)
        if unreadable:
            print(f"warning: {len(unreadable)} unreadable file(s) skipped", file=sys.stderr)
        if not files:
            sys.exit(f"evaluate: no readable audio file of at least {args.min_seconds} s in {args.corpus}")
        return (files[:args.files] if args.files else files), len(unreadable)
    files = manifest_files(args.speech, args.split, args.min_seconds, args.files)
    if not files:
        sys.exit(f"evaluate: no {args.split} speech files in {args.speech}")
    return files, 0


def mean_table(header, keys, values, digits):
    """A Markdown table: one row per (method, format) key, then `values(key)`, numbers
    formatted with the matching `digits`, strings as they are."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for key in keys:
        cells = [v if isinstance(v, str) else f"{v:.{d}f}" for v, d in zip(values(key), digits)]
        lines.append("| " + " | ".join([*key, *cells]) + " |")
    return "\n".join(lines)


def anchors_table(path):
    """The quality table of the anchors file (docs/ANCHORS.md has that section), verbatim:
    it is measured on other material."""
    try:
        text = open(path).read()
    except OSError:
        return f"(not found: {path})"
    # The heading at the start of a line: the file's introduction names the section too.
    section = text.split("\n## Quality of online inversion")[1].split("\n## ")[0]
    return "\n".join(line for line in section.splitlines() if line.startswith("|"))


def plot_quality_vs_compute(path, summary, methods):
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(8, 5))
    for (name, fmt), row in summary.items():
        method = methods[name]
        if method.reference is oracle_resynthesis:
            ax.axhline(row["pesq"], color="gray", linestyle="--", label="oracle (true phase)")
            continue
        ax.scatter(row["ns"], row["pesq"], marker="o" if method.online else "s",
                   color="tab:blue" if method.online else "tab:orange")
        # Python references labelled below their points, so that they do not cover ours.
        ax.annotate(name if fmt in ("f32", method.reference_format) else f"{name} {fmt}", (row["ns"], row["pesq"]),
                    textcoords="offset points", xytext=(5, -11 if method.reference else 4), fontsize=8)
    ax.scatter([], [], marker="o", color="tab:blue", label="online (frame by frame)")
    ax.scatter([], [], marker="s", color="tab:orange", label="offline (whole utterance)")
    ax.set_xscale("log")
    ax.set_xlabel("host compute per 8 ms frame, ns (8e6 / real-time factor; median over files)")
    ax.set_ylabel("mean WB-PESQ")
    ax.set_title("Quality vs compute per frame")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_speaker_bars(path, keys, speakers, by_speaker):
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(13, 6))
    width = 0.8 / len(keys)
    colors = plt.get_cmap("tab20").colors
    for i, key in enumerate(keys):
        values = [np.mean(by_speaker[key][s], axis=0)[0] if by_speaker[key][s] else np.nan for s in speakers]
        ax.bar(np.arange(len(speakers)) + i * width - 0.4 + width / 2, values, width, label=" ".join(key),
               color=colors[i % len(colors)])
    ax.set_xticks(np.arange(len(speakers)), speakers, rotation=30, ha="right", fontsize=8)
    ax.set_ylabel("mean WB-PESQ")
    ax.set_ylim(1, 4.7)
    ax.set_title("WB-PESQ per speaker and method", pad=60)
    ax.legend(fontsize=7, ncol=5, loc="lower center", bbox_to_anchor=(0.5, 1.0))
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_spectrograms(path, file, tool, methods_by_name):
    import matplotlib.pyplot as plt
    x = read_mono(file)
    panels = [("original", x)]
    with tempfile.TemporaryDirectory() as workdir:
        for name in SPECTROGRAM_METHODS:
            method = methods_by_name[name]
            panels.append((name, run_rephase(tool, file, os.path.join(workdir, "out.wav"), method.cli,
                                             [*method.args, "--format", FORMATS[0]])[0]))
    fig, axes = plt.subplots(len(panels), 1, figsize=(9, 2.2 * len(panels)), sharex=True)
    for ax, (name, y) in zip(axes, panels):
        decibels = 20 * np.log10(project_magnitudes(y).T + 1e-6)
        ax.imshow(decibels, origin="lower", aspect="auto", cmap="magma", vmin=decibels.max() - 80,
                  extent=[0, decibels.shape[1] * H / RATE, 0, RATE / 2000])
        ax.set_ylabel("kHz")
        ax.set_title(name, fontsize=9)
    axes[-1].set_xlabel("seconds")
    fig.suptitle(f"log-magnitude STFT (dB, 80 dB range): {os.path.basename(file)}", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=80)  # a smaller file: four full-width images
    plt.close(fig)


@dataclass
class Scores:
    """What the quality run gathered, keyed by (method name, format)."""
    scores: dict  # (WB-PESQ, ESTOI, SC) per file
    by_speaker: dict  # speaker -> (WB-PESQ, ESTOI, SC) per file of that speaker
    rtf: dict  # real-time factor per file
    latency: dict  # (method name, format) -> algorithmic latency in samples, None when offline
                   # (a format can change it: the Q15 strided estimator waits one hop more)
    warnings: list
    minutes: float

    def keys(self, methods):
        return [(m.name, fmt) for m in methods for fmt in m.formats if self.scores[m.name, fmt]]

    def summary(self, key):
        """Means over files, the median real-time factor and its ns per frame."""
        pesq_score, estoi, sc = np.mean(self.scores[key], axis=0)
        rtf = np.median(self.rtf[key])
        return dict(pesq=pesq_score, estoi=estoi, sc=sc, rtf=rtf, ns=FRAME_BUDGET_NS / rtf, files=len(self.scores[key]))


def score_corpus(files, methods, tool, jobs):
    """Runs evaluate_file over `files` in `jobs` processes, with a progress bar."""
    result = Scores(defaultdict(list), defaultdict(lambda: defaultdict(list)), defaultdict(list), {}, [], 0)
    start = time.time()
    with tempfile.TemporaryDirectory() as workdir, Pool(jobs) as pool:
        names = [m.name for m in methods]  # the workers look them up in METHODS (lambdas do not pickle)
        tasks = [(path, speaker, names, tool, workdir) for path, speaker in files]
        for done, (speaker, rows, warnings) in enumerate(pool.imap_unordered(evaluate_file, tasks), 1):
            for name, fmt, pesq_score, estoi, sc, rtf, latency in rows:
                result.scores[name, fmt].append((pesq_score, estoi, sc))
                result.by_speaker[name, fmt][speaker].append((pesq_score, estoi, sc))
                result.rtf[name, fmt].append(rtf)
                result.latency[(name, fmt)] = latency
            for line in warnings:
                print(f"\nwarning: {line}", file=sys.stderr)
            result.warnings += warnings
            progress(done, len(tasks), start)
    print(file=sys.stderr)
    result.minutes = (time.time() - start) / 60
    return result


def available_methods(tool):
    """METHODS less the optional ones this build of the CLI lacks, and those left out."""
    known = cli_methods(tool)
    missing = [m for m in METHODS if m.cli and m.cli not in known]
    for method in missing:
        if not method.optional:
            sys.exit(f"evaluate: {tool} has no method '{method.name}' (is it an old build?)")
        print(f"note: this rephase build has no method '{method.name}': its row is left out", file=sys.stderr)
    return [m for m in METHODS if m not in missing], [m.name for m in missing]


def results_markdown(args, command, started, files, unreadable, missing, result, summary, bench, simulator):
    """The text of RESULTS.md; `summary` maps each (method, format) row to result.summary."""
    keys = list(summary)
    speakers = sorted({s for key in keys for s in result.by_speaker[key]})
    corpus = (f"every audio file under `{args.corpus}`" if args.corpus
              else f"the {args.split} split of `{os.path.relpath(args.speech)}` (speech only)")
    subset = (f" **Subset:** `--files {args.files}` (round-robin over speakers), not the whole split."
              if args.files else "")

    def latency_cell(key):
        latency = result.latency[key]
        return "offline" if latency is None else f"{latency / (RATE / 1000):.0f}"

    def per_speaker(metric, digits):
        by_speaker = result.by_speaker
        return mean_table(["method", "format", *speakers], keys, lambda key: [
            np.mean(by_speaker[key][s], axis=0)[metric] if by_speaker[key][s] else "" for s in speakers],
            [digits] * len(speakers))

    cli_keys = [key for key in keys if key[1] in FORMATS]
    minutes, warnings = result.minutes, result.warnings
    return f"""# Results

Generated by `{command}` on {started:%Y-%m-%d %H:%M} UTC; every number below comes out of
that command (Tools/eval/run builds the release tools, then runs Tools/eval/evaluate.py).

Corpus: {corpus}; {len(files)} files of at least {args.min_seconds} s{f" ({unreadable} unreadable files skipped)" if unreadable else ""}.{subset}
Quality run: {minutes:.1f} min with {args.jobs} worker process(es) on a {os.cpu_count()}-core machine
shared with other work (wall times, inflated by whatever else ran; {minutes * 60 / len(files):.2f} s per file
for {len(keys)} method rows).{" Left out (not in this rephase build): " + ", ".join(missing) + "." if missing else ""}
{f"Scoring problems ({len(warnings)}): " + "; ".join(warnings[:5]) if warnings else "Every file was scored with every method."}

## Quality per method

Means over files of WB-PESQ (P.862.2), ESTOI and spectral convergence (SC, dB, project
STFT; lower is better) against the original. Latency: algorithmic, in ms
(`latency_samples / 16` from `rephase invert --json`); offline methods need the whole
utterance. RTF: median real-time factor of the inversion compute (the CLI's
`realtime_factor`; for the Python references, timed here), measured while {args.jobs} files
ran in parallel on a shared machine. ns/frame = 8e6 / RTF. The oracle keeps the true phase
(STFT analysis and synthesis): the ceiling.

{mean_table(["method", "format", "files", "WB-PESQ", "ESTOI", "SC (dB)", "latency (ms)", "RTF", "ns/frame"], keys,
            lambda key: [str(summary[key]["files"]), summary[key]["pesq"], summary[key]["estoi"], summary[key]["sc"],
                         latency_cell(key), f"{summary[key]['rtf']:.0f}x", f"{summary[key]['ns']:.0f}"],
            [0, 3, 3, 2, 0, 0, 0])}

![quality vs compute](quality_vs_compute.png)

## Per speaker

WB-PESQ:

{per_speaker(0, 2)}

ESTOI:

{per_speaker(1, 3)}

![WB-PESQ per speaker](pesq_per_speaker.png)

## Per format

WB-PESQ of the CLI methods in each core format (`rephase invert --format`); this build offers
{", ".join(FORMATS)}.

{mean_table(["method", "format", "WB-PESQ", "ESTOI"], cli_keys,
            lambda key: [summary[key]["pesq"], summary[key]["estoi"]], [3, 3])}

## Spectrograms of one utterance

![spectrograms](spectrograms.png)

`{os.path.relpath(files[0][0])}`: original and the outputs of {", ".join(SPECTROGRAM_METHODS)}.

## Anchors, for context only

From `docs/ANCHORS.md`: **different material** (ten 20-second LibriSpeech
test-clean excerpts, not our corpus), so not directly comparable with the tables above.

{anchors_table(args.anchors)}

## Speed

`rephase-bench --markdown`, run alone before the quality run on the same shared machine
(host ns per frame and real-time factor per streaming method, Float32 core; the phase
solve against a dense solve; the core FFTs against FFTW):

{bench.strip()}

{simulator}
"""


# The online configurations the simulator prices for RESULTS.md, and the targets.
SIMULATED = [("cnn", "f32"), ("cnn", "q15"), ("cnn-strided", "f32"), ("cnn-strided", "q15"), ("pghi", "f32"),
             ("pghi", "q15"), ("rtpghi", "f32"), ("rtisi-la", "f32"), ("cnn-la", "f32"), ("mcnn", "f32"), ("mcnn", "q15"),
             ("spsi", "f32"), ("spsi", "q15")]
SIMULATED_TARGETS = ["cortex-m4f", "cortex-m7"]


def simulator_table(tool, clip, configurations=SIMULATED, options=()):
    """The simulator's cycles per frame (mean, worst frame), budget shares and memory of every
    (method, format[, setting options...]) of `configurations` on each target, for `clip` (with
    the CLI `options`, e.g. --mel 80), as a markdown section body."""
    rows = []
    extra = "".join(f" {option}" for option in options)
    for method, fmt, *settings in configurations:
        name = " ".join([method, *settings])
        for target in SIMULATED_TARGETS:
            d = simulate(tool, clip, method, fmt, target, [*options, *settings])
            c, b, m = d["cycles_per_frame"], d["budget_percent"], d["memory"]
            rows.append(f"| {name} | {fmt} | {target} | {round(c['mean']):,} | {round(c['max']):,} | {b['mean']:.1f} % "
                        f"| {b['max']:.1f} % | {m['ram_bytes']:,} B | {m['flash_bytes']:,} B |")
    return "\n".join([
        f"Simulated cycles per frame (`rephase sim {os.path.relpath(clip)}{extra} --method M --format F --target T --json`, "
        "default settings unless the row names them; 100 % of the budget = one 8 ms hop at the profile's clock; RAM is the inverter's state, "
        "flash its constant tables):",
        "",
        "| method | format | target | mean cycles | max cycles | budget mean | budget max | RAM | flash tables |",
        "|---|---|---|---|---|---|---|---|---|",
        *rows,
    ])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="dev", help="split of --speech's MANIFEST.csv (default dev)")
    parser.add_argument("--corpus", help="evaluate every audio file under this folder instead (any layout)")
    parser.add_argument("--files", type=int, default=None, help="at most this many files, round-robin over speakers")
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--min-seconds", type=float, default=0.5, help="skip shorter files (PESQ needs ~0.5 s)")
    parser.add_argument("--out", default="docs", help="folder for RESULTS.md and the plots (default docs)")
    parser.add_argument("--speech", default=DEFAULT_SPEECH)
    parser.add_argument("--tool", default=DEFAULT_TOOL)
    parser.add_argument("--bench", default=DEFAULT_BENCH)
    parser.add_argument("--anchors", default=DEFAULT_ANCHORS)
    args = parser.parse_args()
    for binary in (args.tool, args.bench):
        if not os.access(binary, os.X_OK):
            sys.exit(f"evaluate: {binary} not found: run Tools/eval/run (it builds the release tools)")
    command = shlex.join(["Tools/eval/run", *sys.argv[1:]])
    started = datetime.now(timezone.utc)

    files, unreadable = choose_files(args)
    methods, missing = available_methods(args.tool)
    os.makedirs(args.out, exist_ok=True)
    print("running rephase-bench --markdown (alone, before the quality run)", file=sys.stderr)
    bench = subprocess.run([args.bench, "--markdown"], capture_output=True, text=True, check=True).stdout
    simulator = simulator_table(args.tool, BUNDLED_CLIP)
    result = score_corpus(files, methods, args.tool, args.jobs)

    keys = result.keys(methods)
    summary = {key: result.summary(key) for key in keys}
    methods_by_name = {m.name: m for m in methods}
    plot_quality_vs_compute(os.path.join(args.out, "quality_vs_compute.png"), summary, methods_by_name)
    plot_speaker_bars(os.path.join(args.out, "pesq_per_speaker.png"), keys,
                      sorted({s for key in keys for s in result.by_speaker[key]}), result.by_speaker)
    plot_spectrograms(os.path.join(args.out, "spectrograms.png"), files[0][0], args.tool, methods_by_name)
    path = os.path.join(args.out, "RESULTS.md")
    kept = results_sections(path)  # sections other scripts wrote (common.write_results_section)
    with open(path, "w") as f:
        f.write(results_markdown(args, command, started, files, unreadable, missing, result, summary, bench, simulator))
        for section in kept:
            f.write("\n" + section)
    print(f"wrote {os.path.join(args.out, 'RESULTS.md')} and 3 plots in {result.minutes:.1f} min", file=sys.stderr)


if __name__ == "__main__":
    main()
