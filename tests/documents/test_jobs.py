"""Jobs: the export zip, git push, failure messages, retries, idempotence and the sweep."""

from __future__ import annotations

import asyncio
import io
import stat
import zipfile
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from django.core.management import call_command
from django.utils import timezone
from dulwich import porcelain
from dulwich.repo import Repo

import codegen
from builder.celery import app as celery_app
from builder.collab.groups import architecture_group
from builder.documents import actions, jobs
from builder.documents.models import Job, JobState
from builder.documents.relay import relay_jobs
from codegen.files import as_bytes
from tests.codegen.stacks_support import grown, large_document, moved, stacks_of
from tests.documents.conftest import sample_document


@pytest.fixture
def run_jobs_now(django_capture_on_commit_callbacks):
    """Run each request's queued tasks when it commits, as an eager Celery would."""
    celery_app.conf.task_always_eager = True
    yield lambda: django_capture_on_commit_callbacks(execute=True)
    celery_app.conf.task_always_eager = False


def export(client, architecture, run_jobs_now, **body):
    with run_jobs_now():
        return client.post(f"/api/architectures/{architecture.pk}/exports/", body)


def test_export_job_produces_the_generated_repository_as_a_zip(world, owner_client, run_jobs_now):
    response = export(owner_client, world.architecture, run_jobs_now, target="terraform")
    assert response.status_code == 202
    assert response.json()["state"] == "queued"
    job = owner_client.get(f"/api/jobs/{response.json()['id']}/").json()
    assert (job["state"], job["progress"], job["error"]) == ("succeeded", 100, "")
    download = owner_client.get(job["download_url"])
    assert download["Content-Disposition"].endswith('orders-terraform.zip"')
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    expected = codegen.generate(sample_document(), "terraform")
    assert set(archive.namelist()) == set(expected) | {"cloudwright.json"}
    for name, content in expected.items():
        assert archive.read(name) == as_bytes(content)
    # The function zips travel as the binary files they are.
    assert archive.read("functions/fn.zip")[:4] == b"PK\x03\x04"
    # Unzipped, every file is readable by everyone, as a git checkout leaves it.
    assert {stat.filemode(i.external_attr >> 16) for i in archive.infolist()} == {"-rw-r--r--"}


@pytest.mark.parametrize("target", ["terraform", "cdk"])
def test_a_renamed_architecture_exports_under_its_new_name_with_the_same_resource_names(
    world, owner_client, run_jobs_now, target
):
    before = codegen.generate(world.architecture.document, target)
    version = actions.save_version(world.owner, world.architecture, "before the rename")
    response = owner_client.patch(
        f"/api/architectures/{world.architecture.pk}/", {"name": "Orders v2"}
    )
    assert response.status_code == 200

    for params in ({}, {"version": version.pk}):
        job = export(owner_client, world.architecture, run_jobs_now, target=target, **params)
        download_url = owner_client.get(f"/api/jobs/{job.json()['id']}/").json()["download_url"]
        download = owner_client.get(download_url)
        assert download["Content-Disposition"].endswith(f'orders-v2-{target}.zip"')
        archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
        assert archive.read("README.md").decode().splitlines()[0] == "# Orders v2"
        # No resource is renamed: the prefix stays, and only Terraform's Architecture
        # default tag follows the name (updated in place).
        changed = {path for path in before if as_bytes(before[path]) != archive.read(path)}
        tagged = {"providers.tf"} if target == "terraform" else set()
        assert changed == {"README.md", "cloudwright.json", *tagged}


def test_restoring_a_version_from_before_a_rename_keeps_the_new_name(world):
    version = actions.save_version(world.owner, world.architecture, "before the rename")
    actions.rename_architecture(world.owner, world.architecture, "Orders v2")

    restored = actions.restore_version(world.owner, version)

    assert restored.document == {**version.document, "name": "Orders v2"}


def test_export_of_a_version_uses_its_snapshot(world, owner_client, run_jobs_now):
    version = actions.save_version(world.owner, world.architecture, "launch")
    document = sample_document()
    document["nodes"][0]["name"] = "Changed later"
    actions.replace_document(world.owner, world.architecture, document)
    response = export(owner_client, world.architecture, run_jobs_now, version=version.pk)
    job = Job.objects.get(pk=response.json()["id"])
    assert job.result["source"] == "version 1 (launch)"
    assert export(owner_client, world.architecture, run_jobs_now, version=10**6).status_code == 400


def test_job_whose_architecture_is_gone_fails_with_a_readable_message(world):
    job = jobs.start_job(world.owner, "export", world.architecture, {"target": "terraform"})
    actions.delete_architecture(world.owner, world.architecture)
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.error == "The architecture was deleted before the job ran."
    assert job.finished_at is not None


def test_a_finished_job_is_not_run_again(world):
    job = jobs.start_job(world.owner, "export", world.architecture, {"target": "terraform"})
    jobs.run_job(job.pk)
    job.refresh_from_db()
    before = (job.state, job.attempts, job.finished_at, job.result)
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert (job.state, job.attempts, job.finished_at, job.result) == before
    assert job.state == JobState.SUCCEEDED


