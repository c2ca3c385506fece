"""The package gives the CLI's samples, bit for bit, on real speech (the bundled clip)."""

import numpy as np
import pytest
import rephase
from conftest import CLIP, CONFIGURATIONS


def test_analyze_equals_cli_analyze(cli, clip):
    npy = cli.work / "clip.npy"
    assert cli.run("analyze", CLIP, "-o", npy).returncode == 0
    expected = np.load(npy)
    magnitudes = rephase.analyze(clip)
    assert magnitudes.dtype == np.float32 and magnitudes.shape == expected.shape == ((len(clip) + 127) // 128 + 3, 257)
    assert np.array_equal(magnitudes, expected)


@pytest.mark.parametrize("method,format", CONFIGURATIONS)
def test_invert_of_analyze_equals_cli_invert(cli, clip, method, format):
    expected = cli.invert(CLIP, "--method", method, "--format", format)
    samples = rephase.invert(rephase.analyze(clip), method=method, format=format, length=len(clip))
    assert samples.dtype == np.float32 and len(samples) == len(clip) == len(expected)
    assert np.array_equal(samples, expected)


def test_default_length_is_the_cli_length_of_a_npy(cli, clip):
    npy = cli.work / "default.npy"
    np.save(npy, rephase.analyze(clip))
    expected = cli.invert(npy)
    samples = rephase.invert(rephase.analyze(clip))
    assert len(samples) == len(expected) == (len(clip) + 127) // 128 * 128
    assert np.array_equal(samples, expected)
    # The audio's length is a prefix of it (the flush frames are the same silent frames).
    assert np.array_equal(samples[: len(clip)], rephase.invert(rephase.analyze(clip), length=len(clip)))


@pytest.mark.parametrize("method,options", [
    ("pghi", {"lookahead": 1, "weight_exponent": 1.25, "coupling": 3.0}),
    ("rtpghi", {"lookahead": 1}),
    ("rtisi-la", {"lookahead": 2, "iterations": 3}),
    ("rtisi-la", {"lookahead": 1, "iterations": 2, "momentum": 0.0}),
    ("cnn-la", {"lookahead": 1, "iterations": 1, "momentum": 0.5}),
    ("cnn-strided", {"coupling": 4.0}),
])
def test_options_equal_cli_options(cli, clip, method, options):
    flags = [item for name, value in options.items() for item in (f"--{name.replace('_', '-')}", str(value))]
    expected = cli.invert(CLIP, "--method", method, *flags)
    assert np.array_equal(rephase.invert(rephase.analyze(clip), method=method, length=len(clip), **options), expected)


@pytest.mark.parametrize("bands,scale,method,format,steps", [
    (80, "slaney", "cnn", "f32", None),
    (80, "slaney", "cnn-strided", "q15", None),
    (40, "htk", "pghi", "f32", 3),
    (128, "slaney", "mcnn", "f16", None),
    (64, "slaney", "rtisi-la", "f32", None),
])
def test_invert_mel_equals_cli(cli, bands, scale, method, format, steps):
    mel_npy = cli.work / f"mel-{bands}-{scale}.npy"
    assert cli.run("analyze", CLIP, "-o", mel_npy, "--mel", bands, "--mel-scale", scale).returncode == 0
    options = ["--mel-steps", str(steps)] if steps is not None else []
    expected = cli.invert(mel_npy, "--mel", str(bands), "--mel-scale", scale, "--method", method, "--format", format, *options)
    mel = np.load(mel_npy)
    samples = rephase.invert_mel(mel, bands=bands, method=method, format=format, mel_scale=scale, mel_steps=steps)
    assert np.array_equal(samples, expected)


@pytest.mark.parametrize("log,power", [("ln", 1), ("log10", 2), ("db", 2)])
def test_encoded_mel_equals_cli(cli, log, power):
    mel_npy = cli.work / f"mel-{log}-{power}.npy"
    flags = ["--mel", "80", "--mel-log", log, "--mel-power", str(power)]
    assert cli.run("analyze", CLIP, "-o", mel_npy, *flags, "--layout", "frames-last").returncode == 0
    expected = cli.invert(mel_npy, *flags)
    mel = np.load(mel_npy)
    assert mel.shape[0] == 80
    assert np.array_equal(rephase.invert_mel(mel, log=log, power=power), expected)
    assert np.array_equal(rephase.invert_mel(mel[np.newaxis].astype(np.float64), log=log, power=power), expected)


def test_torch_tensors_are_accepted(clip):
    torch = pytest.importorskip("torch")
    magnitudes = rephase.analyze(torch.from_numpy(clip))
    assert np.array_equal(magnitudes, rephase.analyze(clip))
    assert np.array_equal(rephase.invert(torch.from_numpy(magnitudes)), rephase.invert(magnitudes))
    inverter = rephase.StreamingInverter()
    assert np.array_equal(inverter.process(torch.from_numpy(magnitudes[0])), rephase.StreamingInverter().process(magnitudes[0]))
