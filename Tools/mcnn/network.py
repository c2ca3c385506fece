"""MCNN, the multi-head transposed-convolution inverter (docs/ALGORITHMS.md section 10;
seed: Arik, Jun, Diamos, IEEE SPL 2019), shared by train.py, export.py and the evaluation so
all agree.

Network (the seed's): H heads; each head is L transposed 1-D convolutions over time, stride 2,
width 13, channels c_i halving down to 1 output channel; heads are scaled by trainable
scalars, summed, and bounded by a scaled softsign a x / (1 + |b x|). 2^L equals the hop, so
one input frame yields `hop` output samples. Our reading where the seed is silent:
- ELU after every layer of a head but its last (the head's output is the linear sample stream);
- input: linear magnitudes times 4 / window (a sinusoid of amplitude A reads about A);
- no padding in the transposed convolutions: frame t reaches samples [t hop, t hop + span)
  with span = (width - 1)(hop - 1) + 1, so the network is causal in frames and a sample's
  look-ahead is an alignment choice: sample n of the signal is output y[n + delay], with
  delay = (frames overlapping a sample - 1 + look-ahead) hop, where look-ahead = 4 frames
  centres the receptive field (frames n/hop - 4.9 .. n/hop + 7) on the 4 frames that hold n
  (frames n/hop .. n/hop + 3 under the project framing: frame j starts at sample
  (j - (window/hop - 1)) hop).

Level normalisation (ours; the seed has none, and without it the output depended on the
input level: dev SC -1.85 / -3.42 / -3.15 dB at peaks 0.03 / 0.5 / 1). Streaming and causal,
a few operations per frame in Float32, Float16 or Q15. With x_t[k] = magnitude_t[k] * 4 / window
(the scaled magnitudes of frame t = 0, 1, ... of the stream):
- frame peak      m_t = max_k x_t[k]
- running level   g_t = max(m_t, decay g_(t-1), floor), g_(-1) = floor (the reset state):
  a peak follower that rises at once and falls by `decay` per frame,
  decay = exp(-hop / (16000 level_release)), i.e. a time constant of `level_release` seconds;
- network input   x_t[k] / g_t, always in [0, 1] (so Q15 holds it at one fixed scale);
- output          the hop samples the network emits after frame t (y[t hop ..< (t + 1) hop],
  signal samples n in [(t - lag) hop, (t - lag + 1) hop) with lag = delay / hop) are the
  network's (softsign) output times g_(t - lag), g of the frame that ends with those samples
  (g_(t - lag) = floor while t < lag): an output sample is scaled by the level of the signal
  up to its own hop, never by a later onset, so quiet samples before a loud onset stay quiet.
g is homogeneous of degree 1 in the magnitudes above the floor, so scaling the input by c
scales the output by c exactly: the level no longer matters (down to the floor, 1e-4, -80 dB
re a full-scale sinusoid, which keeps int16 quantisation noise in silences from being raised
to full scale). The core keeps g and the last lag + 1 values of g (a ring of 8 floats). The
reference form is the recursion above, frame by frame; `levels` computes the same values in
closed form for training (equal up to float rounding).
"""
import math
from dataclasses import dataclass

import torch
from torch import nn


RATE = 16000


