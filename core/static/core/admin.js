// Flask-Admin marks links that only open a menu with href="javascript:void(0)"; the console's
// Content Security Policy forbids javascript: URLs, so such links become plain "#" links.
document.querySelectorAll('a[href^="javascript:"]').forEach(function (link) {
  link.setAttribute("href", "#");
  link.addEventListener("click", function (event) { event.preventDefault(); });
});
