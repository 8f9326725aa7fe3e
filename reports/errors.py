"""The domain's errors: shared by the parser, services, API, commands and tasks. Pure Python."""


class DomainError(Exception):
    code = "domain_error"
    http_status = 400

    def __init__(self, message: str, **detail: object) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


class EmptyFileError(DomainError):
    code = "empty_file"


class UndecodableFileError(DomainError):
    code = "undecodable"


class CorruptDocumentError(DomainError):
    """A document its format's reader could not read (malformed, or hostile XML)."""

    code = "corrupt_document"


class EncryptedDocumentError(DomainError):
    """A password-protected document: there is no text to read without the password."""

    code = "encrypted"


class UnsupportedFormatError(DomainError):
    code, http_status = "unsupported_format", 415


class FileTooLargeError(DomainError):
    code, http_status = "file_too_large", 413


class CorruptArchiveError(DomainError):
    code = "corrupt_archive"


class ArchiveTooLargeError(DomainError):
    code, http_status = "archive_too_large", 413


class CompressionRatioError(DomainError):
    code, http_status = "compression_ratio", 413


class TooManyFilesError(DomainError):
    code, http_status = "too_many_files", 413


class TextTooLongError(DomainError):
    code, http_status = "text_too_long", 413


class TooManySectionsError(DomainError):
    code = "too_many_sections"


class TooManyValuesError(DomainError):
    code = "too_many_values"


class UnsafePathError(DomainError):
    """A path that leads outside where the load may read (``..``, absolute, a symlink)."""

    code = "unsafe_path"


class UnsafeArchivePathError(UnsafePathError):
    pass


class ManifestLineError(DomainError):
    code = "bad_manifest_line"


class MissingFileError(DomainError):
    code, http_status = "missing_file", 404


class MissingJobError(DomainError):
    code, http_status = "missing_job", 404


class JobNotResumableError(DomainError):
    code, http_status = "job_not_resumable", 409


class DuplicateReportError(DomainError):
    code, http_status = "duplicate_report", 409


class ParseCrashedError(DomainError):
    code, http_status = "parse_crashed", 500


class ReviewStateError(DomainError):
    code, http_status = "invalid_review_state", 409


class OriginalMissingError(DomainError):
    code, http_status = "original_missing", 404


class NotNearDuplicateError(DomainError):
    code, http_status = "not_near_duplicate", 409


class BrokerUnavailableError(DomainError):
    """The task queue (Redis) cannot be reached, so work that must be queued is refused."""

    code, http_status = "broker_unavailable", 503
