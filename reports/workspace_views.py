"""The curators' workspace: its front page, upload in the browser with the job's progress, and
the possible duplicates to merge or keep. Interfaces only: one selector or service each."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from config.staff import StaffRequiredMixin, is_htmx
from reports.errors import DomainError
from reports.models import Report
from reports.workspace_selectors import (
    near_duplicates_pending,
    near_duplicates_pending_count,
    workspace_job,
    workspace_recent_jobs,
    workspace_summary,
)

UPLOAD_PERMISSIONS = ("reports.add_report",)
# A merge deletes only a flagged copy, after carrying its reviews over: a curation, so curators
# (who may change reports, not delete them) decide it.
MERGE_PERMISSIONS = ("reports.change_report",)
DUPLICATES_PAGE_SIZE = 20


class WorkspaceHomeView(StaffRequiredMixin, View):
    def get(self, request):
        return render(request, "workspace/home.html", {"summary": workspace_summary()})


class UploadView(StaffRequiredMixin, View):
    """Many files or zip archives at once (chosen or dropped); then the job's page."""

    permission_required = UPLOAD_PERMISSIONS

    def get(self, request):
        # the jobs only: the summary's counts read every value (85 ms at 260,000 values)
        return render(request, "workspace/upload.html", {"jobs": workspace_recent_jobs()})

    def post(self, request):
        from reports.services.uploads import report_ingest_upload

        try:
            files = request.FILES.getlist("files")
        except DomainError as exc:  # too many files, or one too large (config.uploads)
            messages.error(request, exc.message)
            return redirect("workspace:upload")
        if not files:
            messages.error(request, _("Choose or drop at least one file."))
            return redirect("workspace:upload")
        try:
            job = report_ingest_upload(files=files, started_by=request.user)
        except DomainError as exc:  # the task queue is unreachable: nothing was kept
            messages.error(request, exc.message)
            return redirect("workspace:upload")
        return redirect("workspace:job", pk=job.pk)


class JobView(StaffRequiredMixin, View):
    """A job's progress and each file's outcome; htmx polls the fragment until it is done."""

    permission_required = UPLOAD_PERMISSIONS

    def get(self, request, pk: int):
        progress = workspace_job(job_id=pk)
        if progress is None:
            raise Http404
        template = "workspace/_job_progress.html" if is_htmx(request) else "workspace/job.html"
        return render(request, template, {"progress": progress})


class DuplicatesView(StaffRequiredMixin, View):
    """Reports flagged as possibly the same as another, side by side, to merge or keep."""

    permission_required = MERGE_PERMISSIONS

    def get(self, request):
        paginator = Paginator(near_duplicates_pending(), DUPLICATES_PAGE_SIZE)
        paginator.count = near_duplicates_pending_count()
        page = paginator.get_page(request.GET.get("page"))
        return render(request, "workspace/duplicates.html", {"pairs": page, "page": page})


class DuplicateDecisionView(StaffRequiredMixin, View):
    permission_required = MERGE_PERMISSIONS

    def post(self, request, pk: int):
        from reports.services.near_duplicates import (
            report_near_duplicate_keep,
            report_near_duplicate_merge,
        )

        report = Report.objects.filter(pk=pk).only("pk", "duplicate_of_id").first()
        if report is None:
            raise Http404
        try:
            if request.POST.get("decision") == "merge":
                merge = report_near_duplicate_merge(report=report, user=request.user)
                messages.success(
                    request,
                    _(
                        "Report %(copy)d merged into report %(target)d: %(carried)d reviewed "
                        "figures carried over, %(unmatched)d without a match."
                    )
                    % {
                        "copy": pk,
                        "target": merge.target.pk,
                        "carried": merge.carried,
                        "unmatched": merge.unmatched,
                    },
                )
            elif request.POST.get("decision") == "keep":
                report_near_duplicate_keep(report=report, user=request.user)
                messages.success(
                    request, _("Report %(copy)d kept as a report of its own.") % {"copy": pk}
                )
            else:
                messages.error(request, _("Choose merge or keep."))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect(reverse("workspace:duplicates"))
