"""The benchmark harness (`python bench/run.py --help`); see README.md here."""
