"""Where reports' original files are kept: ``settings.STORAGES["originals"]`` (local files by
default, an S3-compatible bucket in deployment). Writes go through reports.services.originals."""

from django.core.files.storage import Storage, storages


def originals_storage() -> Storage:
    return storages["originals"]
