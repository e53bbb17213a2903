/* Benniu's pages work without JavaScript; this adds the camera, the automatic check-in
   after a scan, the venue screen's refresh, the receipt's print button, and one press per button. No inline script. */
(() => {
  "use strict";

  // A form is sent once: a second tap while the page loads does nothing.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
    form.querySelectorAll("button[type=submit]").forEach((button) => { button.disabled = true; });
  });

  function submit(form) {
    if (form.dataset.sent) return;
    form.dataset.sent = "1";
    form.submit();
  }

  // Landing from a scanned code: check in at once, with the position when the activity has a place.
  function autoCheckIn(form) {
    if (!form.dataset.needsPlace || !navigator.geolocation) return submit(form);
    navigator.geolocation.getCurrentPosition((position) => {
      form.elements.lat.value = position.coords.latitude;
      form.elements.lng.value = position.coords.longitude;
      submit(form);
    }, () => submit(form), { enableHighAccuracy: true, timeout: 10000 });
  }

  // The camera, read by the browser's BarcodeDetector or else by jsQR (loaded only now): calls
  // `found(text)` for each code it reads until that returns false. /scan and the offline check-in use it.
  function loadDecoder(url) {
    return new Promise((resolve, reject) => {
      if (window.jsQR) return resolve(window.jsQR);
      const script = document.createElement("script");
      script.src = url;
      script.onload = () => resolve(window.jsQR);
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  async function reader(video, decoderUrl) {
    if ("BarcodeDetector" in window) {
      const formats = await window.BarcodeDetector.getSupportedFormats();
      if (formats.includes("qr_code")) {
        const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
        return async () => ((await detector.detect(video))[0] || {}).rawValue;
      }
    }
    const decode = await loadDecoder(decoderUrl);
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("2d", { willReadFrequently: true });
    return async () => {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0);
      const image = context.getImageData(0, 0, canvas.width, canvas.height);
      return (decode(image.data, image.width, image.height) || {}).data;
    };
  }

  async function watchCamera(video, decoderUrl, found) {
    video.srcObject = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    video.hidden = false;
    await video.play();
    const read = await reader(video, decoderUrl);
    const tick = async () => {
      const text = video.videoWidth ? await read() : null;
      if (text && (await found(text)) === false) {
        video.srcObject.getTracks().forEach((track) => track.stop());
        return;
      }
      setTimeout(tick, 200);
    };
    tick();
  }
  window.BenniuCamera = { available: () => !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia),
                          watch: watchCamera };

  // /scan: the first code read is sent at once.
  function scanner(root) {
    const open = root.querySelector("#camera-open");
    const video = root.querySelector("#camera");
    const status = root.querySelector("#camera-status");
    const form = root.querySelector("#scan-form");
    if (!window.BenniuCamera.available()) return;
    open.hidden = false;

    open.addEventListener("click", async () => {
      open.hidden = true;
      status.textContent = status.dataset.starting || "";
      try {
        await watchCamera(video, root.dataset.decoder, (text) => {
          status.textContent = "";
          form.elements.code.value = text;
          submit(form);
          return false;
        });
        status.textContent = "";
      } catch (error) {
        status.textContent = status.dataset.failed || "";
        open.hidden = false;
      }
    });
  }

  // The venue screen: a fresh code every few seconds; when none is issued any more, the page says why.
  function liveCode(image) {
    const status = document.getElementById("screen-status");
    let shown = null;
    async function refresh() {
      try {
        const response = await fetch(image.dataset.src, { cache: "no-store", credentials: "same-origin" });
        if (response.status === 401 || response.status === 409) return window.location.reload();
        if (!response.ok) throw new Error(String(response.status));
        const url = URL.createObjectURL(await response.blob());
        image.src = url;
        const short = document.getElementById("live-short-code");
        if (short) short.textContent = response.headers.get("X-Short-Code") || "";
        if (shown) URL.revokeObjectURL(shown);
        shown = url;
        status.textContent = "";
      } catch (error) {
        status.textContent = status.dataset.offline || "";
      }
    }
    refresh();
    setInterval(refresh, Number(image.dataset.refresh) * 1000);
  }

  document.addEventListener("DOMContentLoaded", () => {
    const checkin = document.getElementById("checkin-form");
    if (checkin && checkin.dataset.auto) autoCheckIn(checkin);
    const scan = document.getElementById("scanner");
    if (scan) scanner(scan);
    const live = document.getElementById("live-code");
    if (live) liveCode(live);
    const print = document.getElementById("print");
    if (print) print.addEventListener("click", () => window.print());
  });
})();
