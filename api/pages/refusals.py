"""Every refusal the service can give, as one plain Chinese sentence a person understands: the
one table every page says its refusals from.

A refusal is looked up by its exception class first (nearest ancestor), then by its code; a
sentence may use the refusal's facts (`%(limit)s`, `%(left)s`, `%(period)s`). Keys that are
neither are the pages' own (a form left empty, a password too short...).
"""
from flask_babel import lazy_gettext as _l

from points.errors import DomainError

PERIODS = {"day": _l("天"), "week": _l("周"), "month": _l("月"), "quarter": _l("季度"), "year": _l("年")}
THIS_PERIOD = {"day": _l("今天"), "week": _l("本周"), "month": _l("本月"), "quarter": _l("本季度"), "year": _l("今年")}

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
    "limit_reached:daily_cap:left": _l("今日积分上限 %(limit)s 分，今天还能得 %(left)s 分。"),
    "limit_reached:member_period_limit": _l("每人每%(period)s限兑 %(limit)s 次，%(this_period)s已兑。"),
    "limit_reached:member_period_limit:left": _l("每人每%(period)s限兑 %(limit)s 次，%(this_period)s还能兑 %(left)s 次。"),
    "limit_reached:capacity": _l("本活动名额已满（%(limit)s 人）。"),
    "limit_reached:household_cap": _l("这一户%(this_period)s的物业费抵扣已达上限 %(limit_yuan)s 元。"),
    "limit_reached:household_cap:left": _l("这一户%(this_period)s的物业费最多还能抵扣 %(left_yuan)s 元（上限 %(limit_yuan)s 元）。"),
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
    "member_fields": _l("请填写姓名和正确的手机号（11 位手机号码）；密码不少于 8 位，或留空由系统生成。"),
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
    "member_search": _l("请输入志愿者的姓名或手机号。"),
    "member_search_none": _l("没有找到这位志愿者，请核对姓名或手机号。"),
    "sms_phone": _l("请输入手机号。"),
    "sms_too_often": _l("验证码发送太频繁：每个手机号每分钟 1 条、每天 10 条，请稍后再试。"),
    "sms_code_wrong": _l("验证码不对或已过期，请重新获取。"),
    # Getting in: own passwords, activation codes, applications to join
    "OwnPassword": _l("自己的密码请在“修改密码”页面凭原密码修改。"),
    "password_change_required": _l("请先修改临时密码。"),
    "UnknownActivation": _l("找不到这个激活码，请核对纸条上的代码。"),
    "already_used": _l("这个激活码已经用过了：请直接用手机号和密码登录。"),
    "ActivationExpired": _l("这个激活码已过期，请找组织者重新打印。"),
    "ApplicationPending": _l("这个手机号已经提交过申请，请等待社区审核。"),
    "join_fields": _l("请填写姓名和正确的手机号；密码不少于 8 位。"),
    "reason:rejection": _l("驳回时请填写原因。"),
    # Corrections (issue 24): activities, partners, staff accounts, undone check-outs
    "AccountDisabled": _l("您的账号已被停用，请联系管理您账号的社区组织者。"),
    "PartnerGone": _l("您所在的合作商家已停止合作，店员账号不能再登录。"),
    "ActivityCancelled": _l("这个活动已经取消了。"),
    "LeavesOutCheckins": _l("已经有人签到：新的时间要包含已有的签到时间，人数上限也不能少于已签到的人数。"),
    "NotCheckedOut": _l("这次签到现在没有签退，无需撤销。"),
    "UndoTooLate": _l("已超过可以撤销签退的时间（签退后 10 分钟内）。"),
    "organiser:UndoTooLate": _l("活动已经结束，不能再撤销签退。"),
    "PartnerNameTaken": _l("本社区已经有一家同名的合作商家了，请换一个名称（例如加上分店名）。"),
    "PartnerRetired": _l("这家合作商家已经停用了。"),
    "cancel_reason": _l("取消活动时请填写原因，志愿者会看到它。"),
    "disable_reason": _l("停用账号时请填写原因。"),
    # Answers to scans made offline, shown beside each scan (`api.pages.console.offline`)
    "offline:already_checked_in": _l("重复：这位志愿者已经签到过本次活动。"),
    "offline:invalid_code": _l("未签到：这不是有效的会员卡。"),
    "offline:not_found": _l("未签到：不是本社区的志愿者，或会员卡已注销。"),
    "offline:activity_not_open": _l("未签到：扫码时间不在签到时间内，或活动结束已超过 72 小时。"),
    "offline:validation_error": _l("未签到：扫码时间晚于服务器时间，请检查手机时钟。"),
    "offline:limit_reached": _l("未签到：本活动名额已满，或已达到积分上限。"),
    # A tip's photos refused (points.photos.NotAPhoto, by its kind)
    "validation_error:not_image": _l("照片只能是 JPEG 或 PNG 图片，这个文件不是。"),
    "validation_error:too_large": _l("每张照片最大 10 MB。"),
    "validation_error:too_many_pixels": _l("这张图片的尺寸大得不像照片，未保存。"),
    "validation_error:too_many": _l("最多 3 张照片。"),
    # Fields of the volunteer's forms, said beside the field
    "household": _l("请填写户号，例如 3栋2单元502。"),
    "points:multiple": _l("请填写积分，须是 %(cost)s 的整数倍。"),
    "quantity": _l("数量请填写 1 到 100 之间的整数。"),
    "rule_code": _l("请选择线索的类型。"),
    "description": _l("请写清楚地点、时间和情况（不超过 2000 字）。"),
}


def sentence(code: str) -> str:
    """The sentence for a code (or a page's own key), without facts."""
    return str(SENTENCES.get(code, SENTENCES["internal_error"]))


def sentence_for(refusal: DomainError, *, said_to: str | None = None) -> str:
    """The one sentence for this refusal, with its facts filled in; said to `said_to` (e.g.
    "organiser": staff hear of "this volunteer", not of "you") where the table has one for them."""
    facts = _spoken(refusal.facts)
    keys = list(_keys(refusal, facts))
    for key in [f"{said_to}:{key}" for key in keys] * bool(said_to) + keys:
        if key in SENTENCES:
            return str(SENTENCES[key]) % facts if "%(" in str(SENTENCES[key]) else str(SENTENCES[key])
    return sentence("internal_error")


def _spoken(facts: dict) -> dict:
    """A refusal's facts as a sentence says them: the period as a word (月, 本月), fen as yuan."""
    spoken = {name: value for name, value in facts.items() if value is not None}
    if "period" in spoken:
        spoken["this_period"] = str(THIS_PERIOD.get(spoken["period"], spoken["period"]))
        spoken["period"] = str(PERIODS.get(spoken["period"], spoken["period"]))
    if spoken.get("kind") == "household_cap":  # the cap is kept in fen
        spoken.update({f"{name}_yuan": f"{spoken[name] / 100:.2f}" for name in ("limit", "left") if name in spoken})
    return spoken


def _keys(refusal: DomainError, facts: dict):
    yield from (cls.__name__ for cls in type(refusal).__mro__ if issubclass(cls, DomainError))
    if "kind" in facts:
        if facts.get("left"):
            yield f"{refusal.code}:{facts['kind']}:left"
        yield f"{refusal.code}:{facts['kind']}"
    if facts.get("left"):
        yield f"{refusal.code}:left"
    yield refusal.code
