# Cython declarations for the optional compiled build of grammar_transform.py (setup.py builds it
# as anomalygen.detectors.grammar._compiled when Cython and a C compiler are present; Python never
# reads this file). The .py stays the one source: these lines only give the class C-level
# attributes and the hot loop C integer counters. Attributes stay `object` so that view() can put
# copy-on-write stores where training has plain dicts.
import cython

cdef class GrammarCore:
    cdef public object nxt, prv, sym, guard_rule, head, refs, sequence, digrams
    cdef public object trie, trie_end, rule_trie, expand, tails
    cdef public list root
    cdef public list _pending
    cdef public Py_ssize_t size, _next_node, _next_rule, _next_trie

    @cython.locals(i=Py_ssize_t, j=Py_ssize_t, n=Py_ssize_t, step=Py_ssize_t, end=Py_ssize_t,
                   next_node=Py_ssize_t, size=Py_ssize_t, before=Py_ssize_t)
    cpdef int _transform(self, list codes, bint keep) except? -1
    # C-level calls between the restructuring moves (no attribute look-up, no Python frame);
    # node and rule ids stay Python ints: they are dict keys, boxing them again would cost more.
    cpdef _remove_node(self, node)
    cpdef _delete_rule(self, rule)
    cpdef _pair(self, node)
    cpdef _unindex(self, node)
    cpdef _reindex_run(self, node, right, key)
    cpdef _drain(self)
    cpdef _check(self, node)
    cpdef _repeat(self, node, right, a, b, found)
    cpdef _match(self, new, old)
    cpdef _substitute(self, node, rule)
    cpdef _inline(self, node)
    cpdef _trie_path(self, start, codes)
    cpdef _grow_tail(self, node)
    cpdef _mark(self, rule, trie_node)
    cpdef _link(self, left, right)
