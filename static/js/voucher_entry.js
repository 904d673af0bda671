/* Voucher entry (ledger/voucher_form.html): made for the keyboard.
   - Tab walks the cells; Enter in a line goes to the next line, adding one after the last
     (Enter in the account cell goes on to the debit cell once an account is chosen).
   - "=" in an amount cell fills in what balances the voucher.
   - The debit and credit totals and their difference are shown as one types, computed in whole
     fen (no floating point): the server checks the same again when the voucher is saved. */
(function () {
  "use strict";
  var form = document.getElementById("voucher-entry");
  if (!form) { return; }
  var body = form.querySelector("#voucher-lines tbody");
  var status = document.getElementById("voucher-difference");
  var options = {};
  var list = document.getElementById("ledger-accounts");
  function learn() { list.querySelectorAll("option").forEach(function (o) { options[o.value] = true; }); }
  learn();

  // The page lists the chart folded (a village's hundreds of household sub-accounts are left out):
  // what is typed in an account cell asks the server for the accounts that match it.
  var asking = null, asked = "";
  function ask(text) {
    if (!list.dataset.optionsUrl || text === asked || options[text]) { return; }
    clearTimeout(asking);
    asking = setTimeout(function () {
      asked = text;
      fetch(list.dataset.optionsUrl + "?q=" + encodeURIComponent(text), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) { if (html && asked === text) { list.innerHTML = html; learn(); } })
        .catch(function () {});
    }, 200);
  }

  function toFen(text) {
    var t = (text || "").replace(/[,,\s]/g, "");
    if (t === "") { return 0; }
    var m = /^(-?)(\d*)(?:\.(\d{0,2}))?$/.exec(t);
    if (!m || (m[2] === "" && !m[3])) { return null; }
    var fen = parseInt(m[2] || "0", 10) * 100 + parseInt(((m[3] || "") + "00").slice(0, 2), 10);
    return m[1] ? -fen : fen;
  }

  function show(fen) {
    var sign = fen < 0 ? "-" : "";
    var a = Math.abs(fen);
    var yuan = Math.floor(a / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    var cents = ("0" + (a % 100)).slice(-2);
    return sign + yuan + "." + cents;
  }

  function totals() {
    var debit = 0, credit = 0, bad = false;
    body.querySelectorAll("tr.voucher-line").forEach(function (row) {
      var d = toFen(row.querySelector(".line-debit").value);
      var c = toFen(row.querySelector(".line-credit").value);
      row.querySelector(".line-debit").classList.toggle("is-invalid", d === null);
      row.querySelector(".line-credit").classList.toggle("is-invalid", c === null);
      if (d === null || c === null) { bad = true; return; }
      debit += d; credit += c;
    });
    return { debit: debit, credit: credit, bad: bad };
  }

  function refresh() {
    var t = totals();
    document.getElementById("total-debit").textContent = show(t.debit);
    document.getElementById("total-credit").textContent = show(t.credit);
    var diff = t.debit - t.credit;
    status.classList.remove("text-success", "text-danger");
    if (t.debit === 0 && t.credit === 0) {
      status.textContent = status.dataset.empty;
    } else if (diff === 0 && !t.bad) {
      status.textContent = status.dataset.balanced + " ✓";
      status.classList.add("text-success");
    } else {
      status.textContent = (diff > 0 ? status.dataset.debitMore : status.dataset.creditMore) + " " + show(Math.abs(diff));
      status.classList.add("text-danger");
    }
  }

  function blankRow() {
    var template = body.querySelector("tr.voucher-line");
    var row = template.cloneNode(true);
    row.querySelectorAll("input").forEach(function (input) {
      input.value = "";
      input.classList.remove("is-invalid");
    });
    row.querySelectorAll(".invalid-feedback").forEach(function (e) { e.remove(); });
    return row;
  }

  function addAfter(row) {
    var fresh = blankRow();
    body.insertBefore(fresh, row ? row.nextSibling : null);
    return fresh;
  }

  function cellsOf(row) { return row.querySelectorAll("input"); }

  function nextLine(row) {
    var next = row.nextElementSibling || addAfter(row);
    var summary = next.querySelector("[name=line_summary]");
    var head = document.getElementById(form.dataset.summaryTarget);
    if (summary && !summary.value && head) {
      var above = row.querySelector("[name=line_summary]").value;
      summary.value = above || head.value;
    }
    next.querySelector("[name=account]").focus();
  }

  function balancing(input) {
    var t = totals();
    var own = toFen(input.value) || 0;
    var isDebit = input.classList.contains("line-debit");
    var rest = isDebit ? (t.credit - (t.debit - own)) : (t.debit - (t.credit - own));
    if (rest > 0) {
      input.value = show(rest).replace(/,/g, "");
      var other = input.closest("tr").querySelector(isDebit ? ".line-credit" : ".line-debit");
      other.value = "";
    }
    refresh();
  }

  form.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement)) { return; }
    var row = input.closest("tr.voucher-line");
    if (event.key === "=" && row && (input.name === "debit" || input.name === "credit")) {
      event.preventDefault();
      balancing(input);
      return;
    }
    if (event.key !== "Enter" || event.isComposing) { return; }
    event.preventDefault();  // Enter never sends the form: the buttons do
    if (!row) {
      var first = body.querySelector("tr.voucher-line [name=account]");
      if (first) { first.focus(); }
      return;
    }
    if (input.name === "account") {
      if (options[input.value]) { row.querySelector(".line-debit").focus(); }
      return;
    }
    nextLine(row);
  });

  form.addEventListener("input", function (event) {
    var input = event.target;
    if (input.name === "account") { ask(input.value.trim()); }
    if (input.name === "debit" || input.name === "credit") {
      var row = input.closest("tr.voucher-line");
      var other = row.querySelector(input.name === "debit" ? ".line-credit" : ".line-debit");
      if (input.value.trim() !== "" && other.value.trim() !== "" && toFen(input.value)) {
        other.value = "";  // a line has one side only
      }
      refresh();
    }
  });

  // A line's summary starts as the voucher's (selected, so typing replaces it).
  form.addEventListener("focusin", function (event) {
    var input = event.target;
    var head = document.getElementById(form.dataset.summaryTarget);
    if (input.name === "line_summary" && !input.value && head && head.value) {
      input.value = head.value;
      input.select();
    }
  });

  form.addEventListener("click", function (event) {
    var button = event.target.closest(".line-remove");
    if (!button) { return; }
    var row = button.closest("tr.voucher-line");
    if (body.querySelectorAll("tr.voucher-line").length > 1) {
      row.remove();
    } else {
      cellsOf(row).forEach(function (input) { input.value = ""; });
    }
    refresh();
  });

  document.getElementById("line-add").addEventListener("click", function () {
    var rows = body.querySelectorAll("tr.voucher-line");
    addAfter(rows[rows.length - 1]).querySelector("[name=account]").focus();
  });

  refresh();
})();
