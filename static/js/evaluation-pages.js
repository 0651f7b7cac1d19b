// Evaluation pages: a print button, and the running total of a scoring form (self-assessment or review), for orientation only: the
// server computes the result with evaluation/scoring.py. No inline scripts (CSP).
(function () {
  document.querySelectorAll("[data-evaluation-form]").forEach(function (form) {
    var out = form.querySelector("[data-testid=running-total]");
    if (!out) return;
    // dimension id → weight for the unit's category (分类权重; missing: 1) and the upper level's bonus (review only)
    var weights = JSON.parse(form.getAttribute("data-weights") || "{}");
    var bonus = parseFloat(form.getAttribute("data-bonus")) || 0;
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
        var weight = parseFloat(weights[el.getAttribute("data-dimension")]);
        if (isNaN(weight)) weight = 1;
        sum += (kind === "deduction" ? -value : value) * weight;
      });
      sum += bonus;
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