def test_unexpected_errors_retry_a_bounded_number_of_times(world, monkeypatch, settings):
    def flaky(job, progress):
        raise RuntimeError("disk full")

    monkeypatch.setitem(jobs.RUNNERS, "flaky", flaky)
    settings.JOB_MAX_ATTEMPTS = 2
    job = jobs.start_job(world.owner, "flaky", world.architecture, {})
    with pytest.raises(jobs.RetryLater):
        jobs.run_job(job.pk)
    job.refresh_from_db()
    assert (job.state, job.attempts) == (JobState.QUEUED, 1)
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert (job.state, job.attempts) == (JobState.FAILED, 2)
    assert job.error == "The job failed after 2 attempts: disk full"


def test_sweep_fails_jobs_whose_worker_died(world):
    stale = jobs.start_job(world.owner, "export", world.architecture, {})
    fresh = jobs.start_job(world.owner, "export", world.architecture, {})
    long_ago = timezone.now() - timedelta(hours=1)
    Job.objects.filter(pk=stale.pk).update(state=JobState.RUNNING, heartbeat_at=long_ago)
    Job.objects.filter(pk=fresh.pk).update(state=JobState.RUNNING, heartbeat_at=timezone.now())
    out = io.StringIO()
    call_command("sweep_jobs", stdout=out)
    assert "1 stale jobs" in out.getvalue()
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.state == JobState.FAILED
    assert "stopped responding" in stale.error
    assert fresh.state == JobState.RUNNING


def test_progress_is_broadcast_to_the_architecture_room(world, django_capture_on_commit_callbacks):
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(architecture_group(world.architecture.pk), channel)
    job = jobs.start_job(world.owner, "export", world.architecture, {})
    with django_capture_on_commit_callbacks(execute=True):
        jobs.Progress(job)(42, "Packing")
    event = async_to_sync(layer.receive)(channel)["event"]
    assert event["type"] == "job"
    assert (event["job"]["id"], event["job"]["progress"], event["job"]["message"]) == (
        job.pk,
        42,
        "Packing",
    )


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_relay_carries_job_rows_changed_by_another_process_to_the_room():
    from tests.documents.conftest import make_user

    owner = await sync_to_async(make_user)("relay-owner")
    project = await sync_to_async(actions.create_project)(owner, "P")
    architecture = await sync_to_async(actions.create_architecture)(owner, project, "a")
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(architecture_group(architecture.pk), channel)
    relay = asyncio.create_task(relay_jobs(0.05))
    try:
        await asyncio.sleep(0.1)
        # A worker writes the row; it broadcasts nowhere the web process could hear.
        job = await sync_to_async(Job.objects.create)(
            kind="export", architecture=architecture, started_by=owner, progress=30
        )
        message = await asyncio.wait_for(layer.receive(channel), timeout=5)
    finally:
        relay.cancel()
    assert message["event"]["job"]["id"] == job.pk
    assert message["event"]["job"]["progress"] == 30


@pytest.fixture
def remote(tmp_path, settings):
    settings.GIT_PUSH_ALLOW_LOCAL = True
    path = tmp_path / "infra.git"
    path.mkdir()
    Repo.init_bare(str(path))
    return path


def push(client, architecture, remote, run_jobs_now, **body):
    with run_jobs_now():
        return client.post(
            f"/api/architectures/{architecture.pk}/git-push/",
            {"remote_url": str(remote), "branch": "main", **body},
        )


def test_git_push_commits_the_generated_repository(world, owner_client, remote, run_jobs_now):
    response = push(owner_client, world.architecture, remote, run_jobs_now)
    job = Job.objects.get(pk=response.json()["id"])
    assert job.state == JobState.SUCCEEDED, job.error
    repo = Repo(str(remote))
    head = repo[repo.refs[b"refs/heads/main"]]
    assert head.message.decode() == "Cloudwright: orders at revision 1 (terraform)\n"
    tree = repo[head.tree]
    expected = codegen.generate(sample_document(), "terraform")
    top_level = {path.split("/")[0] for path in [*expected, "cloudwright.json"]}
    assert {entry.path.decode() for entry in tree.iteritems()} == top_level
    _mode, blob = tree.lookup_path(repo.__getitem__, b"functions/fn.zip")
    assert repo[blob].data == expected["functions/fn.zip"]
    assert job.result["commit"] == head.id.decode()


def test_second_push_builds_on_the_first_and_unchanged_pushes_nothing(
    world, owner_client, remote, run_jobs_now
):
    push(owner_client, world.architecture, remote, run_jobs_now)
    first = Repo(str(remote)).refs[b"refs/heads/main"]
    unchanged = Job.objects.get(
        pk=push(owner_client, world.architecture, remote, run_jobs_now).json()["id"]
    )
    assert unchanged.result["unchanged"] is True
    document = sample_document()
    document["nodes"][1]["props"]["memory_mb"] = 2048
    actions.replace_document(world.owner, world.architecture, document)
    push(owner_client, world.architecture, remote, run_jobs_now)
    repo = Repo(str(remote))
    second = repo[repo.refs[b"refs/heads/main"]]
    assert second.parents == [first]
    assert "revision 2" in second.message.decode()


