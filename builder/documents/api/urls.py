from django.urls import path

from builder.documents.api import accounts, architectures, jobs, projects, stateless

urlpatterns = [
    path("auth/csrf/", accounts.CsrfView.as_view(), name="auth-csrf"),
    path("auth/signup/", accounts.SignupView.as_view(), name="auth-signup"),
    path("auth/login/", accounts.LoginView.as_view(), name="auth-login"),
    path("auth/logout/", accounts.LogoutView.as_view(), name="auth-logout"),
    path("auth/me/", accounts.MeView.as_view(), name="auth-me"),
    path("tokens/", accounts.TokenListView.as_view(), name="token-list"),
    path("tokens/<int:token_id>/", accounts.TokenDetailView.as_view(), name="token-detail"),
    path("projects/", projects.ProjectListView.as_view(), name="project-list"),
    path("projects/<int:project_id>/", projects.ProjectDetailView.as_view(), name="project-detail"),
    path(
        "projects/<int:project_id>/members/", projects.MemberListView.as_view(), name="member-list"
    ),
    path(
        "projects/<int:project_id>/members/<int:user_id>/",
        projects.MemberDetailView.as_view(),
        name="member-detail",
    ),
    path(
        "projects/<int:project_id>/architectures/",
        architectures.ArchitectureListView.as_view(),
        name="architecture-list",
    ),
    path(
        "architectures/<int:architecture_id>/",
        architectures.ArchitectureDetailView.as_view(),
        name="architecture-detail",
    ),
    path(
        "architectures/<int:architecture_id>/changes/",
        architectures.ChangeListView.as_view(),
        name="change-list",
    ),
    path(
        "architectures/<int:architecture_id>/versions/",
        architectures.VersionListView.as_view(),
        name="version-list",
    ),
    path(
        "architectures/<int:architecture_id>/versions/<int:version_id>/",
        architectures.VersionDetailView.as_view(),
        name="version-detail",
    ),
    path(
        "architectures/<int:architecture_id>/versions/<int:version_id>/restore/",
        architectures.VersionRestoreView.as_view(),
        name="version-restore",
    ),
    path(
        "architectures/<int:architecture_id>/diff/",
        architectures.DiffView.as_view(),
        name="architecture-diff",
    ),
    path(
        "architectures/<int:architecture_id>/code/",
        architectures.CodeView.as_view(),
        name="architecture-code",
    ),
    path(
        "architectures/<int:architecture_id>/exports/",
        architectures.ExportView.as_view(),
        name="architecture-export",
    ),
    path(
        "architectures/<int:architecture_id>/git-push/",
        architectures.GitPushView.as_view(),
        name="architecture-git-push",
    ),
    path("jobs/", jobs.JobListView.as_view(), name="job-list"),
    path("jobs/<int:job_id>/", jobs.JobDetailView.as_view(), name="job-detail"),
    path("jobs/<int:job_id>/download/", jobs.JobDownloadView.as_view(), name="job-download"),
    path("validate/", stateless.ValidateView.as_view(), name="validate"),
    path("preview/", stateless.PreviewView.as_view(), name="preview"),
    path("catalog/", stateless.CatalogView.as_view(), name="catalog"),
    path("templates/", stateless.TemplateListView.as_view(), name="templates"),
]
