/* The organiser's console: charts drawn from the figures the page already holds (Chart.js,
   served by the service), and pickers that apply at once. The page reads fine without it. No inline script. */
(() => {
  "use strict";
  const PALETTE = ["#b3261e", "#1f5fa8", "#1b7f3b", "#c77700", "#6b3fa0", "#444"];

  if (window.Chart) window.Chart.defaults.font.size = 15;  // big type, here too
  document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
    if (!window.Chart) return;
    const series = JSON.parse(canvas.dataset.series);
    new window.Chart(canvas, {
      type: canvas.dataset.chart,
      data: {
        labels: JSON.parse(canvas.dataset.labels),
        datasets: series.map((one, index) => ({ ...one, backgroundColor: PALETTE[index % PALETTE.length],
                                                borderColor: PALETTE[index % PALETTE.length] })),
      },
      options: { responsive: true, animation: false, plugins: { legend: { position: "bottom" } },
                 scales: canvas.dataset.chart === "pie" ? {} : { y: { beginAtZero: true } } },
    });
  });

  document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });

  // A print button (the poster, a member's card): the browser's print dialog, to paper or PDF.
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  });
})();

/* Console: activities — "使用当前位置" fills the place from the browser's position (the fields work without it). */
(() => {
  "use strict";
  document.querySelectorAll("[data-locate]").forEach((box) => {
    const button = box.querySelector("#locate");
    const status = box.querySelector("#locate-status");
    if (!button || !navigator.geolocation) return;
    button.hidden = false;
    button.addEventListener("click", () => {
      status.textContent = status.dataset.working || "";
      navigator.geolocation.getCurrentPosition((position) => {
        box.querySelector("#lat").value = position.coords.latitude.toFixed(6);
        box.querySelector("#lng").value = position.coords.longitude.toFixed(6);
        status.textContent = status.dataset.done || "";
      }, () => { status.textContent = status.dataset.failed || ""; }, { enableHighAccuracy: true, timeout: 10000 });
    });
  });
})();

/* Console on a phone: the menu is a strip that scrolls sideways; the current section is brought into it. */
(() => {
  "use strict";
  const strip = document.querySelector(".console-sections");
  const here = strip && strip.querySelector("[aria-current]");
  if (!here || strip.scrollWidth <= strip.clientWidth) return;
  const offset = here.getBoundingClientRect().left - strip.getBoundingClientRect().left;
  strip.scrollLeft += offset - (strip.clientWidth - here.offsetWidth) / 2;
})();
