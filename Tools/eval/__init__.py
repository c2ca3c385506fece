"""The evaluation suite: common.py (STFT, metrics, corpus, CLI runner), evaluate.py (docs/RESULTS.md) and the scripts that each write one section of it."""
