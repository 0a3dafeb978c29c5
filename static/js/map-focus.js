// The map beside its list: when a reader moves through the list with the keyboard (or points at
// an entry), the same partner or country lights up on the map with its name, and a group that
// holds it opens. Only an aid for the eye: the map is hidden from screen readers and out of the
// keyboard's order (templates/includes/_map.html), and without this file the list and the map
// work as before. The public pages' Content-Security-Policy allows scripts from the site only.
(function () {
  "use strict";
  var layout = document.querySelector(".map-layout");
  if (!layout) return;
  var map = layout.querySelector("svg.world-map");
  var list = layout.querySelector(".map-list");
  if (!map || !list) return;
  var lit = null;

  function onMap(link) {
    var href = link.getAttribute("href");
    var found = map.querySelectorAll("a.map-point, a.map-area");
    for (var i = 0; i < found.length; i++) {
      if (found[i].getAttribute("href") === href) return found[i];
    }
    return null;
  }

  function light(target) {
    if (lit === target) return;
    if (lit) {
      lit.classList.remove("map-linked");
      var was = lit.closest(".map-group");
      if (was) was.classList.remove("map-group-linked");
    }
    lit = target;
    if (!target) return;
    target.classList.add("map-linked");
    var group = target.closest(".map-group");
    if (group) group.classList.add("map-group-linked");
  }

  function follow(event) {
    var link = event.target.closest("a");
    light(link && list.contains(link) ? onMap(link) : null);
  }

  list.addEventListener("focusin", follow);
  list.addEventListener("mouseover", follow);
  list.addEventListener("focusout", function () { light(null); });
  list.addEventListener("mouseleave", function () {
    if (!list.contains(document.activeElement)) light(null);
  });
})();
