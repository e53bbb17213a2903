/* /console/activities/<id>/offline: card check-in with no signal. Each scan (camera or typed) is kept in
   IndexedDB with its time and a fresh nonce; 上传 (or the signal coming back) sends those still waiting,
   and each answer is shown beside its scan. A service worker keeps the page itself for when there is no
   signal. No inline script: what the page needs is in #offline's data attributes. */
(() => {
  "use strict";
  const root = document.getElementById("offline");
  if (!root) return;
  const activity = Number(root.dataset.activity);
  const words = JSON.parse(root.dataset.words);
  const sayings = JSON.parse(root.dataset.sayings);
  const list = document.getElementById("scans");
  const count = document.getElementById("pending-count");
  const status = document.getElementById("upload-status");
  const network = document.getElementById("network");
  const uploadButton = document.getElementById("upload");
  let uploading = false;

  // The page and what it loads, kept by the service worker's cache for a reload with no signal.
  async function keepForOffline() {
    if (!("serviceWorker" in navigator) || !window.caches) return;
    try {
      await navigator.serviceWorker.register(root.dataset.worker, { scope: root.dataset.scope });
      const cache = await caches.open("benniu-offline");
      await cache.addAll([root.dataset.scope, ...JSON.parse(root.dataset.assets)]);
      await navigator.serviceWorker.ready;
      root.dataset.ready = "1";
    } catch (error) {
      root.dataset.ready = "0";
    }
  }

  // IndexedDB: one store of scans, keyed by nonce.
  function database() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open("benniu-offline", 1);
      request.onupgradeneeded = () => {
        const store = request.result.createObjectStore("scans", { keyPath: "nonce" });
        store.createIndex("activity", "activity");
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }
  const opened = database();

  async function transact(mode, work) {
    const db = await opened;
    return new Promise((resolve, reject) => {
      const tx = db.transaction("scans", mode);
      const result = work(tx.objectStore("scans"));
      tx.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
      tx.onerror = () => reject(tx.error);
    });
  }

  const scans = () => transact("readonly", (store) => store.index("activity").getAll(activity));
  const keep = (scan) => transact("readwrite", (store) => store.put(scan));

  function nonce() {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  }

  function device() {
    let name = localStorage.getItem("benniu-device");
    if (!name) {
      name = `${words.device}-${nonce().slice(0, 6)}`;
      localStorage.setItem("benniu-device", name);
    }
    return name;
  }

  function label(card) {
    const text = card.trim();
    return /^\d{1,20}$/.test(text) ? text : `${words.card} …${text.replace(/\/+$/, "").slice(-6)}`;
  }

  function stateOf(scan) {
    if (scan.status === "accepted") return words.accepted;
    if (scan.status === "duplicate" || scan.status === "refused") return scan.said || sayings[scan.code] || "";
    return words.waiting;
  }

  async function show() {
    const all = (await scans()).sort((a, b) => b.at.localeCompare(a.at));
    count.textContent = String(all.filter((scan) => !scan.status).length);
    list.replaceChildren(...all.map((scan) => {
      const item = document.createElement("li");
      item.dataset.state = scan.status || "pending";
      const card = document.createElement("strong");
      card.textContent = label(scan.card);
      const when = document.createElement("time");
      when.dateTime = scan.at;
      when.textContent = new Date(scan.at).toLocaleTimeString("zh-CN", { hour12: false, timeZone: root.dataset.zone });
      const state = document.createElement("span");
      state.className = "state";
      state.textContent = stateOf(scan) + (scan.again && !scan.status ? ` ${words.again}` : "");
      item.append(card, " ", when, " ", state);
      return item;
    }));
  }

  async function record(card) {
    const text = card.trim();
    if (!text) return;
    const again = (await scans()).some((scan) => scan.card === text);
    await keep({ nonce: nonce(), activity, card: text, at: new Date().toISOString(), again });
    status.textContent = again ? words.scannedBefore : words.kept;
    await show();
    if (navigator.onLine) upload();
  }

  // `asked`: 上传 was pressed (say why nothing was sent); else the page sends on its own, quietly.
  async function upload(asked = false) {
    if (uploading) return;
    const waiting = (await scans()).filter((scan) => !scan.status);
    if (!waiting.length) { if (asked) status.textContent = words.nothing; return; }
    if (!navigator.onLine) { if (asked) status.textContent = words.noSignal; return; }
    uploading = true;
    uploadButton.disabled = true;
    status.textContent = words.uploading;
    try {
      const response = await fetch(root.dataset.upload, {
        method: "POST", credentials: "same-origin", redirect: "manual",
        headers: { "Content-Type": "application/json", "X-CSRFToken": root.dataset.csrf },
        body: JSON.stringify({ device: device(), scans: waiting.map(({ card, at, nonce: id }) => ({ card, at, nonce: id })) }),
      });
      const typed = response.headers.get("Content-Type") || "";
      if (!response.ok || !typed.includes("json")) {
        status.textContent = response.type === "opaqueredirect" || response.status === 400 ? words.signIn : words.failed;
        return;
      }
      const answers = new Map((await response.json()).results.map((answer) => [answer.nonce, answer]));
      for (const scan of waiting) {
        const answer = answers.get(scan.nonce);
        if (answer) await keep({ ...scan, status: answer.status, code: answer.code, said: answer.said });
      }
      status.textContent = words.uploaded;
    } catch (error) {
      status.textContent = words.failed;
    } finally {
      uploading = false;
      uploadButton.disabled = false;
      await show();
    }
  }

  function showNetwork() {
    network.textContent = navigator.onLine ? words.online : words.offline;
    network.dataset.online = navigator.onLine ? "1" : "0";
  }

  document.getElementById("card-form").addEventListener("submit", (event) => {
    event.preventDefault();
    event.stopPropagation();  // benniu.js sends a form once; this one is used again and again
    const input = event.target.elements.card;
    record(input.value);
    input.value = "";
    input.focus();
  });
  uploadButton.addEventListener("click", () => upload(true));
  window.addEventListener("online", () => { showNetwork(); upload(); });
  window.addEventListener("offline", showNetwork);

  const open = document.getElementById("camera-open");
  const cameraStatus = document.getElementById("camera-status");
  if (window.BenniuCamera && window.BenniuCamera.available()) {
    open.hidden = false;
    let last = { text: null, at: 0 };
    open.addEventListener("click", async () => {
      open.hidden = true;
      try {
        await window.BenniuCamera.watch(document.getElementById("camera"), root.dataset.decoder, async (text) => {
          if (text === last.text && Date.now() - last.at < 3000) return true;  // the same card still in view
          last = { text, at: Date.now() };
          await record(text);
          return true;
        });
      } catch (error) {
        cameraStatus.textContent = words.noCamera;
        open.hidden = false;
      }
    });
  }

  showNetwork();
  show().then(() => { if (navigator.onLine) upload(); });
  keepForOffline();
})();
