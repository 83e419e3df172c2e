// Behaviour shared by every page, without inline handlers (strict Content-Security-Policy):
// - <select data-autosubmit> submits its form when changed (the language switch);
// - <button data-confirm="…"> asks before submitting (the message comes from the server, as text).
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("select[data-autosubmit]") && target.form) { target.form.submit(); }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-confirm]") : null;
    if (button && !window.confirm(button.getAttribute("data-confirm"))) { event.preventDefault(); }
  });
})();
