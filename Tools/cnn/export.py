"""Exports the trained networks (Tools/cnn/out/<name>.pt from train.py) to Swift:

    python3 -m Tools.cnn.export [--from FOLDER] [--keep NAME ...]
    python3 -m Tools.cnn.export --describe FOLDER/*.pt     # what train.py wrote, exporting nothing

The networks (NETWORKS): `causal` and `strided` for linear magnitudes, `causal-mel80` and
`strided-mel80` for the streaming mel path's 80-band input (with the magnitude head).

- Sources/RephaseCore/Network/CNNWeights.swift: the architecture constants, the buffer types
  sized from them, and per network one flat weight table in Float32 and in Float16, in the
  order PhaseDerivativeNetwork.swift documents (layer 0, then per block depthwise, pointwise,
  pointwise bias, then the head). The model has no normalisation layers, so nothing to fold.
- Tests/Fixtures/cnn-golden/cnn-<name>.txt (outside the test target, so SwiftPM
  needs no resource rule): magnitudes of a few consecutive frames of
  the bundled example clip (silent history before the first; for a mel network the
  pseudo-inverse of their 80-band mel frames, its input) and the network's Float32
  outputs for each frame as the newest, for CNNWeightsTests; cnn-<name>-float16.txt the same
  with the weights the Float16 table holds (computed in Float32, as the core does).
"""
import argparse
import os
import re

import numpy as np
import torch

from Tools import BUNDLED_CLIP, ROOT
from Tools.cnn import model
from Tools.cnn.model import K, PhaseDerivativeNet, stft

OUT = os.path.join(ROOT, "Tools", "cnn", "out")
SWIFT = os.path.join(ROOT, "Sources", "RephaseCore", "Network", "CNNWeights.swift")
GOLDEN = os.path.join(ROOT, "Tests", "Fixtures", "cnn-golden")
GOLDEN_FRAMES = 3
VARIANTS = ("causal", "strided")
MEL_BANDS = 80
NETWORKS = VARIANTS + tuple(f"{variant}-mel{MEL_BANDS}" for variant in VARIANTS)


def variant_of(name):
    """The variant of a network name: causal-mel80 -> causal."""
    return name.split("-")[0]


def bands_of(name):
    """The mel bands a network takes (None: linear magnitudes)."""
    return MEL_BANDS if name.endswith(f"-mel{MEL_BANDS}") else None


def swift_name(name):
    """The tables' name in Swift: causal-mel80 -> causalMel80."""
    return name.replace(f"-mel{MEL_BANDS}", f"Mel{MEL_BANDS}")


def table_order(net):
    """The parameters in the Swift table order (PhaseDerivativeNetwork.swift)."""
    parts = [net.first.weight, net.first.bias]
    for depthwise, pointwise in zip(net.depthwise, net.pointwise):
        parts += [depthwise.weight, pointwise.weight, pointwise.bias]
    return parts + [net.head.weight, net.head.bias]


def flat_table(net):
    """The weights in the Swift table order."""
    return np.concatenate([p.detach().numpy().astype(np.float32).ravel() for p in table_order(net)])


def float_tables():
    """The Float32 table of each network CNNWeights.swift holds, parsed from it."""
    text = open(SWIFT).read()
    tables = {}
    for name in NETWORKS:
        found = re.search(rf"static var {swift_name(name)}Float32: InlineArray<\d+, Float> = \[(.*?)\]", text, re.S)
        if found:
            tables[name] = np.array([float(v) for v in found.group(1).replace("\n", " ").split(",") if v.strip()], dtype=np.float32)
    return tables


def float16_table(table):
    """A Float32 table as the core stores it in Float16: rounded to nearest, with the values
    below Float16's normal range (2^-14) stored as 0 (no subnormal literals: Swift warns)."""
    half = table.astype(np.float16)
    half[np.abs(half) < np.finfo(np.float16).tiny] = 0
    return half


def network_from_table(name, table):
    """A PhaseDerivativeNet holding `table` (the inverse of flat_table)."""
    net = PhaseDerivativeNet(variant_of(name), magnitude_head=bands_of(name) is not None)
    used = 0
    with torch.no_grad():
        for p in table_order(net):
            p.copy_(torch.from_numpy(table[used:used + p.numel()]).reshape(p.shape))
            used += p.numel()
    assert used == len(table), f"{name}: table has {len(table)} values, the network {used}"
    return net.eval()


def committed_network(name):
    """A network the core ships (`causal`, `strided-mel80`, ...), read back from CNNWeights.swift."""
    return network_from_table(name, float_tables()[name])


