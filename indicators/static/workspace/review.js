// Review page: keyboard shortcuts over the figure cards, and "tick all" for bulk actions.
// j/k next/previous card · v verify · r reject · c correct the number · g change the code ·
// x tick · o open the figure's page. After an action the next card takes the focus.
(function () {
  "use strict";
  const cards = () => Array.from(document.querySelectorAll(".rv-card"));
  const current = () => document.activeElement && document.activeElement.closest(".rv-card");

  function focusCard(card) {
    if (!card) return;
    card.focus({ preventScroll: true });
    card.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    const all = cards();
    if (!all.length) return;
    const at = all.indexOf(current());
    focusCard(all[Math.min(Math.max(at + step, 0), all.length - 1)] || all[0]);
  }

  function typing(target) {
    return target && (target.matches("input, select, textarea") || target.isContentEditable);
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    const card = current() || cards()[0];
    const click = (selector) => { const el = card && card.querySelector(selector); if (el) el.click(); };
    const focus = (selector) => { const el = card && card.querySelector(selector); if (el) { el.focus(); el.select && el.select(); } };
    const actions = {
      j: () => move(1), k: () => move(-1),
      v: () => click(".rv-verify"), r: () => click(".rv-reject"),
      c: () => focus(".rv-number"), g: () => focus(".rv-code-search"),
      x: () => click(".rv-tick"), o: () => click(".rv-open"),
      n: () => { const next = document.getElementById("next-value"); if (next) next.click(); },
    };
    const action = actions[event.key];
    if (action) { event.preventDefault(); action(); }
  });

  // After htmx swaps a reviewed card in, the next card takes the focus.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    const card = event.detail.target && document.getElementById(event.detail.target.id);
    if (card && card.classList.contains("rv-card") && !card.querySelector(".error")) {
      const all = cards();
      focusCard(all[all.indexOf(card) + 1] || card);
    }
  });

  const tickAll = document.getElementById("tick-all");
  if (tickAll) {
    tickAll.addEventListener("change", function () {
      document.querySelectorAll(".rv-tick").forEach((box) => { box.checked = tickAll.checked; });
    });
  }
})();
