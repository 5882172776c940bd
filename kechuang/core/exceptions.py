"""The one business-error type; views and the API turn it into a clear Chinese message."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404


class ServiceError(ValidationError):
    """A write refused by a service: a message, or messages keyed by field name."""


class AccessDenied(PermissionDenied, PermissionError):
    """The actor may not do this to this record; Django answers it with the 403 page, the API with JSON."""


class NotFound(Http404):
    """Nothing to show, with a message that says what is missing; the 404 page shows it, the API answers it as JSON."""
