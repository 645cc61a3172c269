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
