"""Benchmark of the production topology on one machine (issue 10): data generator and runner."""
