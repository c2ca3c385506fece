"""The bit-true integer model of the Q15 phase-derivative network and its features: numpy and
Python integers only, written from the arithmetic documented here, independently of the Swift
kernels (Sources/RephaseCore/Network/Q15*.swift), which must reproduce it bit for bit
(Q15NetworkTests, on the golden vectors quantize.py writes).

Magnitude frames arrive in block floating point: a_k = m_k 2^e, m_k unsigned 32-bit integers
(the largest in [2^31, 2^32) unless the frame is silent), e a per-frame exponent.

Features (the Float32 definition in model.py, x = clamp(ln(a + 1e-7) - ln(max a + 1e-7), -16, 16) / 16):
- the floor 1e-7 is F 2^-55 with F = round(1e-7 2^55); in mantissa units it is
  f = F 2^(-55 - e): a left shift (capped at 30 bits) or a right shift rounded half up;
- v_k = m_k + f (64-bit), P = max v_k; the common shift s = max(0, bitlength(P) - 32) brings
  v_k >> s (truncated) below 2^32;
- absolute log A_k = log2(v_k >> s) + ((s + e) << 16) in Q15.16 (FixedLog.log2: linear
  interpolation in a 257-entry Q30 table, rounded half up); a silent frame (all m_k = 0) gets
  A_k = SILENT_LOG = round(2^16 log2(1e-7)) for every bin, as the Float32 model's zero frames;
- x_q[f][k] = sat16(rshift_round((A[f][k] - A_peak) C, 31)), C = round(2^31 ln(2) / 32): the
  Q15 feature (1.0 = 32768), with A_peak = log2(P >> s) + ((s + e) << 16) of the NEWEST frame
  (max_k A[0][k]); frames before the first are silent.

Network (model.py's layers), all tensors channel-major [channel][bin], zero 'same' padding:
- every activation is int16 with a per-tensor scale (real = q * scale): the input 2^-15, the
  residual stream h one scale for all blocks, each block's depthwise output its own, the head its own;
- weights int16, one power-of-two shift r per layer (1 <= r <= 30): the real multiplier
  in_scale / out_scale is folded into the weights, w_q = round(w in_scale 2^r / out_scale), so
  no multiplier is needed (r is the largest at which every channel has max |w_q| <= 32767 and
  keeps the bound below; one shift per layer, not per channel, so that a kernel holds it in a
  register, at the cost of at most a bit or two of the smaller channels' weights);
- accumulators int32, starting at the channel's start value c_o = round(bias 2^r / out_scale)
  + 2^(r - 1) (the bias at the accumulator's scale plus the rounding constant; depthwise
  layers have no bias, so c_o = 2^(r - 1)); acc = c_o + sum w_q x_q;
- the bound: |c_o| + X sum |w_q[o]| < 2^31 for every channel, X the largest |x_q| the layer can
  see (32768 for the features and the depthwise outputs, 32767 for h, which is never
  negative), so no partial sum overflows in any order: quantize.py checks it per channel;
- requantisation y = sat16(acc >> r) (arithmetic shift, floor): with the rounding constant
  in c_o this is acc 2^-r rounded half up;
- sat16 clamps to [-32768, 32767];
- layer 0: h = max(y, 0); block: d = requant(depthwise(h)), y = max(requant(pointwise(d) + bias), 0),
  h = sat16(h + y); head: out = requant(pointwise(h) + bias), one scale for all its channels,
  padded with zero rows (outputs 0) to a multiple of 4 outputs, the kernels' unit.

Magnitude correction (the mel networks, whose head has a fifth channel g per output frame:
model.py, a' = (a + 1e-7) e^g with g clamped to [-16, 16]), on the frame's mantissas m_k,
exponent e and g_q, the head's int16 g at the head scale s:
- x_k = clamp(rshift_round(g_q G, 15), -X, X) in Q15.16, x = g log2(e): G = round(2^31 s log2(e))
  (the network's `gain`), X = round(2^16 16 log2(e)) (g's clamp);
- v_k = m_k + f (the floor 1e-7 in mantissa units, as for the features), s = max(0,
  bitlength(max v) - 32), u_k = v_k >> s (truncated);
- x_k = n_k 2^16 + phi_k (n_k = x_k >> 16, floor; phi_k in [0, 2^16)); p_k = 2^(phi_k / 2^16) in
  Q16.16 by FixedLog.exp2 (257-entry Q30 table, 8 bits of segment, 8 of weight, rounded half
  up), y_k = u_k p_k (exact, below 2^50), worth y_k 2^(n_k + s + e - 16);
- back to block floating point: B = max over y_k > 0 of bitlength(y_k) + n_k, the new exponent
  e' = B + s + e - 48, m'_k = y_k shifted left by d_k = n_k - B + 32 when d_k >= 0, else
  rshift_round(y_k, -d_k) (0 from a shift of 51 on), saturated to 2^32 - 1: the peak's mantissa
  lands in [2^31, 2^32) again. Every v_k = 0 (silence at an exponent that makes the floor 0):
  all m'_k = 0, e' = 0.
The mel-consistency steps that follow the correction are modelled in mel_consistency.py
(`consistent_q`).
"""
import math

