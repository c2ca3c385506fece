"""Streams on several threads at once (the library calls release the GIL) give the samples
they give alone."""

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import rephase
from conftest import CONFIGURATIONS


def test_inversions_on_threads_equal_sequential(clip):
    magnitudes = rephase.analyze(clip)
    alone = [rephase.invert(magnitudes, method=m, format=f) for m, f in CONFIGURATIONS]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda c: rephase.invert(magnitudes, method=c[0], format=c[1]), CONFIGURATIONS * 2))
    for i, samples in enumerate(together):
        assert np.array_equal(samples, alone[i % len(alone)]), CONFIGURATIONS[i % len(alone)]


def test_streams_on_threads_equal_sequential(clip):
    magnitudes = rephase.analyze(clip)

    def stream(configuration):
        inverter = rephase.StreamingInverter(*configuration)
        return np.concatenate([inverter.process(frame) for frame in magnitudes])

    alone = [stream(c) for c in CONFIGURATIONS[:6]]
    with ThreadPoolExecutor(max_workers=6) as pool:
        together = list(pool.map(stream, CONFIGURATIONS[:6]))
    assert all(np.array_equal(a, b) for a, b in zip(alone, together))


def test_one_stream_shared_by_threads_stays_whole(clip):
    """Calls on one inverter from several threads are serialised: every frame is processed
    exactly once. The frames are all the same, so any order leaves the same state."""
    frame = rephase.analyze(clip)[100]
    inverter = rephase.StreamingInverter(method="pghi")
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(inverter.process, [frame] * 64))
    fresh = rephase.StreamingInverter(method="pghi")
    fresh.process(np.stack([frame] * 64))
    silence = np.zeros((8, 257), np.float32)
    assert np.array_equal(inverter.process(silence), fresh.process(silence))
