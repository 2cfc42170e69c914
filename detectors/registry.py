"""Detectors by name. Modules register their class with ``@register("name")``.

``_MODULES`` maps each name to the module that defines it so that ``get_detector`` imports only
what it needs (torch is not imported to build a PCA).
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from anomalygen.detectors.base import BaseDetector

_REGISTRY: dict[str, type[BaseDetector]] = {}

# name -> module (relative to anomalygen.detectors) that registers it. Add a line per detector.
_MODULES: dict[str, str] = {
    # classical, on event-count vectors
    "pca": "pca",
    "invariants": "invariants",
    "logclustering": "logclustering",
    "iforest": "iforest",
    "logreg": "logreg",
    "svm": "svm",
    "dtree": "dtree",
    # deep log models
    "deeplog": "deeplog",
    "loganomaly": "loganomaly",
    "logrobust": "logrobust",
    "cnn": "cnn",
    "transformer": "transformer",
    # language models over events with arguments, and grammar compression
    "lm-lstm": "lm_lstm",
    "lm-transformer": "lm_transformer",
    "lm-longformer": "lm_longformer",
    "ngram": "ngram",
    "grammar": "grammar",
    "ensemble": "ensemble",  # normalised score average of the detectors above
    "bigram": "bigram",  # sanity baseline of the evaluation harness
}

D = TypeVar("D", bound=type[BaseDetector])


def register(name: str) -> Callable[[D], D]:
    def decorate(cls: D) -> D:
        cls.name = name
        _REGISTRY[name] = cls
        return cls

    return decorate


def available() -> list[str]:
    """Every detector whose module is installed, whether or not it has been imported yet."""
    present = {
        name for name, module in _MODULES.items()
        if importlib.util.find_spec(f"anomalygen.detectors.{module}") is not None
    }
    return sorted(present | set(_REGISTRY))


def get_detector(name: str, **params: Any) -> BaseDetector:
    if name not in _REGISTRY and name in _MODULES:
        importlib.import_module(f"anomalygen.detectors.{_MODULES[name]}")
    try:
        cls = _REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown detector {name!r}; available: {', '.join(available())}") from None
    _check_value_types(cls, name, params)
    return cls(**params)


def _check_value_types(cls: type[BaseDetector], name: str, params: dict[str, Any]) -> None:
    """Text where a constructor default is a number or a flag is a mistake in the spec
    (``lm-lstm[hidden=400:layers=2]`` gives hidden the string ``"400:layers=2"``); say so here
    instead of letting torch fail with a TypeError much later, in the middle of training."""
    defaults: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        init = klass.__dict__.get("__init__")
        if init is None or klass is object:
            continue
        for parameter in inspect.signature(init).parameters.values():
            if parameter.default is not inspect.Parameter.empty:
                defaults[parameter.name] = parameter.default
    for key, value in params.items():
        default = defaults.get(key)
        if isinstance(default, bool | int | float) and isinstance(value, str):
            kind = "true or false" if isinstance(default, bool) else "a number"
            raise TypeError(f"{name}: {key} expects {kind}, got {value!r}")
