"""Parameter synthesis: a plan for every slot, then session-bound values.

``build_plan`` looks at every slot of the statements on the kept paths once: its kind and binding
role (``roles``), the values real logs showed for it, and LLM proposals for slots nothing else
knows how to fill. ``SessionFiller`` then fills a session's events from the plan. Sources, in
order: identifier slots take the session's bound value (chosen once per session, see below); other slots
take a value observed for the same statement in real logs, else a type/name generator, else an
LLM proposal, else a token derived from the slot's name.

Block and session ids are generated fresh per session rather than copied from real logs: reusing
a real block id or session id would merge a synthetic session into a real one for any tool that
groups lines by identifier; a real value that embeds one (a block's file name) is kept with the
session's own id put in its place. Peer identifiers (addresses, hosts, server ids) are drawn from
the values real logs showed for the slot, since a cluster has a fixed set of peers; peers no real
line showed come from the run's cluster (``cluster``), so one run prints one set of machines.

Scopes. Block and session ids, and the byte size of a session's object, are one value per session.
A peer role is one value per session too, unless the real data shows one statement printing it
several times in a session (three datanodes each log ``Receiving block``): then each *run* (one
execution of a path) draws its own peer. Any other variable printed twice within one run (the same
expression of the same method) prints one value. A slot no real line showed borrows the values
real lines printed for slots of the same declared type (``pooled``: a ``DatanodeRegistration`` prints
``10.251.194.213:50010`` wherever it is logged).
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from anomalygen.records import LogStatement
from anomalygen.tools.synth.params.cluster import PEER_KINDS, Cluster, cluster_for
from anomalygen.tools.synth.params.generators import generate, has_generator
from anomalygen.tools.synth.params.objects import object_text
from anomalygen.tools.synth.params.roles import (
    UNIQUE_KINDS,
    SlotRole,
    ValueKind,
    canonical,
    classify,
    is_object_type,
    present,
)
from anomalygen.tools.synth.render import slot_surroundings

_EMBEDDED_ID = re.compile(r"blk_-?\d+|0x[0-9a-fA-F]{8,}")
"""A block or session id inside a free-text value: the session's own id takes its place."""
_ID_KINDS = frozenset({ValueKind.BLOCK_ID, ValueKind.SESSION_ID, ValueKind.ZXID})
_TYPE_EXPLAINED = frozenset({ValueKind.SIZE, ValueKind.DURATION, ValueKind.COUNT, ValueKind.NUMBER,
                             ValueKind.BOOLEAN, ValueKind.PORT, ValueKind.BLOCK_ID, ValueKind.SESSION_ID,
                             ValueKind.ZXID, ValueKind.ADDRESS, ValueKind.IP, ValueKind.HOST,
                             ValueKind.SERVER_ID, ValueKind.OPTIONAL_TEXT, ValueKind.CONSTANT_TEXT})
"""Kinds whose generated values the slot's type or the source text explains (a number, an id in
the format real ids have, a peer of the cluster, a literal of the code)."""

MAX_OBSERVED_PER_SLOT = 50
"""Distinct real values kept per slot: enough variety, bounded state size."""
SESSION = "session"
RUN = "run"


