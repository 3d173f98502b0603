"""Madoguchi's tests (a package, so that a stray top-level ``tests`` package of a dependency never shadows it)."""
