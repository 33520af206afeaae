"""Projects and their members."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response

from builder.documents import actions
from builder.documents.api.serializers import (
    MembershipSerializer,
    NewMemberSerializer,
    ProjectSerializer,
    RoleSerializer,
)
from builder.documents.models import Membership, Project, Role
from builder.documents.permissions import get_project


def _roles(user) -> dict[int, str]:
    return dict(Membership.objects.filter(user=user).values_list("project_id", "role"))


class ProjectListView(generics.ListCreateAPIView):
    serializer_class = ProjectSerializer
    queryset = Project.objects.none()
    search_fields = ["name", "description"]
    ordering_fields = ["id", "name", "created_at", "updated_at"]

    def get_queryset(self):
        return Project.objects.filter(memberships__user=self.request.user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "roles": _roles(self.request.user)}

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = actions.create_project(
            self.request.user, data["name"], data.get("description", "")
        )
        # The roles in the context were read before the creator became its owner.
        serializer.context["roles"] = _roles(self.request.user)


class ProjectDetailView(generics.GenericAPIView):
    serializer_class = ProjectSerializer

    def _respond(self, project: Project) -> Response:
        context = {"roles": _roles(self.request.user)}
        return Response(ProjectSerializer(project, context=context).data)

    def get(self, request, project_id: int):
        return self._respond(get_project(request.user, project_id))

    def _update(self, request, project_id: int, partial: bool) -> Response:
        project = get_project(request.user, project_id, Role.OWNER)
        serializer = self.get_serializer(project, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return self._respond(
            actions.update_project(request.user, project, **serializer.validated_data)
        )

    def put(self, request, project_id: int):
        return self._update(request, project_id, partial=False)

    def patch(self, request, project_id: int):
        return self._update(request, project_id, partial=True)

    @extend_schema(responses={204: None})
    def delete(self, request, project_id: int):
        project = get_project(request.user, project_id, Role.OWNER)
        actions.delete_project(request.user, project)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MemberListView(generics.ListCreateAPIView):
    serializer_class = MembershipSerializer
    queryset = Membership.objects.none()
    search_fields = ["user__username"]
    ordering_fields = ["created_at", "role"]
    filterset_fields = ["role"]

    def get_queryset(self):
        project = get_project(self.request.user, self.kwargs["project_id"])
        return project.memberships.select_related("user")

    @extend_schema(request=NewMemberSerializer, responses={201: MembershipSerializer})
    def post(self, request, project_id: int):
        project = get_project(request.user, project_id, Role.OWNER)
        serializer = NewMemberSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        membership = actions.add_member(request.user, project, data["user"], Role(data["role"]))
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)


class MemberDetailView(generics.GenericAPIView):
    serializer_class = MembershipSerializer

    def _membership(self, request, project_id: int, user_id: int) -> Membership:
        # Members may leave a project themselves; managing others needs the owner role.
        needed = Role.VIEWER if user_id == request.user.pk else Role.OWNER
        project = get_project(request.user, project_id, needed)
        return get_object_or_404(project.memberships.select_related("user"), user_id=user_id)

    @extend_schema(request=RoleSerializer, responses=MembershipSerializer)
    def patch(self, request, project_id: int, user_id: int):
        project = get_project(request.user, project_id, Role.OWNER)
        membership = get_object_or_404(project.memberships.select_related("user"), user_id=user_id)
        serializer = RoleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = actions.change_role(
            request.user, membership, Role(serializer.validated_data["role"])
        )
        return Response(MembershipSerializer(membership).data)

    @extend_schema(responses={204: None})
    def delete(self, request, project_id: int, user_id: int):
        membership = self._membership(request, project_id, user_id)
        actions.remove_member(request.user, membership)
        return Response(status=status.HTTP_204_NO_CONTENT)
