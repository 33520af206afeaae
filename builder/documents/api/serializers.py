"""Request and response shapes of the REST API (docs/design.md, docs/api.md)."""

from __future__ import annotations

from django.contrib.auth import get_user_model, password_validation
from django.urls import reverse
from rest_framework import serializers

from builder.documents.models import (
    ApiToken,
    Architecture,
    Change,
    Job,
    Membership,
    Project,
    Role,
    Version,
)

User = get_user_model()
TARGETS = ("terraform", "cdk")


class BodyJSONField(serializers.JSONField):
    """A JSON value from the request body, taken as it is.

    The API's only parser (parsers.JSONParser) has decoded and checked the body, so the
    value is JSON already; DRF's JSONField would encode it once more to prove it, half
    a millisecond for a 200-node document on every preview.
    """

    def to_internal_value(self, data):
        return data


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "email"]


class SignupSerializer(serializers.Serializer):
    username = serializers.RegexField(r"^[\w.@+-]{1,150}$", max_length=150)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    password = serializers.CharField(write_only=True, max_length=128)

    def validate_username(self, value: str) -> str:
        if User.objects.filter(username__iexact=value).exists():
            raise serializers.ValidationError("This username is taken.")
        return value

    def validate(self, attrs):
        candidate = User(username=attrs["username"], email=attrs.get("email", ""))
        try:
            password_validation.validate_password(attrs["password"], candidate)
        except Exception as exc:  # Django's ValidationError carries the messages
            raise serializers.ValidationError({"password": list(exc.messages)}) from None
        return attrs


class LoginSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(write_only=True, max_length=128)


class ApiTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at"]
        read_only_fields = ["prefix", "created_at", "last_used_at"]


class NewApiTokenSerializer(ApiTokenSerializer):
    key = serializers.CharField(read_only=True, help_text="Shown once; store it now.")

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "key"]


class ProjectSerializer(serializers.ModelSerializer):
    role = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = ["id", "name", "description", "role", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]

    def get_role(self, project: Project) -> str | None:
        roles = self.context.get("roles", {})
        return roles.get(project.pk)


class MembershipSerializer(serializers.ModelSerializer):
    user_id = serializers.IntegerField(source="user.id", read_only=True)
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = Membership
        fields = ["user_id", "username", "role", "created_at"]
        read_only_fields = ["created_at"]


class NewMemberSerializer(serializers.Serializer):
    username = serializers.CharField(required=False, max_length=150)
    user_id = serializers.IntegerField(required=False, min_value=1)
    role = serializers.ChoiceField(choices=Role.choices)

    def validate(self, attrs):
        if ("username" in attrs) == ("user_id" in attrs):
            raise serializers.ValidationError("Give exactly one of username and user_id.")
        lookup = (
            {"username": attrs["username"]} if "username" in attrs else {"pk": attrs["user_id"]}
        )
        user = User.objects.filter(**lookup, is_active=True).first()
        if user is None:
            field = "username" if "username" in attrs else "user_id"
            raise serializers.ValidationError({field: "No such user."})
        attrs["user"] = user
        return attrs


class RoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)


class UserSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username"]


class ArchitectureSummarySerializer(serializers.ModelSerializer):
    project_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = Architecture
        fields = ["id", "project_id", "name", "revision", "created_at", "updated_at"]


class ArchitectureSerializer(ArchitectureSummarySerializer):
    class Meta(ArchitectureSummarySerializer.Meta):
        fields = [*ArchitectureSummarySerializer.Meta.fields, "document"]


class ArchitectureCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=128)
    document = BodyJSONField(required=False)
    template = serializers.CharField(required=False, max_length=64)

    def validate(self, attrs):
        if "document" in attrs and "template" in attrs:
            raise serializers.ValidationError("Give a document or a template, not both.")
        return attrs


class ArchitectureReplaceSerializer(serializers.Serializer):
    document = BodyJSONField()
    revision = serializers.IntegerField(
        required=False, min_value=0, help_text="The revision this document was based on."
    )


class ArchitecturePatchSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=128, required=False)
    document = BodyJSONField(required=False)
    revision = serializers.IntegerField(required=False, min_value=0)


class ChangeSerializer(serializers.ModelSerializer):
    user = UserSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Change
        fields = ["id", "revision", "kind", "user", "client_op_id", "payload", "created_at"]


class VersionSummarySerializer(serializers.ModelSerializer):
    author = UserSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Version
        fields = ["id", "number", "name", "message", "author", "revision", "created_at"]


class VersionSerializer(VersionSummarySerializer):
    class Meta(VersionSummarySerializer.Meta):
        fields = [*VersionSummarySerializer.Meta.fields, "document"]


class VersionCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=128)
    message = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class JobSerializer(serializers.ModelSerializer):
    started_by = UserSummarySerializer(read_only=True, allow_null=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            "id", "kind", "state", "progress", "message", "result", "error", "architecture_id",
            "started_by", "attempts", "created_at", "started_at", "finished_at",
            "heartbeat_at", "download_url",
        ]  # fmt: skip

    def get_download_url(self, job: Job) -> str | None:
        if not job.result_file or job.state != "succeeded":
            return None
        return reverse("job-download", args=[job.pk])


class TargetSerializer(serializers.Serializer):
    target = serializers.ChoiceField(choices=TARGETS, default="terraform")


class GitPushSerializer(TargetSerializer):
    remote_url = serializers.CharField(max_length=1000)
    branch = serializers.RegexField(r"^[A-Za-z0-9._/-]{1,100}$", default="main")
    username = serializers.CharField(required=False, max_length=200, write_only=True)
    password = serializers.CharField(required=False, max_length=500, write_only=True)
    author = serializers.CharField(required=False, max_length=200)


class DocumentInputSerializer(serializers.Serializer):
    document = BodyJSONField()


class PreviewSerializer(DocumentInputSerializer):
    target = serializers.ChoiceField(choices=TARGETS, default="terraform")


class ErrorSerializer(serializers.Serializer):
    path = serializers.CharField()
    message = serializers.CharField()
    node_id = serializers.CharField(required=False)
    edge_id = serializers.CharField(required=False)


class ValidationResultSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    errors = ErrorSerializer(many=True)


class FilesSerializer(serializers.Serializer):
    target = serializers.CharField()
    files = serializers.DictField(child=serializers.CharField(), help_text="path -> text")
    binary_files = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="path -> size in bytes of files JSON cannot carry (function zips); "
        "the export and git push include them",
    )
