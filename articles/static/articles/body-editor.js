// The story body editor's extensions of the project's own (articles/body_editor.py turns
// them on; settings.DJANGO_PROSE_EDITOR_EXTENSIONS has django-prose-editor load this file).
import { Extension, Plugin } from "django-prose-editor/editor"

// The editable area is a textbox of its own; the form's <label for="id_body"> and help
// text name the textarea it hides, so the textbox takes them over by reference.

export const AccessibleName = Extension.create({
  name: "accessibleName",

  addProseMirrorPlugins() {
    const textarea = this.editor.options.element.querySelector("textarea")
    const label = textarea && document.querySelector(`label[for="${textarea.id}"]`)
    const attributes = { "aria-multiline": "true" }
    if (label) {
      label.id = label.id || `${textarea.id}_label`
      attributes["aria-labelledby"] = label.id
    }
    const description = textarea?.getAttribute("aria-describedby")
    if (description) attributes["aria-describedby"] = description
    return [new Plugin({ props: { attributes } })]
  },
})

// Word and Google Docs call a document's top headings Heading 1, which no story has: a
// pasted h1 becomes a subhead (h2) and h4 to h6 a minor subhead (h3), rather than text.
const HEADING_LEVEL = { 1: 2, 4: 3, 5: 3, 6: 3 }

export const PastedHeadings = Extension.create({
  name: "pastedHeadings",

  addProseMirrorPlugins() {
    return [
      new Plugin({
        props: {
          transformPastedHTML: (html) =>
            html.replace(
              /<(\/?)h([1-6])\b/gi,
              (tag, slash, level) => `<${slash}h${HEADING_LEVEL[level] ?? level}`,
            ),
        },
      }),
    ]
  },
})

// Word writes a list as a run of paragraphs styled "mso-list:l0 level1 lfo1", each starting
// with its bullet or number in a span styled "mso-list:Ignore". Such a run becomes a list
// (numbered when the first marker is a number or a letter with a full stop or bracket),
// its markers dropped; nested levels are flattened into it.
const WORD_LIST_ITEM = /mso-list:\s*l\d+\s+level\d/i
const NUMBERED_MARKER = /^\s*([0-9]+|[a-z]|[ivxlc]+)[.)]/i

function wordListsAsLists(html) {
  if (!WORD_LIST_ITEM.test(html)) return html
  const doc = new DOMParser().parseFromString(html, "text/html")
  let list = null
  for (const paragraph of [...doc.body.querySelectorAll("p")]) {
    if (!WORD_LIST_ITEM.test(paragraph.getAttribute("style") || "")) {
      list = null
      continue
    }
    const markers = [...paragraph.querySelectorAll("[style*='mso-list']")].filter((span) =>
      /mso-list:\s*ignore/i.test(span.getAttribute("style")),
    )
    const marker = markers.map((span) => span.textContent).join("")
    for (const span of markers) span.remove()
    if (!list || list !== paragraph.previousElementSibling) {
      list = doc.createElement(NUMBERED_MARKER.test(marker) ? "ol" : "ul")
      paragraph.before(list)
    }
    const item = doc.createElement("li")
    item.append(...paragraph.childNodes)
    paragraph.remove()
    list.append(item)
  }
  return doc.body.innerHTML
}

export const PastedWordLists = Extension.create({
  name: "pastedWordLists",

  addProseMirrorPlugins() {
    return [new Plugin({ props: { transformPastedHTML: wordListsAsLists } })]
  },
})
