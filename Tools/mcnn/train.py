"""Trains MCNN (network.py) on the train split with the seed's four losses at weights 1, 6, 10, 1
(with network.py's reading of the instantaneous-frequency and weighted-phase losses); keeps the
state with the lowest dev loss. One command per configuration (the defaults are the recipe):

    python3 -m Tools.mcnn.train --config m7w --minutes 60 --data .data/speech.npz
    Tools/mcnn/gpu-train OUTDIR 8.5      # every M7 candidate at once on one CUDA GPU

--data reads the packed subset of Tools/data/pack.py (no soundfile, no corpus needed); without
it the whole corpus is read from ../shared/speech. CUDA when present (--device), else the CPU
with --threads threads (default: all cores). Writes into --out (default Tools/mcnn/out, not
committed):
- <name>.pt: the best state (lowest dev loss) as a state_dict, what export.py reads;
- <name>-resume.pt: the latest state with the optimiser's, the step, the clock and the random
  generators', written at every dev evaluation, so a run cut short keeps what it learnt and
  `--resume` continues it (same arguments; --minutes is the total of all sittings);
- <name>.log: one line per logged run of steps (train loss and its four parts) and per dev
  evaluation (dev loss and parts, dev spectral convergence in dB), read by plot_losses.py.
Stops at --minutes of training clock (the data loading before it not counted); the learning
rate follows a cosine from --lr to 0 over that time. Fixed seed.

Each batch: random pieces of train files, drawn on the device (the whole packed split lives
there, so no transfer per step), each `--seconds` long plus a margin of 12 hops either side and
`level history` before (2 release times of the running level, network.py): the history frames
only set the level, as a stream's earlier frames do; the network sees the magnitudes of the
margins and the middle, and the losses compare only the middle (so no sample is scored whose
receptive field runs off the piece). A piece may start before its file (zeros), so streams
starting from the reset level are seen too. Peak level random in [0.03, 1] (the normalisation
makes the level matter only below its floor). The dev set: 64 pieces of 0.5 s at peak 0.5,
drawn once with seed 1, whatever the training arguments, so runs on one data file compare.

Recipe, from 9-minute runs of the un-normalised m7 on one CPU thread compared by dev spectral
convergence at the end, batches of 8 pieces of 0.5 s: learning rate 1e-3 -2.1 dB, 3e-3 -2.8 dB,
1e-2 -3.3 dB, 3e-2 -3.2 dB; then at 1e-2, 16 pieces of 0.25 s -3.4 dB (32 of 0.125 s did
worse). A warm-up on spectral convergence + log-magnitude alone did worse (-2.6 dB against
-2.8 dB at 3e-3): the phase losses help the magnitudes converge. But once the network has converged
with the seed's weights, spectral convergence is about 4 % of the loss and stops moving: continued
with --loss-weights 20 6 10 1 or 60 6 10 1 (one CPU thread, 40 and 30 minutes) it fell from
-5.2 to -7.8 and -8.0 dB on the dev pieces, the other losses but weighted phase nearly unchanged. Continued
from that -8.0 dB network once more at weight 60 (70 minutes, --lr 1e-3) it crept to -8.36 dB, flat for the
last 25 minutes, while `project` (15 times the MACs) trained from scratch at weight 60 (--lr 1e-2) passed it
within 13 minutes and reached -9.70 dB in 40, on one CPU thread each: at this weighting the size limits
m7c16, not the training. On a GPU a step costs about the same for a batch many times larger, so gpu-train
uses 128 pieces of 0.5 s.
"""
import argparse
import math
import os
import time

import torch

from Tools.data.speech import load_split
from Tools.mcnn.export import SHIPPED, committed_network
from Tools.mcnn.network import CONFIGS, LOSS_WEIGHTS, MCNN, losses, macs_per_frame, parameter_count, spectral_convergence_db, stft, total_loss


OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out")
RATE = 16000


