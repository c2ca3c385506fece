"""ctypes binding of librephase.so (Targets/c-api/rephase.h, stream interface).

ctypes releases the GIL for every call into the library, so streams on different threads
run in parallel. Each stream lives in a buffer this module allocates: the C interface keeps
no other memory, so the garbage collector frees a stream like any bytes object.
"""

from __future__ import annotations

import ctypes
from pathlib import Path

BINS = 257
HOP = 128
STREAM_ALIGNMENT = 16

# rephase.h's enums.
METHOD_CODES = {"cnn": 0, "cnn-strided": 1, "pghi": 2, "mcnn": 3, "cnn-la": 4, "rtpghi": 5, "rtisi-la": 6, "spsi": 7}
FORMAT_CODES = {"f32": 0, "q15": 1, "f16": 2}
MEL_SCALE_CODES = {"slaney": 0, "htk": 1}

STATUS_TEXT = {
    -1: "a null pointer",
    -2: "a configuration this library was not built with",
    -3: "a stream that was not initialised",
    -4: "the wrong interface",
    -5: "input outside the accepted range",
    -6: "settings outside their range",
    -7: "stream storage too small or misaligned",
}


class Settings(ctypes.Structure):
    """rephase_settings."""

    _fields_ = [
        ("method", ctypes.c_int32),
        ("format", ctypes.c_int32),
        ("lookahead", ctypes.c_int32),
        ("iterations", ctypes.c_int32),
        ("weight_exponent", ctypes.c_float),
        ("coupling", ctypes.c_float),
        ("momentum", ctypes.c_float),
        ("mel_bands", ctypes.c_int32),
        ("mel_scale", ctypes.c_int32),
        ("mel_steps", ctypes.c_int32),
        ("mel_log", ctypes.c_int32),
        ("mel_power", ctypes.c_int32),
    ]


_float_p = ctypes.POINTER(ctypes.c_float)
library = ctypes.CDLL(str(Path(__file__).with_name("librephase.so")))
library.rephase_stream_defaults.argtypes = [ctypes.c_int32, ctypes.c_int32, ctypes.POINTER(Settings)]
library.rephase_stream_size.argtypes = [ctypes.POINTER(Settings)]
library.rephase_stream_init.argtypes = [ctypes.c_void_p, ctypes.c_int32, ctypes.POINTER(Settings)]
library.rephase_stream_reset.argtypes = [ctypes.c_void_p]
library.rephase_stream_latency.argtypes = [ctypes.c_void_p]
library.rephase_stream_process.argtypes = [ctypes.c_void_p, _float_p, ctypes.c_int32, _float_p]
library.rephase_spectrogram.argtypes = [_float_p, ctypes.c_int64, _float_p]
for _name in ("defaults", "size", "init", "reset", "latency", "process"):
    getattr(library, f"rephase_stream_{_name}").restype = ctypes.c_int32
library.rephase_spectrogram.restype = ctypes.c_int32


def check(status: int, call: str) -> int:
    """`status` if it is not an error; otherwise RuntimeError (the Python layer checks every
    input first, so this is a library fault, never the caller's)."""
    if status < 0:
        raise RuntimeError(f"rephase: {call} refused {STATUS_TEXT.get(status, f'the call (status {status})')}")
    return status


def defaults(method: str, format: str) -> Settings:
    settings = Settings()
    check(library.rephase_stream_defaults(METHOD_CODES[method], FORMAT_CODES[format], ctypes.byref(settings)),
          "rephase_stream_defaults")
    return settings


class Stream:
    """One inverter of the core in memory owned by Python."""

    def __init__(self, settings: Settings) -> None:
        size = check(library.rephase_stream_size(ctypes.byref(settings)), "rephase_stream_size")
        self._buffer = ctypes.create_string_buffer(size + STREAM_ALIGNMENT)
        self._address = (ctypes.addressof(self._buffer) + STREAM_ALIGNMENT - 1) // STREAM_ALIGNMENT * STREAM_ALIGNMENT
        check(library.rephase_stream_init(self._address, size, ctypes.byref(settings)), "rephase_stream_init")
        self.latency = check(library.rephase_stream_latency(self._address), "rephase_stream_latency")

    def process(self, frames, count: int, samples) -> None:
        """`count` frames (a C-contiguous float32 array) into `samples` (count * HOP float32)."""
        check(library.rephase_stream_process(
            self._address, frames.ctypes.data_as(_float_p), count, samples.ctypes.data_as(_float_p)),
            "rephase_stream_process")

    def reset(self) -> None:
        check(library.rephase_stream_reset(self._address), "rephase_stream_reset")


def spectrogram(samples, magnitudes) -> None:
    """The magnitudes of `samples` (C-contiguous float32) into `magnitudes` ((frames, BINS) float32)."""
    check(library.rephase_spectrogram(
        samples.ctypes.data_as(_float_p), len(samples), magnitudes.ctypes.data_as(_float_p)), "rephase_spectrogram")
