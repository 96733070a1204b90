// Profile lens: changing a choice reloads the ranking, so the choice stays in the URL.
(function () {
  "use strict";
  var form = document.querySelector("form.filters");
  if (!form) return;
  form.addEventListener("change", function () {
    form.submit();
  });
})();
