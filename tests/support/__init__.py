"""Test support: harnesses and builders the tests and benchmarks share (never shipped in the package)."""
