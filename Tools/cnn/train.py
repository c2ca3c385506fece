"""Trains the phase-derivative CNN (model.py) on the train split; keeps the epoch with the
lowest dev loss. One command per network:

    python3 -m Tools.cnn.train --variant causal                    # linear magnitudes in
    python3 -m Tools.cnn.train --variant strided
    python3 -m Tools.cnn.train --variant causal --input mel80      # the streaming mel path
    python3 -m Tools.cnn.train --variant causal --input mel64-80-128 --data .data/speech.npz --minutes 8

Writes to --out (default Tools/cnn/out; nothing there is committed), for the run named
<variant> (linear) or <variant>-<input>: <name>.pt (the best network and what it is, for
export.py), <name>.ckpt (the latest state, every epoch; --resume continues from it) and
<name>.log (one line per epoch). --data reads the packed corpus of Tools/data/pack.py, so a
machine without the corpus or soundfile can train. Fixed seed; CUDA when present, never
required; the whole batch, augmentation included, is built on that device, and the loss is
read back once per epoch, so a step never waits for the device.

Length: --epochs x --steps batches, or with --minutes as many batches as fit in that wall time
of training (the last epoch cut short; the log's last line gives the steps done). The learning rate rises linearly over the first
10 % of the run, then falls as a cosine to 1/1000 of --lr; the run's progress is its step (or,
with --minutes, its elapsed time) as a fraction of the whole.

Input: `linear`, the true STFT magnitudes, or `melB` (`mel80`; several band counts with `-`,
`mel64-80-128`, one drawn per batch), the core's pseudo-inverse of the B-band mel frame of those magnitudes
(model.MelPath); a mel network also predicts the log-magnitude correction g (model.py).

Targets from the true phase phi of the (augmented) signal, as unit phasors:
    BPD[t,k] = princarg(phi[t,k] - phi[t-1,k] - 2 pi k H / N)    weight sqrt(a[t,k] a[t-1,k])
    FPD[t,k] = princarg(phi[t,k+1] - phi[t,k])                    weight sqrt(a[t,k] a[t,k+1])
Phase loss: sum w (1 - cos(pred - true)) / sum w per segment (so every segment counts the same
whatever its level, and within it loud bins dominate as they do in the least squares),
with pred the angle of the predicted (c, s) pair. Magnitude loss (mel input): the mean over
frames and bins of |ln(a' + d) - ln(a + d)|, a' the corrected magnitudes, a the true ones,
d = 1e-3 times the segment's largest true magnitude (errors more than 60 dB down count
little); the loss is phase + --magnitude-weight x magnitude. With --consistency (80 bands
only) a' is taken after the core's mel-consistency steps (mel_consistency.py), as the
integrator and the synthesis get it, so that the correction learns only the shape within each
band that the steps keep. The shipped mel networks were trained without it: continuing them
with it gained nothing measurable (Tools/cnn/RESULTS.md, "Training through the steps").

Augmentation (the dev speakers are partly unseen, the corpus is small), per segment:
resampling by a random factor in [0.9, 1.1] (speed and pitch), a random smooth EQ (+-9 dB,
zero-phase 65-tap FIR), mixing in a second utterance at -20..0 dB with probability 0.3, white
noise at -60..-35 dB with probability 0.5, random peak level in [0.03, 1] (the log floor is
absolute).
"""
import argparse
import math
import os
import time

import numpy as np
import torch

from Tools import ROOT
from Tools.cnn import export, mel_consistency
from Tools.data.speech import load_split
from Tools.cnn.model import (H, K, N, MelPath, PhaseDerivativeNet, corrected_log_magnitudes, frame_outputs,
                             macs_per_frame, network_input, output_frames, parameter_count, stft)

OUT = os.path.join(ROOT, "Tools", "cnn", "out")
SEGMENT_FRAMES = 64
SEGMENT = (SEGMENT_FRAMES - 1) * H + N
EQ_TAPS = 65
MAGNITUDE_FLOOR = 1e-3
WARMUP = 0.1
FINAL_LR = 1e-3


