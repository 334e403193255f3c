"""OpenAPI schema hooks."""


def only_kepu_api(endpoints):
    """Document Kepu's own API, not the Wagtail admin's internal endpoints."""
    return [e for e in endpoints if e[0].startswith("/api/")]
