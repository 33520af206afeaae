"""`manage.py sweep_jobs`: fail running jobs whose worker stopped sending heartbeats."""

from django.core.management.base import BaseCommand

from builder.documents.jobs import sweep_stale_jobs


class Command(BaseCommand):
    help = "Mark jobs whose worker died as failed."

    def handle(self, *args, **options):
        self.stdout.write(f"{sweep_stale_jobs()} stale jobs marked failed")
