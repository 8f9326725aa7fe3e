"""``python manage.py sweep_stuck_work``: queue again, or fail, jobs and reports that stopped.

Celery beat runs the same sweep every ``STUCK_SWEEP_SECONDS``; this command is for a deployment
without beat (cron) and for operators.
"""

from django.core.management.base import BaseCommand

from reports.services.sweep import stuck_work_sweep


class Command(BaseCommand):
    help = (
        "Queue again the ingestion jobs and reports stuck past their deadlines (STUCK_* "
        "settings); fail those that stopped too often, with the reason."
    )

    def handle(self, *args, **options):
        result = stuck_work_sweep()
        self.stdout.write(
            f"jobs queued again: {result.jobs_requeued}, jobs failed: {result.jobs_failed}, "
            f"reports queued again: {result.reports_requeued}, "
            f"reports failed: {result.reports_failed}"
        )
