"""Type names as written in source, erased to the simple form used in ids and records."""

from __future__ import annotations

import re

PRIMITIVES: frozenset[str] = frozenset(
    {"boolean", "byte", "char", "short", "int", "long", "float", "double", "void"}
)

JAVA_LANG: frozenset[str] = frozenset(
    {
        "Object", "String", "StringBuilder", "StringBuffer", "CharSequence", "Boolean", "Byte",
        "Character", "Short", "Integer", "Long", "Float", "Double", "Number", "Math", "StrictMath",
        "System", "Runtime", "Thread", "ThreadGroup", "ThreadLocal", "InheritableThreadLocal",
        "Runnable", "Class", "ClassLoader", "Enum", "Record", "Iterable", "Comparable",
        "AutoCloseable", "Cloneable", "Process", "ProcessBuilder", "Void", "Throwable",
        "Exception", "Error", "RuntimeException", "IllegalArgumentException",
        "IllegalStateException", "NullPointerException", "UnsupportedOperationException",
        "InterruptedException", "ClassNotFoundException", "ClassCastException",
        "IndexOutOfBoundsException", "ArrayIndexOutOfBoundsException", "NumberFormatException",
        "ArithmeticException", "SecurityException", "CloneNotSupportedException",
        "ReflectiveOperationException", "NoSuchMethodException", "NoSuchFieldException",
        "InstantiationException", "IllegalAccessException", "OutOfMemoryError",
        "StackOverflowError", "AssertionError", "LinkageError", "NoClassDefFoundError",
        "ExceptionInInitializerError", "VirtualMachineError", "IllegalMonitorStateException",
        "Override", "Deprecated", "SuppressWarnings", "FunctionalInterface", "SafeVarargs",
        "Appendable", "Readable", "StackTraceElement",
    }
)
"""Simple names that resolve to ``java.lang`` without an import."""

_ANNOTATION = re.compile(r"@[\w.]+(\s*\([^()]*\))?\s*")
_SPACE = re.compile(r"\s+")


def erase(written: str, qualified: bool = False) -> str:
    """``final @Nullable java.util.Map<String, List<X>>[]`` -> ``Map[]``; varargs keep ``...``.

    With ``qualified`` a package prefix is kept (``java.util.Map[]``): declared types of fields
    and locals keep it so that resolution can tell ``java.util.logging.Logger`` from
    ``org.slf4j.Logger``; method ids use the simple form.
    """
    text = _ANNOTATION.sub("", written) if "@" in written else written
    text = _strip_generics(text)
    text = _SPACE.sub("", text)
    suffix = ""
    while text.endswith("[]") or text.endswith("..."):
        cut = 2 if text.endswith("[]") else 3
        suffix = text[-cut:] + suffix
        text = text[:-cut]
    if qualified:
        return text + suffix
    parts = text.split(".")
    # Drop a package prefix (lower-case segments) but keep Outer.Inner.
    while len(parts) > 1 and parts[0][:1].islower():
        parts.pop(0)
    return ".".join(parts) + suffix


def _strip_generics(text: str) -> str:
    if "<" not in text:
        return text
    out: list[str] = []
    depth = 0
    for ch in text:
        if ch == "<":
            depth += 1
        elif ch == ">":
            depth = max(0, depth - 1)
        elif depth == 0:
            out.append(ch)
    return "".join(out)


def simple_name(type_name: str) -> str:
    """Last segment of a (possibly qualified) type name, array suffix kept."""
    base, suffix = split_array(type_name)
    return base.rsplit(".", 1)[-1] + suffix


def split_array(type_name: str) -> tuple[str, str]:
    index = len(type_name)
    while type_name[:index].endswith("[]") or type_name[:index].endswith("..."):
        index -= 2 if type_name[:index].endswith("[]") else 3
    return type_name[:index], type_name[index:]


def element_type(type_name: str) -> str | None:
    """``Foo[]`` -> ``Foo``; None when not an array."""
    if type_name.endswith("[]"):
        return type_name[:-2]
    if type_name.endswith("..."):
        return type_name[:-3]
    return None
