"""The phase-derivative CNN (docs/ALGORITHMS.md section 9, our design) and its input
features, shared by train.py, export.py and prototype.py so the three agree on every detail.

Features of frame t, for each of F input frames f (frame t - f, or t + 1 - f for the strided
variant, whose first input is one frame of look-ahead) and bin k:
    x[f][k] = clamp(ln(a[f][k] + 1e-7) - ln(max_k a[0][k] + 1e-7), -16, 16) / 16
i.e. log-magnitudes relative to the NEWEST input frame's peak, so the network sees level-free
shapes; the clamp keeps every input in [-1, 1] (a past frame louder than the newest one by
more than e^16 is clipped; in practice inputs lie in [-1, 0.5]). Frames before the start of
the stream have zero magnitudes (x = -1).

Network, channel-major [C][K], every convolution along frequency with zero 'same' padding:
    layer 0: conv F -> C, kernel K0, bias, ReLU
    B blocks: y = ReLU(pointwise C -> C with bias (depthwise C, kernel KB, dilation d_b, no bias)(x)); x = x + y
    head: pointwise C -> 4 per output frame, bias: (c_b, s_b, c_f, s_f)
BPD = atan2(s_b, c_b), FPD = atan2(s_f, c_f) (between bins k and k + 1, frame-start phase).

Mel input (the streaming mel path of docs/ALGORITHMS.md section 8): the magnitudes a above are
then the core's non-negative pseudo-inverse of the mel frame F|X| (MelToLinear, no projected-
gradient steps), and the head has a fifth channel per output frame, g, a correction of the
log-magnitudes: the integrator and the synthesis use a' = exp(ln(a + 1e-7) + g) for that frame
(ln(a + 1e-7) is what the features already computed), so the network repairs the
pseudo-inverse's smeared spectrum as well as predicting the phase derivatives.
"""
import math

import numpy as np
import torch
from torch import nn

N, H, K = 512, 128, 257
LOG_FLOOR = 1e-7
LOG_RANGE = 16.0

# The architecture (the export writes these as Swift constants).
# Channels C of every hidden layer, per variant. The strided network is the microcontroller
# one: half of it runs in each hop beside the other stages, and 12 channels (64 % of 16's
# products) are what fits half a Cortex-M4F hop at 168 MHz with the quality of 16.
CHANNELS = {"causal": 16, "strided": 12}
PAST_FRAMES = 4            # F: frames t, t-1, t-2, t-3
FIRST_KERNEL = 5           # K0
BLOCK_KERNEL = 5           # KB
DILATIONS = (1, 2, 4, 8, 1)


def frame_outputs(magnitude_head):
    """Head channels per output frame: (c_b, s_b, c_f, s_f), then g when the network corrects magnitudes."""
    return 5 if magnitude_head else 4


def input_frames(variant):
    """Input frames of a variant: F causal frames, plus the look-ahead frame when strided."""
    return PAST_FRAMES + (1 if variant == "strided" else 0)


def output_frames(variant):
    return 2 if variant == "strided" else 1


