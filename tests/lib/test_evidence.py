"""Canonical serialisation, link hashes and the check of a hash chain (lib/evidence.py)."""

import hashlib
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest


def test_canonical_is_stable_and_plain(evidence):
    a = {"b": 1, "a": "验收", "c": None, "d": True}
    b = {"d": True, "c": None, "a": "验收", "b": 1}
    assert evidence.canonical(a) == evidence.canonical(b)
    assert evidence.canonical(a) == '{"a":"验收","b":1,"c":null,"d":true}'


def test_timestamps_are_utc_iso(evidence):
    naive = datetime(2026, 3, 1, 8, 30, 5, 123456)
    shanghai = datetime(2026, 3, 1, 16, 30, 5, tzinfo=timezone(timedelta(hours=8)))
    assert evidence.normalise(naive) == "2026-03-01T08:30:05Z"
    assert evidence.normalise(shanghai) == "2026-03-01T08:30:05Z"
    assert evidence.normalise(date(2026, 3, 1)) == "2026-03-01"


def test_numbers_are_decimal_strings(evidence):
    assert evidence.normalise(95.0) == "95"
    assert evidence.normalise(0.1) == "0.1"
    assert evidence.normalise(1e-7) == "0.0000001"
    assert evidence.normalise(-0.0) == "0"
    assert evidence.normalise(Decimal("12.50")) == "12.5"
    assert evidence.normalise(7) == 7
    with pytest.raises(ValueError):
        evidence.normalise(float("nan"))


def test_binary_becomes_its_digest(evidence):
    data = b"\x89PNG signature"
    assert evidence.normalise(data) == {"sha256": hashlib.sha256(data).hexdigest()}


def test_collections(evidence):
    assert evidence.normalise((1, 2)) == [1, 2]
    assert evidence.normalise({3, 1, 2}) == [1, 2, 3]
    assert evidence.normalise({"x": [{"b": 1.5}]}) == {"x": [{"b": "1.5"}]}
    with pytest.raises(TypeError):
        evidence.normalise(object())


def test_link_hash_covers_every_part(evidence):
    base = evidence.link_hash("ab", 3, "gate_passage", {"a": 1})
    assert len(base) == 64
    assert base == evidence.link_hash("ab", 3, "gate_passage", '{"a":1}')
    assert base != evidence.link_hash("ac", 3, "gate_passage", {"a": 1})
    assert base != evidence.link_hash("ab", 4, "gate_passage", {"a": 1})
    assert base != evidence.link_hash("ab", 3, "return_visit", {"a": 1})
    assert base != evidence.link_hash("ab", 3, "gate_passage", {"a": 2})
    # parts are length-prefixed: moving a character between parts changes the hash
    assert evidence.link_hash("a", 1, "bc", "{}") != evidence.link_hash("ab", 1, "c", "{}")


def _chain(evidence, n=5):
    return evidence.chain("acceptance", [{"n": i, "who": "张三"} for i in range(n)])


def test_an_intact_chain_verifies(evidence):
    links = _chain(evidence)
    assert [link["seq"] for link in links] == [1, 2, 3, 4, 5]
    assert evidence.verify(links) is None
    assert evidence.verify([]) is None
    more = evidence.chain("acceptance", [{"n": 5}], prev_hash=links[-1]["hash"], start=6)
    assert evidence.verify(links + more) is None


def test_changed_content_is_the_first_broken_link(evidence):
    links = _chain(evidence)
    links[2] = dict(links[2], payload='{"n":2,"who":"李四"}')
    broken = evidence.verify(links)
    assert (broken.index, broken.seq, broken.reason) == (2, 3, "hash")


def test_changed_hash_breaks_the_next_link(evidence):
    links = _chain(evidence)
    links[1] = dict(links[1], hash="0" * 64)
    broken = evidence.verify(links)
    assert (broken.seq, broken.reason) == (2, "hash")


def test_recomputed_link_breaks_the_next(evidence):
    links = _chain(evidence)
    forged = evidence.chain("acceptance", ['{"forged":1}'], links[0]["hash"], start=2)[0]
    links[1] = forged
    broken = evidence.verify(links)
    assert (broken.seq, broken.reason) == (3, "prev")


def test_deleted_link_is_a_gap(evidence):
    links = _chain(evidence)
    del links[2]
    broken = evidence.verify(links)
    assert (broken.index, broken.expected_seq, broken.seq, broken.reason) == (2, 3, 4, "gap")


def test_reordered_links_are_detected(evidence):
    links = _chain(evidence)
    links[1], links[2] = links[2], links[1]
    broken = evidence.verify(links)
    assert (broken.index, broken.reason) == (1, "gap")
    # sequence numbers swapped as well: the links no longer point at each other
    links = _chain(evidence)
    a, b = links[1], links[2]
    links[1] = dict(b, seq=2)
    links[2] = dict(a, seq=3)
    broken = evidence.verify(links)
    assert (broken.seq, broken.reason) == (2, "prev")


def test_repeated_link_is_out_of_order(evidence):
    links = _chain(evidence)
    links.insert(2, links[1])
    broken = evidence.verify(links)
    assert (broken.index, broken.reason) == (2, "order")


def test_kind_is_part_of_the_link(evidence):
    links = _chain(evidence)
    for link in links:
        link["kind"] = None
    assert evidence.verify(links, kind="acceptance") is None
    assert evidence.verify(links, kind="return_visit").reason == "hash"
