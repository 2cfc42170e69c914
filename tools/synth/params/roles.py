"""What a log slot stands for: its value kind and, for identifiers, the role it binds to.

A slot is classified from its source expression and declared type only (never from runtime
values), so the same slot always gets the same kind. Identifier kinds (session ids, block ids,
addresses, host names, server ids, znode paths) carry a *role*: every slot with the same role in
one session must print the same value, which is what makes a synthetic session self-consistent
(one block id from the client write to the last datanode ack).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from anomalygen.records import Slot
from anomalygen.tools.java.literals import decode_string


class ValueKind(StrEnum):
    SESSION_ID = "session_id"
    ZXID = "zxid"
    BLOCK_ID = "block_id"
    ADDRESS = "address"
    """host:port socket address, printed as ``/10.1.2.3:50010``."""
    IP = "ip"
    HOST = "host"
    PORT = "port"
    SERVER_ID = "server_id"
    PATH = "path"
    SIZE = "size"
    DURATION = "duration"
    COUNT = "count"
    EXCEPTION = "exception"
    CLASS_NAME = "class_name"
    BOOLEAN = "boolean"
    STATE = "state"
    NUMBER = "number"
    TEXT = "text"
    """Nothing specific known: an LLM proposal or a name-derived token."""
    OPTIONAL_TEXT = "optional_text"
    """Constant text a branch may or may not append (``if (x) msg += " hint";``): the role's
    ``name`` holds the text; a value is that text or nothing."""
    CONSTANT_TEXT = "constant_text"
    """A literal that stays a slot (a printf conversion with a width): always that text."""


IDENTIFIER_KINDS = frozenset(
    {ValueKind.SESSION_ID, ValueKind.BLOCK_ID, ValueKind.ADDRESS, ValueKind.IP, ValueKind.HOST,
     ValueKind.SERVER_ID, ValueKind.PATH}
)

_HEX_KINDS = frozenset({ValueKind.SESSION_ID, ValueKind.ZXID})
UNIQUE_KINDS = frozenset({ValueKind.SESSION_ID, ValueKind.BLOCK_ID})
"""Identifiers that name one session: never reused from real logs or across sessions."""

_CALL_ARG = re.compile(r"^[\w.]*\((.*)\)$")
_WORD = re.compile(r"[A-Za-z_]\w*")
_NUMBER_TYPES = frozenset({"int", "long", "short", "byte", "Integer", "Long", "Short", "AtomicLong",
                           "AtomicInteger", "double", "float", "Double", "Float", "BigInteger"})
_FORMAT_WRAPPERS = frozenset({"tohexstring", "valueof", "tostring", "format", "hex", "zxidtostring",
                              "getname", "getmessage", "getsimplename", "getclass", "stringifyexception",
                              "getstacktrace", "getstacktraceasstring"})


@dataclass(frozen=True, slots=True)
class SlotRole:
    """How one slot is filled: its value kind, its name, and its binding role (None: not bound)."""

    kind: ValueKind
    name: str
    role: str | None
    bare: bool = False
    """True when the template or expression already supplies the id's usual prefix: a bare hex
    number (``0x{}``, ``Long.toHexString(x)``) or a bare block number (``blk_{}``)."""
    type_name: str = ""
    """The slot's declared type, simple name as written (``Method``, ``List``, ``String[]``);
    empty when unknown. Shapes the last-resort value of a ``TEXT`` slot."""


def slot_name(expression: str) -> str:
    """The identifier a slot expression is about: ``Long.toHexString(s.sessionId)`` -> ``sessionid``.

    Peels formatting wrappers, keeps the last member name, and drops a ``get``/``is`` accessor
    prefix, so ``b.getBlockId()``, ``blockId`` and ``this.blockId`` all name ``blockid``.
    """
    text = expression.strip()
    for _ in range(4):  # unwrap nested wrappers like String.valueOf(Long.toHexString(x))
        match = _CALL_ARG.match(text)
        if not match or not match.group(1).strip():
            break
        callee = text[: text.index("(")].rsplit(".", 1)[-1].lower()
        if callee not in _FORMAT_WRAPPERS:
            break
        text = match.group(1).split(",")[0].strip()
    words: list[str] = _WORD.findall(text)
    # Prefer the last member name, skipping trailing no-arg accessors of formatting.
    names = [w for w in words if w.lower() not in _FORMAT_WRAPPERS]
    name = (names or words or ["value"])[-1]
    lowered = name.lower()
    for prefix in ("get", "is"):
        if lowered.startswith(prefix) and len(lowered) > len(prefix) and name[len(prefix)].isupper():
            lowered = lowered[len(prefix):]
            break
    return lowered


def classify(slot: Slot, prefix: str = "", suffix: str = "") -> SlotRole:
    """Kind and binding role of ``slot``; ``prefix``/``suffix`` are the template text around it."""
    append = _APPENDED_LITERALS.fullmatch(slot.expression)
    if append is not None:  # ``if (x) msg += " hint";``: that text or nothing
        return SlotRole(kind=ValueKind.OPTIONAL_TEXT, name=_literal_text(append[1]), role=None)
    if _LITERALS.fullmatch(slot.expression):  # String.format("%-8s", "N/A"): always the text
        return SlotRole(kind=ValueKind.CONSTANT_TEXT, name=_literal_text(slot.expression), role=None)
    name = slot_name(slot.expression)
    type_name = (slot.type_name or "").split("<")[0].rsplit(".", 1)[-1]
    # The template's own text can say what a slot is: "blk_" + entry.getKey() prints a block id,
    # "complete in [{}] ms" a duration whatever the expression (Long.toString(complete)) is called.
    kind = ValueKind.BLOCK_ID if prefix.endswith("blk_") else _kind(name, type_name)
    if kind in (ValueKind.TEXT, ValueKind.NUMBER):
        if _UNIT_DURATION.match(suffix):
            kind = ValueKind.DURATION
        elif _UNIT_BYTES.match(suffix):
            kind = ValueKind.SIZE
    if kind is ValueKind.SIZE and slot.expression.replace(" ", "").endswith(".size()"):
        kind = ValueKind.COUNT  # a collection's size counts items, it is not a byte size
    if kind is ValueKind.SESSION_ID and is_object_type(type_name):
        # A Hibernate/servlet/WebSocket Session object prints its toString(), not a hex id, and is
        # one object per synthetic session, not the same thing as a ZooKeeper session id.
        return SlotRole(kind=kind, name=name, role=f"{kind.value}:{type_name}", bare=True,
                        type_name=type_name)
    if kind in _HEX_KINDS:
        bare = "tohexstring" in slot.expression.replace(" ", "").lower() or prefix.endswith("0x")
    else:
        bare = kind is ValueKind.BLOCK_ID and prefix.endswith("blk_")
    return SlotRole(kind=kind, name=name, role=_role(kind, name), bare=bare, type_name=type_name)


def is_object_type(type_name: str) -> bool:
    """A declared class type that prints its own ``toString()`` (not a number, text or boolean)."""
    return type_name[:1].isupper() and type_name not in _VALUE_TYPES


def _kind(name: str, type_name: str) -> ValueKind:
    t = type_name.lower()
    if ("sessionid" in name or name in {"session", "sessid", "clientid"}) and t != "boolean":
        return ValueKind.SESSION_ID
    if "zxid" in name:
        return ValueKind.ZXID
    if ("block" in t and "blocking" not in t) or name in {"b", "blk", "block", "blockid", "blockname"}:
        return ValueKind.BLOCK_ID
    if "throwable" in t or "exception" in t or "error" in t or name in {
            "e", "ex", "t", "cause", "exception", "failure", "thrown", "throwable", "th", "err", "ioe", "ie",
            "se", "re", "npe", "exc"}:
        return ValueKind.EXCEPTION
    if t in {"inetsocketaddress", "socketaddress"} or name.endswith(("addr", "address", "endpoint")) or (
            name in {"src", "dest", "target", "remote", "peer", "mirror", "datanode", "dn"}):
        return ValueKind.ADDRESS
    if t == "inetaddress" or name in {"ip", "ipaddr"} or name.endswith("ip"):
        return ValueKind.IP
    if "host" in name or name in {"hostname", "server", "node"}:
        return ValueKind.HOST
    if "port" in name:
        return ValueKind.PORT
    if name in {"sid", "myid", "serverid", "id", "leader", "peerid", "nodeid"}:
        return ValueKind.SERVER_ID
    if t in {"boolean"} or name.startswith(("is", "has", "enable")):
        return ValueKind.BOOLEAN
    if t in {"file", "path"} or name.endswith(("path", "file", "dir", "filename", "znode")):
        return ValueKind.PATH
    if "class" in name or t == "class":
        return ValueKind.CLASS_NAME
    if any(w in name for w in _DURATION_WORDS):
        return ValueKind.DURATION
    if any(w in name for w in ("size", "len", "bytes", "length", "capacity", "offset")):
        return ValueKind.SIZE
    if (name == "n" or name.startswith("num") or any(w in name for w in ("count", "retries", "retry",
                                                                           "attempt", "total"))) and (
            t in _NUMBER_TYPES_LOWER or not t):
        return ValueKind.COUNT
    if "state" in name or "status" in name or "mode" in name or t.endswith(("state", "status", "mode")):
        return ValueKind.STATE
    if t in _NUMBER_TYPES_LOWER:
        return ValueKind.NUMBER
    return ValueKind.TEXT


_STRING_LITERAL = re.compile(r'"(?:[^"\\]|\\.)*"')
_LITERALS = re.compile(rf"{_STRING_LITERAL.pattern}(?:\s*\+\s*{_STRING_LITERAL.pattern})*")
"""One string literal or several joined by ``+`` (a long message split over lines)."""
_APPENDED_LITERALS = re.compile(rf"[\w$]+\s*\+=\s*({_LITERALS.pattern})")


def _literal_text(expression: str) -> str:
    return "".join(decode_string(literal) for literal in _STRING_LITERAL.findall(expression))
_UNIT_DURATION = re.compile(r"[\])]?\s?(ms|msec|millis|milliseconds?|seconds?|secs?|s)\b", re.IGNORECASE)
_UNIT_BYTES = re.compile(r"[\])]?\s?(bytes?|B|KB|MB|kB)\b")
"""A unit right after a slot (``in [{}] ms``, ``{} bytes``); no quote: ``{}'s`` is a possessive."""
_DURATION_WORDS = ("timeout", "time", "ms", "millis", "elapsed", "delay", "interval", "duration")
_NUMBER_TYPES_LOWER = frozenset(t.lower() for t in _NUMBER_TYPES)
_VALUE_TYPES = _NUMBER_TYPES | {"String", "CharSequence", "StringBuilder", "StringBuffer", "Object",
                                "Boolean", "Character", "Byte", "Number", "BigDecimal", "UUID"}
