"""The greedy grammar transform of arXiv 1109.1729 (Yang–Kieffer style, SEQUITUR-like).

Each sequence becomes its own *sequence rule* (so no rule ever spans two sequences). Reading the
sequence left to right, the next phrase is the longest prefix of the rest that is the full
expansion of an existing rule (greedy read-ahead, found by walking a trie over rule expansions);
otherwise the next terminal. The phrase is appended and two SEQUITUR constraints are restored:

* digram uniqueness: no pair of adjacent symbols occurs twice (non-overlapping) in the grammar;
  a repeat is replaced by a rule (an existing rule whose whole body is that pair is reused);
* rule utility: a (non-sequence) rule referenced only once is inlined and removed.

A rule's expansion never changes during its life (replacing a digram by a rule, or inlining one,
preserves every expansion), so the trie only grows; deleted rules just lose their end marker.

All state is in flat maps (``Store``) so a copy-on-write ``view()`` can score a sequence against
the trained grammar with cost proportional to what that sequence changes.

Symbols are ints: a terminal code ``t >= 0``, or ``-r`` for rule ``r >= 1``.
"""

from __future__ import annotations

import gc
from collections.abc import Hashable, Sequence

from anomalygen.detectors.grammar.store import CopyOnWrite, Store

# Trie node ids are multiples of 2**32, so an edge key is one OR: ``node | terminal code``
# (codes stay below 2**32). The read-ahead computes one key per step of its walk.
_TRIE_STEP = 1 << 32


def intern_codes(keys: Sequence[Hashable], table: dict[Hashable, int]) -> list[int]:
    """Terminal codes for ``keys``; a key seen for the first time gets the next code.

    Codes come in order of first appearance, as ``table.setdefault(k, len(table))`` per key
    would give, but the per-entry work runs in C loops (``dict.fromkeys``, ``map``).
    """
    lookup = table.__getitem__
    try:
        # The usual case once the vocabulary is known: every key has a code already.
        return list(map(lookup, keys))
    except KeyError:
        pass
    for key in dict.fromkeys(keys):
        if key not in table:
            table[key] = len(table)
    return list(map(lookup, keys))


