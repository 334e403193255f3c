"""API routes of this app (mounted in kepu/api/urls.py under /api/v1/monitoring/)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("sources", views.SourceViewSet, basename="monitoring-source")
router.register("posts", views.PostViewSet, basename="monitoring-post")

urlpatterns = [
    path("dashboard/", views.DashboardView.as_view(), name="monitoring-dashboard"),
    *router.urls,
]
