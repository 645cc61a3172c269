// Starts ReDoc on the schema the page names. A file rather than an inline script, which
// the documentation page's Content-Security-Policy refuses.
"use strict";
const container = document.getElementById("redoc-container");
Redoc.init(container.dataset.schemaUrl, { hideDownloadButton: false }, container);
