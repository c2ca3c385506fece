"""Mel consistency: the steps that make a mel network's corrected magnitudes agree with the
mel frame they came from, in float64 and as the bit-true integer model of the Q15 kernel.

    python3 -m Tools.cnn.mel_consistency

writes Sources/RephaseCore/Network/MelConsistencyTables.swift (the tables of both kernels,
MelConsistency and Q15MelConsistency) and Tests/Fixtures/cnn-golden/q15-mel-consistency.txt
(this model's output on the mel networks' golden frames and on hostile ones). numpy only.

Why: the mel network corrects the pseudo-inverse's log-magnitudes bin by bin, which brings
them closer to the true magnitudes but no longer reproduces the mel frame m they came from.
A few multiplicative steps of non-negative least squares with a fixed basis,
a <- a F^T (m / F a) / F^T 1, restore each band's level and keep the network's shape within
the band (Tools/cnn/RESULTS.md measures the gain).

The estimator is not given m: it is given the pseudo-inverse a0 of m (CNNInput.mel80), and m
comes back from a0 exactly. With F the B x K filterbank the mel networks are trained on (80
Slaney bands, 0 to 8 kHz, N = 512), s_b = sum_k F[b, k] and c_k = sum_b F[b, k]:
- band means A[b, k] = F[b, k] / s_b (each row sums to 1) and interpolation weights
  W[k, b] = F[b, k] / c_k (each row sums to 1); the pseudo-inverse is a0 = W l with
  l_b = m_b / s_b, the band levels, except at DC and Nyquist, which no band covers: there the
  pseudo-inverse is 0, and W gives them the nearest band's ratio (weight 1), so that the
  steps keep the network's level for them relative to their neighbours;
- T = A W is tridiagonal (each bin touches two adjacent bands) and strictly diagonally
  dominant (diagonal 0.58 to 0.83, margin at least 0.16), so l = T^-1 A a0 by the Thomas
  algorithm: mu_b = T[b, b-1] / d_(b-1), d_b = T[b, b] - mu_b T[b-1, b] (d_0 = T[0, 0]);
  y_b = t_b - mu_b y_(b-1); l_(B-1) = y_(B-1) / d_(B-1), l_b = (y_b - T[b, b+1] l_(b+1)) / d_b;
  negative levels (rounding) are taken as 0;
- each step: r_b = l_b / (A a)_b (0 where (A a)_b is 0), a_k <- a_k sum_b W[k, b] r_b, which is
  the update above in these units.
Each bin k has a lower band lo_k in 0 ... B - 2 and the next one (weights 0 where a bin lacks
one of them), so A and W are 4 numbers and one index per bin.

The integer kernel (Q15MelConsistency) on block-floating frames (q15model.py): a0 = m0 2^e0,
a = m 2^e, mantissas below 2^32. Tables: A and W in unsigned Q15 (round half up of x 2^15, at
most 32768); mu, T[b, b+1] and 1 / d in Q29 (round half up; all below 2, d above 1/2).
- t_b = sum_k A_q[b, k] m0_k (exact, below 2^48). All 0: the frame is silent, m' = 0, e' = 0.
  sh = max(0, bitlength(max t) - 28), t'_b = rshift_round(t_b, sh) (half up): at most 2^28.
- y_0 = t'_0, y_b = t'_b - rshift_round(mu_b y_(b-1), 29); l_(B-1) = rshift_round(y_(B-1) i_(B-1), 29),
  l_b = rshift_round((y_b - rshift_round(u_b l_(b+1), 29)) i_b, 29) (u = T[b, b+1], i = 1 / d,
  all Q29, products in 64 bits), then l_b = max(l_b, 0): levels in units 2^(e0 - 15 + sh),
  below 2^31 (|T^-1| <= 1 / 0.16 in the infinity norm).
- each of `STEPS` steps, on the current m and e:
  v_b = sum_k A_q[b, k] m_k (units 2^(e - 15)); for each band with v_b > 0 and l_b > 0, with
  z = max(0, bitlength(v_b) - 32) and (p, q) = FixedReciprocal.reciprocal(v_b >> z) (1 / x ~
  p 2^-q): P_b = l_b p (below 2^62) and r_b = l_b / v_b = P_b 2^(rho_b), rho_b = e0 + sh - e - q - z;
  the ratios share one exponent: R = max (bitlength(P_b) + rho_b), r_b = P_b 2^(rho_b - R + 32)
  as an integer (a left shift, or rshift_round right, 0 from a shift of 63 on), saturated to
  2^32 - 1, so that the largest is in [2^31, 2^32) and r_b 2^(R - 32) is the ratio; bands without
  a ratio get 0, and a frame with none is silent (m' = 0, e' = 0);
  G_k = min(rshift_round(W_q[k, lo] r_lo + W_q[k, lo+1] r_(lo+1), 15), 2^32 - 1);
  y_k = m_k G_k (exact, below 2^64); top = max bitlength(y_k); every y_k = 0: silent;
  d = top - 32: m_k = y_k << -d for d <= 0, else min(rshift_round(y_k, d), 2^32 - 1);
  e <- e + R - 32 + d.
The ratios' shared exponent keeps them exact to 2^-32 of the largest whatever the network's
correction did to the frame's level (it can move a bin by e^16 either way).
"""
import math
import os

