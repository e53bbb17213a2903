"""The names the console gives to the audit trail's acts (`api.acts.events.AUDITED`)."""
from flask_babel import lazy_gettext as _l

AUDIT_ACTIONS = {"award": _l("奖励积分"), "reversal": _l("撤销积分"), "review": _l("审核线索"), "import": _l("导入"),
                 "member_added": _l("添加志愿者"), "member_changed": _l("修改志愿者"), "account_added": _l("添加账号"),
                 "account_changed": _l("修改账号"), "password_reset": _l("重置密码"),
                 "account_disabled": _l("停用账号"), "rule_added": _l("新建规则"), "rule_changed": _l("修改规则"),
                 "rule_retired": _l("停用规则")}