@dataclass(frozen=True, slots=True)
class SlotPlan:
    """How one slot of one statement is filled."""

    statement: str
    index: int
    role: SlotRole
    observed: tuple[str, ...] = ()
    """Distinct values real logs printed for this slot, first seen first."""
    proposals: tuple[str, ...] = ()
    """LLM-proposed values that passed the type check."""
    pooled: tuple[str, ...] = ()
    """Values real logs printed for other slots of the same declared type (when none for this one)."""
    variable: str = ""
    """The source variable (enclosing method and expression): printed twice in one run, one value."""
    scope: str = SESSION
    """``session``: a role has one value per session; ``run``: one per run of a path."""

    def to_dict(self) -> dict[str, Any]:
        return {"statement": self.statement, "index": self.index, "kind": self.role.kind.value,
                "name": self.role.name, "role": self.role.role, "bare": self.role.bare,
                "type": self.role.type_name, "observed": list(self.observed),
                "proposals": list(self.proposals), "pooled": list(self.pooled), "variable": self.variable,
                "scope": self.scope}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SlotPlan:
        role = SlotRole(kind=ValueKind(data["kind"]), name=data["name"], role=data["role"],
                        bare=bool(data.get("bare", False)), type_name=str(data.get("type", "")))
        return cls(statement=data["statement"], index=int(data["index"]), role=role,
                   observed=tuple(data.get("observed", ())), proposals=tuple(data.get("proposals", ())),
                   pooled=tuple(data.get("pooled", ())), variable=str(data.get("variable", "")),
                   scope=str(data.get("scope", SESSION)))

    @property
    def values(self) -> tuple[str, ...]:
        """Real values for this slot: its own, else those of its declared type."""
        return self.observed or self.pooled

    @property
    def source(self) -> str:
        """Where this slot's non-identifier values come from (for the report)."""
        if self.role.role is not None:
            return "session-bound"
        if self.observed:
            return "observed"
        if self.pooled:
            return "observed-type"
        if has_generator(self.role.kind):
            return "generator"
        if self.proposals:
            return "llm"
        return "fallback"

    @property
    def invented(self) -> bool:
        """No real line and no type explains the values (an LLM's guess, a name token, a made-up
        path or state): counted and reported, never hidden."""
        if self.values or self.role.kind in _TYPE_EXPLAINED:
            return False
        typed = object_text(self.role.type_name, "", random.Random(0))
        return not (self.role.kind is ValueKind.TEXT and typed is not None)


@dataclass(slots=True)
class ParameterPlan:
    """Slot plans by statement id, in slot order."""

    slots: dict[str, tuple[SlotPlan, ...]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, list[dict[str, Any]]]:
        return {sid: [p.to_dict() for p in plans] for sid, plans in sorted(self.slots.items())}

    @classmethod
    def from_dict(cls, data: Mapping[str, Sequence[Mapping[str, Any]]]) -> ParameterPlan:
        return cls({sid: tuple(SlotPlan.from_dict(p) for p in plans) for sid, plans in data.items()})

    def roles(self, statement: str) -> list[str | None]:
        return [p.role.role for p in self.slots.get(statement, ())]

    def source_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for plans in self.slots.values():
            for plan in plans:
                counts[plan.source] = counts.get(plan.source, 0) + 1
        return dict(sorted(counts.items()))

    def observed_peers(self) -> list[str]:
        """Every value real logs showed in an address or IP slot, first seen first."""
        return [value for plans in self.slots.values() for p in plans
                if p.role.kind in (ValueKind.ADDRESS, ValueKind.IP) for value in p.observed]

    def needing_proposals(self) -> list[SlotPlan]:
        """Slots no observed value or generator can fill: the only ones worth an LLM call."""
        return [p for plans in self.slots.values() for p in plans
                if p.role.role is None and not p.values and not has_generator(p.role.kind)]

    def with_proposals(self, proposals: Mapping[tuple[str, int], Sequence[str]]) -> ParameterPlan:
        return ParameterPlan({sid: tuple(replace(p, proposals=tuple(proposals.get((sid, p.index), ())))
                                         for p in plans) for sid, plans in self.slots.items()})

    def invented_share(self, events: Iterable[str]) -> float:
        """Share of the slot values printed by ``events`` (statement ids) that are invented."""
        total = invented = 0
        for sid in events:
            for plan in self.slots.get(sid, ()):
                total += 1
                invented += plan.invented
        return invented / total if total else 0.0


def _type_key(role: SlotRole) -> str | None:
    """Slots that print the same thing: the same declared class type (not text or a number)."""
    return role.type_name if is_object_type(role.type_name) else None


_ADDRESS_VALUE = re.compile(r"/?\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?")


def _looks_like_peers(values: Sequence[str]) -> bool:
    """Real values that are all socket addresses or IPs: the slot names a peer, whatever its
    expression says (HDFS's ``n.getName()`` prints ``10.251.31.160:50010``)."""
    return bool(values) and all(_ADDRESS_VALUE.fullmatch(v) for v in values)


