"""Log anomaly detectors behind one PyOD-style API, registered by name.

``get_detector("pca", **params)`` builds one; ``available()`` lists the names. The rooms:
``classical/``, ``deep/``, ``lm/``, ``grammar/`` and ``baselines/`` hold the detectors, one per file
(``ensemble.py`` averages any of them); ``support/`` the machinery they share; ``datasets/`` the
loaders; ``evaluation/`` the harness behind ``anomalygen evaluate``. ``registry._MODULES`` lists
every detector once and is imported lazily, so listing is cheap (torch is not imported to list).
"""

from anomalygen.detectors.base import BaseDetector, EventSequence, Sequences
from anomalygen.detectors.registry import available, get_detector, register

__all__ = ["BaseDetector", "EventSequence", "Sequences", "available", "get_detector", "register"]
