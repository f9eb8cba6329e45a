// Check-in on a phone: filter the list as you type, tick without reloading the page.
// Without JavaScript (or if a request fails) each tick is a plain form post.
(function () {
  const list = document.getElementById("participants");
  if (!list) return;
  const search = document.getElementById("q");
  const fold = (s) => s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
  if (search) {
    search.addEventListener("input", function () {
      const key = fold(search.value);
      list.querySelectorAll("li").forEach(function (item) {
        item.hidden = key !== "" && !(item.dataset.name || "").includes(key);
      });
    });
  }
  list.addEventListener("submit", async function (event) {
    const form = event.target.closest(".checkin-form");
    if (!form) return;
    event.preventDefault();
    const button = form.querySelector("button");
    button.disabled = true;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
      });
      if (!response.ok) throw new Error(String(response.status));
      const data = await response.json();
      const item = form.closest("li");
      item.classList.toggle("is-present", data.present);
      form.querySelector("input[name=present]").value = data.present ? "0" : "1";
      button.setAttribute("aria-pressed", data.present ? "true" : "false");
      button.classList.toggle("secondary", data.present);
      button.textContent = data.present ? "✓ " + (list.dataset.present || "✓") : (list.dataset.tick || "✓");
    } catch (error) {
      form.submit();
      return;
    } finally {
      button.disabled = false;
    }
  });
})();
