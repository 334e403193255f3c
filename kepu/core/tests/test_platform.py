import json
import re

import pytest
from django.core.management import call_command
from django.db import connection


@pytest.mark.django_db
def test_healthz_reports_database_and_queue(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["database"]["vendor"] == connection.vendor
    assert body["queue"]["ok"] is True
    assert body["queue"]["backend"]


@pytest.mark.django_db
def test_healthz_fails_when_the_queue_is_unreachable(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:1/0", "SOCKET_TIMEOUT": 0.5}}
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["queue"]["ok"] is False


@pytest.mark.django_db
def test_openapi_schema_is_served_and_valid(client, tmp_path):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert "/api/v1/units/" in schema["paths"]
    assert "/api/v1/units/{code}/move/" in schema["paths"]
    out = tmp_path / "schema.yaml"
    # --validate checks the document against the OpenAPI 3 JSON schema.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert out.stat().st_size > 1000


@pytest.mark.django_db
def test_api_docs_load_assets_from_our_own_static_files(client):
    html = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in html
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    assert external == []


@pytest.mark.django_db
def test_security_headers(client):
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"


@pytest.mark.django_db
def test_forms_need_csrf(tree):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/admin/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403


def test_debug_is_off_by_default(settings):
    assert settings.DEBUG is False