def parse_input(text):
    """`linear` -> None; `mel80` or `mel64-80-128` -> the band counts."""
    if text == "linear":
        return None
    if text.startswith("mel") and all(part.isdigit() and int(part) > 0 for part in text[3:].split("-")):
        return [int(part) for part in text[3:].split("-")]
    raise argparse.ArgumentTypeError(f"--input: expected linear or melB[-B...], got {text!r}")


def crop(signals, length, rng):
    """A random `length`-sample piece of a random signal (zero-padded when shorter)."""
    x = signals[rng.integers(len(signals))]
    if len(x) <= length:
        return torch.nn.functional.pad(x, (0, length - len(x)))
    start = rng.integers(len(x) - length)
    return x[start:start + length]


class Corpus:
    """The training signals concatenated on the device, for drawing whole batches there."""

    def __init__(self, signals, device):
        self.samples = torch.cat(signals).to(device)
        lengths = torch.tensor([len(s) for s in signals], dtype=torch.int64)
        self.lengths = lengths.to(device)
        self.starts = (torch.cumsum(lengths, 0) - lengths).to(device)

    def pieces(self, count, length, rate, generator):
        """`count` pieces of random files, each `length` samples read at `rate` [count]
        samples per output sample (linear interpolation); past a file's end they are zero."""
        device = self.samples.device
        files = torch.randint(len(self.lengths), (count,), generator=generator, device=device)
        file_lengths = self.lengths[files][:, None]
        span = ((length - 1) * rate).ceil().long() + 2
        room = (self.lengths[files] - span).clamp(min=0)
        start = (torch.rand(count, generator=generator, device=device) * room).long()
        position = torch.arange(length, device=device, dtype=torch.float32)[None] * rate[:, None]
        whole = position.floor()
        fraction = position - whole
        index = start[:, None] + whole.long()
        x = 0
        for offset, weight in ((0, 1 - fraction), (1, fraction)):
            inside = index + offset < file_lengths
            at = (self.starts[files][:, None] + (index + offset).clamp(max=file_lengths - 1))
            x = x + self.samples[at] * weight * inside
        return x


def uniform(count, low, high, generator, device):
    return low + (high - low) * torch.rand(count, generator=generator, device=device)


