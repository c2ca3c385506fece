"""Builds librephase.so, the core and its C interface for this machine, while the package installs.

The core compiles as Embedded Swift for the host (Targets/c-api/compile-core with every
configuration of Targets/c-api/configurations, the stream interface and the streaming mel stage), so the library
needs no Swift runtime: only libc. It is built from the repository this directory sits in
(`pip install ./Targets/python` builds in place); the Swift toolchain must be on PATH.
"""

import os
import platform
import shutil
import subprocess
import tempfile
from pathlib import Path

from setuptools import Distribution, setup
from setuptools.command.bdist_wheel import bdist_wheel
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parents[2]

# Embedded Swift targets for the host: the standard library has no aarch64 Linux variant, so
# ARM Linux uses the bare-metal one with position-independent code (docs/TOOLCHAIN.md).
TARGETS = {
    "x86_64": ["x86_64-unknown-linux-gnu"],
    "aarch64": ["aarch64-none-none-elf", "-Xllvm", "-relocation-model=pic"],
}

# On x86-64 the library is built, like the Swift package's host builds (Package.swift), for
# the building machine's AVX2 when it has Haswell's instruction set: 256-bit vectors and the
# network's sixteen-bin tiles (REPHASE_AVX2), the same bits. With REPHASE_PORTABLE_X86 set
# (to anything) it is built for any x86-64 CPU: do that for a wheel meant for other machines,
# since the wheel's tag (linux_x86_64) does not say which CPU it needs.
HASWELL = {"avx", "avx2", "fma", "f16c", "bmi1", "bmi2", "movbe", "popcnt", "abm"}
AVX2_FLAGS = ["-target-cpu", "haswell", "-Xcc", "-march=haswell", "-Xcc", "-ffp-contract=off", "-D", "REPHASE_AVX2"]


def host_cpu_flags(machine: str) -> list[str]:
    if machine != "x86_64" or os.environ.get("REPHASE_PORTABLE_X86") is not None:
        return []
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        return []
    flags = next((line.split() for line in lines if line.startswith("flags")), [])
    return AVX2_FLAGS if HASWELL <= set(flags) else []


# Only the C interface leaves the library.
EXPORTS = "{ global: rephase_*; local: *; };\n"


def build_library(output: Path) -> None:
    compile_core = ROOT / "Targets" / "c-api" / "compile-core"
    if not compile_core.exists():
        raise SystemExit(f"rephase: {compile_core} not found; install from a checkout of the Rephase repository")
    swiftc = shutil.which("swiftc")
    if swiftc is None:
        raise SystemExit("rephase: swiftc not found; the Swift toolchain (see the repository's README) must be on PATH")
    machine = platform.machine()
    if platform.system() != "Linux" or machine not in TARGETS:
        raise SystemExit(f"rephase: no Embedded Swift recipe for {platform.system()} {machine} (Linux x86_64 and aarch64 have one)")
    target, *target_flags = TARGETS[machine]
    target_flags += host_cpu_flags(machine)
    select = subprocess.run(
        [str(ROOT / "Targets" / "c-api" / "select"), "all"], check=True, capture_output=True, text=True).stdout.split()
    # The toolchain's own clang links, so the link needs nothing the Swift toolchain does not.
    linker = os.environ.get("CC") or str(Path(swiftc).with_name("clang"))
    with tempfile.TemporaryDirectory() as work:
        objects = Path(work) / "rephase.o"
        exports = Path(work) / "exports.map"
        exports.write_text(EXPORTS)
        print(f"rephase: compiling the core for {target} (about a minute)", flush=True)
        subprocess.run(
            [str(compile_core), target, str(objects), *target_flags, *select, "-D", "REPHASE_STREAMS", "-D", "REPHASE_MEL", "--folders", "."],
            check=True)
        output.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [linker, "-shared", "-o", str(output), str(objects), f"-Wl,--version-script={exports}", "-Wl,-z,noexecstack"],
            check=True)


class BuildWithLibrary(build_py):
    """The package's Python files, then librephase.so beside them."""

    def run(self) -> None:
        super().run()
        build_library(Path(self.build_lib) / "rephase" / "librephase.so")


class PlatformWheel(bdist_wheel):
    """One wheel per platform, for any Python 3 (the library is bound with ctypes, not the C API of CPython)."""

    def get_tag(self):
        _, _, plat = super().get_tag()
        return "py3", "none", plat


class BinaryDistribution(Distribution):
    def has_ext_modules(self) -> bool:
        return True


setup(cmdclass={"build_py": BuildWithLibrary, "bdist_wheel": PlatformWheel}, distclass=BinaryDistribution)
