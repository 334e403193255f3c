from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from kepu.orgs.choices import Role
from kepu.orgs.models import Membership, Unit


class UnitSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Unit.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Code of the parent unit; only on create. Use the move endpoint to move."),
    )
    depth = serializers.IntegerField(read_only=True)

    class Meta:
        model = Unit
        fields = [
            "id", "code", "name", "name_en", "short_name", "kind", "region_code", "address",
            "phone", "email", "website", "is_active", "parent", "depth", "created_at",
            "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]
        # Uniqueness and formats are checked by the action (one place for all callers).
        extra_kwargs = {"code": {"validators": []}}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["parent"] = self._parent_code(instance)
        return data

    def _parent_code(self, unit: Unit) -> str | None:
        if unit.depth <= 1:
            return None
        parent_path = unit.path[: -Unit.steplen]
        codes = self.context.get("parent_codes")
        if codes is not None and parent_path in codes:
            return codes[parent_path]
        return Unit.objects.filter(path=parent_path).values_list("code", flat=True).first()


class UnitMoveSerializer(serializers.Serializer):
    parent = serializers.SlugRelatedField(slug_field="code", queryset=Unit.objects.all())


class MembershipSerializer(serializers.ModelSerializer):
    user = serializers.SlugRelatedField(
        slug_field="username", queryset=get_user_model().objects.all()
    )
    unit = serializers.SlugRelatedField(slug_field="code", queryset=Unit.objects.all())
    role = serializers.ChoiceField(choices=Role.choices)

    class Meta:
        model = Membership
        fields = ["id", "user", "unit", "role", "title", "created_at"]
        read_only_fields = ["created_at"]
        validators: list = []  # duplicates are refused by the action with a named field


class InvitationSerializer(serializers.Serializer):
    email = serializers.EmailField()
    name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    unit = serializers.SlugRelatedField(slug_field="code", queryset=Unit.objects.all())
    role = serializers.ChoiceField(choices=Role.choices)


class UserSerializer(serializers.ModelSerializer):
    memberships = serializers.SerializerMethodField()

    class Meta:
        model = get_user_model()
        fields = ["id", "username", "name", "email", "is_active", "memberships"]
        read_only_fields = fields

    def get_memberships(self, user) -> list[dict]:
        visible = self.context.get("visible_unit_paths")
        return [
            {"unit": m.unit.code, "role": m.role}
            for m in user.memberships.all()
            if visible is None or any(m.unit.path.startswith(p) for p in visible)
        ]
