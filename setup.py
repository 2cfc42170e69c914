"""Map the top-level rooms (tools/, graphs/, ...) into the `anomalygen.*` namespace, and build the
optional compiled grammar transform.

pyproject.toml holds all metadata; this file only computes the package list, because
setuptools cannot discover packages under a `package-dir` mapping by itself.

The grammar-compression detector's transform (detectors/grammar/transform.py) is pure Python and
always importable. When Cython and a C compiler are available (Cython is a build requirement),
the same file is also compiled, with the C declarations in grammar/transform.pxd, as
`anomalygen.detectors.grammar._compiled`, 1.1-1.3x faster (bench/bench_grammar.py). The
compiled copy carries the SHA-256 of the source it was built from; detectors/grammar/engine.py
uses it only while that matches the .py on disk, so an edited source is never shadowed by a stale
build. A failed compilation is a warning, not a failed install (`optional=True`).
"""

import hashlib
import shutil
from pathlib import Path

from setuptools import Extension, find_packages, setup

ROOMS = ("tools", "graphs", "agent", "detectors", "tui", "tests")

package_dir = {"anomalygen": "anomalygen"}
packages = ["anomalygen", *(f"anomalygen.{p}" for p in find_packages("anomalygen"))]
for room in ROOMS:
    package_dir[f"anomalygen.{room}"] = room
    packages += [f"anomalygen.{room}", *(f"anomalygen.{room}.{p}" for p in find_packages(room))]


def compiled_grammar() -> list[Extension]:
    try:
        from Cython.Build import cythonize
    except ImportError:
        print("anomalygen: Cython not available, the grammar transform stays pure Python")
        return []
    here = Path(__file__).resolve().parent
    source = here / "detectors" / "grammar" / "transform.py"
    staging = here / "build" / "cython"  # the file name is the module name Cython compiles
    staging.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    module = staging / "_compiled.py"
    module.write_text(source.read_text(encoding="utf-8")
                      + f'\nSOURCE_SHA256 = "{digest}"\n', encoding="utf-8")
    shutil.copyfile(source.with_suffix(".pxd"), staging / "_compiled.pxd")
    extension = Extension("anomalygen.detectors.grammar._compiled",
                          [str(module.relative_to(here))], optional=True)
    return list(cythonize([extension], quiet=True, compiler_directives={
        # annotations are for mypy; the C types come from the .pxd only
        "language_level": 3, "annotation_typing": False}))


setup(packages=packages, package_dir=package_dir, ext_modules=compiled_grammar())
