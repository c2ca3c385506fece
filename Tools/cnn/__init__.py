"""The phase-derivative CNN: model.py (the definition), train.py, export.py, quantize.py, q15model.py (the bit-true Q15 model), prototype.py."""
