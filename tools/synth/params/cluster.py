"""The run's cluster: one fixed set of peer machines that every synthetic session draws its peers from.

A deployment has a fixed set of machines. loghub's HDFS sample prints 202 distinct IPs (datanodes,
nearly all on port 50010), its ZooKeeper sample 32 (three servers on 2181/3888, and clients).
Peers drawn afresh for every session would give one synthetic run thousands of addresses that no
deployment prints, and would teach an argument-aware detector that any address is normal. So the
peers of a run come from one cluster:

- hosts are the IPs real logs printed in any address or IP slot, when there are any (the real
  cluster); otherwise ``size`` hosts in one private /16, drawn from the seed;
- a host's name (``HOST`` slots) is tied to its IP by position, ``node-<i>.cluster.local``;
- every address role (``src``, ``remoteSocketAddress``, ...) has one port for the whole run, a
  service port, or an ephemeral port drawn per session for client-side roles. Service ports are
  the ports real logs printed on two or more hosts (2181 and 3888 for ZooKeeper, 50010 for HDFS
  datanodes), else common defaults.

Within a session, distinct roles get distinct hosts while the cluster has enough of them (``src``
and ``dest`` of one pipeline are two machines), unless the real sessions print their hosts again:
then a role takes one of the session's hosts it has not printed yet as often as real sessions
reuse one (``PeerReuse``), so a block's datanodes are the same three in every line of it.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from anomalygen.tools.synth.params.roles import SlotRole, ValueKind

DEFAULT_SIZE = 16
"""Hosts of a generated cluster: a small rack, enough for distinct peers in every session."""
MAX_SIZE = 4096
"""Largest generated cluster (a /16 has room for 65,024 hosts; nothing needs that many)."""
PEER_KINDS = frozenset({ValueKind.ADDRESS, ValueKind.IP, ValueKind.HOST})
"""Slot kinds drawn from the cluster (server ids are already a small range, 1-5)."""
SERVICE_PORTS = ("2181", "2888", "3888", "50010", "8020", "9000", "8080")
_EPHEMERAL = range(30000, 61000)
_CLIENT_WORDS = ("client", "remote", "cnxn", "conn", "sock", "src", "source", "from", "peer")
"""Role names that are usually the connecting side, printed with an ephemeral port."""
_IPV4 = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(?![\d.])(?::(\d{1,5})\b)?")
"""An IPv4 address and, when it is a socket address, its port."""
_WILDCARD = "0.0.0.0"


@dataclass(frozen=True, slots=True)
class Cluster:
    hosts: tuple[str, ...]
    """Host IPs, without the leading ``/`` of ``InetAddress.toString()``."""
    seed: int = 0
    observed: bool = False
    """True when ``hosts`` are the IPs real logs printed."""
    service_ports: tuple[str, ...] = SERVICE_PORTS
    _index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.hosts:
            raise ValueError("a cluster needs at least one host")
        object.__setattr__(self, "_index", {ip: i for i, ip in enumerate(self.hosts)})

    def name(self, index: int) -> str:
        return f"node-{index + 1}.cluster.local"

    def port(self, role: str) -> str | None:
        """The run's port for an address role; None: an ephemeral port, new in every session."""
        rng = random.Random(f"{self.seed}:port:{role}")
        if any(word in role for word in _CLIENT_WORDS) and rng.random() < 0.7:
            return None
        return rng.choice(self.service_ports)

    def draw(self, role: SlotRole, rng: random.Random, taken: set[int]) -> str:
        """A peer value for ``role`` (a PEER_KINDS role), on a host not in ``taken`` while one is
        left; the host's index is added to ``taken``."""
        index = self.free_host(rng, taken)
        taken.add(index)
        return self.draw_at(role, rng, index)

    def free_host(self, rng: random.Random, taken: set[int]) -> int:
        """A host not in ``taken`` while one is left."""
        free = [i for i in range(len(self.hosts)) if i not in taken] or list(range(len(self.hosts)))
        return rng.choice(free)

    def draw_at(self, role: SlotRole, rng: random.Random, index: int) -> str:
        """``role``'s value on host ``index``: its IP, name or socket address with the role's port."""
        ip = self.hosts[index]
        if role.kind is ValueKind.HOST:
            return ip if self.observed else self.name(index)
        if role.kind is ValueKind.IP:
            return f"/{ip}"
        port = self.port(role.role or role.name) or str(rng.choice(_EPHEMERAL))
        return f"/{ip}:{port}"

    def claim(self, value: str, taken: set[int]) -> None:
        """Mark the host a real peer value names as used in the session (no other role gets it)."""
        taken.update(self.indices(value))

    def indices(self, value: str) -> list[int]:
        """The cluster hosts ``value`` names."""
        return [self._index[ip] for ip, _port in _IPV4.findall(value) if ip in self._index]

    def rehost(self, value: str, index: int) -> str:
        """A real peer value moved to host ``index``, its shape (slash, port) kept."""
        match = _IPV4.search(value)
        if match is None:
            return value
        return value[:match.start(1)] + self.hosts[index] + value[match.end(1):]


def hosts_in(value: str) -> list[str]:
    """The IPv4 hosts a printed value names (a socket address, an IP), a bind-all address left out."""
    return [ip for ip, _port in _IPV4.findall(value) if ip != _WILDCARD]


@dataclass(slots=True)
class PeerReuse:
    """How often real sessions print a host again: a printed host could be a reuse once another
    slot of its session printed a host, and is one when it is among those (HDFS prints a block's
    three datanodes again and again: receiving, received, added to the block map, deleted from).
    Fed one session at a time, line by line; holds only the current session's hosts."""

    reused: int = 0
    possible: int = 0
    _printed_by: dict[str, set[tuple[str, int]]] = field(default_factory=dict)

    def new_session(self) -> None:
        self._printed_by = {}

    def add(self, statement: str, values: Sequence[str]) -> None:
        for index, value in enumerate(values):
            slot = (statement, index)
            for host in hosts_in(value):
                if any(host_slots - {slot} for host_slots in self._printed_by.values()):
                    self.possible += 1
                    self.reused += bool(self._printed_by.get(host, set()) - {slot})
                self._printed_by.setdefault(host, set()).add(slot)


def cluster_for(observed_values: Iterable[str], seed: int, size: int = DEFAULT_SIZE) -> Cluster:
    """The cluster of a run: the IPs in ``observed_values`` (real peer slot values, first seen
    first) when there are any, else ``size`` hosts generated from ``seed``."""
    hosts: dict[str, None] = {}
    port_hosts: dict[str, set[str]] = {}
    for value in observed_values:
        for ip, port in _IPV4.findall(value):
            if ip == _WILDCARD:  # a server's bind address, not a machine
                continue
            hosts.setdefault(ip, None)
            if port:
                port_hosts.setdefault(port, set()).add(ip)
    if hosts:
        # A port printed on one host only is a client's ephemeral port, not a service.
        shared = sorted((p for p, ips in port_hosts.items() if len(ips) >= 2),
                        key=lambda p: (-len(port_hosts[p]), p))
        return Cluster(tuple(hosts), seed, observed=True, service_ports=tuple(shared) or SERVICE_PORTS)
    if not 1 <= size <= MAX_SIZE:
        raise ValueError(f"cluster size must be 1..{MAX_SIZE}, got {size}")
    rng = random.Random(f"{seed}:cluster")
    subnet = rng.randint(0, 255)
    generated: dict[str, None] = {}
    while len(generated) < size:
        generated.setdefault(f"10.{subnet}.{rng.randint(0, 255)}.{rng.randint(1, 254)}", None)
    return Cluster(tuple(generated), seed)
