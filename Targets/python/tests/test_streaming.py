"""StreamingInverter: the batch call's samples after `latency`, frame by frame."""

import numpy as np
import pytest
import rephase
from conftest import CONFIGURATIONS


@pytest.fixture(scope="module")
def magnitudes(clip):
    return rephase.analyze(clip)


@pytest.mark.parametrize("method,format", CONFIGURATIONS)
def test_stream_equals_batch_after_latency(magnitudes, method, format):
    inverter = rephase.StreamingInverter(method=method, format=format)
    silence = np.zeros(257, dtype=np.float32)
    frames = list(magnitudes) + [silence] * (inverter.latency // 128 + 1)
    stream = np.concatenate([inverter.process(frame) for frame in frames])
    batch = rephase.invert(magnitudes, method=method, format=format)
    assert np.array_equal(stream[inverter.latency: inverter.latency + len(batch)], batch)
    # Many frames per call give the same samples; reset starts over.
    inverter.reset()
    assert np.array_equal(inverter.process(np.stack(frames)), stream)


def test_latency_is_the_clis(cli, magnitudes):
    import json

    npy = cli.work / "latency.npy"
    np.save(npy, magnitudes)
    for method, format in CONFIGURATIONS:
        result = cli.run("invert", npy, "-o", cli.work / "latency.wav", "--method", method, "--format", format, "--json")
        assert result.returncode == 0, result.stderr
        expected = json.loads(result.stdout)["latency_samples"]
        assert rephase.StreamingInverter(method=method, format=format).latency == expected, (method, format)


def test_mel_stream_equals_invert_mel(magnitudes):
    basis = np.abs(np.random.default_rng(0).standard_normal((80, 257))).astype(np.float32) / 30
    mel = (magnitudes @ basis.T).astype(np.float32)
    inverter = rephase.StreamingInverter(method="pghi", bands=80)
    stream = inverter.process(np.concatenate([mel, np.zeros((inverter.latency // 128 + 1, 80), np.float32)]))
    batch = rephase.invert_mel(mel, method="pghi")
    assert np.array_equal(stream[inverter.latency: inverter.latency + len(batch)], batch)


def test_a_refused_frame_leaves_the_stream_unchanged(magnitudes):
    reference = rephase.StreamingInverter(method="cnn-strided", format="q15")
    tested = rephase.StreamingInverter(method="cnn-strided", format="q15")
    bad = magnitudes[5].copy()
    bad[7] = np.nan
    out = []
    for t, frame in enumerate(magnitudes[:40]):
        if t == 5:
            with pytest.raises(ValueError, match="'frame' holds NaN at frame 0, bin 7"):
                tested.process(bad)
        out.append(tested.process(frame))
    assert np.array_equal(np.concatenate(out), reference.process(magnitudes[:40]))