import numpy as np

from Tools.cnn import model

LOG_FLOOR_Q55 = math.floor(model.LOG_FLOOR * 2**55 + 0.5)
LN2_OVER_32_Q31 = math.floor(math.log(2) / 32 * 2**31 + 0.5)
SILENT_LOG = math.floor(math.log2(model.LOG_FLOOR) * 2**16 + 0.5)
FLOOR_SHIFT_CAP = 30
LOG2_TABLE = np.array([math.floor(2**30 * math.log2(1 + i / 256) + 0.5) for i in range(257)], dtype=np.int64)
EXP2_TABLE = np.array([math.floor(2**30 * (2**(i / 256) - 1) + 0.5) for i in range(257)], dtype=np.int64)
CORRECTION_LIMIT = math.floor(2**16 * model.LOG_RANGE / math.log(2) + 0.5)


def rshift_round(v, r):
    """v / 2^r rounded half up (ties toward +infinity), for int64 arrays or ints, r >= 1."""
    return (v >> r) + ((v >> (r - 1)) & 1)


def sat16(v):
    return np.clip(v, -32768, 32767)


def bit_length(x):
    """Bit length of non-negative integers below 2^53 (float64 frexp is exact there)."""
    return np.frexp(np.asarray(x, dtype=np.float64))[1].astype(np.int64)


def log2_q16(x):
    """FixedLog.log2: log2 of unsigned 32-bit integers in Q15.16; -1.0 (-(1 << 16)) for 0."""
    x = np.asarray(x, dtype=np.int64)
    out = np.full(x.shape, -(1 << 16), dtype=np.int64)
    nz = x > 0
    lz = 32 - bit_length(x[nz])
    fraction = (x[nz] << lz) & 0x7FFFFFFF
    segment, weight = fraction >> 23, fraction & 0x7FFFFF
    near, far = LOG2_TABLE[segment], LOG2_TABLE[segment + 1]
    out[nz] = ((31 - lz) << 16) + rshift_round((near << 23) + (far - near) * weight, 37)
    return out


def exp2_fraction_q16(phi):
    """FixedLog.exp2 of fractions phi in [0, 2^16) (Q15.16): 2^(phi / 2^16) in Q16.16."""
    phi = np.asarray(phi, dtype=np.int64)
    segment, weight = phi >> 8, phi & 0xFF
    near, far = EXP2_TABLE[segment], EXP2_TABLE[segment + 1]
    return rshift_round(((near + (1 << 30)) << 8) + (far - near) * weight, 22)


def floor_units(e):
    """The floor 1e-7 in mantissa units at exponent e: F 2^(-55 - e), shifted left at most 30
    bits or right rounded half up (0 beyond 62)."""
    shift = -55 - e
    return LOG_FLOOR_Q55 << min(shift, FLOOR_SHIFT_CAP) if shift >= 0 else int(rshift_round(LOG_FLOOR_Q55, -shift)) if -shift < 63 else 0


