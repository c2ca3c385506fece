"""Quantises the shipped MCNN (the checkpoint export.py exported) to Q15 (q15model.py documents
the integer arithmetic) and writes the bit-true model's golden vectors:

    python3 -m Tools.mcnn.quantize --config m7c16 [--checkpoint CHECKPOINT] [--files 100]

(--checkpoint as export.py's, which should have read the same one.)
- calibrates the activation scales on --files utterances evenly spaced through the train
  split (whole utterances, the Float32 network): each scale is the largest |value| seen times HEADROOM,
  over 32767 (the level-normalised input, every layer's pre-activation, each head's output, the heads' sum);
- quantises weights per output channel, biases at input scale times weight scale, the
  head coefficients with one scale; computes the ELU and softsign tables;
- writes Sources/RephaseCore/MCNN/Q15MCNNWeights.swift (tables in the order Q15MCNNInverter
  documents) and Tests/Fixtures/mcnn-golden/mcnn-q15.txt: the golden frames of export.py as
  int16 inputs and, per frame, the hop int16 output samples of q15model (the integer network:
  the level normalisation is the Float interface's, input_q15, and the output's gain is applied
  to the Float samples).
Deterministic: same corpus, same tables, bit for bit.
"""
import argparse
import math
import os

import numpy as np
import torch

from Tools.cnn.quantize import multiplier
from Tools.data.speech import load_split
from Tools.mcnn import export, q15model
from Tools.mcnn.network import CONFIGS, levels, stft

SWIFT = os.path.join(export.ROOT, "Sources", "RephaseCore", "MCNN", "Q15MCNNWeights.swift")
HEADROOM = 1.25
TABLE = 257  # entries of the interpolation tables (q15model.interpolate)


def peaks(net, signals):
    """Largest |value| of the normalised input, of each head's layers' pre-activations, of each
    head's output and of the scaled sum, over whole utterances."""
    config = net.config
    found = {"input": 0.0, "layers": [[0.0] * config.layers for _ in net.heads], "sum": 0.0}
    with torch.no_grad():
        for x in signals:
            h0, _ = net.normalise(stft(x, config).abs()[None])
            found["input"] = max(found["input"], h0.abs().max().item())
            total = 0
            for head, (scale, layers) in enumerate(zip(net.scales, net.heads)):
                h = h0
                for i, layer in enumerate(layers):
                    h = layer(h)
                    found["layers"][head][i] = max(found["layers"][head][i], h.abs().max().item())
                    if i < len(layers) - 1:
                        h = torch.nn.functional.elu(h)
                total = total + scale * h[:, 0]
            found["sum"] = max(found["sum"], total.abs().max().item())
    return found


def scale_of(peak):
    return max(peak, 1e-6) * HEADROOM / 32767


def quantize_layer(layer, in_scale, out_scale):
    """A ConvTranspose1d's int16 weights [width][out][in] (one scale per output channel),
    int64 biases, multipliers and shifts."""
    w = layer.weight.detach().numpy().astype(np.float64).transpose(2, 1, 0)  # [width][out][in]
    w_scale = np.abs(w).max(axis=(0, 2)) / 32767
    w_scale[w_scale == 0] = 1.0
    w_q = np.clip(np.floor(w / w_scale[None, :, None] + 0.5), -32767, 32767).astype(np.int64)
    b_q = np.clip(np.floor(layer.bias.detach().numpy().astype(np.float64) / (in_scale * w_scale) + 0.5),
                  -2**40, 2**40).astype(np.int64)
    pairs = [multiplier(in_scale * s / out_scale) for s in w_scale]
    return w_q, b_q, np.array([p[0] for p in pairs], dtype=np.int64), np.array([p[1] for p in pairs], dtype=np.int64)


def table(function):
    """The 257 entries of an interpolation table: function(u) at u = 128 j, rounded, saturated."""
    step = 1 << q15model.ELU_SEGMENT_BITS
    return np.array([min(32767, max(-32768, math.floor(function(step * j) + 0.5))) for j in range(TABLE)], dtype=np.int64)


def quantize(net, found):
    config = net.config
    s_in = scale_of(found["input"])
    q = {"hop": config.hop, "input_scale": s_in, "heads": [], "scales": []}
    head_scales = []
    for head, layers in enumerate(net.heads):
        quantized, s = [], s_in
        for i, layer in enumerate(layers):
            s_out = scale_of(found["layers"][head][i])
            w, b, m, r = quantize_layer(layer, s, s_out)
            last = i == len(layers) - 1
            elu = None if last else table(lambda u, s_out=s_out: (math.exp(-u * s_out) - 1) / s_out)
            quantized.append({"w": w, "b": b, "m": m, "r": r, "stride": config.stride, "elu": elu})
            q["scales"].append(s_out)
            s = s_out
        q["heads"].append(quantized)
        head_scales.append(s)
    s_sum = scale_of(found["sum"])
    c = np.array([float(scale) * s for scale, s in zip(net.scales.detach(), head_scales)])
    c_scale = np.abs(c).max() / 32767
    q["coefficients"] = np.floor(c / c_scale + 0.5).astype(np.int64)
    q["sum_m"], q["sum_r"] = multiplier(c_scale / s_sum)
    a, b = float(net.output.a), float(net.output.b)
    def softsign(v):
        return a * v / (1 + abs(b * v))
    # The output's scale: the level-normalised output exceeds 1 (a frame's largest bin is not its largest sample).
    q["output_scale"] = abs(softsign(32768 * s_sum)) / 32767
    q["softsign"] = table(lambda u: softsign(u * s_sum) / q["output_scale"])
    q["sum_scale"] = s_sum
    return q


