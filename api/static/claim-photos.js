/* /me/claims/new: the photos (照片) are shrunk on the phone before they are sent (at most 1600 px, as
   JPEG), so a tip goes out quickly on a weak signal; the server re-encodes them anyway. No inline script. */
(() => {
  "use strict";
  const form = document.getElementById("claim-form");
  const input = document.getElementById("photo");
  if (!form || !input || !window.DataTransfer || !HTMLCanvasElement.prototype.toBlob) return;
  const status = document.getElementById("photo-status");
  const most = Number(input.dataset.most);
  const side = Number(input.dataset.side);

  function shrunk(file) {
    return new Promise((resolve) => {
      const image = new Image();
      const url = URL.createObjectURL(file);
      image.onload = () => {
        const scale = Math.min(1, side / Math.max(image.naturalWidth, image.naturalHeight));
        const canvas = document.createElement("canvas");
        canvas.width = Math.round(image.naturalWidth * scale);
        canvas.height = Math.round(image.naturalHeight * scale);
        canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
        URL.revokeObjectURL(url);
        canvas.toBlob((blob) => resolve(blob ? new File([blob], file.name.replace(/\.\w+$/, "") + ".jpg",
                                                        { type: "image/jpeg" }) : file), "image/jpeg", 0.85);
      };
      image.onerror = () => { URL.revokeObjectURL(url); resolve(file); };  // the server says what it is
      image.src = url;
    });
  }

  input.addEventListener("change", () => {
    const over = input.files.length > most;
    status.hidden = !over;
    status.textContent = over ? input.dataset.tooMany : "";
  });

  form.addEventListener("submit", async (event) => {
    if (form.dataset.shrunk || !input.files.length) return;
    event.preventDefault();
    event.stopPropagation();  // benniu.js marks the form sent when it really goes
    if (input.files.length > most) return;
    const files = new DataTransfer();
    for (const file of Array.from(input.files)) files.items.add(await shrunk(file));
    input.files = files.files;
    form.dataset.shrunk = "1";
    form.requestSubmit();
  });
})();