def absolute_logs(m, e):
    """A_k and A_peak (Q15.16) of one frame of mantissas m (uint32 values) with exponent e."""
    m = np.asarray(m, dtype=np.int64)
    if not m.any():
        return np.full(m.shape, SILENT_LOG, dtype=np.int64), SILENT_LOG
    v = m + floor_units(e)
    peak = int(v.max())
    s = max(0, peak.bit_length() - 32)
    offset = (s + e) << 16
    return log2_q16(v >> s) + offset, int(log2_q16(np.array([peak >> s]))[0]) + offset


def features(history, newest_peak):
    """Q15 features [rows][K] from absolute logs [rows][K] (newest first) and the newest peak."""
    return sat16(rshift_round((np.asarray(history, dtype=np.int64) - newest_peak) * LN2_OVER_32_Q31, 31))


def requantize(acc, shift):
    """sat16(acc >> r), the layer's shift r (acc: [channels][bins], int32 by the bound)."""
    assert np.abs(acc).max(initial=0) < 2**31, "accumulator outside int32: the bound is broken"
    return sat16(acc >> int(shift))


def conv_same(x, w, dilation=1):
    """Dense 'same' convolution along bins: x [I][K] int64, w [O][I][taps] -> int64 [O][K]."""
    taps, k = w.shape[2], x.shape[1]
    pad = dilation * (taps // 2)
    padded = np.pad(x, ((0, 0), (pad, pad)))
    out = np.zeros((w.shape[0], k), dtype=np.int64)
    for j in range(taps):
        out += w[:, :, j] @ padded[:, j * dilation:j * dilation + k]
    return out


def correction_gain(head_scale):
    """G = round(2^31 s log2(e)) for a head of scale s (the module docstring)."""
    return math.floor(2**31 * head_scale / math.log(2) + 0.5)


def corrected(m, e, g_q, gain):
    """The magnitude correction (module docstring): mantissas m and exponent e of a frame, its
    int16 corrections g_q and the network's gain G -> the corrected mantissas and exponent."""
    v = np.asarray(m, dtype=np.int64) + floor_units(e)
    peak = int(v.max())
    if peak == 0:
        return np.zeros(len(v), dtype=np.int64), 0
    s = max(0, peak.bit_length() - 32)
    u = v >> s
    x = np.clip(rshift_round(np.asarray(g_q, dtype=np.int64) * gain, 15), -CORRECTION_LIMIT, CORRECTION_LIMIT)
    n = x >> 16
    y = u * exp2_fraction_q16(x & 0xFFFF)
    b = int((bit_length(y) + n)[y > 0].max())
    d = n - b + 32
    right = np.minimum(np.maximum(-d, 1), 51)
    out = np.where(d >= 0, y << np.maximum(d, 0), rshift_round(y, right))
    return np.minimum(out, 2**32 - 1), b + s + e - 48


def network(x_q, q):
    """The integer network: x_q [rows][K] int16 features -> int16 [head outputs][K]; q: the tables
    quantize.py computes (weights, start values and shifts per layer)."""
    h = np.maximum(requantize(conv_same(x_q.astype(np.int64), q["first_w"]) + q["first_b"][:, None], q["first_r"]), 0)
    for block in q["blocks"]:
        c = block["depthwise_w"].shape[0]
        d = np.zeros((c, h.shape[1]), dtype=np.int64)
        for ch in range(c):
            d[ch] = conv_same(h[ch:ch + 1], block["depthwise_w"][ch:ch + 1, None, :], block["dilation"])[0]
        d = requantize(d + block["depthwise_b"][:, None], block["depthwise_r"])
        y = requantize(block["pointwise_w"] @ d + block["pointwise_b"][:, None], block["pointwise_r"])
        h = sat16(h + np.maximum(y, 0))
    return requantize(q["head_w"] @ h + q["head_b"][:, None], q["head_r"])
