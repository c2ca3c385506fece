"""The speech signals training reads: from the packed file of pack.py when one is given (a
machine without the corpus or soundfile), else straight from ../shared/speech. Either way a
list of float32 tensors in [-1, 1), one per file."""
import csv
import os

import numpy as np
import torch

from Tools import ROOT
SPEECH = os.path.join(ROOT, "..", "shared", "speech")


def load_split(split, packed=None):
    if packed:
        with np.load(packed) as data:
            pcm, offsets = data[f"{split}_pcm"], data[f"{split}_offsets"]
        return [torch.from_numpy(pcm[a:b].astype(np.float32) / 32768) for a, b in zip(offsets[:-1], offsets[1:])]
    import soundfile  # only the corpus path needs it

    signals = []
    with open(os.path.join(SPEECH, "MANIFEST.csv"), newline="") as f:
        for row in csv.DictReader(f):
            if row["split"] == split and row["kind"] == "speech":
                x, rate = soundfile.read(os.path.join(SPEECH, row["path"]), dtype="float32")
                assert rate == 16000
                signals.append(torch.from_numpy(x if x.ndim == 1 else x.mean(axis=1)))
    return signals
