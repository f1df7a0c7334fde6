"""Tests of lib/charts.py: the inline SVG charts (no Odoo needed)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_sparkline_points_colours_and_target(charts):
    points = [("2024-01", 80.0, "missed"), ("2024-02", None, "no_data"), ("2024-03", 95.0, "met")]
    root = _parse(charts.sparkline(points, 90.0))
    circles = root.findall(f"{SVG}circle")
    assert len(circles) == 2, "a month without data draws no point"
    assert [c.get("fill") for c in circles] == [charts.MISSED, charts.MET]
    assert circles[0].find(f"{SVG}title").text == "2024-01: 80.0 %"
    line = root.find(f"{SVG}polyline")
    assert line.get("stroke") == charts.MET, "the line takes the latest point's colour"
    target = root.find(f"{SVG}line")
    assert target.get("stroke-dasharray") == "3,3"
    labels = [t.text for t in root.findall(f"{SVG}text")]
    assert labels == ["2024-01", "2024-03"]


def test_sparkline_without_data_is_empty(charts):
    assert charts.sparkline([("2024-01", None, "no_data")], 90.0) == ""


def test_trend_leaves_gaps_and_escapes_labels(charts):
    points = [("<a>", 50.0), ("b", 60.0), ("c", None), ("d", 70.0), ("e", 80.0)]
    svg = charts.svg_trend(points, target=75.0)
    root = _parse(svg)
    assert len(root.findall(f"{SVG}polyline")) == 2, "a gap splits the line"
    assert len(root.findall(f"{SVG}circle")) == 4
    assert "&lt;a&gt;" in svg
    dashed = [ln for ln in root.findall(f"{SVG}line") if ln.get("stroke-dasharray")]
    assert len(dashed) == 1, "the target"


def test_columns_and_bars(charts):
    root = _parse(charts.svg_columns([("01", 2), ("02", 0), ("03", 4)]))
    assert len(root.findall(f"{SVG}rect")) == 3
    rows = [
        {"name": "A", "has_data": True, "value": 95.0, "status": "met", "target": 90.0},
        {"name": "B", "has_data": False, "value": None, "status": "no_data", "target": None},
    ]
    svg = charts.svg_indicator_bars(rows, "no data", "Value", "Target")
    root = _parse(svg)
    assert "no data" in svg
    fills = [r.get("fill") for r in root.findall(f"{SVG}rect")]
    assert fills[0] == charts.MET
