"""anomalygen: synthesize labeled logs from a Java system's source to train log anomaly detectors.

The core package holds what every room shares: the domain records, console helpers and the CLI
entry point. Rooms (``anomalygen.tools``, ``anomalygen.graphs``, ``anomalygen.detectors``, ...)
import the core; the core never imports a room.
"""

from pathlib import Path as _FsPath

# In a source checkout the rooms (tools/, graphs/, ...) sit beside this folder and install as
# anomalygen.<room> through setuptools' package-dir mapping. When the checkout's root is on
# sys.path (``python -m ...`` or ``python -c`` run from it), this folder shadows the installed
# mapping, so let the package also look for subpackages in the checkout root. Installed copies
# (wheel or strict editable tree) have no pyproject.toml beside them and are left alone.
_checkout = _FsPath(__file__).resolve().parent.parent
if (_checkout / "pyproject.toml").is_file() and (_checkout / "tools" / "__init__.py").is_file():
    __path__.append(str(_checkout))

from anomalygen.records import (  # noqa: E402
    Condition,
    Event,
    Feasibility,
    Level,
    LogStatement,
    Path,
    Session,
    Slot,
    Verdict,
    VerdictKind,
)

__version__ = "0.1.0"

__all__ = [
    "Condition",
    "Event",
    "Feasibility",
    "Level",
    "LogStatement",
    "Path",
    "Session",
    "Slot",
    "Verdict",
    "VerdictKind",
    "__version__",
]
