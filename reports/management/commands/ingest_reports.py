"""``python manage.py ingest_reports PATH...``: bulk-load files, folders, globs, zips, manifests."""

import os
import sys
import time
from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from config.celery_app import app as celery_app
from reports.errors import DomainError
from reports.models import IngestionJob, IngestionOutcome
from reports.search.index import reindex
from reports.selectors import ingestion_job_wait, ingestion_outcome_problems, report_list
from reports.services.ingest import (
    ingest_paths,
    ingestion_job_create,
    ingestion_job_enqueue,
    ingestion_job_finish,
    ingestion_job_resume,
)
from reports.services.retry import TRANSIENT_DB_ERRORS

NOT_INGESTED = (
    IngestionOutcome.Status.FAILED,
    IngestionOutcome.Status.DUPLICATE,
    IngestionOutcome.Status.NEAR_DUPLICATE,  # ingested, but flagged: worth a line too
)


class Command(BaseCommand):
    help = (
        "Ingest report files (txt in any encoding, html, docx, pdf), folders (recursively), "
        "globs, .zip archives and .jsonl manifests; each report is then parsed."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", metavar="PATH")
        parser.add_argument(
            "--manifest",
            action="append",
            default=[],
            metavar="FILE",
            help="a JSONL manifest (one {path, metadata…} object per line, paths relative to "
            "it), whatever its name; a PATH ending in .jsonl is read as one too",
        )
        parser.add_argument(
            "--allow-outside",
            action="append",
            default=[],
            metavar="ROOT",
            help="let manifest paths and symlinks in folders lead into ROOT (repeatable); "
            "by default they must stay in the manifest's or the folder's own folder",
        )
        parser.add_argument(
            "--resume",
            type=int,
            metavar="JOB",
            help="go on with job JOB where it stopped: the files of its paths and manifests "
            "that have no outcome yet are ingested (give no PATH)",
        )
        parser.add_argument(
            "--async",
            dest="run_async",
            action="store_true",
            help="queue the load on a Celery worker and print the job id",
        )
        parser.add_argument(
            "--wait", action="store_true", help="wait until every report is parsed or failed"
        )
        parser.add_argument("--timeout", type=float, default=3600.0, help="seconds for --wait")
        parser.add_argument("--label", default="", help="what the job is (default: the paths)")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")
        parser.add_argument(
            "--only-if-empty",
            action="store_true",
            help="do nothing (and record no job) when the database already holds reports",
        )
        parser.add_argument(
            "--defer-index",
            action="store_true",
            help="parse without search vectors, then index every new section in one bulk pass "
            "(faster for large loads; searches find the reports once indexed): done here with "
            "--wait or without a broker, else by `reindex_search` once parsing is done",
        )
        parser.add_argument(
            "--index-workers",
            type=int,
            default=os.cpu_count() or 1,
            help="segmentation processes for --defer-index (default: one per core)",
        )

    def handle(self, *args, paths, manifest, run_async, wait, timeout, label, **options):
        resume = options["resume"]
        if resume is not None and (paths or manifest or run_async):
            raise CommandError("--resume JOB reads the job's own paths: give no PATH or --async.")
        if resume is None and not paths and not manifest:
            raise CommandError("Give at least one PATH or --manifest FILE.")
        label = label or " ".join([*paths, *manifest])
        if options["only_if_empty"] and report_list().exists():
            self.stdout.write("reports already loaded: nothing ingested")
            return
        defer = options["defer_index"]
        if resume is not None:
            job = self._run(
                lambda on_progress: ingestion_job_resume(job_id=resume, on_progress=on_progress),
                job_id=resume,
                progress=not options["no_progress"],
            )
        elif run_async:
            job = ingestion_job_enqueue(
                paths=paths,
                manifests=manifest,
                label=label,
                defer_search_index=defer,
                allow_outside=options["allow_outside"],
            )
            self.stdout.write(f"job {job.pk} queued")
        else:
            progress = not options["no_progress"]
            job = ingestion_job_create(
                source=IngestionJob.Source.COMMAND,
                label=label,
                defer_search_index=defer,
                paths=paths,
                manifests=manifest,
                allow_outside=options["allow_outside"],
            )
            self._run(
                lambda on_progress: ingest_paths(
                    paths=paths, manifests=manifest, job=job, on_progress=on_progress
                ),
                job_id=job.pk,
                progress=progress,
            )
            job = ingestion_job_finish(job=job)
        defer = defer or job.defer_search_index
        if wait:
            waited = ingestion_job_wait(job_id=job.pk, timeout=timeout)
            if waited is None:
                raise CommandError(f"job {job.pk}: not finished after {timeout:g} s")
            job = waited
        if defer:
            self._index(job, parsed=wait or celery_app.conf.task_always_eager, **options)
        if run_async and not wait:
            return
        # Files that failed to ingest were printed as they came, except on a worker.
        self._print_problems(job, statuses=None if run_async else ("parse_failed",))
        self._print_summary(job, waited=wait)
        if job.failed or job.parse_failed:
            raise CommandError(f"{job.failed + job.parse_failed} of {job.total} files failed")

    def _run(self, ingest, *, job_id: int, progress: bool) -> IngestionJob:
        """Run ``ingest(on_progress)`` under a progress bar; a database that stays away past the
        retries, or a job that cannot be resumed, ends the command with how to go on."""
        with tqdm(
            file=sys.stderr, unit="file", disable=None if progress else True, dynamic_ncols=True
        ) as bar:

            def on_progress(outcome: IngestionOutcome, done: int, expected: int) -> None:
                bar.total = expected
                bar.update(1)
                if outcome.status in NOT_INGESTED:
                    with tqdm.external_write_mode(file=sys.stderr):
                        self.stdout.write(_line(outcome))

            try:
                return ingest(on_progress)
            except DomainError as exc:
                raise CommandError(f"{exc.code}: {exc.message}") from exc
            except TRANSIENT_DB_ERRORS as exc:
                raise CommandError(
                    f"job {job_id} stopped: the database is unavailable ({exc}). Once it is "
                    f"back, `python manage.py ingest_reports --resume {job_id}` goes on with it."
                ) from exc

    def _index(self, job: IngestionJob, *, parsed: bool, index_workers: int, **options) -> None:
        """Index the job's new sections in one bulk pass, once every report is parsed."""
        if not parsed:
            self.stdout.write(
                f"job {job.pk}: search index deferred; run `python manage.py reindex_search` "
                "once its reports are parsed"
            )
            return
        started = time.perf_counter()
        report_ids = job.outcomes.filter(report__isnull=False).values_list("report_id", flat=True)
        count = reindex(report_ids=report_ids, stale_only=True, workers=max(index_workers, 1))
        seconds = time.perf_counter() - started
        self.stdout.write(f"job {job.pk}: indexed {count} sections for search in {seconds:.1f} s")

    def _print_problems(self, job: IngestionJob, *, statuses: tuple[str, ...] | None) -> None:
        for outcome in ingestion_outcome_problems(job=job):
            if statuses is None or outcome.status in statuses:
                self.stdout.write(_line(outcome))

    def _print_summary(self, job: IngestionJob, *, waited: bool) -> None:
        job.refresh_from_db()
        reasons = Counter(
            o.code
            for o in ingestion_outcome_problems(job=job)
            if o.status == IngestionOutcome.Status.FAILED
        )
        lines = [
            f"job {job.pk}: {job.total} files",
            f"  ingested:   {job.ingested}",
            f"  duplicates: {job.duplicate}",
            f"  near-duplicates: {job.near_duplicate} (ingested, flagged for review)",
            f"  failed:     {job.failed}" + _reasons(reasons),
            f"  parsed:     {job.parsed}",
            f"  parse failed: {job.parse_failed}",
        ]
        pending = job.ingested + job.near_duplicate - job.parsed - job.parse_failed
        if pending > 0 and not waited:
            lines.append(f"  {pending} reports queued for parsing (follow job {job.pk})")
        self.stdout.write("\n".join(lines))


def _reasons(reasons: Counter) -> str:
    if not reasons:
        return ""
    return " (" + ", ".join(f"{code} {n}" for code, n in sorted(reasons.items())) + ")"


def _line(outcome: IngestionOutcome) -> str:
    code = outcome.code or outcome.status
    return f"{outcome.filename}: {code}: {outcome.message}"
