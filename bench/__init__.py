"""Benchmarks of the whole intake: simulated people, the real Application, an in-process Bot API.

`python -m bench` (or `make bench`) runs everything and writes bench/out/; `--quick` is the short
version for `make bench-quick`. bench/RESULTS.md explains the figures of the last full run.
"""
