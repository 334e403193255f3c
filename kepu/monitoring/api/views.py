"""Monitoring API: sources (with the partner push endpoint), posts, dashboard figures."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from kepu.monitoring import actions, analytics
from kepu.orgs import permissions as perms

from .serializers import (
    IngestResultSerializer,
    PostSerializer,
    PushBatchSerializer,
    SourceSerializer,
)

FILTER_PARAMS = [
    OpenApiParameter(name, OpenApiTypes.STR, description=desc)
    for name, desc in (
        ("start", "first day, YYYY-MM-DD"), ("end", "last day, YYYY-MM-DD"),
        ("unit", "unit code (its subtree)"), ("kind", "source kind"),
        ("sentiment", "positive / neutral / negative"), ("story", "story id"),
        ("entity", "watched name id"), ("domain", "science domain slug"), ("term", "keyword"),
    )
]  # fmt: skip


class SourceViewSet(viewsets.ReadOnlyModelViewSet):
    """Sources of the units where you may see monitoring."""

    serializer_class = SourceSerializer

    def get_queryset(self):
        return analytics.visible_sources(self.request.user).select_related("unit").order_by("name")

    @extend_schema(request=PushBatchSerializer, responses=IngestResultSerializer)
    @action(detail=True, methods=["post"])
    def posts(self, request: Request, pk: str | None = None) -> Response:
        """Push a batch of posts (partner systems). Per-item errors come back; good items are kept."""
        source = self.get_object()
        if not perms.user_has_permission(request.user, perms.MANAGE_MONITORING, source.unit):
            raise PermissionDenied(
                perms.explain(request.user, perms.MANAGE_MONITORING, source.unit)
            )
        batch = PushBatchSerializer(data=request.data)
        batch.is_valid(raise_exception=True)
        result = actions.ingest_items(
            source, batch.validated_data["posts"], acting_user=request.user, origin="push"
        )
        return Response(IngestResultSerializer(result.as_dict()).data)


class PostViewSet(viewsets.ReadOnlyModelViewSet):
    """Processed posts you may see, filtered like the dashboard."""

    serializer_class = PostSerializer

    @extend_schema(parameters=FILTER_PARAMS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        f = analytics.Filters.from_params(self.request.query_params, default_days=None)
        qs = analytics.filtered_posts(self.request.user, f)
        return qs.select_related("source").order_by("-published_at", "-id")


class DashboardView(APIView):
    """Every dashboard figure for the filters (same numbers as the admin dashboard)."""

    @extend_schema(parameters=FILTER_PARAMS, responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        if not perms.user_has_permission(request.user, perms.VIEW_STATS):
            raise PermissionDenied(
                "You may not see monitoring: none of your roles includes statistics."
            )
        f = analytics.Filters.from_params(request.query_params)
        return Response(analytics.dashboard(request.user, f))
