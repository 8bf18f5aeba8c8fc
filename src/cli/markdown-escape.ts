/*
 * A plan comment is posted where everyone who can read the repository sees it, and its values
 * come from warehouse rows anyone could have typed. GitHub renders a comment as GFM, then links
 * @mentions, #123 references and bare URLs in whatever is left as text; it leaves code alone.
 * So a value is shown as inline code: no markdown, HTML, link, mention or reference inside it
 * takes effect.
 */

/**
 * `value` as inline code in a GFM table cell, shown exactly as typed on one line.
 *
 * The fence is one backtick longer than the longest run of backticks in the value, so none can
 * close it early; a space pads a value that starts or ends with a backtick (CommonMark strips
 * it again). Pipes are escaped: GFM splits table cells before it parses code, and turns `\|`
 * back into `|` inside code. Line breaks, which would end the row, become spaces.
 *
 * @example
 * markdownCode('a `b` | c') // '``a `b` \\| c``', which GitHub shows as <code>a `b` | c</code>
 */
export function markdownCode(value: string): string {
  const flat = value
    .replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')
    // Renderers disagree on `\\|` (GitHub keeps the pipe in the cell, others split the row there):
    // a zero-width space after a backslash that precedes a pipe reads the same and splits nowhere.
    .replace(/\\(?=\|)/g, '\\\u200B')
    .replaceAll('|', '\\|')
  if (flat.trim() === '') return flat === '' ? '' : `\`${flat}\``
  const longest = Math.max(0, ...Array.from(flat.matchAll(/`+/g), (run) => run[0].length))
  const fence = '`'.repeat(longest + 1)
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${flat}${pad}${fence}`
}

/**
 * Characters that mean something to markdown or HTML inside a table cell; a backslash before
 * each makes it plain. (`#`, `-`, `+` and `.` matter only where a line starts, which a cell never does.)
 */
const MARKDOWN_PUNCTUATION = /[\\`*_[\]<>|~&]/g

/**
 * Outflow's own words for a GFM table cell, read as plain text: markdown and HTML punctuation
 * is escaped and line breaks become spaces. Only for text Outflow writes (counts, warnings),
 * never for a value or a third party's message: a backslash does not stop GitHub from linking
 * a mention or a reference, so those go through {@link markdownCode}.
 */
export function markdownText(text: string): string {
  return text.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ').replace(MARKDOWN_PUNCTUATION, (char) => `\\${char}`)
}

/** `text` inside an HTML element (a `<summary>`): the five characters HTML gives meaning to, as entities. */
export function htmlText(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)
}
