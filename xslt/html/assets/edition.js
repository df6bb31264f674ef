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

  // Search folds case, width (NFKC) and tone marks (so "zhonggong" finds
  // "Zhōnggòng") and ignores whitespace.
  function norm(s) {
    return (s || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
      .normalize("NFKC").toLowerCase().replace(/\s+/g, "");
  }

  // Every non-overlapping hit of query in text, as [start, end) offsets in text.
  function hits(text, query) {
    var flat = "", map = [];
    for (var i = 0; i < text.length; i++) {
      var c = text.charAt(i);
      if (/\s/.test(c)) { continue; }
      var n = norm(c);
      for (var k = 0; k < n.length; k++) { flat += n.charAt(k); map.push(i); }
    }
    var found = [], at = flat.indexOf(query);
    while (at >= 0 && query) {
      found.push([map[at], map[at + query.length - 1] + 1]);
      at = flat.indexOf(query, at + query.length);
    }
    return found;
  }

  var KINDS = { text: "正文", note: "注释", caption: "图注", register: "索引", orig: "校改前原文" };

  // The hits of one record: {start, end, page, text} in the record's text.
  function recordHits(rec, query) {
    var text, pages = [], out = [];
    if (rec.k === "orig") {
      text = rec.x + rec.o + rec.y;
      var from = rec.x.length, to = from + rec.o.length;
      hits(text, query).forEach(function (h) {
        if (h[0] < to && h[1] > from) { out.push({ start: h[0], end: h[1], page: rec.p, text: text }); }
      });
      return out;
    }
    text = "";
    rec.s.forEach(function (seg) { pages.push([text.length, seg[0]]); text += seg[1]; });
    hits(text, query).forEach(function (h) {
      var page = "";
      pages.forEach(function (p) { if (p[0] <= h[0]) { page = p[1]; } });
      out.push({ start: h[0], end: h[1], page: page, text: text });
    });
    return out;
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
    var count = 0, byKind = {};
    index.forEach(function (rec) {
      recordHits(rec, query).forEach(function (h) {
        count++;
        byKind[rec.k] = (byKind[rec.k] || 0) + 1;
        var li = document.createElement("li");
        li.className = "hit-" + rec.k;
        var where = document.createElement("span");
        where.className = "where";
        where.textContent = [rec.t, h.page, KINDS[rec.k]].filter(Boolean).join("，");
        var a = document.createElement("a");
        a.href = rec.f + (rec.a ? "#" + rec.a : "");
        a.className = "hit";
        var before = h.text.slice(Math.max(0, h.start - 40), h.start);
        if (h.start > 40) { before = "…" + before; }
        var after = h.text.slice(h.end, h.end + 40) + (h.end + 40 < h.text.length ? "…" : "");
        a.appendChild(document.createTextNode(before));
        var mark = document.createElement("mark");
        mark.textContent = h.text.slice(h.start, h.end);
        a.appendChild(mark);
        a.appendChild(document.createTextNode(after));
        li.appendChild(where);
        li.appendChild(a);
        list.appendChild(li);
      });
    });
    var parts = Object.keys(KINDS).filter(function (k) { return byKind[k]; })
      .map(function (k) { return KINDS[k] + " " + byKind[k]; });
    status.textContent = count
      ? "找到 " + count + " 处：“" + raw + "”（" + parts.join("，") + "）"
      : "未找到：“" + raw + "”";
  }

  // The printed page names its address (the page itself, without the fragment).
  function setUpPrintUrl() {
    var url = window.location.href.split("#")[0];
    Array.prototype.forEach.call(document.querySelectorAll(".print-url"), function (el) { el.textContent = url; });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpPrintUrl();
    setUpCitations();
    setUpReadingToggle();
    runSearch();
  });
}());
