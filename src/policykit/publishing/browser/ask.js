/* The "Ask the policy" interview (the page with #policykit-ask), one question at a time.

   The staff member types a question in their own words; window.policykit.understand
   (understand.js) reads the facts it is sure of, shown as chips that can be changed or removed,
   and the words it could read more than one way. Then the page asks one question at a time, in
   the staff words of the request schema's x-question: the next question is the one the decision
   itself puts first (window.policykit.decide's `questions`, ordered by how much each settles).
   Every answer stays on screen with a Change link; the answer appears as soon as it is known.

   Everything is decided in the page. The request (never the typed words) lives in the URL
   fragment (#request=…), so a shared link reopens the same answer and no server ever sees it. */
(function () {
  "use strict";

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { node.textContent = attrs[k]; } else { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { if (c) { node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); } });
    return node;
  }

  function start() {
    var root = document.getElementById("policykit-ask");
    if (!root || !window.policykit || !window.policykit.understand) { return; }
    var P = window.policykit, D = P.data, FORM = {};
    D.form.forEach(function (f) { FORM[f.path] = f; });
    var me = document.querySelector('script[src$="assets/ask.js"]');
    var siteRoot = me ? me.src.replace(/assets\/ask\.js.*$/, "") : "";

    // The words for an outcome and a reading's status, as schema/messages.yaml declares them.
    var STATUS = D.messages.reading_status;
    function outcomeWord(outcome) { return D.messages.outcomes[outcome].word; }

    // ------------------------------------------------------------------ state
    var request = { actor: {} };
    var fromWords = [];   // [{fact, value, words}] read from the typed words (chips)
    var unsure = {};      // fact -> {words, choices}: words read more than one way
    var answered = [];    // facts answered through the questions, in the order asked
    var skipped = [];     // facts the person chose not to answer
    var information = []; // the typed words ask for information: [{notices: {clause: lead}, words}]
    var asking = null;    // the fact being asked or changed out of turn

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
      if (parts[0] === "actor") { request.actor = request.actor || {}; }
    }
    function given(path) { var v = get(path); return v !== undefined; }

    // ------------------------------------------------------------------ words for facts
    function you(text) {
      return text.replace(/\bI am\b/g, "you are").replace(/\bI'm\b/g, "you're").replace(/\bI\b/g, "you")
        .replace(/\bmy\b/g, "your").replace(/\bme\b/g, "you");
    }
    function valueOf(path, name) {
      return FORM[path].values.filter(function (v) { return v.name === name; })[0];
    }
    function choiceWords(path, value) {
      var fact = FORM[path], q = fact.question || {}, choices = q.choices || {};
      if (fact.kind === "boolean") { return choices[String(value)] || (value ? "Yes" : "No"); }
      var v = valueOf(path, value);
      return choices[value] || (v ? v.title.charAt(0).toUpperCase() + v.title.slice(1) : String(value));
    }
    function askWords(path) {
      var fact = FORM[path], q = fact.question || {};
      return q.ask || fact.description;
    }
    function chipWords(path, value) {  // "you send a message", "it reaches a student"
      var fact = FORM[path];
      if (fact.kind === "boolean") { return you(fact.phrases[String(value)] || askWords(path)); }
      var v = valueOf(path, value);
      return you(v && v.phrase ? v.phrase : choiceWords(path, value));
    }
    function answerWords(path) {
      var value = get(path), fact = FORM[path];
      if (fact.kind === "list") {
        return value.length ? value.map(function (v) { return choiceWords(path, v); }).join("; ") : "None of these";
      }
      return choiceWords(path, value);
    }

    // ------------------------------------------------------------------ the page
    var form = el("form", { class: "ask-start", id: "ask-start" });
    var words = el("textarea", { id: "ask-words", rows: "3", "aria-describedby": "ask-words-help", autocomplete: "off" });
    var read = el("button", { type: "submit", id: "ask-read", class: "md-button md-button--primary", text: "Ask" });
    form.appendChild(el("label", { for: "ask-words", class: "ask-label", text: "What do you want to do, in your own words?" }));
    form.appendChild(el("p", { id: "ask-words-help", class: "ask-help",
      text: "For example: “Can I text a student about tomorrow’s field trip from my own phone?” What you type stays on this page." }));
    form.appendChild(words);
    form.appendChild(el("p", {}, [read]));
    var understood = el("section", { id: "ask-understood", "aria-label": "What the policy understood" });
    var answer = el("section", { id: "ask-answer", "aria-live": "polite", "aria-label": "The policy's answer", tabindex: "-1" });
    var current = el("section", { id: "ask-current", "aria-label": "The next question" });
    var summary = el("section", { id: "ask-summary", "aria-label": "Your answers" });
    var share = el("a", { id: "ask-share", href: "#", text: "Link to this answer" });
    var reset = el("button", { type: "button", id: "ask-reset", class: "md-button", text: "Start again" });
    var copy = el("button", { type: "button", id: "ask-copy", class: "md-button", text: "Copy as request JSON" });
    var json = el("textarea", { id: "ask-json", rows: "6", readonly: "readonly", "aria-label": "The request as JSON" });
    var developer = el("details", { class: "ask-developer", id: "ask-developer" }, [
      el("summary", { text: "For developers" }),
      el("p", { text: "The question as a request for the policy's API and command line:" }), json, el("p", {}, [copy])]);
    root.appendChild(form);
    root.appendChild(understood);
    root.appendChild(answer);
    root.appendChild(current);
    root.appendChild(summary);
    root.appendChild(el("div", { class: "ask-tools" }, [share, " ", reset]));
    root.appendChild(developer);

    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var u = P.understand(words.value);
      var role = get("actor.role");
      request = u.request;
      request.actor = request.actor || {};
      answered = []; skipped = []; asking = null;
      if (!request.actor.role && role) { request.actor.role = role; answered.push("actor.role"); }
      if (request.as_of === undefined && asOf) { request.as_of = asOf; }
      fromWords = u.read;
      information = u.information || [];
      unsure = {};
      u.unsure.forEach(function (x) { unsure[x.fact] = x; });
      update(true);
    });
    words.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); read.click(); }
    });
    reset.addEventListener("click", function () {
      request = { actor: {} }; fromWords = []; unsure = {}; answered = []; skipped = []; asking = null; information = [];
      words.value = "";
      if (asOf) { request.as_of = asOf; }
      update(false);
      words.focus();
    });
    copy.addEventListener("click", function () {
      json.select();
      if (navigator.clipboard) { navigator.clipboard.writeText(json.value).catch(function () {}); }
    });

    // ------------------------------------------------------------------ which question next
    // Role and action first (every answer needs them); then the decision's own questions, the one
    // that settles most first; none once the answer is known.
    function nextQuestion(decision) {
      if (asking) { return asking; }
      if (!given("actor.role") && skipped.indexOf("actor.role") < 0) { return "actor.role"; }
      if (!given("action") && skipped.indexOf("action") < 0) { return "action"; }
      if (!decision || inWords(decision)) { return null; }
      var toNotice = information.length ? towardsNotice() : null;
      if (toNotice) { return toNotice; }
      if (decision.outcome !== "undetermined") { return null; }
      var left = (decision.questions || []).map(function (q) { return q.fact; })
        .filter(function (path) { return FORM[path] && skipped.indexOf(path) < 0; });
      return left.length ? left[0] : null;
    }

    // For a question for information whose notice is not given yet: the first fact not given (in
    // the schema's order) one of whose values would give it.
    function towardsNotice() {
      var wanted = {};
      information.forEach(function (i) { Object.keys(i.notices).forEach(function (c) { wanted[c] = true; }); });
      var saved = JSON.stringify(request), found = null;
      D.form.some(function (fact) {
        var path = fact.path;
        if (given(path) || skipped.indexOf(path) >= 0 || !(fact.question || {}).ask || fact.kind === "boolean") { return false; }
        if (path.indexOf("site.") === 0 && !request.site) { return false; }
        var values = fact.kind === "list" ? fact.values.map(function (v) { return [v.name]; }) : fact.values.map(function (v) { return v.name; });
        var gives = values.some(function (value) {
          set(path, value);
          var notices = [];
          try { notices = P.decide(request).notices; } catch (e) { notices = []; }
          request = JSON.parse(saved);
          return notices.some(function (n) { return wanted[n.clause]; });
        });
        if (gives) { found = path; }
        return gives;
      });
      return found;
    }

    // Facts not given whose answer would change a known answer (closed facts included): offered
    // after the answer, never asked first.
    function couldChange(decision) {
      var list = [];
      D.form.forEach(function (fact) {
        var path = fact.path;
        if (given(path) || path === "actor.role" || path === "action" || !(fact.question || {}).ask) { return; }
        if (path.indexOf("site.") === 0 && !request.site && path !== "site.purpose") { return; }
        var values = fact.kind === "boolean" ? [true, false] : fact.kind === "list"
          ? fact.values.map(function (v) { return [v.name]; }) : fact.values.map(function (v) { return v.name; });
        var saved = JSON.stringify(request);
        var changes = values.some(function (value) {
          set(path, value);
          var other;
          try { other = P.decide(request).outcome; } catch (e) { other = decision.outcome; }
          request = JSON.parse(saved);
          return other !== decision.outcome;
        });
        if (changes) { list.push(path); }
      });
      return list;
    }

    // ------------------------------------------------------------------ a question
    function question(path) {
      var fact = FORM[path], q = fact.question || {}, id = "ask-q-" + path.replace(/\./g, "-");
      var group = el("fieldset", { class: "ask-question", "data-fact": path, "aria-describedby": id + "-hint" });
      group.appendChild(el("legend", { class: "ask-legend" }, [el("h2", { id: id + "-title", text: askWords(path) })]));
      var hints = [];
      if (unsure[path]) { hints.push("You wrote “" + unsure[path].words + "”, which could mean more than one of these."); }
      if (q.hint) { hints.push(q.hint); }
      group.appendChild(el("p", { class: "ask-help", id: id + "-hint", text: hints.join(" ") }));
      var chosen = get(path);
      var options = fact.kind === "boolean" ? [true, false] : fact.values.map(function (v) { return v.name; });
      var first = unsure[path] ? unsure[path].choices : [];
      options.sort(function (a, b) {
        var ia = first.indexOf(a), ib = first.indexOf(b);
        return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || options.indexOf(a) - options.indexOf(b);
      });
      options.forEach(function (value, i) {
        var input, box = id + "-" + i;
        if (fact.kind === "list") {
          input = el("input", { type: "checkbox", id: box, name: id, value: String(value), "data-value": JSON.stringify(value) });
          input.checked = Array.isArray(chosen) && chosen.indexOf(value) >= 0;
        } else {
          input = el("input", { type: "radio", id: box, name: id, value: String(value), "data-value": JSON.stringify(value) });
          input.checked = chosen === value;
        }
        group.appendChild(el("div", { class: "ask-option" }, [input, " ", el("label", { for: box, text: choiceWords(path, value) })]));
      });
      var error = el("p", { class: "ask-error", id: id + "-error", role: "alert" });
      var go = el("button", { type: "submit", class: "md-button md-button--primary ask-continue", text: "Continue" });
      var skip = el("button", { type: "button", class: "md-button ask-skip", text: "I don’t know" });
      var box = el("form", { class: "ask-form", "data-fact": path, novalidate: "novalidate" }, [group, error, el("p", {}, [go, " ", skip])]);
      box.addEventListener("submit", function (e) {
        e.preventDefault();
        var value;
        if (fact.kind === "list") {
          value = [];
          group.querySelectorAll("input:checked").forEach(function (x) { value.push(JSON.parse(x.getAttribute("data-value"))); });
          if (!value.length && fact.when_missing === "unknown") {
            error.textContent = "Tick at least one, or choose “I don’t know”.";
            group.querySelector("input").focus();
            return;
          }
          var names = fact.values.map(function (v) { return v.name; });
          value.sort(function (a, b) { return names.indexOf(a) - names.indexOf(b); });
        } else {
          var checked = group.querySelector("input:checked");
          if (!checked) {
            error.textContent = "Choose one, or choose “I don’t know”.";
            group.querySelector("input").focus();
            return;
          }
          value = JSON.parse(checked.getAttribute("data-value"));
        }
        set(path, value);
        delete unsure[path];
        fromWords = fromWords.filter(function (r) { return r.fact !== path; });
        skipped = skipped.filter(function (p) { return p !== path; });
        if (answered.indexOf(path) < 0) { answered.push(path); }
        asking = null;
        update(true);
      });
      skip.addEventListener("click", function () {
        if (skipped.indexOf(path) < 0) { skipped.push(path); }
        asking = null;
        update(true);
      });
      return box;
    }

    // ------------------------------------------------------------------ what was understood
    function renderUnderstood() {
      understood.innerHTML = "";
      var shown = fromWords.filter(function (r) { return given(r.fact); });
      if (!shown.length) { return; }
      understood.appendChild(el("h2", { class: "ask-small", text: "What the policy read in your words" }));
      var list = el("ul", { class: "ask-chips" });
      shown.forEach(function (r) {
        var text = chipWords(r.fact, r.value);
        var change = el("button", { type: "button", class: "ask-chip-change", "data-fact": r.fact,
          "aria-label": "Change: " + text }, [text]);
        var remove = el("button", { type: "button", class: "ask-chip-remove", "data-fact": r.fact,
          "aria-label": "Remove: " + text, title: "Remove" }, ["×"]);
        change.addEventListener("click", function () { asking = r.fact; update(true); });
        remove.addEventListener("click", function () {
          var fact = FORM[r.fact];
          if (fact.kind === "list") {
            var left = (get(r.fact) || []).filter(function (v) { return v !== r.value; });
            set(r.fact, left.length ? left : undefined);
          } else {
            set(r.fact, undefined);
          }
          fromWords = fromWords.filter(function (x) { return x !== r; });
          update(true);
        });
        list.appendChild(el("li", { class: "ask-chip", "data-fact": r.fact, "data-value": JSON.stringify(r.value),
          title: "From your words: “" + r.words + "”" }, [change, remove]));
      });
      understood.appendChild(list);
    }

    // ------------------------------------------------------------------ the answers given
    function renderSummary() {
      summary.innerHTML = "";
      var rows = answered.filter(function (path) { return given(path); });
      if (!rows.length) { return; }
      summary.appendChild(el("h2", { class: "ask-small", text: "Your answers" }));
      var list = el("dl", { class: "ask-summary-list" });
      rows.forEach(function (path) {
        var change = el("button", { type: "button", class: "ask-link ask-change", "data-fact": path },
          ["Change", el("span", { class: "ask-hidden", text: ": " + askWords(path) })]);
        change.addEventListener("click", function () { asking = path; update(true); });
        list.appendChild(el("div", { class: "ask-summary-row", "data-fact": path }, [
          el("dt", { text: askWords(path) }), el("dd", { text: answerWords(path) }), el("dd", { class: "ask-summary-action" }, [change])]));
      });
      summary.appendChild(list);
    }

    // ------------------------------------------------------------------ the answer
    // Decisions' URLs name the clause's page (sections/scope.html#id), relative to the site's
    // root, or absolute under the site's configured address; this copy of the site links to its
    // own page either way, so that the link also works from disk.
    function clauseHref(url) {
      var base = window.POLICYKIT_DATA && window.POLICYKIT_DATA.site_url;
      if (base && url.indexOf(base) === 0) { url = url.slice(base.length); }
      return /^[a-z][a-z0-9+.-]*:/i.test(url) ? url : siteRoot + url;
    }
    var CLAUSE_ID = /[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*/;

    // A sentence of the decision for staff: a clause's quoted title becomes a link to it, and the
    // clause ids the API adds in brackets are left out.
    function sentence(text, decision) {
      var node = el("p", { id: "ask-explanation" });
      var titles = {};
      decision.reasons.forEach(function (r) { titles["“" + r.title + "”"] = r; });
      var cleaned = text.replace(new RegExp("\\s*\\((?:" + CLAUSE_ID.source + ")(?:,\\s*" + CLAUSE_ID.source + ")*\\)", "g"), "");
      var pattern = /“[^”]+”/g, last = 0, m;
      while ((m = pattern.exec(cleaned))) {
        var r = titles[m[0]];
        if (!r) { continue; }
        node.appendChild(document.createTextNode(cleaned.slice(last, m.index)));
        node.appendChild(el("a", { href: clauseHref(r.url), text: r.title }));
        last = m.index + m[0].length;
      }
      node.appendChild(document.createTextNode(cleaned.slice(last)));
      return node;
    }
    function quotation(text) {  // the policy's words, without the list marks of the source
      return text.trim().split(/\n+/).map(function (line) { return line.replace(/^\s*[-*•]\s+/, "").trim(); })
        .filter(Boolean).join(" ");
    }

    // A question for information is answered by the notice it asks about, in words: the lead,
    // then the notice ("No: the District may monitor …"), never a verdict word.
    function inWords(decision) {
      for (var i = 0; i < information.length; i++) {
        var notices = information[i].notices;
        for (var clause in notices) {
          var found = decision.notices.filter(function (n) { return n.clause === clause; })[0];
          if (found) { return { lead: notices[clause], notice: found }; }
        }
      }
      return null;
    }
    function renderInformation(decision, said) {
      var text = said.notice.text, first = text.split(" ")[0];
      if (!(first === first.toUpperCase() && first.length > 1) && ["District", "Ledyard", "Connecticut", "I"].indexOf(first) < 0) {
        text = text.charAt(0).toLowerCase() + text.slice(1);
      }
      answer.appendChild(el("h2", { id: "ask-outcome", "data-outcome": "information", text: said.lead + "." }));
      answer.appendChild(el("p", { id: "ask-explanation", "data-clause": said.notice.clause, text: said.lead + ": " + text }));
      var source = (D.notice_sources || {})[said.notice.clause];
      if (source) {
        answer.appendChild(el("p", { class: "ask-source" }, ["Where the policy says it: ",
          el("a", { href: clauseHref(source.url), text: source.title })]));
      }
      var others = decision.notices.filter(function (n) { return n !== said.notice; });
      if (others.length) {
        answer.appendChild(el("h3", { text: "Also good to know" }));
        answer.appendChild(el("ul", {}, others.map(function (n) { return el("li", { text: n.text }); })));
      }
    }

    // A question for information whose notices do not apply to what was described: it is answered
    // by saying so, naming them; what the policy says about doing it follows under its own heading.
    function renderNoNotice(decision) {
      var named = [];
      information.forEach(function (i) {
        Object.keys(i.notices).forEach(function (c) { if (named.indexOf(c) < 0 && (D.notice_sources || {})[c]) { named.push(c); } });
      });
      var several = named.length > 1;
      answer.appendChild(el("h2", { id: "ask-outcome", "data-outcome": decision.outcome, "data-information": "none",
        text: several ? "The policy’s notices on this do not apply to what you described."
                      : "The policy’s notice on this does not apply to what you described." }));
      var links = [];
      named.forEach(function (c, i) {
        if (i) { links.push(i === named.length - 1 ? " and " : ", "); }
        links.push(el("a", { href: clauseHref(D.notice_sources[c].url), text: D.notice_sources[c].title }));
      });
      answer.appendChild(el("p", { id: "ask-no-notice" }, ["The policy speaks of this in "].concat(links,
        [several ? "; none of them reaches what you described." : ", which does not reach what you described."])));
      answer.appendChild(el("h3", { text: "If you go ahead: " + outcomeWord(decision.outcome).toLowerCase() }));
    }

    function renderAnswer(decision, more) {
      answer.innerHTML = "";
      if (!decision) { return; }
      var said = inWords(decision);
      if (said) { renderInformation(decision, said); return; }
      var words = outcomeWord(decision.outcome);
      if (information.length && decision.outcome !== "undetermined") {
        renderNoNotice(decision);
      } else {
        answer.appendChild(el("h2", { id: "ask-outcome", "data-outcome": decision.outcome, text: words }));
      }
      answer.appendChild(sentence(decision.explanation, decision));
      if (decision.reasons.length) {
        answer.appendChild(el("h3", { text: decision.outcome === "undetermined" ? "What the answer depends on" : "Why: the policy’s words" }));
        decision.reasons.forEach(function (r) {
          var status = r.interpretation ? STATUS[r.interpretation.status] : "";
          answer.appendChild(el("blockquote", { class: "ask-clause", "data-clause": r.id }, [
            el("p", { text: "“" + quotation(r.text) + "”" }),
            el("p", { class: "ask-source" }, [el("a", { href: clauseHref(r.url), text: r.title }), status ? " · " + status : ""])]));
        });
      }
      // A duty whose state is unknown only where the answer may carry a proviso (allowed, or
      // needing approval): it cannot change a prohibition, nor settle an undetermined answer.
      var duties = decision.obligations.filter(function (o) {
        return o.met !== null || D.proviso_outcomes.indexOf(decision.outcome) >= 0;
      });
      if (duties.length) {
        answer.appendChild(el("h3", { text: "What you must do" }));
        answer.appendChild(el("ul", {}, duties.map(function (o) {
          var state = o.met === true ? "done" : o.met === false ? "not done yet" : "not known yet";
          return el("li", { "data-clause": o.clause }, [o.text.charAt(0).toUpperCase() + o.text.slice(1) + " (" + state + ")."]);
        })));
      }
      if (decision.notices.length) {
        answer.appendChild(el("h3", { text: "Good to know" }));
        answer.appendChild(el("ul", {}, decision.notices.map(function (n) { return el("li", { text: n.text }); })));
      }
      if (decision.alternatives && decision.alternatives.length) {
        answer.appendChild(el("h3", { text: "Ways to do it within the policy" }));
        answer.appendChild(el("ul", { id: "ask-alternatives" }, decision.alternatives.map(function (a) {
          return el("li", { text: a.text + " Then: " + outcomeWord(a.outcome).toLowerCase() + "." });
        })));
      }
      if (more.length) {
        answer.appendChild(el("h3", { text: "Could anything else change this answer?" }));
        answer.appendChild(el("ul", { id: "ask-more" }, more.map(function (path) {
          var b = el("button", { type: "button", class: "ask-link", "data-fact": path, text: askWords(path) });
          b.addEventListener("click", function () { asking = path; update(true); });
          return el("li", {}, [b]);
        })));
      }
    }

    // ------------------------------------------------------------------ one step
    var asOf = null;
    function update(moveFocus) {
      json.value = JSON.stringify(request, null, 2);
      var fragment = "#request=" + encodeURIComponent(JSON.stringify(request));
      share.setAttribute("href", fragment);
      if (location.hash !== fragment && history.replaceState) { history.replaceState(null, "", fragment); }
      var decision = null;
      current.innerHTML = "";
      if (given("actor.role") && given("action")) {
        try { decision = P.decide(request); } catch (e) {
          answer.innerHTML = "";
          answer.appendChild(el("p", { role: "alert", text: "This question cannot be answered: " + e.message }));
          renderUnderstood(); renderSummary();
          return;
        }
      }
      var next = nextQuestion(decision);
      renderUnderstood();
      renderSummary();
      var known = decision && (decision.outcome !== "undetermined" || !next || !!inWords(decision));
      if (known && next && information.length && !inWords(decision)) { known = false; }  // still asking towards the notice
      renderAnswer(known && !asking ? decision : null, known && !asking ? couldChange(decision) : []);
      if (next) { current.appendChild(question(next)); }
      root.setAttribute("data-step", next ? "question" : (known ? "answer" : "start"));
      if (!moveFocus) { return; }
      if (next) {
        var title = current.querySelector("h2");
        if (title) { title.setAttribute("tabindex", "-1"); title.focus({ preventScroll: true }); }
        current.scrollIntoView({ block: "start" });
      } else if (known) {
        answer.focus({ preventScroll: true });
        answer.scrollIntoView({ block: "start" });
      }
    }

    var match = /^#request=(.*)$/.exec(location.hash);
    if (match) {
      try { request = JSON.parse(decodeURIComponent(match[1])); } catch (e) { request = { actor: {} }; }
      if (!request || typeof request !== "object" || Array.isArray(request)) { request = { actor: {} }; }
      request.actor = request.actor || {};
      if (request.as_of) { asOf = request.as_of; }
      Object.keys(request).forEach(function (k) {
        if (k !== "actor" && k !== "as_of" && FORM[k] && FORM[k].kind !== "object") { answered.push(k); }
      });
      if (request.actor.role) { answered.unshift("actor.role"); }
    }
    update(false);
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