def random_eqs(count, generator, device):
    """[count, 65] zero-phase FIRs, each with a smooth random magnitude response of +-9 dB
    (nine knots, linearly interpolated over the bins)."""
    knots = uniform((count, 9), -9, 9, generator, device)
    position = torch.linspace(0, 8, N // 2 + 1, device=device)
    below = position.floor().long().clamp(max=7)
    fraction = position - below
    gains_db = knots[:, below] * (1 - fraction) + knots[:, below + 1] * fraction
    impulse = torch.fft.fftshift(torch.fft.irfft(10 ** (gains_db / 20), n=N), dim=-1)
    window = torch.hann_window(EQ_TAPS, periodic=False, device=device)
    return impulse[:, N // 2 - EQ_TAPS // 2:N // 2 + EQ_TAPS // 2 + 1] * window


def augmented_batch(corpus, count, generator):
    """[count, SEGMENT] augmented training segments (module docstring), built on the device."""
    device = corpus.samples.device
    length = SEGMENT + EQ_TAPS - 1 + 16

    def draw(low, high, shape=count):
        return uniform(shape, low, high, generator, device)

    x = corpus.pieces(count, length, draw(0.9, 1.1), generator)
    other = corpus.pieces(count, length, torch.ones(count, device=device), generator)
    gain = 10 ** (draw(-20, 0) / 20) * x.abs().amax(1) / (other.abs().amax(1) + 1e-9) * (draw(0, 1) < 0.3)
    x = x + other * gain[:, None]
    x = torch.nn.functional.conv1d(x[None], random_eqs(count, generator, device)[:, None], groups=count)[0, :, :SEGMENT]
    noise = torch.randn(count, SEGMENT, generator=generator, device=device)
    level = x.pow(2).mean(1).sqrt() * 10 ** (draw(-60, -35) / 20) * (draw(0, 1) < 0.5)
    x = x + noise * level[:, None]
    return x * (draw(0.03, 1.0) / (x.abs().amax(1) + 1e-9))[:, None]


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


def magnitude_losses(log_estimate, truth):
    """Mean |ln(a' + d) - ln(a + d)| per segment (module docstring): [B, T, K] -> [B]."""
    floor = torch.log(MAGNITUDE_FLOOR * truth.amax(dim=(1, 2), keepdim=True) + 1e-30)
    error = torch.logaddexp(log_estimate, floor) - torch.logaddexp(torch.log(truth + 1e-30), floor)
    return error.abs().mean(dim=(1, 2))


class ConsistencySteps:
    """mel_consistency.consistent in torch, for 80 bands: given the true band levels
    l = A a (which the core recovers exactly from the pseudo-inverse), STEPS multiplicative
    steps a <- a W (l / A a), in the log domain so that the gradient reaches the correction."""

    def __init__(self, device):
        tables = mel_consistency.Tables()
        self.means = torch.from_numpy(tables.means.T.astype(np.float32)).to(device)    # K x B
        self.spread = torch.from_numpy(tables.spread.T.astype(np.float32)).to(device)  # B x K

    def levels(self, magnitudes):
        return magnitudes @ self.means

    def __call__(self, log_magnitudes, levels):
        for _ in range(mel_consistency.STEPS):
            # A band whose mean is 0 gets ratio 0, as in the core (the clamp keeps 0 / 0 out).
            ratios = levels / (log_magnitudes.exp() @ self.means).clamp_min(1e-30)
            log_magnitudes = log_magnitudes + torch.log((ratios @ self.spread).clamp_min(1e-30))
        return log_magnitudes


def batch_losses(model, signals, variant, mel=None, consistency=None):
    """(phase, magnitude) mean losses of a batch of segments [B, SEGMENT], only frames with full
    history counting. `mel`: the MelPath feeding the network, else the true magnitudes; the
    magnitude loss is that of the magnitudes handed on (a network without a magnitude head
    hands the pseudo-inverse on unchanged), after `consistency` (ConsistencySteps) when given,
    0 for linear input."""
    spectrum = stft(signals)[:, 3:]            # frames wholly inside the segment
    magnitudes = spectrum.abs()
    seen = magnitudes if mel is None else mel(magnitudes)
    b, t, _ = spectrum.shape
    x = network_input(seen, variant)           # [B, T, F, K]
    per_frame = frame_outputs(model.magnitude_head)
    out = model(x.reshape(b * t, -1, K)).reshape(b, t, output_frames(variant), per_frame, K)
    bpd, bpd_w, fpd, fpd_w = targets(spectrum)
    phase = magnitude = 0
    for j in range(output_frames(variant)):
        # output j of row t is frame t + j; keep rows 3..t-2 (full history, look-ahead frame present)
        rows = slice(3, t - 1)
        frames = slice(3 + j, t - 1 + j)
        phase = phase + segment_losses(out[:, rows, j, 0:2], bpd[:, frames], bpd_w[:, frames])
        phase = phase + segment_losses(out[:, rows, j, 2:4], fpd[:, frames], fpd_w[:, frames])
        if mel is not None:
            correction = out[:, rows, j, 4] if model.magnitude_head else torch.zeros_like(seen[:, frames])
            handed_on = corrected_log_magnitudes(seen[:, frames], correction)
            if consistency is not None:
                handed_on = consistency(handed_on, consistency.levels(magnitudes[:, frames]))
            magnitude = magnitude + magnitude_losses(handed_on, magnitudes[:, frames])
    frames_out = output_frames(variant)
    return (phase / (2 * frames_out)).mean(), (magnitude / frames_out).mean() if mel is not None else phase.new_zeros(())


def dev_segments(signals, count):
    """Fixed, unaugmented dev segments: evenly spaced pieces of the dev files."""
    rng = np.random.default_rng(1)
    pieces = [crop(signals, SEGMENT, rng) for _ in range(count)]
    return torch.stack([p * (0.5 / (p.abs().max() + 1e-9)) for p in pieces])


def input_paths(bands, device, consistency):
    """(MelPath, ConsistencySteps or None) per band count; [(None, None)] for linear input."""
    if bands is None:
        return [(None, None)]
    return [(MelPath(b, device), ConsistencySteps(device) if consistency else None) for b in bands]


def dev_losses(model, dev, variant, paths):
    """(phase, magnitude) dev losses, averaged over the input paths `paths` (input_paths)."""
    model.eval()
    total = torch.zeros(2, device=dev.device)
    with torch.no_grad():
        for mel, consistency in paths:
            for i in range(0, len(dev), 32):
                total += torch.stack(batch_losses(model, dev[i:i + 32], variant, mel, consistency))
    model.train()
    phase, magnitude = (total / (len(paths) * math.ceil(len(dev) / 32))).tolist()
    return phase, magnitude


def learning_rate(peak, progress):
    """Linear warm-up over the first WARMUP of the run, then a cosine down to FINAL_LR x peak."""
    if progress < WARMUP:
        return peak * (0.04 + 0.96 * progress / WARMUP)
    fraction = min(1.0, (progress - WARMUP) / (1 - WARMUP))
    return peak * (FINAL_LR + (1 - FINAL_LR) * 0.5 * (1 + math.cos(math.pi * fraction)))


def initialise_from(model, source):
    """Copies `source`'s weights into `model`; a magnitude head gets the phase channels of each
    output frame and a zero g channel (so training starts from the linear network unchanged)."""
    with torch.no_grad():
        for (name, p), q in zip(model.named_parameters(), source.parameters()):
            if not name.startswith("head."):
                p.copy_(q)
        frames, per_frame = output_frames(model.variant), frame_outputs(model.magnitude_head)
        weight = model.head.weight.view(frames, per_frame, *model.head.weight.shape[1:])
        bias = model.head.bias.view(frames, per_frame)
        weight.zero_()
        bias.zero_()
        weight[:, :4] = source.head.weight.view(frames, 4, *source.head.weight.shape[1:])
        bias[:, :4] = source.head.bias.view(frames, 4)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--variant", choices=["causal", "strided"], default="causal")
    parser.add_argument("--input", type=parse_input, default="linear", help="linear (default) or melB[-B...], e.g. mel80")
    parser.add_argument("--data", help="the packed corpus of Tools/data/pack.py (default: ../shared/speech)")
    parser.add_argument("--out", default=OUT, help="folder for the checkpoints and logs")
    parser.add_argument("--epochs", type=int, default=14)
    parser.add_argument("--minutes", type=float, help="train for this wall time instead of --epochs")
    parser.add_argument("--steps", type=int, default=150, help="batches per epoch")
    parser.add_argument("--batch", type=int, help="segments of 64 frames per batch (default 8 on CPU, 64 on CUDA)")
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--magnitude-weight", type=float, default=2.0, help="weight of the magnitude loss (mel input)")
    parser.add_argument("--consistency", action="store_true",
                        help="score the magnitudes after the core's mel-consistency steps (--input mel80 only)")
    parser.add_argument("--init", choices=["random", "committed", "continue"], default="random",
                        help="committed: start from the linear network of CNNWeights.swift; continue: from the "
                             "network of this name there (the one the core ships), to train it further")
    parser.add_argument("--resume", action="store_true", help="continue from <out>/<name>.ckpt")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if args.consistency and args.input != [mel_consistency.BANDS]:
        parser.error(f"--consistency: the steps' tables are for --input mel{mel_consistency.BANDS}")
    started = time.time()
    bands = args.input
    input_name = "linear" if bands is None else "mel" + "-".join(map(str, bands))
    name = args.variant if bands is None else f"{args.variant}-{input_name}"

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda":
        torch.backends.cudnn.benchmark = True
    batch = args.batch or (64 if device == "cuda" else 8)
    generator = torch.Generator(device=device).manual_seed(args.seed)
    choice = np.random.default_rng(args.seed)  # which band count each batch uses (host side)
    os.makedirs(args.out, exist_ok=True)
    corpus = Corpus(load_split("train", args.data), device)
    dev = dev_segments(load_split("dev", args.data), 96).to(device)
    paths = input_paths(bands, device, args.consistency)
    model = PhaseDerivativeNet(args.variant, magnitude_head=bands is not None).to(device)
    if args.init == "committed":
        initialise_from(model, export.committed_network(args.variant).to(device))
    elif args.init == "continue":
        model.load_state_dict(export.committed_network(name).state_dict())
    optimiser = torch.optim.Adam(model.parameters(), lr=args.lr)
    state = {"epoch": 0, "step": 0, "seconds": 0.0, "best": math.inf}
    checkpoint = os.path.join(args.out, f"{name}.ckpt")
    log = open(os.path.join(args.out, f"{name}.log"), "a" if args.resume else "w")

    def note(line):
        print(line, flush=True)
        log.write(line + "\n")
        log.flush()

    if args.resume and os.path.exists(checkpoint):
        saved = torch.load(checkpoint, map_location=device, weights_only=False)
        model.load_state_dict(saved["model"])
        optimiser.load_state_dict(saved["optimiser"])
        generator.set_state(saved["generator"].cpu())
        choice = saved["choice"]
        state = saved["state"]
        note(f"resumed from {checkpoint} at epoch {state['epoch']}, step {state['step']}")
    note(f"{name}: {parameter_count(model)} parameters, {macs_per_frame(model)} MACs per evaluation, "
         f"{len(corpus.lengths)} train files, device {device}, batch {batch}, {vars(args)}")
    if bands is not None and state["epoch"] == 0:
        baseline = export.committed_network(args.variant).to(device)
        phase, magnitude = dev_losses(baseline, dev, args.variant, paths)
        note(f"baseline (the committed linear network on this input, magnitudes uncorrected"
             f"{', then the steps' if args.consistency else ''}): dev phase {phase:.4f}  "
             f"magnitude {magnitude:.4f}  total {phase + args.magnitude_weight * magnitude:.4f}")
        phase, magnitude = dev_losses(model, dev, args.variant, paths)
        note(f"start ({args.init}): dev phase {phase:.4f}  magnitude {magnitude:.4f}  "
             f"total {phase + args.magnitude_weight * magnitude:.4f}")

    total_steps = args.epochs * args.steps
    budget = args.minutes * 60 if args.minutes else None
    clock = time.time() - state["seconds"]
    while (state["seconds"] < budget) if budget else (state["epoch"] < args.epochs):
        totals = torch.zeros(2, device=device)
        steps = 0
        while steps < args.steps:
            progress = (time.time() - clock) / budget if budget else state["step"] / total_steps
            if progress >= 1:
                break
            for group in optimiser.param_groups:
                group["lr"] = learning_rate(args.lr, progress)
            mel, consistency = paths[choice.integers(len(paths))]
            phase, magnitude = batch_losses(model, augmented_batch(corpus, batch, generator), args.variant, mel,
                                            consistency)
            loss = phase + args.magnitude_weight * magnitude
            optimiser.zero_grad(set_to_none=True)
            loss.backward()
            optimiser.step()
            totals += torch.stack([phase.detach(), magnitude.detach()])
            state["step"] += 1
            steps += 1
        if steps == 0:
            break
        state["epoch"] += 1
        state["seconds"] = time.time() - clock
        train_phase, train_magnitude = (totals / steps).tolist()
        phase, magnitude = dev_losses(model, dev, args.variant, paths)
        dev_loss = phase + args.magnitude_weight * magnitude
        best = dev_loss < state["best"]
        if best:
            state["best"] = dev_loss
            torch.save({"model": {k: v.cpu() for k, v in model.state_dict().items()}, "variant": args.variant,
                        "input": input_name, "bands": bands, "epoch": state["epoch"], "step": state["step"],
                        "dev": dev_loss, "args": vars(args)}, os.path.join(args.out, f"{name}.pt"))
        torch.save({"model": model.state_dict(), "optimiser": optimiser.state_dict(), "generator": generator.get_state(),
                    "choice": choice, "state": state}, checkpoint + ".tmp")
        os.replace(checkpoint + ".tmp", checkpoint)
        note(f"epoch {state['epoch']:3d}  step {state['step']:6d}  lr {optimiser.param_groups[0]['lr']:.2e}  "
             f"train phase {train_phase:.4f} magnitude {train_magnitude:.4f}  "
             f"dev phase {phase:.4f} magnitude {magnitude:.4f} total {dev_loss:.4f}{'  *' if best else ''}  "
             f"{state['seconds']:6.0f} s")
    note(f"best dev loss {state['best']:.4f}; {state['step']} steps of {batch}, {state['seconds']:.0f} s training, "
         f"{time.time() - started:.0f} s in all")


if __name__ == "__main__":
    main()
