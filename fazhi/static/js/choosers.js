// Searchable choosers and "select all" boxes, with no inline script (the CSP forbids it).
// <input type="search" data-filter-for="ID">: typing hides the options of <select id="ID"> whose text does not
// contain what was typed (chosen options stay visible). <input type="checkbox" id="select-all">: ticks every
// name="tasks" box of its form.
(function () {
  "use strict";
  document.querySelectorAll("input[data-filter-for]").forEach(function (input) {
    var select = document.getElementById(input.dataset.filterFor);
    if (!select) { return; }
    input.addEventListener("input", function () {
      var wanted = input.value.trim();
      Array.prototype.forEach.call(select.options, function (option) {
        option.hidden = wanted !== "" && !option.selected && option.text.indexOf(wanted) === -1;
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
