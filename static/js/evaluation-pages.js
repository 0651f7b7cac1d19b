// Evaluation pages: a print button, and the running total of a scoring form (self-assessment or review), for orientation only: the
// server computes the result with evaluation/scoring.py. No inline scripts (CSP).
(function () {
  document.querySelectorAll("[data-evaluation-form]").forEach(function (form) {
    var out = form.querySelector("[data-testid=running-total]");
    if (!out) return;
    function total() {
      var sum = 0;
      var vetoed = false;
      form.querySelectorAll("[data-kind]").forEach(function (el) {
        var kind = el.getAttribute("data-kind");
        if (kind === "veto") {
          if (el.checked) vetoed = true;
          return;
        }
        var value = parseFloat(el.value);
        if (isNaN(value) || value < 0) value = 0;
        var max = parseFloat(el.getAttribute("data-max"));
        if (!isNaN(max) && value > max) value = max;
        sum += kind === "deduction" ? -value : value;
      });
      if (sum < 0 && form.getAttribute("data-allow-negative") !== "1") sum = 0;
      out.textContent = vetoed ? out.getAttribute("data-veto-text") : sum.toFixed(2);
    }
    form.addEventListener("input", total);
    form.addEventListener("change", total);
    total();
  });
})();

document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-print]");
  if (button) window.print();
});