@dataclass(frozen=True)
class Config:
    window: int          # STFT window length
    fft: int             # FFT length (>= window; the window sits at the frame start)
    hop: int             # = stride^layers
    heads: int
    channels: tuple      # output channels of each layer (the first reads the K bins); the last is 1
    width: int = 13
    stride: int = 2
    lookahead: int = 4   # frames beyond the overlap-add delay
    level_release: float = 0.5  # seconds: time constant of the running level's fall
    level_floor: float = 1e-4   # the running level's least value (scaled magnitudes)

    def __post_init__(self):
        assert self.stride ** self.layers == self.hop and self.channels[-1] == 1, self

    @property
    def layers(self):
        return len(self.channels)

    @property
    def bins(self):
        return self.fft // 2 + 1

    @property
    def span(self):
        return (self.width - 1) * (self.hop - 1) + 1

    @property
    def delay(self):
        """Output sample index of signal sample 0 = the streaming latency in samples."""
        return (self.window // self.hop - 1 + self.lookahead) * self.hop

    @property
    def magnitude_scale(self):
        return 4.0 / self.window

    @property
    def level_decay(self):
        """The running level's factor per frame (module docstring)."""
        return math.exp(-self.hop / (RATE * self.level_release))

    @property
    def level_lag(self):
        """Frames between the frame whose level scales an output hop and the newest frame."""
        return self.delay // self.hop


def halving(first, layers):
    """The seed's channels: first, first / 2, ... down to 1, and 1 for the last layer."""
    return tuple(max(1, first >> i) for i in range(layers - 1)) + (1,)


# The one list of configurations. Cortex-M7 figures (480 MHz, 3.84 M cycles per hop of 128 at
# 16 kHz) are `cortex_m7_cycles`: the simulator's operation counts of MCNNInverter and
# Q15MCNNInverter at these sizes with the cortex-m7 profile, the level normalisation left out
# (it gave `rephase sim`'s 291,436 Q15 and 197,536 Float32 cycles for `m7` when the core was
# built with it; for the shipped `m7c16`, with the level, `rephase sim` gives 821,455 and
# 558,860); Q15 flash is `q15_flash_bytes`.
#   name    weights    MACs/frame  Q15 M7 cycles (budget)  Float32 M7 cycles  Q15 flash
#   m7       54,666       59,280     291,436 ( 7.6 %)      197,536 ( 5.1 %)  117,746 B
#   m7w      62,086      169,936     855,532 (22.3 %)      589,288 (15.3 %)  132,888 B
#   m7h3     89,432      150,072     749,776 (19.5 %)      514,156 (13.4 %)  191,517 B
#   m7c16   119,766      170,144     820,276 (21.4 %)      557,200 (14.5 %)  247,732 B
# (`project`: 2.0 M weights, 306 % of the M7 in Q15, 3.9 MiB of Q15 flash.) Each m7* fits the
# M7 limits: at most 25 % of the M7 per hop, Q15 flash at most 512 KiB (the network alone,
# as `rephase sim` counts it; the level normalisation adds about 2 operations per bin).
CONFIGS = {
    # The seed's configuration: 16 kHz, hop 256, window 1024, FFT 2048, 8 heads x 8 layers.
    "seed": Config(window=1024, fft=2048, hop=256, heads=8, channels=halving(128, 8)),
    # The seed's shape at the project STFT (N 512, hop 128: 7 layers of stride 2); PyTorch only.
    "project": Config(window=512, fft=512, hop=128, heads=8, channels=halving(64, 7)),
    # Reduced to fit a Cortex-M7: one channel from the fourth layer on (its size limited it;
    # the core shipped it before m7c16).
    "m7": Config(window=512, fft=512, hop=128, heads=2, channels=halving(8, 7)),
    # m7 widened to 8 channels in every layer but the last.
    "m7w": Config(window=512, fft=512, hop=128, heads=2, channels=(8, 8, 8, 8, 8, 8, 1)),
    # Three heads, tapering near the output, where the layers run at the highest rates.
    "m7h3": Config(window=512, fft=512, hop=128, heads=3, channels=(8, 8, 8, 8, 4, 2, 1)),
    # A wider first two layers (16 channels read the 257 bins), tapering near the output: the
    # one the core ships (export.SHIPPED), best of the candidates in a GPU run of 7 minutes.
    "m7c16": Config(window=512, fft=512, hop=128, heads=2, channels=(16, 16, 8, 8, 4, 2, 1)),
}


class ScaledSoftsign(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Parameter(torch.tensor(1.0))
        self.b = nn.Parameter(torch.tensor(1.0))

    def forward(self, x):
        return self.a * x / (1 + (self.b * x).abs())


def levels(x, config):
    """The running level g_t of scaled magnitudes x [B, T, K] from the reset state, [B, T]
    (module docstring). Closed form of the recursion: g_t = max(floor, max_{s <= t} decay^(t - s)
    m_s) = max(floor, decay^t cummax_s(m_s decay^-s)), in logarithms (decay^-t overflows float32
    after ~45 s at 0.5 s release)."""
    log_decay = math.log(config.level_decay)
    t = torch.arange(x.shape[1], device=x.device, dtype=x.dtype) * log_decay
    log_peak = torch.log(x.amax(dim=-1).clamp(min=1e-30))
    return torch.exp(torch.cummax(log_peak - t, dim=1).values + t).clamp(min=config.level_floor)


class MCNN(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        sizes = [config.bins] + list(config.channels)
        self.heads = nn.ModuleList(
            nn.ModuleList(nn.ConvTranspose1d(sizes[i], sizes[i + 1], config.width, stride=config.stride)
                          for i in range(config.layers))
            for _ in range(config.heads))
        self.scales = nn.Parameter(torch.ones(config.heads))
        self.output = ScaledSoftsign()

    def normalise(self, magnitudes, history=0):
        """Magnitudes [B, T, K] (linear) -> the network's input [B, K, T - history] and the
        output gain of each hop it emits, [B, T - history + span / hop] (module docstring). The
        first `history` frames only set the running level (they come before the stream the
        network sees, as a streaming inverter's earlier frames do); without them the level
        starts from the reset state."""
        config = self.config
        x = magnitudes * config.magnitude_scale
        g = levels(x, config)
        frames = x.shape[1] - history
        blocks = frames + -(-config.span // config.hop)
        source = torch.arange(blocks, device=x.device) + history - config.level_lag
        gains = g[:, source.clamp(0, x.shape[1] - 1)]
        gains = torch.where(source >= 0, gains, torch.full_like(gains, config.level_floor))
        return (x[:, history:] / g[:, history:, None]).transpose(1, 2), gains

    def forward(self, magnitudes, history=0):
        """magnitudes [B, T, K] (linear) -> samples y [B, (T - history - 1) hop + span]."""
        x, gains = self.normalise(magnitudes, history)
        total = 0
        for scale, head in zip(self.scales, self.heads):
            h = x
            for i, layer in enumerate(head):
                h = layer(h)
                if i < len(head) - 1:
                    h = nn.functional.elu(h)
            total = total + scale * h[:, 0]
        y = self.output(total)
        return y * gains.repeat_interleave(self.config.hop, dim=1)[:, :y.shape[1]]

    def synthesize(self, magnitudes, length, history=0):
        """Signal samples 0 ..< length from magnitudes of `stft` frames: y shifted by the delay.
        With `history`, the first frames only set the level and sample 0 is that of frame
        `history`'s framing (the signal's first history hop samples are not synthesised)."""
        y = self.forward(magnitudes, history)
        d = self.config.delay
        return nn.functional.pad(y, (0, max(0, d + length - y.shape[-1])))[:, d:d + length]


def parameter_count(net):
    return sum(p.numel() for p in net.parameters())


def macs_per_frame(config):
    """Multiply-accumulates per input frame: a layer with stride-s input positions per frame
    does Cin x Cout x width MACs per input position."""
    sizes = [config.bins] + list(config.channels)
    return config.heads * sum(config.stride ** i * sizes[i] * sizes[i + 1] * config.width for i in range(config.layers))


# Cortex-M7 (TargetProfile.cortexM7): 480 MHz, every class these kernels use costs 1 cycle and
# half of them pair, so 0.75 cycles per operation; the budget is one hop at 16 kHz.
M7_CYCLES_PER_OPERATION = 0.75
M7_BUDGET_CYCLES = 480e6 * 128 / RATE


def cortex_m7_cycles(config):
    """Estimated (Q15, Float32) cycles per frame on a Cortex-M7: the operations the core's
    kernels record (Q15TransposedConvolution / TransposedConvolution per layer, and the steps
    of Q15MCNNInverter, its Float interface included, and MCNNInverter) counted at this
    configuration's sizes, then priced as TargetProfile.cortexM7 does (the Float32 step's
    division: 14 cycles, unpaired). For a built configuration `rephase sim` is the measurement;
    this is how a candidate is sized before it is built."""
    sizes = [config.bins] + list(config.channels)
    q15 = f32 = 0
    for i in range(config.layers):
        new, outputs, elu = config.stride ** i, sizes[i + 1], i < config.layers - 1
        macs, dots, positions = config.width * new * sizes[i] * outputs, config.width * new * outputs, config.stride * new * outputs
        q15 += 6 * macs + 4 * dots + (14 + (12 if elu else 0)) * positions
        f32 += 4 * macs + 4 * dots + (2 + (19 if elu else 0)) * positions
    q15 = config.heads * q15 + 4 * config.heads * config.hop + 24 * config.hop + 6 * config.bins + 3 * config.hop
    f32 = config.heads * f32 + 4 * config.heads * config.hop + 5 * config.hop
    return q15 * M7_CYCLES_PER_OPERATION, f32 * M7_CYCLES_PER_OPERATION + 14 * config.hop


def q15_flash_bytes(config, chunk=1024):
    """Flash of the Q15 tables (Q15MCNNInverter.weightTableBytes): int16 weights in rows of
    `chunk`, per output channel an Int64 bias, Int32 multiplier and UInt8 shift, a 257-entry
    int16 ELU table per layer but each head's last, int16 head coefficients, the softsign table."""
    sizes = [config.bins] + list(config.channels)
    weights = config.heads * sum(config.width * sizes[i] * sizes[i + 1] for i in range(config.layers))
    return (2 * chunk * -(-weights // chunk) + 13 * config.heads * sum(config.channels)
            + 2 * 257 * (config.layers - 1) * config.heads + 2 * config.heads + 2 * 257)


def stft(signal, config, lead=True):
    """The project's framing at the config's sizes (Tools/cnn/model.stft for N 512): with
    `lead`, frame j starts at sample (j - (window/hop - 1)) hop, zero padding around the
    signal; without, frame j starts at j hop inside the signal. Periodic Hann, frame-start
    phase, zero-padded to the FFT length. signal [..., L] -> complex [..., T, K]."""
    w, h = config.window, config.hop
    if lead:
        padded_length = -(-signal.shape[-1] // h) * h
        signal = nn.functional.pad(signal, (w - h, padded_length - signal.shape[-1] + w - h))
    frames = signal.unfold(-1, w, h)
    window = torch.hann_window(w, periodic=True, dtype=signal.dtype, device=signal.device)
    return torch.fft.rfft(frames * window, n=config.fft, dim=-1)


def losses(estimate, truth, config):
    """The seed's four losses between signals [B, L] on the config's STFT, each a mean over
    the batch: spectral convergence, log-magnitude L1, instantaneous-frequency L1, weighted
    phase. Magnitudes in the network's input scale. Our reading where the seed is silent (the
    plain forms let a silent output win, see instantaneous_frequency_loss):
    - weighted phase sum(|X||Y| - Re(X Y*)) is divided by the truth energy sum |X|^2, as spectral
      convergence is, so it reads about 1 for right magnitudes at random phases whatever the
      level (unnormalised, at the 4 / window scale, it was ~1e-5 and weight 1 did nothing)."""
    x = stft(truth, config, lead=False) * config.magnitude_scale
    y = stft(estimate, config, lead=False) * config.magnitude_scale
    a, b = x.abs(), y.abs()
    energy = a.pow(2).sum(dim=(1, 2)) + 1e-12
    sc = ((a - b).pow(2).sum(dim=(1, 2)) / energy).sqrt().mean()
    log_magnitude = (torch.log(a + 1e-5) - torch.log(b + 1e-5)).abs().mean()
    weighted_phase = ((a * b - (x * y.conj()).real).sum(dim=(1, 2)) / energy).mean()
    return sc, log_magnitude, instantaneous_frequency_loss(x, y), weighted_phase


def instantaneous_frequency_loss(x, y, floor=0.1):
    """L1 of the instantaneous-frequency error: the principal angle between the truth's and the
    estimate's frame-to-frame phase advances (the IF times the hop), per example a mean over
    bins weighted by the truth's magnitude there (the geometric mean over the two frames), then
    a mean over the batch. Reading: the seed's plain mean over all bins is mostly silent bins,
    whose phase means nothing, and with unit phasors that shrink to 0 with the estimate it
    rewarded a silent output (IF loss 0; at weight 10 it held the network near silence).
    So where the estimate's advance |Y_t Y_{t-1}| falls below `floor` times the truth's, the
    error slides linearly to pi / 2, the mean error of a random phase: a missing estimate
    costs what a wrong one does, and the truth still scores 0. Range [0, pi]."""
    a, b = x.abs(), y.abs()
    weight = (a[:, 1:] * a[:, :-1]).sqrt()
    present = (b[:, 1:] * b[:, :-1] / (floor * weight.pow(2) + 1e-30)).clamp(max=1.0)
    # The advances' difference from unit phasors: products of raw bins underflow in float32.
    u, v = phasor(x, a), phasor(y, b)
    z = u[:, 1:] * u[:, :-1].conj() * (v[:, 1:] * v[:, :-1].conj()).conj()
    error = present * torch.atan2(z.imag, z.real).abs() + (1 - present) * (math.pi / 2)
    return ((weight * error).sum(dim=(1, 2)) / (weight.sum(dim=(1, 2)) + 1e-30)).mean()


def phasor(z, magnitude, tiny=1e-30):
    """z / |z|, and 1 where |z| is below `tiny` (no phase there; weight or `present` is 0), with
    finite gradients everywhere."""
    silent = magnitude <= tiny
    return z / torch.where(silent, torch.ones_like(magnitude), magnitude) + silent


LOSS_WEIGHTS = (1.0, 6.0, 10.0, 1.0)


def total_loss(parts, weights=LOSS_WEIGHTS):
    """The weighted sum of `losses`' four parts (the seed's weights unless a study gives others)."""
    return sum(w * p for w, p in zip(weights, parts))


def spectral_convergence_db(sc):
    return 20 * math.log10(max(sc, 1e-12))
