from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "builder.insights"
    label = "insights"
    verbose_name = "Cost and security insights"

    def ready(self) -> None:
        # Load and check the security rules now, so a bad rule file stops start-up.
        from builder.insights.security import get_rules

        get_rules()
        # Register the job kinds this app runs.
        from builder.insights import tasks_security  # noqa: F401
