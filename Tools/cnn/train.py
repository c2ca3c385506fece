"""Trains the phase-derivative CNN (model.py) on the train split; keeps the epoch with the
lowest dev loss. One command per variant:

    python3 Tools/cnn/train.py --variant causal
    python3 Tools/cnn/train.py --variant strided

Writes Tools/cnn/out/<variant>.pt (the best state; not committed) and appends one line per
epoch to Tools/cnn/out/<variant>.log. Fixed seed; uses CUDA when present, never requires it.

Targets from the true phase phi of the (augmented) signal, as unit phasors:
    BPD[t,k] = princarg(phi[t,k] - phi[t-1,k] - 2 pi k H / N)    weight sqrt(a[t,k] a[t-1,k])
    FPD[t,k] = princarg(phi[t,k+1] - phi[t,k])                    weight sqrt(a[t,k] a[t,k+1])
Loss: sum w (1 - cos(pred - true)) / sum w per segment (so every segment counts the same
whatever its level, and within it loud bins dominate as they do in the least squares),
with pred the angle of the predicted (c, s) pair.

Augmentation (the dev speakers are partly unseen, the corpus is small): resampling by a
random factor in [0.9, 1.1] (speed and pitch), a random smooth EQ (+-9 dB, zero-phase
65-tap FIR), mixing in a second utterance at -20..0 dB with probability 0.3, white noise at
-60..-35 dB with probability 0.5, random peak level in [0.03, 1] (the log floor is absolute).
"""
import argparse
import math
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data"))
from speech import load_split  # noqa: E402  (re-exported for Tools/mcnn)
from model import H, K, N, PhaseDerivativeNet, macs_per_frame, network_input, output_frames, parameter_count, stft

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tools", "cnn", "out")
SEGMENT_FRAMES = 64
SEGMENT = (SEGMENT_FRAMES - 1) * H + N


def crop(signals, length, rng):
    """A random `length`-sample piece of a random signal (zero-padded when shorter)."""
    x = signals[rng.integers(len(signals))]
    if len(x) <= length:
        return torch.nn.functional.pad(x, (0, length - len(x)))
    start = rng.integers(len(x) - length)
    return x[start:start + length]


