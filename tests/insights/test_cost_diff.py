"""The cost difference between two versions of a document, per node and in total."""

from __future__ import annotations

import pytest

from builder.insights.cost import diff
from builder.insights.cost.render import diff_json
from tests.insights.cost_documents import node, price

FN = {"tracing": False}
SMALL = node("fn", "lambda.function", props={**FN, "memory_mb": 256})
BIG = node("fn", "lambda.function", props={**FN, "memory_mb": 512})
QUEUE = node("queue", "sqs.queue")
TOPIC = node("topic", "sns.topic")
BUCKET = node("bucket", "s3.bucket")


def test_diff_reports_added_removed_and_changed_nodes_with_deltas():
    before = price(SMALL, QUEUE, TOPIC)
    after = price(BIG, TOPIC, BUCKET)
    result = diff(before, after)
    nodes = {n.node_id: n for n in result.nodes}
    assert {k: n.status for k, n in nodes.items()} == {
        "fn": "changed",
        "queue": "removed",
        "topic": "unchanged",
        "bucket": "added",
    }
    # 256 -> 512 MB doubles compute: 50,000 -> 100,000 GB-s x $0.0000133334 = +$0.66667
    assert nodes["fn"].delta == pytest.approx(0.66667)
    assert [(c.code, c.delta) for c in nodes["fn"].items] == [("duration", pytest.approx(0.66667))]
    assert nodes["queue"].delta == pytest.approx(-0.40)  # 1M requests x $0.40 gone
    # $0.23 + $0.50 + $0.40 + $0.90, and its server access logs $0.0138 + $0.138
    # (tests/insights/test_cost_templates.py, S3_DEFAULT)
    assert nodes["bucket"].delta == pytest.approx(2.1818)
    assert result.delta == pytest.approx(0.66667 - 0.40 + 2.1818)
    assert result.delta == pytest.approx(after.monthly_total - before.monthly_total)


def test_diff_json_leaves_out_unchanged_nodes():
    shown = diff_json(diff(price(SMALL, TOPIC), price(BIG, TOPIC)))
    assert [n["node_id"] for n in shown["nodes"]] == ["fn"]
    assert shown["delta"] == pytest.approx(0.6667, abs=1e-4)


def test_a_price_missing_on_one_side_makes_the_item_delta_unknown():
    before = price(QUEUE, region="us-east-1")
    after = price(QUEUE, region="eu-west-1")
    [change] = diff(before, after).nodes[0].items
    assert change.before == pytest.approx(0.40)
    assert change.after is None and change.delta is None
