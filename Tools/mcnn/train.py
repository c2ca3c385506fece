"""Trains MCNN (network.py) on the train split with the seed's four losses at weights 1, 6, 10, 1
(with network.py's reading of the instantaneous-frequency and weighted-phase losses); keeps the
state with the lowest dev loss. One command per configuration (the defaults are the recipe):

    python3 Tools/mcnn/train.py --config m7 --minutes 60 --threads 1
    python3 Tools/mcnn/train.py --config project --minutes 60 --threads 1
    python3 Tools/mcnn/train.py --config seed --minutes 30

Writes Tools/mcnn/out/<config>.pt (best state; not committed) and appends to
Tools/mcnn/out/<config>.log one line per logged step (train loss and its four parts) and per
dev evaluation (dev loss, dev spectral convergence in dB). Stops at --minutes of wall clock;
the learning rate follows a cosine from --lr to 0 over that time. Fixed seed; CUDA when present.

Each batch: random pieces of train files, each `--seconds` long plus a margin of 12 hops
either side; the network sees the magnitudes of the whole piece and the losses compare only
its middle (so no sample is scored whose receptive field runs off the piece), at a random
peak level in [0.03, 1] (the network has no level normalisation).

Recipe, from 9-minute m7 runs on one CPU thread compared by dev spectral convergence at the
end, batches of 8 pieces of 0.5 s: learning rate 1e-3 -2.1 dB, 3e-3 -2.8 dB, 1e-2 -3.3 dB,
3e-2 -3.2 dB; then at 1e-2, 16 pieces of 0.25 s -3.4 dB (32 of 0.125 s did worse). A warm-up
on spectral convergence + log-magnitude alone (--warmup) did worse (-2.6 dB against -2.8 dB at
3e-3): the phase losses help the magnitudes converge, so it is off.
"""
import argparse
import math
import os
import sys
import time

import numpy as np
import torch

from network import CONFIGS, MCNN, losses, macs_per_frame, parameter_count, spectral_convergence_db, stft, total_loss

from cnn_tools import crop, load_split

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out")


def pieces(signals, count, length, rng, level):
    return torch.stack([p * (level(rng) / (p.abs().max() + 1e-9)) for p in (crop(signals, length, rng) for _ in range(count))])


def batch_losses(net, batch, margin):
    """The four losses of the pieces' middles (all but `margin` samples at either end)."""
    config = net.config
    estimate = net.synthesize(stft(batch, config).abs(), batch.shape[-1])
    return losses(estimate[:, margin:-margin], batch[:, margin:-margin], config)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", choices=sorted(CONFIGS), default="project")
    parser.add_argument("--minutes", type=float, default=60)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=0.25)
    parser.add_argument("--lr", type=float, default=1e-2)
    parser.add_argument("--log-every", type=int, default=10)
    parser.add_argument("--dev-every", type=int, default=100)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--warmup", type=float, default=0,
                        help="minutes at the start that optimise only spectral convergence + 6 log-magnitude")
    parser.add_argument("--name", help="output name (default: the config's) for side experiments")
    args = parser.parse_args()
    config = CONFIGS[args.config]
    device = "cuda" if torch.cuda.is_available() else "cpu"

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(args.seed)
    margin = 12 * config.hop
    length = int(args.seconds * 16000) + 2 * margin
    os.makedirs(OUT, exist_ok=True)
    train = load_split("train")
    # the dev set stays 32 pieces of 0.5 s at peak 0.5 whatever --seconds, so runs compare
    dev = pieces(load_split("dev"), 32, int(0.5 * 16000) + 2 * margin, np.random.default_rng(1), lambda r: 0.5).to(device)
    net = MCNN(config).to(device)
    optimiser = torch.optim.Adam(net.parameters(), lr=args.lr)
    name = args.name or args.config
    log = open(os.path.join(OUT, f"{name}.log"), "w")

    def note(line):
        print(line, flush=True)
        log.write(line + "\n")
        log.flush()

    def evaluate():
        net.eval()
        with torch.no_grad():
            parts = [batch_losses(net, dev[i:i + 8], margin) for i in range(0, len(dev), 8)]
        net.train()
        mean = [sum(p[j].item() for p in parts) / len(parts) for j in range(4)]
        return total_loss(mean), mean

    note(f"config {args.config} {config}: {parameter_count(net)} parameters, {macs_per_frame(config)} MACs per frame, "
         f"{len(train)} train files, device {device}, {vars(args)}")
    best = math.inf
    start = time.time()
    step = 0
    running = np.zeros(5)
    while True:
        elapsed = time.time() - start
        done = elapsed >= args.minutes * 60
        if step % args.dev_every == 0 or done:
            dev_loss, parts = evaluate()
            improved = dev_loss < best
            if improved:
                best = dev_loss
                torch.save(net.state_dict(), os.path.join(OUT, f"{name}.pt"))
            note(f"dev step {step} loss {dev_loss:.4f} sc {parts[0]:.4f} ({spectral_convergence_db(parts[0]):.2f} dB) "
                 f"logmag {parts[1]:.4f} if {parts[2]:.4f} phase {parts[3]:.5f}{' *' if improved else ''} {elapsed:.0f} s")
        if done:
            break
        for group in optimiser.param_groups:
            group["lr"] = args.lr * 0.5 * (1 + math.cos(math.pi * min(1.0, elapsed / (args.minutes * 60))))
        batch = pieces(train, args.batch, length, rng, lambda r: r.uniform(0.03, 1.0)).to(device)
        parts = batch_losses(net, batch, margin)
        loss = total_loss(parts)
        optimiser.zero_grad()
        (loss if elapsed >= args.warmup * 60 else total_loss(parts[:2])).backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        optimiser.step()
        step += 1
        running += np.array([loss.item()] + [p.item() for p in parts])
        if step % args.log_every == 0:
            r = running / args.log_every
            note(f"train step {step} loss {r[0]:.4f} sc {r[1]:.4f} logmag {r[2]:.4f} if {r[3]:.4f} phase {r[4]:.5f} "
                 f"{time.time() - start:.0f} s")
            running[:] = 0
    note(f"best dev loss {best:.4f}; {step} steps, {time.time() - start:.0f} s in all")


if __name__ == "__main__":
    main()
