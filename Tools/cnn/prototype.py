"""A numpy/scipy prototype of the whole online inverter, to score derivative estimators on
the dev split before (and independently of) the Swift core:

    python3 -m Tools.cnn.prototype [--count 30] [--grid]
    python3 -m Tools.cnn.prototype --mel 80 --committed --networks OUTDIR/causal-mel80.pt

Per frame: derivatives (the trained CNNs of Tools/cnn/out/<variant>.pt and --networks, the
linear ones the core ships with --committed, or causal PGHI as PGHIEstimator computes it) ->
the least squares of docs/ALGORITHMS.md section 3 with the substitution
trick, as LeastSquaresPhaseIntegrator does it (weights (a / max a)^p, lambda = w w_prev + 1e-6,
g = gamma w_k w_k+1; first frame, or after a silent one, theta = cumulative FPD), solved by
scipy.linalg.solveh_banded -> overlap-add synthesis. Scores: WB-PESQ, ESTOI, spectral
convergence (Tools/eval/common.py) on `count` dev files taken round-robin over speakers.
With --mel B every method sees the core's streaming mel input instead of the true magnitudes:
the pseudo-inverse of the B-band mel frame (model.MelPath); a mel network's corrected
magnitudes (model.py) then replace it in the least squares and the synthesis. --project S
then takes S multiplicative steps towards the mel frame m before they do, per frame
a <- a (F^T (m / F a)) / (F^T 1) (the multiplicative update of non-negative least squares
with a fixed basis): each band's level is restored while the network's shape within the
band is kept. The core does not do this (yet): the prototype measures what it would gain.
--grid first tunes p and gamma for each CNN variant by WB-PESQ on the first --grid-count files.
"""
import argparse
import itertools
import os
from collections import defaultdict

import numpy as np
import torch
from scipy.linalg import solveh_banded

from Tools.cnn import export, model
from Tools.cnn.model import H, K, N, MelPath, frame_outputs, network_input, output_frames, stft

from Tools.eval import common

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out")
NOMINAL = 2 * np.pi * H / N * np.arange(K)


def princarg(x):
    return np.angle(np.exp(1j * x))


def cnn_derivatives(net, a):
    """(tpd, fpd, magnitudes) [T, K] from the network; the strided one runs on rows 0, 2, 4, ...
    (row t sees frames t+1 ... t-3 and yields frames t and t+1). The magnitudes are `a`, or
    for a network with a magnitude head the corrected ones."""
    variant = net.variant
    a = torch.from_numpy(a.astype(np.float32))
    with torch.no_grad():
        out = net(network_input(a, variant)).numpy()
    out = out.reshape(len(a), output_frames(variant), frame_outputs(net.magnitude_head), K)
    if variant == "strided":
        rows = np.arange(len(a)) // 2 * 2
        out = out[rows, np.arange(len(a)) % 2][:, None]
    c_b, s_b, c_f, s_f = (out[:, 0, i] for i in range(4))
    if net.magnitude_head:
        a = torch.exp(model.corrected_log_magnitudes(a, torch.from_numpy(out[:, 0, 4])))
    return princarg(np.arctan2(s_b, c_b) + NOMINAL), np.arctan2(s_f, c_f), a.double().numpy()


def pghi_derivatives(a):
    """Causal PGHI, frame-start convention, trapezoid-averaged (PGHIEstimator.swift)."""
    s = np.log(a + 1e-9)
    history = np.concatenate([np.full((2, K), np.log(1e-9)), s])
    gamma = 0.25645 * N * N
    padded = np.concatenate([s[:, :1], s, s[:, -1:]], axis=1)
    spacing = np.full(K, 2.0)
    spacing[[0, K - 1]] = 1
    upper = np.where(np.arange(K) == K - 1, s[:, K - 1:K], padded[:, 2:])
    lower = np.where(np.arange(K) == 0, s[:, :1], padded[:, :-2])
    omega = H * N / gamma * (upper - lower) / spacing + NOMINAL
    dsdt = 0.5 * (3 * history[2:] - 4 * history[1:-1] + history[:-2])
    tau = -gamma / (H * N) * dsdt - np.pi
    tpd = np.concatenate([omega[:1], 0.5 * (omega[1:] + omega[:-1])])
    fpd = np.concatenate([0.5 * (tau[:, :-1] + tau[:, 1:]), tau[:, -1:]], axis=1)
    return tpd, fpd, a


def integrate(a, tpd, fpd, p, gamma, epsilon=1e-6):
    """Unit phasors [T, K] by the frame-by-frame least squares (module docstring)."""
    phasors = np.zeros(a.shape, complex)
    previous, previous_weight = None, None
    for t in range(len(a)):
        peak = a[t].max()
        weight = (a[t] / peak) ** p if peak > 0 else np.zeros(K)
        rotation = np.exp(1j * np.concatenate([[0], np.cumsum(fpd[t, :-1])]))
        if previous is None:
            u = rotation
        else:
            lam = weight * previous_weight + epsilon
            edges = gamma * weight[:-1] * weight[1:]
            banded = np.zeros((2, K))
            banded[0, 1:] = -edges
            banded[1] = lam + np.concatenate([[0], edges]) + np.concatenate([edges, [0]])
            v = solveh_banded(banded, lam * rotation.conj() * previous * np.exp(1j * tpd[t]))
            u = rotation * v
            norm = np.abs(u)
            u = np.where(norm > 0, u / np.where(norm > 0, norm, 1), rotation)
        phasors[t] = u
        previous, previous_weight = (u, weight) if peak > 0 else (None, None)
    return phasors