def build_plan(
    statements: Iterable[LogStatement],
    observed: Mapping[str, Sequence[Sequence[str]]] | None = None,
    repeated: Collection[str] = (),
) -> ParameterPlan:
    """Classify every slot of ``statements`` and attach the values real logs showed for it; a slot
    no real line showed borrows those of its declared type, else those of the same expression in
    the same class. ``repeated``: statements the real data shows several times in one session
    (their peer roles are bound per run)."""
    observed = observed or {}
    found: list[tuple[LogStatement, int, SlotRole, tuple[str, ...], str]] = []
    pools: dict[str, dict[str, None]] = {}
    for statement in sorted(statements, key=lambda s: s.id):
        surroundings = slot_surroundings(statement)
        rows = observed.get(statement.id, ())
        for number, slot in enumerate(sorted(statement.slots, key=lambda s: s.index)):
            position = slot.index if 0 <= slot.index < len(surroundings) else number
            role = classify(slot, *(surroundings[position] if position < len(surroundings) else ("", "")))
            seen: dict[str, None] = {}
            for row in rows:
                if position < len(row) and len(seen) < MAX_OBSERVED_PER_SLOT:
                    seen.setdefault(str(row[position]), None)
            keys = [k for k in (_type_key(role), f"{statement.type_name}|{slot.expression}") if k]
            for key in keys:
                pool = pools.setdefault(key, {})
                for value in seen:
                    if len(pool) < MAX_OBSERVED_PER_SLOT:
                        pool.setdefault(value, None)
            found.append((statement, position, role, tuple(seen), keys[-1]))
    plan = ParameterPlan()
    for statement, position, role, own, name_key in found:
        type_key = _type_key(role)
        pooled: tuple[str, ...] = ()
        if not own:
            pooled = tuple(pools.get(type_key, {}) if type_key else ()) or tuple(pools.get(name_key, {}))
        if role.role is None and role.kind is ValueKind.TEXT and _looks_like_peers(own or pooled):
            role = replace(role, kind=ValueKind.ADDRESS, role=f"{ValueKind.ADDRESS.value}:{role.name}")
        per_run = role.role is not None and role.kind not in UNIQUE_KINDS and statement.id in repeated \
            and role.kind is not ValueKind.SIZE
        method = statement.method
        expression = name_key.split("|", 1)[1]
        plan.slots.setdefault(statement.id, ())
        plan.slots[statement.id] += (SlotPlan(statement.id, position, role, own, pooled=pooled,
                                              variable=f"{method}|{expression}",
                                              scope=RUN if per_run else SESSION),)
    return plan


@dataclass(slots=True)
class _SessionState:
    binding: dict[str, str] = field(default_factory=dict)
    """Role (or role and run) -> canonical value."""
    runs_of: dict[str, list[int]] = field(default_factory=dict)
    """Run-scoped role -> the runs that printed it so far, in order."""
    variables: dict[tuple[str, int], str] = field(default_factory=dict)
    """(variable, run) -> the value it printed."""
    hosts: set[int] = field(default_factory=set)
    """Cluster hosts this session's peer roles already use."""
    printed_by: dict[str, set[int]] = field(default_factory=dict)
    """Peer role -> the cluster hosts it printed in this session."""


