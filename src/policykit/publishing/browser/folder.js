// A folder URL (sections/relationships/) opens the page itself (sections/relationships.html),
// keeping the part after "#" (the clause), which a meta refresh would drop.
(function () {
  var canonical = document.querySelector('link[rel="canonical"]');
  if (canonical) {
    location.replace(canonical.href + location.hash);
  }
})();
