"""ALB load balancer capacity units: each hour AWS bills the largest of four dimensions.

AWS's definitions (Elastic Load Balancing pricing, aws.amazon.com/elasticloadbalancing/
pricing, as restated by the price catalog's ELB source, awsnegotiations.com/
elastic-load-balancer-cost.html, May 2026): one LCU is 25 new connections a second,
3,000 active connections a minute, 1 GB processed an hour (0.4 GB for Lambda targets)
or 1,000 rule evaluations a second, where a request's evaluations are the rules
processed beyond the first 10, which are free.

Three of them follow from usage keys: processed bytes from `processed_gb`, new
connections and rule evaluations from `requests_per_month`. Active connections need how
long connections stay open, which no usage key says: not counted. Traffic is taken as
even over the hours the load balancer runs, so the largest hourly figure x the hours is
the largest of the monthly LCU-hours, and the hours cancel out of each dimension.
"""

from __future__ import annotations

from dataclasses import dataclass

from builder.insights.cost import assumptions as A
from builder.insights.cost.pricer import Pricer
from codegen.model import Component

NEW_CONNECTIONS_PER_LCU = 25  # a second
RULE_EVALUATIONS_PER_LCU = 1_000  # a second
FREE_RULES = 10
GB_PER_LCU_HOUR = 1.0  # instance and IP targets (EC2, ECS)
GB_PER_LCU_HOUR_LAMBDA = 0.4
SECONDS_PER_HOUR = 3_600


@dataclass(frozen=True)
class Dimension:
    name: str
    lcu_hours: float  # a month
    driver: str  # the usage key it grows with
    how: str  # the arithmetic, as the line item shows it


def _requests(n: float) -> str:
    return f"{n / 1_000_000:,.6g}M requests"


def dimensions(c: Component, p: Pricer, lambda_targets: bool, rules: int) -> list[Dimension]:
    """The LCU-hours a month of each dimension the usage keys support, largest first.

    `rules` is the listener rules the model adds (one per target after the first).
    """
    requests = c.usage["requests_per_month"]
    gb = c.usage["processed_gb"]
    per_gb = GB_PER_LCU_HOUR_LAMBDA if lambda_targets else GB_PER_LCU_HOUR
    target = "Lambda targets" if lambda_targets else "instance or IP targets"
    per_connection = p.assume(A.ALB_REQUESTS_PER_CONNECTION)
    found = [
        Dimension(
            "processed bytes",
            gb / per_gb,
            "processed_gb",
            f"{gb:,.6g} GB at {per_gb:g} GB per LCU-hour for {target}",
        ),
        Dimension(
            "new connections",
            requests / per_connection / SECONDS_PER_HOUR / NEW_CONNECTIONS_PER_LCU,
            "requests_per_month",
            f"{_requests(requests)} at {per_connection:g} per connection, "
            f"{NEW_CONNECTIONS_PER_LCU} a second per LCU",
        ),
    ]
    if rules > FREE_RULES:
        beyond = (rules - FREE_RULES) * p.assume(A.ALB_RULES_EVALUATED)
        found.append(
            Dimension(
                "rule evaluations",
                requests * beyond / SECONDS_PER_HOUR / RULE_EVALUATIONS_PER_LCU,
                "requests_per_month",
                f"{_requests(requests)} x {beyond:g} rules ({rules} listener rules, the "
                f"first {FREE_RULES} free), {RULE_EVALUATIONS_PER_LCU:,} a second per LCU",
            )
        )
    return sorted(found, key=lambda d: -d.lcu_hours)


def alb_lcus(c: Component, p: Pricer, lambda_targets: bool, rules: int) -> None:
    """One LCU-hour item: the largest dimension, the others named beside it."""
    top, *others = dimensions(c, p, lambda_targets, rules)
    also = [f"{d.name} {d.lcu_hours:,.2f} LCU-hours ({d.how})" for d in others]
    if rules <= FREE_RULES:
        also.append(f"rule evaluations none ({rules} listener rules, the first {FREE_RULES} free)")
    also.append("active connections not estimated")
    p.add(
        c.node_id,
        "ELB",
        "lcu",
        f"Load balancer capacity units, billed on {top.name} ({top.how}); also {'; '.join(also)}",
        top.lcu_hours,
        ("elb", "alb_lcu_per_hour"),
        drivers=(top.driver,),
        parts=tuple(((d.driver,), d.lcu_hours) for d in (top, *others)),
    )
