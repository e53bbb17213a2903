"""Every refusal the service can give, as one plain Chinese sentence a volunteer understands."""
from flask_babel import lazy_gettext as _l

SENTENCES = {
    "bad_request": _l("请求有误，请返回重试。"),
    "unauthorized": _l("请先登录。"),
    "forbidden": _l("您的账号没有权限做这件事。"),
    "not_found": _l("找不到您要的内容，它可能已被删除。"),
    "method_not_allowed": _l("请从页面上的按钮操作。"),
    "conflict": _l("这件事刚刚已被别人改动，请刷新后再试。"),
    "insufficient_points": _l("您的可用积分不够。"),
    "out_of_stock": _l("这件奖品已经兑完了。"),
    "limit_reached": _l("已达到次数上限（本活动名额已满，或本期兑换次数、今日积分已到上限）。"),
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
    # Refusals only pages give
    "login_failed": _l("手机号或密码错误"),
    "wrong_password": _l("当前密码不对。"),
    "weak_password": _l("新密码至少 8 位，两次输入要一样。"),
    "login_rate_limited": _l("登录尝试次数太多，为保护账号已暂停登录，请稍后再试。"),
    "csrf": _l("页面已过期，请刷新后重新提交。"),
    "location_unavailable": _l("这个活动需要确认您在现场：请允许浏览器获取位置后重试。"),
    "session_expired": _l("登录已过期，请重新登录。"),
    "activity_ended": _l("活动已结束，签到已关闭。"),
}


def sentence(code: str) -> str:
    return str(SENTENCES.get(code, SENTENCES["internal_error"]))
