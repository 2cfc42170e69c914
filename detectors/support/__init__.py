"""Machinery the detector families share, none of it a detector: PyTorch support and the event
vocabulary (``torch_support``), next-key windows, event-count vectors, per-event argument features
and their encoding, template semantics, model-spec parsing and the numpy model folder."""
