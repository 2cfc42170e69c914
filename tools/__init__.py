"""Deterministic capabilities over source code and logs, each usable from a plain Python shell."""
