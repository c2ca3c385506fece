"""MCNN: network.py (the definition), train.py, export.py, quantize.py, q15model.py (the bit-true Q15 model), evaluate_mcnn.py, plot_losses.py."""
