"""What a Java object prints when a log statement concatenates it: ``toString()`` by declared type.

The last resort for a slot nothing else can fill (no real value, no generator for its kind, no
LLM proposal): a ``Method`` prints ``public void org.example.Worker.run()``, a ``List`` prints
``[a, b]``, an array its JVM type and hash, and any other class the JDK default
``Type@1b6d3586``. Classes that override ``toString()`` print something else at run time; the
shape is still nearer to a real line than a bare name (``beanDefinition-42``).
"""

from __future__ import annotations

import random
from collections.abc import Callable

from anomalygen.tools.synth.params.roles import is_object_type

_OWNERS = ("org.example.server.RequestHandler", "org.example.storage.BlockStore", "org.example.util.Worker")
_SEQUENCES = frozenset({"List", "ArrayList", "LinkedList", "Collection", "Set", "HashSet", "LinkedHashSet",
                        "TreeSet", "SortedSet", "Queue", "Deque", "ArrayDeque", "Iterable",
                        "CopyOnWriteArrayList"})
_MAPPINGS = frozenset({"Map", "HashMap", "LinkedHashMap", "TreeMap", "SortedMap", "ConcurrentHashMap",
                       "ConcurrentMap", "Properties", "Hashtable", "MultiValueMap"})
_ARRAY_CODES = {"byte": "B", "char": "C", "short": "S", "int": "I", "long": "J", "float": "F",
                "double": "D", "boolean": "Z"}


def _hash(rng: random.Random) -> str:
    return f"{rng.getrandbits(31):x}"


def _owner(rng: random.Random) -> str:
    return rng.choice(_OWNERS)


_KNOWN: dict[str, Callable[[str, random.Random], str]] = {
    "Class": lambda name, rng: f"class {_owner(rng)}",
    "Method": lambda name, rng: f"public void {_owner(rng)}.{name or 'run'}()",
    "Constructor": lambda name, rng: f"public {_owner(rng)}()",
    "Field": lambda name, rng: f"private int {_owner(rng)}.{name or 'count'}",
    "Thread": lambda name, rng: rng.choice(("Thread[main,5,main]",
                                            f"Thread[pool-1-thread-{rng.randint(1, 8)},5,main]")),
    "URL": lambda name, rng: f"http://node-{rng.randint(1, 16)}.cluster.local:8080/{name or 'index'}",
    "URI": lambda name, rng: f"http://node-{rng.randint(1, 16)}.cluster.local:8080/{name or 'index'}",
    "File": lambda name, rng: f"/var/lib/app/{name or 'data'}-{rng.randint(1, 99)}",
    "Path": lambda name, rng: f"/var/lib/app/{name or 'data'}-{rng.randint(1, 99)}",
    "Locale": lambda name, rng: rng.choice(("en_US", "de_DE", "fr_FR")),
    "Charset": lambda name, rng: rng.choice(("UTF-8", "ISO-8859-1")),
    "Duration": lambda name, rng: f"PT{rng.randint(1, 120)}S",
    "TimeUnit": lambda name, rng: rng.choice(("MILLISECONDS", "SECONDS")),
    "UUID": lambda name, rng: "-".join(f"{rng.getrandbits(b * 4):0{b}x}" for b in (8, 4, 4, 4, 12)),
}


def object_text(type_name: str, name: str, rng: random.Random) -> str | None:
    """What a value of ``type_name`` prints, or None when the type says nothing (a String, unknown)."""
    base = type_name.split("<")[0].strip()
    if base.endswith("..."):
        base = base[:-3] + "[]"
    if base.endswith("[]"):  # an array's toString(): its JVM type and identity hash
        element = base[:-2]
        code = _ARRAY_CODES.get(element, f"L{element};")
        return f"[{code}@{_hash(rng)}"
    known = _KNOWN.get(base)
    if known is not None:
        return known(name, rng)
    if not is_object_type(base):  # text, numbers, booleans: the slot's name says more than the type
        return None
    if base in _SEQUENCES:
        items = (f"{name or 'item'}-{rng.randint(1, 99)}" for _ in range(rng.randint(1, 3)))
        return "[" + ", ".join(items) + "]"
    if base in _MAPPINGS:
        return "{" + f"{name or 'key'}={rng.randint(1, 99)}" + "}"
    return f"{base}@{_hash(rng)}"
