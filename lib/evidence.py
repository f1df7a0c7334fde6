# Copyright 2026 Tech Service Quality contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Hash chains over evidence records: canonical serialisation, link hash, check.

Plain Python, standard library only (no Odoo import).

* :func:`canonical` turns a record's meaning (a dict of plain values) into one
  text that does not depend on the order of the fields, the time zone of the
  server or the representation of numbers: keys sorted, no spaces, UTF-8;
  timestamps in UTC ISO 8601 with a ``Z``; dates ISO; floats and decimals as
  decimal strings (``0.1``, ``95``, never ``9.5e1``); ``None`` as ``null``;
  binary content (``bytes``) as ``{"sha256": "<hex digest>"}``; tuples and sets as
  lists (sets sorted).
* :func:`link_hash` chains one link: ``sha256(prev_hash, seq, kind, payload)``.
* :func:`verify` recomputes a chain and returns its first broken link.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

GENESIS = ""  # the "previous hash" of a chain's first link
_PLAIN = frozenset({str, int, bool, type(None)})
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _decimal_string(value) -> str:
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "") else text


def normalise(value):
    """``value`` as plain JSON data, the one way :func:`canonical` writes it."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is dict:
        return {
            str(key): item if type(item) in _PLAIN else normalise(item)
            for key, item in value.items()
        }
    if isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        return _decimal_string(value)
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        # a naive timestamp is UTC (Odoo stores every Datetime in UTC)
        return value.isoformat(timespec="seconds") + "Z"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return {"sha256": hashlib.sha256(bytes(value)).hexdigest()}
    if isinstance(value, dict):
        return {str(key): normalise(item) for key, item in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((normalise(item) for item in value), key=_sort_key)
    if isinstance(value, list | tuple):
        return [normalise(item) for item in value]
    raise TypeError(f"cannot serialise {type(value).__name__} in an evidence payload")


def _sort_key(item):
    return json.dumps(item, sort_keys=True, ensure_ascii=False)


def canonical(payload) -> str:
    """The canonical text of ``payload`` (a dict of the fields that make a record's meaning)."""
    return _ENCODER.encode(normalise(payload))


def link_hash(prev_hash: str | None, seq: int, kind: str, payload) -> str:
    """The hash of link ``seq`` of chain ``kind``: sha256 over the previous link's
    hash, the sequence number, the kind and the canonical payload (``payload`` is a
    dict, or a text :func:`canonical` already made)."""
    text = payload if isinstance(payload, str) else canonical(payload)
    parts = [part.encode() for part in (prev_hash or GENESIS, str(int(seq)), kind, text)]
    return hashlib.sha256(b"".join(b"%d:%s;" % (len(data), data) for data in parts)).hexdigest()


@dataclass(frozen=True)
class Broken:
    """The first link of a chain that does not hold: its position in the rows
    given, the sequence number expected there, the row's own sequence number
    and why (``gap``: a link is missing, ``order``: links out of order or
    repeated, ``prev``: the link does not point at the one before it, ``hash``:
    its content or hash was changed)."""

    index: int
    expected_seq: int
    seq: int | None
    reason: str


def verify(rows, kind: str | None = None) -> Broken | None:
    """Recompute a chain and return its first broken link, or None if it holds.

    ``rows`` are the chain's links in stored order (by sequence), each a mapping
    with ``seq``, ``prev_hash``, ``hash``, ``payload`` (the canonical text or a
    dict) and ``kind`` (or the ``kind`` argument for all of them). The first link
    has sequence 1 and points at :data:`GENESIS`."""
    prev = GENESIS
    expected = 1
    for index, row in enumerate(rows):
        seq = row["seq"]
        if seq != expected:
            return Broken(index, expected, seq, "gap" if seq > expected else "order")
        if (row["prev_hash"] or GENESIS) != prev:
            return Broken(index, expected, seq, "prev")
        if link_hash(prev, seq, row.get("kind") or kind, row["payload"]) != row["hash"]:
            return Broken(index, expected, seq, "hash")
        prev = row["hash"]
        expected += 1
    return None


def chain(kind: str, payloads, prev_hash: str | None = None, start: int = 1):
    """Links for ``payloads`` appended after ``prev_hash`` from sequence ``start``:
    a list of dicts (seq, prev_hash, hash, payload as canonical text)."""
    links = []
    prev = prev_hash or GENESIS
    for offset, payload in enumerate(payloads):
        text = payload if isinstance(payload, str) else canonical(payload)
        seq = start + offset
        digest = link_hash(prev, seq, kind, text)
        links.append({"seq": seq, "prev_hash": prev, "hash": digest, "payload": text, "kind": kind})
        prev = digest
    return links
