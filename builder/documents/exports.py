"""Jobs that ship generated code: a zip download and a push to a git remote."""

from __future__ import annotations

import io
import re
import stat
import tempfile
import time
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from dulwich import porcelain
from dulwich.errors import GitProtocolError, HangupException, NotGitRepository
from dulwich.index import commit_tree
from dulwich.objects import Blob, Commit
from dulwich.refs import check_ref_format
from dulwich.repo import Repo

from builder.documents.jobs import JobFailed, Progress, job_runner
from builder.documents.models import Architecture, Job, Version
from codegen.files import DOCUMENT_FILE, READ_BACK, Files, PreviousInvalid, as_bytes, document_file

REMOTE_SCHEMES = ("https", "http", "ssh", "git")
# Zip entries carry a fixed date so the same document gives a byte-identical archive.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# A regular file readable by all (rw-r--r--), as git checks files out; ZipInfo's default
# (rw-------) unzipped them readable by their owner only.
ZIP_FILE_MODE = (stat.S_IFREG | 0o644) << 16


def check_remote_url(url: str) -> None:
    """Raise ValueError unless `url` is a remote this server may push to."""
    scheme = urlparse(url).scheme
    if scheme in REMOTE_SCHEMES or re.match(r"^[\w.-]+@[\w.-]+:", url):
        return
    if scheme == "file" or url.startswith("/"):
        if settings.GIT_PUSH_ALLOW_LOCAL:
            return
        # Name the switch: the server's operator is the one who can turn it on.
        raise ValueError(
            "this server does not push to local paths or file:// remotes "
            "(CLOUDWRIGHT_GIT_PUSH_ALLOW_LOCAL=1 allows them)"
        )
    raise ValueError(f"the remote must be a {', '.join(REMOTE_SCHEMES)} or scp-style git URL")


def check_branch(branch: str) -> None:
    """Raise ValueError unless git accepts `branch` as a branch name; checked before the
    job starts, since the push could only fail (and be retried) on it."""
    if not check_ref_format(f"refs/heads/{branch}".encode()):
        raise ValueError(
            f"git does not accept {branch!r} as a branch name: no '..' or '//', no part "
            "starting with '.' or ending with '.lock', and no '/' or '.' at the end"
        )


def slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower() or "architecture"


def _source(job: Job) -> tuple[Architecture, dict[str, Any], str]:
    """The architecture, the document to generate from, and how to name where it came from."""
    architecture = job.architecture
    if architecture is None:
        raise JobFailed("The architecture was deleted before the job ran.")
    version_id = job.params.get("version_id")
    if version_id is None:
        return architecture, architecture.document, f"revision {architecture.revision}"
    version = Version.objects.filter(pk=version_id, architecture=architecture).first()
    if version is None:
        raise JobFailed(f"Version {version_id} no longer exists.")
    # Named as the architecture is now, as the zip and the commit message are: a version
    # can predate a rename (its resource name prefix is in its metadata).
    document = {**version.document, "name": architecture.name}
    return architecture, document, f"version {version.number} ({version.name})"


def generate_repository(
    document: dict[str, Any], target: str, previous: Mapping[str, bytes] | None = None
) -> Files:
    """The generated files plus the document they came from, path -> text or bytes.

    `previous`: the files of codegen.READ_BACK as the repository holds them now, when
    regenerating it (a push to an existing branch).
    """
    import codegen

    try:
        files = dict(codegen.generate(document, target, previous))
    except PreviousInvalid:
        raise  # the caller knows where the previous files came from
    except ValueError as exc:
        raise JobFailed(f"Code generation refused the document: {exc}") from exc
    files.setdefault(DOCUMENT_FILE, document_file(document))
    return files


