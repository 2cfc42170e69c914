"""Capabilities over source code and logs, each usable from a plain Python shell. java, lcfg, logs
and retrieval are deterministic; synth asks an LLM (verification, parameters, labels) unless run
with the ``none`` backend, and is seeded so the same answers give the same output."""
