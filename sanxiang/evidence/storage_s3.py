"""The evidence store in an S3 bucket with object lock (WORM): the production backend.

Uploads and imports are staged in a local folder (``EVIDENCE_ROOT/staging``) exactly as in the local store;
``keep`` then sends the staged file to its content address in the bucket, unless the address already holds an
original (same bytes, stored once). Every original is written with an object-lock retention — COMPLIANCE by
default, so that not even the bucket's administrator can delete or replace it before the retention ends.

Bytes are sent in parts of :data:`PART` bytes (a single ``PutObject`` for a small file, a multipart upload
otherwise), read from the staged file one part at a time: memory stays constant whatever the file's size.
Each request carries the part's ``Content-MD5``, so the server checks every byte it receives and refuses a
part that does not match; the multipart ETag it returns is checked as well. A failed upload is aborted: no
object and no staged file remain.

In a bucket with object lock, S3 never replaces an object: a later ``PutObject`` on the same key only adds a
newer *version* and leaves the locked one as it was. This store therefore always reads a key's **first**
version, the original it kept; whatever is put on top of it later is never served as evidence.

The keys it is given need, on the bucket: ``s3:PutObject``, ``s3:PutObjectRetention``, ``s3:GetObject``,
``s3:GetObjectVersion``, ``s3:ListBucketVersions``, ``s3:AbortMultipartUpload`` and
``s3:GetBucketObjectLockConfiguration`` (``s3:CreateBucket`` too for ``evidence_bucket_setup``), and never
``s3:BypassGovernanceRetention``.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import io
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, BinaryIO, TypeVar, cast

import boto3
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
    PartialCredentialsError,
)
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.evidence.storage import (
    CHUNK,
    Digests,
    LocalStaging,
    Staged,
    StoreError,
    StoreUnavailableError,
    content_key,
)

PART = 16 << 20  # 16 MiB: few requests for a large file, little memory
WORKERS = 2  # parts sent at once: more gains nothing on loopback, and each holds a part in memory
LOCK_MODES = ("COMPLIANCE", "GOVERNANCE")
NOT_FOUND = {"404", "NoSuchKey", "NoSuchVersion", "NotFound"}
REFUSED = {"AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "Forbidden", "403"}

T = TypeVar("T")


def retain_until(years: int, now: datetime.datetime | None = None) -> datetime.datetime:
    """``years`` after ``now`` (29 February becomes 28 February in a year that has none)."""
    now = now or timezone.now()
    try:
        return now.replace(year=now.year + years)
    except ValueError:
        return now.replace(year=now.year + years, day=28)


def _md5(data: bytes) -> bytes:
    return hashlib.md5(data, usedforsecurity=False).digest()


class S3Store(LocalStaging):
    """The store in an S3 bucket with object lock; see the module docstring."""

    def __init__(
        self,
        *,
        bucket: str,
        staging: Path,
        endpoint_url: str | None = None,
        region: str | None = None,
        access_key: str | None = None,
        secret_key: str | None = None,
        retention_years: int = 30,
        lock_mode: str = "COMPLIANCE",
        part_size: int = PART,
        workers: int = WORKERS,
    ) -> None:
        if lock_mode not in LOCK_MODES:
            raise StoreUnavailableError(
                _("对象锁定模式“%(mode)s”无效：应为 COMPLIANCE 或 GOVERNANCE。") % {"mode": lock_mode}
            )
        if retention_years < 1:
            raise StoreUnavailableError(_("证据保留年限至少为 1 年。"))
        self.bucket = bucket
        self.staging = Path(staging)
        self.endpoint_url = endpoint_url
        self.retention_years = retention_years
        self.lock_mode = lock_mode
        self.part_size = part_size
        self.workers = max(workers, 1)
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint_url,
            region_name=region,
            aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            config=Config(
                signature_version="s3v4",
                s3={"addressing_style": "path"},
                # Content-MD5 is what every S3 server checks; the newer x-amz-checksum headers are not (Ceph
                # 16's gateway accepts a wrong x-amz-checksum-sha256), and boto3's default of sending them
                # in aws-chunked bodies breaks older gateways.
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
                retries={"mode": "standard", "max_attempts": 3},
                connect_timeout=5,
                read_timeout=120,
                tcp_keepalive=True,
            ),
        )

    @classmethod
    def from_settings(cls) -> S3Store:
        return cls(
            bucket=settings.EVIDENCE_S3_BUCKET or "",
            staging=Path(settings.EVIDENCE_ROOT) / "staging",
            endpoint_url=settings.EVIDENCE_S3_ENDPOINT_URL,
            region=settings.EVIDENCE_S3_REGION,
            access_key=settings.EVIDENCE_S3_ACCESS_KEY,
            secret_key=settings.EVIDENCE_S3_SECRET_KEY,
            retention_years=settings.EVIDENCE_RETENTION_YEARS,
            lock_mode=settings.EVIDENCE_S3_LOCK_MODE,
        )

    # --- errors ------------------------------------------------------------------------------------------

    def _where(self) -> str:
        return self.endpoint_url or "S3"

    def _error(self, error: Exception) -> StoreError:
        """The store's error for anything boto3 or botocore raised, in Chinese."""
        if isinstance(error, NoCredentialsError | PartialCredentialsError):
            return StoreUnavailableError(
                _("证据对象存储未配置访问密钥（SANXIANG_EVIDENCE_S3_ACCESS_KEY / SECRET_KEY）。")
            )
        if isinstance(error, ClientError):
            code = str(error.response.get("Error", {}).get("Code", ""))
            if code == "NoSuchBucket" or (code == "404" and error.operation_name == "HeadBucket"):
                return StoreUnavailableError(
                    _("证据存储桶“%(bucket)s”不存在（%(where)s）；请先运行 manage.py evidence_bucket_setup。")
                    % {"bucket": self.bucket, "where": self._where()}
                )
            if code in REFUSED:
                return StoreUnavailableError(
                    _("证据对象存储拒绝访问（%(code)s）：请检查访问密钥及其对存储桶“%(bucket)s”的权限。")
                    % {"code": code, "bucket": self.bucket}
                )
            message = error.response.get("Error", {}).get("Message") or code
            return StoreError(
                _("证据对象存储操作失败（%(code)s）：%(message)s") % {"code": code, "message": message}
            )
        if isinstance(error, EndpointConnectionError):
            return StoreUnavailableError(
                _("无法连接证据对象存储 %(where)s：服务未启动或网络不通。") % {"where": self._where()}
            )
        return StoreUnavailableError(
            _("证据对象存储 %(where)s 无法完成请求：%(error)s") % {"where": self._where(), "error": error}
        )

    @contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except (BotoCoreError, ClientError) as error:
            raise self._error(error) from error

    def _call(self, method: Callable[..., T], /, **kwargs: Any) -> T:
        with self._translated():
            return method(Bucket=self.bucket, **kwargs)

    # --- the bucket --------------------------------------------------------------------------------------

    def check_available(self) -> None:
        """The bucket answers and has object lock enabled; a bucket without it is refused."""
        self._call(self.client.head_bucket)
        try:
            lock = self.client.get_object_lock_configuration(Bucket=self.bucket)
        except ClientError as error:
            code = str(error.response.get("Error", {}).get("Code", ""))
            if code not in {"ObjectLockConfigurationNotFoundError", "ObjectLockConfigurationNotFound", "404"}:
                raise self._error(error) from error
            lock = {}
        except BotoCoreError as error:
            raise self._error(error) from error
        if lock.get("ObjectLockConfiguration", {}).get("ObjectLockEnabled") != "Enabled":
            raise StoreUnavailableError(
                _(
                    "证据存储桶“%(bucket)s”未启用对象锁定（WORM），原件可能被删除或覆盖，不能用于保存证据。"
                    "对象锁定只能在创建存储桶时启用：请用 manage.py evidence_bucket_setup 新建存储桶。"
                )
                % {"bucket": self.bucket}
            )

    def create_bucket(self) -> bool:
        """Create the bucket with object lock enabled; ``False`` when it is already there."""
        try:
            self._call(self.client.head_bucket)
        except StoreUnavailableError as error:
            if not _missing_bucket(error):
                raise
        else:
            return False
        try:
            self.client.create_bucket(Bucket=self.bucket, ObjectLockEnabledForBucket=True)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "BucketAlreadyOwnedByYou":
                return False
            raise self._error(error) from error
        except BotoCoreError as error:
            raise self._error(error) from error
        return True

    # --- staging (a local folder, as in LocalStore) ------------------------------------------------------

    # --- originals ---------------------------------------------------------------------------------------

    def keep(self, staged: Staged, digests: Digests) -> str:
        """Upload the staged bytes to their content address with a retention, unless an original is there."""
        key = content_key(digests.sha256)
        try:
            if self._original(key) is None:
                self._upload(staged.path, key, digests)
        finally:
            self.discard(staged)
        return key

    def _upload(self, path: Path, key: str, digests: Digests) -> None:
        lock = {
            "ObjectLockMode": self.lock_mode,
            "ObjectLockRetainUntilDate": retain_until(self.retention_years),
            "Metadata": {"sha256": digests.sha256, **({"sm3": digests.sm3} if digests.sm3 else {})},
        }
        try:
            source = path.open("rb")
        except OSError as error:
            raise _unreadable(path, error) from error
        with source:
            if digests.size <= self.part_size:
                data = _read(source, self.part_size + 1, path)
                md5 = base64.b64encode(_md5(data)).decode()
                self._call(self.client.put_object, Key=key, Body=data, ContentMD5=md5, **lock)
            else:
                self._multipart(source, path, key, lock)

    def _multipart(self, source: BinaryIO, path: Path, key: str, lock: dict[str, Any]) -> None:
        """Send the file in parts, :data:`WORKERS` at a time: at most ``WORKERS + 1`` parts are in memory."""
        upload_id = self._call(self.client.create_multipart_upload, Key=key, **lock)["UploadId"]
        try:
            digests: list[bytes] = []
            sending: deque[Future[str]] = deque()
            parts: list[dict[str, Any]] = []
            with ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="evidence-s3") as pool:
                try:
                    while data := _read(source, self.part_size, path):
                        digests.append(_md5(data))
                        sending.append(
                            pool.submit(self._part, key, upload_id, len(digests), data, digests[-1])
                        )
                        del data
                        while len(sending) >= self.workers:
                            parts.append({"PartNumber": len(parts) + 1, "ETag": sending.popleft().result()})
                    while sending:
                        parts.append({"PartNumber": len(parts) + 1, "ETag": sending.popleft().result()})
                finally:
                    for future in sending:
                        future.cancel()
            done = self._call(
                self.client.complete_multipart_upload,
                Key=key,
                UploadId=upload_id,
                MultipartUpload={"Parts": parts},
            )
            etag = done.get("ETag") or self._call(
                self.client.head_object,
                Key=key,
                **({"VersionId": done["VersionId"]} if "VersionId" in done else {}),
            ).get("ETag", "")
            if etag.strip('"') != f"{_md5(b''.join(digests)).hex()}-{len(digests)}":
                raise StoreError(_("证据对象存储合并后的原件与发送的不一致（%(key)s）。") % {"key": key})
        except BaseException:
            # An unfinished multipart upload is no object; if aborting fails too, a lifecycle rule sweeps it.
            with suppress(BotoCoreError, ClientError):
                self.client.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id)
            raise

    def _part(self, key: str, upload_id: str, number: int, data: bytes, md5: bytes) -> str:
        """Send one part with its Content-MD5 (the server refuses it if a byte differs); its ETag."""
        answer = self._call(
            self.client.upload_part,
            Key=key,
            UploadId=upload_id,
            PartNumber=number,
            Body=data,
            ContentMD5=base64.b64encode(md5).decode(),
        )
        etag = str(answer["ETag"])
        if etag.strip('"') != md5.hex():
            raise StoreError(_("证据对象存储收到的第 %(number)s 段与发送的不一致。") % {"number": number})
        return etag

    def _original(self, key: str) -> str | None:
        """The version id of the original kept at ``key`` (its first version), or ``None``."""
        first: str | None = None
        with self._translated():
            pages = self.client.get_paginator("list_object_versions").paginate(Bucket=self.bucket, Prefix=key)
            for page in pages:
                for version in page.get("Versions", []):
                    if version["Key"] == key:
                        first = version["VersionId"]  # newest first: the last one listed is the first kept
        return first

    def exists(self, key: str) -> bool:
        return self._original(key) is not None

    def _get(self, key: str, **kwargs: Any) -> Any:
        version = self._original(key)
        if version is None:
            raise StoreError(_("证据原件不存在：%(where)s") % {"where": self.describe(key)})
        return self._call(self.client.get_object, Key=key, VersionId=version, **kwargs)["Body"]

    def open(self, key: str) -> BinaryIO:
        """The original's bytes as a stream read from the bucket as they are consumed."""
        return cast(BinaryIO, _Body(self._get(key), self))

    def read_range(self, key: str, start: int, stop: int) -> Iterator[bytes]:
        """The bytes ``start`` to ``stop`` (exclusive) of an original, by a ranged GET read in chunks."""
        if stop <= start:
            return
        try:
            body = self._get(key, Range=f"bytes={start}-{stop - 1}")
        except StoreError as error:
            if isinstance(error.__cause__, ClientError) and (
                error.__cause__.response.get("Error", {}).get("Code") == "InvalidRange"
            ):
                return  # ``start`` lies past the end: nothing to read
            raise
        with _Body(body, self) as stream:
            while data := stream.read(CHUNK):
                yield data

    def describe(self, key: str) -> str:
        """Where the original lives, for messages and reports."""
        return f"s3://{self.bucket}/{key}"


def _missing_bucket(error: StoreError) -> bool:
    cause = error.__cause__
    return isinstance(cause, ClientError) and cause.response.get("Error", {}).get("Code") in {
        "NoSuchBucket",
        "404",
    }


def _read(source: BinaryIO, size: int, path: Path) -> bytes:
    try:
        return source.read(size)
    except OSError as error:
        raise _unreadable(path, error) from error


def _unreadable(path: Path, error: OSError) -> StoreError:
    return StoreError(_("读取暂存文件失败（%(path)s）：%(error)s") % {"path": path, "error": error})


class _Body(io.RawIOBase):
    """A GET's streaming body whose read errors are the store's errors."""

    def __init__(self, body: Any, store: S3Store) -> None:
        self._body = body
        self._store = store

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1, /) -> bytes:
        try:
            return bytes(self._body.read(None if size < 0 else size))
        except (BotoCoreError, ClientError) as error:
            raise self._store._error(error) from error

    def readinto(self, buffer: Any, /) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._body.close()
        super().close()