class SessionFiller:
    """Fills the events of one session at a time; reproducible for a seed and a session key."""

    def __init__(self, plan: ParameterPlan, seed: int, *, bind: bool = True,
                 cluster: Cluster | None = None, reuse: float = 0.0) -> None:
        self.plan = plan
        self.seed = seed
        self.bind = bind
        """False only to measure the unbound baseline: every slot then draws independently."""
        self.cluster = cluster if cluster is not None else cluster_for(plan.observed_peers(), seed)
        self.reuse = reuse
        """Chance a peer role prints one of the session's hosts again (``cluster.PeerReuse``)."""

    def fill(self, session_key: str, statements: Sequence[str],
             runs: Sequence[int] | None = None) -> list[tuple[str, ...]]:
        """Slot values for each statement of the session, in order (``runs``: each event's run)."""
        rng = random.Random(f"{self.seed}:params:{session_key}")
        session = _SessionState()
        run_of = runs if runs is not None else [0] * len(statements)
        printed: Counter[tuple[str, int]] = Counter()
        filled = []
        for sid, run in zip(statements, run_of, strict=True):
            # a statement a run prints again is a loop's next turn (one line per replica's
            # datanode): its run-scoped roles take the turn's own value
            turn = printed[sid, run]
            printed[sid, run] += 1
            filled.append(tuple(self._value(p, rng, session, run, turn)
                                for p in self.plan.slots.get(sid, ())))
        return filled

    def _value(self, plan: SlotPlan, rng: random.Random, session: _SessionState, run: int, turn: int) -> str:
        role = plan.role.role
        if role is not None and self.bind:
            key = role if plan.scope == SESSION else f"{role}@{run}#{turn}"
            if key not in session.binding:
                session.binding[key] = canonical(self._draw(plan, rng, session), plan.role.kind)
            return present(session.binding[key], plan.role)
        if role is not None:
            return generate(plan.role, rng)
        if not self.bind:
            return self._free(plan, rng, session)
        variable = (plan.variable, run)
        if variable not in session.variables:
            session.variables[variable] = self._free(plan, rng, session)
        return session.variables[variable]

    def _draw(self, plan: SlotPlan, rng: random.Random, session: _SessionState) -> str:
        """A new value of a role. Peers (addresses, hosts, server ids, paths) come from the real
        cluster when logs showed them, else from the run's cluster; per-session ids (block,
        session) are always fresh."""
        if plan.role.kind in PEER_KINDS:
            return self._peer(plan, rng, session)
        if plan.role.kind in UNIQUE_KINDS or not plan.values:
            return generate(plan.role, rng)
        return self._own_ids(rng.choice(plan.values), rng, session)

    def _peer(self, plan: SlotPlan, rng: random.Random, session: _SessionState) -> str:
        mine = session.printed_by.setdefault(plan.role.role or plan.role.name, set())
        again = self._again(mine, rng, session)
        if not plan.values:
            index = again if again is not None else self.cluster.free_host(rng, session.hosts)
            session.hosts.add(index)
            mine.add(index)
            return self.cluster.draw_at(plan.role, rng, index)
        value = rng.choice(plan.values)
        if again is not None:
            value = self.cluster.rehost(value, again)
        self.cluster.claim(value, session.hosts)
        mine.update(self.cluster.indices(value))
        return self._own_ids(value, rng, session)

    def _again(self, mine: set[int], rng: random.Random, session: _SessionState) -> int | None:
        """One of the session's hosts this role has not printed, drawn with the real reuse rate
        (three receives of a block stay on three datanodes; the block map then names them)."""
        if not self.reuse or not self.bind:
            return None  # no draw at all: a run without the evidence fills as it always did
        others = sorted(session.hosts - mine)
        if not others or rng.random() >= self.reuse:
            return None
        return rng.choice(others)

    def _free(self, plan: SlotPlan, rng: random.Random, session: _SessionState) -> str:
        if plan.values:
            return self._own_ids(rng.choice(plan.values), rng, session)
        if not has_generator(plan.role.kind) and plan.proposals:
            return rng.choice(plan.proposals)
        return generate(plan.role, rng)

    def _own_ids(self, value: str, rng: random.Random, session: _SessionState) -> str:
        """``value`` with any block or session id in it replaced by this session's own."""
        if not self.bind or not _EMBEDDED_ID.search(value):
            return value

        def own(match: re.Match[str]) -> str:
            kind = ValueKind.BLOCK_ID if match.group().startswith("blk_") else ValueKind.SESSION_ID
            role = kind.value
            if role not in session.binding:
                session.binding[role] = canonical(generate(SlotRole(kind, kind.value, role), rng), kind)
            prefix = "blk_" if kind is ValueKind.BLOCK_ID else "0x"
            return prefix + session.binding[role]

        return _EMBEDDED_ID.sub(own, value)
