"""Log anomaly detectors behind one PyOD-style API, registered by name.

``get_detector("pca", **params)`` builds one; ``available()`` lists the names. Detector modules
register themselves on import; the registry imports them lazily so listing is cheap.
"""

from anomalygen.detectors.base import BaseDetector, EventSequence, Sequences
from anomalygen.detectors.registry import available, get_detector, register

__all__ = ["BaseDetector", "EventSequence", "Sequences", "available", "get_detector", "register"]
