"""Reads of the indicators app, by concern: comparisons, coverage, the review queue, the audit
trail. The names are importable from here too."""

from indicators.selectors.audit import curation_events_for_value
from indicators.selectors.comparison import (
    Comparison,
    ComparisonPoint,
    comparison_for,
    indicator_compare_regions,
    indicator_definition_get,
    indicator_series,
)
from indicators.selectors.coverage import CoverageCell, CoverageGrid, CoverageRow, coverage_grid
from indicators.selectors.review import (
    indicator_definition_list,
    indicator_review_queue,
    indicator_unmapped_subjects,
    indicator_value_queryset,
    indicator_values_with_conflicts,
    quote_in_sentence,
    with_context_window,
)

__all__ = [
    "Comparison",
    "ComparisonPoint",
    "CoverageCell",
    "CoverageGrid",
    "CoverageRow",
    "comparison_for",
    "coverage_grid",
    "curation_events_for_value",
    "indicator_compare_regions",
    "indicator_definition_get",
    "indicator_definition_list",
    "indicator_review_queue",
    "indicator_series",
    "indicator_unmapped_subjects",
    "indicator_value_queryset",
    "indicator_values_with_conflicts",
    "quote_in_sentence",
    "with_context_window",
]
