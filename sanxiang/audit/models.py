"""The append-only audit log: one row per event, numbered without gaps."""

from __future__ import annotations

from django.db import models

from sanxiang.audit.events import EventType


class Event(models.Model):
    """One leaf of the audit log. Never updated, never deleted."""

    seq = models.BigIntegerField("序号", primary_key=True)
    event_type = models.PositiveIntegerField("事件类型", choices=EventType.choices)
    occurred_at = models.DateTimeField("时间")
    actor_id = models.BigIntegerField("操作人编号", null=True, blank=True)
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    agency_id = models.BigIntegerField("所属机关编号", null=True, blank=True, db_index=True)
    subject_type = models.CharField("对象类型", max_length=100, blank=True)
    subject_id = models.CharField("对象编号", max_length=64, blank=True)
    data = models.TextField("数据", blank=True, default="{}")
    leaf_hash = models.BinaryField("叶哈希", max_length=32)

    class Meta:
        verbose_name = "审计事件"
        verbose_name_plural = "审计事件"
        ordering = ["seq"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="audit_event_subject")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.get_event_type_display()}"


class LogHead(models.Model):
    """The single row that serialises writers: its lock hands out the next sequence number."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    size = models.BigIntegerField("事件数", default=0)

    class Meta:
        verbose_name = "日志头"
        verbose_name_plural = "日志头"
