"""Helpers of the CNN tooling reused here: the corpus readers of Tools/cnn/train.py (load_split,
crop) and the Swift literal writer of Tools/cnn/export.py, loaded under other module names:
Tools/mcnn has its own train.py and export.py, so a plain `import train` would find this
folder's."""
import importlib.util
import os
import sys

_CNN = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "cnn")
sys.path.append(_CNN)  # Tools/cnn/train.py imports its own model.py


def _load(name):
    spec = importlib.util.spec_from_file_location(f"cnn_{name}", os.path.join(_CNN, f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_train = _load("train")
crop = _train.crop
load_split = _train.load_split
literal_rows = _load("export").literal_rows
