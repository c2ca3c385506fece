"""Quantises the trained phase-derivative networks, linear and mel (export.NETWORKS), to Q15
(q15model.py documents the integer arithmetic) and writes the bit-true model's golden vectors:

    python3 -m Tools.cnn.quantize [--files 200]

- reads the trained Float32 weights from Sources/RephaseCore/Network/CNNWeights.swift (what
  export.py wrote from the checkpoints), so it needs no checkpoint;
- calibrates the activation scales on --files utterances of the train split (every frame; a
  mel network on the pseudo-inverse of their 80-band mel frames, its input): each scale is the
  largest |activation| seen times HEADROOM, over 32767;
- quantises each output channel's weights with the real multiplier folded in, one power-of-two
  shift per layer and an int32 start value per channel (bias plus rounding constant), the
  accumulator bound checked;
- writes Sources/RephaseCore/Network/Q15CNNWeights.swift (tables in the order
  Q15PhaseDerivativeNetwork documents; a mel network's magnitude-correction gain) and
  Tests/Fixtures/cnn-golden/q15-<network>.txt: consecutive frames of the bundled clip (for a
  mel network the pseudo-inverse of their mel frames) as block-floating mantissas and
  exponent, and per frame the Q15 features and int16 outputs of q15model (silent history
  before the first), and for a mel network the frame's corrected mantissas and exponent by
  its output frame 0's g.
Deterministic: same corpus, same tables, bit for bit.
"""
import argparse
import os

import numpy as np
import torch

from Tools.cnn import export, model, q15model
from Tools.cnn.model import K
from Tools.data.speech import load_split

ROOT = export.ROOT
SWIFT_Q15 = os.path.join(ROOT, "Sources", "RephaseCore", "Network", "Q15CNNWeights.swift")
HEADROOM = 1.25
GOLDEN_FRAMES = 8


def network_magnitudes(name, magnitudes):
    """What network `name` reads for STFT magnitudes [T, K]: them, or their mel path's pseudo-inverse."""
    bands = export.bands_of(name)
    return magnitudes if bands is None else model.MelPath(bands)(magnitudes)


def activation_peaks(name, net, signals):
    """Largest |activation| of each tensor over every frame of `signals`: layer 0's output,
    the residual stream after every block (one scale for all), each block's depthwise output,
    and the head's output."""
    peaks = {"h": 0.0, "d": [0.0] * len(model.DILATIONS), "head": 0.0}
    with torch.no_grad():
        for x in signals:
            inputs = model.network_input(network_magnitudes(name, model.stft(x).abs()), net.variant)
            h = torch.relu(net.first(inputs))
            peaks["h"] = max(peaks["h"], h.abs().max().item())
            for b, (depthwise, pointwise) in enumerate(zip(net.depthwise, net.pointwise)):
                d = depthwise(h)
                peaks["d"][b] = max(peaks["d"][b], d.abs().max().item())
                h = h + torch.relu(pointwise(d))
                peaks["h"] = max(peaks["h"], h.abs().max().item())
            peaks["head"] = max(peaks["head"], net.head(h).abs().max().item())
    return peaks


def multiplier(real):
    """(M, r) with real = M 2^-r: M rounded half up to 15 significant bits (in [2^14, 2^15)),
    then, where r < 33, M shifted left to make r = 33 (exact), so that a 32-bit core finds
    the result and its rounding bit in the high word of acc M (q15model docstring)."""
    mantissa, exponent = np.frexp(real)  # real = mantissa 2^exponent, mantissa in [0.5, 1)
    m, r = int(np.floor(mantissa * 2**15 + 0.5)), 15 - int(exponent)
    if m == 2**15:
        m, r = 2**14, r - 1
    if r < 33:
        m, r = m << (33 - r), 33
    assert r <= 62 and m < 2**21, f"multiplier {real} out of range"
    return m, r


