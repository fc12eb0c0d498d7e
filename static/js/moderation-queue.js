// The moderation queue. Without JavaScript every comment is decided with its
// own buttons (or ticked by hand for the bulk form), "tell the author" is a
// checkbox labelled as applying to rejections, and an undo button is offered
// after each decision. With it:
// - "tick all" for the bulk decision;
// - "tell the author why" becomes a button beside Reject, shown only with it;
// - keys: j/k move between comments, a/r/s press the focused comment's
//   buttons, u undoes the last decision while the undo is offered;
// - the queue as it is now, asked every few seconds (moderation/desk_live.py):
//   "3 new comments waiting · Show", a comment another moderator decided is
//   said to be decided and its buttons go, and a comment another moderator is
//   reading (the one with their keyboard's focus) says who.
document.addEventListener("DOMContentLoaded", () => {
  tickAll();
  tellOnlyWithARejection();
  undoCountdown();
  keyboard();
  live();
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

function live() {
  const queue = document.querySelector("[data-desk-live]");
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (!queue || !token || !window.fetch) return;
  const every = Number(queue.dataset.every) * 1000;
  const arrivals = queue.querySelector(".queue-arrivals");
  let failures = 0;
  let timer = null;
  let asking = false;
  let reading = "";

  const shown = () =>
    Array.from(queue.querySelectorAll(".queue-item:not(.queue-item-decided)"), (item) =>
      item.id.replace("queue-", ""),
    );
  const focused = () => {
    const item = document.activeElement && document.activeElement.closest(".queue-item");
    return item ? item.id.replace("queue-", "") : "";
  };

  function show(now) {
    if (now.arrived) {
      arrivals.replaceChildren(now.arrived_words + " · ");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button";
      button.textContent = queue.dataset.show;
      button.addEventListener("click", () => window.location.reload());
      arrivals.append(button);
      arrivals.hidden = false;
    }
    Object.entries(now.decided).forEach(([pk, words]) => {
      const item = document.getElementById("queue-" + pk);
      if (!item || item.classList.contains("queue-item-decided")) return;
      // Decided elsewhere: its buttons go, so that nobody decides it twice; it says how.
      item.classList.add("queue-item-decided");
      item.querySelectorAll(".queue-decision, .queue-tick").forEach((part) => part.remove());
      const note = document.createElement("p");
      note.className = "queue-decided";
      note.setAttribute("role", "status");
      note.textContent = words;
      item.querySelector("article").prepend(note);
    });
    queue.querySelectorAll(".queue-item").forEach((item) => {
      const words = now.readers[item.id.replace("queue-", "")];
      let presence = item.querySelector(".queue-presence");
      if (!words) {
        if (presence) presence.remove();
        return;
      }
      if (!presence) {
        presence = document.createElement("p");
        presence.className = "queue-presence";
        presence.setAttribute("role", "status");
        item.querySelector(".queue-meta").after(presence);
      }
      if (presence.textContent !== words) presence.textContent = words;
    });
  }

  function ask() {
    timer = null;
    if (asking) return;
    if (document.hidden) {
      return; // Asked again when the page is looked at.
    }
    asking = true;
    reading = focused();
    const body = new URLSearchParams({ shown: shown().join(","), drawn: queue.dataset.drawn, reading });
    fetch(queue.dataset.deskLive, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token.value },
    })
      .then((response) => {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then((now) => {
        failures = 0;
        show(now);
      })
      .catch(() => {
        failures += 1;
      })
      .then(() => {
        asking = false;
        later();
      });
  }

  function later() {
    if (timer !== null) return;
    const wait = Math.min(every * 2 ** failures, 60000);
    timer = setTimeout(ask, wait * (0.8 + Math.random() * 0.4));
  }

  // Another comment read: the others are told at once, not at the next ask.
  document.addEventListener("focusin", () => {
    if (focused() !== reading && !asking) {
      clearTimeout(timer);
      ask();
    }
  });
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden && timer === null && !asking) ask();
  });
  ask();
}