"""Capitalised types whose printed value is the value itself."""


def _role(kind: ValueKind, name: str) -> str | None:
    """The binding role: one value per role per session (or per run, see ``params.plan``). A byte
    size is bound by what it measures (``block.getNumBytes()``: ``size:numbytes``). Session and block
    ids share one role (a session has one session id however the code names it); addresses, hosts,
    server ids and paths
    keep their name, since a pipeline has several distinct peers (``src`` and ``dest`` differ, but
    each stays fixed for the whole session)."""
    if kind is ValueKind.SIZE:
        return f"size:{name}"  # one object's size is one number wherever a session prints it
    if kind not in IDENTIFIER_KINDS:
        return None
    if kind in (ValueKind.SESSION_ID, ValueKind.BLOCK_ID):
        return kind.value
    stem = re.sub(r"(addr|address|name|ip)$", "", name) or name
    return f"{kind.value}:{stem}"


_PREFIXES = {ValueKind.SESSION_ID: "0x", ValueKind.ZXID: "0x", ValueKind.BLOCK_ID: "blk_"}


def canonical(value: str, kind: ValueKind) -> str:
    """The value with its per-slot formatting removed: ``0x1f`` and ``1f`` are one session id,
    ``blk_42`` and ``42`` one block."""
    prefix = _PREFIXES.get(kind)
    return value.removeprefix(prefix) if prefix else value


def present(value: str, role: SlotRole) -> str:
    """A canonical value formatted for one slot (``0x``/``blk_`` added unless the template has it)."""
    prefix = _PREFIXES.get(role.kind)
    return value if role.bare or prefix is None else f"{prefix}{value}"
