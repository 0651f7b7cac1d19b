// Confirmation before destructive or final actions: <form data-confirm="..."> for every
// submit of the form, <button data-confirm="..."> for that button only. No inline scripts (CSP).
document.addEventListener("submit", function (event) {
  var form = event.target;
  var button = event.submitter;
  var message = (button && button.getAttribute("data-confirm")) ||
    (form.getAttribute && form.getAttribute("data-confirm"));
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