def quantize_layer(w, b, in_scale, out_scale, x_max):
    """int16 weights, int32 start values and the shift of one layer (q15model docstring): the
    largest shift r in [1, 30] at which every output channel's weights fit int16 and its
    accumulator provably fits int32 for inputs up to `x_max` in magnitude."""
    real = w.detach().numpy().astype(np.float64).reshape(len(w), -1) * (in_scale / out_scale)
    bias = np.zeros(len(w)) if b is None else b.detach().numpy().astype(np.float64) / out_scale
    for r in range(30, 0, -1):
        w_q = np.floor(real * 2.0**r + 0.5).astype(np.int64)
        c_q = np.floor(bias * 2.0**r + 0.5).astype(np.int64) + (1 << (r - 1))
        if np.abs(w_q).max() <= 32767 and (np.abs(c_q) + x_max * np.abs(w_q).sum(axis=1)).max() < 2**31:
            return w_q.reshape(w.shape), c_q, r
    raise SystemExit("no shift in [1, 30] fits the layer's weights and bound")


def padded_head(net):
    """The head's weight and bias with zero rows up to a multiple of 4 outputs (the Q15 kernels
    make four at a time; a mel network has 5 per output frame): each extra output is 0."""
    w, b = net.head.weight.detach(), net.head.bias.detach()
    extra = -len(w) % 4
    return torch.cat([w, w.new_zeros(extra, *w.shape[1:])]), torch.cat([b, b.new_zeros(extra)])


def quantize(net, peaks):
    """Every layer's tables; the inputs' largest magnitudes give the bound: 32768 for the
    features and depthwise outputs, 32767 for h (never negative)."""
    s_in, s_h, s_head = 2.0**-15, peaks["h"] * HEADROOM / 32767, peaks["head"] * HEADROOM / 32767
    q = {"scales": {"h": s_h, "head": s_head, "d": []}, "blocks": []}
    q["first_w"], q["first_b"], q["first_r"] = quantize_layer(net.first.weight, net.first.bias, s_in, s_h, 32768)
    for b, (depthwise, pointwise) in enumerate(zip(net.depthwise, net.pointwise)):
        s_d = peaks["d"][b] * HEADROOM / 32767
        q["scales"]["d"].append(s_d)
        dw, db, dr = quantize_layer(depthwise.weight, None, s_h, s_d, 32767)
        pw, pb, pr = quantize_layer(pointwise.weight, pointwise.bias, s_d, s_h, 32768)
        q["blocks"].append({"dilation": model.DILATIONS[b], "depthwise_w": dw[:, 0, :], "depthwise_b": db, "depthwise_r": dr,
                            "pointwise_w": pw[:, :, 0], "pointwise_b": pb, "pointwise_r": pr})
    hw, hb, hr = quantize_layer(*padded_head(net), s_h, s_head, 32767)
    q["head_w"], q["head_b"], q["head_r"] = hw[:, :, 0], hb, hr
    return q


def ordered(q, key):
    """One kind of table ("w", "b" or "r") in the Swift order: layer 0, per block
    (depthwise, pointwise), head."""
    parts = [q[f"first_{key}"]]
    for block in q["blocks"]:
        parts.append(block[f"depthwise_{key}"])
        parts.append(block[f"pointwise_{key}"])
    parts.append(q[f"head_{key}"])
    return np.concatenate([np.asarray(p).ravel() for p in parts])


