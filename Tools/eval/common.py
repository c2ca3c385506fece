"""Shared pieces of the evaluation scripts: the project's STFT framing, the metrics of
ALGORITHMS.md section 5, corpus selection, and running the real `rephase` CLI."""
import csv
import json
import os
import subprocess
from collections import defaultdict

import numpy as np
import soundfile
from pesq import pesq
from pystoi import stoi

N, H, RATE = 512, 128, 16000
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_SPEECH = os.path.join(ROOT, "..", "shared", "speech")
DEFAULT_TOOL = os.path.join(ROOT, ".build", "release", "rephase")


def project_magnitudes(x):
    """|STFT| in the project's framing (Sources/RephaseOffline/Spectrogram.swift): pad the end
    to whole hops, frame j starts at sample (j - (N/H - 1)) H, frame-start phase."""
    lead = N - H
    padded_length = -(-len(x) // H) * H
    padded = np.concatenate([np.zeros(lead), x, np.zeros(padded_length - len(x) + lead)])
    frames = padded_length // H + N // H - 1
    window = np.hanning(N + 1)[:N]  # periodic Hann
    stack = np.stack([padded[j * H:j * H + N] for j in range(frames)])
    return np.abs(np.fft.rfft(stack * window, axis=1))


def spectral_convergence(reference, estimate):
    a, b = project_magnitudes(reference), project_magnitudes(estimate)
    return 20 * np.log10(np.linalg.norm(a - b) / np.linalg.norm(a))


def scores(reference, estimate):
    """(WB-PESQ, ESTOI, spectral convergence in dB) of `estimate` against `reference`."""
    return (pesq(RATE, reference, estimate, "wb"), stoi(reference, estimate, RATE, extended=True),
            spectral_convergence(reference, estimate))


def read_mono(path):
    x, rate = soundfile.read(path, dtype="float64")
    if x.ndim > 1:
        x = x.mean(axis=1)
    return x, rate


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
    """Inverts `path` into `out` with the real CLI; returns (signal, the --json report)."""
    result = subprocess.run([tool, "invert", path, "-o", out, "--method", method, "--subtype", "float", "--json",
                             *extra], check=True, capture_output=True, text=True)
    y, rate = soundfile.read(out, dtype="float64")
    assert rate == RATE, f"{out}: {rate} Hz"
    return y, json.loads(result.stdout)
