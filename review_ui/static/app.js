// Keyboard first: every control with data-key answers to its key; "?" lists them all.
(() => {
  "use strict";
  const typing = (el) => !!el && (["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName) || el.isContentEditable);
  const usable = (el) => !el.disabled && !el.closest("[hidden]");
  let prefix = "";
  let prefixTimer = 0;

  function find(key) {
    return Array.from(document.querySelectorAll("[data-key]")).find((el) => el.dataset.key === key && usable(el));
  }

  function trigger(el) {
    if (["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName)) {
      el.focus();
      el.scrollIntoView({ block: "center", behavior: "instant" });
      return;
    }
    el.click();
  }

  function toggleHelp(force) {
    const help = document.getElementById("help");
    if (!help) return;
    help.hidden = force === undefined ? !help.hidden : !force;
    if (!help.hidden) help.querySelector(".overlay-box").focus?.();
  }

  document.addEventListener("keydown", (ev) => {
    if (ev.defaultPrevented) return;
    const help = document.getElementById("help");
    if (ev.key === "Escape") {
      if (help && !help.hidden) { toggleHelp(false); ev.preventDefault(); return; }
      if (typing(document.activeElement)) { document.activeElement.blur(); ev.preventDefault(); }
      return;
    }
    if (typing(ev.target) || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    let key = ev.key;
    if (prefix) {
      key = `${prefix} ${key}`;
      prefix = "";
    } else if (key === "g") {
      prefix = "g";
      clearTimeout(prefixTimer);
      prefixTimer = setTimeout(() => { prefix = ""; }, 1500);
      ev.preventDefault();
      return;
    }
    if (key === "?") { toggleHelp(); ev.preventDefault(); return; }
    const el = find(key);
    if (el) { ev.preventDefault(); trigger(el); }
  });

  document.addEventListener("click", (ev) => {
    if (ev.target.closest("#help-toggle")) { toggleHelp(); return; }
    const help = document.getElementById("help");
    if (help && !help.hidden && ev.target === help) toggleHelp(false);
  });

  // The queue: j/k move, Enter or o opens; a click anywhere on a row opens it.
  const table = document.getElementById("queue-table");
  if (table) {
    const rows = Array.from(table.querySelectorAll("tbody tr[data-href]"));
    let at = -1;
    const select = (i) => {
      if (!rows.length) return;
      at = Math.max(0, Math.min(rows.length - 1, i));
      rows.forEach((r, k) => r.classList.toggle("sel", k === at));
      rows[at].scrollIntoView({ block: "nearest" });
    };
    document.addEventListener("keydown", (ev) => {
      if (ev.defaultPrevented || typing(ev.target) || ev.ctrlKey || ev.metaKey || ev.altKey) return;
      if (ev.key === "j") { select(at + 1); ev.preventDefault(); }
      else if (ev.key === "k") { select(at - 1); ev.preventDefault(); }
      else if ((ev.key === "Enter" || ev.key === "o") && at >= 0) { window.location.assign(rows[at].dataset.href); ev.preventDefault(); }
    });
    rows.forEach((r) => r.addEventListener("click", (ev) => {
      if (!ev.target.closest("a, button, input")) window.location.assign(r.dataset.href);
    }));
  }
})();
