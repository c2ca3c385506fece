"""Rephase: speech waveforms from STFT magnitudes, numpy in and numpy out.

The core of the `rephase` CLI (Embedded Swift, built into librephase.so at install time) with
the CLI's framing: 16 kHz mono, periodic Hann window of 512 samples, hop 128, 257 bins,
frame-start phase. `invert(analyze(x), length=len(x))` gives the samples
`rephase invert x.wav -o y.wav --subtype float` writes, bit for bit.

    import numpy as np, rephase
    magnitudes = rephase.analyze(audio)                  # (frames, 257) float32
    audio = rephase.invert(magnitudes, method="cnn")     # float32 samples at 16 kHz

Online methods (every method and format of the core): cnn, cnn-strided (f32, f16, q15),
cnn-la (f32, f16), pghi (f32, q15), rtpghi, rtisi-la (f32), mcnn (f32, f16, q15), spsi (f32,
q15). The offline
ones (fgla; admm and cascade for mel spectrograms) see the whole utterance at once and run on
the host's arrays, not in the core: they are CLI-only (`rephase invert ... --method fgla`).

Inputs may be numpy arrays or torch tensors (any device); outputs are numpy arrays. Bad input
raises ValueError with the CLI's message. Every call into the library releases the GIL, so
threads run inversions and streams in parallel; a StreamingInverter serialises its own calls.
"""

from __future__ import annotations

import threading
from typing import Any, Literal, Optional

import numpy as np

from . import _checks
from ._checks import STREAMING_BANDS
from ._library import BINS, HOP, MEL_SCALE_CODES, Settings, Stream, defaults, spectrogram

__all__ = ["analyze", "invert", "invert_mel", "StreamingInverter", "SAMPLE_RATE", "HOP", "BINS", "METHODS", "FORMATS"]
__version__ = "0.1.0"

SAMPLE_RATE = _checks.SAMPLE_RATE
#: The online methods, as the CLI names them.
METHODS = tuple(_checks.ONLINE)
FORMATS = ("f32", "f16", "q15")

Method = Literal["cnn", "cnn-strided", "cnn-la", "pghi", "rtpghi", "rtisi-la", "mcnn", "spsi"]
Format = Literal["f32", "f16", "q15"]
MelScale = Literal["slaney", "htk"]
MelLog = Literal["ln", "log10", "db"]
MelPower = Literal[1, 2]
Layout = Literal["auto", "frames-first", "frames-last"]


