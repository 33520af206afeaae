from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "builder.insights"
    label = "insights"
    verbose_name = "Cost and security insights"

    def ready(self) -> None:
        # Load and check the security rules now, so a bad rule file stops start-up.
        from builder.insights.security import get_rules

        get_rules()
        # Load and check the price catalog against what the cost engine asks for.
        from builder.insights.cost import price_book

        price_book()
        # Register the job kinds this app runs.
        from builder.insights import tasks_cost, tasks_security  # noqa: F401
