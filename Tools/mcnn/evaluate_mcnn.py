"""MCNN's row in the results: dev-split quality of the core's MCNN (through the real CLI) and of
the trained PyTorch configurations next to the phase-gradient methods, the training runs, the
costs, and the seed paper's figures next to ours; written to docs/RESULTS.md as the `mcnn`
section (Tools/eval/common.write_results_section).

    swift build -c release
    python3 -m Tools.mcnn.plot_losses
    python3 -m Tools.mcnn.evaluate_mcnn --files 24 [--runs OUTDIR]

Files: --files dev utterances, round-robin over speakers (Tools/eval/common.manifest_files),
scored like Tools/eval/evaluate.py (WB-PESQ, ESTOI, spectral convergence in the project STFT).
The PyTorch configurations (the <config>.pt checkpoints in --runs, default Tools/mcnn/out, whose
<config>.log curves fill the training table, and the loss-study runs <config>-sc<W>.pt of
train.py --loss-weights W ... --name <config>-sc<W>) are run whole-utterance on their own STFT's
magnitudes (the `seed` one at hop 256, FFT 2048), one CPU thread; their throughput is timed here.
Speed of the core: `rephase-bench --only inverter`.
"""
import argparse
import os
import shlex
import subprocess
import sys
import time

import numpy as np
import torch

from Tools.mcnn.network import CONFIGS, macs_per_frame, parameter_count, spectral_convergence_db, stft
from Tools.mcnn.plot_losses import logs, studies
from Tools.mcnn import export

from Tools.eval import evaluate
from Tools.eval.common import DEFAULT_BENCH, DEFAULT_SPEECH, DEFAULT_TOOL, RATE, Scorer, manifest_files, write_results_section

CLI_METHODS = [("pghi", "f32"), ("cnn", "f32"), ("rtisi-la L=3", "f32"), ("mcnn", "f32"), ("mcnn", "f16"), ("mcnn", "q15")]


def trained(folder, study_runs):
    """The configurations with a checkpoint in `folder` and the loss-study runs (`study_runs`,
    plot_losses.studies) with one (<config>-sc<W>.pt), as loaded networks keyed by run name."""
    runs = {name: name for name in CONFIGS}
    runs.update({f"{name}-sc{weight}": name for name, weight in study_runs})
    return {run: export.load(config, os.path.join(folder, f"{run}.pt")) for run, config in runs.items()
            if os.path.exists(os.path.join(folder, f"{run}.pt"))}


def pytorch_label(run, current):
    """The quality table's name of a PyTorch run."""
    name, _, weight = run.partition("-sc")
    reading = f", SC weight {weight}" if weight else "" if name in current else ", first loss reading"
    return f"MCNN `{name}` (PyTorch{reading})"


def pytorch_output(net, x):
    """Whole-utterance synthesis of x from its own STFT magnitudes; (signal, seconds taken)."""
    signal = torch.from_numpy(x.astype(np.float32))
    start = time.perf_counter()
    with torch.no_grad():
        y = net.synthesize(stft(signal, net.config).abs()[None], len(x))[0].numpy()
    return y.astype(np.float64), time.perf_counter() - start


