"""Stable LogStatement ids: readable, deterministic, and local to the enclosing method.

``ZooKeeperServer.processPacket-1a2b3c4d``: the enclosing type and method for people, then a
hash of (file, type, method id, level, template, ordinal among identical statements of that
method). Nothing else in the repository enters the hash, so editing another file, another
method, or scanning in another order never changes an id.
"""

from __future__ import annotations

import hashlib
import re

_UNSAFE = re.compile(r"[^A-Za-z0-9_.$]+")


def statement_id(
    file: str, type_name: str, method_id: str, method_name: str, level: str, template: str,
    ordinal: int,
) -> str:
    digest = hashlib.sha1(
        "\x1f".join((file, type_name, method_id, level, template, str(ordinal))).encode("utf-8")
    ).hexdigest()[:8]
    type_part = type_name.rsplit(".", 1)[-1] if type_name else "_"
    method_part = method_name.strip("<>") or "_"
    return f"{_UNSAFE.sub('_', type_part)}.{_UNSAFE.sub('_', method_part)}-{digest}"
