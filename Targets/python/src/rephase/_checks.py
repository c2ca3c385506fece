"""What `rephase invert` accepts, checked before any call into the library, with the CLI's
messages (its options spelled as this package's keyword arguments: `--weight-exponent` is
`weight_exponent`, `--mel N` is `bands=N`, and a file's path is the argument's name).

The ranges are the CLI's (Sources/rephase: InversionSettings, MelInversionSettings,
SignalChecks); the tests compare every message with the CLI's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

import math

import numpy as np

from ._library import HOP


@dataclass(frozen=True)
class Method:
    """One online method: its look-ahead (default and accepted frames), iterations (where it
    iterates: the fewest accepted), formats, and whether it has least-squares weights."""

    lookahead: tuple[int, int]
    iterations_least: Optional[int]
    formats: tuple[str, ...]
    least_squares: bool


ONLINE = {
    "cnn": Method((0, 0), None, ("f32", "f16", "q15"), True),
    "cnn-strided": Method((1, 1), None, ("f32", "f16", "q15"), True),
    "cnn-la": Method((0, 6), 0, ("f32", "f16"), True),
    "pghi": Method((0, 1), None, ("f32", "q15"), True),
    "rtpghi": Method((0, 1), None, ("f32",), False),
    "rtisi-la": Method((0, 7), 1, ("f32",), False),
    "mcnn": Method((4, 4), None, ("f32", "f16", "q15"), False),
    "spsi": Method((0, 0), None, ("f32", "q15"), False),
}
OFFLINE = ("fgla", "admm", "cascade")

MOST_ITERATIONS = 10_000
LARGEST_WEIGHT_EXPONENT = 16.0
LARGEST_COUPLING = 1e6
LARGEST_SAMPLE = 65_536.0
LARGEST_MAGNITUDE = 1e8
# MagnitudeRange.largest: what the core itself accepts (rephase.h: REPHASE_MAX_MAGNITUDE).
LARGEST_CORE_MAGNITUDE = 1e9
SILENT_PEAK = 0.5 / 32768
QUIET_MAGNITUDE = 1e-3
STREAMING_BANDS = (40, 64, 80, 128)
MOST_BANDS = 256
MOST_MEL_STEPS = 1000
SAMPLE_RATE = 16_000
# Frames of the STFT of a one-sample signal: the fewest a spectrogram can have.
FEWEST_FRAMES = 4


def swift_float(value: float) -> str:
    """A Float32 as Swift prints it (shortest digits; exponential outside [1e-4, 2^24])."""
    x = np.float32(value)
    if np.isnan(x):
        return "nan"
    if np.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x != 0 and not (1e-4 <= abs(x) <= 2**24):
        mantissa, exponent = np.format_float_scientific(x, unique=True, exp_digits=2).split("e")
        return f"{mantissa.rstrip('.')}e{exponent}"
    text = np.format_float_positional(x, unique=True)
    return text + "0" if text.endswith(".") else text


def swift_range(low: int, high: int) -> str:
    return f"{low}...{high}"


def method_of(method: str) -> Method:
    if method in OFFLINE:
        raise ValueError(
            f"{method} is an offline method (the whole utterance at once, host only): run it with the CLI, "
            f"`rephase invert INPUT -o OUTPUT.wav --method {method}`; this package runs the online methods "
            f"({', '.join(ONLINE)})")
    if method not in ONLINE:
        raise ValueError(f"unknown method '{method}'; the online methods are {', '.join(ONLINE)}")
    return ONLINE[method]


def check_settings(
    method: str, format: str, lookahead: Optional[int], iterations: Optional[int],
    weight_exponent: Optional[float], coupling: Optional[float], momentum: Optional[float],
) -> Method:
    """InversionSettings's checks, in its order."""
    spec = method_of(method)
    if format not in ("f32", "f16", "q15"):
        raise ValueError(f"unknown format '{format}'; the formats are f32, f16, q15")
    if format not in spec.formats:
        raise ValueError(f"format {format} is not available for {method}; it runs in {', '.join(spec.formats)}")
    low, high = spec.lookahead
    if lookahead is not None and not low <= lookahead <= high:
        values = f"{low}" if low == high else f"in {swift_range(low, high)}"
        raise ValueError(f"lookahead for {method} must be {values}, got {lookahead}")
    if iterations is not None:
        if spec.iterations_least is None:
            raise ValueError(f"iterations does not apply to {method}")
        if not spec.iterations_least <= iterations <= MOST_ITERATIONS:
            raise ValueError(
                f"iterations for {method} must be in {swift_range(spec.iterations_least, MOST_ITERATIONS)}, got {iterations}")
    if weight_exponent is not None or coupling is not None:
        if not spec.least_squares:
            raise ValueError(
                "weight_exponent and coupling apply to the least-squares methods (pghi, cnn, cnn-strided, cnn-la), "
                f"not {method}")
        if weight_exponent is not None and not 0 < np.float32(weight_exponent) <= LARGEST_WEIGHT_EXPONENT:
            raise ValueError(
                f"weight_exponent must be in (0, {swift_float(LARGEST_WEIGHT_EXPONENT)}], got {swift_float(weight_exponent)}")
        if coupling is not None and not 0 < np.float32(coupling) <= LARGEST_COUPLING:
            raise ValueError(f"coupling must be in (0, {swift_float(LARGEST_COUPLING)}], got {swift_float(coupling)}")
    if momentum is not None:
        if method not in ("cnn-la", "rtisi-la"):
            raise ValueError(f"momentum applies to cnn-la, rtisi-la, fgla and cascade, not {method}")
        if not 0 <= np.float32(momentum) < 1:
            raise ValueError(f"momentum must be in [0, 1), got {swift_float(momentum)}")
    return spec


