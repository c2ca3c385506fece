"""Helpers of the CNN tooling reused here: the corpus reader of Tools/cnn/train.py (load_split),
the paths of Tools/cnn/export.py and the requantisation
multiplier of Tools/cnn/quantize.py. Tools/mcnn has modules of the same names (train, export, q15model), so
each CNN module is loaded with Tools/cnn first on the path and this folder's modules set
aside meanwhile, then the CNN's own dependencies are dropped from sys.modules again."""
import importlib
import os
import sys

_CNN = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "cnn")
_SHARED_NAMES = ("export", "model", "q15model", "train", "quantize", "prototype")


def _load(name):
    ours = {key: sys.modules.pop(key) for key in _SHARED_NAMES if key in sys.modules}
    sys.path.insert(0, _CNN)
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(_CNN)
        for key in _SHARED_NAMES:
            sys.modules.pop(key, None)
        sys.modules.update(ours)


_train = _load("train")
load_split = _train.load_split
_export = _load("export")
ROOT = _export.ROOT  # the repository root
EXAMPLE = _export.EXAMPLE  # the bundled speech clip the golden vectors come from
multiplier = _load("quantize").multiplier
