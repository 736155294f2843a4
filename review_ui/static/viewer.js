// The invoice screen: page images with a box per field; selecting a field lights its box and the other
// way round; clicking a word fills the selected field; values are checked as they are typed.
(() => {
  "use strict";
  const viewer = document.getElementById("viewer");
  const form = document.getElementById("correction");
  if (!viewer || !form) return;
  const docId = viewer.dataset.doc;
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const pages = Array.from(viewer.querySelectorAll("figure.page"));
  const inputs = Array.from(form.querySelectorAll("input.fv"));
  const typing = (el) => !!el && ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName);
  let current = 0;
  let zoom = 1;
  let selected = -1;

  // "n" opens the next item after this one.
  const next = document.querySelector('a[data-key="n"]');
  if (next) next.href = `/queue/next?after=${docId}`;

  function place(el, page) {
    const [x0, y0, x1, y1] = el.dataset.b.split(",").map(Number);
    const w = Number(page.dataset.w), h = Number(page.dataset.h);
    el.style.left = `${(x0 / w) * 100}%`;
    el.style.top = `${(y0 / h) * 100}%`;
    el.style.width = `${((x1 - x0) / w) * 100}%`;
    el.style.height = `${((y1 - y0) / h) * 100}%`;
  }
  pages.forEach((p) => {
    // The page keeps its shape before (or without) its image, so the boxes sit right from the start.
    p.style.aspectRatio = `${Number(p.dataset.w)} / ${Number(p.dataset.h)}`;
    p.querySelectorAll("[data-b]").forEach((el) => place(el, p));
  });

  function showPage(i) {
    if (!pages.length) return;
    current = Math.max(0, Math.min(pages.length - 1, i));
    pages.forEach((p, k) => { p.hidden = k !== current; });
    const img = pages[current].querySelector("img");
    if (img && img.loading === "lazy") img.loading = "eager";
    document.getElementById("page-no").textContent = String(current + 1);
  }

  function setZoom(z) {
    zoom = Math.max(0.5, Math.min(3, z));
    pages.forEach((p) => { p.style.width = `${zoom * 100}%`; });
  }

  const fieldName = (input) => input.closest("[data-field]").dataset.field;
  const boxesFor = (name) => Array.from(viewer.querySelectorAll(`.box[data-field="${CSS.escape(name)}"]`));

  function select(i, focus) {
    if (!inputs.length) return;
    selected = Math.max(0, Math.min(inputs.length - 1, i));
    const input = inputs[selected];
    const name = fieldName(input);
    form.querySelectorAll("[data-field].sel").forEach((el) => el.classList.remove("sel"));
    viewer.querySelectorAll(".box.sel").forEach((el) => el.classList.remove("sel"));
    input.closest("[data-field]").classList.add("sel");
    const boxes = boxesFor(name);
    boxes.forEach((b) => b.classList.add("sel"));
    if (boxes.length) {
      const page = boxes[0].closest("figure.page");
      showPage(pages.indexOf(page));
      boxes[0].scrollIntoView({ block: "center", inline: "nearest", behavior: "instant" });
    }
    if (focus) input.focus();
    else input.closest("[data-field]").scrollIntoView({ block: "nearest" });
  }

  inputs.forEach((input, i) => {
    input.addEventListener("focus", () => { if (selected !== i) select(i, false); });
    input.addEventListener("input", () => check(input));
  });
  // A click on a word fills the selected field; with no field selected (or with Alt held) it selects
  // the field whose box holds that word, so the page leads to the field as the field leads to the page.
  viewer.addEventListener("click", (ev) => {
    const word = ev.target.closest(".w");
    if (!word) return;
    ev.preventDefault();
    if (selected < 0 || ev.altKey) { selectAt(word); return; }
    fill(word, ev.shiftKey);
  });

  function selectAt(word) {
    const page = word.closest("figure.page");
    const [x0, y0, x1, y1] = word.dataset.b.split(",").map(Number);
    const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
    const box = Array.from(page.querySelectorAll(".box")).find((b) => {
      const [a, b0, c, d] = b.dataset.b.split(",").map(Number);
      return a <= cx && cx <= c && b0 <= cy && cy <= d;
    });
    const i = box ? inputs.findIndex((inp) => fieldName(inp) === box.dataset.field) : -1;
    if (i >= 0) select(i, false);
    else flash("Select a field first (j/k or click it), then click the word.");
  }

  // Clicking a word puts its text into the selected field (shift-click adds it), and records where on
  // the page the value came from, so the correction is as traceable as the machine's reading.
  function fill(word, append) {
    const input = inputs[selected];
    if (input.readOnly) return;
    const page = word.closest("figure.page");
    const name = fieldName(input);
    const pageInput = form.querySelector(`input[name="page:${CSS.escape(name)}"]`);
    const bboxInput = form.querySelector(`input[name="bbox:${CSS.escape(name)}"]`);
    let box = word.dataset.b.split(",").map(Number);
    if (append && input.value && bboxInput.value && pageInput.value === page.dataset.page) {
      const prev = bboxInput.value.split(",").map(Number);
      box = [Math.min(prev[0], box[0]), Math.min(prev[1], box[1]), Math.max(prev[2], box[2]), Math.max(prev[3], box[3])];
      input.value = `${input.value} ${word.textContent}`;
    } else {
      input.value = word.textContent;
    }
    pageInput.value = page.dataset.page;
    bboxInput.value = box.map((v) => v.toFixed(2)).join(",");
    let marker = boxesFor(name)[0];
    if (!marker || marker.closest("figure.page") !== page) {
      marker = document.createElement("div");
      marker.className = "box";
      marker.dataset.field = name;
      page.querySelector(".boxes").appendChild(marker);
    }
    marker.dataset.b = bboxInput.value;
    place(marker, page);
    input.closest("[data-field]").classList.add("changed");
    select(selected, false);
    check(input);
  }

  const timers = new WeakMap();
  function check(input) {
    if (input.readOnly) return;
    clearTimeout(timers.get(input));
    timers.set(input, setTimeout(async () => {
      const holder = input.closest("[data-field]");
      const out = holder.querySelector(".problem");
      try {
        const res = await fetch("/api/v1/validate", {
          method: "POST", credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
          body: JSON.stringify({ field: input.dataset.check, value: input.value }),
        });
        if (!res.ok) return;
        const result = await res.json();
        holder.classList.toggle("invalid", !result.ok);
        if (out) out.textContent = result.ok ? "" : result.message;
      } catch (_err) { /* offline: the server checks again on save */ }
    }, 250));
  }

  function flash(text) {
    let el = document.getElementById("viewer-hint");
    if (!el) {
      el = document.createElement("p");
      el.id = "viewer-hint";
      el.className = "flash warn";
      viewer.prepend(el);
    }
    el.textContent = text;
  }

  viewer.querySelector(".viewer-bar").addEventListener("click", (ev) => {
    const action = ev.target.closest("[data-viewer]")?.dataset.viewer;
    if (action === "prev") showPage(current - 1);
    else if (action === "next") showPage(current + 1);
    else if (action === "zoom-in") setZoom(zoom + 0.25);
    else if (action === "zoom-out") setZoom(zoom - 0.25);
    else if (action === "fit") setZoom(1);
  });

  document.addEventListener("keydown", (ev) => {
    if (ev.defaultPrevented) return;
    if ((ev.ctrlKey || ev.metaKey) && ev.key.toLowerCase() === "s") {
      ev.preventDefault();
      form.requestSubmit();
      return;
    }
    if (typing(ev.target)) {
      const i = inputs.indexOf(ev.target);
      if (i < 0) return;
      if (ev.altKey && ev.key === "ArrowDown") { select(i + 1, true); ev.preventDefault(); }
      else if (ev.altKey && ev.key === "ArrowUp") { select(i - 1, true); ev.preventDefault(); }
      else if (ev.key === "Enter" && !ev.ctrlKey) { select(i + 1, true); ev.preventDefault(); }
      else if (ev.key === "Enter" && ev.ctrlKey) { form.requestSubmit(); ev.preventDefault(); }
      return;
    }
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (ev.key === "Escape" && selected >= 0) {
      form.querySelectorAll("[data-field].sel").forEach((el) => el.classList.remove("sel"));
      viewer.querySelectorAll(".box.sel").forEach((el) => el.classList.remove("sel"));
      selected = -1;
      return;
    }
    if (ev.key === "j") { select(selected + 1, false); ev.preventDefault(); }
    else if (ev.key === "k") { select(selected - 1, false); ev.preventDefault(); }
    else if (ev.key === "Enter" && selected >= 0) { inputs[selected].focus(); ev.preventDefault(); }
    else if (ev.key === "l") {
      const first = inputs.findIndex((inp) => fieldName(inp).startsWith("line-"));
      if (first >= 0) { select(first, true); ev.preventDefault(); }
    }
  });

  showPage(0);
})();
