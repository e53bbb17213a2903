"""The names the console gives to the audit trail's acts (`api.acts.events.ACTIONS`)."""
from flask_babel import lazy_gettext as _l

AUDIT_ACTIONS = {"community_founded": _l("新建社区"), "community_changed": _l("修改社区设置"),
                 "award": _l("奖励积分"), "reversal": _l("撤销积分"), "notice_withdrawn": _l("撤回公示积分"),
                 "claim_filed": _l("提交线索"), "claim_reviewed": _l("审核线索"), "import": _l("导入"),
                 "member_added": _l("添加志愿者"), "member_changed": _l("修改志愿者"), "staff_added": _l("添加账号"),
                 "staff_changed": _l("修改账号"), "password_reset": _l("重置密码"),
                 "token_issued": _l("签发令牌"), "token_revoked": _l("吊销令牌"),
                 "staff_disabled": _l("停用账号"), "rule_added": _l("新建规则"), "rule_changed": _l("修改规则"),
                 "rule_retired": _l("停用规则"), "checkin": _l("签到"), "checkout": _l("签退"),
                 "redemption": _l("兑换"), "cancellation": _l("取消兑换"), "fulfilment": _l("核销"),
                 "activity_scheduled": _l("创建活动"), "partner_signed": _l("新增合作商家"),
                 "reward_stocked": _l("上架奖品"), "reward_changed": _l("修改奖品"),
                 "demo_planted": _l("载入演示数据"),
                 "password_changed": _l("修改自己的密码"), "activation_issued": _l("打印激活码"),
                 "member_activated": _l("激活账号"), "application_filed": _l("申请加入"),
                 "application_approved": _l("通过申请"), "application_rejected": _l("驳回申请"),
                 "activity_changed": _l("修改活动"), "activity_cancelled": _l("取消活动"),
                 "checkout_undone": _l("撤销签退"), "partner_changed": _l("修改合作商家"),
                 "partner_retired": _l("停用合作商家"), "staff_enabled": _l("启用账号"),
                 "offline_checkins": _l("上传离线签到"),
                 "tip_photo_opened": _l("查看线索照片")}
