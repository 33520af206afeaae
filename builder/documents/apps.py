from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "builder.documents"
    label = "documents"
    verbose_name = "Architecture documents"

    def ready(self) -> None:
        # Load and check the catalog now so a bad data file stops start-up, not a request.
        from builder.catalog import get_catalog

        get_catalog()
        # Register the job kinds this app runs.
        from builder.documents import exports  # noqa: F401
