/* The policy's evaluator in the browser: a small interpreter of the data policykit.ask emits
   from the compiled policy (window.POLICYKIT_DATA). It mirrors request.build_encoder,
   engine.evaluate (with stakes.analyse) and engine._explain, and alternatives.Searcher, step for step; it holds no
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
    var verdict = {
      outcome: outcome, reasons: reasons, obligations: obligations, notices: notices,
      missing_facts: missing, possible_outcomes: possible,
      explanation: explain(outcome, reasons, obligations, missing, possible, readings, onlyUnmet, notices)
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
  function titles(reasons) {
    var names = reasons.map(function (r) { return "\u201c" + r.title + "\u201d (" + r.id + ")"; });
    if (names.length <= 1) { return names.join(""); }
    return names.slice(0, -1).join(", ") + " and " + names[names.length - 1];
  }

  function explain(outcome, reasons, obligations, missing, possible, readings, onlyUnmet, notices) {
    var sentences = readings.slice();
    if (outcome === "undetermined") {
      var could = possible.map(function (o) { return o.replace(/_/g, " "); }).join(" or ");
      sentences.unshift("The answer depends on facts the question did not give (" + missing.join(", ") +
        "): it could be " + could + ". Clauses at stake: " + titles(reasons) + ".");
    } else if (!reasons.length && (obligations.length || notices.length)) {
      sentences.unshift("This is permitted; no clause restricts it, but the policy has duties or notices " +
        "that apply to it.");
    } else if (!reasons.length) {
      sentences.unshift("Nothing in the policy restricts this, so it is permitted.");
    } else {
      var phrase = onlyUnmet ? "This is not allowed yet" : D.phrases[outcome];
      sentences.unshift(phrase + " under " + titles(reasons) + ".");
    }
    var unmet = obligations.filter(function (o) { return o.met === false; }).map(function (o) { return o.text; });
    if (unmet.length) { sentences.push("Not yet: first " + unmet.join("; and ") + "."); }
    var assumed = obligations.filter(function (o) { return o.met === null; }).map(function (o) { return o.text; });
    if (assumed.length) {
      sentences.push((outcome !== "undetermined" ? "This holds provided you " : "In any case, provided you ") +
        assumed.join("; and ") + ".");
    }
    if (outcome === "requires_approval" && !unmet.length && obligations.some(function (o) { return o.met === true; })) {
      sentences.push("What you had to do first is done, but approval is still pending.");
    }
    var awaiting = reasons.filter(function (r) { return r.awaiting; }).map(function (r) { return r.id; });
    if (awaiting.length) {
      sentences.push("This rests on a reading of the policy that the Board of Education has not yet " +
        "confirmed (" + awaiting.join(", ") + ").");
    }
    return sentences.join(" ");
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

  function alternatives(program, enc, verdict) {
    if (verdict.outcome === "permitted" || verdict.outcome === "undetermined") { return []; }
    var current = RANK[verdict.outcome];
    var found = remedies(program, enc, verdict, current);
    var seen = new Set(found.map(function (a) { return JSON.stringify(a.changes); }));
    var searched = search(program, enc, current);
    for (var i = 0; i < searched.length && found.length < S.max; i++) {
      var k = JSON.stringify(searched[i].changes);
      if (!seen.has(k)) { found.push(searched[i]); seen.add(k); }
    }
    return found.slice(0, S.max);
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

  function search(program, enc, current) {
    var t = enc.t, u = enc.u, states = termStates(program, t, u), cases = program.cases, terms = program.terms;
    var liveCases = new Set(), trueCases = new Set();
    terms.forEach(function (term, j) {
      if (states[j]) { liveCases.add(term.case); }
      if (states[j] === 2) { trueCases.add(term.case); }
    });
    var deciding = [];
    trueCases.forEach(function (i) { if (cases[i].rank === current) { deciding.push(program.caseBits[i]); } });
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
    if (!atoms.length || deciding.some(function (bits) { return !atoms.some(function (a) { return hits(a.bits, bits); }); })) {
      return [];
    }
    var groupIds = {}, groupOf = atoms.map(function (a) {
      if (!(a.group in groupIds)) { groupIds[a.group] = Object.keys(groupIds).length; }
      return groupIds[a.group];
    });
    var groupCount = Object.keys(groupIds).length;
    var outcomes = new Map(), results = [], hit = zero(), nt = zero(), nu = zero();
    for (var size = 1; size <= groupCount; size++) {
      combinations(atoms.length, size, function (combo) {
        var a, b, i, w;
        for (a = 1; a < size; a++) {  // at most one atom of a group
          for (b = 0; b < a; b++) { if (groupOf[combo[a]] === groupOf[combo[b]]) { return; } }
        }
        for (w = 0; w < W; w++) { hit[w] = 0; nt[w] = t[w]; nu[w] = u[w]; }
        for (a = 0; a < size; a++) {
          var atom = atoms[combo[a]];
          for (w = 0; w < W; w++) {
            hit[w] |= atom.bits[w];
            nt[w] = (nt[w] & ~atom.clear[w]) | atom.set[w];
            nu[w] = nu[w] & ~atom.clear[w] & ~atom.set[w];
          }
        }
        for (i = 0; i < deciding.length; i++) { if (!hits(hit, deciding[i])) { return; } }
        var result = outcomeOf(program, nt, nu);
        var rank = result.outcome === "undetermined" ? -1 : RANK[result.outcome];
        var k = combo.join(",");
        outcomes.set(k, rank);
        if (rank < 0 || rank >= current) { return; }
        for (var r = 1; r < size; r++) {
          var dominated = false;
          combinations(size, r, function (sub) {
            if (dominated) { return; }
            var o = outcomes.get(sub.map(function (s) { return combo[s]; }).join(","));
            if (o !== undefined && o >= 0 && o <= rank) { dominated = true; }
          });
          if (dominated) { return; }
        }
        var chosen = combo.slice().sort(byOrder(atoms));
        var sortKey = [rank, size, !combo.some(function (i) { return atoms[i].district; }),
          chosen.map(function (i) { return atoms[i].order; })];
        results.push([sortKey, combo.slice()]);
      });
      results.sort(function (a, b) { return compareKeys(a[0], b[0]); });
      if (results.length >= S.max && results[S.max - 1][0][0] === 0) { break; }
    }
    return results.map(function (pair) {
      var chosen = pair[1].slice().sort(byOrder(atoms)).map(function (i) { return atoms[i]; });
      return { changes: merge(chosen), outcome: OUT[pair[0][0]], remedy_of: null,
        text: sentence(chosen.map(function (a) { return a.words; })) };
    });
  }

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

  function decide(request, options) {
    var enc = encode(request);
    var asOf = enc.asOf || (options && options.as_of) || today();
    if (!isDate(asOf)) { throw Malformed([{ pointer: "/as_of", message: "must be a date written YYYY-MM-DD" }]); }
    if (asOf < D.first_date) { throw Malformed([{ pointer: "/as_of", message: D.too_early.replace("{day}", asOf) }]); }
    var program = PROGRAMS[0];
    PROGRAMS.forEach(function (p) { if (p.valid_from <= asOf) { program = p; } });
    var verdict = evaluate(program, enc.t, enc.u, enc.reread);
    var copy = function (x) { return JSON.parse(JSON.stringify(x)); };
    return copy({
      outcome: verdict.outcome, allowed: ALLOWED[verdict.outcome],
      reasons: verdict.reasons.map(plainReason), obligations: verdict.obligations, notices: verdict.notices,
      missing_facts: verdict.missing_facts, possible_outcomes: verdict.possible_outcomes,
      explanation: verdict.explanation,
      policy: { id: program.policy_id, revision: program.revision, digest: program.digest, as_of: asOf },
      decision_id: "browser-" + prefix + "-" + (++counter).toString(16),
      alternatives: alternatives(program, enc, verdict),
      questions: questions(program, enc, verdict)
    });
  }

  window.policykit = { decide: decide, data: D };
})();