class PhaseDerivativeNet(nn.Module):
    def __init__(self, variant, magnitude_head=False):
        super().__init__()
        self.variant = variant
        self.magnitude_head = magnitude_head
        c = CHANNELS[variant]
        self.first = nn.Conv1d(input_frames(variant), c, FIRST_KERNEL, padding=FIRST_KERNEL // 2)
        self.depthwise = nn.ModuleList(
            nn.Conv1d(c, c, BLOCK_KERNEL, padding=d * (BLOCK_KERNEL // 2), dilation=d, groups=c, bias=False)
            for d in DILATIONS)
        self.pointwise = nn.ModuleList(nn.Conv1d(c, c, 1) for _ in DILATIONS)
        self.head = nn.Conv1d(c, frame_outputs(magnitude_head) * output_frames(variant), 1)

    def forward(self, x):
        """x: [batch, F, K] features -> [batch, outputs per frame * output frames, K]
        ((c_b, s_b, c_f, s_f[, g]) per frame)."""
        h = torch.relu(self.first(x))
        for depthwise, pointwise in zip(self.depthwise, self.pointwise):
            h = h + torch.relu(pointwise(depthwise(h)))
        return self.head(h)


def parameter_count(model):
    return sum(p.numel() for p in model.parameters())


def macs_per_frame(model):
    """Multiply-accumulates per network evaluation: K times the weights each output bin uses
    (biases are adds, not counted)."""
    return K * sum(p.numel() for name, p in model.named_parameters() if name.endswith("weight"))


def features(magnitudes, frames):
    """magnitudes: [..., T, K] -> [..., T, frames, K]: row t stacks frames t, t-1, ..., t-frames+1
    (zero magnitudes before the start), each relative to frame t's peak (module docstring)."""
    log = torch.log(magnitudes + LOG_FLOOR)
    peak = torch.log(magnitudes.amax(dim=-1, keepdim=True) + LOG_FLOOR)
    t = log.shape[-2]
    silent = torch.full_like(log[..., :1, :], math.log(LOG_FLOOR)).expand(*log.shape[:-2], frames - 1, K)
    history = torch.cat([silent, log], dim=-2)
    stacked = [history[..., frames - 1 - f:frames - 1 - f + t, :] for f in range(frames)]
    x = torch.stack(stacked, dim=-2) - peak.unsqueeze(-1)
    return torch.clamp(x, -LOG_RANGE, LOG_RANGE) / LOG_RANGE


def network_input(magnitudes, variant):
    """[..., T, K] magnitudes -> [..., T, F, K] inputs. For the strided variant row t holds
    frames t+1, t, ..., so its outputs are the derivatives of frames t and t+1 (the last row,
    lacking look-ahead, sees a zero frame)."""
    if variant == "strided":
        ahead = torch.cat([magnitudes[..., 1:, :], torch.zeros_like(magnitudes[..., :1, :])], dim=-2)
        return features(ahead, input_frames(variant))
    return features(magnitudes, input_frames(variant))


def mel_filterbank(bands, rate=16000):
    """The B x K Slaney mel filterbank of the core's MelBands (librosa.filters.mel's defaults:
    Slaney scale and area normalisation, 0 to rate / 2) in float32, written out here so that
    training needs no librosa (equal to librosa's to 4e-9 for 40 to 128 bands, and to the fixture
    Tests/Fixtures/mel/librosa-mel-80-slaney.npy that the core's filterbank is tested against)."""
    def mel(f):
        f = np.asarray(f, dtype=np.float64)
        return np.where(f < 1000, f / (200 / 3), 15 + np.log(np.maximum(f, 1e-9) / 1000) * 27 / np.log(6.4))

    def hertz(m):
        return np.where(m < 15, m * (200 / 3), 1000 * np.exp((m - 15) * np.log(6.4) / 27))

    edges = hertz(np.linspace(mel(0.0), mel(rate / 2), bands + 2))
    bins = np.linspace(0, rate / 2, K)
    rising = (bins[None, :] - edges[:-2, None]) / np.diff(edges)[:-1, None]
    falling = (edges[2:, None] - bins[None, :]) / np.diff(edges)[1:, None]
    weights = np.maximum(0, np.minimum(rising, falling)) * (2 / (edges[2:] - edges[:-2]))[:, None]
    return weights.astype(np.float32)


def mel_pseudo_inverse(filterbank):
    """The core's non-negative pseudo-inverse (MelToLinear) as a B x K matrix P, so that
    a = m P: a_k = sum_b F[b, k] (m_b / s_b) / sum_b F[b, k], s_b = sum_k F[b, k]; bins no
    band covers get 0. float32, as the core's coefficients."""
    f = filterbank.astype(np.float64)
    band_sums = f.sum(axis=1, keepdims=True)
    bin_sums = f.sum(axis=0, keepdims=True)
    return np.where(bin_sums > 0, f / (band_sums * np.where(bin_sums > 0, bin_sums, 1)), 0).astype(np.float32)


class MelPath:
    """The streaming mel path's input to the network for B bands: magnitudes -> mel frame
    (F a, float32 as the CLI computes it) -> pseudo-inverse magnitudes. Matrices on `device`."""

    def __init__(self, bands, device="cpu"):
        self.bands = bands
        filterbank = mel_filterbank(bands)
        self.analysis = torch.from_numpy(filterbank.T.copy()).to(device)
        self.inverse = torch.from_numpy(mel_pseudo_inverse(filterbank)).to(device)

    def __call__(self, magnitudes):
        """[..., K] true magnitudes -> [..., K] the pseudo-inverse of their mel frame."""
        return (magnitudes @ self.analysis) @ self.inverse


def corrected_log_magnitudes(magnitudes, correction):
    """ln a' = ln(a + 1e-7) + g: the log of the magnitudes the core hands on for mel input."""
    return torch.log(magnitudes + LOG_FLOOR) + correction


def stft(signal):
    """The project's STFT (Sources/RephaseOffline/Spectrogram.swift): frame j starts at
    sample (j - 3) H, periodic Hann, frame-start phase. signal: [..., L] -> complex [..., T, K]."""
    lead = N - H
    padded_length = -(-signal.shape[-1] // H) * H
    padded = nn.functional.pad(signal, (lead, padded_length - signal.shape[-1] + lead))
    frames = padded.unfold(-1, N, H)
    window = torch.hann_window(N, periodic=True, dtype=signal.dtype, device=signal.device)
    return torch.fft.rfft(frames * window, dim=-1)
