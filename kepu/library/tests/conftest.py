"""Each test gets its own search index directory, so no test sees another's index."""

import pytest


@pytest.fixture(autouse=True)
def search_dir(settings, tmp_path):
    settings.SEARCH_DIR = tmp_path / "search"
    settings.KEPU_SEARCH_URL = ""
    return settings.SEARCH_DIR


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed(): …`` — run what the block scheduled on commit (index updates)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
