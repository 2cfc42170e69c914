"""Detectors by name: the one place a detector is registered.

``_MODULES`` maps each name to ``"module:Class"`` (module relative to ``anomalygen.detectors``).
``get_detector`` imports only the module it needs (torch is not imported to build a PCA), and a
class learns its ``name`` from this table when its module is imported (``BaseDetector``'s
``__init_subclass__``), so a detector built directly, without the registry, still saves under its
name. ``register`` is for classes defined outside the package (plugins, tests), which this table
cannot list.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from anomalygen.detectors.base import BaseDetector

_REGISTRY: dict[str, type[BaseDetector]] = {}
"""Classes loaded so far (from ``_MODULES`` on first use, or given to ``register``)."""

# name -> "module:Class" relative to anomalygen.detectors. Add a line per detector.
_MODULES: dict[str, str] = {
    # classical, on event-count vectors
    "pca": "classical.pca:PCADetector",
    "invariants": "classical.invariants:InvariantsMiningDetector",
    "logclustering": "classical.logclustering:LogClusteringDetector",
    "iforest": "classical.iforest:IsolationForestDetector",
    "logreg": "classical.logreg:LogisticRegressionDetector",
    "svm": "classical.svm:LinearSVMDetector",
    "dtree": "classical.dtree:DecisionTreeDetector",
    # deep log models
    "deeplog": "deep.deeplog:DeepLog",
    "loganomaly": "deep.loganomaly:LogAnomaly",
    "logrobust": "deep.logrobust:LogRobust",
    "cnn": "deep.cnn:CNNDetector",
    "transformer": "deep.transformer:TransformerNextKey",
    # language models over events with arguments, and grammar compression
    "lm-lstm": "lm.lstm:LSTMLanguageModel",
    "lm-transformer": "lm.transformer:TransformerLanguageModel",
    "lm-longformer": "lm.longformer:LongformerLanguageModel",
    "grammar": "grammar.compression:GrammarCompressionDetector",
    # baselines a model must beat, and the score average of the detectors above
    "ngram": "baselines.ngram:NGramDetector",
    "bigram": "baselines.bigram:BigramDetector",
    "ensemble": "ensemble:EnsembleDetector",
}

D = TypeVar("D", bound=type[BaseDetector])


def register(name: str) -> Callable[[D], D]:
    """Register a class defined outside this package under ``name``."""

    def decorate(cls: D) -> D:
        cls.name = name
        _REGISTRY[name] = cls
        return cls

    return decorate


def name_of(cls: type[BaseDetector]) -> str | None:
    """The registered name of a class of this package, from ``_MODULES`` (None when unlisted)."""
    prefix = "anomalygen.detectors."
    if not cls.__module__.startswith(prefix):
        return None
    location = f"{cls.__module__.removeprefix(prefix)}:{cls.__qualname__}"
    return next((name for name, where in _MODULES.items() if where == location), None)


def available() -> list[str]:
    """Every detector whose module is installed, whether or not it has been imported yet."""
    present = {
        name for name, where in _MODULES.items()
        if importlib.util.find_spec(f"anomalygen.detectors.{where.partition(':')[0]}") is not None
    }
    return sorted(present | set(_REGISTRY))


def detector_class(name: str) -> type[BaseDetector]:
    """The class registered as ``name``, importing its module on first use."""
    if name not in _REGISTRY and name in _MODULES:
        module, _, attribute = _MODULES[name].partition(":")
        cls = getattr(importlib.import_module(f"anomalygen.detectors.{module}"), attribute)
        _REGISTRY[name] = cls
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown detector {name!r}; available: {', '.join(available())}") from None


def get_detector(name: str, **params: Any) -> BaseDetector:
    cls = detector_class(name)
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