import numpy as np

from Tools.cnn import model, q15model
from Tools.cnn.model import K
from Tools.cnn.q15model import rshift_round

BANDS = 80
STEPS = 4
COEFFICIENT_BITS = 29
LEVEL_BITS = 28
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
TABLES = os.path.join(ROOT, "Sources", "RephaseCore", "Network", "MelConsistencyTables.swift")
GOLDEN = os.path.join(ROOT, "Tests", "Fixtures", "cnn-golden", "q15-mel-consistency.txt")


def round_half_up(x, bits):
    return np.floor(np.asarray(x, dtype=np.float64) * 2.0**bits + 0.5).astype(np.int64)


class Tables:
    """The float64 definition's matrices and both kernels' tables (module docstring)."""

    def __init__(self):
        f = model.mel_filterbank(BANDS).astype(np.float64)
        band_sums, bin_sums = f.sum(axis=1), f.sum(axis=0)
        self.means = f / band_sums[:, None]  # A, B x K
        self.spread = np.where(bin_sums > 0, f / np.where(bin_sums > 0, bin_sums, 1), 0).T  # W, K x B
        # Bins no band covers (DC and Nyquist) take the nearest band's ratio: the mel frame
        # says nothing about them, so they keep the network's level relative to their neighbours.
        uncovered = np.flatnonzero(bin_sums == 0)
        self.spread[uncovered, np.where(uncovered < K // 2, 0, BANDS - 1)] = 1
        # Each bin's lower band: the first it touches, kept within 0 ... B - 2.
        touched = f > 0
        first = np.where(touched.any(axis=0), touched.argmax(axis=0), 0)
        self.lower = np.where(touched.any(axis=0), np.minimum(first, BANDS - 2), np.where(np.arange(K) < K // 2, 0, BANDS - 2))
        assert not (touched & ~np.isin(np.arange(BANDS)[:, None], np.stack([self.lower, self.lower + 1]))).any()
        bins = np.arange(K)
        self.mean_pairs = np.stack([self.means[self.lower, bins], self.means[self.lower + 1, bins]])  # 2 x K
        self.spread_pairs = np.stack([self.spread[bins, self.lower], self.spread[bins, self.lower + 1]])
        t = self.means @ self.spread
        assert np.abs(np.triu(t, 2)).max() == 0 and np.abs(np.tril(t, -2)).max() == 0
        self.system = t
        pivots, eliminate = np.zeros(BANDS), np.zeros(BANDS)
        pivots[0] = t[0, 0]
        for b in range(1, BANDS):
            eliminate[b] = t[b, b - 1] / pivots[b - 1]
            pivots[b] = t[b, b] - eliminate[b] * t[b - 1, b]
        self.eliminate = eliminate
        self.upper = np.append(np.diagonal(t, 1), 0.0)
        self.inverse_pivots = 1 / pivots
        assert pivots.min() > 0.5 and max(eliminate.max(), self.upper.max(), self.inverse_pivots.max()) < 2
        self.mean_q = round_half_up(self.mean_pairs, 15)
        self.spread_q = round_half_up(self.spread_pairs, 15)
        self.eliminate_q = round_half_up(self.eliminate, COEFFICIENT_BITS)
        self.upper_q = round_half_up(self.upper, COEFFICIENT_BITS)
        self.inverse_pivots_q = round_half_up(self.inverse_pivots, COEFFICIENT_BITS)


def consistent(tables, a0, a, steps=STEPS):
    """The float64 definition: a0 the pseudo-inverse frame, a the corrected one [K]."""
    levels = np.maximum(np.linalg.solve(tables.system, tables.means @ a0), 0)
    for _ in range(steps):
        v = tables.means @ a
        r = np.where(v > 0, levels / np.where(v > 0, v, 1), 0)
        a = a * (tables.spread @ r)
    return a


def reciprocal(x):
    """FixedReciprocal.reciprocal (Sources/RephaseCore/Numerics/FixedReciprocal.swift): 1/x ~
    mantissa 2^-shift, x an integer in 1 ... 2^32 - 1."""
    zeros = 32 - x.bit_length()
    d = x << zeros
    lo, hi = 1 + ((d >> 26) & 31) / 32, 1 + (((d >> 26) & 31) + 1) / 32
    y = math.floor(2**15 * 2 / (lo + hi) + 0.5) << 16
    for _ in range(2):
        y = (y * (2**32 - ((d * y) >> 31))) >> 31
    return y & 0xFFFFFFFF, 62 - zeros


def shifted(value, shift):
    """value 2^shift for a non-negative integer: left, or rshift_round right (0 from 63 on)."""
    if shift >= 0:
        return value << shift
    return 0 if -shift >= 63 else rshift_round(value, -shift)


def consistent_q(tables, m0, e0, m, e, steps=STEPS):
    """The integer kernel (module docstring): mantissas and exponents of the pseudo-inverse
    frame and of the corrected one -> the consistent mantissas (int64 [K]) and exponent.
    Python integers throughout, so no intermediate can wrap."""
    silent = (np.zeros(K, dtype=np.int64), 0)
    lower = [int(b) for b in tables.lower]
    means, spread = tables.mean_q.tolist(), tables.spread_q.tolist()

    def band_sums(x):
        out = [0] * BANDS
        for k in range(K):
            out[lower[k]] += means[0][k] * x[k]
            out[lower[k] + 1] += means[1][k] * x[k]
        return out

    def scale(x, coefficient):
        return rshift_round(x * int(coefficient), COEFFICIENT_BITS)

    t = band_sums([int(v) for v in m0])
    if max(t) == 0:
        return silent
    sh = max(0, max(t).bit_length() - LEVEL_BITS)
    t = [shifted(v, -sh) for v in t]
    y = [t[0]]
    for b in range(1, BANDS):
        y.append(t[b] - scale(y[b - 1], tables.eliminate_q[b]))
    levels = [0] * BANDS
    levels[-1] = scale(y[-1], tables.inverse_pivots_q[-1])
    for b in range(BANDS - 2, -1, -1):
        levels[b] = scale(y[b] - scale(levels[b + 1], tables.upper_q[b]), tables.inverse_pivots_q[b])
    levels = [max(v, 0) for v in levels]
    m = [int(v) for v in m]
    for _ in range(steps):
        v = band_sums(m)
        ratios = {}
        for b in range(BANDS):
            if v[b] > 0 and levels[b] > 0:
                z = max(0, v[b].bit_length() - 32)
                p, q = reciprocal(v[b] >> z)
                ratios[b] = (levels[b] * p, e0 + sh - e - q - z)
        if not ratios:
            return silent
        top_ratio = max(value.bit_length() + rho for value, rho in ratios.values())
        r = [0] * BANDS
        for b, (value, rho) in ratios.items():
            r[b] = min(shifted(value, rho - top_ratio + 32), 2**32 - 1)
        products = [m[k] * min(rshift_round(spread[0][k] * r[lower[k]] + spread[1][k] * r[lower[k] + 1], 15), 2**32 - 1)
                    for k in range(K)]
        top = max(p.bit_length() for p in products)
        if top == 0:
            return silent
        d = top - 32
        m = [p << -d if d <= 0 else min(rshift_round(p, d), 2**32 - 1) for p in products]
        e = e + top_ratio - 32 + d
    return np.array(m, dtype=np.int64), e



def swift_rows(values, fmt, per_line=12):
    values = list(values)
    return ",\n".join("        " + ", ".join(fmt(v) for v in values[i:i + per_line]) for i in range(0, len(values), per_line))


def swift_source(tables):
    def table(name, kind, values, fmt, doc):
        values = list(values)
        return (f"    /// {doc}\n"
                f'    @section(".rodata.rephase.MelConsistencyTables.{name}") nonisolated(unsafe) static var {name}: '
                f"InlineArray<{len(values)}, {kind}> = [\n{swift_rows(values, fmt)},\n    ]\n")

    def single(v):
        text = repr(float(np.float32(v)))
        return text if "e" in text or "." in text else text + ".0"

    per_bin = np.stack([tables.mean_pairs[0], tables.mean_pairs[1], tables.spread_pairs[0], tables.spread_pairs[1]], axis=1)
    per_bin_q = np.stack([tables.mean_q[0], tables.mean_q[1], tables.spread_q[0], tables.spread_q[1]], axis=1)
    per_band = np.stack([tables.eliminate, tables.upper, tables.inverse_pivots], axis=1)
    per_band_q = np.stack([tables.eliminate_q, tables.upper_q, tables.inverse_pivots_q], axis=1)
    parts = [
        "// GENERATED by Tools/cnn/mel_consistency.py -- do not edit by hand.",
        "// Regenerate with (from the repository root; numpy and librosa, Tools/requirements.txt):",
        "//   python3 -m Tools.cnn.mel_consistency",
        "",
        "/// The tables of MelConsistency and Q15MelConsistency for the filterbank the mel networks are",
        f"/// trained on ({BANDS} Slaney bands, 0 to 8 kHz, N = 512; Tools/cnn/mel_consistency.py",
        "/// defines them and rounds the integer ones half up). Per bin k its lower band lo_k (the next",
        "/// is lo_k + 1), and four numbers: its weights in the two bands' means, A[lo_k, k] and",
        "/// A[lo_k + 1, k], and the two bands' shares of its gain, W[k, lo_k] and W[k, lo_k + 1]. Per",
        "/// band b the Thomas factors of the tridiagonal T = A W: mu_b = T[b, b-1] / d_(b-1) (mu_0 = 0),",
        "/// T[b, b+1] (0 for the last band) and 1 / d_b. Read in place (GeneratedTable).",
        "enum MelConsistencyTables {",
        "    /// Multiplicative steps towards the mel frame per output frame.",
        f"    static let steps = {STEPS}",
        "    /// Fractional bits of the Q15 kernel's Thomas factors, and the bit length its band sums",
        "    /// are brought to before the solve.",
        f"    static let coefficientBits = {COEFFICIENT_BITS}",
        f"    static let levelBits = {LEVEL_BITS}",
        table("lowerBand", "UInt8", tables.lower, str, "lo_k, in 0 ... B - 2."),
        table("bins", "Float", per_bin.ravel(), single, "Per bin: A[lo, k], A[lo + 1, k], W[k, lo], W[k, lo + 1]."),
        table("bands", "Float", per_band.ravel(), single, "Per band: mu_b, T[b, b+1], 1 / d_b."),
        table("binsQ15", "UInt16", per_bin_q.ravel(), str, "`bins` in unsigned Q15 (1.0 = 32768)."),
        table("bandsQ29", "Int32", per_band_q.ravel(), str, "`bands` in Q29."),
    ]
    return "\n".join(parts) + "}\n"


def golden_frames():
    """(name, m0, e0, m, e): the mel networks' golden frames (quantize.py writes them: the
    pseudo-inverse frames of the bundled clip and their corrections), then hostile ones: a
    silent pseudo-inverse, a silent correction, one bin, a frame at the top of the mantissas,
    corrections 2^40 apart from their frames, and random frames."""
    frames = []
    for name in ("causal-mel80", "strided-mel80"):
        path = os.path.join(os.path.dirname(GOLDEN), f"q15-{name}.txt")
        with open(path) as f:
            lines = [line for line in f if not line.startswith("#")]
        for i in range(0, len(lines), 4):
            pseudo, corrected = (list(map(int, lines[i + j].split())) for j in (0, 3))
            frames.append((name, pseudo[1:], pseudo[0], corrected[1:], corrected[0]))
    base, base_e, corr, corr_e = frames[5][1:]
    zeros = [0] * K
    one = [0] * K
    one[40] = 2**31
    top = [2**32 - 1] * K
    rng = np.random.default_rng(7)
    frames += [
        ("silent pseudo-inverse", zeros, 0, corr, corr_e),
        ("silent correction", base, base_e, zeros, 0),
        ("one bin", one, -20, one, -20),
        ("full scale", top, 10, top, 10),
        ("correction 2^40 louder", base, base_e, corr, corr_e + 40),
        ("correction 2^40 quieter", base, base_e, corr, corr_e - 40),
    ]
    for trial in range(4):
        m0 = rng.integers(0, 2**32, K) >> rng.integers(0, 33, K)
        m0[np.argmax(m0)] = 2**31 + 5
        m = rng.integers(0, 2**32, K) >> rng.integers(0, 33, K)
        m[np.argmax(m)] = 2**32 - 3
        frames.append((f"random {trial}", m0.tolist(), int(rng.integers(-60, 20)), m.tolist(), int(rng.integers(-60, 20))))
    return frames


def golden(tables):
    lines = [f"# Q15MelConsistency golden frames ({STEPS} steps; Tools/cnn/mel_consistency.py): per frame a "
             f"comment naming it, the pseudo-inverse's exponent and {K} mantissas, the corrected "
             f"exponent and mantissas, the model's consistent exponent and mantissas"]
    for name, m0, e0, m, e in golden_frames():
        out, out_e = consistent_q(tables, m0, e0, m, e)
        lines.append(f"# {name}")
        for exponent, mantissas in ((e0, m0), (e, m), (out_e, out)):
            lines.append(" ".join([str(exponent)] + [str(int(v)) for v in mantissas]))
    return "\n".join(lines) + "\n"


def main():
    tables = Tables()
    with open(TABLES, "w") as f:
        f.write(swift_source(tables))
    print(f"wrote {os.path.relpath(TABLES, ROOT)}")
    with open(GOLDEN, "w") as f:
        f.write(golden(tables))
    print(f"wrote {os.path.relpath(GOLDEN, ROOT)}")


if __name__ == "__main__":
    main()
