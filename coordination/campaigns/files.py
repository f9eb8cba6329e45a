"""Application attachments: storing, deleting and locating uploaded files."""

import secrets
from datetime import datetime
from pathlib import Path

import filetype
from flask import current_app
from flask_babel import gettext as _

from coordination.auth.models import User
from coordination.campaigns.catalogue import (
    ALLOWED_TYPES,
    MAX_APPLICATION_BYTES,
    MAX_FILE_BYTES,
)
from coordination.campaigns.models import (
    Application,
    ApplicationFile,
    CallQuestion,
)
from coordination.campaigns.services import CampaignError, _check_editable
from coordination.extensions import db

# --- Attachments ----------------------------------------------------------------------


def upload_folder() -> Path:
    """Where attachments live: under the instance folder, never under static/."""
    folder = Path(current_app.instance_path) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store_file(
    application: Application,
    stream,
    original_name: str,
    user: User,
    now: datetime,
    question: CallQuestion | None = None,
) -> ApplicationFile:
    """Check an upload's size and type (from its content) and keep it under a random name."""
    _check_editable(application, now)
    content = stream.read(MAX_FILE_BYTES + 1)
    if not content:
        raise CampaignError(_("The file is empty."))
    if len(content) > MAX_FILE_BYTES:
        raise CampaignError(
            _("The file is larger than %(size)s MB.", size=MAX_FILE_BYTES // (1024 * 1024))
        )
    used = sum(f.size_bytes for f in application.files)
    if used + len(content) > MAX_APPLICATION_BYTES:
        raise CampaignError(
            _(
                "The attachments of an application may not exceed %(size)s MB in all.",
                size=MAX_APPLICATION_BYTES // (1024 * 1024),
            )
        )
    kind = filetype.guess(content)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise CampaignError(_("Only PDF, ODT, DOCX, PNG and JPEG files are accepted."))
    stored_name = f"{secrets.token_hex(16)}.{ALLOWED_TYPES[kind.mime]}"
    (upload_folder() / stored_name).write_bytes(content)
    name = Path(original_name.replace("\\", "/")).name[:200] or stored_name
    record = ApplicationFile(
        question_id=question.id if question is not None else None,
        original_name=name,
        stored_name=stored_name,
        content_type=kind.mime,
        size_bytes=len(content),
        uploaded_by_id=user.id,
        created_at=now,
    )
    application.files.append(record)
    db.session.flush()
    return record


def delete_file(application: Application, file: ApplicationFile, now: datetime) -> None:
    """Remove an attachment from a draft, and its content from disk."""
    _check_editable(application, now)
    path = upload_folder() / file.stored_name
    application.files.remove(file)
    db.session.flush()
    path.unlink(missing_ok=True)


def file_path(file: ApplicationFile) -> Path:
    """The stored content of an attachment."""
    return upload_folder() / file.stored_name


# --- Submission -----------------------------------------------------------------------
