"""Curation in the admin, by concern: the catalogue, the review queue (with its filters, conflicts
view and CSV export) and the audit trail. Importing the package registers every admin."""

from indicators.admin.audit import (
    CurationEventAdmin,
    CurationEventInline,
    ReportCurationEventInline,
)
from indicators.admin.catalogue import IndicatorDefinitionAdmin
from indicators.admin.review import IndicatorValueAdmin

__all__ = [
    "CurationEventAdmin",
    "CurationEventInline",
    "IndicatorDefinitionAdmin",
    "IndicatorValueAdmin",
    "ReportCurationEventInline",
]
