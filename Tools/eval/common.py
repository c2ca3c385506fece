"""Shared pieces of the evaluation scripts: the project's STFT framing, the metrics of
docs/ALGORITHMS.md section 12, corpus selection, the offline references (librosa FGLA, the true
phase) and running the real `rephase` CLI."""
import csv
import json
import os
import re
import subprocess
from collections import defaultdict
from math import gcd

import librosa
import numpy as np
import soundfile
from pesq import pesq
from pystoi import stoi
from scipy.signal import resample_poly

N, H, RATE = 512, 128, 16000
from Tools import ROOT
DEFAULT_SPEECH = os.path.join(ROOT, "..", "shared", "speech")
DEFAULT_TOOL = os.path.join(ROOT, ".build", "release", "rephase")
DEFAULT_BENCH = os.path.join(ROOT, ".build", "release", "rephase-bench")
WINDOW = np.hanning(N + 1)[:N]  # periodic Hann
LEAD = N - H  # zeros before the signal: frame j starts at sample (j - (N/H - 1)) H


def project_stft(x):
    """Complex STFT in the project's framing (Sources/RephaseOffline/Spectrogram.swift): pad
    the end to whole hops, frame j starts at sample (j - (N/H - 1)) H, frame-start phase.
    Shape (frames, N/2 + 1)."""
    padded_length = -(-len(x) // H) * H
    padded = np.concatenate([np.zeros(LEAD), x, np.zeros(padded_length - len(x) + LEAD)])
    frames = padded_length // H + N // H - 1
    stack = np.stack([padded[j * H:j * H + N] for j in range(frames)])
    return np.fft.rfft(stack * WINDOW, axis=1)


def project_magnitudes(x):
    return np.abs(project_stft(x))


def oracle_resynthesis(x):
    """The true-phase ceiling: the project STFT of `x` and back, so only the framing itself
    can cost quality."""
    return project_istft(project_stft(x), len(x))


def project_istft(spectrum, length):
    """The inverse of `project_stft` (Spectrogram.swift's `inverse`): weighted overlap-add
    divided by the summed squared window; the first `length` samples of the signal."""
    frames = np.fft.irfft(spectrum, n=N, axis=1) * WINDOW
    total = np.zeros(len(frames) * H + N - H)
    weight = np.zeros_like(total)
    for j, frame in enumerate(frames):
        total[j * H:j * H + N] += frame
        weight[j * H:j * H + N] += WINDOW ** 2
    return (total / np.maximum(weight, 1e-8))[LEAD:LEAD + length]


def librosa_fgla(x, iterations):
    """librosa's Fast Griffin-Lim on its own centred framing (frames at (t - 2) H, on our grid
    of frames at (j - 3) H; both frame-start phase), momentum 0.99, zero initial phase, in
    float32, as fgla_vs_librosa.py documents."""
    x = x.astype(np.float32)
    magnitudes = np.abs(librosa.stft(x, n_fft=N, hop_length=H, win_length=N, window="hann", center=True))
    y = librosa.griffinlim(magnitudes, n_iter=iterations, hop_length=H, win_length=N, n_fft=N,
                           window="hann", center=True, length=len(x), momentum=0.99, init=None)
    return y.astype(np.float64)


class Scorer:
    """The metrics of docs/ALGORITHMS.md section 12 against one reference signal, whose own
    STFT magnitudes are computed once for all the estimates scored against it."""

    def __init__(self, reference):
        self.reference = reference
        self.magnitudes = project_magnitudes(reference)

    def spectral_convergence(self, estimate):
        """20 log10(|| |S| - |S_hat| ||_F / || |S| ||_F) in dB, in the project's STFT."""
        difference = np.linalg.norm(self.magnitudes - project_magnitudes(estimate))
        return 20 * np.log10(difference / np.linalg.norm(self.magnitudes))

    def scores(self, estimate):
        """(WB-PESQ, ESTOI, spectral convergence in dB) of `estimate`."""
        return (pesq(RATE, self.reference, estimate, "wb"), stoi(self.reference, estimate, RATE, extended=True),
                self.spectral_convergence(estimate))


def read_mono(path):
    """The file's samples as float64 mono at 16 kHz (channels averaged, other rates resampled)."""
    x, rate = soundfile.read(path, dtype="float64")
    if x.ndim > 1:
        x = x.mean(axis=1)
    if rate != RATE:
        divisor = gcd(rate, RATE)
        x = resample_poly(x, RATE // divisor, rate // divisor)
    return x


def corpus_files(folder, min_seconds=0.0):
    """(path, speaker) of every audio file under `folder`, any layout, speaker = the name of
    the file's folder; files shorter than `min_seconds` are left out. Also returns the paths
    with an audio extension that libsndfile cannot read, and how many audio files there were."""
    extensions = {"." + name.lower() for name in soundfile.available_formats()} | {".aif", ".oga", ".opus"}
    found, unreadable, audio = [], [], 0
    for directory, _, names in sorted(os.walk(folder)):
        for name in sorted(names):
            path = os.path.join(directory, name)
            if os.path.splitext(name)[1].lower() not in extensions:
                continue
            audio += 1
            try:
                info = soundfile.info(path)
            except RuntimeError:  # libsndfile's errors
                unreadable.append(path)
                continue
            if info.duration >= min_seconds:
                found.append((path, os.path.basename(directory)))
    return found, unreadable, audio


def manifest_files(speech_dir, split, min_seconds=0.0, count=None):
    """(path, speaker) of the split's speech files; with `count`, taken round-robin over the
    speakers in name order so a small count still spans every speaker."""
    by_speaker = defaultdict(list)
    with open(os.path.join(speech_dir, "MANIFEST.csv"), newline="") as f:
        for row in csv.DictReader(f):
            if row["split"] == split and row["kind"] == "speech" and float(row["seconds"]) >= min_seconds:
                by_speaker[row["speaker"]].append(row["path"])
    queues = [[(os.path.join(speech_dir, p), speaker) for p in sorted(paths)]
              for speaker, paths in sorted(by_speaker.items())]
    chosen = []
    while any(queues) and (count is None or len(chosen) < count):
        for queue in queues:
            if queue and (count is None or len(chosen) < count):
                chosen.append(queue.pop(0))
    return chosen


def run_rephase(tool, path, out, method, extra=()):
    """Inverts `path` into `out` with the real CLI; returns (signal at 16 kHz, the --json
    report). A failure raises RuntimeError with the CLI's own error line."""
    result = subprocess.run([tool, "invert", path, "-o", out, "--method", method, "--subtype", "float", "--json",
                             *extra], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(result.stderr.strip().splitlines()[-1] if result.stderr.strip() else f"exit {result.returncode}")
    return read_mono(out), json.loads(result.stdout)


def simulate(tool, clip, method, fmt, target, options=()):
    """The simulator's report on `clip` (`rephase sim --json`, parsed), with the CLI `options`
    (e.g. --mel 80, --lookahead 3)."""
    result = subprocess.run([tool, "sim", clip, *options, "--method", method, "--format", fmt, "--target", target, "--json"],
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


# docs/RESULTS.md is written by several scripts: evaluate.py writes the main tables and keeps,
# at the end, every section another script wrote between these markers; each such script
# replaces only its own section (write_results_section).
SECTION_OPENING = r"<!-- section:(?P<name>[\w-]+) -->"
SECTION_PATTERN = SECTION_OPENING + r"\n.*?<!-- /section:(?P=name) -->\n"


def results_sections(path):
    """The marked sections of an existing RESULTS.md, in order (empty when there is none).
    Stops on a section whose closing marker is missing, which would otherwise be dropped."""
    if not os.path.exists(path):
        return []
    with open(path) as f:
        text = f.read()
    sections = [m.group(0) for m in re.finditer(SECTION_PATTERN, text, flags=re.S)]
    opened = re.findall(SECTION_OPENING, text)
    if len(opened) != len(sections):
        kept = {re.match(SECTION_OPENING, s).group("name") for s in sections}
        raise SystemExit(f"{path}: section(s) {', '.join(n for n in opened if n not in kept)} lack a closing marker")
    return sections


def write_results_section(path, name, body):
    """Puts `body` (Markdown) into RESULTS.md as section `name`, replacing that section if it
    exists and appending it otherwise; the rest of the file is left as it was."""
    text = open(path).read() if os.path.exists(path) else ""
    section = f"<!-- section:{name} -->\n{body.rstrip()}\n<!-- /section:{name} -->\n"
    pattern = SECTION_PATTERN.replace(r"(?P<name>[\w-]+)", re.escape(name)).replace("(?P=name)", re.escape(name))
    if re.search(pattern, text, flags=re.S):
        text = re.sub(pattern, lambda _: section, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    with open(path, "w") as f:
        f.write(text)