def test_git_push_to_a_missing_remote_fails_with_a_message(
    world, owner_client, tmp_path, settings, run_jobs_now
):
    settings.GIT_PUSH_ALLOW_LOCAL = True
    response = push(owner_client, world.architecture, tmp_path / "nowhere.git", run_jobs_now)
    job = Job.objects.get(pk=response.json()["id"])
    assert job.state == JobState.FAILED
    assert job.error.startswith(f"Pushing to {tmp_path / 'nowhere.git'} failed")


@pytest.mark.parametrize("remote_url", ["/srv/git/infra.git", "file:///etc", "ftp://host/x"])
def test_git_push_refuses_local_and_odd_remotes(world, owner_client, remote_url):
    response = owner_client.post(
        f"/api/architectures/{world.architecture.pk}/git-push/", {"remote_url": remote_url}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["path"] == "/remote_url"


def test_git_push_names_the_switch_for_local_remotes(world, owner_client, settings):
    settings.GIT_PUSH_ALLOW_LOCAL = False
    response = owner_client.post(
        f"/api/architectures/{world.architecture.pk}/git-push/",
        {"remote_url": "file:///srv/git/infra.git"},
    )
    assert response.status_code == 400
    assert "CLOUDWRIGHT_GIT_PUSH_ALLOW_LOCAL=1" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize("branch", ["bad..branch", "release.lock", "/main", "main/", ".hidden"])
def test_git_push_refuses_a_branch_git_refuses_before_starting_a_job(
    world, owner_client, remote, branch
):
    response = owner_client.post(
        f"/api/architectures/{world.architecture.pk}/git-push/",
        {"remote_url": str(remote), "branch": branch},
    )
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["path"] == "/branch"
    assert repr(branch) in error["message"]
    assert not Job.objects.exists()


def test_git_push_password_is_not_kept_after_the_job(world, owner_client, remote, run_jobs_now):
    response = push(
        owner_client, world.architecture, remote, run_jobs_now, username="u", password="s3cret"
    )
    assert "s3cret" not in str(response.json())
    job = Job.objects.get(pk=response.json()["id"])
    assert "password" not in job.params


def branch_file(remote, path: str, branch: bytes = b"refs/heads/main") -> bytes:
    repo = Repo(str(remote))
    tree = repo[repo[repo.refs[branch]].tree]
    _mode, blob = tree.lookup_path(repo.__getitem__, path.encode())
    return repo[blob].data


def test_a_push_keeps_components_in_the_stacks_the_branch_recorded(
    world, owner_client, remote, run_jobs_now
):
    document = large_document()
    architecture = actions.create_architecture(world.owner, world.project, "platform", document)
    push(owner_client, architecture, remote, run_jobs_now, target="cdk")
    first = stacks_of(branch_file(remote, "stacks.json"))
    assert len(set(first.values())) > 1
    actions.replace_document(world.owner, architecture, grown(document))

    response = push(owner_client, architecture, remote, run_jobs_now, target="cdk")

    job = Job.objects.get(pk=response.json()["id"])
    assert job.state == JobState.SUCCEEDED, job.error
    second = stacks_of(branch_file(remote, "stacks.json"))
    assert moved(first, second) == []
    assert set(second) > set(first)  # the new components are placed too
    # What the record prevents: the grown document's own split moves components.
    assert moved(first, stacks_of(codegen.generate(grown(document), "cdk")["stacks.json"]))


def commit_by_hand(remote, clone_dir, path: str, content: bytes) -> None:
    """Change a file on the branch the way someone with a clone would."""
    quiet = {"errstream": io.BytesIO()}
    clone = porcelain.clone(str(remote), str(clone_dir), branch="main", **quiet)
    (clone_dir / path).write_bytes(content)
    porcelain.add(clone, [str(clone_dir / path)])
    porcelain.commit(
        clone, b"edit by hand", author=b"A <a@example.com>", committer=b"A <a@example.com>"
    )
    porcelain.push(clone, str(remote), b"refs/heads/main", outstream=io.BytesIO(), **quiet)


def test_a_push_over_a_malformed_stacks_file_fails_with_a_message_naming_it(
    world, owner_client, remote, run_jobs_now, tmp_path
):
    push(owner_client, world.architecture, remote, run_jobs_now, target="cdk")
    commit_by_hand(remote, tmp_path / "clone", "stacks.json", b'{"stacks": [{"name": "x"}]}')
    head = Repo(str(remote)).refs[b"refs/heads/main"]

    response = push(owner_client, world.architecture, remote, run_jobs_now, target="cdk")

    job = Job.objects.get(pk=response.json()["id"])
    assert job.state == JobState.FAILED
    assert job.error.startswith(
        "Branch main holds a stacks.json that Cloudwright cannot read back: "
    )
    assert "restore the one Cloudwright wrote, or delete it" in job.error
    assert Repo(str(remote)).refs[b"refs/heads/main"] == head  # nothing pushed