@job_runner("export")
def export_zip(job: Job, progress: Progress) -> dict[str, Any]:
    architecture, document, source = _source(job)
    target = job.params.get("target", "terraform")
    progress(10, f"Generating {target} code from {source}")
    files = generate_repository(document, target)
    progress(60, f"Packing {len(files)} files")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(files):
            info = zipfile.ZipInfo(path, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = ZIP_FILE_MODE
            archive.writestr(info, as_bytes(files[path]))
    filename = f"{slug(architecture.name)}-{target}.zip"
    relative = Path(str(job.pk)) / filename
    destination = Path(settings.JOB_FILES_DIR) / relative
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_bytes(buffer.getvalue())
    job.result_file = str(relative)
    return {
        "target": target,
        "source": source,
        "files": len(files),
        "bytes": len(buffer.getvalue()),
        "filename": filename,
    }


def _commit(repo: Repo, files: Files, parent: bytes | None, author: bytes, message: str):
    """A commit of exactly `files` on top of `parent`; None when the tree is unchanged."""
    blobs = []
    for path in sorted(files):
        blob = Blob.from_string(as_bytes(files[path]))
        repo.object_store.add_object(blob)
        blobs.append((path.encode(), blob.id, 0o100644))
    tree = commit_tree(repo.object_store, blobs)
    if parent is not None and repo[parent].tree == tree:
        return None
    commit = Commit()
    commit.tree = tree
    commit.parents = [parent] if parent is not None else []
    commit.author = commit.committer = author
    commit.author_time = commit.commit_time = int(time.time())
    commit.author_timezone = commit.commit_timezone = 0
    commit.encoding = b"UTF-8"
    commit.message = message.encode()
    repo.object_store.add_object(commit)
    return commit


# What a fetch or a push raises when the remote cannot be reached or refuses.
GIT_ERRORS = (GitProtocolError, HangupException, NotGitRepository, porcelain.Error, OSError)


def _read_back(repo: Repo, commit_id: bytes) -> dict[str, bytes]:
    """The files of READ_BACK in a commit's tree (the CDK app's stacks.json), so
    regenerating keeps what the branch recorded; files it lacks are left out."""
    tree = repo[repo[commit_id].tree]
    found = {}
    for path in READ_BACK:
        try:
            _mode, sha = tree.lookup_path(repo.__getitem__, path.encode())
        except KeyError:
            continue
        obj = repo[sha]
        if isinstance(obj, Blob):
            found[path] = obj.data
    return found


@job_runner("git_push")
def git_push(job: Job, progress: Progress) -> dict[str, Any]:
    architecture, document, source = _source(job)
    params = job.params
    target = params.get("target", "terraform")
    remote_url, branch = params["remote_url"], params.get("branch", "main")
    ref = f"refs/heads/{branch}".encode()
    auth = {k: params[k] for k in ("username", "password") if params.get(k)}
    author = (params.get("author") or "Cloudwright <cloudwright@localhost>").encode()
    message = f"Cloudwright: {architecture.name} at {source} ({target})\n"
    quiet = {"errstream": io.BytesIO()}
    with tempfile.TemporaryDirectory() as scratch:
        repo = Repo.init_bare(scratch)
        try:
            progress(10, f"Fetching {branch} from the remote")
            parent = porcelain.ls_remote(remote_url, **auth).refs.get(ref)
            if parent is not None:
                porcelain.fetch(repo, remote_url, quiet=True, **quiet, **auth)
        except GIT_ERRORS as exc:
            raise JobFailed(f"Pushing to {remote_url} failed: {exc}") from exc
        progress(30, f"Generating {target} code from {source}")
        # A branch pushed before keeps its components where it recorded them.
        previous = _read_back(repo, parent) if parent is not None else None
        try:
            files = generate_repository(document, target, previous)
        except PreviousInvalid as exc:
            raise JobFailed(
                f"Branch {branch} holds a {exc.path} that Cloudwright cannot read back: "
                f"{exc.reason}. The file records the stack of each component so that a "
                f"new push moves none; restore the one Cloudwright wrote, or delete it to "
                f"split the stacks afresh (a component that moves is replaced on deploy), "
                f"then push again."
            ) from exc
        commit = _commit(repo, files, parent, author, message)
        if commit is None:
            return {"commit": parent.decode(), "branch": branch, "unchanged": True}
        repo.refs[ref] = commit.id
        try:
            progress(70, f"Pushing to {branch}")
            result = porcelain.push(
                repo, remote_url, [ref], outstream=io.BytesIO(), **quiet, **auth
            )
        except GIT_ERRORS as exc:
            raise JobFailed(f"Pushing to {remote_url} failed: {exc}") from exc
    refused = {r.decode(): e for r, e in (result.ref_status or {}).items() if e}
    if refused:
        raise JobFailed(f"The remote refused the push: {refused}")
    return {"commit": commit.id.decode(), "branch": branch, "files": len(files)}
