"""A benchmark runner for Khet, run by hand: see README.md."""
