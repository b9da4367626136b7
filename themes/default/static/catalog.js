/* flippack default theme: filtering and sorting the catalog.
 *
 * Everything comes from data attributes on the cards in the page, so it
 * works without a server and from file://. The state lives in the address
 * (?tag=ELL&level=introductory&credit=3&sort=credit), so a coach can send
 * a filtered link and a reload keeps the filters.
 */
(function () {
  "use strict";

  var FIELDS = ["tag", "audience", "level", "credit", "sort"];

  /* The same slugs as flippack's: lower case, runs of anything that is not
   * a letter or a digit become one hyphen. */
  function slugify(text) {
    return String(text).toLowerCase().replace(/[^\p{Alphabetic}\p{N}]+/gu, "-").replace(/^-+|-+$/g, "");
  }

  function readParams() {
    var params = new URLSearchParams(window.location.search);
    var state = {};
    FIELDS.forEach(function (f) { state[f] = (params.get(f) || "").trim(); });
    return state;
  }

  function init() {
    var form = document.querySelector("[data-filters]");
    var list = document.querySelector("[data-catalog]");
    if (!form || !list) return;
    var cards = Array.prototype.slice.call(list.querySelectorAll("[data-card]"));
    var original = cards.slice();
    var status = form.querySelector("[data-filter-status]");
    var empty = document.querySelector("[data-filter-empty]");
    var controls = {};
    FIELDS.forEach(function (f) { controls[f] = form.elements[f]; });

    /* Puts a value from the address into a select, matching an option's
     * value or its text case-insensitively (?tag=ELL finds the "ell" tag). */
    function choose(select, value) {
      if (!select) return;
      var wanted = value.toLowerCase();
      var slug = slugify(value);
      for (var i = 0; i < select.options.length; i++) {
        var o = select.options[i];
        if (o.value.toLowerCase() === wanted || o.text.toLowerCase() === wanted ||
            (select.name === "tag" && o.value === slug)) {
          select.selectedIndex = i;
          return;
        }
      }
      if (select.name === "credit" && value && !isNaN(parseFloat(value))) {
        /* A credit limit that is not in the list still works. */
        var option = document.createElement("option");
        option.value = String(parseFloat(value));
        option.text = option.value + " hours";
        select.add(option);
        select.value = option.value;
        return;
      }
      select.selectedIndex = 0;
    }

    function current() {
      var state = {};
      FIELDS.forEach(function (f) { state[f] = controls[f] ? controls[f].value : ""; });
      return state;
    }

    function matches(card, s) {
      if (s.tag && (card.getAttribute("data-tags") || "").split("|").indexOf(s.tag) < 0) return false;
      if (s.audience && (card.getAttribute("data-audience") || "").split("|").indexOf(s.audience) < 0) return false;
      if (s.level && card.getAttribute("data-level") !== s.level) return false;
      if (s.credit && parseFloat(card.getAttribute("data-credit")) > parseFloat(s.credit) + 1e-9) return false;
      return true;
    }

    function compare(sort) {
      var num = function (c, a) { return parseFloat(c.getAttribute(a)) || 0; };
      var text = function (c, a) { return c.getAttribute(a) || ""; };
      var byTitle = function (a, b) {
        return text(a, "data-title").localeCompare(text(b, "data-title"), undefined, { sensitivity: "base" });
      };
      switch (sort) {
        case "title": return byTitle;
        case "credit": return function (a, b) { return num(a, "data-credit") - num(b, "data-credit") || byTitle(a, b); };
        case "-credit": return function (a, b) { return num(b, "data-credit") - num(a, "data-credit") || byTitle(a, b); };
        /* Newest first; undated packs last. */
        case "date": return function (a, b) { return text(b, "data-date").localeCompare(text(a, "data-date")) || byTitle(a, b); };
        default: return null;
      }
    }

    function apply(updateAddress) {
      var s = current();
      var shown = 0;
      var order = original.slice();
      var cmp = compare(s.sort);
      if (cmp) order.sort(cmp);
      order.forEach(function (card) {
        var ok = matches(card, s);
        card.hidden = !ok;
        if (ok) shown += 1;
        list.appendChild(card);
      });
      var filtered = s.tag || s.audience || s.level || s.credit;
      status.textContent = filtered
        ? "Showing " + shown + " of " + original.length + " packs."
        : original.length === 1
          ? "Showing the 1 pack."
          : "Showing all " + original.length + " packs.";
      if (empty) empty.hidden = shown > 0;
      if (updateAddress) {
        var params = new URLSearchParams();
        FIELDS.forEach(function (f) { if (s[f]) params.set(f, s[f]); });
        var query = params.toString();
        var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
        try {
          window.history.replaceState(null, "", url);
        } catch (e) {
          /* Some browsers refuse this on file://; the filters still work. */
        }
      }
    }

    var state = readParams();
    FIELDS.forEach(function (f) { choose(controls[f], state[f]); });
    form.hidden = false;
    form.addEventListener("change", function () { apply(true); });
    form.addEventListener("submit", function (e) { e.preventDefault(); apply(true); });
    form.addEventListener("reset", function () {
      /* Runs before the form resets its controls. */
      window.setTimeout(function () { apply(true); }, 0);
    });
    var clear = document.querySelector("[data-filter-clear]");
    if (clear) {
      clear.addEventListener("click", function (e) {
        e.preventDefault();
        form.reset();
      });
    }
    apply(false);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
