// The moderation queue. Without JavaScript every comment is decided with its
// own buttons (or ticked by hand for the bulk form), "tell the author" is a
// checkbox labelled as applying to rejections, and an undo button is offered
// after each decision. With it:
// - "tick all" for the bulk decision;
// - "tell the author why" becomes a button beside Reject, shown only with it;
// - keys: j/k move between comments, a/r/s press the focused comment's
//   buttons, u undoes the last decision while the undo is offered.
document.addEventListener("DOMContentLoaded", () => {
  tickAll();
  tellOnlyWithARejection();
  undoCountdown();
  keyboard();
});

function tickAll() {
  const all = document.querySelector("[data-select-all]");
  if (!all) return;
  const ticks = () => document.querySelectorAll(".queue-tick");
  all.closest("label").hidden = false;
  all.addEventListener("change", () => {
    ticks().forEach((tick) => { tick.checked = all.checked; });
  });
  document.addEventListener("change", (event) => {
    if (!event.target.classList.contains("queue-tick")) return;
    const states = Array.from(ticks(), (tick) => tick.checked);
    all.checked = states.every(Boolean);
    all.indeterminate = !all.checked && states.some(Boolean);
  });
}

function tellOnlyWithARejection() {
  document.querySelectorAll(".queue-tell").forEach((field) => {
    const form = field.closest("form");
    const checkbox = field.querySelector("input[type=checkbox]");
    const reject = form.querySelector("button[name=decision][value=rejected]");
    if (!reject) return;
    field.hidden = true;
    const tell = document.createElement("button");
    tell.type = "submit";
    tell.name = "decision";
    tell.value = "rejected";
    tell.className = reject.className.replace(" default", "") + " queue-reject-and-tell";
    tell.textContent = field.dataset.button;
    tell.addEventListener("click", () => { checkbox.checked = true; });
    reject.addEventListener("click", () => { checkbox.checked = false; });
    reject.after(tell);
  });
}

function undoCountdown() {
  const undo = document.querySelector(".queue-undo");
  if (!undo) return;
  const left = new Date(undo.dataset.undoUntil) - Date.now();
  setTimeout(() => { undo.hidden = true; }, Math.max(0, left));
}

const FOCUSED = "moderation-queue-focused";

function keyboard() {
  const items = () => Array.from(document.querySelectorAll(".queue-item > article"));
  if (!items().length && !document.querySelector(".queue-undo")) return;
  const hint = document.querySelector(".queue-keys");
  if (hint) hint.hidden = false;
  // After a decision the page comes back: focus the comment that took the decided one's place.
  const place = sessionStorage.getItem(FOCUSED);
  sessionStorage.removeItem(FOCUSED);
  if (place !== null && items().length) {
    items()[Math.min(Number(place), items().length - 1)].focus();
  }
  const current = () => items().findIndex((item) => item.contains(document.activeElement));
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest("input, select, textarea, [contenteditable]")) return;
    const list = items();
    const index = current();
    if (event.key === "j" || event.key === "k") {
      const step = event.key === "j" ? 1 : -1;
      const next = index === -1 ? 0 : Math.min(list.length - 1, Math.max(0, index + step));
      if (list[next]) {
        list[next].focus();
        list[next].scrollIntoView({ block: "nearest" });
      }
      event.preventDefault();
    } else if (event.key === "u") {
      const undo = document.querySelector(".queue-undo:not([hidden]) [data-key=u]");
      if (undo) {
        event.preventDefault();
        undo.click();
      }
    } else if (["a", "r", "s"].includes(event.key) && index !== -1) {
      const button = list[index].querySelector(`.queue-decision [data-key="${event.key}"]`);
      if (button) {
        event.preventDefault();
        sessionStorage.setItem(FOCUSED, String(index));
        button.click();
      }
    }
  });
}
