"""Map the top-level rooms (tools/, graphs/, ...) into the `anomalygen.*` namespace.

pyproject.toml holds all metadata; this file only computes the package list, because
setuptools cannot discover packages under a `package-dir` mapping by itself.
"""

from setuptools import find_packages, setup

ROOMS = ("tools", "graphs", "agent", "detectors", "tui", "tests")

package_dir = {"anomalygen": "anomalygen"}
packages = ["anomalygen", *(f"anomalygen.{p}" for p in find_packages("anomalygen"))]
for room in ROOMS:
    package_dir[f"anomalygen.{room}"] = room
    packages += [f"anomalygen.{room}", *(f"anomalygen.{room}.{p}" for p in find_packages(room))]

setup(packages=packages, package_dir=package_dir)
