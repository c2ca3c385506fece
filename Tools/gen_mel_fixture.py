#!/usr/bin/env python3
"""Writes librosa's mel filterbanks for the project STFT (16 kHz, N = 512) to
Tests/Fixtures/mel/, where MelFilterbankTests and MelBasisTests compare ours against them
(to 1e-6). librosa.filters.mel returns float32 (computed in float64); saved as is.

    python3 -m Tools.gen_mel_fixture
"""
import pathlib

import librosa
import numpy as np

OUT = pathlib.Path(__file__).resolve().parent.parent / "Tests" / "Fixtures" / "mel"

# (file name, keyword arguments): the default (Slaney scale and normalisation, 80 bands,
# 0 to 8 kHz) and the HTK scale with a narrower range and 40 bands.
CASES = [
    ("librosa-mel-80-slaney.npy", dict(n_mels=80)),
    ("librosa-mel-40-htk-60-7600.npy", dict(n_mels=40, htk=True, fmin=60.0, fmax=7600.0)),
]


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, kwargs in CASES:
        weights = librosa.filters.mel(sr=16000, n_fft=512, **kwargs)
        assert weights.dtype == np.float32 and weights.shape[1] == 257
        np.save(OUT / name, weights)
        print(f"wrote {OUT / name} {weights.shape}, librosa {librosa.__version__}")


if __name__ == "__main__":
    main()
