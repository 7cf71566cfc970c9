from __future__ import annotations

import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from sanxiang.evidence import media
from sanxiang.evidence.tests import media_files

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize("codec", ["mpeg4", "libx264"])
def test_a_video_gives_its_duration_codec_size_rate_creation_time_and_a_frame(codec: str) -> None:
    facts = media.read_av(io.BytesIO(media_files.video(codec=codec)))

    assert facts.container == "mp4"
    assert facts.duration == pytest.approx(2.0, abs=0.1)
    assert facts.video_codec == ("h264" if codec == "libx264" else "mpeg4")
    assert (facts.width, facts.height, facts.frame_rate) == (64, 48, 10.0)
    assert facts.created_in_file == datetime.datetime(2026, 3, 2, 1, 0, tzinfo=datetime.UTC)
    assert facts.thumbnail is not None
    thumbnail = Image.open(io.BytesIO(facts.thumbnail.jpeg))
    assert (thumbnail.format, thumbnail.size) == ("JPEG", (64, 48))


@pytest.mark.parametrize(("format", "codec"), [("mp4", "aac"), ("mp3", "mp3")])
def test_an_audio_file_gives_its_duration_and_codec_and_no_picture(format: str, codec: str) -> None:
    facts = media.read_av(io.BytesIO(media_files.audio(format=format, codec=codec)))

    assert facts.container == format
    assert facts.duration == pytest.approx(2.0, abs=0.1)
    assert (facts.audio_codec, facts.video_codec) == (codec, "")
    assert facts.thumbnail is None


def test_a_photo_gives_its_exif_time_in_local_time_and_its_position_in_decimal_degrees() -> None:
    facts = media.read_photo(io.BytesIO(media_files.photo()))

    assert facts.taken_at == datetime.datetime(2026, 3, 2, 9, 15, tzinfo=SHANGHAI)
    assert (facts.latitude, facts.longitude) == (Decimal("31.460000"), Decimal("116.940000"))
    assert facts.thumbnail is not None
    assert (facts.thumbnail.width, facts.thumbnail.height) == (320, 240)


def test_southern_and_western_positions_are_negative_and_an_exif_offset_is_kept() -> None:
    facts = media.read_photo(io.BytesIO(media_files.photo(gps=(-33.8688, -151.2093), offset="+10:00")))

    assert facts.taken_at is not None
    assert facts.taken_at.utcoffset() == datetime.timedelta(hours=10)
    assert (facts.latitude, facts.longitude) == (Decimal("-33.868800"), Decimal("-151.209300"))


def test_a_photo_without_exif_has_no_time_or_place() -> None:
    facts = media.read_photo(io.BytesIO(media_files.photo(taken=None, gps=None, size=(200, 100))))

    assert (facts.taken_at, facts.latitude, facts.longitude) == (None, None, None)
    assert facts.thumbnail is not None
    assert (facts.thumbnail.width, facts.thumbnail.height) == (200, 100)


def test_bytes_that_are_no_media_are_refused_in_chinese() -> None:
    with pytest.raises(media.MediaError, match="无法识别为音视频文件"):
        media.read_av(io.BytesIO(b"this is not a video" * 100))
    with pytest.raises(media.MediaError, match="无法识别为图片文件"):
        media.read_photo(io.BytesIO(b"this is not a photo" * 100))


def test_a_truncated_video_is_refused_not_crashed() -> None:
    data = media_files.video()

    with pytest.raises(media.MediaError):
        media.read_av(io.BytesIO(data[: len(data) // 3]))
