/* Reading a question typed in everyday words: window.policykit.understand(text).

   It returns { request, read: [{fact, value, words}], unsure: [{fact, words, choices}] }:
   - read: the facts the words state for sure, each with the words that said it (for a list fact,
     one entry per item: {fact: "audience", value: "student", words: "students"});
   - unsure: the facts some words could state more than one way ("personal" alone could be about
     the purpose, the phone or the account), each offered as a choice of values to put to the person;
   - request: the facts read, as a request (no role or action when the words do not say them);
   - information: when the words ask for information rather than leave ("is it private?", "could
     I be sued?"), the notices that answer them ({notices: {clause: lead words}, words}), in the
     order the request schema declares them; the page answers with the first notice the decision
     gives, in words, never with a verdict.

   Everything it knows comes from the request schema (emitted by policykit.publishing.ask): each
   value's x-synonyms, and x-understand's readings, frames, negations, misspellings and
   preferences. Words are matched longest first, over the whole question; plurals, possessives and
   the misspellings listed count. It never sets a fact from words that can mean several things,
   and the typed words never leave the page. */
(function () {
  "use strict";
  if (!window.policykit || !window.policykit.data) { return; }
  var D = window.policykit.data, U = D.understand || {}, FORM = {};
  D.form.forEach(function (f) { FORM[f.path] = f; });

  // ------------------------------------------------------------------ words
  var MISSPELT = U.misspellings || {};

  function stem(word) {
    if (word.length <= 3 || /ss$|us$|is$/.test(word)) { return word; }
    if (/ies$/.test(word) && word.length > 4) { return word.slice(0, -3) + "y"; }
    if (/(ch|sh|x)es$/.test(word)) { return word.slice(0, -2); }
    if (/s$/.test(word)) { return word.slice(0, -1); }
    return word;
  }

  // Words of a text: [{w: the word as matched, poss: followed by 's, start, end: its place in
  // text, sentence: which sentence (or clause after a semicolon) it is in, part: which stretch
  // between commas, colons or dashes}].
  function tokens(text) {
    var out = [], re = /[A-Za-z0-9\u00C0-\u024F]+(?:[-'\u2019][A-Za-z0-9\u00C0-\u024F]+)*/g, m, sentence = 0, part = 0, last = 0;
    while ((m = re.exec(text))) {
      if (/[.?!;]/.test(text.slice(last, m.index))) { sentence += 1; }
      if (/[.?!;,:\u2014]/.test(text.slice(last, m.index))) { part += 1; }
      last = m.index + m[0].length;
      var raw = m[0].toLowerCase().replace(/\u2019/g, "'"), poss = false;
      if (/'s$/.test(raw)) { raw = raw.slice(0, -2); poss = true; }
      raw = raw.replace(/'/g, "");
      var fixed = MISSPELT[raw] || MISSPELT[raw.replace(/-/g, "")];
      var parts = (fixed || raw).replace(/-/g, "").split(/\s+/);
      parts.forEach(function (p, i) {
        out.push({ w: stem(p), poss: poss && i === parts.length - 1, start: m.index, end: m.index + m[0].length, sentence: sentence, part: part });
      });
    }
    return out;
  }
  function key(text) { return tokens(text).map(function (t) { return t.w; }).join(" "); }

  // ------------------------------------------------------------------ the table of phrases
  // key -> [{n, read: {path: value}, unsure: {path: [values]}, before: {word: 1}, with: [keys], notPossessive}]
  var TABLE = {}, LONGEST = 1, KNOWN = {};
  function add(words, entry) {
    var k = key(words);
    if (!k) { return; }
    var n = k.split(" ").length;
    LONGEST = Math.max(LONGEST, n);
    k.split(" ").forEach(function (w) { KNOWN[w] = true; });
    (TABLE[k] = TABLE[k] || []).push(Object.assign({ n: n }, entry));
  }
  var FRAMES = U.frames || {};
  // A fact that shares another fact's values and has words of its own (seen_by: "can see it",
  // "followers") is read from a value's words next to its own words; its values' words alone
  // are the other fact's (audience).
  var SIBLING = {};
  D.form.forEach(function (fact) {
    if (!(fact.synonyms || []).length || !fact.values.length) { return; }
    var names = fact.values.map(function (v) { return v.name; }).join(" ");
    D.form.forEach(function (other) {
      if (other !== fact && other.values.map(function (v) { return v.name; }).join(" ") === names) { SIBLING[fact.path] = other.path; }
    });
    fact.synonyms.forEach(function (word) { add(word, { read: {}, factWord: fact.path }); });
  });
  D.form.forEach(function (fact) {
    if (SIBLING[fact.path]) { return; }
    fact.values.forEach(function (v) {
      v.synonyms.forEach(function (word) {
        var read = {};
        read[fact.path] = v.name;
        if (FRAMES[fact.path]) {
          FRAMES[fact.path].forEach(function (frame) { add(frame + " " + word, { read: read }); });
        } else {
          add(word, { read: read });
        }
      });
    });
  });
  (U.readings || []).forEach(function (r) {
    var before = null;
    if (r.before) { before = {}; r.before.forEach(function (w) { before[key(w)] = true; }); }
    var withKeys = r["with"] ? r["with"].map(key) : null;
    var ahead = r.ahead ? r.ahead.map(key) : null;
    r.words.forEach(function (words) {
      add(words, { read: r.read || {}, unsure: r.unsure || {}, before: before, withKeys: withKeys, ahead: ahead,
                   notPossessive: !!r.not_possessive, overrules: !!r.overrules });
    });
  });
  var JOIN = {};  // the words that join people named together: "my friends and a few colleagues"
  ["and", "or", "a", "few", "some", "the", "my", "our", "their", "his", "her", "also", "even", "other", "both", "all",
   "of", "many", "plus"].forEach(function (w) { JOIN[w] = true; });
  var NOT = {};
  (U.not || []).forEach(function (w) { NOT[key(w)] = true; });
  var TOPIC = ((U.topic || {}).words || []).map(key), TOPIC_FACTS = (U.topic || {}).facts || [];
  var INFO = (U.information || []).map(function (i) { return { keys: i.words.map(key), atEnd: !!i.at_end, notices: i.notices }; });

  // A word nobody declared, one slip from a declared word of five letters or more: two letters
  // swapped, or one letter left out.
  function mended(word) {
    if (KNOWN[word] || word.length < 4 || /[0-9]/.test(word)) { return word; }
    for (var i = 0; i + 1 < word.length; i++) {
      var swapped = word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
      if (swapped.length >= 5 && KNOWN[swapped]) { return swapped; }
    }
    var letters = "abcdefghijklmnopqrstuvwxyz";
    for (var j = 0; j <= word.length; j++) {
      for (var c = 0; c < letters.length; c++) {
        var longer = word.slice(0, j) + letters[c] + word.slice(j);
        if (longer.length >= 7 && KNOWN[longer]) { return longer; }
      }
    }
    return word;
  }

  function contains(words, k) {
    var joined = " " + words.join(" ") + " ";
    return joined.indexOf(" " + k + " ") >= 0;
  }

  // ------------------------------------------------------------------ reading
  function understand(text) {
    var toks = tokens(String(text || ""));
    toks.forEach(function (t) { t.w = mended(t.w); });
    var words = toks.map(function (t) { return t.w; });
    var candidates = [];
    for (var i = 0; i < toks.length; i++) {
      for (var n = Math.min(LONGEST, toks.length - i); n >= 1; n--) {
        var entries = TABLE[words.slice(i, i + n).join(" ")];
        if (!entries) { continue; }
        var next = toks[i + n], last = toks[i + n - 1];
        var fitting = entries.filter(function (e) {
          if (e.before && !(next && e.before[next.w])) { return false; }
          if (e.notPossessive && last.poss) { return false; }
          if (e.withKeys && !e.withKeys.some(function (k) { return contains(words, k); })) { return false; }
          if (e.ahead && !e.ahead.some(function (k) { return contains(words.slice(i + n, i + n + 4), k); })) { return false; }
          return true;
        });
        if (fitting.length) {
          var weight = fitting.some(function (e) { return e.before || e.withKeys || e.ahead; }) ? 1 : 0;
          candidates.push({ start: i, n: n, entries: fitting, weight: weight });
        }
      }
    }
    // Longest first, then those with a condition met, then the later (English puts the word that
    // names a thing last: "a friend request", "my class's parents"); no word read twice.
    candidates.sort(function (a, b) { return b.n - a.n || b.weight - a.weight || b.start - a.start; });
    var taken = [], chosen = [];
    candidates.forEach(function (c) {
      for (var k = c.start; k < c.start + c.n; k++) { if (taken[k]) { return; } }
      for (var j = c.start; j < c.start + c.n; j++) { taken[j] = true; }
      chosen.push(c);
    });
    chosen.sort(function (a, b) { return a.start - b.start; });
    // "students can see it": the value's words next to a fact's own words say that fact.
    var pending = [];
    chosen.forEach(function (c) {
      var seen = {};
      c.entries.forEach(function (e) {
        if (!e.factWord || seen[e.factWord]) { return; }
        seen[e.factWord] = true;
        var from = SIBLING[e.factWord], best = null;
        chosen.forEach(function (d) {
          if (d === c || d.redirect || toks[d.start].sentence !== toks[c.start].sentence ||
              !d.entries.some(function (x) { return x.read[from] !== undefined; })) { return; }
          var gap = d.start > c.start ? d.start - (c.start + c.n) : c.start - (d.start + d.n);
          if (gap <= 3 && (!best || gap < best.gap)) { best = { d: d, gap: gap }; }
        });
        if (!best) { pending.push({ c: c, path: e.factWord }); return; }
        // and the others named with it: "my friends and a few colleagues can see it"
        var run = [best.d];
        for (var grew = true; grew;) {
          grew = false;
          chosen.forEach(function (d) {
            if (run.indexOf(d) >= 0 || d.redirect || d === c || toks[d.start].sentence !== toks[c.start].sentence ||
                !d.entries.some(function (x) { return x.read[from] !== undefined; })) { return; }
            var near = run.some(function (r) {
              var from0 = Math.min(d.start + d.n, r.start + r.n), to0 = Math.max(d.start, r.start);
              if (to0 - from0 > 3) { return false; }
              for (var k = from0; k < to0; k++) { if (taken[k] || !JOIN[words[k]]) { return false; } }
              return true;
            });
            if (near) { run.push(d); grew = true; }
          });
        }
        run.forEach(function (d) { d.redirect = { from: from, to: e.factWord }; });
      });
    });

    var sure = {}, doubt = {}, order = [];
    function note(path) { if (order.indexOf(path) < 0) { order.push(path); } }
    // The words that said it: the phrase, and the next word when the phrase is read by it.
    function said(c) {
      var end = c.start + c.n - 1;
      if (c.entries.some(function (e) { return e.before; }) && toks[end + 1]) { end += 1; }
      return text.slice(toks[c.start].start, toks[end].end);
    }
    // A not word up to five words before, in the same sentence and not behind a comma: what follows
    // is not read as said ("I wasn't sure, so I asked" asked);
    // a not word inside the words a reading asked for (with: "not sure") is part of that reading.
    function negated(c, entries) {
      var inside = {};
      entries.forEach(function (e) {
        (e.withKeys || []).forEach(function (k) {
          var n = k.split(" ").length;
          for (var s = 0; s + n <= words.length; s++) {
            if (words.slice(s, s + n).join(" ") === k) { for (var j = s; j < s + n; j++) { inside[j] = true; } }
          }
        });
      });
      for (var k = c.start - 1; k >= 0 && k >= c.start - 5 && toks[k].part === toks[c.start].part; k--) {
        if (NOT[words[k]] && !inside[k]) { return true; }
      }
      return false;
    }
    function offer(path, values, w) {
      var d = doubt[path] = doubt[path] || { choices: [], words: [] };
      values.forEach(function (v) { if (d.choices.indexOf(v) < 0) { d.choices.push(v); } });
      if (d.words.indexOf(w) < 0) { d.words.push(w); }
      note(path);
    }
    // Who it is for, right after "about" or "a photo of": what it is about, not who it is for.
    function topical(c) {
      var back = [];
      for (var k = c.start - 1; k >= 0 && k >= c.start - 3; k--) { back.unshift(words[k]); }
      return TOPIC.some(function (t) { return contains(back, t); });
    }
    function others(path, value) {
      return FORM[path].values.map(function (v) { return v.name; }).filter(function (v) { return v !== value; });
    }
    chosen.forEach(function (c) {
      var w = said(c), no = negated(c, c.entries), topic = topical(c);
      c.entries.forEach(function (e) {
        Object.keys(e.read).forEach(function (path) {
          var value = e.read[path];
          if (c.redirect && c.redirect.from === path) { path = c.redirect.to; }
          var fact = FORM[path];
          if (!fact || (topic && TOPIC_FACTS.indexOf(path) >= 0 && !c.redirect)) { return; }
          if (no) {
            if (fact.kind === "boolean") { value = !value; }
            else if (fact.kind === "list" && fact.when_missing === "empty") { return; }
            else { offer(path, others(path, value), w); return; }
          }
          var s = sure[path] = sure[path] || [];
          if (!s.some(function (x) { return x.value === value; })) { s.push({ value: value, words: w }); }
          note(path);
        });
        Object.keys(e.unsure || {}).forEach(function (path) {
          if (!FORM[path] || (topic && TOPIC_FACTS.indexOf(path) >= 0)) { return; }
          offer(path, e.unsure[path], w);
          if (e.overrules) { doubt[path].overrules = true; }
        });
      });
    });

    pending.forEach(function (p) {  // "followers", with nobody named: who?
      if (!sure[p.path]) { offer(p.path, FORM[p.path].values.map(function (v) { return v.name; }), said(p.c)); }
    });

    // A question for information ("is it private?", "could I be sued?"): the notices that
    // answer it, each with the words that lead the answer, in the order declared.
    var information = [];
    INFO.forEach(function (info) {
      for (var k = 0; k < info.keys.length; k++) {
        var n = info.keys[k].split(" ").length;
        for (var s = 0; s + n <= words.length; s++) {
          if (words.slice(s, s + n).join(" ") !== info.keys[k]) { continue; }
          var after = toks[s + n];
          if (info.atEnd && after && after.sentence === toks[s].sentence) { continue; }
          information.push({ notices: info.notices, words: text.slice(toks[s].start, toks[s + n - 1].end) });
          return;
        }
      }
    });

    var request = {}, read = [], unsure = [];
    function put(path, value) {
      var parts = path.split("."), node = request;
      for (var k = 0; k < parts.length - 1; k++) { node = node[parts[k]] = node[parts[k]] || {}; }
      node[parts[parts.length - 1]] = value;
    }
    order.forEach(function (path) {
      var fact = FORM[path], s = sure[path] || [], d = doubt[path];
      if (d && d.overrules && fact.kind !== "list") {  // words that put what others said in doubt
        s.forEach(function (x) {
          if (d.choices.indexOf(x.value) < 0) { d.choices.push(x.value); }
          if (d.words.indexOf(x.words) < 0) { d.words.unshift(x.words); }
        });
        s = [];
      }
      if (s.length > 1 && fact.kind !== "list") {
        var prefer = (U.prefer || {})[path] || [];
        var values = s.map(function (x) { return x.value; });
        var beaten = values.filter(function (v) {
          return prefer.some(function (p) { return p[1] === v && values.indexOf(p[0]) >= 0; });
        });
        s = s.filter(function (x) { return beaten.indexOf(x.value) < 0; });
      }
      if (s.length === 1 || (s.length && fact.kind === "list")) {
        if (fact.kind === "list") {
          var names = fact.values.map(function (v) { return v.name; });
          s.sort(function (a, b) { return names.indexOf(a.value) - names.indexOf(b.value); });
          put(path, s.map(function (x) { return x.value; }));
          s.forEach(function (x) { read.push({ fact: path, value: x.value, words: x.words }); });
        } else {
          put(path, s[0].value);
          read.push({ fact: path, value: s[0].value, words: s[0].words });
        }
        return;
      }
      if (s.length > 1) {  // two values for one choice: ask which
        d = d || { choices: [], words: [] };
        s.forEach(function (x) {
          if (d.choices.indexOf(x.value) < 0) { d.choices.push(x.value); }
          if (d.words.indexOf(x.words) < 0) { d.words.push(x.words); }
        });
      }
      if (d) { unsure.push({ fact: path, words: d.words.join(", "), choices: d.choices }); }
    });
    if (request.site && request.site.purpose === undefined && !Object.keys(request.site).length) { delete request.site; }
    return { request: request, read: read, unsure: unsure, information: information };
  }

  window.policykit.understand = understand;
})();
