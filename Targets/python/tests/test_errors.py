"""Bad input raises ValueError with the CLI's message (the CLI's run on the same input is the
reference), and never reaches the library."""

import numpy as np
import pytest
import rephase
from conftest import CLIP, python_message


def spectrogram(frames=10, bins=257, dtype=np.float32):
    return np.abs(np.random.default_rng(1).standard_normal((frames, bins))).astype(dtype)


def with_value(frame, bin_, value):
    array = spectrogram()
    array[frame, bin_] = value
    return array


BAD_ARRAYS = {
    "nan": with_value(3, 5, np.nan),
    "infinite": with_value(2, 0, np.inf),
    "negative": with_value(0, 256, -1.0),
    "too large": with_value(9, 100, 2.5e8),
    "mel-shaped": spectrogram(bins=80),
    "too few frames": spectrogram(frames=3),
    "int32": spectrogram(dtype=np.int32),
    "square": spectrogram(frames=257),
    "one-dimensional": spectrogram()[0],
}


@pytest.mark.parametrize("case", BAD_ARRAYS)
def test_bad_magnitudes(cli, case):
    npy = cli.work / f"bad-{case.replace(' ', '-')}.npy"
    np.save(npy, BAD_ARRAYS[case])
    expected = python_message(cli.error("invert", npy, "-o", cli.work / "never.wav"), npy, "magnitudes")
    with pytest.raises(ValueError) as error:
        rephase.invert(BAD_ARRAYS[case])
    assert str(error.value) == expected


BAD_OPTIONS = [
    ("cnn", "q15", {"lookahead": 1}),
    ("rtisi-la", "f32", {"lookahead": 9}),
    ("cnn-la", "q15", {}),
    ("rtpghi", "f16", {}),
    ("cnn", "f32", {"iterations": 3}),
    ("rtisi-la", "f32", {"iterations": 0}),
    ("cnn-la", "f32", {"iterations": 10_001}),
    ("mcnn", "f32", {"coupling": 2.0}),
    ("pghi", "f32", {"weight_exponent": 20.0}),
    ("cnn", "f32", {"coupling": 0.0}),
    ("pghi", "f32", {"momentum": 0.5}),
    ("cnn-la", "f32", {"momentum": 1.0}),
    ("rtisi-la", "f32", {"momentum": 1.5}),
]


@pytest.mark.parametrize("method,format,options", BAD_OPTIONS)
def test_bad_options(cli, method, format, options):
    npy = cli.work / "good.npy"
    np.save(npy, spectrogram())
    flags = [item for name, value in options.items() for item in (f"--{name.replace('_', '-')}", str(value))]
    expected = python_message(
        cli.error("invert", npy, "-o", cli.work / "never.wav", "--method", method, "--format", format, *flags), npy, "magnitudes")
    with pytest.raises(ValueError) as error:
        rephase.invert(spectrogram(), method=method, format=format, **options)
    assert str(error.value) == expected
    with pytest.raises(ValueError) as error:
        rephase.StreamingInverter(method=method, format=format, **options)
    assert str(error.value) == expected


@pytest.mark.parametrize("bands,columns,options", [
    (100, 100, {}), (300, 300, {}), (80, 79, {}), (80, 80, {"mel_steps": 2000}),
])
def test_bad_mel(cli, bands, columns, options):
    npy = cli.work / f"mel-{columns}.npy"
    np.save(npy, spectrogram(bins=columns))
    flags = ["--mel-steps", str(options["mel_steps"])] if options else []
    expected = python_message(cli.error("invert", npy, "-o", cli.work / "never.wav", "--mel", str(bands), *flags), npy, "mel")
    with pytest.raises(ValueError) as error:
        rephase.invert_mel(spectrogram(bins=columns), bands=bands, **options)
    assert str(error.value) == expected


@pytest.mark.parametrize("log,power,value", [
    (None, 1, -2.0), ("ln", 1, np.inf), ("ln", 2, 50.0), ("db", 1, np.nan), (None, 2, 2e18),
])
def test_bad_encoded_mel(cli, log, power, value):
    mel = np.log(spectrogram(bins=80) + 1e-3) if log else spectrogram(bins=80)
    mel[4, 7] = value
    npy = cli.work / "bad-encoded-mel.npy"
    np.save(npy, mel.T)
    flags = ["--mel-power", str(power)] + (["--mel-log", log] if log else [])
    expected = python_message(cli.error("invert", npy, "-o", cli.work / "never.wav", "--mel", "80", *flags), npy, "mel")
    with pytest.raises(ValueError) as error:
        rephase.invert_mel(mel.T, log=log, power=power)
    assert str(error.value) == expected


@pytest.mark.parametrize("value", [np.nan, np.inf, 70000.0])
def test_bad_samples(cli, clip, value):
    import soundfile

    audio = clip.copy()
    audio[1234] = value
    wav = cli.work / "bad-samples.wav"
    soundfile.write(wav, audio, 16000, subtype="FLOAT")
    expected = python_message(cli.error("analyze", wav, "-o", cli.work / "never.npy"), wav, "audio")
    with pytest.raises(ValueError) as error:
        rephase.analyze(audio)
    assert str(error.value) == expected


def test_offline_methods_are_cli_only():
    for method in ("fgla", "admm", "cascade"):
        with pytest.raises(ValueError, match=f"{method} is an offline method .* run it with the CLI"):
            rephase.invert(spectrogram(), method=method)


@pytest.mark.parametrize("call", [
    lambda: rephase.analyze(np.zeros(100, np.float32), sample_rate=44100),
    lambda: rephase.analyze(np.zeros((2, 100), np.float32)),
    lambda: rephase.analyze(np.zeros(100, np.int64)),
    lambda: rephase.analyze(np.zeros(0, np.float32)),
    lambda: rephase.invert(spectrogram(), method="nope"),
    lambda: rephase.invert(spectrogram(), format="q7"),
    lambda: rephase.invert(spectrogram(), length=10_000),
    lambda: rephase.invert(spectrogram(), length=0),
    lambda: rephase.invert_mel(spectrogram(bins=80), log="natural"),
    lambda: rephase.invert_mel(spectrogram(bins=80), power=3),
    lambda: rephase.invert(spectrogram(), layout="bins-first"),
    lambda: rephase.invert_mel(spectrogram(bins=80), mel_scale="mel"),
    lambda: rephase.StreamingInverter().process(spectrogram(bins=256)),
    lambda: rephase.StreamingInverter().process("not numbers"),
    lambda: rephase.StreamingInverter(log="natural"),
])
def test_other_misuse_raises_value_error(call):
    with pytest.raises(ValueError):
        call()


def test_silent_input_gives_silence():
    samples = rephase.invert(np.zeros((8, 257), np.float32))
    assert len(samples) == 5 * 128 and not samples.any()
