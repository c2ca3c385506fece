"""Packs a subset of the speech corpus into one compact file that training can read without
soundfile, without the corpus and without a network (a GPU machine gets only the repository
and the folders named to it). One command, the defaults being the recipe:

    python3 -m Tools.data.pack            # writes .data/speech.npz (about 50 MiB)

The file holds 16 kHz int16 PCM, concatenated per split, with each file's start offset:
`train_pcm`, `train_offsets`, `dev_pcm`, `dev_offsets`, and the paths (`train_paths`,
`dev_paths`) so a run can say what it saw. The subset is drawn per speaker with a fixed seed,
every speaker of a split keeping the same share of its files, so the packed training set has
the corpus's mix of voices at a fraction of its size (the whole train split is 216 MiB).
`.data/` is ignored by git; the corpus itself is never copied into the repository.
"""
import argparse
import csv
import os
from collections import defaultdict

import numpy as np
import soundfile

from Tools import ROOT
SPEECH = os.path.join(ROOT, "..", "shared", "speech")
DEFAULT = os.path.join(ROOT, ".data", "speech.npz")
RATE = 16000


def manifest(split):
    with open(os.path.join(SPEECH, "MANIFEST.csv"), newline="") as f:
        return [r for r in csv.DictReader(f) if r["split"] == split and r["kind"] == "speech"]


def subset(rows, minutes, rng):
    """Files of every speaker in turn, a shuffled file from each, until `minutes` are taken."""
    by_speaker = defaultdict(list)
    for row in rows:
        by_speaker[row["speaker"]].append(row)
    queues = [list(rng.permutation(files)) for _, files in sorted(by_speaker.items())]
    chosen, total = [], 0.0
    while total < minutes * 60 and any(queues):
        for queue in queues:
            if queue and total < minutes * 60:
                row = queue.pop()
                chosen.append(row)
                total += float(row["seconds"])
    return chosen


def read(row):
    x, rate = soundfile.read(os.path.join(SPEECH, row["path"]), dtype="int16", always_2d=True)
    if rate != RATE:
        raise SystemExit(f"{row['path']}: {rate} Hz, expected {RATE}")
    return (x.astype(np.int32).sum(axis=1) // x.shape[1]).astype(np.int16)


def pack(rows):
    signals = [read(row) for row in rows]
    offsets = np.cumsum([0] + [len(s) for s in signals]).astype(np.int64)
    return np.concatenate(signals), offsets, np.array([row["path"] for row in rows])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train-minutes", type=float, default=24)
    parser.add_argument("--dev-minutes", type=float, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-o", "--output", default=DEFAULT)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    arrays = {}
    for split, minutes in (("train", args.train_minutes), ("dev", args.dev_minutes)):
        arrays[f"{split}_pcm"], arrays[f"{split}_offsets"], arrays[f"{split}_paths"] = pack(subset(manifest(split), minutes, rng))
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    np.savez(args.output, **arrays)
    for split in ("train", "dev"):
        print(f"{split}: {len(arrays[split + '_paths'])} files, {len(arrays[split + '_pcm']) / RATE / 60:.1f} min")
    print(f"{args.output}: {os.path.getsize(args.output) / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
