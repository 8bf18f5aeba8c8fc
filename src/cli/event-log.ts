import { Option } from 'commander'

/** How long-running commands write their log: timestamped lines, or one JSON object per line. */
export const LOG_FORMATS = ['text', 'json'] as const
export type LogFormat = (typeof LOG_FORMATS)[number]

/** One thing that happened, as a log line says it. */
export interface LogEvent {
  level: 'info' | 'warn' | 'error'
  /** A stable name (`run_finished`, `page_delivered`, …) to filter and alert on. */
  event: string
  /** The words a person reads; one line. */
  message: string
  sync?: string | undefined
  runId?: string | undefined
  /** Row counts, by name. */
  counts?: Readonly<Record<string, number>> | undefined
  /** An error's stable code (`DESTINATION_AUTH`, …). */
  errorCode?: string | undefined
  /** Other fields of the event: numbers and short strings only. */
  fields?: Readonly<Record<string, string | number | boolean | undefined>> | undefined
}

/**
 * `--log-format text|json`, for `run`, `schedule` and `worker`. `run` asks for no default
 * (`{ withDefault: false }`): without the option it shows progress for a person (a bar on a
 * terminal) rather than a log.
 */
export function logFormatOption({ withDefault = true }: { withDefault?: boolean } = {}): Option {
  const option = new Option('--log-format <format>', 'log lines as timestamped text, or one JSON object per line').choices(LOG_FORMATS)
  return withDefault ? option.default('text' satisfies LogFormat) : option
}

/**
 * Writes events one per line. Text: `<ISO time> <LEVEL> <message>`, a multi-line message joined
 * into one line. JSON: `{"time", "level", "event", "message", "sync", "run_id", "counts",
 * "error_code", ...fields}`, keys absent when they do not apply, times in ISO 8601, counts as numbers.
 */
export class EventLog {
  constructor(
    private readonly format: LogFormat,
    private readonly write: (line: string) => void,
    private readonly now: () => Date = () => new Date(),
  ) {}

  log(event: LogEvent): void {
    const time = this.now().toISOString()
    const message = event.message.trim().replace(/\s*\n\s*/g, '; ')
    if (this.format === 'text') {
      this.write(`${time} ${event.level.toUpperCase().padEnd(5)} ${message}\n`)
      return
    }
    const line: Record<string, unknown> = { time, level: event.level, event: event.event, message }
    if (event.sync !== undefined) line['sync'] = event.sync
    if (event.runId !== undefined) line['run_id'] = event.runId
    if (event.counts !== undefined) line['counts'] = event.counts
    if (event.errorCode !== undefined) line['error_code'] = event.errorCode
    for (const [key, value] of Object.entries(event.fields ?? {})) if (value !== undefined && !(key in line)) line[key] = value
    this.write(`${JSON.stringify(line)}\n`)
  }
}