def check_mel_settings(bands: int, mel_scale: str, mel_steps: Optional[int]) -> None:
    """MelOptions' and MelInversionSettings' checks for an online method, in their order."""
    if mel_scale not in ("slaney", "htk"):
        raise ValueError(f"unknown mel_scale '{mel_scale}'; the scales are slaney, htk")
    if not 1 <= bands <= MOST_BANDS:
        raise ValueError(f"bands must be between 1 and {MOST_BANDS} bands, got {bands}")
    if mel_steps is not None and not 0 <= mel_steps <= MOST_MEL_STEPS:
        raise ValueError(f"mel_steps must be in {swift_range(0, MOST_MEL_STEPS)}, got {mel_steps}")
    if bands not in STREAMING_BANDS:
        raise ValueError(
            f"online mel inversion is compiled for {', '.join(map(str, STREAMING_BANDS))} bands, got bands={bands} "
            "(admm and cascade take any)")


def as_array(value: Any, name: str) -> np.ndarray:
    """A numpy view of `value` (a numpy array, a torch tensor on any device, or a sequence)."""
    if hasattr(value, "detach") and hasattr(value, "cpu") and hasattr(value, "numpy"):
        value = value.detach().cpu().numpy()
    try:
        return np.asarray(value)
    except (TypeError, ValueError) as error:
        raise ValueError(f"'{name}': not an array of numbers ({error})") from None


def frames_of(value: Any, name: str, bins: int, kind: str, mel_hint: bool, layout: str = "auto") -> np.ndarray:
    """A float32 (frames, bins) spectrogram, read as the CLI reads a .npy: float16, float32 or
    float64, leading dimensions of 1 dropped, frames first or last as `layout` says (auto:
    whichever the shape allows); C-contiguous for the library. `kind` names the values
    ("bins" or "mel bands")."""
    array = as_array(value, name)
    if array.dtype.kind != "f" or array.dtype.itemsize not in (2, 4, 8):
        raise ValueError(f"'{name}': dtype '{array.dtype.str}' is not float16, float32 or float64")
    if array.ndim < 2 or any(size != 1 for size in array.shape[:-2]):
        dimensions = ", ".join(map(str, array.shape))
        raise ValueError(f"'{name}': expected a 2-D array (frames, bins), got a {array.ndim}-D array of shape ({dimensions})")
    array = array.reshape(array.shape[-2:])
    rows, columns = array.shape
    bands = next((size for size in (columns, rows) if 1 <= size <= MOST_BANDS), None)
    hint = f" (a mel spectrogram needs invert_mel with bands={bands})" if mel_hint and bands is not None else ""
    shape = f"'{name}' has shape ({rows}, {columns})"
    if layout == "frames-first":
        if columns != bins:
            raise ValueError(f"{shape}; with layout='frames-first' it needs {bins} {kind} per row{hint}")
    elif layout == "frames-last":
        if rows != bins:
            raise ValueError(f"{shape}; with layout='frames-last' it needs {bins} {kind} per column{hint}")
        array = array.T
    elif layout == "auto":
        if rows == bins and columns == bins:
            raise ValueError(f"{shape}: its frames cannot be told from its {kind}; say which with layout='frames-first' or 'frames-last'")
        if columns != bins:
            if rows != bins:
                raise ValueError(f"{shape}; it needs {bins} {kind} per frame, as (frames, {bins}) or ({bins}, frames){hint}")
            array = array.T
    else:
        raise ValueError(f"unknown layout '{layout}'; the layouts are auto, frames-first, frames-last")
    return np.ascontiguousarray(array, dtype=np.float32)


MEL_LOG_CODES = {None: 0, "ln": 1, "log10": 2, "db": 3}


def check_mel_encoding(log: Optional[str], power: int) -> None:
    if log not in MEL_LOG_CODES:
        raise ValueError(f"unknown log '{log}'; use None (linear mel values), 'ln', 'log10' or 'db'")
    if power not in (1, 2):
        raise ValueError(f"power must be 1 or 2, got {power}")


def largest_encoded(log: Optional[str], power: int) -> float:
    """The largest mel value in this encoding (the core's MelEncoding.largestEncoded):
    LARGEST_CORE_MAGNITUDE in magnitude units, squared at power 2, then the logarithm."""
    largest = LARGEST_CORE_MAGNITUDE ** power
    if log is None:
        return largest
    if log == "ln":
        return math.log(largest)
    return math.log10(largest) * ((10 if power == 2 else 20) if log == "db" else 1)


