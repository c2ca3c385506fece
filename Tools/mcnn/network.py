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
"""
import math
from dataclasses import dataclass

import torch
from torch import nn


@dataclass(frozen=True)
class Config:
    window: int          # STFT window length
    fft: int             # FFT length (>= window; the window sits at the frame start)
    hop: int             # = 2^layers
    heads: int
    layers: int
    first_channels: int  # c_1; c_i = max(1, c_1 / 2^(i-1)), the last layer has 1
    width: int = 13
    stride: int = 2
    lookahead: int = 4   # frames beyond the overlap-add delay

    @property
    def bins(self):
        return self.fft // 2 + 1

    @property
    def channels(self):
        """Output channels of each layer (the first layer's input is the K bins)."""
        return [max(1, self.first_channels >> i) for i in range(self.layers - 1)] + [1]

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


CONFIGS = {
    # The seed's configuration: 16 kHz, hop 256, window 1024, FFT 2048, 8 heads x 8 layers.
    "seed": Config(window=1024, fft=2048, hop=256, heads=8, layers=8, first_channels=128),
    # The seed's shape at the project STFT (N 512, hop 128: 7 layers of stride 2).
    "project": Config(window=512, fft=512, hop=128, heads=8, layers=7, first_channels=64),
    # Reduced to fit a Cortex-M7 (Float16 weights ~110 kB, ~120 k MACs per frame).
    "m7": Config(window=512, fft=512, hop=128, heads=2, layers=7, first_channels=8),
}


class ScaledSoftsign(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Parameter(torch.tensor(1.0))
        self.b = nn.Parameter(torch.tensor(1.0))

    def forward(self, x):
        return self.a * x / (1 + (self.b * x).abs())


class MCNN(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        sizes = [config.bins] + config.channels
        self.heads = nn.ModuleList(
            nn.ModuleList(nn.ConvTranspose1d(sizes[i], sizes[i + 1], config.width, stride=config.stride)
                          for i in range(config.layers))
            for _ in range(config.heads))
        self.scales = nn.Parameter(torch.ones(config.heads))
        self.output = ScaledSoftsign()

    def forward(self, magnitudes):
        """magnitudes [B, T, K] (linear) -> samples y [B, (T - 1) hop + span]."""
        x = magnitudes.transpose(1, 2) * self.config.magnitude_scale
        total = 0
        for scale, head in zip(self.scales, self.heads):
            h = x
            for i, layer in enumerate(head):
                h = layer(h)
                if i < len(head) - 1:
                    h = nn.functional.elu(h)
            total = total + scale * h[:, 0]
        return self.output(total)

    def synthesize(self, magnitudes, length):
        """Signal samples 0 ..< length from magnitudes of `stft` frames: y shifted by the delay."""
        y = self.forward(magnitudes)
        d = self.config.delay
        return nn.functional.pad(y, (0, max(0, d + length - y.shape[-1])))[:, d:d + length]


def parameter_count(net):
    return sum(p.numel() for p in net.parameters())


def macs_per_frame(config):
    """Multiply-accumulates per input frame: a layer with stride-s input positions per frame
    does Cin x Cout x width MACs per input position."""
    sizes = [config.bins] + config.channels
    return config.heads * sum(config.stride ** i * sizes[i] * sizes[i + 1] * config.width for i in range(config.layers))


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


def total_loss(parts):
    return sum(w * p for w, p in zip(LOSS_WEIGHTS, parts))


def spectral_convergence_db(sc):
    return 20 * math.log10(max(sc, 1e-12))
