"""The project's Python tooling, one package run from the repository root:

    python3 -m Tools.cnn.train ...        # and Tools.cnn.export, Tools.mcnn.train, Tools.eval.evaluate, ...

Subpackages: `cnn` (the phase-derivative CNN: model, training, export, Q15 quantisation),
`mcnn` (the same for MCNN), `eval` (the evaluation suite), `data` (the speech corpus reader
and packer); the modules at this level generate the core's constant tables. The package is
named after its folder so that every path the docs cite stays the file's path. Python
packages: Tools/requirements.txt (pinned).
"""
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # the repository root
# The bundled example clip, which the tools run where they need one: the simulator's rows, the
# networks' golden vectors.
BUNDLED_CLIP = os.path.join(ROOT, "Tests", "Fixtures", "arctic-clb-a0001.flac")