def swift_source(quantized, files):
    lines = [
        "// GENERATED by Tools/cnn/quantize.py -- do not edit by hand.",
        "// Regenerate with (from the repository root; PyTorch and ../shared/speech needed):",
        f"//   python3 -m Tools.cnn.quantize --files {files}",
        "",
        "/// The Q15 networks (q15model.py documents the arithmetic, Q15PhaseDerivativeNetwork the",
        f"/// table order), quantised from CNNWeights' Float32 tables with activation scales calibrated",
        f"/// on {files} train-split utterances (largest |activation| times {HEADROOM}). Per network:",
        "/// int16 weights, per output channel of every layer (depthwise included) the int32",
        "/// accumulator start value (bias and rounding constant), and per layer the shift r in [1, 30].",
        "/// A mel network's CorrectionGain is G = round(2^31 s log2(e)), s its head's scale: the",
        "/// factor that turns its int16 magnitude correction g into log2 units (q15model.corrected).",
        "enum Q15CNNWeights {",
    ]
    for network, (q, _) in quantized.items():
        s, variant = q["scales"], export.swift_name(network)
        lines.append(f"    // {network}: residual-stream scale {s['h']:.6g}, depthwise scales "
                     f"{', '.join(f'{v:.6g}' for v in s['d'])}, head scale {s['head']:.6g}")
        if export.bands_of(network) is not None:
            lines.append(f"    static let {variant}CorrectionGain: Int32 = {q15model.correction_gain(s['head'])}")
        for key, name, swift_type in (("w", "Weights", "Int16"), ("b", "Starts", "Int32"), ("r", "Shifts", "Int32")):
            values = ordered(q, key)
            # A read-only-section var, read in place (GeneratedTable says why not a `static let`).
            lines.append(f"    @section(\".rodata.rephase.Q15CNNWeights.{variant}{name}\") nonisolated(unsafe) static var {variant}{name}: "
                         f"InlineArray<{len(values)}, {swift_type}> = [")
            lines.append(",\n".join("        " + ", ".join(str(int(v)) for v in values[i:i + 16])
                                    for i in range(0, len(values), 16)))
            lines.append("    ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def block_floating(frame):
    """Mantissas and exponent of a magnitude frame (FixedMagnitudes' conversion): the peak's
    mantissa in [2^31, 2^32), each value rounded half up."""
    peak = float(frame.max())
    if peak == 0:
        return np.zeros(len(frame), dtype=np.int64), 0
    e = int(np.frexp(peak)[1]) - 1 - 31
    return np.floor(frame.astype(np.float64) * 2.0**-e + 0.5).astype(np.int64), e


def golden(q, name, frames):
    variant, mel = export.variant_of(name), export.bands_of(name) is not None
    rows = model.input_frames(variant)
    history = [np.full(K, q15model.SILENT_LOG, dtype=np.int64)] * rows
    outputs = len(q["head_w"])  # padding included (padded_head)
    lines = [f"# {name}: {len(frames)} frames; per frame: exponent and {K} mantissas, "
             f"then {rows} x {K} Q15 features, then {outputs} x {K} int16 outputs"
             + (", then the corrected exponent and mantissas (g of output frame 0)" if mel else "")]
    frames = network_magnitudes(name, torch.from_numpy(frames)).numpy()
    for frame in frames:
        m, e = block_floating(frame)
        logs, peak = q15model.absolute_logs(m, e)
        history = [logs] + history[:-1]
        x = q15model.features(np.stack(history), peak)
        out = q15model.network(x, q)
        lines.append(" ".join([str(e)] + [str(int(v)) for v in m]))
        lines.append(" ".join(str(int(v)) for v in x.ravel()))
        lines.append(" ".join(str(int(v)) for v in out.ravel()))
        if mel:
            corrected, exponent = q15model.corrected(m, e, out[4], q15model.correction_gain(q["scales"]["head"]))
            lines.append(" ".join([str(exponent)] + [str(int(v)) for v in corrected]))
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=200, help="train utterances for calibration (default 200)")
    args = parser.parse_args()
    torch.manual_seed(0)
    signals = load_split("train")
    rng = np.random.default_rng(0)
    chosen = [signals[i] for i in sorted(rng.choice(len(signals), size=min(args.files, len(signals)), replace=False))]
    quantized = {}
    for name in export.NETWORKS:
        net = export.committed_network(name)
        peaks = activation_peaks(name, net, chosen)
        quantized[name] = (quantize(net, peaks), net)
        print(f"{name}: activation peaks {peaks}")
    with open(SWIFT_Q15, "w") as f:
        f.write(swift_source(quantized, args.files))
    frames = export.loudest_frames(GOLDEN_FRAMES)
    for name, (q, _) in quantized.items():
        with open(os.path.join(export.GOLDEN, f"q15-{name}.txt"), "w") as f:
            f.write(golden(q, name, frames))
    print(f"wrote {SWIFT_Q15} and {export.GOLDEN}/q15-*.txt")


if __name__ == "__main__":
    main()
