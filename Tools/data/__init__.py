"""The speech corpus: speech.py reads the splits (from ../shared/speech or a packed file), pack.py writes the packed file."""
