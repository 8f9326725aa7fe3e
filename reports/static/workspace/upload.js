// Upload page: files dropped on the zone join the file input; the chosen files are listed.
(function () {
  "use strict";
  const zone = document.getElementById("drop-zone");
  const input = document.getElementById("upload-files");
  const list = document.getElementById("chosen-files");
  if (!zone || !input) return;

  function show() {
    list.replaceChildren(...Array.from(input.files).map(function (file) {
      const item = document.createElement("li");
      item.textContent = file.name + " (" + Math.max(1, Math.round(file.size / 1024)) + " KB)";
      return item;
    }));
  }

  ["dragenter", "dragover"].forEach(function (type) {
    zone.addEventListener(type, function (event) { event.preventDefault(); zone.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (type) {
    zone.addEventListener(type, function () { zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    const files = new DataTransfer();
    Array.from(input.files).forEach((file) => files.items.add(file));
    Array.from(event.dataTransfer.files).forEach((file) => files.items.add(file));
    input.files = files.files;
    show();
  });
  input.addEventListener("change", show);
})();
