/** ANSI colours for CLI text; the identity when colour is off. */
export interface Palette {
  green(text: string): string
  yellow(text: string): string
  red(text: string): string
  dim(text: string): string
  /**
   * A run or check status in its colour: succeeded and ok green, partial and cancelled yellow,
   * failed red, skipped dim; any other status as it is. `text` (the status, padded say) is what is
   * coloured.
   */
  status(status: string, text?: string): string
}

/** SGR codes: on, then the code that turns only that attribute off, so colours nest in plain text. */
const STYLES = {
  green: ['\u001b[32m', '\u001b[39m'],
  yellow: ['\u001b[33m', '\u001b[39m'],
  red: ['\u001b[31m', '\u001b[39m'],
  dim: ['\u001b[2m', '\u001b[22m'],
} as const

type Style = keyof typeof STYLES

const STATUS_STYLES: Readonly<Record<string, Style>> = {
  succeeded: 'green',
  ok: 'green',
  partial: 'yellow',
  cancelled: 'yellow',
  failed: 'red',
  FAILED: 'red',
  skipped: 'dim',
}

/** The colours to use, or none (`enabled: false`): then every method returns its text unchanged. */
export function createPalette(enabled: boolean): Palette {
  const paint = (style: Style) => (text: string) => (enabled && text !== '' ? `${STYLES[style][0]}${text}${STYLES[style][1]}` : text)
  const styles = { green: paint('green'), yellow: paint('yellow'), red: paint('red'), dim: paint('dim') }
  return {
    ...styles,
    status: (status, text = status) => {
      const style = STATUS_STYLES[status]
      return style === undefined ? text : styles[style](text)
    },
  }
}

/** No colours: for text that goes to logs, files and JSON. */
export const PLAIN: Palette = createPalette(false)
