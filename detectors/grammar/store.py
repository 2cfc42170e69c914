"""Key-value stores behind the grammar transform: a plain ``dict`` for training, and a
copy-on-write view for scoring.

Scoring a sequence must transform it *against* the trained grammar without changing it, and
without deep-copying a grammar of hundreds of thousands of symbols per scored sequence. Every
piece of grammar state (linked-list links, digram index, reference counts, trie) lives in flat
maps, so a view only needs one small overlay dict per map: reads fall through to the frozen base,
writes and deletions stay in the overlay and vanish with the view. Cost is proportional to what
the scored sequence changes, not to the grammar size.
"""

from __future__ import annotations

from typing import Generic, Protocol, TypeVar

K = TypeVar("K")
K_contra = TypeVar("K_contra", contravariant=True)
V = TypeVar("V")

_DELETED = object()


class Store(Protocol[K_contra, V]):
    """The subset of ``dict`` the transform uses (``dict`` satisfies it as is)."""

    def get(self, key: K_contra, /) -> V | None: ...
    def __getitem__(self, key: K_contra, /) -> V: ...
    def __setitem__(self, key: K_contra, value: V, /) -> None: ...
    def __delitem__(self, key: K_contra, /) -> None: ...
    def __contains__(self, key: object, /) -> bool: ...
    def setdefault(self, key: K_contra, default: V, /) -> V: ...


class CopyOnWrite(Generic[K, V]):
    """A writable view over a frozen ``dict``: the base is never modified.

    ``__slots__`` because scoring creates a dozen of these per sequence.
    """

    __slots__ = ("_base", "_overlay")

    def __init__(self, base: dict[K, V]) -> None:
        self._base = base
        self._overlay: dict[object, object] = {}

    def get(self, key: K, /) -> V | None:
        # Most keys a scored sequence reads are not in the (small) overlay: one membership
        # test, then the base.
        overlay = self._overlay
        if key in overlay:
            value = overlay[key]
            return None if value is _DELETED else value  # type: ignore[return-value]
        return self._base.get(key)

    def __getitem__(self, key: K, /) -> V:
        overlay = self._overlay
        if key in overlay:
            value = overlay[key]
            if value is _DELETED:
                raise KeyError(key)
            return value  # type: ignore[return-value]
        return self._base[key]

    def __setitem__(self, key: K, value: V, /) -> None:
        self._overlay[key] = value

    def __delitem__(self, key: K, /) -> None:
        if key not in self:
            raise KeyError(key)
        self._overlay[key] = _DELETED

    def setdefault(self, key: K, default: V, /) -> V:
        overlay = self._overlay
        value = overlay.get(key)
        if value is None:
            value = self._base.get(key)
        elif value is _DELETED:
            value = None
        if value is None:
            overlay[key] = default
            return default
        return value  # type: ignore[return-value]

    def __contains__(self, key: object, /) -> bool:
        overlay = self._overlay
        if key in overlay:
            return overlay[key] is not _DELETED
        return key in self._base

    @property
    def changes(self) -> int:
        """How many keys this view has written or deleted (the size of the overlay)."""
        return len(self._overlay)
