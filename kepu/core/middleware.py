"""Security headers Django's SecurityMiddleware does not set."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class SecurityHeadersMiddleware:
    """Adds Permissions-Policy and a conservative Content-Security-Policy for the API/health."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        # Public pages and the portal load only our own assets (no CDN): say so to browsers.
        # The Wagtail admin uses inline scripts, so it keeps its own defaults.
        if not request.path.startswith(("/admin/", "/django-admin/")):
            response.headers.setdefault(
                "Content-Security-Policy",
                "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                "script-src 'self' 'unsafe-inline'; frame-ancestors 'self'; base-uri 'self'; "
                "form-action 'self'",
            )
        return response
