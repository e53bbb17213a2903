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
    not_found: "找不到这个活动",
    unauthorized: "登录已失效，请重新登录",
    forbidden: "请用志愿者账号登录后签到",
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

  return { checkInPage, screenPage };
})();
