// Registration form: suggest communes while typing (the form works without it).
(function () {
  const input = document.getElementById("commune");
  if (!input) return;
  const list = document.createElement("datalist");
  list.id = "commune-options";
  input.setAttribute("list", list.id);
  input.setAttribute("autocomplete", "off");
  input.after(list);
  let timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    const text = input.value.trim();
    if (text.length < 2 || /^\d{5} /.test(text)) return;
    timer = setTimeout(async function () {
      try {
        const response = await fetch("/api/communes?q=" + encodeURIComponent(text));
        if (!response.ok) return;
        const data = await response.json();
        const items = Array.isArray(data) ? data : data.results || data.communes || [];
        list.replaceChildren(...items.slice(0, 10).map(function (c) {
          const option = document.createElement("option");
          option.value = (c.insee_code || c.code || "") + " " + (c.name || c.label || "");
          return option;
        }));
      } catch (error) {
        // Offline or slow: the server resolves the typed name anyway.
      }
    }, 250);
  });
})();
