"""Technical metadata and thumbnails read from an original: audio and video with PyAV, photos with Pillow.

Pure reading: a file-like object in, :class:`MediaFacts` out. Nothing here writes a row or touches the
original; a file that cannot be read raises :class:`MediaError` with a message in Chinese.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import IO, Any

import av
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

THUMBNAIL_WIDTH = 320
THUMBNAIL_QUALITY = 80
# A frame near 10% into the video, as the first seconds are often the pocket or the floor.
THUMBNAIL_AT = 0.1
THUMBNAIL_AT_UNKNOWN = 1.0  # seconds, when the container does not know its duration

EXIF_DATETIME_ORIGINAL = 0x9003
EXIF_OFFSET_TIME_ORIGINAL = 0x9011
GPS_LATITUDE_REF, GPS_LATITUDE, GPS_LONGITUDE_REF, GPS_LONGITUDE = 1, 2, 3, 4


class MediaError(Exception):
    """The file is not one we can read as audio, video or a photo; the message says why, in Chinese."""


@dataclass
class Thumbnail:
    jpeg: bytes
    width: int
    height: int


@dataclass
class MediaFacts:
    """What an original says about itself. ``taken_at`` and the position come from a photo's EXIF."""

    container: str = ""
    duration: float | None = None
    video_codec: str = ""
    audio_codec: str = ""
    width: int | None = None
    height: int | None = None
    frame_rate: float | None = None
    created_in_file: datetime.datetime | None = None
    taken_at: datetime.datetime | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    thumbnail: Thumbnail | None = None


def _thumbnail(image: Image.Image) -> Thumbnail:
    image = image.convert("RGB")
    # Never enlarged: a small original keeps its size.
    image.thumbnail((THUMBNAIL_WIDTH, THUMBNAIL_WIDTH * 4))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=THUMBNAIL_QUALITY, optimize=True)
    return Thumbnail(out.getvalue(), image.width, image.height)


def _file_time(text: str | None) -> datetime.datetime | None:
    """The ``creation_time`` tag of a container (ISO 8601, UTC when it says Z), or None."""
    if not text:
        return None
    try:
        moment = datetime.datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=datetime.UTC)
    # Cameras without a clock write the epoch of their format.
    return moment if moment.year > 1970 else None


def _video_thumbnail(container: Any, stream: Any, duration: float | None) -> Thumbnail | None:
    target = duration * THUMBNAIL_AT if duration else THUMBNAIL_AT_UNKNOWN
    if stream.time_base and target > 0:
        try:
            container.seek(int(target / stream.time_base), stream=stream, backward=True)
        except av.FFmpegError:
            container.seek(0)
    chosen = None
    for frame in container.decode(stream):
        chosen = frame
        if frame.time is None or frame.time >= target:
            break
    if chosen is None:
        return None
    return _thumbnail(chosen.to_image())


def _codec_name(stream: Any) -> str:
    """The format's name (``mp3``), not the decoder's (``mp3float``)."""
    codec = stream.codec_context.codec
    return str(getattr(codec, "canonical_name", "") or codec.name)


def _container_name(container: Any) -> str:
    """``mp4`` rather than FFmpeg's family name ``mov,mp4,m4a,3gp,3g2,mj2``."""
    first = str(container.format.name).split(",")[0]
    if first == "mov" and container.metadata.get("major_brand", "").strip() not in {"", "qt"}:
        return "mp4"
    return first


def read_av(source: IO[bytes]) -> MediaFacts:
    """Container, duration, codecs, size, frame rate, the file's own creation time, and a frame for video."""
    try:
        container = av.open(source, mode="r")
    except (av.FFmpegError, ValueError, OSError) as error:
        raise MediaError(_("无法识别为音视频文件（文件可能已损坏或格式不受支持）。")) from error
    with container:
        video = container.streams.video[0] if container.streams.video else None
        audio = container.streams.audio[0] if container.streams.audio else None
        if video is None and audio is None:
            raise MediaError(_("文件中没有音频或视频内容。"))
        duration = container.duration / av.time_base if container.duration else None
        if duration is None:
            for stream in (video, audio):
                if stream is not None and stream.duration and stream.time_base:
                    duration = float(stream.duration * stream.time_base)
                    break
        created = _file_time(container.metadata.get("creation_time"))
        facts = MediaFacts(
            container=_container_name(container),
            duration=duration,
            audio_codec=_codec_name(audio) if audio is not None else "",
            created_in_file=created,
        )
        if video is not None:
            rate: Fraction | None = video.average_rate or video.guessed_rate
            facts.video_codec = _codec_name(video)
            facts.width = video.codec_context.width or None
            facts.height = video.codec_context.height or None
            facts.frame_rate = float(rate) if rate else None
            facts.created_in_file = created or _file_time(video.metadata.get("creation_time"))
            try:
                facts.thumbnail = _video_thumbnail(container, video, duration)
            except av.FFmpegError as error:
                raise MediaError(_("视频画面无法解码（文件可能已损坏）。")) from error
    return facts


def _degrees(value: Any, ref: Any) -> Decimal | None:
    try:
        degrees, minutes, seconds = (Fraction(str(float(part))) for part in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    decimal = Decimal(float(degrees + minutes / 60 + seconds / 3600)).quantize(Decimal("0.000001"))
    return -decimal if str(ref).upper() in {"S", "W"} else decimal


def _exif_time(text: Any, offset: Any) -> datetime.datetime | None:
    """DateTimeOriginal (``2026:03:02 09:15:00``) in the camera's offset, or the local zone without one."""
    try:
        moment = datetime.datetime.strptime(str(text).strip("\x00 "), "%Y:%m:%d %H:%M:%S")  # noqa: DTZ007
    except ValueError:
        return None
    if offset:
        try:
            parsed = datetime.datetime.strptime(str(offset).strip("\x00 "), "%z")
            return moment.replace(tzinfo=parsed.tzinfo)
        except ValueError:
            pass
    return timezone.make_aware(moment)


def read_photo(source: IO[bytes]) -> MediaFacts:
    """Format, size, EXIF DateTimeOriginal and GPS position (decimal degrees), and a thumbnail."""
    try:
        image = Image.open(source)
        image.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise MediaError(_("无法识别为图片文件（文件可能已损坏或格式不受支持）。")) from error
    exif = image.getexif()
    details = exif.get_ifd(ExifTags.IFD.Exif)
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    facts = MediaFacts(
        container=(image.format or "").lower(),
        width=image.width,
        height=image.height,
        taken_at=_exif_time(details.get(EXIF_DATETIME_ORIGINAL), details.get(EXIF_OFFSET_TIME_ORIGINAL))
        if details.get(EXIF_DATETIME_ORIGINAL)
        else None,
    )
    if gps.get(GPS_LATITUDE) and gps.get(GPS_LONGITUDE):
        facts.latitude = _degrees(gps[GPS_LATITUDE], gps.get(GPS_LATITUDE_REF, "N"))
        facts.longitude = _degrees(gps[GPS_LONGITUDE], gps.get(GPS_LONGITUDE_REF, "E"))
    facts.thumbnail = _thumbnail(ImageOps.exif_transpose(image))
    return facts