class Split:
    """One split's signals concatenated on the device, with random pieces drawn there."""

    def __init__(self, signals, device):
        self.pcm = torch.cat(signals).to(device)
        lengths = torch.tensor([len(s) for s in signals])
        self.lengths = lengths.to(device)
        self.offsets = (torch.cumsum(lengths, 0) - lengths).to(device)

    def pieces(self, count, length, before, generator, level_low, level_high):
        """`count` pieces of `length` samples, each from a random file at a random start from
        `before` samples ahead of the file to its end less `length` (zeros outside the file; a
        file shorter than `length - before` starts at `before`, padded at its end), scaled to
        a random peak in [level_low, level_high]."""
        device = self.pcm.device
        files = torch.randint(len(self.lengths), (count,), generator=generator, device=device)
        room = (self.lengths[files] - length + before).clamp(min=0) + 1
        start = (torch.rand(count, generator=generator, device=device) * room).long().clamp(max=room - 1) - before
        position = start[:, None] + torch.arange(length, device=device)
        inside = (position >= 0) & (position < self.lengths[files, None])
        x = torch.where(inside, self.pcm[(self.offsets[files, None] + position).clamp(0, len(self.pcm) - 1)], 0.0)
        level = level_low + (level_high - level_low) * torch.rand(count, 1, generator=generator, device=device)
        return x * (level / (x.abs().amax(dim=1, keepdim=True) + 1e-9))


