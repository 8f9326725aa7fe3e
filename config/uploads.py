"""Upload limits enforced before the whole request body is read.

Two guards, both answering 413 with the API's error body:

* ``UploadLimitMiddleware`` refuses a multipart request whose ``Content-Length`` already exceeds
  what ``UPLOAD_MAX_FILES`` files of ``UPLOAD_MAX_FILE_BYTES`` each (plus form overhead) could
  need — before any byte of the body is read — and puts ``LimitedUploadHandler`` first in the
  request's upload handlers.
* ``LimitedUploadHandler`` counts the bytes of each file as they stream in and aborts the parse as
  soon as one file passes ``UPLOAD_MAX_FILE_BYTES`` or the files exceed ``UPLOAD_MAX_FILES``.
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler
from django.http import JsonResponse

from reports.errors import DomainError, FileTooLargeError, TooManyFilesError

FORM_OVERHEAD_BYTES = 1024 * 1024


class RequestTooLargeError(DomainError):
    code, http_status = "request_too_large", 413


def max_request_bytes() -> int:
    """The largest multipart body accepted: ``UPLOAD_MAX_REQUEST_BYTES`` when set (not 0), else
    what the file limits allow plus form overhead."""
    if settings.UPLOAD_MAX_REQUEST_BYTES:
        return settings.UPLOAD_MAX_REQUEST_BYTES
    return settings.UPLOAD_MAX_FILE_BYTES * settings.UPLOAD_MAX_FILES + FORM_OVERHEAD_BYTES


class LimitedUploadHandler(FileUploadHandler):
    """Aborts a multipart parse once a file or the file count passes the limits."""

    def __init__(self, request=None):
        super().__init__(request)
        self.max_file_bytes = settings.UPLOAD_MAX_FILE_BYTES
        self.max_files = settings.UPLOAD_MAX_FILES
        self.files_seen = 0
        self.current_bytes = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.files_seen += 1
        self.current_bytes = 0
        if self.files_seen > self.max_files:
            raise TooManyFilesError(
                f"At most {self.max_files} files per upload.", max_files=self.max_files
            )

    def receive_data_chunk(self, raw_data, start):
        self.current_bytes += len(raw_data)
        if self.current_bytes > self.max_file_bytes:
            raise FileTooLargeError(
                f"{self.file_name} is larger than {self.max_file_bytes} bytes.",
                filename=self.file_name,
                max_file_bytes=self.max_file_bytes,
            )
        return raw_data  # the next handler stores it

    def file_complete(self, file_size):
        return None  # the next handler builds the file


def _content_length(request) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None


class UploadLimitMiddleware:
    """Refuses oversized multipart bodies by their declared length; streams the rest through
    ``LimitedUploadHandler``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        content_type = request.META.get("CONTENT_TYPE", "")
        if request.method in ("POST", "PUT", "PATCH") and content_type.startswith("multipart/"):
            length = _content_length(request)
            limit = max_request_bytes()
            if length is None or length > limit:
                body = {
                    "code": RequestTooLargeError.code,
                    "message": f"The request body is larger than {limit} bytes.",
                    "detail": {"max_request_bytes": limit},
                }
                return JsonResponse(body, status=413)
            request.upload_handlers.insert(0, LimitedUploadHandler(request))
        return self.get_response(request)
