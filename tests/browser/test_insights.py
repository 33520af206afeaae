"""Cost and security hints on the canvas, on the container platform template."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import unique
from tests.browser.steps import create_project, open_panel, sign_up

pytestmark = pytest.mark.browser

# Findings of the template (tests/insights cover the rules themselves): the secret's
# rotation has a one-click fix; plain HTTP on the public load balancer has none.
FIXABLE = ("CW-SECRET-001", "app_credentials")
UNFIXABLE = ("CW-ALB-001", "alb")


# The text of the elements whose text runs over more than one line.
WRAPPED_TEXT = """elements => elements.filter(e => {
  const range = document.createRange();
  range.selectNodeContents(e);
  return range.getClientRects().length > 1;
}).map(e => e.textContent)"""


def finding(page, rule_id: str, node_id: str):
    return page.locator(f"[data-testid=finding][data-rule='{rule_id}'][data-node='{node_id}']")


def test_cost_and_hints_on_a_template(new_page):
    page = new_page()
    sign_up(page, unique("tess"))
    create_project(page, "Platform")
    page.get_by_test_id("template").filter(has_text="Container platform").click()
    expect(page.get_by_test_id("connection-status")).to_contain_text("Live")

    open_panel(page, "Cost")
    expect(page.get_by_test_id("cost-total")).to_have_text(re.compile(r"^\$[1-9][\d,]*\.\d\d"))
    expect(page.get_by_test_id("forecast-chart")).to_be_visible()
    expect(page.locator("[data-node-id=alb] [data-testid=cost-badge]")).to_contain_text("/mo")

    open_panel(page, "Hints")
    fixable = finding(page, *FIXABLE)
    expect(page.locator("[data-node-id=app_credentials] [data-testid=hint-badge]")).to_be_visible()
    # A rule id is one token on one line, however long the title next to it.
    wrapped = page.eval_on_selector_all(".finding .rule-id", WRAPPED_TEXT)
    assert wrapped == [], wrapped
    fixable.click()
    fixable.get_by_role("button", name="Fix").click()
    notice = page.get_by_test_id("notice-info").filter(has_text="You applied a security fix")
    expect(notice).to_be_visible()
    expect(fixable).to_have_count(0)

    unfixable = finding(page, *UNFIXABLE)
    unfixable.get_by_role("button", name="Suppress").click()
    unfixable.get_by_label("Reason").fill("TLS ends at the CDN in front of it")
    unfixable.get_by_role("button", name="Suppress finding").click()
    expect(unfixable).to_have_class(re.compile(r"\bsuppressed\b"))
    expect(unfixable.get_by_test_id("suppression")).to_contain_text(
        "TLS ends at the CDN in front of it"
    )

    page.reload()
    open_panel(page, "Hints")
    expect(finding(page, *UNFIXABLE)).to_have_class(re.compile(r"\bsuppressed\b"))
    expect(finding(page, *FIXABLE)).to_have_count(0)
