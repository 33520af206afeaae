"""Forecasts on their own: growth per key and for the whole document, scenarios."""

from __future__ import annotations

import pytest

from builder.insights.cost import SCENARIOS, GrowthInvalid, forecast, parse_growth, scenarios
from tests.insights.cost_documents import NETWORK, node, price

# $0.40 secret (fixed) + 10,000 API calls / 10,000 x $0.05 = $0.05 (grows with api calls);
# 10M queue requests x $0.40 per 1M = $4.00 (grows with requests).
SECRET_AND_QUEUE = (
    node("secret", "secretsmanager.secret"),
    node("queue", "sqs.queue", usage={"requests_per_month": 10_000_000}),
)


def test_without_growth_every_month_costs_the_estimate():
    est = price(*SECRET_AND_QUEUE)
    assert forecast(est) == pytest.approx([4.45] * 12)


def test_document_wide_growth_compounds_on_workload_and_leaves_fixed_fees_flat():
    totals = forecast(price(*SECRET_AND_QUEUE), parse_growth(0.10))
    assert len(totals) == 12
    # month m: $0.40 + ($4.00 + $0.05) x 1.1^(m-1); month 12: 0.40 + 4.05 x 2.8531167 = 11.9551
    assert totals[0] == pytest.approx(4.45)
    assert totals[1] == pytest.approx(0.40 + 4.05 * 1.1)
    assert totals[11] == pytest.approx(0.40 + 4.05 * 1.1**11)


def test_growth_for_one_usage_key_moves_only_what_it_drives():
    totals = forecast(price(*SECRET_AND_QUEUE), parse_growth({"requests_per_month": 0.5}))
    # only the queue grows: $0.45 + $4.00 x 1.5^(m-1)
    assert totals[2] == pytest.approx(0.45 + 4.00 * 1.5**2)


def test_an_item_driven_by_two_keys_grows_by_both():
    fn = node(
        "fn",
        "lambda.function",
        props={"tracing": False, "log_retention_days": 1},
        usage={"invocations_per_month": 1_000_000, "avg_duration_ms": 1000},
    )
    est = price(fn)
    growth = parse_growth({"invocations_per_month": 0.1, "avg_duration_ms": 0.1})
    # month 2 compute: 1,000,000 x 1 s x 0.25 GB = 250,000 GB-s x $0.0000133334 = $3.33335,
    # grown by 1.1 x 1.1; requests ($0.20) and logs (1 GB x $0.50 + 1/30 GB-month x
    # $0.03) grow by invocations alone.
    others = 0.20 + 0.50 + 0.03 / 30
    assert forecast(est, growth)[1] == pytest.approx(3.33335 * 1.21 + others * 1.1)
    # "*" leaves the per-invocation duration alone: compute grows with invocations only
    assert forecast(est, parse_growth(0.1))[1] == pytest.approx((3.33335 + others) * 1.1)


def test_scenarios_bracket_the_workload_and_its_growth():
    est = price(*SECRET_AND_QUEUE)
    series = scenarios(est, parse_growth(0.10))
    assert [s.name for s in SCENARIOS] == ["low", "expected", "high"]
    # low: half the workload, half the growth: $0.40 + $4.05 x 0.5 x 1.05^(m-1)
    assert series["low"][0] == pytest.approx(0.40 + 4.05 * 0.5)
    assert series["low"][3] == pytest.approx(0.40 + 4.05 * 0.5 * 1.05**3)
    # high: double the workload, 1.5 x the growth: $0.40 + $4.05 x 2 x 1.15^(m-1)
    assert series["high"][3] == pytest.approx(0.40 + 4.05 * 2 * 1.15**3)
    assert series["expected"] == forecast(est, parse_growth(0.10))


def test_the_free_tier_is_reapplied_to_each_months_quantities():
    fn = node(
        "fn",
        "lambda.function",
        props={"tracing": False, "memory_mb": 128},
        usage={"invocations_per_month": 500_000, "avg_duration_ms": 1},
    )
    growth = parse_growth({"invocations_per_month": 1.0})  # doubles each month
    listed = forecast(price(fn), growth)
    free = forecast(price(fn, free_tier=True), growth)
    for month, invocations in enumerate((500_000, 1_000_000, 2_000_000, 4_000_000)):
        # the allowance saves min(invocations, 1M) requests at $0.20 per 1M, and all the
        # compute (invocations x 1 ms x 0.125 GB, well under 400,000 GB-s)
        saved = min(invocations, 1_000_000) / 1e6 * 0.20 + invocations * 0.000125 * 0.0000133334
        assert listed[month] - free[month] == pytest.approx(saved)


def test_sampled_traces_stop_growing_linearly_past_the_reservoir():
    api = node(
        "api",
        "apigateway.rest_api",
        props={"access_logging": False},
        usage={"requests_per_month": 2_000_000},
    )
    totals = forecast(price(api), parse_growth(1.0))
    # month 1: 2M x $3.50 + 2M traces x $5.00 = $17.00
    # month 2: 4M x $3.50 = $14.00; traces 2,628,000 + 5% x 1,372,000 = 2,696,600 x $5/1M
    assert totals[0] == pytest.approx(17.00)
    assert totals[1] == pytest.approx(14.00 + 2.6966 * 5)


@pytest.mark.parametrize(
    ("growth", "field"),
    [
        ("fast", "growth"),
        (True, "growth"),
        (11, "growth"),
        ({"hours_per_month": 0.1}, "growth.hours_per_month"),
        ({"requests_per_day": 0.1}, "growth.requests_per_day"),
        ({"*": -1.5}, "growth.*"),
    ],
)
def test_unusable_growth_names_the_field(growth, field):
    with pytest.raises(GrowthInvalid) as caught:
        parse_growth(growth)
    assert caught.value.field == field


def test_alb_lcus_follow_whichever_dimension_is_largest_each_month():
    alb = node(
        "alb",
        "elbv2.application_load_balancer",
        "vpc",
        props={"internet_facing": False, "access_logs": False},
        usage={"requests_per_month": 360_000_000},
    )
    est = price(alb, *NETWORK)
    # $16.425 of hours; LCUs: 360M requests / 360,000 = 1,000 LCU-h of new connections
    # over 100 GB = 100 LCU-h of processed bytes. Doubling processed_gb each month, bytes
    # reach 100 x 2^4 = 1,600 LCU-h in month 5 and bill from then on.
    totals = forecast(est, parse_growth({"processed_gb": 1.0}))
    lcu_hours = [1000, 1000, 1000, 1000, 1600, 3200]
    assert totals[:6] == pytest.approx([16.425 + h * 0.008 for h in lcu_hours])
