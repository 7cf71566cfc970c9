"""Demo evidence: body-worn camera footage made here, imported from a "card" and described as 音像记录.

The footage is a real H.264 video in an MP4 file (PyAV), a few seconds of a dark scene with the camera's
burnt-in clock and device name, as 执法记录仪 write them, so that playback and seeking show the time moving.
"""

from __future__ import annotations

import datetime
import functools
import io
import tempfile
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
from PIL import Image, ImageDraw, ImageFont

from sanxiang.evidence import services as evidence_services
from sanxiang.evidence.models import AVRecord, Evidence

FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)
WIDTH, HEIGHT, FPS = 480, 272, 10


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default()


def body_camera_video(
    path: Path, *, started_at: datetime.datetime, seconds: int, device: str, caption: str
) -> Path:
    """Write ``seconds`` of footage to ``path`` (MP4, H.264), its clock starting at ``started_at``."""
    path.write_bytes(_footage(started_at, seconds, device, caption))
    return path


@functools.lru_cache(maxsize=4)
def _footage(started_at: datetime.datetime, seconds: int, device: str, caption: str) -> bytes:
    """The encoded footage; kept per process, as a demo loaded again the same day films the same scene."""
    buffer = io.BytesIO()
    small, large = _font(16), _font(22)
    local = started_at.astimezone(datetime.timezone(datetime.timedelta(hours=8)))
    with av.open(buffer, mode="w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=FPS)
        stream.width, stream.height = WIDTH, HEIGHT
        stream.pix_fmt = "yuv420p"
        stream.codec_context.time_base = Fraction(1, FPS)
        stream.options = {"preset": "veryfast", "crf": "30"}
        container.metadata["creation_time"] = started_at.astimezone(datetime.UTC).strftime(
            "%Y-%m-%dT%H:%M:%S.000000Z"
        )
        for index in range(seconds * FPS):
            second = index / FPS
            image = Image.new("RGB", (WIDTH, HEIGHT), (34, 40, 46))
            pen = ImageDraw.Draw(image)
            # A slow pan over a store room: shelves passing by, so that frames differ as they do.
            offset = int(second * 24) % 120
            for shelf in range(-1, 6):
                x = shelf * 120 - offset
                pen.rectangle([x + 10, 80, x + 100, 230], outline=(120, 128, 110), width=3)
                pen.line([x + 10, 130, x + 100, 130], fill=(120, 128, 110), width=2)
                pen.line([x + 10, 180, x + 100, 180], fill=(120, 128, 110), width=2)
            stamp = local + datetime.timedelta(seconds=second)
            pen.rectangle([0, 0, WIDTH, 30], fill=(0, 0, 0))
            pen.text((8, 6), f"{stamp:%Y-%m-%d %H:%M:%S}", fill=(255, 255, 255), font=small)
            pen.text((WIDTH - 8, 6), device, fill=(255, 210, 0), font=small, anchor="ra")
            pen.text((12, HEIGHT - 34), caption, fill=(255, 255, 255), font=large)
            frame = av.VideoFrame.from_image(image)
            frame.pts = index
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return buffer.getvalue()


def import_footage(
    *,
    case: Any,
    collector: Any,
    name: str,
    started_at: datetime.datetime,
    seconds: int,
    device: str,
    caption: str,
) -> Evidence:
    """The footage copied off the camera's card into the case (``import_media``'s own service)."""
    with tempfile.TemporaryDirectory(prefix="sanxiang-demo-card-") as card:
        clip = body_camera_video(
            Path(card) / name, started_at=started_at, seconds=seconds, device=device, caption=caption
        )
        _outcome, evidence = evidence_services.evidence_import_file(path=clip, case=case, collector=collector)
    if evidence is None:  # the demo's footage is new bytes: never already in the case
        raise RuntimeError(name)
    return evidence


def describe_footage(
    *,
    actor: Any,
    evidence: Evidence,
    act: str,
    started_at: datetime.datetime,
    seconds: int,
    collectors: Iterable[Any],
    place: str,
    device: str,
    proves: str,
    coercive_measure: Any = None,
) -> AVRecord:
    return evidence_services.av_record_describe(
        actor=actor,
        evidence=evidence,
        act=act,
        started_at=started_at,
        ended_at=started_at + datetime.timedelta(seconds=seconds),
        collectors=list(collectors),
        place=place,
        device=device,
        proves=proves,
        coercive_measure=coercive_measure,
    )