def input_gain(q, config):
    """Magnitude to int16 input before the level: the magnitude scale over s_in, as the Float32 the core multiplies by."""
    return np.float32(config.magnitude_scale) * np.float32(1 / q["input_scale"])


def input_q15(magnitudes, q, config):
    """The documented conversion of Float32 magnitudes [T, K]: sat16(round(a (gain / g_t))) with
    g_t the frame's running level (network.levels; the core's recursion agrees up to float
    rounding), half away from zero as FloatMath.nearestInteger (Q15MCNNInverter's Float interface)."""
    a = magnitudes.astype(np.float32)
    g = levels(torch.from_numpy(a * np.float32(config.magnitude_scale))[None], config)[0].numpy()
    v = a * (input_gain(q, config) / g.astype(np.float32))[:, None]
    return q15model.sat16(np.floor(v.astype(np.float64) + 0.5)).astype(np.int64)


def flat(q, key):
    return np.concatenate([np.asarray(layer[key]).ravel() for head in q["heads"] for layer in head
                           if layer[key] is not None])


def swift_source(q, name, files, command):
    def literal(label, swift_type, values, per_line=16):
        rows = ",\n".join("        " + ", ".join(str(int(v)) for v in values[i:i + per_line])
                          for i in range(0, len(values), per_line))
        # A read-only-section var, read in place (GeneratedTable says why not a `static let`).
        return [f"    @section(\".rodata.rephase.Q15MCNNWeights.{label}\") nonisolated(unsafe) static var {label}: "
                f"InlineArray<{len(values)}, {swift_type}> = [", rows, "    ]"]

    lines = [
        "// GENERATED by Tools/mcnn/quantize.py -- do not edit by hand.",
        "// Regenerate with (from the repository root; PyTorch and ../shared/speech needed), after export.py:",
        f"//   {command}",
        "",
        "/// The Q15 MCNN (Tools/mcnn/q15model.py documents the arithmetic, Q15MCNNInverter the table",
        f"/// order), quantised from the `{name}` checkpoint with scales calibrated on {files} train-split",
        f"/// utterances (largest |value| times {HEADROOM}). Layer pre-activation scales:",
        f"/// {', '.join(f'{s:.4g}' for s in q['scales'])}; heads' sum scale {q['sum_scale']:.4g}.",
        "enum Q15MCNNWeights {",
        "    /// Magnitudes to input: q = sat16(round(a x inputGain / g)), inputGain = magnitude scale / s_in,",
        "    /// g the running level (MCNNLevel).",
        f"    static let inputGain: Float = {float(input_gain(q, CONFIGS[name]))!r}",
        "    /// The heads' sum: acc = sum_h coefficients[h] head_h, requantised by (M, r).",
        f"    static let sumMultiplier: Int32 = {q['sum_m']}",
        f"    static let sumShift: UInt8 = {q['sum_r']}",
        "    /// The integer network's output sample q stands for q outputScale (before the level).",
        f"    static let outputScale: Float = {float(np.float32(q['output_scale']))!r}",
    ]
    lines += export.chunked_table("weights", "Int16", [str(int(v)) for v in flat(q, "w")])
    lines += literal("biases", "Int64", flat(q, "b"), 8)
    lines += literal("multipliers", "Int32", flat(q, "m"))
    lines += literal("shifts", "UInt8", flat(q, "r"))
    lines += literal("eluTables", "Int16", flat(q, "elu"))
    lines += literal("coefficients", "Int16", q["coefficients"])
    lines += literal("softsign", "Int16", q["softsign"])
    lines.append("}")
    return "\n".join(lines) + "\n"


def golden(q, config):
    magnitudes = export.golden_magnitudes(config)
    x = input_q15(magnitudes, q, config)
    y = q15model.network(x, q)
    lines = [f"# q15: {len(x)} frames; per frame: {config.bins} int16 inputs, then {config.hop} int16 output samples"]
    for t, frame in enumerate(x):
        lines.append(" ".join(str(int(v)) for v in frame))
        lines.append(" ".join(str(int(v)) for v in y[t * config.hop:(t + 1) * config.hop]))
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", default=export.SHIPPED, choices=sorted(CONFIGS))
    parser.add_argument("--checkpoint", help="the trained state, best or resumable (default: Tools/mcnn/out/<config>.pt)")
    parser.add_argument("--files", type=int, default=100, help="train utterances for calibration (default 100)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    signals = load_split("train")
    net = export.load(args.config, args.checkpoint)
    found = peaks(net, signals[::max(1, len(signals) // args.files)][:args.files])
    q = quantize(net, found)
    command = (f"python3 -m Tools.mcnn.quantize --config {args.config}"
               + (f" --checkpoint {args.checkpoint}" if args.checkpoint else "") + f" --files {args.files}")
    with open(SWIFT, "w") as f:
        f.write(swift_source(q, args.config, args.files, command))
    with open(os.path.join(export.GOLDEN, "mcnn-q15.txt"), "w") as f:
        f.write(golden(q, net.config))
    magnitudes = export.golden_magnitudes(net.config)
    with torch.no_grad():
        exact = net(torch.from_numpy(magnitudes)[None])[0].numpy()[:len(magnitudes) * net.config.hop]
        gains = net.normalise(torch.from_numpy(magnitudes)[None])[1][0].repeat_interleave(net.config.hop).numpy()
    error = q15model.network(input_q15(magnitudes, q, net.config), q) * np.float32(q["output_scale"]) * gains[:len(exact)] - exact
    snr = 10 * np.log10(np.sum(exact ** 2) / np.sum(error ** 2))
    print(f"peaks {found}\nQ15 against Float32 on the golden frames: SNR {snr:.1f} dB; wrote {SWIFT} and mcnn-q15.txt")


if __name__ == "__main__":
    main()
