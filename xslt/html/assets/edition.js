/* tei-tools HTML edition: citation links, reading toggle, full-text search.
   Works on a static host and from file:// (the index is a script that
   assigns window.TT_SEARCH_INDEX; nothing is fetched). Results are built
   with textContent: no text from the edition is parsed as HTML. */
(function () {
  "use strict";

  function citeUrl(anchor) {
    var base = window.location.href.split("#")[0].split("?")[0];
    return base + "#" + anchor;
  }

  function setUpCitations() {
    var links = document.querySelectorAll("a.cite");
    Array.prototype.forEach.call(links, function (a) {
      a.addEventListener("click", function (ev) {
        var anchor = a.getAttribute("href").slice(1);
        var url = citeUrl(anchor);
        if (navigator.clipboard && window.isSecureContext) {
          ev.preventDefault();
          navigator.clipboard.writeText(url).then(function () {
            a.classList.add("copied");
            window.setTimeout(function () { a.classList.remove("copied"); }, 1500);
            history.replaceState(null, "", "#" + anchor);
          }, function () { window.location.hash = anchor; });
        }
      });
    });
  }

  function setUpReadingToggle() {
    var button = document.querySelector("button.toggle-reading");
    if (!button) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var on = document.body.classList.toggle("diplomatic");
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = button.getAttribute(on ? "data-label-on" : "data-label-off");
    });
  }

  function norm(s) {
    return (s || "").normalize("NFKC").toLowerCase().replace(/\s+/g, "");
  }

  function snippet(text, query) {
    // Locate the match in the original text, skipping whitespace the same way norm() does.
    var flat = "", map = [];
    for (var i = 0; i < text.length; i++) {
      var c = text.charAt(i);
      if (/\s/.test(c)) { continue; }
      var n = norm(c);
      for (var k = 0; k < n.length; k++) { flat += n.charAt(k); map.push(i); }
    }
    var at = flat.indexOf(query);
    if (at < 0) { return null; }
    var start = map[at], end = map[at + query.length - 1] + 1;
    return { before: text.slice(Math.max(0, start - 40), start), hit: text.slice(start, end),
             after: text.slice(end, end + 60), cut: start > 40 };
  }

  function runSearch() {
    var form = document.getElementById("search-form");
    if (!form) { return; }
    var input = document.getElementById("search-q");
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-results");
    var index = window.TT_SEARCH_INDEX || [];
    var params = new URLSearchParams(window.location.search);
    var raw = params.get("q") || "";
    input.value = raw;
    var query = norm(raw);
    while (list.firstChild) { list.removeChild(list.firstChild); }
    if (!query) { return; }
    var count = 0;
    index.forEach(function (rec) {
      if (norm(rec.x).indexOf(query) < 0) { return; }
      var s = snippet(rec.x, query);
      if (!s) { return; }
      count++;
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = rec.f + "#" + rec.a;
      a.className = "hit";
      if (s.cut) { a.appendChild(document.createTextNode("…")); }
      a.appendChild(document.createTextNode(s.before));
      var mark = document.createElement("mark");
      mark.textContent = s.hit;
      a.appendChild(mark);
      a.appendChild(document.createTextNode(s.after));
      var where = document.createElement("span");
      where.className = "where";
      where.textContent = rec.t;
      li.appendChild(where);
      li.appendChild(a);
      list.appendChild(li);
    });
    status.textContent = count ? "找到 " + count + " 处：“" + raw + "”" : "未找到：“" + raw + "”";
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpCitations();
    setUpReadingToggle();
    runSearch();
  });
}());
