"""Shared fixtures: the bundled clip and the `rephase` CLI the package must agree with.

The CLI is $REPHASE_CLI, or the release build of the repository these tests sit in
(`swift build -c release --product rephase`). Without it the tests that compare with it are
skipped, except where REPHASE_CLI is set (CI sets it), when its absence is an error.
"""

import os
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[3]
CLIP = ROOT / "Tests" / "Fixtures" / "arctic-clb-a0001.flac"

# Every online configuration the core offers: (method, format).
CONFIGURATIONS = [
    ("cnn", "f32"), ("cnn", "f16"), ("cnn", "q15"),
    ("cnn-strided", "f32"), ("cnn-strided", "f16"), ("cnn-strided", "q15"),
    ("cnn-la", "f32"), ("cnn-la", "f16"),
    ("pghi", "f32"), ("pghi", "q15"),
    ("rtpghi", "f32"), ("rtisi-la", "f32"),
    ("mcnn", "f32"), ("mcnn", "f16"), ("mcnn", "q15"),
    ("spsi", "f32"), ("spsi", "q15"),
]


class CLI:
    def __init__(self, path: Path, work: Path) -> None:
        self.path = path
        self.work = work

    def run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(self.path), *map(str, args)], capture_output=True, text=True)

    def invert(self, source, *options: str) -> np.ndarray:
        """The samples `rephase invert SOURCE --subtype float` writes."""
        import soundfile

        output = self.work / f"out-{os.getpid()}-{abs(hash((str(source),) + options))}.wav"
        result = self.run("invert", source, "-o", output, "--subtype", "float", *options)
        assert result.returncode == 0, result.stderr
        samples, rate = soundfile.read(output, dtype="float32")
        assert rate == 16000
        return samples

    def error(self, *args: str) -> str:
        """The one-line error of a run that must fail, without its 'rephase: error: ' prefix."""
        result = self.run(*args)
        assert result.returncode != 0, f"rephase {' '.join(map(str, args))} succeeded"
        lines = result.stderr.strip().splitlines()
        assert lines[-1].startswith("rephase: error: "), result.stderr
        return lines[-1][len("rephase: error: "):]


@pytest.fixture(scope="session")
def cli(tmp_path_factory) -> CLI:
    given = os.environ.get("REPHASE_CLI")
    path = Path(given) if given else ROOT / ".build" / "release" / "rephase"
    if not path.exists():
        if given:
            pytest.fail(f"REPHASE_CLI={given} does not exist")
        pytest.skip("no rephase CLI: swift build -c release --product rephase (or set REPHASE_CLI)")
    return CLI(path, tmp_path_factory.mktemp("cli"))


@pytest.fixture(scope="session")
def clip() -> np.ndarray:
    import soundfile

    samples, rate = soundfile.read(CLIP, dtype="float32")
    assert rate == 16000 and samples.ndim == 1
    return samples


def python_message(cli_message: str, path, name: str) -> str:
    """The CLI's message as this package words it: the file is the argument `name`, and
    options are keyword arguments (`--weight-exponent` is weight_exponent, `--mel 80` is bands=80)."""
    text = cli_message.replace(f"'{path}'", f"'{name}'")
    text = re.sub(r"needs --mel (\d+)", r"needs invert_mel with bands=\1", text)
    text = re.sub(r"--mel (\d+)", r"bands=\1", text)
    text = text.replace("--mel must", "bands must").replace("--weight-exponent", "weight_exponent")
    text = text.replace("--mel-steps", "mel_steps")
    text = re.sub(r"--mel-log (\w+) --mel-power (\d)", r"log='\1', power=\2", text)
    text = text.replace("--mel-log ln, log10 or db", "log='ln', 'log10' or 'db'")
    text = re.sub(r"--layout ([a-z-]+) or ([a-z-]+)", r"layout='\1' or '\2'", text)
    text = re.sub(r"--layout ([a-z-]+)", r"layout='\1'", text)
    return re.sub(r"--([a-z]+)", r"\1", text)
