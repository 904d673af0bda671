/* Search-and-pick (hongniudai.common.pick): the text box fetches matches with HTMX; a click on one
   fills the hidden input and tells the form it changed (a picker of several adds it to its ticked list). Typing in the box never submits a filter
   form by itself (its change event stops here); clearing the box clears the choice. */
(function () {
  "use strict";
  function box(el) { return el.closest("[data-pick]"); }
  function close(b) { var list = b.querySelector("[data-pick-list]"); if (list) { list.innerHTML = ""; } }
  document.addEventListener("change", function (e) {
    if (e.target.matches && e.target.matches("[data-pick-q]")) { e.stopPropagation(); }
  }, true);
  document.addEventListener("input", function (e) {
    if (e.target.matches && e.target.matches("[data-pick-q]") && !e.target.value) {
      var hidden = box(e.target).querySelector("[data-pick-value]");
      if (hidden.value) { hidden.value = ""; hidden.dispatchEvent(new Event("change", { bubbles: true })); }
    }
  });
  document.addEventListener("click", function (e) {
    var choice = e.target.closest && e.target.closest("[data-pick-id]");
    document.querySelectorAll("[data-pick]").forEach(function (b) {
      if (!b.contains(e.target)) { close(b); }
    });
    if (!choice) { return; }
    var b = box(choice);
    if (b.dataset.pickMany !== undefined) { many(b, choice); return; }
    var hidden = b.querySelector("[data-pick-value]");
    b.querySelector("[data-pick-q]").value = choice.dataset.pickLabel;
    close(b);
    if (hidden.value !== choice.dataset.pickId) {
      hidden.value = choice.dataset.pickId;
      hidden.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });
  /* A picker of several (data-pick-many): each pick joins the chosen list as a ticked box. */
  function many(b, choice) {
    var id = choice.dataset.pickId, chosen = b.querySelector("[data-pick-chosen]");
    b.querySelector("[data-pick-q]").value = "";
    close(b);
    if (!id || chosen.querySelector('input[value="' + id + '"]')) { return; }
    var label = document.createElement("label"), tick = document.createElement("input");
    label.className = "badge text-bg-light border fw-normal text-wrap text-start";
    tick.type = "checkbox"; tick.className = "form-check-input me-1"; tick.checked = true;
    tick.name = b.dataset.pickMany; tick.value = id;
    label.appendChild(tick);
    label.appendChild(document.createTextNode(" " + choice.dataset.pickLabel));
    chosen.appendChild(label);
  }
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && e.target.matches && e.target.matches("[data-pick-q]")) { close(box(e.target)); }
  });
})();