class GrammarCore:
    """Grammar state plus the transform. Build with ``GrammarCore()``; see ``add_sequence``."""

    def __init__(self) -> None:
        self.nxt: Store[int, int] = {}
        self.prv: Store[int, int] = {}
        self.sym: Store[int, int] = {}
        self.guard_rule: Store[int, int] = {}  # guard node -> its rule
        self.head: Store[int, int] = {}  # rule -> guard node of its circular body list
        self.refs: Store[int, int] = {}  # rule -> number of references (root counts for sequences)
        self.sequence: Store[int, int] = {}  # rule -> 1 when it wraps a whole sequence
        self.digrams: Store[tuple[int, int], int] = {}  # (a, b) -> node where the pair starts
        self.trie: Store[int, int] = {}
        self.trie_end: Store[int, int] = {}  # trie node -> rule whose expansion ends there
        self.rule_trie: Store[int, int] = {}  # rule -> trie node of its expansion
        self.expand: Store[int, tuple[int, ...]] = {}  # rule -> its expansion (kept rules only)
        # trie node -> (expansion, offset, sequence rule): the rest of a kept sequence's path,
        # not built yet (see _insert_sequence)
        self.tails: Store[int, tuple[tuple[int, ...], int, int]] = {}
        self.root: list[int] = []  # the kept sequence rules, in training order
        self.size = 0  # symbols on all rule right-hand sides (the root is counted by callers)
        self._next_node = 1
        self._next_rule = 1
        self._next_trie = _TRIE_STEP
        self._pending: list[int] = []

    # -- public -------------------------------------------------------------------------
    def view(self) -> GrammarCore:
        """A copy-on-write view: transform sequences on it, the base grammar stays unchanged."""
        v = GrammarCore.__new__(GrammarCore)
        for name in ("nxt", "prv", "sym", "guard_rule", "head", "refs", "sequence", "digrams",
                     "trie", "trie_end", "rule_trie", "expand", "tails"):
            setattr(v, name, CopyOnWrite(getattr(self, name)))
        v.root = list(self.root)
        v.size = self.size
        v._next_node, v._next_rule, v._next_trie = self._next_node, self._next_rule, self._next_trie
        v._pending = []
        return v

    def add_sequence(self, codes: list[int], keep: bool = True) -> int:
        """Transform one sequence of terminal codes into the grammar; return the symbols it added.

        A sequence that reduces to a single symbol (it repeats an existing rule) is dropped when
        ``keep`` is true, as in the paper; the returned count still includes that one symbol.
        """
        if not codes:
            return 0
        # The transform allocates many small acyclic objects (digram keys, expansions) and no
        # cycles; collector passes over the ever-growing grammar maps would be pure overhead.
        enabled = gc.isenabled()
        gc.disable()
        try:
            return self._transform(codes, keep)
        finally:
            if enabled:
                gc.enable()

    def _transform(self, codes: list[int], keep: bool) -> int:
        before = self.size
        rule = self._new_rule(sequence=True)
        guard = self.head[rule]
        # Hot loop, hand-inlined (longest_match, appending a node, _check): most phrases add a digram
        # never seen before, which needs one index write and nothing else.
        nxt, prv, sym, refs, digrams = self.nxt, self.prv, self.sym, self.refs, self.digrams
        trie_get, ends, claim = self.trie.get, self.trie_end, digrams.setdefault
        nxt_get, sym_get = nxt.get, sym.get
        tails = self.tails
        # The node counter, the size and the rule's last node and symbol live in locals, and the
        # links from the last node back to the guard are written only when something reads them:
        # before (and after) the rare calls that restructure the grammar, and at the end.
        next_node, size = self._next_node, self.size
        last, last_symbol = guard, 0
        i, n = 0, len(codes)
        while i < n:
            trie_node, symbol, j = 0, codes[i], i
            step = 1
            # an edge from the root (node 0) has the code itself as key
            child = trie_get(symbol)
            if child is not None:  # (no rule expands to one terminal: no end to look up here)
                trie_node = child
                j += 1
            while j < n:
                child = trie_get(trie_node | codes[j])
                if child is None:
                    if trie_node in tails:  # an unbuilt path: a whole earlier sequence may match
                        rest, offset, whole = tails[trie_node]
                        end = j + len(rest) - offset
                        if end <= n and rest[offset] == codes[j] \
                                and rest[offset:] == tuple(codes[j:end]):
                            symbol, step = -whole, end - i
                    break
                trie_node = child
                j += 1
                if child in ends:
                    symbol, step = -ends[child], j - i
            i += step
            node = next_node
            next_node += 1
            sym[node] = symbol
            size += 1
            if symbol < 0:
                refs[-symbol] += 1
            nxt[last] = node
            prv[node] = last
            if last != guard and (found := claim((last_symbol, symbol), last)) != last:
                # _check and _repeat inlined, the probe done: a repeat unless the index entry is
                # stale or the two occurrences overlap ("aaa")
                found_right = nxt_get(found)
                if found_right is None or sym_get(found) != last_symbol \
                        or sym_get(found_right) != symbol:
                    digrams[(last_symbol, symbol)] = last  # a stale entry
                elif found_right != last:
                    nxt[node] = guard
                    prv[guard] = node
                    self._next_node, self.size = next_node, size
                    self._match(last, found)
                    self._drain()
                    next_node, size = self._next_node, self.size
                    node = prv[guard]
                    symbol = sym[node]
            last, last_symbol = node, symbol
        nxt[last] = guard
        prv[guard] = last
        self._next_node, self.size = next_node, size
        added = self.size - before
        first = self.nxt[guard]
        if keep and self.nxt[first] == guard:
            self._drop_sequence(rule)
        elif keep:
            self.root.append(rule)
            self._insert_sequence(rule, tuple(codes))
        return added

    def longest_match(self, codes: list[int], start: int) -> tuple[int, int]:
        """(rule, length) of the longest rule expansion that prefixes ``codes[start:]``, or (0, 0)."""
        trie_get, end_get = self.trie.get, self.trie_end.get
        node, best, best_len = 0, 0, 0
        j, n = start, len(codes)
        while j < n:
            child = trie_get(node | codes[j])
            if child is None:
                tail = self.tails.get(node)
                if tail is not None:
                    rest, offset, whole = tail
                    end = j + len(rest) - offset
                    if end <= n and rest[offset:] == tuple(codes[j:end]):
                        best, best_len = whole, end - start
                break
            node = child
            j += 1
            rule = end_get(node)
            if rule is not None:
                best, best_len = rule, j - start
        return best, best_len

    def body(self, rule: int) -> list[int]:
        guard = self.head[rule]
        out: list[int] = []
        node = self.nxt[guard]
        while node != guard:
            out.append(self.sym[node])
            node = self.nxt[node]
        return out

    def expansion(self, symbol: int) -> list[int]:
        """Terminal codes a symbol stands for (iterative: rules nest deeply)."""
        out: list[int] = []
        stack = [symbol]
        while stack:
            s = stack.pop()
            if s >= 0:
                out.append(s)
            else:
                stack.extend(reversed(self.body(-s)))
        return out

    def live_rules(self) -> list[int]:
        """Every live rule, reachable from the root, in first-reached order."""
        seen: dict[int, None] = {}
        stack = list(reversed(self.root))
        while stack:
            r = stack.pop()
            if r in seen:
                continue
            seen[r] = None
            stack.extend(-s for s in reversed(self.body(r)) if s < 0 and -s not in seen)
        return list(seen)

    # -- node and rule primitives ------------------------------------------------------
    def _node(self, symbol: int) -> int:
        node = self._next_node
        self._next_node += 1
        self.sym[node] = symbol
        self.size += 1
        if symbol < 0:
            self.refs[-symbol] += 1
        return node

    def _remove_node(self, node: int) -> None:
        symbol = self.sym[node]
        if symbol < 0:
            self.refs[-symbol] -= 1
        del self.sym[node], self.nxt[node], self.prv[node]
        self.size -= 1

    def _link(self, left: int, right: int) -> None:
        self.nxt[left] = right
        self.prv[right] = left

    def _new_rule(self, sequence: bool) -> int:
        rule = self._next_rule
        self._next_rule += 1
        guard = self._next_node
        self._next_node += 1
        self.guard_rule[guard] = rule
        self.head[rule] = guard
        self._link(guard, guard)
        self.refs[rule] = 1 if sequence else 0
        if sequence:
            self.sequence[rule] = 1
        return rule

    def _delete_rule(self, rule: int) -> None:
        guard = self.head[rule]
        del self.guard_rule[guard], self.head[rule], self.refs[rule], self.nxt[guard], self.prv[guard]
        if rule in self.sequence:
            del self.sequence[rule]
        if rule in self.expand:
            del self.expand[rule]
        trie_node = self.rule_trie.get(rule)
        if trie_node is not None:
            del self.rule_trie[rule]
            if self.trie_end.get(trie_node) == rule:
                del self.trie_end[trie_node]

    # -- digram index ------------------------------------------------------------------
    def _pair(self, node: int) -> tuple[int, int] | None:
        """The digram starting at ``node``, or None at a rule boundary or a dead node."""
        if node not in self.sym:
            return None
        right = self.nxt[node]
        if right in self.guard_rule:
            return None
        return self.sym[node], self.sym[right]

    def _unindex(self, node: int) -> None:
        sym = self.sym
        a = sym.get(node)
        if a is None:
            return
        right = self.nxt[node]
        b = sym.get(right)  # None at the guard
        if b is None:
            return
        key = (a, b)
        if self.digrams.get(key) != node:
            return
        del self.digrams[key]
        if a == b:
            self._reindex_run(node, right, key)

    def _reindex_run(self, node: int, right: int, key: tuple[int, int]) -> None:
        """"aaa": the overlapping neighbour pair was shadowed by ``node``'s entry; re-index it."""
        for neighbour in (self.prv[node], right):
            if self._pair(neighbour) == key:
                self._pending.append(neighbour)

    def _drain(self) -> None:
        # _check inlined up to the first index probe: most pending pairs are new or already
        # indexed at this node, which takes one probe and no call.
        pending = self._pending
        sym_get, nxt, claim = self.sym.get, self.nxt, self.digrams.setdefault
        while pending:
            node = pending.pop()
            a = sym_get(node)
            if a is None:
                continue
            right = nxt[node]
            b = sym_get(right)  # None at the guard
            if b is None:
                continue
            found = claim((a, b), node)
            if found != node:
                self._repeat(node, right, a, b, found)

    def _check(self, node: int) -> None:
        sym = self.sym
        a = sym.get(node)
        if a is None:
            return
        right = self.nxt[node]
        b = sym.get(right)  # None at the guard
        if b is None:
            return
        found = self.digrams.setdefault((a, b), node)
        if found != node:
            self._repeat(node, right, a, b, found)

    def _repeat(self, node: int, right: int, a: int, b: int, found: int) -> None:
        """The pair (a, b) at ``node`` is indexed at ``found``: match them, unless stale/overlapping."""
        sym, nxt = self.sym, self.nxt
        found_right = nxt.get(found)
        if found_right is None or sym.get(found) != a or sym.get(found_right) != b:
            self.digrams[(a, b)] = node  # a stale entry
            return
        if found_right == node or right == found:
            return  # overlapping occurrences ("aaa") are not a repeat
        self._match(node, found)

    # -- the SEQUITUR moves --------------------------------------------------------------
    def _match(self, new: int, old: int) -> None:
        # Primitives (_new_rule, _node, _link, _unindex) are inlined here and in _substitute:
        # after the read-ahead, restoring the constraints is where training spends its time.
        sym, nxt, prv, refs, guard_rule = self.sym, self.nxt, self.prv, self.refs, self.guard_rule
        old_right = nxt[old]
        whole = guard_rule.get(prv[old])
        if whole is not None and nxt[old_right] in guard_rule and whole not in self.sequence:
            rule = whole
            self._substitute(new, rule)  # the pair is a whole rule already: reuse it
        else:
            a, b = sym[old], sym[old_right]
            rule = self._next_rule
            self._next_rule += 1
            guard = self._next_node
            first, second = guard + 1, guard + 2
            next_node = guard + 3
            guard_rule[guard] = rule
            self.head[rule] = guard
            sym[first] = a
            sym[second] = b
            nxt[guard] = first
            prv[first] = guard
            nxt[first] = second
            prv[second] = first
            nxt[second] = guard
            prv[guard] = second
            # Both occurrences of (a, b) become the rule's nonterminal: _substitute inlined. The
            # size does not change (two symbols in the body, one fewer at each occurrence), the
            # rule gets two references and a and b lose one each (+1 in the body, -2).
            digrams = self.digrams
            sym_get, index_get = sym.get, digrams.get
            pending = self._pending
            nonterminal = -rule
            for at in (old, new):
                left = prv[at]
                after = nxt[at]
                right = nxt[after]
                # _unindex each pair that is about to change: left-a, a-b, b-right
                w = sym_get(left)  # None at the guard
                if w is not None:
                    key = (w, a)
                    if index_get(key) == left:
                        del digrams[key]
                        if w == a:
                            self._reindex_run(left, at, key)
                key = (a, b)
                if index_get(key) == at:
                    del digrams[key]
                    if a == b:
                        self._reindex_run(at, after, key)
                z = sym_get(right)  # None at the guard
                if z is not None:
                    key = (b, z)
                    if index_get(key) == after:
                        del digrams[key]
                        if b == z:
                            self._reindex_run(after, right, key)
                del sym[at], nxt[at], prv[at], sym[after], nxt[after], prv[after]
                sym[next_node] = nonterminal
                nxt[left] = next_node
                prv[next_node] = left
                nxt[next_node] = right
                prv[right] = next_node
                pending.append(next_node)
                pending.append(left)
                next_node += 1
            self._next_node = next_node
            refs[rule] = 2
            if a < 0:
                refs[-a] -= 1
            if b < 0:
                refs[-b] -= 1
            self.digrams[(a, b)] = first
            # A rule's expansion is its pair's expansions joined (cached: they never change).
            expand = self.expand
            tail = expand[-b] if b < 0 else (b,)
            expand[rule] = (expand[-a] if a < 0 else (a,)) + tail
            # The rule's trie path: its first symbol's path, then the second's expansion. A one-
            # terminal step that is already in the trie needs no call (the usual case).
            trie_get = self.trie.get
            if a >= 0:
                start = trie_get(a)
                if start is None:
                    start = self._trie_path(0, (a,))
            else:
                # a sequence rule's path may be a tail still: building it marks the rule
                start = self.rule_trie.get(-a) or self._trie_path(0, expand[-a])
            end = trie_get(start | b) if b >= 0 else None
            if end is None:
                end = self._trie_path(start, tail)
            self.trie_end[end] = rule
            self.rule_trie[rule] = end
            # rule utility for the two symbols whose references just dropped (the new rule's
            # body is still first, second: the substitutions changed other rules)
            sequence = self.sequence
            if a < 0 and -a not in sequence and refs[-a] == 1:
                self._inline(first)
            if b < 0 and -b not in sequence and refs[-b] == 1:
                self._inline(second)
            return
        # rule utility for the two symbols whose references just dropped
        guard = self.head[rule]
        sequence = self.sequence
        for node in (nxt[guard], prv[guard]):
            symbol = sym.get(node)
            if symbol is not None and symbol < 0 and -symbol not in sequence \
                    and refs[-symbol] == 1:
                self._inline(node)

    def _substitute(self, node: int, rule: int) -> None:
        """Replace the digram starting at ``node`` by the nonterminal of ``rule``."""
        sym, nxt, prv, refs, digrams = self.sym, self.nxt, self.prv, self.refs, self.digrams
        sym_get, index_get = sym.get, digrams.get
        left = prv[node]
        second = nxt[node]
        right = nxt[second]
        x, y = sym[node], sym[second]
        # _unindex each pair that is about to change, unrolled: left-x, x-y, y-right
        w = sym_get(left)  # None at the guard
        if w is not None:
            key = (w, x)
            if index_get(key) == left:
                del digrams[key]
                if w == x:
                    self._reindex_run(left, node, key)
        key = (x, y)
        if index_get(key) == node:
            del digrams[key]
            if x == y:
                self._reindex_run(node, second, key)
        z = sym_get(right)  # None at the guard
        if z is not None:
            key = (y, z)
            if index_get(key) == second:
                del digrams[key]
                if y == z:
                    self._reindex_run(second, right, key)
        if x < 0:
            refs[-x] -= 1
        if y < 0:
            refs[-y] -= 1
        del sym[node], nxt[node], prv[node], sym[second], nxt[second], prv[second]
        nonterminal = self._next_node
        self._next_node += 1
        sym[nonterminal] = -rule
        self.size -= 1  # two symbols out, one in
        refs[rule] += 1
        nxt[left] = nonterminal
        prv[nonterminal] = left
        nxt[nonterminal] = right
        prv[right] = nonterminal
        self._pending.append(nonterminal)
        self._pending.append(left)

    def _inline(self, node: int) -> None:
        """Replace a once-used rule's nonterminal at ``node`` by that rule's body."""
        rule = -self.sym[node]
        left, right = self.prv[node], self.nxt[node]
        guard = self.head[rule]
        first, last = self.nxt[guard], self.prv[guard]
        self._unindex(left)
        self._unindex(node)
        self._remove_node(node)
        self._delete_rule(rule)
        self._link(left, first)
        self._link(last, right)
        self._pending.append(last)
        self._pending.append(left)

    def _drop_sequence(self, rule: int) -> None:
        guard = self.head[rule]
        only = self.nxt[guard]
        symbol = self.sym[only]
        self._remove_node(only)
        self._delete_rule(rule)
        if symbol < 0 and -symbol not in self.sequence and self.refs[-symbol] == 1:
            # The sequence collapsed onto a rule it created itself ("a b" against "p -> a b c"),
            # which now has one use left: find it (rare, so a scan is fine) and inline it.
            for node in self._occurrences(symbol):
                self._inline(node)
                self._drain()
                break

    def _occurrences(self, symbol: int) -> list[int]:
        found = []
        for rule in self.live_rules():
            guard = self.head[rule]
            node = self.nxt[guard]
            while node != guard:
                if self.sym[node] == symbol:
                    found.append(node)
                node = self.nxt[node]
        return found

    # -- trie over rule expansions -----------------------------------------------------
    def _trie_path(self, start: int, codes: list[int] | tuple[int, ...]) -> int:
        node = start
        trie = self.trie
        trie_get = trie.get
        tails = self.tails
        for index, code in enumerate(codes):
            key = node | code
            child = trie_get(key)
            if child is None and node in tails:
                self._grow_tail(node)
                child = trie_get(key)
            if child is None:
                # A fresh node has no children, so the rest of the path is a chain of new nodes:
                # no more look-ups.
                child = self._next_trie
                for code in codes[index:]:
                    trie[node | code] = child
                    node = child
                    child += _TRIE_STEP
                self._next_trie = child
                return node
            node = child
        return node

    def _insert_sequence(self, rule: int, codes: tuple[int, ...]) -> None:
        """Make a kept sequence rule matchable by the read-ahead.

        Its path is built only as far as it is shared; the new rest is stored as a *tail* at the
        node where it leaves the trie, compared in one slice by the read-ahead and built node by
        node (``_grow_tail``) only when another path goes through it. Kept sequences are long and
        mostly new, so this saves building a trie node per training entry.
        """
        self.expand[rule] = codes
        node = 0
        trie_get = self.trie.get
        tails = self.tails
        for index, code in enumerate(codes):
            key = node | code
            child = trie_get(key)
            if child is None and node in tails:
                self._grow_tail(node)
                child = trie_get(key)
            if child is None:
                tails[node] = (codes, index, rule)
                return
            node = child
        self._mark(rule, node)

    def _grow_tail(self, node: int) -> None:
        """Build the first node of the tail stored at ``node`` (the rest moves down to it)."""
        rest, offset, rule = self.tails[node]
        del self.tails[node]
        child = self._next_trie
        self._next_trie += _TRIE_STEP
        self.trie[node | rest[offset]] = child
        if offset + 1 == len(rest):
            self._mark(rule, child)
        else:
            self.tails[child] = (rest, offset + 1, rule)

    def _mark(self, rule: int, trie_node: int) -> None:
        self.trie_end[trie_node] = rule
        self.rule_trie[rule] = trie_node
