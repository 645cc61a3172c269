// The story body's editor, named for assistive technology. The editable area is a textbox
// of its own; the form's <label for="id_body"> and help text name the textarea it hides,
// so the textbox takes them over by reference (aria-labelledby, aria-describedby).
import { Extension, Plugin } from "django-prose-editor/editor"

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
