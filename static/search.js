// Search, with Pagefind's interface: an enhancement; without JavaScript the page
// points to the verdict and topic pages instead.
(function () {
  var element = document.getElementById("search");
  if (!element || typeof PagefindUI === "undefined") return;
  new PagefindUI({
    element: "#search",
    baseUrl: element.getAttribute("data-base-url") || "/",
    showSubResults: false,
    showImages: false,
    resetStyles: false
  });
  var hint = document.getElementById("search-without-js");
  if (hint) hint.hidden = true;
})();
