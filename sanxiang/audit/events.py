"""The numbered event types of the audit log.

Numbers are permanent: a type is never renumbered or reused. Blocks: 1xx cases, 2xx evidence,
3xx legal review, 4xx disclosure, 5xx inspections, 6xx agencies and officers, 7xx parties,
8xx accounts and access, 9xx system.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.IntegerChoices):
    # 5xx inspections
    INSPECTION_PLANNED = 501, _("检查方案已制定")
    INSPECTION_STAGE_CHANGED = 502, _("检查环节已变更")
    INSPECTION_SIGNATURE_RECORDED = 503, _("现场检查记录签名已登记")
    INSPECTION_SIGNATURE_REFUSED = 504, _("拒绝签名已登记")
    HAZARD_RECORDED = 505, _("事故隐患已登记")
    ON_SITE_MEASURE_DECIDED = 506, _("现场处理措施已决定")
    RECTIFICATION_ORDER_ISSUED = 507, _("责令限期整改指令书已下达")
    RECHECK_RECORDED = 508, _("整改复查已完成")
    INSPECTION_CONVERTED_TO_CASE = 509, _("检查已转为案件")

    # 100–149 cases (案件)
    CASE_OPENED = 101, _("案源已登记")
    CASE_STAGE_CHANGED = 102, _("案件办理阶段已变更")
    CASE_ACCESSED = 103, _("案件已被调阅")

    # 150–179 coercive measures (查封扣押, 先行登记保存)
    COERCIVE_MEASURE_CREATED = 150, _("查封扣押已申请或当场实施")
    COERCIVE_MEASURE_TRANSITIONED = 151, _("查封扣押状态已变更")
    COERCIVE_MEASURE_ITEM_ADDED = 152, _("查封扣押清单已添加物品")
    COERCIVE_MEASURE_AV_RECORDED = 153, _("查封扣押音像记录已登记")
    COERCIVE_MEASURE_EXTENDED = 154, _("查封扣押期限已延长")
    COERCIVE_MEASURE_DAYS_EXCLUDED = 155, _("查封扣押期限已扣除检测鉴定期间")
    PRESERVATION_CREATED = 160, _("先行登记保存已申请")
    PRESERVATION_TRANSITIONED = 161, _("先行登记保存状态已变更")
    PRESERVATION_ITEM_ADDED = 162, _("先行登记保存清单已添加物品")

    # 180–199 payments (罚缴分离)
    PAYMENT_RECORDED = 180, _("罚款缴纳已入账")
    PAYMENT_COLLECTED_ON_THE_SPOT = 181, _("当场收缴罚款已登记")
    CASH_HANDED_OVER = 182, _("当场收缴的罚款已交纳")
    STATEMENT_IMPORTED = 183, _("银行对账单已导入")
    DEFERRAL_APPLIED = 184, _("延期（分期）缴纳罚款申请已登记")
    DEFERRAL_DECIDED = 185, _("延期（分期）缴纳罚款申请已审批")
    APPEAL_PERIOD_RECORDED = 186, _("复议或诉讼期间已登记")
    APPEAL_PERIOD_ENDED = 187, _("复议或诉讼期间已结束")

    # 200–249 evidence (证据、音像记录)
    EVIDENCE_INGESTED = 201, _("证据已入库")
    EVIDENCE_UPLOAD_STARTED = 210, _("证据上传已开始")
    EVIDENCE_UPLOAD_ABANDONED = 211, _("未完成的证据上传已放弃")
    EVIDENCE_FIXITY_INTACT = 220, _("证据原件完整性核验通过")
    EVIDENCE_FIXITY_FAILED = 221, _("证据原件缺失或已被改动")
    AV_RECORD_DESCRIBED = 230, _("音像记录已登记")
    AV_RECORD_CORRECTED = 231, _("音像记录已更正")
    EVIDENCE_MEDIA_EXTRACTED = 232, _("证据技术信息和缩略图已提取")
    EVIDENCE_MEDIA_FAILED = 233, _("证据技术信息提取失败")
    # 240–249 evidence: 调阅 (opening, downloading, asking and approving access to an original)
    EVIDENCE_VIEWED = 240, _("证据原件已被调阅查看")
    EVIDENCE_DOWNLOADED = 241, _("证据原件已被下载")
    EVIDENCE_ACCESS_REQUESTED = 243, _("证据调阅已申请")
    EVIDENCE_ACCESS_APPROVED = 244, _("证据调阅申请已批准")
    EVIDENCE_ACCESS_REFUSED = 245, _("证据调阅申请已拒绝")
    EVIDENCE_ACCESS_EXPIRED = 246, _("证据调阅申请已过期")
    EVIDENCE_ACCESS_POLICY_CHANGED = 247, _("证据调阅审批设置已修改")

    # 3xx legal review (法制审核)
    REVIEW_CATALOG_PUBLISHED = 301, _("法制审核目录清单已发布")
    REVIEW_SUBMITTED = 302, _("案件已提交法制审核")
    REVIEW_OPINION_GIVEN = 303, _("法制审核意见已出具")
    REVIEW_OBJECTION_RAISED = 304, _("承办机构对审核意见提出异议")
    REVIEW_MEETING_RECORDED = 305, _("审核分歧已经局长办公会讨论决定")
    REVIEW_EXTENDED = 306, _("法制审核期限已延长")
    REVIEW_SETTINGS_CHANGED = 307, _("法制审核期限设置已修改")

    # 460–469 complaints and reports from the public (投诉举报)
    COMPLAINT_FILED = 460, _("投诉举报已提交")
    COMPLAINT_ACCEPTED = 461, _("投诉举报已受理")
    COMPLAINT_ANSWERED = 462, _("投诉举报已答复")
    COMPLAINT_DECLINED = 463, _("投诉举报不予受理")

    # 6xx agencies, sections, officers, certificates, lists
    AGENCY_CREATED = 601, _("执法机关已创建")
    AGENCY_CHANGED = 602, _("执法机关信息已变更")
    SECTION_CREATED = 603, _("股室已创建")
    SECTION_CHANGED = 604, _("股室信息已变更")
    OFFICER_CREATED = 611, _("执法人员已登记")
    OFFICER_CHANGED = 612, _("执法人员信息已变更")
    OFFICER_STATUS_CHANGED = 613, _("执法人员证件状态已变更")
    CERTIFICATE_RENEWED = 614, _("执法证件已换发")
    CREDENTIAL_TOKEN_ROTATED = 615, _("亮证二维码已更换")
    POWER_ITEMS_IMPORTED = 621, _("权责清单已导入")
    RANDOM_CHECK_ITEMS_IMPORTED = 622, _("随机抽查事项清单已导入")
    POWER_ITEM_CHANGED = 623, _("权责事项已变更")
    RANDOM_CHECK_ITEM_CHANGED = 624, _("随机抽查事项已变更")
    DISCRETION_BENCHMARK_DRAFTED = 631, _("行政处罚裁量基准草稿已创建")
    DISCRETION_BENCHMARK_CHANGED = 632, _("行政处罚裁量基准草稿已修改")
    DISCRETION_BENCHMARK_PUBLISHED = 633, _("行政处罚裁量基准已发布")

    # 7xx parties
    PARTY_CREATED = 701, _("当事人已登记")
    PARTY_CHANGED = 702, _("当事人信息已变更")
    PARTY_PERSONAL_DATA_VIEWED = 703, _("当事人个人信息已调阅")

    # 8xx accounts and access
    USER_CREATED = 801, _("用户已创建")
    USER_ROLES_CHANGED = 802, _("用户角色已变更")
    USER_LOGGED_IN = 803, _("用户已登录")
    USER_LOGGED_OUT = 804, _("用户已退出")
    USER_LOGIN_FAILED = 805, _("登录失败")
    USER_LOCKED_OUT = 806, _("账户已锁定")
    USER_DEACTIVATED = 807, _("用户已停用")
    USER_PASSWORD_CHANGED = 808, _("用户密码已修改")
    # 820–829 API tokens
    API_TOKEN_CREATED = 821, _("接口令牌已创建")
    API_TOKEN_REVOKED = 822, _("接口令牌已吊销")

    # 9xx system
    HOLIDAY_CALENDAR_LOADED = 901, _("节假日安排已导入")
    HOLIDAY_CALENDAR_CHANGED = 902, _("节假日安排已修改")
    CHECKPOINT_SIGNED = 903, _("审计日志树头已签名")
    DEMO_DATA_LOADED = 904, _("演示数据已载入")

    # 950–959 worklist
    NOTIFICATION_CREATED = 951, _("期限提醒已生成")
    NOTIFICATION_READ = 952, _("提醒已标记为已读")

    # 250–299 documents (文书); 260–269 the catalog and settings
    DOCUMENT_DRAFTED = 250, _("文书草稿已制作")
    DOCUMENT_DRAFT_CHANGED = 251, _("文书草稿已修改")
    DOCUMENT_ISSUED = 252, _("文书已签发")
    DOCUMENT_RENDERED = 253, _("文书 PDF 已生成并存档")
    DOCUMENT_VOIDED = 254, _("文书已作废")
    DOCUMENT_DELIVERED = 255, _("文书送达已登记")
    DOCUMENT_CATALOG_LOADED = 260, _("文书目录已导入")
    DOCUMENT_TYPE_CHANGED = 261, _("文书种类已修改")
    DOCUMENT_SETTINGS_CHANGED = 262, _("文书编号设置已修改")
    DOCUMENT_ACCESSED = 263, _("行政检查文书已被调阅")

    # 953–959 worklist: the stored clocks
    CLOCKS_REPAIRED = 953, _("运行中的期限已重新计算并修复")

    # 280–289 signatures on documents (签名); a delivery is DOCUMENT_DELIVERED (255)
    DOCUMENT_SIGNED_BY_STAFF = 280, _("文书已由本机关人员签名")
    DOCUMENT_SIGNED_BY_HAND = 281, _("文书手写签名已登记")
    DOCUMENT_SIGNATURE_REFUSED = 282, _("拒绝签名已登记")

    # 110–119 cases: a lead corrected by its handlers before filing (old and new values)
    CASE_LEAD_CHANGED = 110, _("案源登记信息已修改")

    # 4xx disclosure (公示)
    PUBLICATION_DRAFTED = 401, _("公示稿已生成")
    PUBLICATION_REDACTION_CHANGED = 402, _("公示脱敏已调整")
    PUBLICATION_PUBLISHED = 403, _("信息已公示")
    PUBLICATION_CORRECTION_DRAFTED = 404, _("公示更正稿已生成")
    PUBLICATION_REVOCATION_RECORDED = 405, _("已公示决定的变更、撤销已登记")
    PUBLICATION_WITHDRAWN = 406, _("公示已撤回")
    PUBLICATION_EXPIRED = 407, _("公示期满已下线")
    PUBLICATION_DECLINED = 408, _("决定不予公示")
    PUBLICATION_OVERDUE_FLAGGED = 409, _("公示稿逾期已标记")
    ANNUAL_REPORT_DRAFTED = 410, _("年度报告公示稿已生成")