def analyze(audio: Any, sample_rate: int = SAMPLE_RATE) -> np.ndarray:
    """STFT magnitudes of `audio`, as `rephase analyze` writes them.

    audio: one channel of float samples (float32, float64; or int16, read as libsndfile reads
    it, x / 32768), shape (samples,), within ±65536. sample_rate: must be 16000 (resample
    other rates first; the CLI resamples files itself). Returns float32 (frames, 257) with
    frames = ceil(samples / 128) + 3: the signal padded with zeros to whole hops and 3 hops
    past its end, so that every sample lies in 4 frames.
    """
    samples = _checks.audio_of(audio, "audio", sample_rate)
    magnitudes = np.empty(((len(samples) + HOP - 1) // HOP + 3, BINS), dtype=np.float32)
    spectrogram(samples, magnitudes)
    return magnitudes


def invert(
    magnitudes: Any,
    method: Method = "cnn",
    format: Format = "f32",
    lookahead: Optional[int] = None,
    iterations: Optional[int] = None,
    *,
    length: Optional[int] = None,
    weight_exponent: Optional[float] = None,
    coupling: Optional[float] = None,
    momentum: Optional[float] = None,
    layout: Layout = "auto",
) -> np.ndarray:
    """A waveform from STFT magnitudes alone, as `rephase invert` rebuilds it.

    magnitudes: (frames, 257) as `analyze` returns them, or (257, frames) as librosa lays
    them out (`layout`: auto, the default, takes whichever the shape allows; frames-first or
    frames-last say which), float16, float32 or float64, each in [0, 1e8], at least 4 frames
    (`analyze`'s framing). method, format, lookahead, iterations, weight_exponent, coupling, momentum: the
    CLI's options of the same names (None: the method's default). length: samples to return,
    at most (frames - 3) * 128, the default (the CLI's length for a .npy input); give the
    original signal's length to get exactly what the CLI writes for the audio file.

    The frames go through the method's streaming inverter, then silent frames until its
    look-ahead and overlap-add have flushed; the first `latency` samples are dropped, so
    output sample n is input sample n. Returns float32 samples at 16 kHz.
    """
    settings = _settings(method, format, lookahead, iterations, weight_exponent, coupling, momentum)
    frames = _checks.frames_of(magnitudes, "magnitudes", BINS, "bins", mel_hint=True, layout=layout)
    _checks.check_magnitudes(frames, "magnitudes")
    return _invert_whole(settings, frames, _checks.check_length(length, frames.shape[0], "magnitudes"), method)


def invert_mel(
    mel: Any,
    bands: Optional[int] = None,
    method: Method = "cnn",
    format: Format = "f32",
    log: Optional[MelLog] = None,
    *,
    power: MelPower = 1,
    layout: Layout = "auto",
    mel_scale: MelScale = "slaney",
    mel_steps: Optional[int] = None,
    lookahead: Optional[int] = None,
    iterations: Optional[int] = None,
    length: Optional[int] = None,
    weight_exponent: Optional[float] = None,
    coupling: Optional[float] = None,
    momentum: Optional[float] = None,
) -> np.ndarray:
    """A waveform from a mel spectrogram, as `rephase invert MEL.npy --mel BANDS` rebuilds it
    with an online method: the core's streaming mel -> linear stage feeds the method.

    mel: (frames, bands) or (bands, frames) as `layout` says (auto: whichever the shape
    allows), float16, float32 or float64, leading dimensions of 1 allowed: librosa's filterbank
    (`librosa.filters.mel(sr=16000, n_fft=512, n_mels=bands)`) applied to `analyze`'s
    magnitudes (power=1) or to their squares (power=2), then the logarithm `log`: None, "ln",
    "log10" or "db" (10 log10 at power 2, 20 log10 at power 1), as TTS models and vocoders
    emit them; the core undoes both (the CLI's --mel-log and --mel-power). bands: 40, 64, 80
    or 128 (None: the dimension that is one of them, the last if both are). mel_scale: "slaney" (librosa's default) or "htk".
    mel_steps: projected-gradient steps of the mel stage per frame (the CLI's --mel-steps;
    default 0). The other options and the return value are those of `invert`.
    """
    settings = _settings(method, format, lookahead, iterations, weight_exponent, coupling, momentum)
    values = _checks.as_array(mel, "mel")
    if bands is None and values.ndim < 2:
        raise ValueError(f"'mel': expected a 2-D array (frames, bands), got {values.ndim}-D")
    rows, columns = values.shape[-2:]
    count = int(bands) if bands is not None else columns if columns in STREAMING_BANDS or rows not in STREAMING_BANDS else rows
    _add_mel(settings, count, mel_scale, mel_steps, log, power)
    frames = _checks.frames_of(values, "mel", count, "mel bands", mel_hint=False, layout=layout)
    _checks.check_mel_values(frames, "mel", log, power)
    return _invert_whole(settings, frames, _checks.check_length(length, frames.shape[0], "mel"), method)


class StreamingInverter:
    """One streaming inverter of the core: a frame of magnitudes in, 128 samples out.

    Its output lags its input by `latency` samples (the overlap-add and the method's
    look-ahead): after `latency` samples, the stream equals `invert` of the same frames.
    The options are `invert`'s; with `bands` (40, 64, 80 or 128) the frames are mel frames, as
    for `invert_mel`.

        inv = rephase.StreamingInverter(method="cnn-strided", format="q15")
        for frame in frames:              # each (257,) float32
            hop = inv.process(frame)      # (128,) float32
    """

    def __init__(
        self,
        method: Method = "cnn",
        format: Format = "f32",
        lookahead: Optional[int] = None,
        iterations: Optional[int] = None,
        *,
        weight_exponent: Optional[float] = None,
        coupling: Optional[float] = None,
        momentum: Optional[float] = None,
        bands: Optional[int] = None,
        mel_scale: MelScale = "slaney",
        mel_steps: Optional[int] = None,
        log: Optional[MelLog] = None,
        power: MelPower = 1,
    ) -> None:
        settings = _settings(method, format, lookahead, iterations, weight_exponent, coupling, momentum)
        if bands is not None:
            _add_mel(settings, int(bands), mel_scale, mel_steps, log, power)
        elif log is not None or power != 1 or mel_steps is not None:
            raise ValueError("log, power and mel_steps apply to mel frames: give bands")
        self.method: str = method
        self.format: str = format
        #: Values per input frame: 257 magnitudes, or `bands` mel values.
        self.frame_size: int = BINS if bands is None else int(bands)
        self._log = log
        self._power = power
        self._stream = Stream(settings)
        #: Samples from the analysis input to the output.
        self.latency: int = self._stream.latency
        self._lock = threading.Lock()

    def process(self, frame: Any) -> np.ndarray:
        """One frame, shape (frame_size,), in; 128 samples out. Several frames at once,
        shape (n, frame_size), give n * 128 samples (one call into the library). A frame
        with a value outside [0, 1e8], NaN or infinite is refused whole (ValueError) and the
        stream is unchanged."""
        array = _checks.as_array(frame, "frame")
        single = array.ndim == 1
        mel = self.frame_size != BINS
        frames = _checks.frames_of(array[np.newaxis] if single else array, "frame", self.frame_size,
                                   "mel bands" if mel else "bins", mel_hint=not mel, layout="frames-first")
        if mel:
            _checks.check_mel_values(frames, "frame", self._log, self._power, least_frames=0)
        else:
            _checks.check_magnitudes(frames, "frame", least_frames=0)
        samples = np.empty(frames.shape[0] * HOP, dtype=np.float32)
        with self._lock:
            self._stream.process(frames, frames.shape[0], samples)
        return samples

    def reset(self) -> None:
        """Forgets every past frame, as if newly made."""
        with self._lock:
            self._stream.reset()


def _settings(method: str, format: str, lookahead: Optional[int], iterations: Optional[int],
              weight_exponent: Optional[float], coupling: Optional[float], momentum: Optional[float]) -> Settings:
    """The checked settings: the method's defaults (the core's), with what was given."""
    _checks.check_settings(method, format, lookahead, iterations, weight_exponent, coupling, momentum)
    settings = defaults(method, format)
    for name, value in (("lookahead", lookahead), ("iterations", iterations), ("weight_exponent", weight_exponent),
                        ("coupling", coupling), ("momentum", momentum)):
        if value is not None:
            setattr(settings, name, value)
    return settings


def _add_mel(settings: Settings, bands: int, mel_scale: str, mel_steps: Optional[int], log: Optional[str],
             power: int) -> None:
    _checks.check_mel_settings(bands, mel_scale, mel_steps)
    _checks.check_mel_encoding(log, power)
    settings.mel_bands = bands
    settings.mel_scale = MEL_SCALE_CODES[mel_scale]
    settings.mel_steps = mel_steps or 0
    settings.mel_log = _checks.MEL_LOG_CODES[log]
    settings.mel_power = power


def _invert_whole(settings: Settings, frames: np.ndarray, length: int, method: str) -> np.ndarray:
    """RephaseOffline's invertStreaming: the frames, then silent frames until `latency +
    length` samples are out; the first `latency` dropped."""
    stream = Stream(settings)
    needed = stream.latency + length
    total = max(frames.shape[0], -(-needed // HOP))
    loudest = float(frames.max())
    if total > frames.shape[0]:
        frames = np.concatenate([frames, np.zeros((total - frames.shape[0], frames.shape[1]), dtype=np.float32)])
    output = np.empty(total * HOP, dtype=np.float32)
    stream.process(frames, total, output)
    samples = output[stream.latency:needed].copy()
    _checks.check_output(samples, loudest, method)
    return samples

