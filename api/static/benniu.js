/* Benniu's small pages: the check-in page a scanned code opens, and the venue screen. */
const Benniu = (() => {
  const MESSAGES = {
    already_checked_in: "您已经签到过本次活动",
    activity_not_open: "现在不在活动的签到时间内",
    code_expired: "二维码已过期，请重新扫描现场二维码",
    invalid_code: "无法识别的二维码，请扫描活动签到码",
    outside_area: "您不在活动地点范围内，请到现场后再扫码",
    limit_reached: "活动名额已满，或今日该项积分已达上限",
    rate_limited: "操作太频繁，请稍后再试",
    not_found: "找不到（活动或兑付券不存在）",
    already_fulfilled: "这张券已经兑付过了",
    already_cancelled: "这张券已被取消",
    voucher_expired: "这张券已过期",
    unauthorized: "登录已失效，请重新登录",
    forbidden: "没有权限（请确认账号或券所属商户）",
  };
  const RESULTS = {
    awarded: (c) => `签到成功，获得 ${c.points} 积分`,
    open: () => "签到成功，活动结束签退时按服务小时计分",
    pending_review: () => "签到成功，积分待组织者审核后发放",
  };

  async function call(method, path, token, body, key) {
    const headers = { "Content-Type": "application/json" };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (key) headers["Idempotency-Key"] = key;
    const response = await fetch(path, { method, headers, body: body ? JSON.stringify(body) : undefined });
    const data = await response.json().catch(() => ({}));
    return { status: response.status, data };
  }

  function show(element, text, kind) {
    element.textContent = text;
    element.className = `status ${kind || ""}`;
  }

  function position() {
    return new Promise((resolve) => {
      if (!navigator.geolocation) return resolve(null);
      navigator.geolocation.getCurrentPosition(
        (p) => resolve({ lat: p.coords.latitude, lng: p.coords.longitude }),
        () => resolve(null), { enableHighAccuracy: true, timeout: 8000 });
    });
  }

  function checkInPage(root) {
    const code = root.dataset.code;
    const status = root.querySelector("#status");
    const detail = root.querySelector("#detail");
    const form = root.querySelector("#login");
    const key = `scan-${code.slice(-12)}-${Math.random().toString(36).slice(2)}`;

    async function checkIn(where) {
      const token = localStorage.getItem("benniu.token");
      if (!token) return askLogin();
      show(status, "正在签到…");
      const { status: http, data } = await call("POST", "/api/v1/checkins", token, { code, ...(where || {}) }, key);
      if (http === 201) {
        show(status, RESULTS[data.status](data), "ok");
        const balance = await call("GET", `/api/v1/members/${data.member_id}/balance`, token);
        if (balance.status === 200) detail.textContent = `当前可用积分：${balance.data.available}`;
        return;
      }
      if (http === 401 || (http === 403 && data.code === "forbidden")) {
        localStorage.removeItem("benniu.token");
        return askLogin(MESSAGES[data.code]);
      }
      if (data.code === "outside_area" && !where) {
        show(status, "该活动需要确认您的位置…");
        const here = await position();
        if (here) return checkIn(here);
      }
      show(status, MESSAGES[data.code] || data.message || "签到失败，请稍后再试", "error");
    }

    function askLogin(reason) {
      show(status, reason || "请先登录");
      form.hidden = false;
    }

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const fields = new FormData(form);
      const { status: http, data } = await call("POST", "/api/v1/auth/login", null,
        { phone: fields.get("phone"), password: fields.get("password") });
      if (http !== 200) return show(status, "手机号或密码不正确", "error");
      localStorage.setItem("benniu.token", data.token);
      form.hidden = true;
      checkIn();
    });
    checkIn();
  }

  function screenPage(root) {
    const box = root.querySelector("#code");
    const status = root.querySelector("#status");
    const form = root.querySelector("#token");
    const seconds = Number(root.dataset.refresh);
    let timer = null;

    async function refresh() {
      const token = localStorage.getItem("benniu.organiser_token");
      if (!token) { form.hidden = false; return; }
      const response = await fetch(`/api/v1/activities/${root.dataset.activity}/live.svg`,
        { headers: { Authorization: `Bearer ${token}` }, cache: "no-store" });
      if (response.ok) {
        box.innerHTML = await response.text();
        show(status, "");
      } else {
        const data = await response.json().catch(() => ({}));
        if (response.status === 401 || response.status === 403) {
          localStorage.removeItem("benniu.organiser_token");
          form.hidden = false;
        }
        show(status, MESSAGES[data.code] || "无法获取签到码", "error");
      }
    }

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      localStorage.setItem("benniu.organiser_token", new FormData(form).get("token").trim());
      form.hidden = true;
      refresh();
    });
    refresh();
    timer = setInterval(refresh, seconds * 1000);
    return () => clearInterval(timer);
  }

  function voucherPage(root) {
    const status = root.querySelector("#status");
    const form = root.querySelector("#token");
    const button = root.querySelector("#fulfil");
    const receipt = root.querySelector("#receipt");
    const key = `fulfil-${root.dataset.code}`;
    const ready = () => { form.hidden = !!localStorage.getItem("benniu.partner_token"); button.hidden = !form.hidden; };

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      localStorage.setItem("benniu.partner_token", new FormData(form).get("token").trim());
      ready();
    });
    button.addEventListener("click", async () => {
      button.disabled = true;
      const token = localStorage.getItem("benniu.partner_token");
      const { status: http, data } = await call("POST", "/api/v1/redemptions/fulfil", token,
        { voucher_code: root.dataset.code }, key);
      button.disabled = false;
      if (http === 401) { localStorage.removeItem("benniu.partner_token"); ready(); }
      if (http !== 200) return show(status, MESSAGES[data.code] || data.message || "兑付失败", "error");
      show(status, "兑付成功", "ok");
      button.hidden = true;
      const rows = [["奖品", data.reward_name], ["积分", data.points], ["房号", data.household],
        ["金额", data.amount_fen != null ? `${(data.amount_fen / 100).toFixed(2)} 元` : null],
        ["回执号", data.receipt_no], ["时间", data.fulfilled_at]];
      receipt.replaceChildren(...rows.filter(([, v]) => v != null).flatMap(([k, v]) => {
        const dt = document.createElement("dt"); dt.textContent = k;
        const dd = document.createElement("dd"); dd.textContent = v;
        return [dt, dd];
      }));
      receipt.hidden = false;
    });
    ready();
  }

  return { checkInPage, screenPage, voucherPage };
})();
