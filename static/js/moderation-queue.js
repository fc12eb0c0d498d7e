// The moderation queue: "tick all" for the bulk decision. Without JavaScript
// each comment is ticked by hand, or decided with its own buttons.
document.addEventListener("DOMContentLoaded", () => {
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
});
