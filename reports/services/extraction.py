"""Text extraction as the services see it: any failure of a file's reader is that file's outcome.

The pure ``extract_text`` raises ``DomainError`` for what it recognises (empty, undecodable,
unsupported). The third-party readers under it (python-docx and lxml, pypdf, trafilatura,
charset-normalizer) can raise anything on a malformed or hostile file: an XML syntax error, an
entity loop, a missing crypto dependency, a recursion limit. ``text_extracted`` maps every such
exception to ``EncryptedDocumentError`` or ``CorruptDocumentError`` of that file, so one bad file
is a failed outcome and never stops a batch or leaves its job running.
"""

from __future__ import annotations

import logging

from reports.errors import CorruptDocumentError, DomainError, EncryptedDocumentError
from reports.parsing.extract import extract_text
from reports.parsing.types import ExtractedText

logger = logging.getLogger(__name__)

# Exception class names that mean "protected by a password" (pypdf: DependencyError when the AES
# code is missing, FileNotDecryptedError; msoffcrypto and the like name theirs the same way).
_ENCRYPTED_NAMES = ("DependencyError", "FileNotDecryptedError", "EncryptedError")
_MESSAGE_MAX = 500


def text_extracted(*, data: bytes, filename: str) -> ExtractedText:
    """``extract_text``, with any exception of a third-party reader as this file's DomainError."""
    try:
        return extract_text(data, filename)
    except DomainError:
        raise
    except Exception as exc:  # any reader failure belongs to this file, never to the batch
        raise extraction_error(exc, filename=filename) from exc


def extraction_error(exc: Exception, *, filename: str) -> DomainError:
    """The outcome of a reader's exception: ``encrypted`` or ``corrupt_document``."""
    reason = f"{type(exc).__name__}: {exc}"[:_MESSAGE_MAX]
    logger.warning("Reading %s failed: %s", filename, reason)
    if type(exc).__name__ in _ENCRYPTED_NAMES or "encrypt" in str(exc).lower():
        return EncryptedDocumentError(
            f"{filename} is encrypted or password-protected ({reason})", filename=filename
        )
    return CorruptDocumentError(f"{filename} could not be read ({reason})", filename=filename)
