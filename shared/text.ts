// Control characters other than tab and newlines: invisible, and invalid in the XML of an SVG export.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g

/** A label as it is drawn: the model keeps what was typed, the canvas shows the printable part. */
export const printable = (text: string) => text.replace(CONTROL, '')
