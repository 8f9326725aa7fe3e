from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Func, Q


class AdminLevel(models.TextChoices):
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"
    TOWNSHIP = "township", "乡镇/街道"
    DEPARTMENT = "department", "部门"
    DEVELOPMENT_ZONE = "development_zone", "开发区/示范区"


# A report's metadata as the parser reads it (a manifest or an upload may give it too), and as a
# curator may set it (with the source address).
PARSED_METADATA_FIELDS = (
    "title",
    "issuer",
    "province",
    "city",
    "county",
    "admin_level",
    "report_year",
    "published_on",
)
METADATA_FIELDS = (*PARSED_METADATA_FIELDS, "source_url")
# An ingestion job's file counters.
JOB_COUNTERS = (
    "total",
    "ingested",
    "duplicate",
    "near_duplicate",
    "failed",
    "parsed",
    "parse_failed",
)


class IngestionJob(models.Model):
    """One bulk load or upload batch, with a per-file list of outcomes (``IngestionOutcome``)."""

    class Source(models.TextChoices):
        COMMAND = "command", "management command"
        API = "api", "API upload"
        ADMIN = "admin", "admin"
        REPARSE = "reparse", "re-parse"

    class Status(models.TextChoices):
        PENDING = "pending", "pending"
        RUNNING = "running", "running"
        FINISHED = "finished", "finished"
        FAILED = "failed", "finished with failures"

    source = models.CharField(max_length=16, choices=Source.choices, default=Source.COMMAND)
    label = models.CharField(
        max_length=500, blank=True, help_text="What was loaded: paths or upload names."
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(default=0)
    ingested = models.PositiveIntegerField(default=0)
    duplicate = models.PositiveIntegerField(default=0)
    near_duplicate = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    parsed = models.PositiveIntegerField(default=0)
    parse_failed = models.PositiveIntegerField(default=0)
    defer_search_index = models.BooleanField(
        default=False,
        help_text="Reports were parsed without search vectors, to be indexed in bulk afterwards "
        "(ingest_reports --defer-index; reindex_search).",
    )
    error_message = models.TextField(
        blank=True, help_text="Why the job stopped before its files were all read, if it did."
    )
    inputs = models.JSONField(
        default=dict,
        blank=True,
        help_text="What the job reads, so that a worker can run it again: paths, manifests, "
        "metadata for every report, roots outside which nothing is read.",
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Job {self.pk} ({self.source}, {self.status})"


class StoredUpload(models.Model):
    """An uploaded file kept until a worker has ingested it (archives are expanded there, off the
    request path). Deleted with its job, and once the job is done."""

    job = models.ForeignKey(IngestionJob, on_delete=models.CASCADE, related_name="uploads")
    position = models.PositiveIntegerField(help_text="Order within the upload.")
    filename = models.CharField(max_length=1000)
    data = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["job_id", "position"]

    def __str__(self) -> str:
        return self.filename


class ReportQuerySet(models.QuerySet["Report"]):
    def counted(self) -> "ReportQuerySet":
        """Reports that count as reports: a flagged copy of another (``duplicate_of``, until a
        curator keeps both) stands aside for the earlier report in lists, coverage and search."""
        return self.filter(duplicate_of=None)

    def flagged_copies(self) -> "ReportQuerySet":
        """Reports flagged as a possible copy of another, waiting for a curator's decision."""
        return self.exclude(duplicate_of=None)


class Report(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "queued"
        PARSING = "parsing", "parsing"
        PARSED = "parsed", "parsed"
        FAILED = "failed", "failed"

    # The file as received.
    filename = models.CharField(max_length=500)
    content_type = models.CharField(max_length=100, blank=True)
    source_format = models.CharField(max_length=10, blank=True, help_text="txt, html, docx or pdf")
    encoding = models.CharField(max_length=40, blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    raw_sha256 = models.CharField(max_length=64, db_index=True)
    original_name = models.CharField(
        max_length=300,
        blank=True,
        editable=False,
        help_text="Where the file as received is kept, in the ``originals`` storage; blank for "
        "reports loaded before originals were kept.",
    )
    text_sha256 = models.CharField(max_length=64, unique=True)
    raw_text = models.TextField(help_text="The text extracted from the file, as it was.")
    clean_text = models.TextField(blank=True, help_text="The text with web-page noise removed.")
    source_url = models.URLField(max_length=1000, blank=True)
    job = models.ForeignKey(
        IngestionJob, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )

    # Near-duplicates: the text's MinHash signature (its LSH band keys are ``ReportBand`` rows);
    # ``duplicate_of`` is set at ingestion when another report's text is nearly the same, until a
    # curator merges the two or keeps both (reports.services.near_duplicates).
    minhash = models.BinaryField(null=True, blank=True, editable=False)
    shingle_count = models.PositiveIntegerField(default=0, editable=False)
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="near_duplicates",
        help_text="Possibly the same report as this one, in another format or page.",
    )
    duplicate_similarity = models.FloatField(
        null=True,
        blank=True,
        editable=False,
        help_text="Share of the shorter text found in the other (estimated, 0–1).",
    )

    # Metadata: from the parser, except the fields named in ``metadata_overrides`` (a person's or a
    # manifest's values, which a re-parse never replaces).
    title = models.CharField(max_length=500, blank=True)
    issuer = models.CharField(max_length=200, blank=True)
    province = models.CharField(max_length=50, blank=True, db_index=True)
    city = models.CharField(max_length=50, blank=True)
    county = models.CharField(max_length=100, blank=True)
    admin_level = models.CharField(max_length=20, choices=AdminLevel.choices, blank=True)
    report_year = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    published_on = models.DateField(null=True, blank=True)
    metadata_overrides = models.JSONField(default=dict, blank=True)

    # Parsing state.
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    error_code = models.CharField(max_length=50, blank=True)
    error_message = models.TextField(blank=True)
    parser_version = models.CharField(max_length=20, blank=True)
    parsed_text_sha256 = models.CharField(max_length=64, blank=True)
    parsed_at = models.DateTimeField(null=True, blank=True)
    parse_attempts = models.PositiveSmallIntegerField(
        default=0, help_text="Parses begun since the last that ended (see sweep_stuck_work)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["admin_level", "report_year"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(report_year__isnull=True)
                | Q(report_year__gte=1990, report_year__lte=2100),
                name="report_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.filename

    @property
    def region_name(self) -> str:
        return "".join(p for p in (self.province, self.city, self.county) if p)


class ReportBand(models.Model):
    """One LSH band key of a report's text (reports.fingerprint). Reports sharing a key are
    near-duplicate candidates: a new text's keys are looked up in the B-tree index on ``key``,
    whose cost does not grow with the number of reports."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="bands")
    key = models.BigIntegerField(db_index=True)

    def __str__(self) -> str:
        return f"{self.report_id}: {self.key}"


class SectionRecall(Func):
    """The recall vector of a section: ``section_recall(title, text, search_vector)``, the SQL
    function of migration 0010 (see ``reports.search.vectors``). Only its GIN index stores it."""

    function = "section_recall"
    output_field = SearchVectorField()


class Section(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    position = models.PositiveIntegerField(help_text="Index in document order, from 0.")
    level = models.PositiveSmallIntegerField()
    marker = models.CharField(max_length=20)
    title = models.CharField(max_length=1000)
    text = models.TextField(blank=True)
    start_offset = models.PositiveIntegerField(default=0)
    end_offset = models.PositiveIntegerField(default=0)
    # Full-text search (filled by the search index): jieba words with positions and weights. The
    # recall vector (characters, pairs, words and their markers) is an index expression of it.
    search_vector = SearchVectorField(null=True, editable=False)
    segmenter_version = models.CharField(max_length=40, blank=True, editable=False)
    edited_by_curator = models.BooleanField(default=False)

    class Meta:
        ordering = ["report_id", "position"]
        indexes = [
            GinIndex(
                SectionRecall(F("title"), F("text"), F("search_vector")), name="section_recall_gin"
            ),
            models.Index(fields=["level"], name="section_level"),  # the search's level filter
        ]
        constraints = [
            models.UniqueConstraint(fields=["report", "position"], name="section_position_unique"),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=4), name="section_level_1_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.marker}{self.title}"


class IngestionOutcome(models.Model):
    """What happened to one file of an ingestion job."""

    class Status(models.TextChoices):
        INGESTED = "ingested", "ingested"
        DUPLICATE = "duplicate", "duplicate"
        NEAR_DUPLICATE = "near_duplicate", "near duplicate"
        FAILED = "failed", "failed"
        PARSED = "parsed", "parsed"
        PARSE_FAILED = "parse_failed", "parse failed"

    job = models.ForeignKey(IngestionJob, on_delete=models.CASCADE, related_name="outcomes")
    filename = models.CharField(max_length=1000)
    status = models.CharField(max_length=16, choices=Status.choices)
    code = models.CharField(max_length=50, blank=True)
    message = models.TextField(blank=True)
    report = models.ForeignKey(
        Report, null=True, blank=True, on_delete=models.SET_NULL, related_name="outcomes"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["job_id", "id"]

    def __str__(self) -> str:
        return f"{self.filename}: {self.status}"