def bench_rows(bench):
    """The inverter benchmark's Markdown rows (ns per frame, RTF) of MCNN and the CNN and PGHI
    methods, or a line saying it was not run when the release benchmark is not built."""
    if not os.access(bench, os.X_OK):
        return [f"Not measured: `{os.path.relpath(bench, export.ROOT)}` was not built (`swift build -c release`)."]
    text = subprocess.run([bench, "--only", "inverter", "--markdown"], capture_output=True, text=True, check=True).stdout
    rows = [line for line in text.splitlines() if line.startswith("|")]
    return [line for i, line in enumerate(rows) if i < 2 or "mcnn" in line or "cnn" in line or "pghi |" in line]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=24)
    parser.add_argument("--speech", default=DEFAULT_SPEECH)
    parser.add_argument("--tool", default=DEFAULT_TOOL)
    parser.add_argument("--bench", default=DEFAULT_BENCH)
    parser.add_argument("--out", default=os.path.join(export.ROOT, "docs"))
    parser.add_argument("--runs", default=export.OUT, help="folder of the training runs (default: Tools/mcnn/out)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    methods = {m.name: m for m in evaluate.METHODS}
    study_runs = studies(args.runs)
    nets = trained(args.runs, study_runs)
    current = logs(folder=args.runs)  # configurations trained with the current losses; the rest are old- runs
    files = manifest_files(args.speech, "dev", min_seconds=0.5, count=args.files)
    # (method, format) -> per-file (WB-PESQ, ESTOI, SC); and its latency in samples
    scores, latency, seconds, audio = {}, {}, {name: 0.0 for name in nets}, 0.0
    with evaluate.tempfile.TemporaryDirectory() as workdir:
        for n, (path, _) in enumerate(files):
            scorer = Scorer(evaluate.read_mono(path))
            audio += len(scorer.reference) / RATE
            for name, fmt in CLI_METHODS:
                y, _, latency[name, fmt] = evaluate.invert(methods[name], fmt, path, scorer.reference, args.tool, workdir)
                scores.setdefault((name, fmt), []).append(scorer.scores(y))
            for name, net in nets.items():
                y, took = pytorch_output(net, scorer.reference)
                seconds[name] += took
                key = (pytorch_label(name, current), "f32")
                scores.setdefault(key, []).append(scorer.scores(y))
                latency[key] = net.config.delay
            print(f"\r{n + 1}/{len(files)} files", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)

    rows = ["| method | format | latency (ms) | WB-PESQ | ESTOI | SC (dB) |", "|---|---|---|---|---|---|"]
    for (name, fmt), values in scores.items():
        mean = np.mean(values, axis=0)
        rows.append(f"| {name} | {fmt} | {latency[name, fmt] / (RATE / 1000):.0f} | {mean[0]:.3f} | {mean[1]:.3f} | {mean[2]:.2f} |")

    training = ["| configuration | STFT (window / FFT / hop) | heads x layers, channels | weights | weight bytes f32 / f16 "
                "| MACs per frame | trained | steps | best dev SC (dB) | PyTorch speed, 1 CPU thread |",
                "|---|---|---|---|---|---|---|---|---|---|"]
    runs = [(name, curves, "") for name, curves in current.items()]
    runs += [(name, curves, ", first loss reading") for name, curves in logs("old-", args.runs).items()]
    runs += [(name, curves, ", continued from the shipped tables")
             for name, curves in logs(folder=args.runs, suffix="-continued").items()]
    runs += [(name, curves, f", continued with SC weight {weight} (one CPU thread)")
             for (name, weight), curves in study_runs.items()]
    for name, curves, reading in [run for run in runs if run[1]["dev"]]:  # a log cut off before its first dev line has no row
        config = CONFIGS[name]
        weights = parameter_count(nets[name]) if name in nets else 0
        dev = curves["dev"]
        best = min(d[3] for d in dev) if dev else float("nan")
        # the checkpoint in out/ is the current run's where there is one
        timed = seconds.get(name) and (not reading or name not in current)
        speed = f"{audio * RATE / seconds[name] / 1e6:.3f} M samples/s ({audio / seconds[name]:.0f}x real time)" \
            if timed else "-"
        training.append(
            f"| `{name}`{reading} | {config.window} / {config.fft} / {config.hop} | {config.heads} x {config.layers}, "
            f"{', '.join(map(str, config.channels))} | {weights:,} | {4 * weights:,} / {2 * weights:,} | {macs_per_frame(config):,} "
            f"| {dev[-1][0]:.0f} min | {dev[-1][1]} | {spectral_convergence_db(best):.2f} | {speed} |")

    study_summary = " and ".join(
        f"{spectral_convergence_db(min(d[3] for d in curves['dev'])):.2f} dB (SC weight {weight}, {curves['dev'][-1][0]:.0f} "
        "minutes of one CPU thread)" for (_, weight), curves in study_runs.items() if curves["dev"]) or "(no loss-study run here)"
    mcnn_sc = {key: np.mean(values, axis=0)[2] for key, values in scores.items() if "mcnn" in key[0].lower()}
    best = min(mcnn_sc, key=mcnn_sc.get)
    command = shlex.join(["python3", "-m", "Tools.mcnn.evaluate_mcnn", *sys.argv[1:]])
    body = "\n".join([
        "## MCNN (multi-head transposed convolutions; seed: Arik, Jun, Diamos 2019)",
        "",
        f"`{command}` on {len(files)} dev files ({audio:.0f} s of speech, round-robin over speakers), "
        f"scored as the tables above (SC in the project STFT). The core ships the `{export.SHIPPED}` "
        "configuration (`--method mcnn`); `project` and `seed` run in PyTorch only (their tables, "
        "8 MB and 59 MB in Float32, fit neither a microcontroller nor a Swift literal). With the seed's loss "
        "weights the network stops learning at its size: continued from its tables on a GPU "
        "(`--init continue`, the dashed curve below) it stays at its dev spectral convergence, and a fresh run "
        "of the same configuration approaches the same level from above. The weights were the limit, not the "
        "compute: continued with spectral convergence weighted more (`train.py --loss-weights`, the dash-dotted "
        f"curves) the same network reaches {study_summary} on the training script's dev pieces; the header of "
        "MCNNWeights.swift names the run the core ships. The seed's -12.9 dB comes from a network of 59 MB. "
        "'First loss reading': runs with the earlier reading of the seed's losses, whose instantaneous-"
        "frequency term rewarded a silent output (Tools/mcnn/network.py explains the current one); "
        "`seed` was not retrained. "
        f"The core's `mcnn` (f32, f16) computes PyTorch's `{export.SHIPPED}` network, as its golden tests require.",
        "",
        *rows,
        "",
        f"Training (`Tools/mcnn/train.py` runs in `{os.path.relpath(args.runs, export.ROOT)}`; "
        "loss curves below, `Tools/mcnn/plot_losses.py`). Dev SC here is on the training script's 64 fixed "
        "dev pieces, not the files above:",
        "",
        *training,
        "",
        "![MCNN loss curves](mcnn_loss.png)",
        "",
        "Seed paper (LibriSpeech, trained to convergence on GPUs) next to ours:",
        "",
        "| figure | seed paper | ours |",
        "|---|---|---|",
        f"| spectral convergence | -12.9 dB (GL-150: -13.6 dB) | best MCNN row above: {best[0]} {best[1]}, "
        f"{mcnn_sc[best]:.2f} dB |",
        "| speed | 5.2 M samples/s, 330x real time on a P100 GPU (seed configuration) | PyTorch: table above; "
        f"core `mcnn` (one CPU core, `{export.SHIPPED}`): rows below |",
        "",
        "Core speed (`rephase-bench --only inverter --markdown`, release build, this machine):",
        "",
        *bench_rows(args.bench),
    ])
    write_results_section(os.path.join(args.out, "RESULTS.md"), "mcnn", body)
    print(body)


if __name__ == "__main__":
    main()
