"""Benchmarks. Run with `make bench`; figures go to docs/benchmarks.md. Never run by CI."""
