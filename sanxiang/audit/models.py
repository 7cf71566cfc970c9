"""The append-only audit log: one row per event, numbered without gaps, and its signed checkpoints."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from sanxiang.audit.events import EventType

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


class Event(models.Model):
    """One leaf of the audit log. Never updated, never deleted.

    ``leaf_hash`` is the RFC 6962 hash of the leaf bytes built from the other columns
    (:func:`sanxiang.audit.verifier.event_leaf`); ``mac`` is a keyed hash of the event's content under a key
    derived from the signing key, so a row forged with the public algorithm is still told apart.
    """

    seq = models.BigIntegerField(_("序号"), primary_key=True)
    # No ``choices``: apps add event types all the time, and a new type must not need a migration.
    event_type = models.PositiveIntegerField(_("事件类型"))
    occurred_at = models.DateTimeField(_("时间"))
    actor_id = models.BigIntegerField(_("操作人编号"), null=True, blank=True)
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True)
    agency_id = models.BigIntegerField(_("所属机关编号"), null=True, blank=True)
    subject_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    subject_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    data = models.TextField(_("数据"), blank=True, default="{}")
    leaf_hash = models.BinaryField(_("叶哈希"), max_length=32)
    mac = models.BinaryField(_("校验码"), max_length=32)

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"], name="audit_event_subject"),
            models.Index(fields=["agency_id", "-seq"], name="audit_event_agency_seq"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.type_label}"

    @property
    def type_label(self) -> str:
        """The type's Chinese name (its number, if the type is unknown to this version)."""
        try:
            return str(EventType(self.event_type).label)
        except ValueError:
            return str(self.event_type)


class LogHead(models.Model):
    """The single row that serialises writers: its lock hands out the next sequence number.

    It also holds the compact range (``frontier``: the hashes of the perfect subtrees that make up the tree,
    left to right, 32 bytes each) so the root after any append is O(log n) away, and a MAC over size and
    frontier so that rows appended or cut off at the end behind the writer's back are noticed.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    size = models.BigIntegerField(_("事件数"), default=0)
    frontier = models.BinaryField(_("紧凑范围"), default=b"")
    mac = models.BinaryField(_("校验码"), default=b"")

    class Meta:
        verbose_name = _("日志头")
        verbose_name_plural = _("日志头")

    def __str__(self) -> str:
        return _("日志头（%(size)s 个事件）") % {"size": self.size}


class Checkpoint(models.Model):
    """A signed tree head: the log's size and root at one moment, signed with Ed25519."""

    tree_size = models.BigIntegerField(_("树大小"))
    root_hash = models.BinaryField(_("根哈希"), max_length=32)
    signed_at = models.DateTimeField(_("签名时间"))
    signature = models.BinaryField(_("签名"), max_length=64)
    key_id = models.CharField(_("密钥标识"), max_length=16)
    public_key = models.BinaryField(_("公钥"), max_length=32)

    class Meta:
        verbose_name = _("签名树头")
        verbose_name_plural = _("签名树头")
        ordering = ["-tree_size", "-id"]

    def __str__(self) -> str:
        return _("树头 %(tree_size)s") % {"tree_size": self.tree_size}

    @property
    def root_hex(self) -> str:
        return bytes(self.root_hash).hex()

    @property
    def timestamp_ms(self) -> int:
        """Milliseconds since the epoch, as signed (the time is stored truncated to milliseconds)."""
        return (self.signed_at - EPOCH) // datetime.timedelta(milliseconds=1)
