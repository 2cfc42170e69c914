"""Type- and name-driven value generators, one per ``ValueKind``.

Every generator draws from the ``random.Random`` it is given, so values are reproducible for a
fixed seed. Formats follow what real Hadoop/ZooKeeper logs print (``blk_-123...``,
``/10.250.19.102:50010``, ``0x14ede63a5a70001``), so a detector trained on synthetic lines sees the
same shapes as in production logs.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from anomalygen.tools.synth.params.objects import object_text
from anomalygen.tools.synth.params.roles import SlotRole, ValueKind, is_object_type, present

_EXCEPTIONS = (
    "java.io.IOException: Connection reset by peer",
    "java.net.SocketTimeoutException: Read timed out",
    "java.net.ConnectException: Connection refused",
    "java.io.EOFException",
    "java.lang.InterruptedException",
    "java.nio.channels.ClosedChannelException",
    "java.lang.IllegalStateException: unexpected state",
)
_CLASSES = (
    "org.example.server.RequestHandler",
    "org.example.storage.BlockStore",
    "org.example.net.Connection",
    "org.example.util.Worker",
)
_STATES = ("LOOKING", "FOLLOWING", "LEADING", "OBSERVING", "RUNNING", "STOPPED", "ACTIVE", "IDLE")
_PATH_DIRS = ("/var/lib/app/data", "/tmp/app", "/data/version-2", "/var/log/app")
_PATH_NAMES = ("log.1a2f", "snapshot.100000000", "blk_data", "current", "node", "config.cfg")
_WORDS = ("alpha", "beta", "gamma", "delta", "main", "worker", "primary", "replica")


def _ip(rng: random.Random) -> str:
    return f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


def _port(rng: random.Random) -> str:
    return str(rng.choice((2181, 2888, 3888, 50010, 8020, 9000, rng.randint(30000, 60999))))


def _session_id(rng: random.Random, role: SlotRole) -> str:
    if is_object_type(role.type_name):  # a Session object: its toString()
        return object_text(role.type_name, role.name, rng) or f"{role.type_name}@{rng.getrandbits(31):x}"
    return present(f"{(0x14E << 44) | rng.getrandbits(44):x}", role)


def _zxid(rng: random.Random, role: SlotRole) -> str:
    return present(f"{(rng.randint(1, 0x2F) << 32) | rng.getrandbits(16):x}", role)


def _block_id(rng: random.Random, role: SlotRole) -> str:
    return present(str(rng.getrandbits(63) * rng.choice((1, -1))), role)


def _path(rng: random.Random, role: SlotRole) -> str:
    if "znode" in role.name or role.name in {"path", "clientpath", "reqpath"}:
        return f"/{rng.choice(_WORDS)}/{rng.choice(_WORDS)}-{rng.randint(0, 999):010d}"
    return f"{rng.choice(_PATH_DIRS)}/{rng.choice(_PATH_NAMES)}"


_GENERATORS: dict[ValueKind, Callable[[random.Random, SlotRole], str]] = {
    ValueKind.SESSION_ID: _session_id,
    ValueKind.ZXID: _zxid,
    ValueKind.BLOCK_ID: _block_id,
    ValueKind.ADDRESS: lambda rng, role: f"/{_ip(rng)}:{_port(rng)}",
    ValueKind.IP: lambda rng, role: f"/{_ip(rng)}",
    ValueKind.HOST: lambda rng, role: f"node-{rng.randint(1, 64)}.cluster.local",
    ValueKind.PORT: lambda rng, role: _port(rng),
    ValueKind.SERVER_ID: lambda rng, role: str(rng.randint(1, 5)),
    ValueKind.PATH: _path,
    ValueKind.SIZE: lambda rng, role: str(rng.choice((512, 4096, 65536, 134217728, rng.randint(1, 10**7)))),
    ValueKind.DURATION: lambda rng, role: str(rng.choice((100, 500, 2000, 3200, rng.randint(1, 60000)))),
    ValueKind.COUNT: lambda rng, role: str(rng.randint(0, 10)),
    ValueKind.EXCEPTION: lambda rng, role: rng.choice(_EXCEPTIONS),
    ValueKind.CLASS_NAME: lambda rng, role: rng.choice(_CLASSES),
    ValueKind.BOOLEAN: lambda rng, role: rng.choice(("true", "false")),
    ValueKind.STATE: lambda rng, role: rng.choice(_STATES),
    ValueKind.NUMBER: lambda rng, role: str(rng.randint(0, 100000)),
    ValueKind.OPTIONAL_TEXT: lambda rng, role: rng.choice(("", role.name)),
    ValueKind.CONSTANT_TEXT: lambda rng, role: role.name,
}


def has_generator(kind: ValueKind) -> bool:
    """False for ``TEXT``: nothing specific is known, so LLM proposals come before the fallback."""
    return kind in _GENERATORS


def generate(role: SlotRole, rng: random.Random) -> str:
    """A plausible value for ``role``; for ``TEXT`` what its declared type's ``toString()`` prints
    (``objects``), else a token derived from the slot's name."""
    generator = _GENERATORS.get(role.kind)
    if generator is not None:
        return generator(rng, role)
    printed = object_text(role.type_name, role.name, rng)
    return printed if printed is not None else f"{role.name}-{rng.randint(1, 999)}"
