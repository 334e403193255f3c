"""Public pages of the library (mounted in kepu/urls.py inside the language prefix)."""

from django.urls import path

from . import feeds, views

app_name = "library"
urlpatterns = [
    path("", views.library_index, name="index"),
    path("r/<int:pk>/", views.resource_detail, name="resource"),
    path("u/<slug:code>/", views.unit_library, name="unit"),
    path("feeds/domain/<path:domain>/rss/", feeds.DomainFeed(), name="domain_rss"),
    path("feeds/domain/<path:domain>/atom/", feeds.DomainAtomFeed(), name="domain_atom"),
    path("feeds/unit/<slug:code>/rss/", feeds.UnitFeed(), name="unit_rss"),
    path("feeds/domain/<path:domain>/json/", feeds.DomainJSONFeed(), name="domain_json"),
    path("feeds/unit/<slug:code>/atom/", feeds.UnitAtomFeed(), name="unit_atom"),
    path("feeds/unit/<slug:code>/json/", feeds.UnitJSONFeed(), name="unit_json"),
]