def check_mel_values(values: np.ndarray, name: str, log: Optional[str], power: int, least_frames: int = FEWEST_FRAMES) -> None:
    """MelInput.check: encoded mel values the encoding can hold."""
    if values.shape[0] < least_frames:
        raise ValueError(f"'{name}' has {values.shape[0]} frames; at least {least_frames} are needed")
    if log is None:
        negative = np.flatnonzero(values < 0)
        if negative.size:
            frame, band = divmod(int(negative[0]), values.shape[1])
            raise ValueError(
                f"'{name}' holds the negative value {swift_float(values.flat[negative[0]])} at frame {frame}, band {band}; "
                "mel values without a logarithm are not negative (for log-mel, say which logarithm with log='ln', 'log10' or 'db')")
        if power == 1:
            return check_magnitudes(values, name, least_frames)
    bound = largest_encoded(log, power)
    lowest = 0 if log is None else -np.inf
    bad = np.flatnonzero(~(np.isfinite(values) & (values >= lowest) & (values <= np.float32(bound))))
    if bad.size:
        value = values.flat[bad[0]]
        kind = "NaN" if np.isnan(value) else f"the value {swift_float(value)}" if np.isfinite(value) else "an infinite value"
        frame, band = divmod(int(bad[0]), values.shape[1])
        raise ValueError(f"'{name}' holds {kind} at frame {frame}, band {band}; with log='{log or 'none'}', power={power} "
                         f"the values must be finite and at most {bound:.4g}")


def check_magnitudes(values: np.ndarray, name: str, least_frames: int = FEWEST_FRAMES) -> None:
    """At least `least_frames` frames, every value finite and in [0, LARGEST_MAGNITUDE]."""
    if values.shape[0] < least_frames:
        raise ValueError(f"'{name}' has {values.shape[0]} frames; at least {least_frames} are needed")
    bad = np.flatnonzero(~((values >= 0) & (values <= LARGEST_MAGNITUDE)))
    if bad.size:
        index = int(bad[0])
        value = values.flat[index]
        kind = ("NaN" if np.isnan(value) else "a negative magnitude" if value < 0
                else f"the magnitude {swift_float(value)}" if np.isfinite(value) else "an infinite magnitude")
        frame, bin_ = divmod(index, values.shape[1])
        raise ValueError(
            f"'{name}' holds {kind} at frame {frame}, bin {bin_}; magnitudes must be in [0, {swift_float(LARGEST_MAGNITUDE)}]")


def audio_of(value: Any, name: str, sample_rate: int) -> np.ndarray:
    """Mono float32 samples at 16 kHz, checked as the CLI checks a file's samples."""
    if sample_rate != SAMPLE_RATE:
        raise ValueError(
            f"'{name}' has a sample rate of {sample_rate} Hz; this package takes {SAMPLE_RATE} Hz "
            "(resample first, e.g. librosa.resample; the CLI resamples with libsamplerate)")
    array = as_array(value, name)
    if array.ndim != 1:
        raise ValueError(f"'{name}': expected one channel, shape (samples,), got shape {array.shape}")
    if array.dtype == np.int16:
        array = array.astype(np.float32) / np.float32(32768)
    elif array.dtype.kind != "f":
        raise ValueError(f"'{name}': dtype '{array.dtype.str}' is not audio (float or int16 samples)")
    samples = np.ascontiguousarray(array, dtype=np.float32)
    if samples.size == 0:
        raise ValueError(f"'{name}' holds no samples")
    bad = np.flatnonzero(~(np.abs(samples) <= LARGEST_SAMPLE))
    if bad.size:
        index = int(bad[0])
        value = samples[index]
        kind = ("NaN" if np.isnan(value) else f"the sample {swift_float(value)}, beyond ±{int(LARGEST_SAMPLE)},"
                if np.isfinite(value) else "an infinite sample")
        raise ValueError(
            f"'{name}' holds {kind} at sample {index}; samples must be finite and within ±{int(LARGEST_SAMPLE)}")
    return samples


def check_output(samples: np.ndarray, loudest: float, method: str) -> None:
    """SignalChecks.checkOutput: finite, and not silent unless the input was quiet."""
    bad = np.flatnonzero(~np.isfinite(samples))
    if bad.size:
        index = int(bad[0])
        raise ValueError(f"{method} produced a non-finite sample ({swift_float(samples[index])}) at sample {index} from this input")
    peak = float(np.max(np.abs(samples))) if samples.size else 0.0
    if peak < SILENT_PEAK and loudest >= QUIET_MAGNITUDE:
        raise ValueError(f"{method} produced silence from input with magnitudes up to {swift_float(loudest)}")


def check_length(length: Optional[int], frames: int, name: str) -> int:
    """Samples to return: by default the longest signal with this many frames (the CLI's
    length for a .npy); otherwise 1 to that many."""
    longest = (frames - FEWEST_FRAMES + 1) * HOP
    if length is None:
        return longest
    if not 1 <= length <= longest:
        raise ValueError(f"length must be in 1...{longest} for the {frames} frames of '{name}', got {length}")
    return int(length)

