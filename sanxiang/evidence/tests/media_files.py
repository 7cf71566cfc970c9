"""Real, tiny media files made in the test: video and audio encoded with PyAV, JPEGs with EXIF by Pillow."""

from __future__ import annotations

import io
import math
import struct
from typing import Any

import av
from PIL import Image

CREATION_TIME = "2026-03-02T01:00:00.000000Z"


def video(
    *, codec: str = "mpeg4", seconds: int = 2, rate: int = 10, size: tuple[int, int] = (64, 48)
) -> bytes:
    """An MP4 of ``seconds`` seconds of coloured frames, with a creation time in the container."""
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="mp4") as out:
        out.metadata["creation_time"] = CREATION_TIME
        stream: Any = out.add_stream(codec, rate=rate)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        for index in range(seconds * rate):
            frame = av.VideoFrame.from_image(Image.new("RGB", size, ((index * 12) % 255, 80, 160)))
            out.mux(stream.encode(frame))
        out.mux(stream.encode())
    return buffer.getvalue()


def audio(*, format: str = "mp4", codec: str = "aac", seconds: int = 2, rate: int = 44100) -> bytes:
    """A mono tone of ``seconds`` seconds: AAC in an M4A container, or MP3."""
    buffer = io.BytesIO()
    with av.open(buffer, "w", format=format) as out:
        stream: Any = out.add_stream(codec, rate=rate, layout="mono")
        sample_format = stream.codec_context.format.name
        samples = stream.codec_context.frame_size or 1024
        for start in range(0, seconds * rate, samples):
            frame = av.AudioFrame(format=sample_format, layout="mono", samples=samples)
            wave = [math.sin((start + k) / 20) for k in range(samples)]
            if sample_format.startswith("flt"):
                data = struct.pack(f"<{samples}f", *(0.3 * w for w in wave))
            else:
                data = struct.pack(f"<{samples}h", *(int(9000 * w) for w in wave))
            frame.planes[0].update(data + bytes(frame.planes[0].buffer_size - len(data)))
            frame.sample_rate, frame.pts = rate, start
            out.mux(stream.encode(frame))
        out.mux(stream.encode())
    return buffer.getvalue()


def photo(
    *,
    taken: str | None = "2026:03:02 09:15:00",
    offset: str | None = None,
    gps: tuple[float, float] | None = (31.46, 116.94),
    size: tuple[int, int] = (800, 600),
) -> bytes:
    """A JPEG with EXIF DateTimeOriginal (and OffsetTimeOriginal) and a GPS position, as phones write."""
    exif = Image.Exif()
    details: dict[int, str] = {}
    if taken:
        details[0x9003] = taken
    if offset:
        details[0x9011] = offset
    if details:
        exif[0x8769] = details
    if gps:
        exif[0x8825] = {
            1: "N" if gps[0] >= 0 else "S",
            2: _dms(abs(gps[0])),
            3: "E" if gps[1] >= 0 else "W",
            4: _dms(abs(gps[1])),
        }
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 60)).save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def _dms(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round((value - degrees - minutes / 60) * 3600, 2)
    return float(degrees), float(minutes), seconds
