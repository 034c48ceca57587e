// Building the page: every text from the API or the user goes in as a text node, never
// as markup, so a name made of tags stays a name.

/// An element with attributes and children; strings become text nodes.
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, "");
    else if (value !== false && value !== null && value !== undefined) element.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/// The status line, read out by screen readers.
export function say(text) {
  document.getElementById("status").textContent = text;
}

export function show(...content) {
  const main = document.getElementById("app");
  main.replaceChildren(...content.flat().filter((part) => part !== null && part !== undefined));
  main.focus();
}

/// A labelled control.
export function field(id, label, control) {
  control.id = id;
  return h("p", { class: "field" }, h("label", { for: id }, label), control);
}

/// A labelled checkbox, the box before its label.
export function checkbox(id, label, checked = false) {
  const box = h("input", { type: "checkbox", id, checked });
  return { box, element: h("p", { class: "check" }, box, h("label", { for: id }, label)) };
}

/// Takes the problems a previous try left beside the fields of `form`.
export function clearProblems(form) {
  form.querySelectorAll(".field-error").forEach((note) => note.remove());
  form.querySelectorAll("[aria-invalid]").forEach((input) => {
    input.removeAttribute("aria-invalid");
    input.removeAttribute("aria-describedby");
  });
}
