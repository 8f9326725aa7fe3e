"""What the apps' query-string filters share (django-filter): ids and years in range, repeatable
choices, a FilterSet built once per class, and "any level of the region"."""

import copy

import django_filters as df
from django import forms
from django.db.models import Q
from django.http import QueryDict
from drf_spectacular.utils import extend_schema_field

MAX_ID = 2**63 - 1


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(df.NumberFilter):
    """A primary key: a whole number in the database's range (larger ones are invalid, not 500s)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "integer", "minimum": 1900, "maximum": 2200})
class YearFilter(df.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2200)
        super().__init__(*args, **kwargs)


class ChoicesFilter(df.MultipleChoiceFilter):
    """Repeatable choice (``?status=a&status=b``); no DISTINCT, as no filter here joins a
    many-valued relation."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)


class FilterSet(df.FilterSet):
    """A FilterSet whose form class is built once per FilterSet class, not on every request
    (the filters here are static: their form fields never change between requests), and whose
    filters are copied shallowly per request instead of deep-copied."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # As django-filter's BaseFilterSet.__init__, but a filter holds no per-request state
        # beyond its model and parent: a shallow copy (with its method re-bound) is enough.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: _filter_copy(f) for name, f in self.base_filters.items()}
        for filter_ in self.filters.values():
            filter_.model = queryset.model
            filter_.parent = self

    def get_form_class(self):
        cls = type(self)
        cached = cls.__dict__.get("_form_class_cache")
        if cached is None:
            cached = super().get_form_class()
            cls._form_class_cache = cached
        return cached


def _filter_copy(filter_: df.Filter) -> df.Filter:
    copied = copy.copy(filter_)
    if copied.method is not None:
        copied.method = copied.method  # binds the method to the copy, not to the original
    return copied


def filter_region(queryset, prefix: str, value: str):
    """Any level of the region: province, city or county, full name."""
    return queryset.filter(
        Q(**{f"{prefix}province": value})
        | Q(**{f"{prefix}city": value})
        | Q(**{f"{prefix}county": value})
    )
