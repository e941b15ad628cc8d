/* Cohort enrolment (training/cohort_enrol.html), moved out of the page for the Content
   Security Policy (no inline scripts). A nicety: a box in the header ticks everyone on this
   page. Without it, tick one by one. The box's label comes from data-tick-all-label. */
(function () {
  var label = document.getElementById("enrol-label");
  if (!label) { return; }
  var boxes = document.querySelectorAll("#applications tbody input[type=checkbox]");
  var all = document.createElement("input");
  all.type = "checkbox";
  all.id = "tick-all";
  all.setAttribute("aria-label", label.getAttribute("data-tick-all-label") || "");
  all.addEventListener("change", function () {
    boxes.forEach(function (box) { box.checked = all.checked; });
  });
  label.replaceWith(all);
})();
