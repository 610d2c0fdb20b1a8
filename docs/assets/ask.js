/* The "Ask the policy" interview (the page with #policykit-ask). Everything is decided in the
   page by window.policykit.decide; the request lives in the URL fragment (#request=…), so a
   shared link reopens the same answer and no server ever sees it. */
(function () {
  "use strict";
  var OUTCOME_WORDS = {
    permitted: "Permitted", discouraged: "Allowed, but discouraged", requires_approval: "Needs approval first",
    prohibited: "Prohibited", undetermined: "Depends on facts not given yet"
  };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { node.textContent = attrs[k]; } else { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { if (c) { node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); } });
    return node;
  }

  function escapeRe(text) { return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  function start() {
    var root = document.getElementById("policykit-ask");
    if (!root || !window.policykit) { return; }
    var D = window.policykit.data, FORM = {};
    D.form.forEach(function (f) { FORM[f.path] = f; });
    var request = { actor: {} };
    var me = document.querySelector('script[src$="assets/ask.js"]');
    var siteRoot = me ? me.src.replace(/assets\/ask\.js.*$/, "") : "";

    // --- words to facts: the values' own titles and the schema's x-synonyms
    function readWords(text) {
      var found = {}, lower = " " + text.toLowerCase() + " ";
      ["action", "channel", "account", "device", "audience", "purpose", "actor.role"].forEach(function (path) {
        var fact = FORM[path];
        if (!fact) { return; }
        fact.values.forEach(function (v) {
          var words = v.synonyms.concat([v.name.replace(/_/g, " ")]);
          words.forEach(function (w) {
            var re = new RegExp("(^|[^a-z0-9])" + escapeRe(w.toLowerCase()) + "($|[^a-z0-9])");
            if (re.test(lower)) {
              if (fact.kind === "list") {
                found[path] = found[path] || [];
                if (found[path].indexOf(v.name) < 0) { found[path].push(v.name); }
              } else if (!(path in found)) { found[path] = v.name; }
            }
          });
        });
      });
      return found;
    }

    function get(path) {
      var parts = path.split("."), node = request;
      for (var i = 0; i < parts.length; i++) { if (!node || typeof node !== "object") { return undefined; } node = node[parts[i]]; }
      return node;
    }
    function set(path, value) {
      var parts = path.split("."), node = request;
      for (var i = 0; i < parts.length - 1; i++) { node[parts[i]] = node[parts[i]] || {}; node = node[parts[i]]; }
      if (value === undefined) { delete node[parts[parts.length - 1]]; } else { node[parts[parts.length - 1]] = value; }
      if (parts[0] === "site" && request.site && !Object.keys(request.site).length) { delete request.site; }
    }

    // --- the page
    var words = el("textarea", { id: "ask-words", rows: "2", "aria-describedby": "ask-words-help" });
    var wordsHelp = el("p", { id: "ask-words-help", class: "ask-help",
      text: "For example: “DM a student on Instagram from my own phone about the game”." });
    var read = el("button", { type: "button", id: "ask-read", class: "md-button md-button--primary", text: "Ask" });
    var role = select("actor.role", "Your job");
    var action = select("action", "What you want to do");
    var asked = el("div", { id: "ask-questions", "aria-live": "polite" });
    var answer = el("section", { id: "ask-answer", "aria-live": "polite", "aria-label": "The policy's answer" });
    var share = el("a", { id: "ask-share", href: "#", text: "Link to this answer" });
    var copy = el("button", { type: "button", id: "ask-copy", class: "md-button", text: "Copy as request JSON" });
    var json = el("textarea", { id: "ask-json", rows: "6", readonly: "readonly", "aria-label": "The request as JSON" });
    var reset = el("button", { type: "button", id: "ask-reset", class: "md-button", text: "Start again" });
    root.appendChild(el("div", { class: "ask-start" }, [
      el("label", { for: "ask-words", text: "What do you want to do, in your own words?" }), words, wordsHelp,
      role.wrap, action.wrap, read]));
    root.appendChild(asked);
    root.appendChild(answer);
    root.appendChild(el("div", { class: "ask-tools" }, [share, " ", copy, " ", reset,
      el("details", {}, [el("summary", { text: "The request as JSON (for integrators)" }), json])]));

    function select(path, label) {
      var fact = FORM[path], id = "ask-" + path.replace(/\./g, "-");
      var s = el("select", { id: id, "data-fact": path });
      s.appendChild(el("option", { value: "", text: "— choose —" }));
      fact.values.forEach(function (v) { s.appendChild(el("option", { value: v.name, text: v.title })); });
      s.addEventListener("change", function () { set(path, s.value || undefined); if (path === "actor.role") { request.actor = request.actor || {}; } update(); });
      return { wrap: el("p", {}, [el("label", { for: id, text: label + " " }), s]), select: s };
    }

    read.addEventListener("click", function () {
      var found = readWords(words.value);
      Object.keys(found).forEach(function (path) { if (get(path) === undefined) { set(path, found[path]); } });
      update();
    });
    words.addEventListener("keydown", function (e) { if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); read.click(); } });
    reset.addEventListener("click", function () { request = { actor: {} }; words.value = ""; update(); words.focus(); });
    copy.addEventListener("click", function () {
      json.value = JSON.stringify(request, null, 2);
      json.closest("details").open = true;
      json.select();
      if (navigator.clipboard) { navigator.clipboard.writeText(json.value).catch(function () {}); }
    });

    // --- which facts to ask: the decision's own questions first, then any fact not given whose
    // answer would change the outcome (closed facts included), never one that cannot matter.
    function candidates(path) {
      var fact = FORM[path];
      if (fact.kind === "boolean") { return [true, false]; }
      if (fact.kind === "list") { return fact.values.map(function (v) { return [v.name]; }); }
      return fact.values.map(function (v) { return v.name; });
    }

    function mattering(decision) {
      var list = (decision.questions || []).map(function (q) { return q.fact; });
      D.form.forEach(function (fact) {
        var path = fact.path;
        if (list.indexOf(path) >= 0 || get(path) !== undefined || path === "actor.role" || path === "action") { return; }
        if (path.indexOf("site.") === 0 && !request.site && path !== "site.purpose") { return; }
        var changes = candidates(path).some(function (value) {
          var saved = JSON.stringify(request);
          set(path, value);
          if (path.indexOf("site.") === 0) { request.site = request.site || {}; }
          var other;
          try { other = window.policykit.decide(request).outcome; } catch (e) { other = decision.outcome; }
          request = JSON.parse(saved);
          return other !== decision.outcome;
        });
        if (changes) { list.push(path); }
      });
      return list;
    }

    function question(path, decision) {
      var fact = FORM[path], id = "ask-q-" + path.replace(/\./g, "-");
      var byValue = {};
      (decision.questions || []).forEach(function (q) {
        if (q.fact === path) { q.answers.forEach(function (a) { byValue[JSON.stringify(a.value)] = a.outcome; }); }
      });
      var legend = fact.phrases.true ? "Is this so: " + fact.phrases.true + "?" : fact.description;
      var group = el("fieldset", { class: "ask-question", "data-fact": path }, [el("legend", { text: legend })]);
      var options = fact.kind === "boolean" ? [[true, "Yes"], [false, "No"]]
        : fact.values.map(function (v) { return [fact.kind === "list" ? v.name : v.name, v.title]; });
      var chosen = get(path);
      options.forEach(function (option, i) {
        var value = option[0], input;
        var outcome = byValue[JSON.stringify(fact.kind === "list" ? [value] : value)];
        var label = option[1] + (outcome ? " (then: " + OUTCOME_WORDS[outcome].toLowerCase() + ")" : "");
        if (fact.kind === "list") {
          input = el("input", { type: "checkbox", id: id + "-" + i, value: String(value), "data-value": JSON.stringify(value) });
          input.checked = Array.isArray(chosen) && chosen.indexOf(value) >= 0;
        } else {
          input = el("input", { type: "radio", name: id, id: id + "-" + i, value: String(value), "data-value": JSON.stringify(value) });
          input.checked = chosen === value;
        }
        input.addEventListener("change", function () {
          if (fact.kind === "list") {
            var now = [];
            group.querySelectorAll("input:checked").forEach(function (box) { now.push(JSON.parse(box.getAttribute("data-value"))); });
            set(path, now);
          } else {
            set(path, value);
          }
          if (path.indexOf("site.") === 0) { request.site = request.site || {}; }
          update(path);
        });
        group.appendChild(el("div", {}, [input, " ", el("label", { for: id + "-" + i, text: label })]));
      });
      if (fact.kind === "list") {
        var none = el("button", { type: "button", class: "md-button ask-none", text: "None of these" });
        none.addEventListener("click", function () { set(path, []); update(path); });
        group.appendChild(none);
      }
      return group;
    }

    // Decisions' URLs name the clause's page (sections/scope.html#id), relative to the site's
    // root, or absolute under the site's configured address; this copy of the site links to its
    // own page either way, so that the link also works from disk.
    function clauseHref(url) {
      var base = window.POLICYKIT_DATA && window.POLICYKIT_DATA.site_url;
      if (base && url.indexOf(base) === 0) { url = url.slice(base.length); }
      return /^[a-z][a-z0-9+.-]*:/i.test(url) ? url : siteRoot + url;
    }

    function render(decision) {
      answer.innerHTML = "";
      var status = decision.reasons.some(function (r) { return r.interpretation && r.interpretation.status === "proposed"; })
        ? "This answer rests on a reading of the policy that the Board of Education has not yet confirmed."
        : (decision.reasons.length ? "This answer rests on the adopted text as the Board has confirmed it." : "");
      answer.appendChild(el("h2", { id: "ask-outcome", "data-outcome": decision.outcome, text: OUTCOME_WORDS[decision.outcome] }));
      answer.appendChild(el("p", { id: "ask-explanation", text: decision.explanation }));
      if (status) { answer.appendChild(el("p", { id: "ask-status", class: "ask-status", text: status })); }
      if (decision.reasons.length) {
        answer.appendChild(el("h3", { text: decision.outcome === "undetermined" ? "Clauses at stake" : "Why: the policy's words" }));
        decision.reasons.forEach(function (r) {
          answer.appendChild(el("blockquote", { class: "ask-clause", "data-clause": r.id }, [
            el("p", {}, [el("a", { href: clauseHref(r.url), text: r.title }),
              r.interpretation ? " (reading: " + (r.interpretation.status === "proposed" ? "awaiting the Board" : "confirmed") + ")" : ""]),
            el("p", { text: "“" + r.text.trim() + "”" })]));
        });
      }
      if (decision.obligations.length) {
        answer.appendChild(el("h3", { text: "What you must do" }));
        answer.appendChild(el("ul", {}, decision.obligations.map(function (o) {
          var state = o.met === true ? "done" : o.met === false ? "not done yet" : "not known yet";
          return el("li", { "data-clause": o.clause }, [o.text + " — " + state]);
        })));
      }
      if (decision.notices.length) {
        answer.appendChild(el("h3", { text: "Good to know" }));
        answer.appendChild(el("ul", {}, decision.notices.map(function (n) { return el("li", { text: n.text }); })));
      }
      if (decision.alternatives && decision.alternatives.length) {
        answer.appendChild(el("h3", { text: "Ways to do it within the policy" }));
        answer.appendChild(el("ul", { id: "ask-alternatives" }, decision.alternatives.map(function (a) {
          return el("li", { text: a.text + " (" + OUTCOME_WORDS[a.outcome].toLowerCase() + ")" });
        })));
      }
    }

    function update(focusAfter) {
      role.select.value = get("actor.role") || "";
      action.select.value = get("action") || "";
      json.value = JSON.stringify(request, null, 2);
      var fragment = "#request=" + encodeURIComponent(JSON.stringify(request));
      share.setAttribute("href", fragment);
      if (location.hash !== fragment && history.replaceState) { history.replaceState(null, "", fragment); }
      asked.innerHTML = "";
      answer.innerHTML = "";
      if (!get("actor.role") || !get("action")) {
        answer.appendChild(el("p", { class: "ask-help", text: "Choose your job and what you want to do; the policy then asks only what can change its answer." }));
        return;
      }
      var decision;
      try { decision = window.policykit.decide(request); } catch (e) {
        answer.appendChild(el("p", { role: "alert", text: "This request cannot be answered: " + e.message }));
        return;
      }
      var paths = mattering(decision);
      if (paths.length) {
        asked.appendChild(el("h2", { text: "Questions that can change the answer" }));
        paths.forEach(function (path) { asked.appendChild(question(path, decision)); });
      }
      render(decision);
      if (focusAfter) {
        var next = asked.querySelector("fieldset input");
        (next || answer.querySelector("h2")).focus && (next || share).focus();
      }
    }

    var match = /^#request=(.*)$/.exec(location.hash);
    if (match) {
      try { request = JSON.parse(decodeURIComponent(match[1])); } catch (e) { request = { actor: {} }; }
      request.actor = request.actor || {};
    }
    update();
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
