"""Cost and security endpoints (api_security.py; cost appends its own)."""

from django.urls import path

from builder.insights import api_cost, api_security

urlpatterns: list = [
    # Security (api_security.py).
    path("scan/", api_security.ScanView.as_view(), name="scan"),
    path("security/rules/", api_security.RuleListView.as_view(), name="security-rules"),
    path(
        "architectures/<int:architecture_id>/findings/",
        api_security.FindingListView.as_view(),
        name="finding-list",
    ),
    path(
        "architectures/<int:architecture_id>/findings/apply-fix/",
        api_security.ApplyFixView.as_view(),
        name="finding-apply-fix",
    ),
    path(
        "architectures/<int:architecture_id>/suppressions/",
        api_security.SuppressionListView.as_view(),
        name="suppression-list",
    ),
    path(
        "architectures/<int:architecture_id>/suppressions/<int:suppression_id>/",
        api_security.SuppressionDetailView.as_view(),
        name="suppression-detail",
    ),
    path(
        "architectures/<int:architecture_id>/deep-scans/",
        api_security.DeepScanView.as_view(),
        name="deep-scan",
    ),
    # Cost (api_cost.py).
    path("estimate/", api_cost.EstimateView.as_view(), name="estimate"),
    path(
        "architectures/<int:architecture_id>/estimate/",
        api_cost.ArchitectureEstimateView.as_view(),
        name="architecture-estimate",
    ),
    path(
        "architectures/<int:architecture_id>/estimate.csv",
        api_cost.ArchitectureEstimateCsvView.as_view(),
        name="architecture-estimate-csv",
    ),
    path(
        "architectures/<int:architecture_id>/cost-diff/",
        api_cost.CostDiffView.as_view(),
        name="architecture-cost-diff",
    ),
]
