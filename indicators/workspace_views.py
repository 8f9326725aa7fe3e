"""The review page of the curators' workspace: each figure in its paragraph, verified, rejected,
corrected or recoded from the keyboard, alone or in bulk. Every write goes through the curation
services, which audit it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from config.staff import StaffRequiredMixin, is_htmx
from indicators.models import IndicatorDefinition, IndicatorValue
from indicators.review_selectors import (
    ReviewFilters,
    definitions_fitting,
    review_count,
    review_next,
    review_paragraph,
    review_queue,
    review_value,
)
from indicators.selectors import curation_events_for_value
from indicators.services import curation
from reports.errors import DomainError

PAGE_SIZE = 20
REVIEW_PERMISSIONS = ("indicators.change_indicatorvalue",)
BULK_LIMIT = 500


def _filters(params) -> ReviewFilters:
    year = params.get("year", "")
    status = params.get("status", IndicatorValue.Status.EXTRACTED)
    return ReviewFilters(
        status=status if status in IndicatorValue.Status.values else "",
        code=params.get("code", "")[:80],
        province=params.get("province", "")[:50],
        year=int(year) if year.isdigit() and 1990 <= int(year) <= 2100 else None,
    )


_ID = "2147483647"  # stands for an id in the links reversed once per page (no row has it)


def _card_links() -> dict[str, tuple[str, str]]:
    """Each link a card shows, reversed once: (pattern, what the id is taken from)."""
    return {
        "act": (reverse("workspace:review-act", args=[_ID]), "pk"),
        "open": (reverse("workspace:review-value", args=[_ID]), "pk"),
        "codes": (reverse("workspace:review-codes", args=[_ID]), "pk"),
        "report": (reverse("admin:reports_report_change", args=[_ID]), "report_id"),
    }


def _card(value: IndicatorValue, links: dict[str, tuple[str, str]] | None = None) -> dict:
    """What a card shows; ``links`` from ``_card_links()``, shared by a page's cards (a page of
    twenty cards would otherwise reverse 80 URLs)."""
    before, quote, after = review_paragraph(value)
    links = links or _card_links()
    urls = {
        name: pattern.replace(_ID, str(getattr(value, field)))
        for name, (pattern, field) in links.items()
    }
    return {"value": value, "before": before, "quote": quote, "after": after, "urls": urls}


class ReviewQueueView(StaffRequiredMixin, View):
    permission_required = REVIEW_PERMISSIONS

    def get(self, request):
        filters = _filters(request.GET)
        paginator = Paginator(review_queue(filters=filters), PAGE_SIZE)
        paginator.count, exact = review_count(filters=filters)  # capped, without the joins
        page = paginator.get_page(request.GET.get("page"))
        links = _card_links()
        context = {
            "page": page,
            "count_exact": exact,
            "cards": [_card(v, links) for v in page.object_list],
            "filters": filters,
            "statuses": IndicatorValue.Status.choices,
            "definitions": IndicatorDefinition.objects.only("code", "name").order_by(
                "category", "code"
            ),
            "query": request.GET.urlencode(),
        }
        return render(request, "workspace/review.html", context)


class ReviewValueView(StaffRequiredMixin, View):
    """One figure: its paragraph, the actions, its audit trail and the next one to review."""

    permission_required = REVIEW_PERMISSIONS

    def get(self, request, pk: int):
        value = review_value(value_id=pk)
        if value is None:
            raise Http404
        filters = _filters(request.GET)
        following = review_next(value=value, filters=filters)
        context = {
            "card": _card(value),
            "events": curation_events_for_value(value_id=pk).order_by("-created_at", "-id"),
            "next_value_id": following,
            "query": request.GET.urlencode(),
        }
        return render(request, "workspace/review_value.html", context)


class ReviewActionView(StaffRequiredMixin, View):
    """verify, reject, correct (a number) or code (a catalogue code) one value."""

    permission_required = REVIEW_PERMISSIONS

    def post(self, request, pk: int):
        value = IndicatorValue.objects.filter(pk=pk).first()
        if value is None:
            raise Http404
        action, note = request.POST.get("action", ""), request.POST.get("note", "")[:2000]
        try:
            self._apply(value, action, request.POST, request.user, note)
        except DomainError as exc:
            return self._answer(request, pk, error=exc.message, status=400)
        except ValidationError as exc:
            error = "; ".join(exc.messages)
            return self._answer(request, pk, error=error, status=400)
        return self._answer(request, pk)

    @staticmethod
    def _apply(value, action, data, user, note) -> None:
        if action == "verify":
            curation.indicator_value_verify(value=value, user=user)
        elif action == "reject":
            curation.indicator_value_reject(value=value, user=user, note=note)
        elif action == "correct":
            number = data.get("corrected_value", "").strip().replace(",", "")
            curation.indicator_value_correct(
                value=value, user=user, corrected_value=number or None, note=note
            )
        elif action == "code":
            curation.indicator_value_correct(
                value=value, user=user, code=data.get("code", "").strip(), note=note
            )
        else:
            raise ValidationError(_("Unknown action."))

    @staticmethod
    def _answer(request, pk: int, *, error: str = "", status: int = 200) -> HttpResponse:
        if is_htmx(request):
            value = review_value(value_id=pk)
            if value is None:
                raise Http404
            card = _card(value)
            context = {"card": card, "error": error, "in_list": True}  # swapped into the queue
            return render(request, "workspace/_review_card.html", context, status=status)
        if error:
            messages.error(request, error)
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = reverse("workspace:review-value", kwargs={"pk": pk})
        return redirect(back)


class ReviewBulkView(StaffRequiredMixin, View):
    """verify or reject the ticked values; each change is audited on its own."""

    permission_required = REVIEW_PERMISSIONS

    def post(self, request):
        ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()][:BULK_LIMIT]
        action = request.POST.get("action")
        if action == "verify":
            changed = curation.indicator_values_verify_bulk(ids=ids, user=request.user)
            messages.success(request, _("Verified %(n)d of %(m)d.") % {"n": changed, "m": len(ids)})
        elif action == "reject":
            changed = curation.indicator_values_reject_bulk(ids=ids, user=request.user)
            messages.success(request, _("Rejected %(n)d of %(m)d.") % {"n": changed, "m": len(ids)})
        else:
            messages.error(request, _("Choose an action."))
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = reverse("workspace:review")
        return redirect(back)


class CodePickerView(StaffRequiredMixin, View):
    """The catalogue codes that fit a value's unit and kind, searched by code, name, synonym."""

    permission_required = REVIEW_PERMISSIONS

    def get(self, request, pk: int):
        value = IndicatorValue.objects.filter(pk=pk).only("id", "unit", "kind").first()
        if value is None:
            raise Http404
        query = request.GET.get("q", "")[:100]
        definitions = definitions_fitting(unit=value.unit, kind=value.kind, query=query)
        return render(
            request,
            "workspace/_code_choices.html",
            {
                "value": value,
                "definitions": definitions,
                "q": query,
                "in_list": request.GET.get("list") == "1",
                "next": request.GET.get("next", "")[:2000],
            },
        )
