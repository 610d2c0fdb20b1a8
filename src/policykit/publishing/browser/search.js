// The site's search: the theme's own (lunr, in a web worker), finding what staff mean.
//
// Loaded twice. In the page (mkdocs.yml, extra.polyfills: before the theme's bundle), it hands
// the theme this file as the search worker, which then loads the theme's worker (served), or,
// opened from disk, where the browser refuses a worker file, runs the theme's worker from
// search/search_worker.js (written by policykit.publishing.sitesearch), with the index from
// search/search_index.js. In the worker, it changes two things before the theme's worker sees them:
//   - the index: a word written with hyphens is also indexed joined and by its parts, so that
//     "email" finds "e-mail", "schoolapproved" "School-Approved", "approved" too (mkdocs.yml's
//     search separator keeps hyphenated words whole for this);
//   - the query: an everyday word typed out whole is a word, not a prefix ("connect" does not
//     find "Connecticut"); the everyday words of the request schema's x-synonyms bring in the words the
//     policy uses, looked for in the text ("pupil" also looks for "student", "Chromebook" for
//     "district"; the build puts them in the index's config as "synonyms"); hyphens inside words are dropped ("e-mail" is
//     "email"); and one-letter words and stop words ("a", "the", "of") are left out, since the
//     theme matches every word as a prefix and "a" would match every word that starts with an a.
(function () {
  "use strict";

  if (typeof window === "undefined") {
    worker();
  } else {
    page();
  }

  function worker() {
    var synonyms = [];
    var listen = self.addEventListener;
    self.addEventListener = function (type, handler, options) {
      if (type !== "message") {
        return listen.call(self, type, handler, options);
      }
      return listen.call(self, type, function (event) {
        var message = event.data;
        if (message && message.data && message.data.docs && message.data.config) {
          words(self.lunr);  // the setup message: the index is built next
          synonyms = message.data.config.synonyms || [];
        } else if (message && typeof message.data === "string") {
          message = { type: message.type, data: whole(query(self.lunr, expand(message.data, synonyms)), synonyms) };
        }
        return handler({ data: message });
      }, options);
    };
    if (!self.__policykitInline) {
      importScripts(new URL(location.href).searchParams.get("worker"));
    }
  }

  // Hyphenated words indexed whole (without hyphens) and by their parts of two letters or more.
  function words(lunr) {
    if (lunr.__policykitWords) { return; }
    var stop = lunr.stopWordFilter;
    var filter = function (token) {
      var kept = stop(token);
      if (!kept || typeof token === "string") { return kept; }
      var word = kept.toString();
      if (word.indexOf("-") < 0) { return kept; }
      var forms = [word.replace(/-/g, "")].concat(word.split("-").filter(function (part) {
        return part.length > 1 && stop(part);
      }));
      return forms.map(function (form) { return kept.clone(function () { return form; }); });
    };
    lunr.Pipeline.registerFunction(filter, "policykitWords");
    lunr.stopWordFilter = filter;
    lunr.__policykitWords = true;
  }

  // An everyday word typed out whole is looked for as a word, not as the start of one: the theme
  // then adds "*" to every word without a "^" boost, and "connect*" would find "Connecticut" in a
  // heading before the clauses on friending ("^1" keeps the word's weight; the stemmer still finds
  // "connected" and "connecting" by "connect").
  function whole(text, synonyms) {
    return text.split(/\s+/).map(function (term) {
      var word = term.toLowerCase();
      var everyday = term.indexOf(":") < 0 && synonyms.some(function (pair) { return pair[0] === word; });
      return everyday ? term + "^1" : term;
    }).join(" ");
  }

  // The query with the policy's words for each everyday word or phrase it contains: synonyms
  // are [everyday words in lower case, the policy's words], longest first.
  function expand(text, synonyms) {
    var plain = " " + text.toLowerCase().replace(/[^0-9a-z\u00c0-\uffff-]+/g, " ") + " ";
    var added = [];
    synonyms.forEach(function (pair) {
      var found = plain.split(" " + pair[0] + " ");
      if (found.length > 1) {
        if (added.indexOf(pair[1]) < 0) { added.push(pair[1]); }
        // the longest phrase takes its words: "a friend request" is a friend request, not "a friend"
        plain = found.join("  ");
      }
    });
    // In the text only, and as words, not prefixes: a title or a word that merely starts alike
    // ("connect", "Connecticut law") must not win.
    // A stop word ("other", for a network) stays a prefix: as a word, the search would drop it.
    var stop = self.lunr && self.lunr.stopWordFilter;
    return added.length ? text + " " + added.join(" ").split(" ").map(function (word) {
      return "text:" + word + (stop && !stop(word) ? "*" : "^1");
    }).join(" ") : text;
  }

  function query(lunr, text) {
    var stop = lunr && lunr.stopWordFilter;
    return text.split(/\s+/).map(function (term) {
      return term.replace(/([^\s-])-+(?=[^\s-])/g, "$1");
    }).filter(function (term) {
      var word = term.toLowerCase().replace(/[^0-9a-z\u00c0-\uffff]/g, "");
      return word.length > 1 && (!stop || stop(word));
    }).join(" ");
  }

  function page() {
    var Native = window.Worker;
    var me = document.currentScript && document.currentScript.src;
    if (!Native || !me) { return; }
    var here = me.split("?")[0];
    var root = here.replace(/assets\/search\.js$/, "");
    var Search = function (url, options) {
      var target = new URL(url, document.baseURI).href;
      if (!/\/workers\/search\.[^\/]*\.js$/.test(target.split("?")[0])) {
        return new Native(url, options);
      }
      if (location.protocol !== "file:") {
        return new Native(here + "?worker=" + encodeURIComponent(target), options);
      }
      return new DiskWorker(root + "search/search_worker.js");
    };
    Search.prototype = Native.prototype;
    window.Worker = Search;

    // The theme's worker run from disk: its source comes as a script (a worker file would be
    // refused) and runs as a worker made from it, loaded when search is first opened.
    function DiskWorker(source) {
      this.source = source;
      this.listeners = [];
      this.queue = [];
      this.worker = null;
      this.loading = false;
    }
    DiskWorker.prototype.addEventListener = function (type, listener) {
      if (type === "message") { this.listeners.push(listener); }
    };
    DiskWorker.prototype.removeEventListener = function (type, listener) {
      this.listeners = this.listeners.filter(function (l) { return l !== listener; });
    };
    DiskWorker.prototype.terminate = function () {
      if (this.worker) { this.worker.terminate(); }
    };
    DiskWorker.prototype.postMessage = function (message) {
      if (this.worker) { this.worker.postMessage(message); return; }
      this.queue.push(message);
      if (!this.loading) { this.load(); }
    };
    DiskWorker.prototype.load = function () {
      var that = this;
      this.loading = true;
      var script = document.createElement("script");
      script.src = this.source;
      script.onload = function () {
        try {
          var blob = new Blob([window.__policykitSearchWorker], { type: "text/javascript" });
          that.worker = new Native(URL.createObjectURL(blob));
        } catch (error) {
          unavailable();
          return;
        }
        that.worker.addEventListener("message", function (event) {
          that.listeners.forEach(function (listener) { listener.call(that, event); });
        });
        that.worker.addEventListener("error", unavailable);
        that.queue.forEach(function (message) { that.worker.postMessage(message); });
        that.queue = [];
      };
      script.onerror = unavailable;
      document.head.appendChild(script);
    };
  }

  // Said in the search box when search cannot run in this copy of the site.
  function unavailable() {
    var say = function () {
      var meta = document.querySelector(".md-search-result__meta");
      if (meta) {
        meta.textContent = "Search cannot run in this copy of the site. Open the site from its web address, " +
          "or in a folder of its files run: python3 -m http.server -d site, then open http://127.0.0.1:8000/. " +
          "The Print version holds the whole policy on one page (Ctrl+F finds words in it).";
      }
    };
    say();
    document.addEventListener("DOMContentLoaded", say);
  }
})();
