"""The bit-true integer model of the Q15 MCNN: numpy int64 only, written from the arithmetic
documented here (in scatter form: each input position adds its taps into the outputs it
reaches), independently of the Swift kernels (Sources/RephaseCore/MCNN/Q15*.swift, gather
form), which must reproduce it bit for bit (Q15MCNNTests, on the golden vectors quantize.py
writes). The requantisation is the Q15 CNN's (Tools/cnn/q15model.py): rshift_round, sat16.

- input: x_q = sat16(round(a * magnitude scale / (g s_in))) per bin, g the frame's running
  level (network.py; the conversion of Float magnitudes: the integer network starts from x_q,
  and its output samples are scaled by the level in Float);
- each layer of each head: weights int16 [width][out][in], one scale per output channel
  (max |w| -> 32767); biases int64 at s_in * w_scale; acc = bias + sum w x (int64, exact:
  |acc| < 2^41); y = sat16(rshift_round(acc M_o, r_o)), M_o < 2^21, 33 <= r_o <= 62 (the CNN's form),
  the pre-activation at the layer's calibrated scale s_l;
- ELU (all but a head's last layer), same scale s_l in and out: y > 0 stays; y <= 0 reads
  the layer's table T of 257 entries T[j] = round((e^(-128 j s_l) - 1) / s_l) (exact real
  values rounded once, in Tools/mcnn/quantize.py) with linear interpolation:
  j = (-y) >> 7, f = (-y) & 127, ELU = T[j] + rshift_round((T[j + 1] - T[j]) f, 7)
  (y = -32768 gives j = 256, f = 0: the table has one entry past the last segment);
- heads: acc = sum_h c_h head_h (int64), c_h int16 (the trainable head scale times the head
  output's scale, quantised with one scale for all heads), sum_q = sat16(rshift_round(acc M, r))
  with one (M, r);
- softsign, odd: out = sign(sum_q) U(|sum_q|) with U the same 257-entry interpolation over
  |sum_q| in [0, 32768] of round(a v / (1 + |b v|) / s_out), v = 128 j s_sum, saturated to
  int16, s_out = |a 32768 s_sum / (1 + |b 32768 s_sum|)| / 32767 (the largest output reads
  32767): the output sample in units of s_out (times the level in Float).
"""
import numpy as np

ELU_SEGMENT_BITS = 7  # 256 segments of 128 over the int16 range


def rshift_round(v, r):
    """v / 2^r rounded half up (ties toward +infinity), r >= 1 (Tools/cnn/q15model.py)."""
    return (v >> r) + ((v >> (r - 1)) & 1)


def sat16(v):
    return np.clip(v, -32768, 32767)


def requantize(acc, multiplier, shift):
    """sat16(rshift_round(acc M, r)); acc [..., channels], M and r per channel (last axis)."""
    m = np.asarray(multiplier, dtype=np.int64)
    r = np.asarray(shift, dtype=np.int64)
    return sat16(rshift_round(acc * m, r))


def interpolate(table, u):
    """T[j] + rshift_round((T[j + 1] - T[j]) f, 7) for u in [0, 32768], j = u >> 7, f = u & 127."""
    table = np.asarray(table, dtype=np.int64)
    j, f = u >> ELU_SEGMENT_BITS, u & ((1 << ELU_SEGMENT_BITS) - 1)
    upper = table[np.minimum(j + 1, len(table) - 1)]
    return table[j] + rshift_round((upper - table[j]) * f, ELU_SEGMENT_BITS)


def elu(y, table):
    return np.where(y > 0, y, interpolate(table, -np.minimum(y, 0)))


def transposed(x, layer):
    """One integer transposed convolution, whole sequence: x [positions][in] int64 ->
    requantised int64 [stride (positions - 1) + width][out] (scatter form)."""
    w, stride = layer["w"].astype(np.int64), layer["stride"]
    width, outputs = w.shape[0], w.shape[1]
    acc = np.zeros((stride * (len(x) - 1) + width, outputs), dtype=np.int64) + layer["b"]
    for q in range(len(x)):
        acc[stride * q:stride * q + width] += w @ x[q]  # [width][out][in] @ [in]
    y = requantize(acc, layer["m"], layer["r"])
    return elu(y, layer["elu"]) if layer["elu"] is not None else y


def network(x_q, q):
    """x_q [frames][K] int16 -> int16 output samples y[0 ..< frames * hop] (as streamed)."""
    frames = len(x_q)
    heads = []
    for head in q["heads"]:
        h = x_q.astype(np.int64)
        for layer in head:
            h = transposed(h, layer)
        heads.append(h[:, 0])
    length = min(len(h) for h in heads)
    acc = sum(c * h[:length] for c, h in zip(q["coefficients"].astype(np.int64), heads))
    s = requantize(acc, q["sum_m"], q["sum_r"])
    out = np.sign(s) * interpolate(q["softsign"], np.abs(s))
    return sat16(out)[:frames * q["hop"]]
