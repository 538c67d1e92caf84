"""Benchmarks: scripts that print the figures the issues ask for (run with python -m bench.<name>)."""
