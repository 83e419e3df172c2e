// Searchable choosers and "select all" boxes, with no inline script (the CSP forbids it).
// <input type="search" data-filter-for="ID">: typing hides the options of <select id="ID"> (or the check boxes
// inside element ID) whose text does not contain what was typed (chosen ones stay visible). <input type="checkbox" id="select-all">: ticks every
// name="tasks" box of its form.
(function () {
  "use strict";
  document.querySelectorAll("input[data-filter-for]").forEach(function (input) {
    var target = document.getElementById(input.dataset.filterFor);
    if (!target) { return; }
    input.addEventListener("input", function () {
      var wanted = input.value.trim().toLowerCase();
      function hide(text, chosen) { return wanted !== "" && !chosen && text.toLowerCase().indexOf(wanted) === -1; }
      if (target.tagName === "SELECT") {
        Array.prototype.forEach.call(target.options, function (option) {
          option.hidden = hide(option.text, option.selected);
        });
        return;
      }
      // a list of check boxes (each in its <label>): hide the labels (and their wrappers) that do not match
      target.querySelectorAll("label").forEach(function (label) {
        var box = label.querySelector("input");
        var row = label.parentElement === target ? label : label.parentElement;
        row.hidden = hide(label.textContent, box && box.checked);
      });
    });
  });
  var all = document.getElementById("select-all");
  if (all) {
    all.addEventListener("change", function () {
      all.form.querySelectorAll("input[name=tasks]").forEach(function (box) { box.checked = all.checked; });
    });
  }
})();
