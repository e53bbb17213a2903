"""Every refusal the service can give, as one plain Chinese sentence a person understands: the
one table every page says its refusals from.

A refusal is looked up by its exception class first (nearest ancestor), then by its code; a
sentence may use the refusal's facts (`%(limit)s`, `%(left)s`, `%(period)s`). Keys that are
neither are the pages' own (a form left empty, a password too short...).
"""
from flask_babel import lazy_gettext as _l

from points.errors import DomainError

PERIODS = {"day": _l("天"), "week": _l("周"), "month": _l("月"), "quarter": _l("季度"), "year": _l("年")}

SENTENCES = {
    "bad_request": _l("请求有误，请返回重试。"),
    "unauthorized": _l("请先登录。"),
    "forbidden": _l("您的账号没有权限做这件事。"),
    "not_found": _l("找不到您要的内容，它可能已被删除。"),
    "method_not_allowed": _l("请从页面上的按钮操作。"),
    "conflict": _l("这件事刚刚已被别人改动，请刷新后再试。"),
    "insufficient_points": _l("您的可用积分不够。"),
    "out_of_stock": _l("这件奖品已经兑完了。"),
    "out_of_stock:left": _l("这件奖品只剩 %(left)s 件了。"),
    "limit_reached": _l("已达到次数上限。"),
    "limit_reached:daily_cap": _l("今日积分已达上限 %(limit)s 分。"),
    "limit_reached:member_period_limit": _l("每人每%(period)s限兑 %(limit)s 次，本%(period)s已兑完。"),
    "limit_reached:capacity": _l("本活动名额已满（%(limit)s 人）。"),
    "limit_reached:household_cap": _l("这一户本%(period)s的物业费抵扣已达上限。"),
    "already_checked_in": _l("您已经签到过本次活动。"),
    "activity_not_open": _l("现在不在活动的签到时间内。"),
    "already_reversed": _l("这笔积分已经撤销过了。"),
    "already_fulfilled": _l("这张兑换券已经用过了。"),
    "already_cancelled": _l("这张兑换券已经取消了。"),
    "already_reviewed": _l("这条线索已经审核过了。"),
    "voucher_expired": _l("这张兑换券已过期。"),
    "code_expired": _l("这个签到码已过期，请扫描现场大屏上的最新二维码。"),
    "payload_too_large": _l("提交的内容太长了。"),
    "invalid_code": _l("这不是有效的签到码，请扫描活动的签到二维码。"),
    "validation_error": _l("填写的内容有误，请检查后再提交。"),
    "idempotency_conflict": _l("这次提交和上一次不一致，请刷新页面后重新操作。"),
    "outside_area": _l("您不在活动地点范围内，请到现场后再签到。"),
    "rate_limited": _l("操作太频繁，请稍等一会儿再试。"),
    "internal_error": _l("系统出了点问题，请稍后再试。"),
    "service_unavailable": _l("系统正在恢复，请稍后再试。"),
    "insufficient_storage": _l("系统存储空间已满，暂时无法保存，请联系管理员。"),
    # Refusals of particular acts (by exception class)
    "PhoneTaken": _l("这个手机号已经登记过了（志愿者或工作人员），请核对。"),
    "AlreadySpent": _l("这笔积分已被使用：志愿者的可用积分不足以扣回，不能撤销。"),
    "RuleCodeTaken": _l("这个代码已经有规则了。要改它的积分，请打开那条规则点“修改”。"),
    # Refusals only pages give
    "login_failed": _l("手机号或密码错误"),
    "wrong_password": _l("原密码不对。"),
    "weak_password": _l("新密码至少 8 位，两次输入要一样。"),
    "login_rate_limited": _l("登录尝试次数太多，为保护账号已暂停登录，请稍后再试。"),
    "csrf": _l("页面已过期，请刷新后重新提交。"),
    "location_unavailable": _l("这个活动需要确认您在现场：请允许浏览器获取位置后重试。"),
    "session_expired": _l("登录已过期，请重新登录。"),
    "activity_ended": _l("活动已结束，签到已关闭。"),
    "pick_community": _l("请先在左侧选择社区。"),
    "pick_community:member": _l("请先在左侧选择社区，再添加志愿者。"),
    "pick_community:organiser": _l("请先在左侧选择社区，再添加组织者。"),
    "forbidden:staff": _l("您的账号没有权限做这件事（组织者只能管理本社区的组织者和只服务本社区的商家店员）。"),
    "member_fields": _l("请填写姓名和正确的手机号（5 到 20 位数字）；密码不少于 8 位，或留空由系统生成。"),
    "staff_fields": _l("请填写姓名、正确的手机号和角色；店员要选合作商家；密码不少于 8 位，或留空由系统生成。"),
    "reason": _l("请填写原因。"),
    "reason:reversal": _l("撤销时请填写原因。"),
    "points": _l("积分请填写正整数，或留空按规则发放。"),
    "password": _l("新密码至少 8 位，或留空由系统生成。"),
    # Refusals said to an organiser checking a volunteer in or out (`said_to="organiser"`)
    "organiser:already_checked_in": _l("这位志愿者已经签到过本次活动。"),
    "organiser:invalid_code": _l("这不是有效的会员卡代码，请重新扫描志愿者的会员卡。"),
    "organiser:not_found": _l("找不到这位志愿者：会员卡不是本社区的，或已注销。"),
    "organiser:conflict": _l("这条签到已经签退过了。"),
    "card_code": _l("请扫描或输入志愿者会员卡上的代码。"),
    "rule_gone": _l("这条积分规则已停用或不存在，请重新选择。"),
    # Getting in: own passwords, activation codes, applications to join
    "OwnPassword": _l("自己的密码请在“修改密码”页面凭原密码修改。"),
    "password_change_required": _l("请先修改临时密码。"),
    "UnknownActivation": _l("找不到这个激活码，请核对纸条上的代码。"),
    "already_used": _l("这个激活码已经用过了：请直接用手机号和密码登录。"),
    "ActivationExpired": _l("这个激活码已过期，请找组织者重新打印。"),
    "ApplicationPending": _l("这个手机号已经提交过申请，请等待社区审核。"),
    "join_fields": _l("请填写姓名和正确的手机号；密码不少于 8 位。"),
    "reason:rejection": _l("驳回时请填写原因。"),
}


def sentence(code: str) -> str:
    """The sentence for a code (or a page's own key), without facts."""
    return str(SENTENCES.get(code, SENTENCES["internal_error"]))


def sentence_for(refusal: DomainError, *, said_to: str | None = None) -> str:
    """The one sentence for this refusal, with its facts filled in; said to `said_to` (e.g.
    "organiser": staff hear of "this volunteer", not of "you") where the table has one for them."""
    facts = {name: value for name, value in refusal.facts.items() if value is not None}
    if "period" in facts:
        facts["period"] = str(PERIODS.get(facts["period"], facts["period"]))
    keys = list(_keys(refusal, facts))
    for key in [f"{said_to}:{key}" for key in keys] * bool(said_to) + keys:
        if key in SENTENCES:
            return str(SENTENCES[key]) % facts if "%(" in str(SENTENCES[key]) else str(SENTENCES[key])
    return sentence("internal_error")


def _keys(refusal: DomainError, facts: dict):
    yield from (cls.__name__ for cls in type(refusal).__mro__ if issubclass(cls, DomainError))
    if "kind" in facts:
        yield f"{refusal.code}:{facts['kind']}"
    if facts.get("left"):
        yield f"{refusal.code}:left"
    yield refusal.code