def load_network(path):
    """(network, what train.py recorded: variant, input, bands, epoch, step, dev loss, args) from a .pt."""
    saved = torch.load(path, map_location="cpu", weights_only=False)
    net = PhaseDerivativeNet(saved["variant"], magnitude_head=saved["bands"] is not None)
    net.load_state_dict(saved["model"])
    return net.eval(), saved


def literal_rows(text, per_line=8):
    """Swift literals, `per_line` to a line: the Float32 values as the exact decimal of each (so
    Float parses them back exactly), the Float16 ones as their bit patterns."""
    return ",\n".join("    " + ", ".join(text[i:i + per_line]) for i in range(0, len(text), per_line))


def swift_tables(nets):
    bins = K
    rows_in = max(model.input_frames(v) for v in VARIANTS)
    rows_out = max(model.frame_outputs(bands_of(n) is not None) * model.output_frames(variant_of(n)) for n in NETWORKS)
    lines = [
        "// GENERATED by Tools/cnn/export.py -- do not edit by hand.",
        "// Regenerate with (from the repository root; PyTorch needed, Tools/requirements.txt):",
        "//   python3 -m Tools.cnn.train --variant causal --threads 1                (~37 min on a shared core)",
        "//   python3 -m Tools.cnn.train --variant strided --threads 1 --epochs 70   (~36 min on one core)",
        "//   python3 -m Tools.cnn.train --variant causal --input mel80 --init committed --lr 1e-3 --threads 1 --minutes 40",
        "//   python3 -m Tools.cnn.train --variant strided --input mel80 --init committed --lr 1e-3 --threads 1 --minutes 40",
        "//     (side by side on two cores: 7,185 and 7,942 steps of 8; --epochs 48 and 53 are those lengths by step count)",
        "//   then the causal, strided and causal-mel80 networks 8 more minutes each on one CUDA GPU from those tables:",
        "//   python3 -m Tools.data.pack && Tools/gpu-train OUT 9.0 continue  # a device run carrying .data; OUT/training.tar",
        "//   mkdir -p .data/gpu-run-2/ship && tar -xf OUT/training.tar -C .data/gpu-run-2",
        "//   cp .data/gpu-run-2/cnn/continued/{causal,strided,causal-mel80}.pt .data/gpu-run-2/ship/",
        "//   python3 -m Tools.cnn.export --from .data/gpu-run-2/ship --keep strided-mel80",
        "",
        "/// The phase-derivative CNN's architecture (Tools/cnn/model.py), as trained.",
        "enum CNNArchitecture {",
        f"    /// STFT the network is trained for: frame length N, hop H, K = N/2 + 1 bins.",
        f"    static let frameLength = {model.N}",
        f"    static let hop = {model.H}",
        f"    static let bins = {bins}",
        f"    /// Feature definition (CNNFeatures): floor added before the log, clamp range.",
        f"    static let logFloor: Float = {model.LOG_FLOOR!r}",
        f"    static let logRange: Float = {model.LOG_RANGE!r}",
        f"    /// Channels C of every hidden layer, per variant (CNNVariant.channels).",
        f"    static let causalChannels = {model.CHANNELS['causal']}",
        f"    static let stridedChannels = {model.CHANNELS['strided']}",
        f"    /// Causal input frames F (t, t-1, ...); the strided variant reads one more.",
        f"    static let pastFrames = {model.PAST_FRAMES}",
        f"    /// Kernel of layer 0 and of the blocks' depthwise convolutions (along frequency).",
        f"    static let firstKernel = {model.FIRST_KERNEL}",
        f"    static let blockKernel = {model.BLOCK_KERNEL}",
        f"    /// Dilation of each residual block's depthwise convolution.",
        f"    static let dilations: InlineArray<{len(model.DILATIONS)}, Int> = [{', '.join(map(str, model.DILATIONS))}]",
        f"    /// Mel bands the mel networks take (CNNInput.mel80): the Slaney filterbank, 0 Hz to fs / 2.",
        f"    static let melBands = {MEL_BANDS}",
        "}",
        "",
        "/// The Q15 estimator of each variant, specialised for its width (Q15CNNEstimator).",
        f"public typealias Q15CausalCNNEstimator = Q15CNNEstimator<{model.CHANNELS['causal']}>",
        f"public typealias Q15StridedCNNEstimator = Q15CNNEstimator<{model.CHANNELS['strided']}>",
        "",
        "/// A frame of K magnitudes.",
        f"typealias CNNFrame = InlineArray<{bins}, Float>",
        "/// Input rows [rows][K], sized for the variant with the most rows.",
        f"typealias CNNInputRows = InlineArray<{rows_in * bins}, Float>",
        "/// Hidden activations [C][K], sized for the widest variant.",
        f"typealias CNNActivations = InlineArray<{max(model.CHANNELS.values()) * bins}, Float>",
        "/// Output channels [outputs per frame x output frames][K], sized for the network with the most.",
        f"typealias CNNOutputRows = InlineArray<{rows_out * bins}, Float>",
        "",
        "/// The trained weights, one flat table per network and precision (layout:",
        "/// PhaseDerivativeNetwork). Float16 values are the Float32 ones rounded to nearest, with",
        "/// the few below Float16's normal range (2^-14) stored as 0, and written as their bit",
        "/// patterns (UInt16): a read-only-section table must be a constant expression, which a",
        "/// Float16 literal is not.",
        "enum CNNWeights {",
    ]
    for network in NETWORKS:
        table = flat_table(nets[network])
        half = float16_table(table)
        bits = [f"0x{v:04x}" for v in half.view(np.uint16)]
        for name, text, swift_type in (("Float32", [repr(float(v)) for v in table], "Float"), ("Float16Bits", bits, "UInt16")):
            # A read-only-section var, read in place (GeneratedTable says why not a `static let`).
            lines.append(f"    @section(\".rodata.rephase.CNNWeights.{swift_name(network)}{name}\") nonisolated(unsafe) static var {swift_name(network)}{name}: "
                         f"InlineArray<{len(table)}, {swift_type}> = [")
            lines.append(literal_rows(text))
            lines.append("    ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def golden(net, name, magnitudes):
    """Text: a header line, then per frame a line of K magnitudes and a line of the outputs."""
    if bands_of(name) is not None:
        magnitudes = model.MelPath(bands_of(name))(torch.from_numpy(magnitudes)).numpy()
    with torch.no_grad():
        # each frame in turn as the newest input row (for the strided variant: its look-ahead)
        x = model.features(torch.from_numpy(magnitudes), model.input_frames(variant_of(name)))
        outputs = net(x).numpy()
    lines = [f"# {name}: {len(magnitudes)} frames; per frame: {K} magnitudes, then {outputs.shape[1]} x {K} outputs"]
    for frame, out in zip(magnitudes, outputs):
        lines.append(" ".join(f"{v:.9g}" for v in frame))  # 9 digits round-trip a Float32
        lines.append(" ".join(f"{v:.9g}" for v in out.ravel()))
    return "\n".join(lines) + "\n"


def loudest_frames(count):
    """`count` consecutive magnitude frames (float32) around the example clip's loudest frame."""
    import soundfile  # only the golden vectors need it, not the networks' loading

    x, _ = soundfile.read(BUNDLED_CLIP, dtype="float32")
    a = stft(torch.from_numpy(x)).abs().numpy()
    centre = int(np.argmax(a.sum(axis=1)))
    return np.ascontiguousarray(a[centre - count // 2:centre - count // 2 + count])


def describe(paths):
    for path in paths:
        net, saved = load_network(path)
        print(f"{path}: {saved['variant']}, input {saved['input']}, {model.parameter_count(net)} parameters, "
              f"{model.macs_per_frame(net)} MACs per evaluation; epoch {saved['epoch']}, step {saved['step']}, "
              f"dev loss {saved['dev']:.4f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--from", dest="folder", default=OUT, help="folder with <name>.pt of each network")
    parser.add_argument("--describe", nargs="+", metavar="PT", help="only describe these checkpoints")
    parser.add_argument("--keep", choices=NETWORKS, action="append", default=[],
                        help="take this network from the committed CNNWeights.swift, not FOLDER (retrain one, keep the others)")
    args = parser.parse_args()
    if args.describe:
        describe(args.describe)
        return
    nets = {}
    for name in args.keep:
        nets[name] = committed_network(name)
    for name in NETWORKS:
        if name in args.keep:
            continue
        net, saved = load_network(os.path.join(args.folder, f"{name}.pt"))
        if saved["bands"] != ([MEL_BANDS] if bands_of(name) else None):
            raise SystemExit(f"{name}.pt: a network for {saved['input']} input, not for {name}'s")
        nets[name] = net
    with open(SWIFT, "w") as f:
        f.write(swift_tables(nets))
    os.makedirs(GOLDEN, exist_ok=True)
    magnitudes = loudest_frames(GOLDEN_FRAMES)
    for name in NETWORKS:
        with open(os.path.join(GOLDEN, f"cnn-{name}.txt"), "w") as f:
            f.write(golden(nets[name], name, magnitudes))
        half = network_from_table(name, float16_table(flat_table(nets[name])).astype(np.float32))
        with open(os.path.join(GOLDEN, f"cnn-{name}-float16.txt"), "w") as f:
            f.write(golden(half, name, magnitudes))
        print(f"{name}: {model.parameter_count(nets[name])} parameters, "
              f"{model.macs_per_frame(nets[name])} MACs per evaluation")


if __name__ == "__main__":
    main()
