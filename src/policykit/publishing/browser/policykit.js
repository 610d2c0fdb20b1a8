/* The policy's evaluator in the browser: a small interpreter of the data policykit.ask emits
   from the compiled policy (window.POLICYKIT_DATA). It mirrors request.build_encoder,
   engine.evaluate (with stakes.analyse) and engine.explain (in the words of D.messages), and alternatives.Searcher (with nearest.NearestSearch), step for step; it holds no
   rule of its own. window.policykit.decide(request) returns the decision as the HTTP API
   does (Decision.to_dict() with alternatives and questions) and throws for a malformed
   request, naming the field (error.problems: [{pointer, message}]). No request leaves the page. */
(function () {
  "use strict";
  var D = window.POLICYKIT_DATA;
  if (!D) { return; }
  var W = D.words, OUT = D.outcomes;

  // ----------------------------------------------------------------- masks, word by word
  function zero() { var m = new Array(W); for (var i = 0; i < W; i++) { m[i] = 0; } return m; }
  function any(a) { for (var i = 0; i < W; i++) { if (a[i]) { return true; } } return false; }
  function hits(a, b) { for (var i = 0; i < W; i++) { if (a[i] & b[i]) { return true; } } return false; }
  function or(a, b) { var m = new Array(W); for (var i = 0; i < W; i++) { m[i] = a[i] | b[i]; } return m; }
  function and(a, b) { var m = new Array(W); for (var i = 0; i < W; i++) { m[i] = a[i] & b[i]; } return m; }
  function minus(a, b) { var m = new Array(W); for (var i = 0; i < W; i++) { m[i] = a[i] & ~b[i]; } return m; }
  function key(a) { return a.join(","); }
  function bitsOf(a) {  // the single bits of a mask, lowest first
    var out = [];
    for (var i = 0; i < W; i++) {
      var word = a[i];
      while (word) {
        var low = word & -word, m = zero();
        m[i] = low; out.push(m); word ^= low;
      }
    }
    return out;
  }

  // ---------------------------------------------------------------------------- programs
  var FACTS = D.facts;
  var PROGRAMS = D.programs.map(function (program) {
    var cases = program.cases, terms = program.terms;
    var caseBits = cases.map(function () { return zero(); });
    terms.forEach(function (term) {
      term.rank = cases[term.case].rank;
      term.pn = or(term.p, term.n);
      caseBits[term.case] = or(caseBits[term.case], term.pn);
    });
    program.caseBits = caseBits;
    var negative = zero();  // bits some term reads negatively or needs known
    terms.forEach(function (term) { negative = or(negative, or(term.n, term.k)); });
    program.negative = negative;
    program.cache = new Map();
    program.outcomes = new Map();
    return program;
  });

  function termStates(program, t, u) {
    // 2 true, 1 unknown, 0 false, per term (what compiler._slice_table precomputes)
    var terms = program.terms, states = new Array(terms.length);
    for (var j = 0; j < terms.length; j++) {
      var term = terms[j], p = term.p, n = term.n, k = term.k, state = 2;
      for (var i = 0; i < W; i++) {
        var tw = t[i], uw = u[i];
        if ((p[i] & ~tw & ~uw) || (n[i] & tw) || (k[i] & uw)) { state = 0; break; }
        if ((p[i] | n[i]) & uw) { state = 1; }
      }
      states[j] = state;
    }
    return states;
  }

  function membersWhere(program, states, test) {  // case indexes of matching terms, in order, each once
    var found = [], terms = program.terms;
    for (var j = 0; j < terms.length; j++) {
      if (test(terms[j], states[j])) {
        var c = terms[j].case;
        if (!found.length || found[found.length - 1] !== c) { found.push(c); }
      }
    }
    return found;
  }

  function bestRank(program, states) {
    var best = 0, terms = program.terms;
    for (var j = 0; j < terms.length; j++) {
      if (states[j] === 2 && terms[j].rank > best) { best = terms[j].rank; }
    }
    return best;
  }

  function evaluate(program, t, u, reread) {
    var cacheKey = key(t) + "|" + key(u) + "|" + reread;
    var hit = program.cache.get(cacheKey);
    if (hit) { return hit; }
    var states = termStates(program, t, u), cases = program.cases;
    var best = bestRank(program, states);
    var outcome, reasons, missing = [], possible = [], onlyUnmet = false, effects;
    var stake = membersWhere(program, states, function (term, s) { return s === 1 && term.rank > best; });
    var effectIdx = membersWhere(program, states, function (term, s) { return s === 2 && term.effect; });
    effects = effectIdx.map(function (i) { return cases[i]; });
    var stakes = stake.length ? analyse(program, t, u, best, states) : null;
    if (stakes && stakes.possible.length > 1) {
      outcome = "undetermined";
      reasons = reasonsOf(program, stakes.cases.map(function (i) { return cases[i]; }));
      missing = stakes.missing;
      possible = stakes.possible.map(function (r) { return OUT[r]; });
    } else {
      if (stakes) { best = stakes.possible[0]; }  // determined by exhaustion: every completion agrees
      outcome = OUT[best];
      var deciding = membersWhere(program, states, function (term, s) { return s === 2 && term.rank === best; });
      if (stakes) { deciding = deciding.concat(stakes.cases.filter(function (i) { return cases[i].rank === best; })); }
      deciding = deciding.map(function (i) { return cases[i]; });
      reasons = reasonsOf(program, deciding);
      onlyUnmet = deciding.length > 0 && deciding.every(function (c) { return c.unmet; });
      var trigger = 1 << best;
      var extra = program.outcome_cases.filter(function (c) { return c.on_outcome & trigger; });
      if (extra.length) {
        effects = effects.concat(extra).map(function (c, i) { return [c, i]; })
          .sort(function (a, b) { return a[0].order - b[0].order || a[1] - b[1]; })
          .map(function (pair) { return pair[0]; });
      }
    }
    var obligations = [];
    effects.forEach(function (c) {
      if (c.obligation === null) { return; }
      var o = { clause: program.reasons[c.clause].id, text: c.obligation, met: met(c.met, t, u) };
      if (c.reading) { o.interpretation = c.reading; }
      obligations.push(o);
    });
    var notices = [];
    effects.forEach(function (c) { if (c.notice) { notices.push(c.notice); } });
    var readings = [];
    D.read_as.forEach(function (rule, i) { if (reread >> i & 1) { readings.push(rule[3]); } });
    var finalRank = OUT.indexOf(outcome);
    var probed = finalRank >= 0 && finalRank <= D.allowed_rank ? probedReadings(program, t, u, finalRank) : [];
    var sentences = explain(outcome, reasons, obligations, missing, possible, readings, onlyUnmet, notices,
      restsOn(outcome, reasons, obligations, probed));
    var verdict = {
      outcome: outcome, reasons: reasons, obligations: obligations, notices: notices,
      missing_facts: missing, possible_outcomes: possible,
      explanation: sentences.join(" "),
      // where the first sentence and the values read as others end (the engine's Verdict.lead)
      lead: sentences.slice(0, 1 + readings.length).join(" ").length
    };
    if (program.cache.size < 65536) { program.cache.set(cacheKey, verdict); }
    return verdict;
  }

  // Only the outcome (and how many outcomes remain possible): what the search and the
  // questions need of each changed request; the same steps as evaluate, without the words.
  function outcomeOf(program, t, u) {
    var cacheKey = key(t) + "|" + key(u);
    var hit = program.outcomes.get(cacheKey);
    if (hit) { return hit; }
    var states = termStates(program, t, u), terms = program.terms, best = bestRank(program, states);
    var result = { outcome: OUT[best], possible: 1 };
    for (var j = 0; j < terms.length; j++) {
      if (states[j] === 1 && terms[j].rank > best) {
        var stakes = analyse(program, t, u, best, states);
        result = stakes.possible.length > 1 ? { outcome: "undetermined", possible: stakes.possible.length }
          : { outcome: OUT[stakes.possible[0]], possible: 1 };
        break;
      }
    }
    if (program.outcomes.size < 65536) { program.outcomes.set(cacheKey, result); }
    return result;
  }

  function met(bit, t, u) {
    if (!any(bit) || hits(u, bit)) { return null; }
    return hits(t, bit);
  }

  function reasonsOf(program, cases) {
    var seen = {};
    cases.forEach(function (c) { seen[c.clause] = true; });
    return Object.keys(seen).map(Number).sort(function (a, b) { return a - b; })
      .map(function (i) { return program.reasons[i]; });
  }

  // What is at stake, exactly (stakes.analyse): the outcomes of every completion of the missing
  // facts and the facts whose value alone changes it, from a reduced ordered decision diagram over
  // the at-stake terms' unknown bits, built top down with memoised residual states; no limit.
  function analyse(program, t, u, best, states) {
    var terms = program.terms;
    D.read_as.forEach(function (rule) {  // a value read as another cannot reach the rules
      if (hits(u, rule[0]) && !hits(or(t, u), rule[2])) { u = minus(u, rule[0]); }
    });
    var live = [], liveCases = {}, mentioned = zero();
    for (var j = 0; j < terms.length; j++) {
      var term = terms[j];
      if (states[j] !== 1 || term.rank <= best) { continue; }
      if (any(minus(minus(term.p, t), u)) || hits(term.n, t) || hits(term.k, u)) { continue; }
      var p = and(term.p, u), n = and(term.n, u);
      if (hits(p, n)) { continue; }
      var satisfiable = term.reads.every(function (read) {
        var fact = FACTS[read[1]];
        if (!fact.choice || !hits(u, fact.mask)) { return true; }
        var needed = and(p, fact.mask);
        if (any(needed)) { return bitsOf(needed).length === 1; }
        return any(minus(and(u, fact.mask), n));
      });
      if (!satisfiable) { continue; }
      live.push(residual(term.rank, p, n));
      liveCases[term.case] = true;
      mentioned = or(mentioned, or(p, n));
    }
    var caseList = Object.keys(liveCases).map(Number).sort(function (a, b) { return a - b; });
    if (!live.length) { return { possible: [best], missing: [], cases: [] }; }
    var variables = [];
    FACTS.forEach(function (fact) {
      if (!hits(fact.mask, mentioned)) { return; }
      var named = bitsOf(and(fact.mask, mentioned));
      if (fact.choice) {
        var values = any(minus(and(u, fact.mask), mentioned)) ? named.concat([zero()]) : named;
        variables.push({ fact: fact, mask: fact.mask, values: values });
      } else {
        named.forEach(function (bit) { variables.push({ fact: fact, mask: bit, values: [zero(), bit] }); });
      }
    });
    var terminals = OUT.length, shapes = new Map(), nodeVar = [], nodeChildren = [], memo = new Map();

    function build(start, reached, list) {
      var memoKey = reached + "|" + list.map(function (r) { return r.key; }).join(";");
      var found = memo.get(memoKey);
      if (found !== undefined) { return found; }
      if (!list.length) { memo.set(memoKey, reached); return reached; }
      var used = zero();
      list.forEach(function (r) { used = or(used, or(r.p, r.n)); });
      var index = start;
      while (!hits(variables[index].mask, used)) { index++; }
      var variable = variables[index], settles = variable.mask, children = [];
      variable.values.forEach(function (value) {
        var bestNow = reached, rest = [];
        list.forEach(function (r) {
          if (any(minus(and(r.p, settles), value)) || hits(r.n, value)) { return; }
          var pLeft = minus(r.p, settles), nLeft = minus(r.n, settles);
          if (any(pLeft) || any(nLeft)) { rest.push(residual(r.rank, pLeft, nLeft)); } else if (r.rank > bestNow) {
            bestNow = r.rank;
          }
        });
        children.push(build(index + 1, bestNow, canonical(rest.filter(function (r) { return r.rank > bestNow; }))));
      });
      var node;
      if (children.every(function (c) { return c === children[0]; })) {
        node = children[0];
      } else {
        var shape = index + ":" + children.join(",");
        node = shapes.get(shape);
        if (node === undefined) {
          node = terminals + nodeVar.length;
          shapes.set(shape, node);
          nodeVar.push(index);
          nodeChildren.push(children);
        }
      }
      memo.set(memoKey, node);
      return node;
    }

    var start = best;
    live.forEach(function (r) {  // true in every completion: its only unknown value can never be read (x-read-as)
      if (!any(r.p) && !any(r.n) && r.rank > start) { start = r.rank; }
    });
    var root = build(0, start, canonical(live.filter(function (r) { return r.rank > start && (any(r.p) || any(r.n)); })));
    var possible = {}, facts = {}, seen = {}, stack = [root];
    while (stack.length) {
      var node = stack.pop();
      if (seen[node]) { continue; }
      seen[node] = true;
      if (node < terminals) { possible[node] = true; continue; }
      var fact = variables[nodeVar[node - terminals]].fact;
      facts[fact.order] = fact.path;
      stack.push.apply(stack, nodeChildren[node - terminals]);
    }
    var byNumber = function (a, b) { return a - b; };
    return {
      possible: Object.keys(possible).map(Number).sort(byNumber),
      missing: Object.keys(facts).map(Number).sort(byNumber).map(function (o) { return facts[o]; }),
      cases: caseList
    };
  }

  function residual(rank, p, n) { return { rank: rank, p: p, n: n, key: rank + ":" + key(p) + ":" + key(n) }; }

  function canonical(list) {  // a set of residual terms: each once, in one order
    var byKey = new Map();
    list.forEach(function (r) { byKey.set(r.key, r); });
    return Array.from(byKey.keys()).sort().map(function (k) { return byKey.get(k); });
  }

  // ------------------------------------------------------------------------- explanation
  // Every sentence is D.messages' (schema/messages.yaml): parts that are literal text (strings)
  // or the values to fill in ({value: name}), as engine.explain fills them.
  var M = D.messages;
  function fill(parts, values) {
    return parts.map(function (part) { return typeof part === "string" ? part : values[part.value]; }).join("");
  }

  function titles(reasons) {
    var names = reasons.map(function (r) { return fill(M.sentences.clause_name, { title: r.title, id: r.id }); });
    if (names.length <= 1) { return names.join(""); }
    return names.slice(0, -1).join(M.lists.clauses.separator) + M.lists.clauses.last + names[names.length - 1];
  }

  function provisoOutcome(outcome) { return D.proviso_outcomes.indexOf(outcome) >= 0; }

  // The readings whose conditions kept a case stronger than the answer from deciding it: the
  // reading probes that hold (every P bit true, no N bit true or unknown), each once.
  function probedReadings(program, t, u, finalRank) {
    var found = [], tu = or(t, u);
    program.probes.forEach(function (probe) {
      if (probe.rank <= finalRank || found.indexOf(probe.reading) >= 0) { return; }
      if (probe.terms.some(function (term) { return !any(minus(term.p, t)) && !hits(term.n, tu); })) {
        found.push(probe.reading);
      }
    });
    return found;
  }

  // The unconfirmed readings the outcome rests on, each once (engine.rests_on).
  function restsOn(outcome, reasons, obligations, probed) {
    var names = [];
    function add(name) { if (names.indexOf(name) < 0) { names.push(name); } }
    reasons.forEach(function (r) { if (r.awaiting) { add(r.id); } });
    obligations.forEach(function (o) {
      var stated = o.met === false || (o.met === null && provisoOutcome(outcome));
      if (stated && o.interpretation && o.interpretation.status === "proposed") { add(o.clause); }
    });
    probed.forEach(add);
    return names;
  }

  function explain(outcome, reasons, obligations, missing, possible, readings, onlyUnmet, notices, unconfirmed) {
    var first, L = M.lists;
    if (outcome === "undetermined") {
      first = fill(M.sentences.undetermined, {
        missing: missing.join(L.missing),
        possible: possible.map(function (o) { return M.outcomes[o].short; }).join(L.possible),
        clauses: titles(reasons)
      });
    } else if (!reasons.length && (obligations.length || notices.length)) {
      first = fill(M.sentences.unrestricted_with_duties, {});
    } else if (!reasons.length) {
      first = fill(M.sentences.unrestricted, {});
    } else if (onlyUnmet) {
      first = fill(M.sentences.verdict_not_yet, { clauses: titles(reasons) });
    } else {
      first = fill(M.sentences.verdict, { verdict: M.outcomes[outcome].verdict, clauses: titles(reasons) });
    }
    var sentences = [first].concat(readings);
    var unmet = obligations.filter(function (o) { return o.met === false; }).map(function (o) { return o.text; });
    if (unmet.length) { sentences.push(fill(M.sentences.not_yet, { duties: unmet.join(L.duties) })); }
    var assumed = obligations.filter(function (o) { return o.met === null; }).map(function (o) { return o.text; });
    if (assumed.length && provisoOutcome(outcome)) {
      sentences.push(fill(M.sentences.proviso, { duties: assumed.join(L.duties) }));
    }
    if (outcome === "requires_approval" && !unmet.length && obligations.some(function (o) { return o.met === true; })) {
      sentences.push(fill(M.sentences.approval_pending, {}));
    }
    if (unconfirmed.length) {
      sentences.push(fill(M.sentences.unconfirmed_reading, { readings: unconfirmed.join(L.readings) }));
    }
    return sentences;
  }

  // ----------------------------------------------------------------------------- encoder
  function Malformed(problems) {
    var error = new Error(problems.map(function (p) { return (p.pointer || "/") + ": " + p.message; }).join("; "));
    error.name = "RequestError";
    error.problems = problems;
    return error;
  }

  function prepare(nodes) {
    var byName = new Map();
    nodes.forEach(function (node) {
      if (node.values) { node.table = new Map(node.values); }
      if (node.children) { node.specs = prepare(node.children); }
      byName.set(node.name, node);
    });
    return byName;
  }
  var TOP = prepare(D.encoder);

  function isObject(value) { return value !== null && typeof value === "object" && !Array.isArray(value); }
  function isDate(text) {
    if (typeof text !== "string" || !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(text)) { return false; }
    var y = +text.slice(0, 4), m = +text.slice(5, 7), d = +text.slice(8, 10);
    if (y < 1 || m < 1 || m > 12 || d < 1) { return false; }
    var days = [31, (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    return d <= days[m - 1];
  }

  function encodeObject(data, specs, pointer, state) {
    if (!isObject(data)) { throw Malformed([{ pointer: pointer, message: "must be an object" }]); }
    specs.forEach(function (spec, name) {
      if (spec.required && !Object.prototype.hasOwnProperty.call(data, name)) {
        throw Malformed([{ pointer: pointer + "/" + name, message: "missing required field '" + name + "'" }]);
      }
    });
    Object.keys(data).forEach(function (name) {
      var spec = specs.get(name), value = data[name], where = pointer + "/" + name;
      if (!spec) { throw Malformed([{ pointer: where, message: "unknown field '" + name + "'" }]); }
      var bad = function (message) { throw Malformed([{ pointer: where, message: message }]); };
      if (spec.kind === "choice") {
        var bit = typeof value === "string" ? spec.table.get(value) : undefined;
        if (!bit) { bad("not an allowed value; use one of: " + spec.values.map(function (v) { return v[0]; }).join(", ")); }
        state.t = or(state.t, bit); state.u = minus(state.u, spec.mask);
      } else if (spec.kind === "list") {
        if (!Array.isArray(value)) { bad("must be a list"); }
        value.forEach(function (item, index) {
          var b = typeof item === "string" ? spec.table.get(item) : undefined;
          if (!b) {
            throw Malformed([{ pointer: where + "/" + index, message: "'" + String(item) + "' is not an allowed value" }]);
          }
          if (hits(state.t, b)) { bad("lists the same value more than once"); }
          state.t = or(state.t, b);
        });
        state.u = minus(state.u, spec.mask);
      } else if (spec.kind === "boolean") {
        if (value === true) { state.t = or(state.t, spec.bit); } else if (value !== false) { bad("must be true or false"); }
        state.u = minus(state.u, spec.mask);
      } else if (spec.kind === "object") {
        state.t = or(state.t, spec.bit);
        encodeObject(value, spec.specs, where, state);
      } else {  // the as_of date
        if (!isDate(value)) { bad("must be a date written YYYY-MM-DD"); }
        state.asOf = value;
      }
    });
  }

  function encode(request) {
    var state = { t: zero(), u: D.initially_unknown.slice(), asOf: null };
    if (!isObject(request)) {
      throw Malformed([{ pointer: "", message: "a request must be a JSON object with at least actor.role and action" }]);
    }
    encodeObject(request, TOP, "", state);
    var reread = readAs(state);
    return { t: state.t, u: state.u, asOf: state.asOf, reread: reread };
  }

  function readAs(state, reread) {
    reread = reread || 0;
    D.read_as.forEach(function (rule, i) {
      if (hits(state.t, rule[0]) && !hits(state.t, rule[2])) {
        state.t = or(minus(state.t, rule[0]), rule[1]);
        reread |= 1 << i;
      }
    });
    return reread;
  }

  // ------------------------------------------------------------------------ alternatives
  var S = D.search, RANK = {};
  OUT.forEach(function (o, i) { RANK[o] = i; });

  function atomsFor(t) {
    var atoms = [], siteGiven = hits(t, S.site_bit);
    S.choices.forEach(function (fact) {
      if (fact.path.indexOf("site.") === 0 && !siteGiven) { return; }
      var allowed = fact.mask;
      if (fact.path === "channel") {
        var action = null;
        for (var i = 0; i < S.action_channels.length; i++) {
          if (hits(t, S.action_channels[i][0])) { action = S.action_channels[i]; break; }
        }
        if (action) { allowed = action[1]; }
      }
      var current = null;
      for (var c = 0; c < fact.values.length; c++) { if (hits(t, fact.values[c].bit)) { current = fact.values[c]; break; } }
      fact.values.forEach(function (value, index) {
        if (hits(t, value.bit) || !hits(allowed, value.bit)) { return; }
        atoms.push({ fact: fact.path, value: value.name, removal: false, group: fact.path, set: value.bit,
          clear: fact.mask, order: [fact.order, index], district: value.district,
          words: value.instead + (current ? " instead of " + current.instead_of : "") });
      });
    });
    S.lists.forEach(function (fact) {
      if (fact.path.indexOf("site.") === 0 && !siteGiven) { return; }
      fact.values.forEach(function (value, index) {
        if (hits(t, value.bit)) {
          atoms.push({ fact: fact.path, value: value.name, removal: true, group: fact.path + ":" + value.name,
            set: zero(), clear: value.bit, order: [fact.order, index], district: false, words: value.instead });
        }
      });
    });
    S.booleans.forEach(function (fact) {
      if (fact.path.indexOf("site.") === 0 && !siteGiven) { return; }
      if (!hits(t, fact.bit)) {
        atoms.push({ fact: fact.path, value: true, removal: false, group: fact.path, set: fact.bit, clear: zero(),
          order: [fact.order, 0], district: false, words: fact.instead });
      }
    });
    atoms.forEach(function (atom) { atom.bits = or(atom.set, atom.clear); });
    return atoms;
  }

  function Budget(limit) { this.left = limit; }
  Budget.prototype.spend = function () { if (this.left <= 0) { return false; } this.left--; return true; };

  function alternatives(program, enc, verdict) {  // {found, complete}
    if (verdict.outcome === "permitted" || verdict.outcome === "undetermined") { return { found: [], complete: true }; }
    var current = RANK[verdict.outcome];
    var found = remedies(program, enc, verdict, current);
    var seen = new Set(found.map(function (a) { return JSON.stringify(a.changes); }));
    var searched = search(program, enc, current, new Budget(S.budget));
    for (var i = 0; i < searched.found.length && found.length < S.max; i++) {
      var k = JSON.stringify(searched.found[i].changes);
      if (!seen.has(k)) { found.push(searched.found[i]); seen.add(k); }
    }
    return { found: found.slice(0, S.max), complete: searched.complete };
  }

  function remedies(program, enc, verdict, current) {
    var candidates = [];
    verdict.reasons.forEach(function (reason, position) {
      var remedy = S.remedies[reason.id];
      if (!remedy) { return; }
      var t = enc.t, u = enc.u, changes = [];
      remedy.set.forEach(function (s) {
        if (hits(enc.t, s.bit)) { return; }
        t = or(minus(t, s.clear), s.bit);
        u = minus(u, or(s.clear, s.bit));
        if (s.site) { t = or(t, S.site_bit); }
        changes.push({ fact: s.fact, value: s.value });
      });
      remedy.remove.forEach(function (r) {
        var present = r.items.filter(function (item) { return hits(enc.t, item[1]); });
        present.forEach(function (item) { t = minus(t, item[1]); });
        if (present.length) { changes.push({ fact: r.fact, remove: present.map(function (item) { return item[0]; }) }); }
      });
      if (!changes.length) { return; }
      var result = outcomeOf(program, t, u);
      if (result.outcome !== "undetermined" && RANK[result.outcome] < current) {
        var text = remedy.text.charAt(0).toUpperCase() + remedy.text.slice(1);
        candidates.push([RANK[result.outcome], position,
          { changes: changes, outcome: result.outcome, remedy_of: reason.id, text: text.replace(/\.+$/, "") + "." }]);
      }
    });
    candidates.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    return candidates.map(function (c) { return c[2]; });
  }

  function combinations(n, size, visit) {
    var idx = [];
    for (var i = 0; i < size; i++) { idx.push(i); }
    while (true) {
      visit(idx);
      var j = size - 1;
      while (j >= 0 && idx[j] === n - size + j) { j--; }
      if (j < 0) { return; }
      idx[j]++;
      for (var m = j + 1; m < size; m++) { idx[m] = idx[m - 1] + 1; }
    }
  }

  function compareKeys(a, b) {  // sort keys: [rank, size, notDistrict, [orders...]]
    if (a[0] !== b[0]) { return a[0] - b[0]; }
    if (a[1] !== b[1]) { return a[1] - b[1]; }
    if (a[2] !== b[2]) { return (a[2] ? 1 : 0) - (b[2] ? 1 : 0); }
    var x = a[3], y = b[3];
    for (var i = 0; i < Math.min(x.length, y.length); i++) {
      if (x[i][0] !== y[i][0]) { return x[i][0] - y[i][0]; }
      if (x[i][1] !== y[i][1]) { return x[i][1] - y[i][1]; }
    }
    return x.length - y.length;
  }

  function byOrder(atoms) {
    return function (i, j) { return atoms[i].order[0] - atoms[j].order[0] || atoms[i].order[1] - atoms[j].order[1]; };
  }

  // The search, within the budget the decision schema declares (x-search-budget, as S.budget):
  // the same steps as nearest.NearestSearch (core/nearest.py), in the same order, so that the same change
  // sets are tried and the same one is the last when the budget runs out.
  function search(program, enc, current, budget) {
    var t = enc.t, u = enc.u, states = termStates(program, t, u), cases = program.cases, terms = program.terms;
    var liveCases = new Set(), trueCases = new Set();
    terms.forEach(function (term, j) {
      if (states[j]) { liveCases.add(term.case); }
      if (states[j] === 2) { trueCases.add(term.case); }
    });
    var deciding = [];
    Array.from(trueCases).sort(function (a, b) { return a - b; }).forEach(function (i) {
      if (cases[i].rank === current) { deciding.push(program.caseBits[i]); }
    });
    var outcomeCases = [];
    cases.forEach(function (c, i) { if (c.rank > 0) { outcomeCases.push(i); } });
    var relevant = zero();
    outcomeCases.forEach(function (i) { if (liveCases.has(i)) { relevant = or(relevant, program.caseBits[i]); } });
    var atoms = atomsFor(t);
    while (true) {
      var touched = zero();
      atoms.forEach(function (atom) { if (hits(atom.bits, relevant)) { touched = or(touched, atom.bits); } });
      var grown = relevant;
      outcomeCases.forEach(function (i) { if (hits(program.caseBits[i], touched)) { grown = or(grown, program.caseBits[i]); } });
      if (key(grown) === key(relevant)) { break; }
      relevant = grown;
    }
    atoms = atoms.filter(function (atom) { return hits(atom.bits, relevant); });
    // Items left out of a list no term reads negatively only switch terms off: worked out directly.
    var isRemovable = function (atom) { return atom.removal && !hits(atom.bits, program.negative); };
    var removable = atoms.filter(isRemovable);
    var others = atoms.filter(function (atom) { return !isRemovable(atom); });
    var removableBits = zero();
    removable.forEach(function (atom) { removableBits = or(removableBits, atom.bits); });
    var groupNames = [], groupMin = {};
    others.forEach(function (atom) {
      if (!(atom.group in groupMin)) { groupNames.push(atom.group); groupMin[atom.group] = atom.order; }
      else if (compareOrder(atom.order, groupMin[atom.group]) < 0) { groupMin[atom.group] = atom.order; }
    });
    groupNames.sort(function (a, b) { return compareOrder(groupMin[a], groupMin[b]); });
    var groups = groupNames.map(function (name) {
      var members = [];
      others.forEach(function (atom, i) { if (atom.group === name) { members.push(i); } });
      return members;
    });
    var groupBits = groups.map(function (members) {
      var bits = zero();
      members.forEach(function (i) { bits = or(bits, others[i].bits); });
      return bits;
    });
    var needs = [];  // per deciding case no removal touches: the groups that can touch it
    deciding.forEach(function (caseBits) {
      if (hits(caseBits, removableBits)) { return; }
      needs.push(groupBits.map(function (bits) { return hits(bits, caseBits); }));
    });
    if (needs.some(function (need) { return need.indexOf(true) < 0; })) { return { found: [], complete: true }; }
    var tried = new Map(), permittedSets = [], results = [], complete = true, inSet = others.map(function () { return false; });
    var rankOf = function (nt, nu) {
      if (!budget.spend()) { return null; }
      var result = outcomeOf(program, nt, nu);
      return result.outcome === "undetermined" ? -1 : RANK[result.outcome];
    };
    var containsPermitted = function () {
      return permittedSets.some(function (found) { return found.every(function (i) { return inSet[i]; }); });
    };
    var setKey = function (indexes) { return indexes.slice().sort(function (a, b) { return a - b; }).join(","); };

    function visit(picked, size) {  // one change set of the other facts, with its merged removals
      if (containsPermitted()) { return true; }
      if (!budget.spend()) { return false; }  // each change set tried counts, decided or not
      var members = picked.slice().sort(function (a, b) { return a - b; });
      var nt = t, nu = u;
      members.forEach(function (i) {
        var atom = others[i];
        nt = or(minus(nt, atom.clear), atom.set);
        nu = minus(minus(nu, atom.clear), atom.set);
      });
      var outcomes = [], k = members.join(",");
      tried.set(k, outcomes);
      if (removals(program, nt, nu, removableBits, current, rankOf, outcomes) === null) { return false; }
      if (outcomes.some(function (o) { return !any(o[0]) && o[1] === 0; })) { permittedSets.push(members); }
      var subsets = [];
      for (var mask = 0; mask < (1 << members.length); mask++) {
        var sub = [];
        for (var b = 0; b < members.length; b++) { if (mask >> b & 1) { sub.push(members[b]); } }
        subsets.push(sub.join(","));
      }
      outcomes.forEach(function (o) {
        var removed = o[0], rank = o[1], removedKey = key(removed);
        if (rank >= current) { return; }
        var dominated = subsets.some(function (sk) {
          return (tried.get(sk) || []).some(function (other) {
            if (sk === k && key(other[0]) === removedKey) { return false; }
            return !any(minus(other[0], removed)) && other[1] >= 0 && other[1] <= rank;
          });
        });
        if (dominated) { return; }
        var combo = members.map(function (i) { return others[i]; })
          .concat(removable.filter(function (a) { return hits(a.bits, removed); }));
        combo.sort(function (a, b) { return compareOrder(a.order, b.order); });
        results.push([[rank, combo.length, !combo.some(function (a) { return a.district; }),
          combo.map(function (a) { return a.order; })], combo]);
      });
      return true;
    }

    function combos(first, picked, chosen, left, size) {  // false: the budget ran out
      if (left === 0) {
        if (!needs.every(function (need) { return chosen.some(function (g) { return need[g]; }); })) { return true; }
        return visit(picked, size);
      }
      for (var g = first; g < groups.length - left + 1; g++) {
        for (var m = 0; m < groups[g].length; m++) {
          var i = groups[g][m];
          inSet[i] = true;
          var skip = containsPermitted(), ok = true;
          if (!skip) { ok = combos(g + 1, picked.concat([i]), chosen.concat([g]), left - 1, size); }
          inSet[i] = false;
          if (!ok) { return false; }
        }
      }
      return true;
    }

    for (var size = 0; size <= groups.length; size++) {
      if (!combos(0, [], [], size, size)) { complete = false; break; }
      results.sort(function (a, b) { return compareKeys(a[0], b[0]); });
      if (results.length >= S.max && results[S.max - 1][0][0] === 0 && results[S.max - 1][0][1] <= size) { break; }
    }
    results.sort(function (a, b) { return compareKeys(a[0], b[0]); });
    return { complete: complete, found: results.map(function (pair) {
      return { changes: merge(pair[1]), outcome: OUT[pair[0][0]], remedy_of: null,
        text: sentence(pair[1].map(function (a) { return a.words; })) };
    }) };
  }

  // nearest.NearestSearch._removals: for one change set, the fewest items to leave out for each
  // outcome better than the current one ([removed, rank] pairs); null when the budget ran out.
  function removals(program, t, u, removable, current, rankOf, outcomes) {
    var states = termStates(program, t, u), terms = program.terms, seen = new Set();
    for (var target = current - 1; target >= 0; target--) {
      var removed = zero(), forced = zero();
      for (var j = 0; j < terms.length; j++) {
        if (!states[j] || terms[j].rank <= target) { continue; }
        var items = and(terms[j].p, removable);
        removed = or(removed, items);
        if (states[j] !== 2) { continue; }  // unknown: maybe false in every completion, so neither blocks nor forces
        if (!any(items)) { return true; }
        if (bitsOf(items).length === 1) { forced = or(forced, items); }
      }
      var k = key(removed);
      if (seen.has(k)) { continue; }
      seen.add(k);
      var rank = rankOf(minus(t, removed), u);
      if (rank === null) { return null; }
      var loose = bitsOf(minus(removed, forced));
      for (var b = 0; b < loose.length && rank >= 0; b++) {
        var again = rankOf(minus(t, minus(removed, loose[b])), u);
        if (again === null) { return null; }
        if (again === rank) { removed = minus(removed, loose[b]); }
      }
      if (rank >= 0) { outcomes.push([removed, rank]); }
    }
    return true;
  }

  function compareOrder(a, b) { return a[0] - b[0] || a[1] - b[1]; }

  function merge(atoms) {
    var changes = [];
    atoms.forEach(function (atom) {
      var last = changes[changes.length - 1];
      if (atom.removal) {
        if (last && last.fact === atom.fact && last.remove) { last.remove.push(String(atom.value)); } else {
          changes.push({ fact: atom.fact, remove: [String(atom.value)] });
        }
      } else {
        changes.push({ fact: atom.fact, value: atom.value });
      }
    });
    return changes;
  }

  function sentence(parts) {
    var text = parts.length === 1 ? parts[0] : parts.slice(0, -1).join("; ") + "; and " + parts[parts.length - 1];
    return text.charAt(0).toUpperCase() + text.slice(1) + ".";
  }

  // --------------------------------------------------------------------------- questions
  var BY_PATH = {};
  FACTS.forEach(function (f) { BY_PATH[f.path] = f; });
  var SCHEMA_VALUES = {};
  (function walk(nodes) {
    nodes.forEach(function (node) {
      if (node.values) { SCHEMA_VALUES[node.path] = node.values; }
      if (node.children) { walk(node.children); }
    });
  })(D.encoder);

  function questions(program, enc, verdict) {
    if (verdict.outcome !== "undetermined") { return []; }
    var ranked = [];
    verdict.missing_facts.forEach(function (path) {
      var fact = BY_PATH[path], mask = fact.mask, answers = [];
      if (fact.kind === "choice") {
        answers = SCHEMA_VALUES[path].map(function (v) { return [v[0], v[1]]; });
      } else if (fact.kind === "list") {
        answers = SCHEMA_VALUES[path].map(function (v) { return [[v[0]], v[1]]; }).concat([[[], zero()]]);
      } else if (fact.kind === "boolean") {
        answers = [[true, mask], [false, zero()]];
      }
      var counts = [], out = [];
      answers.forEach(function (a) {
        var state = { t: or(minus(enc.t, mask), a[1]) };
        var reread = readAs(state, enc.reread);
        var r = outcomeOf(program, state.t, minus(enc.u, mask));
        counts.push(r.possible);
        out.push({ value: a[0], outcome: r.outcome });
      });
      ranked.push([[Math.max.apply(null, counts), counts.reduce(function (x, y) { return x + y; }, 0), fact.order],
        { fact: path, answers: out }]);
    });
    ranked.sort(function (a, b) { return a[0][0] - b[0][0] || a[0][1] - b[0][1] || a[0][2] - b[0][2]; });
    return ranked.map(function (pair) { return pair[1]; });
  }

  // ------------------------------------------------------------------------------ decide
  // Today in the policy's time zone (a version takes effect at midnight there), whatever the
  // time zone of the reader's device.
  function today() {
    var parts = {};
    new Intl.DateTimeFormat("en-US", { timeZone: D.time_zone, year: "numeric", month: "2-digit", day: "2-digit" })
      .formatToParts(new Date()).forEach(function (part) { parts[part.type] = part.value; });
    return parts.year + "-" + parts.month + "-" + parts.day;
  }

  var counter = 0, prefix = Math.floor(Math.random() * 0xffffffffffff).toString(16);

  function plainReason(r) {
    var data = { id: r.id, title: r.title, kind: r.kind, text: r.text, url: r.url };
    if (r.interpretation) { data.interpretation = r.interpretation; }
    return data;
  }

  var ALLOWED = { permitted: true, discouraged: true, requires_approval: false, prohibited: false, undetermined: null };

  // Who else can see it (seen_by) besides those it is addressed to, said after the first sentence
  // and the values read as others (engine.with_seen_by); no rule reads it.
  function withSeenBy(verdict, request) {
    var seen = request.seen_by || [], audience = request.audience || [];
    var titles = D.seen_by_titles.filter(function (v) {
      return seen.indexOf(v.value) >= 0 && audience.indexOf(v.value) < 0;
    }).map(function (v) { return v.title; });
    if (!titles.length) { return verdict.explanation; }
    var J = M.lists.seen_by;
    var who = titles.length === 1 ? titles[0]
      : titles.slice(0, -1).join(J.separator) + J.last + titles[titles.length - 1];
    var text = verdict.explanation, lead = verdict.lead;
    return text.slice(0, lead) + " " + fill(M.sentences.seen_by, { who: who }) + text.slice(lead);
  }

  function decide(request, options) {
    var enc = encode(request);
    var asOf = enc.asOf || (options && options.as_of) || today();
    if (!isDate(asOf)) { throw Malformed([{ pointer: "/as_of", message: "must be a date written YYYY-MM-DD" }]); }
    if (asOf < D.first_date) { throw Malformed([{ pointer: "/as_of", message: D.too_early.replace("{day}", asOf) }]); }
    var program = PROGRAMS[0];
    PROGRAMS.forEach(function (p) { if (p.valid_from <= asOf) { program = p; } });
    var verdict = evaluate(program, enc.t, enc.u, enc.reread);
    var copy = function (x) { return JSON.parse(JSON.stringify(x)); };
    var ways = alternatives(program, enc, verdict);
    return copy({
      outcome: verdict.outcome, allowed: ALLOWED[verdict.outcome],
      reasons: verdict.reasons.map(plainReason), obligations: verdict.obligations, notices: verdict.notices,
      missing_facts: verdict.missing_facts, possible_outcomes: verdict.possible_outcomes,
      explanation: withSeenBy(verdict, request),
      policy: { id: program.policy_id, revision: program.revision, digest: program.digest, as_of: asOf },
      decision_id: "browser-" + prefix + "-" + (++counter).toString(16),
      alternatives: ways.found,
      alternatives_complete: ways.complete,
      questions: questions(program, enc, verdict)
    });
  }

  window.policykit = { decide: decide, data: D };
})();