def batch_losses(net, batch, margin, history):
    """The four losses of the pieces' middles (all but the first `history` frames' samples and
    `margin` samples at either end)."""
    config = net.config
    skip = history * config.hop
    estimate = net.synthesize(stft(batch, config).abs(), batch.shape[-1] - skip, history)
    return losses(estimate[:, margin:-margin], batch[:, skip + margin:-margin], config)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", choices=sorted(CONFIGS), default="m7w")
    parser.add_argument("--minutes", type=float, default=60)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=0.25)
    parser.add_argument("--lr", type=float, default=1e-2)
    parser.add_argument("--log-every", type=int, default=10)
    parser.add_argument("--dev-every", type=int, default=100)
    parser.add_argument("--threads", type=int, help="CPU threads (default: all cores)")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--data", help="packed data file of Tools/data/pack.py (default: the corpus)")
    parser.add_argument("--out", default=OUT, help="folder of the checkpoints and the log")
    parser.add_argument("--resume", action="store_true", help="continue from <out>/<name>-resume.pt if there is one")
    parser.add_argument("--init", choices=["random", "continue"], default="random",
                        help="continue: start from the network the core ships (MCNNWeights.swift; --config must be it)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--loss-weights", type=float, nargs=4, default=LOSS_WEIGHTS, metavar=("SC", "LOGMAG", "IF", "PHASE"),
                        help="weights of the four losses, for loss studies (default: the seed's 1 6 10 1); the best "
                             "state is then the one with the lowest dev loss under these weights")
    parser.add_argument("--name", help="output name (default: the config's) for side experiments")
    args = parser.parse_args()
    config = CONFIGS[args.config]
    device = torch.device(args.device)
    if args.threads:
        torch.set_num_threads(args.threads)
    if device.type == "cuda":
        torch.backends.cudnn.benchmark = True  # the shapes are fixed: pieces and dev batches
        torch.backends.cuda.matmul.allow_tf32 = True  # the losses' FFTs stay float32
        torch.backends.cudnn.allow_tf32 = True

    torch.manual_seed(args.seed)
    generator = torch.Generator(device=device)
    generator.manual_seed(args.seed)
    margin = 12 * config.hop
    history = math.ceil(2 * config.level_release * RATE / config.hop)
    before = history * config.hop
    length = before + int(args.seconds * RATE) + 2 * margin
    os.makedirs(args.out, exist_ok=True)
    train = Split(load_split("train", args.data), device)
    dev_generator = torch.Generator(device=device)
    dev_generator.manual_seed(1)
    dev = Split(load_split("dev", args.data), device).pieces(64, before + int(0.5 * RATE) + 2 * margin, before,
                                                             dev_generator, 0.5, 0.5)
    net = MCNN(config).to(device)
    if args.init == "continue":
        assert args.config == SHIPPED, f"--init continue: the core ships {SHIPPED}, not {args.config}"
        net.load_state_dict(committed_network().state_dict())
    optimiser = torch.optim.Adam(net.parameters(), lr=args.lr)
    name = args.name or args.config
    best_path, resume_path = os.path.join(args.out, f"{name}.pt"), os.path.join(args.out, f"{name}-resume.pt")
    best, step, clock = math.inf, 0, 0.0
    if args.resume and os.path.exists(resume_path):
        state = torch.load(resume_path, map_location=device, weights_only=False)
        # The best state so far is the lowest dev loss under the run's weights: a sitting with
        # other weights would compare losses that measure different things.
        kept = (state["config"], list(state.get("loss_weights", LOSS_WEIGHTS)))
        if kept != (args.config, list(args.loss_weights)):
            raise SystemExit(f"--resume: {resume_path} is a run of --config {kept[0]} --loss-weights "
                             f"{' '.join(map(str, kept[1]))}; give the same or another --name")
        net.load_state_dict(state["net"])
        optimiser.load_state_dict(state["optimiser"])
        generator.set_state(state["generator"].cpu())  # map_location moved it; the state is a CPU tensor
        best, step, clock = state["best"], state["step"], state["clock"]
    log = open(os.path.join(args.out, f"{name}.log"), "a" if step else "w")

    def note(line):
        print(line, flush=True)
        log.write(line + "\n")
        log.flush()

    def evaluate():
        net.eval()
        with torch.no_grad():
            parts = [torch.stack(batch_losses(net, dev[i:i + 16], margin, history)) for i in range(0, len(dev), 16)]
        net.train()
        mean = torch.stack(parts).mean(dim=0).tolist()
        return total_loss(mean, args.loss_weights), mean

    def save_resume():
        cpu = lambda d: {k: v.detach().cpu() for k, v in d.items()}  # noqa: E731
        state = {"net": cpu(net.state_dict()), "optimiser": optimiser.state_dict(), "generator": generator.get_state(),
                 "best": best, "step": step, "clock": clock, "config": args.config,
                 "loss_weights": list(args.loss_weights)}
        torch.save(state, resume_path + ".tmp")
        os.replace(resume_path + ".tmp", resume_path)  # a run killed while saving keeps the previous one

    note(f"config {args.config} {config}: {parameter_count(net)} parameters, {macs_per_frame(config)} MACs per frame, "
         f"{len(train.lengths)} train files, device {device}, {torch.get_num_threads()} threads, "
         f"{'resumed at step ' + str(step) + ', ' if step else ''}{vars(args)}")
    start = time.time() - clock
    running = torch.zeros(5, device=device)
    while True:
        clock = time.time() - start
        done = clock >= args.minutes * 60
        if step % args.dev_every == 0 or done:
            dev_loss, parts = evaluate()
            improved = dev_loss < best
            if improved:
                best = dev_loss
                torch.save({k: v.detach().cpu() for k, v in net.state_dict().items()}, best_path + ".tmp")
                os.replace(best_path + ".tmp", best_path)
            save_resume()
            note(f"dev step {step} loss {dev_loss:.4f} sc {parts[0]:.4f} ({spectral_convergence_db(parts[0]):.2f} dB) "
                 f"logmag {parts[1]:.4f} if {parts[2]:.4f} phase {parts[3]:.5f}{' *' if improved else ''} {clock:.0f} s")
        if done:
            break
        for group in optimiser.param_groups:
            group["lr"] = args.lr * 0.5 * (1 + math.cos(math.pi * min(1.0, clock / (args.minutes * 60))))
        batch = train.pieces(args.batch, length, before, generator, 0.03, 1.0)
        parts = batch_losses(net, batch, margin, history)
        loss = total_loss(parts, args.loss_weights)
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        optimiser.step()
        step += 1
        running += torch.stack([loss.detach()] + [p.detach() for p in parts])  # stays on the device: no sync
        if step % args.log_every == 0:
            r = (running / args.log_every).tolist()
            note(f"train step {step} loss {r[0]:.4f} sc {r[1]:.4f} logmag {r[2]:.4f} if {r[3]:.4f} phase {r[4]:.5f} "
                 f"{time.time() - start:.0f} s")
            running.zero_()
    note(f"best dev loss {best:.4f}; {step} steps, {time.time() - start:.0f} s in all")


if __name__ == "__main__":
    main()
