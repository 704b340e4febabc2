// newsgraph: entity names suggested under a name field as it is typed, from /api/names?prefix=.
//
// Two kinds of field, marked in the templates:
// - data-suggest="fill": a filter field (actor, with, speaker...); suggestions fill a <datalist>, so
//   the browser offers them and the form still submits the name typed;
// - data-suggest="go": an entity search; suggestions are a list of links to the entities' pages.
// A name matches in any script ("Блин" suggests Antony Blinken through his Russian alias). Names
// are set with textContent and attributes only. Without JavaScript the fields are plain inputs.
(function () {
  "use strict";

  var MIN_CHARS = 2;
  var WAIT_MS = 150; // typing pause before asking the server
  var counter = 0;

  function el(name, attrs, text) {
    var node = document.createElement(name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function fetchNames(prefix, done) {
    var url = "/api/names?limit=10&prefix=" + encodeURIComponent(prefix);
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { items: [] }; })
      .then(function (data) { done(data.items || []); })
      .catch(function () { done([]); });
  }

  function describe(item) {
    var parts = [item.type];
    if (item.matched && item.matched !== item.name) parts.push("as " + item.matched);
    parts.push(item.mentions + " mention" + (item.mentions === 1 ? "" : "s"));
    return parts.join(" · ");
  }

  function fill(input) {
    var list = el("datalist", { id: "suggest-" + (++counter) });
    input.parentNode.appendChild(list);
    input.setAttribute("list", list.id);
    return function (items) {
      list.textContent = "";
      items.forEach(function (item) {
        list.appendChild(el("option", { value: item.name, label: describe(item) }));
      });
    };
  }

  function go(input) {
    var list = el("ul", { "class": "suggestions", id: "suggest-" + (++counter), role: "listbox" });
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("aria-controls", list.id);
    return function (items) {
      list.textContent = "";
      items.forEach(function (item) {
        var li = el("li", { role: "option" });
        var link = el("a", { href: "/entities/" + encodeURIComponent(item.id), "class": "m-" + item.type }, item.name);
        li.appendChild(link);
        li.appendChild(el("span", { "class": "meta" }, " " + describe(item)));
        list.appendChild(li);
      });
      list.hidden = !items.length;
    };
  }

  function setup(input) {
    input.setAttribute("autocomplete", "off");
    var show = input.getAttribute("data-suggest") === "go" ? go(input) : fill(input);
    var timer = null, asked = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var prefix = input.value.trim();
      if (prefix.length < MIN_CHARS) { show([]); asked = ""; return; }
      timer = setTimeout(function () {
        if (prefix === asked) return;
        asked = prefix;
        fetchNames(prefix, function (items) {
          if (input.value.trim() === prefix) show(items); // a later keystroke wins
        });
      }, WAIT_MS);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-suggest]"), setup);
  });
})();
