// One language switch for a whole admin form.
//
// django-modeltranslation puts a tab strip (de, en, he...) above every translated field and
// adds one unlabelled "main switch" to the page's heading that turns all of them at once. Here
// the main switch is the only one: labelled ("Language of the texts"), named with each
// language's own name, above the form; the strips are hidden. Each language's tab gets that
// language's `lang` and `dir`, and so does each input (partnerships/admin.py), so that Hebrew
// is edited right to left. A form that comes back with an error opens on the first language
// that has one, and a form opened for one text on that text's language.
(function () {
  "use strict";

  function setUp() {
    var select = document.getElementById("modeltranslation-main-switch");
    var holder = document.querySelector(".language-switch");
    var data = document.getElementById("admin-languages");
    if (!select || !holder || !data) {
      return;
    }
    var languages = JSON.parse(data.textContent);
    Array.prototype.forEach.call(select.options, function (option) {
      var code = option.textContent.trim();
      if (languages[code]) {
        option.textContent = languages[code].name;
        option.lang = code;
        option.dir = languages[code].dir;
      }
    });
    holder.appendChild(select);
    holder.hidden = false;
    document.body.classList.add("one-language-switch");

    // Each language's tab is named in that language's direction; its panel keeps the form's
    // (the label is in the editor's language), and the input itself has the language's.
    document.querySelectorAll(".ui-tabs-panel").forEach(function (panel) {
      var field = panel.querySelector("[lang][dir]");
      var tab = document.querySelector('.ui-tabs-nav a[href="#' + panel.id + '"]');
      if (field && tab) {
        tab.lang = field.lang;
        tab.dir = field.dir;
      }
    });

    // The language to open: the first one with an error, else the one the address names
    // (#tab_id_<field>_<language>, as the translation status's work list links to a text).
    var $ = window.jQuery || (window.django && window.django.jQuery);
    var chosen = document.querySelector(".ui-tabs-nav li.ui-tab-has-errors");
    var named = window.location.hash.slice(1);
    if (!chosen && named) {
      var link = document.querySelector('.ui-tabs-nav a[href="#' + CSS.escape(named) + '"]');
      chosen = link && link.parentNode;
    }
    if ($ && chosen) {
      var index = Array.prototype.indexOf.call(chosen.parentNode.children, chosen);
      $(select).val(String(index)).trigger("change");
    }
  }

  // Right after modeltranslation's own set-up: a ready handler of the same jQuery runs after the
  // ones registered before it (modeltranslation's script comes first in the page). Not on
  // "load", which waits for every image and would leave the form unlabelled until then.
  var jq = window.jQuery || (window.django && window.django.jQuery);
  if (jq) {
    jq(setUp);
  } else {
    window.addEventListener("load", setUp);
  }
})();
