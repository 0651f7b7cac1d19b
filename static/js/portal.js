// Before a form is sent, say in the page what the server would refuse, then ask about final
// steps. No inline scripts (CSP).
// - <button data-requires-comment="..."> (a transition that needs a comment): with the form's
//   comment box empty, the message is shown at the box and nothing is sent.
// - <form data-choose="NAME" data-choose-min="1" data-choose-max="3" data-choose-error="...">:
//   the number of ticked NAME boxes must lie in the range, else the message is shown at
//   [data-choose-feedback] and nothing is sent.
// - <form data-confirm="..."> for every submit of the form, <button data-confirm="..."> for
//   that button only: asked last, once the page knows the step would be accepted.
// - <button data-default-submit> in a form whose first button is another (a search box inside
//   the form): Enter in any field but the search box sends the form with this button, as its
//   user expects (not while an input method is composing: Enter then confirms the characters).
(function () {
  function refuse(event, feedback, field, message) {
    event.preventDefault();
    if (field) {
      field.classList.add("is-invalid");
      field.focus();
    }
    if (feedback) {
      feedback.textContent = message;
      feedback.classList.remove("d-none");
      feedback.classList.add("d-block");
    }
  }

  function feedbackAfter(field, form) {
    var existing = form.querySelector("[data-comment-feedback]");
    if (existing) return existing;
    var note = document.createElement("div");
    note.className = "invalid-feedback d-block";
    note.setAttribute("data-comment-feedback", "");
    note.setAttribute("role", "alert");
    field.insertAdjacentElement("afterend", note);
    return note;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    var needsComment = button && button.getAttribute("data-requires-comment");
    if (needsComment) {
      var comment = form.querySelector("[name=comment]");
      if (comment && !comment.value.trim()) {
        refuse(event, feedbackAfter(comment, form), comment, needsComment);
        return;
      }
    }
    var choose = form.getAttribute && form.getAttribute("data-choose");
    if (choose) {
      var ticked = form.querySelectorAll("input[name='" + choose + "']:checked").length;
      var min = parseInt(form.getAttribute("data-choose-min") || "0", 10);
      var max = parseInt(form.getAttribute("data-choose-max") || "1000000", 10);
      if (ticked < min || ticked > max) {
        refuse(event, form.querySelector("[data-choose-feedback]"), null,
          form.getAttribute("data-choose-error"));
        return;
      }
    }
    var message = (button && button.getAttribute("data-confirm")) ||
      (form.getAttribute && form.getAttribute("data-confirm"));
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.isComposing) return;
    var field = event.target;
    if (!field.form || field.tagName !== "INPUT" || field.type === "search") return;
    var button = field.form.querySelector("[data-default-submit]");
    if (!button) return;
    event.preventDefault();
    if (field.form.requestSubmit) {
      field.form.requestSubmit(button);
    } else {
      button.click();
    }
  });

  document.addEventListener("input", function (event) {
    if (event.target.classList && event.target.classList.contains("is-invalid")) {
      event.target.classList.remove("is-invalid");
    }
  });
})();
