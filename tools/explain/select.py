"""Pick one session's lines out of a matched log: every line that names the session's identifier.

An identifier is any token a session is keyed by in practice: an HDFS block (``blk_-123``), a
ZooKeeper session (``0x14f05578bf80000``), a request id. A line belongs to the session when the id
appears in it as a whole token (``blk_1`` does not select ``blk_12``), which is loghub's HDFS rule:
a line naming two blocks belongs to both.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from anomalygen.tools.logs.match import MatchedLine
from anomalygen.tools.logs.sessions import HDFS_BLOCK, ZK_SESSION

_ID_PATTERNS = (re.compile(HDFS_BLOCK), re.compile(ZK_SESSION))
MAX_ID_LENGTH = 200


def _token(session_id: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])" + re.escape(session_id) + r"(?![\w])")


def select_session(lines: Iterable[MatchedLine], session_id: str) -> list[MatchedLine]:
    """The lines whose message (or whole text) names ``session_id`` as a token, in log order."""
    session_id = session_id.strip()
    if not session_id or len(session_id) > MAX_ID_LENGTH:
        raise ValueError(f"a session id is 1 to {MAX_ID_LENGTH} characters, got {len(session_id)}")
    token = _token(session_id)
    return [line for line in lines if token.search(line.entry.text) or token.search(line.entry.message)]


def session_ids(lines: Iterable[MatchedLine], top: int = 20) -> list[tuple[str, int]]:
    """Block and ZooKeeper session ids the lines name, with their line counts, most lines first."""
    counts: Counter[str] = Counter()
    for line in lines:
        found: set[str] = set()
        for pattern in _ID_PATTERNS:
            found.update(pattern.findall(line.entry.message))
        counts.update(found)
    return counts.most_common(top)
