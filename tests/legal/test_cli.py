"""`flask legal list`: the catalogue on the command line."""

import json

from campaign.legal.catalogue import catalogue


def test_legal_list_prints_one_line_per_provision(runner):
    result = runner.invoke(args=["legal", "list"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == len(catalogue().provisions)
    line = next(x for x in lines if x.startswith("gc3-art118\t"))
    assert line.split("\t")[1] == "Article 118 GC III"
    assert "verified 2026-11-29" in line and line.endswith("contested")


def test_legal_list_as_json_carries_sources_and_readings(runner):
    result = runner.invoke(args=["legal", "list", "--format", "json"])
    assert result.exit_code == 0
    entries = {e["id"]: e for e in json.loads(result.output)}
    assert set(entries) == set(catalogue().provisions)
    assert entries["cihl-128"]["contested"] == ["captured-after-ceasefire",
                                                "prosecution-exception"]
    assert entries["api-art34"]["verified"] is False and entries["api-art34"]["caveat"]
    assert all(e["url"] for e in entries.values())


def test_an_unknown_format_is_refused_with_the_choices(runner):
    result = runner.invoke(args=["legal", "list", "--format", "xml"])
    assert result.exit_code == 2
    assert "'text', 'json'" in result.output or "text, json" in result.output
