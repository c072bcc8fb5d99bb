// Registry pages: show only the subgroups of the chosen special-circumstance group.
(function () {
  function filterSubgroups(sub) {
    var form = sub.form;
    var group = form && form.elements[sub.dataset.subgroupsOf];
    if (!group) return;
    var chosen = group.value;
    Array.prototype.forEach.call(sub.options, function (opt) {
      var own = opt.dataset.group;
      var show = !own || own === chosen;
      opt.hidden = !show;
      opt.disabled = !show;
      if (!show && opt.selected) sub.value = "";
    });
    sub.disabled = !chosen;
  }
  function init(root) {
    root.querySelectorAll("select[data-subgroups-of]").forEach(function (sub) {
      var group = sub.form && sub.form.elements[sub.dataset.subgroupsOf];
      if (!group) return;
      group.addEventListener("change", function () { filterSubgroups(sub); });
      filterSubgroups(sub);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
})();
