"""Submission API: thin views over ``kepu.submissions.actions`` and ``services``."""

from datetime import datetime, time

from django.utils import timezone
from django.utils.dateparse import parse_date
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from .. import actions, services
from .serializers import (
    DecisionSerializer,
    RequestSerializer,
    SubmissionSerializer,
    UnitFiguresSerializer,
)


class SubmissionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Items reported upward (信息报送). Filter with ?box=inbox|outbox&status=pending."""

    serializer_class = SubmissionSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        qs = services.submissions_for(self.request.user).prefetch_related(
            "attachments", "events__actor", "events__from_unit", "events__to_unit"
        )
        params = self.request.query_params
        if params.get("status"):
            qs = qs.filter(status=params["status"])
        if params.get("from_unit"):
            qs = qs.filter(from_unit__code=params["from_unit"])
        if params.get("to_unit"):
            qs = qs.filter(to_unit__code=params["to_unit"])
        return qs

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = actions.submit_item(
            data.pop("from_unit"), data.pop("to_unit"), acting_user=self.request.user,
            attachments=data.pop("uploads", []), **data,
        )  # fmt: skip

    def _decide(self, request, fn):
        sub = self.get_object()
        decision = DecisionSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        sub = fn(sub, acting_user=request.user, reason=decision.validated_data["reason"])
        return Response(SubmissionSerializer(sub, context=self.get_serializer_context()).data)

    @extend_schema(request=DecisionSerializer, responses=SubmissionSerializer)
    @action(detail=True, methods=["post"])
    def adopt(self, request, pk=None):
        """Adopt: the item becomes a draft resource in the receiving unit's library."""
        return self._decide(request, actions.adopt_submission)

    @extend_schema(request=DecisionSerializer, responses=SubmissionSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        """Return the item to the submitter with a reason."""
        return self._decide(request, actions.return_submission)

    @extend_schema(request=DecisionSerializer, responses=SubmissionSerializer)
    @action(detail=True, methods=["post"])
    def forward(self, request, pk=None):
        """Forward the item to the unit above the receiving unit."""
        return self._decide(request, actions.forward_submission)

    @extend_schema(
        parameters=[OpenApiParameter("start", str), OpenApiParameter("end", str)],
        responses=UnitFiguresSerializer(many=True),
    )
    @action(detail=False, methods=["get"])
    def stats(self, request):
        """Per submitting unit: submitted, adopted, returned, pending, adoption rate."""
        start, end = period(request.query_params)
        rows = services.unit_figures(request.user, start, end)
        return Response(UnitFiguresSerializer(rows, many=True).data)


def period(params) -> tuple[datetime, datetime]:
    """?start=YYYY-MM-DD&end=YYYY-MM-DD (end inclusive); default: this calendar year."""
    today = timezone.localdate()
    try:
        start = parse_date(params.get("start") or f"{today.year}-01-01")
        end = parse_date(params.get("end") or f"{today.year}-12-31")
    except ValueError as exc:
        raise ValidationError({"start": str(exc)}) from exc
    if start is None or end is None:
        raise ValidationError({"start": "use YYYY-MM-DD"})
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end, time.max, tzinfo=tz),
    )


class SubmissionRequestViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Calls for submissions with a deadline; units that miss it are reminded by email."""

    serializer_class = RequestSerializer

    def get_queryset(self):
        return services.requests_for(self.request.user).prefetch_related("recipients")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = actions.create_request(
            data.pop("unit"), acting_user=self.request.user, **data
        )
