"""Background work of the evidence app (django-tasks): technical metadata and thumbnails after ingest."""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _
from django_tasks import task

from sanxiang.evidence import media, services
from sanxiang.evidence.models import Evidence, Kind
from sanxiang.evidence.storage import StoreError, get_store, open_seekable

logger = logging.getLogger(__name__)


@task()
def extract_media_metadata(evidence_id: int) -> str:
    """Read the original of an audio, video or photo item and record its metadata and thumbnail.

    Never raises for a bad file: an unreadable, corrupt or missing original is recorded as a failure with its
    reason, so the worker goes on. Returns the resulting status.
    """
    evidence = Evidence.objects.select_related("blob").filter(pk=evidence_id).first()
    if evidence is None:
        return "missing"
    read = media.read_photo if evidence.kind == Kind.PHOTO else media.read_av
    try:
        with open_seekable(get_store(), evidence.blob.storage_key, evidence.blob.size) as source:
            facts = read(source)
    except media.MediaError as error:
        return services.evidence_media_failed(evidence=evidence, message=str(error)).status
    except (StoreError, OSError):
        logger.exception("evidence %s: original unreadable", evidence_id)
        message = _("无法读取证据原件，请检查证据存储。")
        return services.evidence_media_failed(evidence=evidence, message=message).status
    except Exception:  # a bug in a decoder must not stop the worker
        logger.exception("evidence %s: metadata extraction failed", evidence_id)
        message = _("无法读取该文件的技术信息（文件可能已损坏或格式不受支持）。")
        return services.evidence_media_failed(evidence=evidence, message=message).status
    return services.evidence_media_extracted(evidence=evidence, facts=facts).status


def enqueue_extraction(evidence_id: int) -> None:
    """Queue the extraction; a refusing queue is logged and leaves the item pending, never failing ingest."""
    try:
        extract_media_metadata.enqueue(evidence_id)
    except Exception:
        logger.exception("evidence %s: could not queue metadata extraction", evidence_id)