def random_eq(length, rng):
    """A zero-phase FIR with a smooth random magnitude response of +-9 dB."""
    knots = rng.uniform(-9, 9, 9)
    gains_db = np.interp(np.linspace(0, 8, N // 2 + 1), np.arange(9), knots)
    taps = np.fft.fftshift(np.fft.irfft(10 ** (gains_db / 20)))[N // 2 - 32:N // 2 + 33] * np.hanning(65)
    return torch.from_numpy(taps.astype(np.float32))


def augmented_segment(signals, rng):
    rate = rng.uniform(0.9, 1.1)
    source = crop(signals, int(SEGMENT * rate) + 80, rng)
    x = torch.nn.functional.interpolate(source[None, None], size=SEGMENT + 80, mode="linear", align_corners=True)[0, 0]
    if rng.random() < 0.3:
        other = crop(signals, SEGMENT + 80, rng)
        x = x + other * (10 ** (rng.uniform(-20, 0) / 20)) * x.abs().max() / (other.abs().max() + 1e-9)
    x = torch.nn.functional.conv1d(x[None, None], random_eq(N, rng)[None, None])[0, 0][:SEGMENT]
    if rng.random() < 0.5:
        x = x + torch.randn(SEGMENT, generator=torch.Generator().manual_seed(int(rng.integers(2**31)))) \
            * x.pow(2).mean().sqrt() * 10 ** (rng.uniform(-60, -35) / 20)
    return x * (rng.uniform(0.03, 1.0) / (x.abs().max() + 1e-9))


def unit(z):
    return z / (z.abs() + 1e-12)


def targets(spectrum):
    """spectrum [B, T, K] -> (bpd, fpd) unit phasors and weights, each [B, T, K] (fpd's last
    bin has weight 0); frame 0 has no previous frame and weight 0 in time."""
    a = spectrum.abs()
    nominal = torch.exp(-1j * 2 * math.pi * H / N * torch.arange(K, device=spectrum.device))
    previous = torch.cat([torch.zeros_like(spectrum[:, :1]), spectrum[:, :-1]], dim=1)
    bpd = unit(spectrum * previous.conj() * nominal)
    bpd_weight = (a * previous.abs()).sqrt()
    following = torch.cat([spectrum[..., 1:], torch.zeros_like(spectrum[..., :1])], dim=-1)
    fpd = unit(following * spectrum.conj())
    fpd_weight = (a * following.abs()).sqrt()
    return bpd, bpd_weight, fpd, fpd_weight


def segment_losses(prediction, truth, weight):
    """prediction [B, T, 2, K] (c, s), truth complex [B, T, K], weight [B, T, K] -> [B]."""
    predicted = unit(torch.complex(prediction[:, :, 0], prediction[:, :, 1]))
    error = 1 - (predicted * truth.conj()).real
    return (weight * error).sum(dim=(1, 2)) / (weight.sum(dim=(1, 2)) + 1e-12)


def batch_loss(model, signals, variant):
    """Mean loss of a batch of segments [B, SEGMENT]; only frames with full history count."""
    spectrum = stft(signals)[:, 3:]            # frames wholly inside the segment
    magnitudes = spectrum.abs()
    b, t, _ = spectrum.shape
    x = network_input(magnitudes, variant)     # [B, T, F, K]
    out = model(x.reshape(b * t, -1, K)).reshape(b, t, output_frames(variant), 4, K)
    bpd, bpd_w, fpd, fpd_w = targets(spectrum)
    losses = 0
    for j in range(output_frames(variant)):
        # output j of row t is frame t + j; keep rows 3..t-2 (full history, look-ahead frame present)
        rows = slice(3, t - 1)
        frames = slice(3 + j, t - 1 + j)
        losses = losses + segment_losses(out[:, rows, j, 0:2], bpd[:, frames], bpd_w[:, frames])
        losses = losses + segment_losses(out[:, rows, j, 2:4], fpd[:, frames], fpd_w[:, frames])
    return (losses / (2 * output_frames(variant))).mean()


def dev_segments(signals, count):
    """Fixed, unaugmented dev segments: evenly spaced pieces of the dev files."""
    rng = np.random.default_rng(1)
    pieces = [crop(signals, SEGMENT, rng) for _ in range(count)]
    return torch.stack([p * (0.5 / (p.abs().max() + 1e-9)) for p in pieces])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--variant", choices=["causal", "strided"], default="causal")
    parser.add_argument("--epochs", type=int, default=14)
    parser.add_argument("--steps", type=int, default=150, help="batches per epoch")
    parser.add_argument("--batch", type=int, default=8, help="segments of 64 frames per batch")
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(args.seed)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    os.makedirs(OUT, exist_ok=True)
    train = load_split("train")
    dev = dev_segments(load_split("dev"), 96).to(device)
    model = PhaseDerivativeNet(args.variant).to(device)
    optimiser = torch.optim.Adam(model.parameters(), lr=args.lr)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, args.lr, total_steps=args.epochs * args.steps, pct_start=0.1)
    log = open(os.path.join(OUT, f"{args.variant}.log"), "w")

    def note(line):
        print(line, flush=True)
        log.write(line + "\n")
        log.flush()

    note(f"variant {args.variant}: {parameter_count(model)} parameters, {macs_per_frame(model)} MACs per evaluation, "
         f"{len(train)} train files, device {device}, {vars(args)}")
    best = math.inf
    start = time.time()
    for epoch in range(args.epochs):
        model.train()
        total = 0.0
        for _ in range(args.steps):
            batch = torch.stack([augmented_segment(train, rng) for _ in range(args.batch)]).to(device)
            loss = batch_loss(model, batch, args.variant)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += loss.item()
        model.eval()
        with torch.no_grad():
            dev_loss = sum(batch_loss(model, dev[i:i + 32], args.variant).item() for i in range(0, len(dev), 32)) / (len(dev) // 32)
        if dev_loss < best:
            best = dev_loss
            torch.save(model.state_dict(), os.path.join(OUT, f"{args.variant}.pt"))
        note(f"epoch {epoch + 1:2d}  train {total / args.steps:.4f}  dev {dev_loss:.4f}{'  *' if dev_loss == best else ''}"
             f"  {time.time() - start:6.0f} s")
    note(f"best dev loss {best:.4f}; {time.time() - start:.0f} s in all")


if __name__ == "__main__":
    main()