def mel_consistent(a, m, filterbank, steps):
    """`steps` multiplicative updates of magnitudes a [T, K] towards mel frames m = F|X| [T, B]
    (module docstring); F the B x K filterbank."""
    spread = np.maximum(filterbank.sum(axis=0), 1e-12)
    for _ in range(steps):
        a = a * ((m / np.maximum(a @ filterbank.T, 1e-12)) @ filterbank) / spread
    return a


def invert(x, derivatives, p, gamma, mel=None, project=0):
    a = stft(torch.from_numpy(x)).abs()
    m = None
    if mel is not None:
        m = (a.float() @ mel.analysis).double().numpy()
        a = mel(a.float()).double()
    tpd, fpd, a = derivatives(a.numpy())
    if project:
        a = mel_consistent(a, m, mel.analysis.T.double().numpy(), project)
    return common.project_istft(a * integrate(a, tpd, fpd, p, gamma), len(x))


def score(files, derivatives, p, gamma, mel=None, project=0):
    """Per file (speaker, WB-PESQ, ESTOI, SC)."""
    rows = []
    for path, speaker in files:
        x = common.read_mono(path)
        rows.append((speaker, *common.Scorer(x).scores(invert(x, derivatives, p, gamma, mel, project))))
    return rows


def summary(name, rows):
    by = defaultdict(list)
    for row in rows:
        by[row[0]].append(row[1:])
    mean = np.mean([r[1:] for r in rows], axis=0)
    print(f"{name}: WB-PESQ {mean[0]:.3f}  ESTOI {mean[1]:.4f}  SC {mean[2]:.1f} dB  ({len(rows)} files)")
    for speaker, values in sorted(by.items()):
        m = np.mean(values, axis=0)
        print(f"    {speaker:20s} WB-PESQ {m[0]:.3f}  ESTOI {m[1]:.4f}  ({len(values)})")
    return mean


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument("--grid", action="store_true", help="tune p and gamma for the CNN variants first (WB-PESQ)")
    parser.add_argument("--grid-count", type=int, default=16, help="files the grid scores")
    parser.add_argument("--only", help="evaluate only this estimator (pghi, cnn-causal, cnn-strided, ...)")
    parser.add_argument("--mel", type=int, metavar="B", help="feed every method the pseudo-inverse of the B-band mel frame")
    parser.add_argument("--committed", action="store_true", help="also the networks of CNNWeights.swift (with --mel the mel ones too)")
    parser.add_argument("--networks", nargs="*", default=[], metavar="PT", help="more checkpoints of train.py")
    parser.add_argument("--project", type=int, default=0, metavar="S",
                        help="with --mel, S multiplicative steps of the magnitudes towards the mel frame")
    parser.add_argument("--p", type=float, default=1.5)
    parser.add_argument("--gamma", type=float, default=5.0)
    args = parser.parse_args()
    if args.project and not args.mel:
        parser.error("--project needs --mel")
    torch.set_num_threads(2)
    files = common.manifest_files(common.DEFAULT_SPEECH, "dev", min_seconds=1.0, count=args.count)
    mel = MelPath(args.mel) if args.mel else None
    estimators = {"pghi": (pghi_derivatives, 1.5, 5.0)}
    nets = {}
    if args.committed:
        nets.update({f"committed-{name}": export.committed_network(name) for name in (export.NETWORKS if mel else export.VARIANTS)})
    paths = [os.path.join(OUT, f"{variant}.pt") for variant in export.VARIANTS] + args.networks
    for path in [p for p in paths if os.path.exists(p)]:
        nets["cnn-" + os.path.splitext(os.path.basename(path))[0]] = export.load_network(path)[0]
    for name, net in nets.items():
        estimators[name] = (lambda a, net=net: cnn_derivatives(net, a), args.p, args.gamma)
    if args.only:
        estimators = {args.only: estimators[args.only]}
    if args.grid:
        for name, (derivatives, _, _) in [e for e in estimators.items() if e[0] != "pghi"]:
            best = None
            for p, gamma in itertools.product((0.5, 0.75, 1.0, 1.5), (2.0, 5.0, 10.0, 20.0)):
                pesq = np.mean([common.pesq(common.RATE, x, invert(x, derivatives, p, gamma, mel), "wb")
                                for x in (common.read_mono(path) for path, _ in files[:args.grid_count])])
                print(f"{name} p {p} gamma {gamma}: WB-PESQ {pesq:.3f}", flush=True)
                if best is None or pesq > best[0]:
                    best = (pesq, p, gamma)
            estimators[name] = (derivatives, best[1], best[2])
    for name, (derivatives, p, gamma) in estimators.items():
        source = f"mel{args.mel} -> " if mel else ""
        steps = f", {args.project} steps towards the mel frame" if args.project else ""
        summary(f"{source}{name} + least squares (p {p}, gamma {gamma}{steps})",
                score(files, derivatives, p, gamma, mel, args.project))


if __name__ == "__main__":
    main()
